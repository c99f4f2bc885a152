from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from partnerships.models import Agreement
from partnerships.selectors import quarter_for
from returns.file import template_bytes, template_rows
from returns.workbook import template_workbook


class Command(BaseCommand):
    help = (
        "Write the return file for a partnership's quarter, pre-filled with every figure it "
        "can hold and its current value (CSV or XLSX, by the output file's extension)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "partnership", help="The partnership's short name, e.g. bromley-oxleas-mh."
        )
        parser.add_argument("--period", required=True, help="The quarter, e.g. 2023/24-Q1.")
        parser.add_argument("-o", "--output", type=Path, required=True)

    def handle(self, *args, partnership: str, period: str, output: Path, **options):
        agreement = Agreement.objects.filter(slug=partnership).first()
        if agreement is None:
            raise CommandError(f"There is no partnership {partnership!r}.")
        try:
            quarter = quarter_for(period)
        except ValueError as error:
            raise CommandError(str(error)) from None
        if quarter is None or "-Q" not in period:
            raise CommandError(f"{period!r} is not a quarter this service holds, e.g. 2023/24-Q1.")
        if output.suffix.lower() not in (".csv", ".xlsx"):
            raise CommandError("The output file must end in .csv or .xlsx.")
        rows = template_rows(agreement, quarter)
        if output.suffix.lower() == ".xlsx":
            output.write_bytes(template_workbook(agreement, quarter))
        else:
            output.write_bytes(template_bytes(rows, xlsx=False))
        self.stdout.write(f"{len(rows)} rows written to {output}.")
