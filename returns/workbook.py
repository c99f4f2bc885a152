"""The return's template as a workbook a finance or performance officer fills in as they do
the national returns: the cells to fill unlocked, yellow and formatted for their kind of
value, a list to choose from where the value is a code, and a guidance sheet naming each
row's figure as the pages do.

The first sheet keeps the file format's six columns (docs/import-formats.md) and nothing
past them, so the workbook uploads back as it is: the reader reads the first sheet only.
"""

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.worksheet.datavalidation import DataValidation

from core import tabular
from returns.file import COLUMNS, Lookups
from returns.sections import Figure, Kind

NUMBER_FORMATS = {
    Kind.MONEY: "#,##0.00",
    Kind.COUNT: "#,##0",
    Kind.NUMBER: "#,##0.00",
    Kind.PERCENT: "0.00",
}
WIDTHS = {"partnership": 22, "period": 12, "section": 13, "item": 34, "measure": 24, "value": 18}
TO_FILL = PatternFill("solid", fgColor="FFF7BF")  # the cells to fill in, as GOV.UK's yellow
BOLD = Font(bold=True)
GUIDANCE = (
    "How to fill in this return",
    "",
    "Fill in the yellow cells of the Return sheet, in the value column: one figure a row.",
    "Leave a cell blank to record nothing for that figure; a figure already recorded is",
    "shown, and uploading it unchanged changes nothing.",
    "Money is in pounds, to the penny at most (1650000.00). Counts are whole numbers.",
    "A percentage is a number from 0 to 100, without the % sign.",
    "An action's status is chosen from the list in its cell.",
    "Don't add, remove or rename columns, and don't type formulas: type the values.",
    "Upload the file on the return's page: you will see what it changes before anything",
    "is saved. The file format is described in the service's import formats guide.",
)


def template_workbook(agreement, quarter) -> bytes:
    """Every figure the return can hold, with its value now, as a workbook to fill in."""
    figures = Lookups(agreement, quarter).figures()
    book = Workbook()
    sheet = book.active
    sheet.title = "Return"
    _figures_sheet(sheet, agreement, quarter, figures)
    _guidance_sheet(book.create_sheet("Guidance"), figures)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _figures_sheet(sheet, agreement, quarter, figures: list[Figure]) -> None:
    sheet.append(list(COLUMNS))
    for cell in sheet[1]:
        cell.font = BOLD
    for figure in figures:
        sheet.append(
            [
                agreement.slug,
                quarter.label,
                figure.section,
                tabular.defuse(figure.item),
                figure.measure,
                _value(figure),
            ]
        )
    for index, column in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[sheet.cell(1, index).column_letter].width = WIDTHS[column]
    sheet.freeze_panes = "A2"
    _unlock_values(sheet, figures)
    sheet.protection.sheet = True  # no password: it guards against slips, not people


def _value(figure: Figure):
    """Numbers as numbers, so the sheet can add them up; text safe from formulas."""
    if figure.value is None:
        return None
    if figure.kind in Kind.NUMERIC:
        return figure.value
    return tabular.defuse(str(figure.value))


def _unlock_values(sheet, figures: list[Figure]) -> None:
    """The value column is the one to fill: unlocked, yellow, formatted for its figure, with
    a list to choose from where the figure takes a code."""
    value_column = COLUMNS.index("value") + 1
    lists: dict[tuple, DataValidation] = {}
    for row, figure in enumerate(figures, start=2):
        cell = sheet.cell(row, value_column)
        cell.protection = Protection(locked=False)
        cell.fill = TO_FILL
        if figure.kind in NUMBER_FORMATS:
            cell.number_format = NUMBER_FORMATS[figure.kind]
        if figure.kind == Kind.NOTE:
            cell.alignment = Alignment(wrap_text=True)
        if figure.kind == Kind.CHOICE:
            codes = tuple(code for code, _ in figure.choices)
            if codes not in lists:
                lists[codes] = DataValidation(
                    type="list",
                    formula1=f'"{",".join(codes)}"',
                    allow_blank=True,
                    showErrorMessage=True,
                    errorTitle="Choose from the list",
                    error=f"Choose one of {', '.join(codes)}.",
                )
                sheet.add_data_validation(lists[codes])
            lists[codes].add(cell)


def _guidance_sheet(sheet, figures: list[Figure]) -> None:
    """The guidance, then each row's figure as the pages name it."""
    for line in GUIDANCE:
        sheet.append([line])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([])
    sheet.append(["Row on the Return sheet", "Figure", "What to enter"])
    header = sheet.max_row
    for cell in sheet[header]:
        cell.font = BOLD
    for row, figure in enumerate(figures, start=2):
        sheet.append([row, tabular.defuse(figure.label), _expected(figure)])
    sheet.column_dimensions["A"].width = 24
    sheet.column_dimensions["B"].width = 70
    sheet.column_dimensions["C"].width = 48


def _expected(figure: Figure) -> str:
    return {
        Kind.MONEY: "Pounds, to the penny at most",
        Kind.COUNT: "A whole number",
        Kind.NUMBER: "A number, to 2 decimal places at most",
        Kind.PERCENT: "A percentage from 0 to 100",
        Kind.CHOICE: "One of " + ", ".join(code for code, _ in figure.choices),
        Kind.NOTE: "Text, up to 2,000 characters",
        Kind.DATE: "A date, such as 2023-11-30",
    }[figure.kind]
