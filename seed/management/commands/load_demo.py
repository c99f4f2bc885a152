import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from partnerships.models import Agreement, Membership, Role
from seed import demo
from seed.demo_reports import publish_demo_reports

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
        "Load the demo partnerships from fixtures/demo/ (the seed partnerships Oxfordshire s75 "
        "and Bromley s31, and Riverside, made up and illustrative, with several funds a year), "
        "and one demo user per role. Safe to run again: nothing is duplicated."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset-passwords",
            action="store_true",
            help="Issue new passwords to the demo users even if they exist already.",
        )
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

    def handle(
        self, *args, passwords=True, reset_passwords=False, allow_production=False, **options
    ):
        if settings.PRODUCTION and not allow_production:
            raise CommandError(
                "Refusing to load demo data and demo users into a production database. "
                "Pass --allow-production if this really is a demonstration server."
            )
        try:
            with transaction.atomic():
                stats = demo.load()
                issued, kept = self.create_users(passwords=passwords, reset=reset_passwords)
                published = publish_demo_reports()
        except demo.DemoDataError as error:
            raise CommandError(f"The demo data could not be loaded: {error}") from error

        if options["verbosity"] >= 1:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Demo data loaded: {stats.created} rows created, {stats.updated} updated, "
                    f"{stats.unchanged} already up to date."
                )
            )
            for slug, title in Agreement.objects.filter(slug__in=demo.DEMO_SLUGS).values_list(
                "slug", "short_title"
            ):
                self.stdout.write(f"  {title} ({slug})")
            for title in published:
                self.stdout.write(f"  Published: {title}")
        if issued:
            self.stdout.write("\nDemo users and their passwords (shown once, now):")
            width = max(len(username) for username, _, _ in issued)
            for username, title, password in issued:
                self.stdout.write(f"  {username:<{width}}  {password}  {title}")
            self.stdout.write("")
        if kept and options["verbosity"] >= 1:
            self.stdout.write(
                f"Demo users {', '.join(kept)} already exist and keep their passwords; "
                "run `python manage.py load_demo --reset-passwords` to issue new ones.\n"
            )

    def create_users(self, *, passwords: bool, reset: bool):
        """The demo users, members of the demo partnerships only. An existing account of
        the same name is used as it is: never promoted, and its password kept unless reset."""
        User = get_user_model()
        agreements = list(Agreement.objects.filter(slug__in=demo.DEMO_SLUGS))
        issued, kept = [], []
        admin, admin_created = User.objects.get_or_create(
            username=ADMIN_USERNAME,
            defaults={
                "first_name": "Site",
                "last_name": "administrator",
                "is_staff": True,
                "is_superuser": True,
            },
        )
        accounts = [(admin, admin_created, "Site administrator")]
        for username, title, role in DEMO_USERS:
            user, created = User.objects.get_or_create(
                username=username, defaults={"first_name": title, "last_name": "(demo)"}
            )
            accounts.append((user, created, title))
            for agreement in agreements:
                Membership.objects.get_or_create(user=user, agreement=agreement, role=role)
        for user, created, title in accounts:
            if not (created or reset):
                kept.append(user.username)
                continue
            if passwords:
                password = secrets.token_urlsafe(12)
                user.set_password(password)
                issued.append((user.username, title, password))
            else:
                user.set_unusable_password()
            user.save()
        return issued, kept
