from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from partnerships.models import Agreement
from partnerships.permissions import can
from s117.actions import RegisterChanged, apply_register_changes
from s117.register_file import read_register


class Command(BaseCommand):
    help = (
        "Check an s117 register file (CSV or XLSX, see docs/import-formats.md) for one "
        "partnership and save it, all or nothing. People left out of the file are reported, "
        "never ended. Exits non-zero, printing every problem, if the file is refused."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--partnership", required=True, help="e.g. bromley-oxleas-mh")
        parser.add_argument("--by", required=True, help="An s117 officer of the partnership.")
        parser.add_argument("--dry-run", action="store_true", help="Check only; save nothing.")

    def handle(self, *args, file: Path, partnership: str, by: str, dry_run: bool, **options):
        agreement = Agreement.objects.filter(slug=partnership).first()
        if agreement is None:
            raise CommandError(f"There is no partnership {partnership!r}.")
        user = get_user_model().objects.filter(username=by, is_active=True).first()
        if user is None or not can(user, "edit_s117_register", agreement):
            raise CommandError(f"{by} is not an s117 officer of {agreement}: nothing was saved.")
        try:
            content = file.read_bytes()
        except OSError as error:
            raise CommandError(f"{file} could not be read: {error.strerror}.") from None
        result = read_register(content, file.name, agreement, today=timezone.localdate())
        if result.problems:
            for problem in result.problems:
                self.stderr.write(str(problem))
            raise CommandError(
                f"{file.name} was refused: {len(result.problems)} problem(s), listed above. "
                "Nothing was saved."
            )
        for change in result.changes:
            if change.kind == "changed":
                self.stdout.write(
                    f"  changed {change.reference}: {', '.join(change.changed_fields)}"
                )
            elif change.kind == "new":
                self.stdout.write(f"  new     {change.reference}")
        if result.not_listed:
            self.stdout.write(
                f"  Not in the file, left as they are (an entitlement ends only by a joint "
                f"decision recorded on its row): {', '.join(result.not_listed)}"
            )
        summary = (
            f"{agreement.slug}: {result.count('new')} new, {result.count('changed')} changed, "
            f"{result.count('unchanged')} unchanged, {len(result.not_listed)} not listed."
        )
        if dry_run:
            self.stdout.write(f"{summary} Dry run: nothing saved.")
            return
        try:
            apply_register_changes(
                by=user,
                agreement=agreement,
                changes=result.changes,
                path=f"import_s117 {file.name}",
                file_name=file.name,
            )
        except RegisterChanged as error:
            raise CommandError(f"{error} Nothing was saved.") from None
        self.stdout.write(self.style.SUCCESS(f"{summary} Saved."))
