"""The s117 register's downloads, as CSV and as XLSX: the people an officer found, and the
breakdowns of people and spend (s117.breakdowns). Each is built here from rows already
read; the pages log the download (s117.actions.record_export) before handing it over.

The two formats hold the same cells. In CSV every cell is text: a date as 2026-12-03, money
to the penny as 1234.56. In XLSX each cell is typed: dates are dates, the council's share a
number and money a number to the penny (written from its Decimal, digit for digit) shown
as pounds. Text is defused against formulas in both (core.tabular.defuse): a name
starting with "=" is written after an apostrophe, as a spreadsheet shows text.
"""

import datetime
import io
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from core import tabular
from s117.costs import PENNY

FORMATS = ("csv", "xlsx")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
DATE_FORMAT = "yyyy-mm-dd"
SHARE_FORMAT = "0.00"
MONEY_FORMAT = '"£"#,##0.00'
BOLD = Font(bold=True)

REGISTER_COLUMNS = (
    "person_reference",
    "nhs_number",
    "team",
    "qualifying_section",
    "discharged_on",
    "review_due",
    "review_overdue",
    "cto_in_force",
    "primary_support_reason",
    "council_share_percent",
    "ended_on",
)
BREAKDOWN_COLUMNS = (
    "table",
    "label",
    "people",
    "spend_to_date",
    "spend_to_date_council",
    "spend_to_date_icb",
    "full_year_spend",
    "full_year_council",
    "full_year_icb",
    "financial_year",
    "as_at",
)
MONEY_COLUMNS = frozenset(BREAKDOWN_COLUMNS[3:9])


def register_rows(entries) -> list[tuple]:
    """Each person's cells, typed: text, dates (or None) and the share as a Decimal. The
    entries are those of s117.selectors.people, each marked `overdue`."""
    return [
        (
            e.person_reference,
            e.nhs_number,
            e.team.name if e.team else "",
            e.qualifying_section,
            e.discharged_on,
            e.review_due,
            "yes" if e.overdue else "no",
            "yes" if e.cto_in_force else "no",
            e.primary_support_reason,
            e.council_share_percent,
            e.ended_on,
        )
        for e in entries
    ]


def breakdown_rows(found: dict, day: datetime.date) -> list[tuple]:
    """Every line of every breakdown table, then its total, as s117.breakdowns has them:
    people as a count and money as Decimals to the penny, by who pays."""
    rows = []
    for table in found["tables"]:
        for line in [*table.lines, table.total]:
            rows.append(
                (
                    table.title,
                    line.label,
                    line.count,
                    line.to_date.total,
                    line.to_date.council,
                    line.to_date.icb,
                    line.full_year.total,
                    line.full_year.council,
                    line.full_year.icb,
                    found["year_label"],
                    day,
                )
            )
    return rows


def as_file(file_format: str, columns: tuple[str, ...], rows: list[tuple], *, sheet: str) -> bytes:
    """The rows under a header of `columns`, as a CSV or an XLSX file."""
    if file_format == "xlsx":
        return _xlsx(columns, rows, sheet)
    return tabular.write_csv(columns, ([_csv_cell(value) for value in row] for row in rows))


def _csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value.quantize(PENNY), "f")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return tabular.defuse(str(value))


def _xlsx(columns: tuple[str, ...], rows: list[tuple], title: str) -> bytes:
    # Write-only: a register of 50,000 people is written a row at a time, not held as cells.
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title)
    header = []
    for name in columns:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = BOLD
        header.append(cell)
    sheet.append(header)
    for row in rows:
        sheet.append(
            [_xlsx_cell(sheet, name, value) for name, value in zip(columns, row, strict=True)]
        )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _xlsx_cell(sheet, column: str, value):
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, str):
        return tabular.defuse(value)
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, Decimal):
        # openpyxl writes a number to 16 significant digits: any sum of pennies under
        # £10 trillion is written as its own digits, 1234.56 as 1234.56.
        cell.value = value.quantize(PENNY)
        cell.number_format = MONEY_FORMAT if column in MONEY_COLUMNS else SHARE_FORMAT
    elif isinstance(value, datetime.date):
        cell.number_format = DATE_FORMAT
    return cell
