from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from partnerships.permissions import agreements_for
from returns.actions import ReturnRefused, apply_return_changes
from returns.file import read_return


class Command(BaseCommand):
    help = (
        "Check a quarterly return file (CSV or XLSX, see docs/import-formats.md) and save its "
        "figures, all or nothing. Exits non-zero, printing every problem, if it is refused."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--by",
            required=True,
            help="Who the figures are recorded against: a commissioner of the partnership.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and show the changes; save nothing."
        )

    def handle(self, *args, file: Path, by: str, dry_run: bool, **options):
        user = get_user_model().objects.filter(username=by, is_active=True).first()
        if user is None:
            raise CommandError(f"There is no active user {by!r} to record the figures against.")
        try:
            content = file.read_bytes()
        except OSError as error:
            raise CommandError(f"{file} could not be read: {error.strerror}.") from None
        # Only partnerships the user enters figures for: a file naming any other is refused
        # as a partnership that doesn't exist would be.
        result = read_return(content, file.name, within=agreements_for(user, "enter_figures"))
        if result.problems:
            for problem in result.problems:
                self.stderr.write(str(problem))
            raise CommandError(
                f"{file.name} was refused: {len(result.problems)} problem(s), listed above. "
                "Nothing was saved."
            )
        for change in result.changes:
            if change.kind != "unchanged":
                before = "" if change.before is None else f" (was {change.before})"
                self.stdout.write(
                    f"  {change.kind:<9} {change.section} {change.item} {change.measure}: "
                    f"{change.value}{before}"
                )
        summary = (
            f"{result.agreement.slug} {result.quarter.label}: {result.count('new')} new, "
            f"{result.count('changed')} changed, {result.count('unchanged')} unchanged."
        )
        if dry_run:
            self.stdout.write(f"{summary} Dry run: nothing saved.")
            return
        try:
            saved = apply_return_changes(
                by=user,
                agreement=result.agreement,
                quarter=result.quarter,
                changes=result.changes,
                lookups=result.lookups,
            )
        except ReturnRefused as error:
            raise CommandError(f"{error} Nothing was saved.") from None
        self.stdout.write(
            self.style.SUCCESS(f"{summary} Saved; the return is at version {saved.version}.")
        )
