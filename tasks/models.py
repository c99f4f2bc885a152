"""What has been sent to whom, and who asked for no more: so that `send_reminders`, run
every day, never sends the same reminder twice and never writes to someone who said stop."""

from django.conf import settings
from django.db import models


class SentReminder(models.Model):
    """One reminder (a need's `key`, which names the item and its state) sent to one user.
    Written only after the email carrying it was accepted by the mail server."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sent_reminders"
    )
    key = models.CharField(max_length=200)
    sent_at = models.DateTimeField()

    class Meta:
        ordering = ["user", "-sent_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="sent_reminder_once"),
        ]

    def __str__(self) -> str:
        return f"{self.key} to {self.user}"


class ReminderPreference(models.Model):
    """Whether a user still wants reminder emails. No row: they do."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminder_preference"
    )
    stopped = models.BooleanField(default=False)
    stopped_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(stopped=False) | models.Q(stopped_at__isnull=False),
                name="reminder_preference_stopped_says_when",
            ),
        ]

    def __str__(self) -> str:
        return f"Reminders for {self.user}: {'stopped' if self.stopped else 'on'}"
