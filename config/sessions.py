"""Signed-in sessions end after SESSION_COOKIE_AGE seconds without a request.

Django can restart that idle clock by saving the session on every request
(SESSION_SAVE_EVERY_REQUEST), but that is a database write, and on SQLite a disk sync, for
every page anyone opens: at national scale the busiest statement the product runs. Instead
the session remembers the minute it was last renewed and is saved only when a request
comes in a later minute. A session therefore ends between SESSION_COOKIE_AGE - 60 and
SESSION_COOKIE_AGE seconds after its last request, never later.
"""

import time

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

RENEWED = "_renewed_minute"


def _minute() -> int:
    return int(time.time() // 60)


class RenewIdleSessionMiddleware:
    """After SessionMiddleware and AuthenticationMiddleware: renews a signed-in session's
    expiry at most once a minute. Anonymous visitors get no session from it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session, minute = request.session, _minute()
        if session.session_key and session.get(RENEWED) != minute and request.user.is_authenticated:
            session[RENEWED] = minute  # marks it modified: saved with a new expiry
        return self.get_response(request)


@receiver(user_logged_in, dispatch_uid="config.sessions.renewed_at_sign_in")
def renewed_at_sign_in(sender, request, user, **kwargs):
    """Signing in saves the session; the first page after it has nothing to renew."""
    if request is not None and hasattr(request, "session"):
        request.session[RENEWED] = _minute()
