from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from partnerships.models import Agreement
from partnerships.permissions import can
from s117.package_file import read_packages, save_packages


class Command(BaseCommand):
    help = (
        "Check an s117 packages file (CSV or XLSX, see docs/import-formats.md) for one "
        "partnership's register and save it, all or nothing: aftercare packages, their "
        "costs and the joint funding panel's decisions. Exits non-zero, printing every "
        "problem, if the file is refused."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--partnership", required=True, help="e.g. bromley-oxleas-mh")
        parser.add_argument("--by", required=True, help="An s117 officer of the partnership.")
        parser.add_argument("--dry-run", action="store_true", help="Check only; save nothing.")

    def handle(self, *args, file: Path, partnership: str, by: str, dry_run: bool, **options):
        agreement = Agreement.objects.filter(slug=partnership).first()
        user = get_user_model().objects.filter(username=by, is_active=True).first()
        if agreement is None or user is None or not can(user, "edit_s117_register", agreement):
            raise CommandError(
                f"{by} is not an s117 officer of a partnership {partnership!r}: nothing was saved."
            )
        try:
            content = file.read_bytes()
        except OSError as error:
            raise CommandError(f"{file} could not be read: {error.strerror}.") from None
        result = read_packages(content, file.name, agreement, today=timezone.localdate())
        if result.problems:
            for problem in result.problems:
                self.stderr.write(str(problem))
            raise CommandError(
                f"{file.name} was refused: {len(result.problems)} problem(s), listed above. "
                "Nothing was saved."
            )
        for change in result.changes:
            if change.kind == "new":
                self.stdout.write(f"  new     {change.person} {change.reference}")
            elif change.kind == "changed":
                what = [*change.changed_fields, *(["funding decision"] if change.decision else [])]
                self.stdout.write(
                    f"  changed {change.person} {change.reference}: {', '.join(what)}"
                )
        summary = (
            f"{agreement.slug}: {result.count('new')} new, {result.count('changed')} changed, "
            f"{result.count('unchanged')} unchanged packages."
        )
        if dry_run:
            self.stdout.write(f"{summary} Dry run: nothing saved.")
            return
        save_packages(
            by=user, agreement=agreement, result=result, path=f"import_s117_packages {file.name}"
        )
        self.stdout.write(self.style.SUCCESS(f"{summary} Saved."))
