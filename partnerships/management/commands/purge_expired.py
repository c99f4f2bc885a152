from django.core.management import call_command
from django.core.management.base import BaseCommand

from partnerships.uploads import purge_expired


class Command(BaseCommand):
    help = (
        "Delete expired sessions and checked upload files nobody confirmed. Run it on a "
        "schedule (the README says how often): an expired session or file is no use to "
        "anyone, and a register file holds personal data."
    )

    def handle(self, *args, **options):
        call_command("clearsessions")
        files = purge_expired()
        self.stdout.write(
            f"Expired sessions deleted; {files} checked file(s) left unconfirmed deleted."
        )
