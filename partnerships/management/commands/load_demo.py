import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from partnerships import demo
from partnerships.models import Agreement, Membership, Role

# One demo user per role, named by role title (never a person's name).
DEMO_USERS = (
    ("jmg.member", "JMG member", Role.JMG_MEMBER),
    ("commissioner", "Commissioner", Role.COMMISSIONER),
    ("scrutiny.officer", "Scrutiny officer", Role.SCRUTINY_OFFICER),
    ("s117.officer", "s117 register officer", Role.S117_OFFICER),
)
ADMIN_USERNAME = "admin"


class Command(BaseCommand):
    help = (
        "Load both seed partnerships (Oxfordshire s75, Bromley s31) from fixtures/demo/, and "
        "one demo user per role. Safe to run again: nothing is duplicated."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-passwords",
            dest="passwords",
            action="store_false",
            help="Create the demo users without usable passwords (for tests).",
        )
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Load demo data even though DJANGO_ENV=production.",
        )

    def handle(self, *args, passwords=True, allow_production=False, **options):
        if settings.PRODUCTION and not allow_production:
            raise CommandError(
                "Refusing to load demo data and demo users into a production database. "
                "Pass --allow-production if this really is a demonstration server."
            )
        try:
            with transaction.atomic():
                stats = demo.load()
                issued = self.create_users(passwords)
        except demo.DemoDataError as error:
            raise CommandError(f"The demo data could not be loaded: {error}") from error

        if options["verbosity"] >= 1:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Demo data loaded: {stats.created} rows created, {stats.updated} updated, "
                    f"{stats.unchanged} already up to date."
                )
            )
            for slug, title in Agreement.objects.values_list("slug", "short_title"):
                self.stdout.write(f"  {title} ({slug})")
        if issued:
            self.stdout.write("\nDemo users (new passwords are issued on every load):")
            width = max(len(username) for username, _, _ in issued)
            for username, title, password in issued:
                self.stdout.write(f"  {username:<{width}}  {password}  {title}")
            self.stdout.write("")

    def create_users(self, passwords: bool) -> list[tuple[str, str, str]]:
        User = get_user_model()
        agreements = list(Agreement.objects.all())
        issued = []
        admin, _ = User.objects.get_or_create(
            username=ADMIN_USERNAME,
            defaults={"first_name": "Site", "last_name": "administrator"},
        )
        admin.is_staff = admin.is_superuser = True
        accounts = [(admin, "Site administrator", None)]
        for username, title, role in DEMO_USERS:
            user, _ = User.objects.get_or_create(
                username=username, defaults={"first_name": title, "last_name": "(demo)"}
            )
            accounts.append((user, title, role))
            for agreement in agreements:
                Membership.objects.get_or_create(user=user, agreement=agreement, role=role)
        for user, title, _role in accounts:
            if passwords:
                password = secrets.token_urlsafe(12)
                user.set_password(password)
                issued.append((user.username, title, password))
            else:
                user.set_unusable_password()
            user.save()
        return issued
