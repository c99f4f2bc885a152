"""The daily reminder email: one digest a user, of what needs them that they have not been
told of yet. A reminder counts as sent only once the mail server has accepted it, so one
that failed is tried again the next day; and one user's refused address stops nobody
else's email."""

import datetime
import smtplib
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives, get_connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from tasks.models import SentReminder
from tasks.needs import Need, needs_for
from tasks.stopping import stop_token


@dataclass
class Outcome:
    sent: list[str] = field(default_factory=list)  # user names
    failed: list[tuple[str, str]] = field(default_factory=list)  # (user name, why)


def recipients():
    """Active users with an email address who have not asked to stop."""
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .exclude(email="")
        .exclude(reminder_preference__stopped=True)
        .order_by("username")
    )


def unsent(user, needs: list[Need]) -> list[Need]:
    sent = set(SentReminder.objects.filter(user=user).values_list("key", flat=True))
    return [need for need in needs if need.key not in sent]


def digest(user, needs: list[Need], connection=None) -> EmailMultiAlternatives:
    """The email, in plain text and HTML, with an absolute link to each item and one to
    stop reminders."""
    site = settings.SITE_URL
    ordered = sorted(needs, key=lambda need: need.agreement.short_title)  # stable: in order
    items = [{"need": need, "link": f"{site}{need.url}"} for need in ordered]
    context = {
        "person": user,
        "items": items,
        "home": f"{site}{reverse('home')}",
        "stop": f"{site}{reverse('stop_reminders', args=[stop_token(user)])}",
    }
    count = len(needs)
    subject = f"{count} thing{'s' if count != 1 else ''} need{'s' if count == 1 else ''} you"
    message = EmailMultiAlternatives(
        subject=f"Partnership governance: {subject}",
        body=render_to_string("tasks/email/digest.txt", context),
        to=[user.email],
        connection=connection,
        headers={"List-Unsubscribe": f"<{context['stop']}>"},
    )
    message.attach_alternative(render_to_string("tasks/email/digest.html", context), "text/html")
    return message


def send_reminders(today: datetime.date) -> Outcome:
    """One digest to each recipient with something new; each failure is kept with its
    reason and the rest carry on (a fresh connection after one, in case it broke)."""
    outcome = Outcome()
    connection = get_connection()  # opened by the first send, and kept open for the rest
    try:
        for user in recipients():
            needs = unsent(user, needs_for(user, today))
            if not needs:
                continue
            try:
                connection.open()  # no-op while open: one connection for every digest
                digest(user, needs, connection).send()
            except (smtplib.SMTPException, OSError, ValueError) as error:
                outcome.failed.append((user.get_username(), _why(error)))
                connection.close()
                continue
            _record(user, needs)
            outcome.sent.append(user.get_username())
    finally:
        connection.close()
    return outcome


def _record(user, needs: list[Need]) -> None:
    now = timezone.now()
    SentReminder.objects.bulk_create(
        [SentReminder(user=user, key=need.key, sent_at=now) for need in needs],
        ignore_conflicts=True,
    )


def _why(error: Exception) -> str:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [
            f"{code} {reply.decode(errors='replace')}" for code, reply in error.recipients.values()
        ]
        return "the mail server refused the address: " + "; ".join(codes)
    return f"{type(error).__name__}: {error}"
