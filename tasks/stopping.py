"""The link in every reminder email that stops them: a signed token naming the user, so
that stopping needs no sign-in (the email may be read far from the service) and nobody can
stop someone else's reminders without the link sent to them."""

from django.contrib.auth import get_user_model
from django.core import signing
from django.utils import timezone

from tasks.models import ReminderPreference

SALT = "tasks.stop-reminders"


def stop_token(user) -> str:
    """No expiry: an old email's link should still work when someone finally uses it."""
    return signing.dumps({"user": user.pk}, salt=SALT)


def user_for(token: str):
    """The user a token was made for, or None if it is not one we signed."""
    try:
        pk = signing.loads(token, salt=SALT)["user"]
    except (signing.BadSignature, KeyError, TypeError):
        return None
    return get_user_model().objects.filter(pk=pk).first()


def stop_reminders(user) -> None:
    ReminderPreference.objects.update_or_create(
        user=user, defaults={"stopped": True, "stopped_at": timezone.now()}
    )


def has_stopped(user) -> bool:
    return ReminderPreference.objects.filter(user=user, stopped=True).exists()
