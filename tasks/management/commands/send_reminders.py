"""Run once a day (cron): emails each user what newly needs them."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from tasks.reminders import send_reminders


class Command(BaseCommand):
    help = "Email each user a digest of what needs them that they have not been told of yet."

    def handle(self, *args, **options):
        if not settings.SITE_URL:
            raise CommandError(
                "SITE_URL is not set: the emails' links need the service's address, "
                "e.g. SITE_URL=https://partnerships.example.gov.uk"
            )
        outcome = send_reminders(timezone.localdate())
        for name in outcome.sent:
            self.stdout.write(f"Sent reminders to {name}")
        for name, why in outcome.failed:
            self.stderr.write(f"Could not send reminders to {name}: {why}")
        if outcome.failed:
            # After every other user has had theirs: one bad address stops nobody else's.
            raise CommandError(f"{len(outcome.failed)} reminder email(s) could not be sent.")
        self.stdout.write(f"{len(outcome.sent)} reminder email(s) sent.")
