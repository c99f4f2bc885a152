"""When a sign-in is refused before its password is checked (docs/adr/0012).

django-axes records every failure with its user name and address and locks a user name
after AXES_FAILURE_LIMIT failures, from wherever they came: that stops guessing one
account's password. Locking an address the same way would let anyone behind a council NAT
or a shared proxy lock out all their colleagues with five wrong passwords. So an address
is locked only when it shows password spraying, failures for SIGNIN_ADDRESS_NAME_LIMIT
different user names within AXES_COOLOFF_TIME, and even then not for a browser whose
device cookie vouches for the user name being tried (config/trusted_device.py).
"""

from datetime import datetime

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from django.conf import settings
from django.http import HttpRequest

from config import trusted_device


def user_names_failed_from(address: str | None, *, since: datetime) -> int:
    """How many different user names have failed to sign in from this address since then."""
    return (
        AccessAttempt.objects.filter(ip_address=address, attempt_time__gte=since)
        .order_by()  # the model's ordering would otherwise make every row distinct
        .values("username")
        .distinct()
        .count()
    )


class SignInAttempts(AxesDatabaseHandler):
    """Axes' database handler, adding the address's lock against spraying to its own lock
    of the user name (AXES_LOCKOUT_PARAMETERS = ["username"])."""

    def is_locked(self, request: HttpRequest, credentials: dict | None = None) -> bool:
        if super().is_locked(request, credentials):
            return True
        if trusted_device.vouches_for(request, get_client_username(request, credentials)):
            return False
        since = request.axes_attempt_time - settings.AXES_COOLOFF_TIME
        failed = user_names_failed_from(request.axes_ip_address, since=since)
        return failed >= settings.SIGNIN_ADDRESS_NAME_LIMIT
