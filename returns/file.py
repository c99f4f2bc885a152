"""Reading a quarterly return file (CSV or XLSX) and saying what it would change.

The file is long and narrow, one figure a row (docs/import-formats.md):

    partnership,period,section,item,measure,value
    bromley-oxleas-mh,2023/24-Q1,contribution,LBB,forecast,1650000.00

Every problem is reported at once, each naming the row, the column, the value and what
was expected. Nothing here writes to the database: `read_return` returns the changes,
and `returns.actions.apply_return_changes` saves them, all or nothing.
"""

import io
from dataclasses import dataclass, field

import pandas as pd

from core import tabular
from core.periods import parse_period
from core.tabular import Problem
from partnerships import uploads
from partnerships.models import Agreement, Quarter
from returns.models import QuarterlyReturn
from returns.sections import SECTIONS, Change, Context, Figure, Refused

COLUMNS = ("partnership", "period", "section", "item", "measure", "value")
MAX_ROWS = 20_000
MAX_BYTES = 5 * 1024 * 1024
# What an XLSX unpacks to bounds the time it takes to read: openpyxl reads about 36,000
# cells a second here, 1-2 MB of a sheet of short cells. A return of MAX_ROWS figures
# unpacks to about 7 MB; one of 16 MB is read in under 10 seconds, whatever it holds.
LIMITS = tabular.Limits(max_rows=MAX_ROWS, max_bytes=MAX_BYTES, max_unpacked_bytes=16 * 1024 * 1024)


@dataclass
class ReturnFile:
    agreement: Agreement | None = None
    quarter: Quarter | None = None
    changes: list[Change] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    lookups: "Lookups | None" = None  # the rows the changes were read against
    # The file's rows that have a problem, by row number, as read: shown beside the problems.
    problem_rows: dict[int, dict] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems and self.agreement is not None

    def count(self, kind: str) -> int:
        return sum(1 for change in self.changes if change.kind == kind)

    def fingerprint(self) -> str:
        """What a preview of this file shows, as a SHA-256 (partnerships.uploads)."""
        return uploads.fingerprint(
            [
                (c.section, c.item, c.measure, c.value, c.before)
                for c in self.changes
                if c.kind != "unchanged"
            ]
        )


def read_return(content: bytes, filename: str, *, within) -> ReturnFile:
    """Check a return file for one of the partnerships `within` (a queryset of agreements:
    the page's own, or those the user may enter figures for). A file naming any other
    partnership, whether or not it exists, is told the same: nothing about another
    partnership is read, let alone said."""
    result = ReturnFile()
    rows = read_rows(content, filename, result.problems)
    if result.problems and not rows:  # unreadable, or the header is wrong: nothing to check
        return result
    if not rows:
        result.problems.append(Problem(None, None, "", "has no rows of figures under the header."))
        return result
    identify(rows, result, within)
    if result.agreement is None or result.quarter is None:
        return result
    lookups = result.lookups = Lookups(result.agreement, result.quarter)
    seen: dict[tuple[str, str, str], int] = {}
    for number, row in rows:
        if tabular.enough(result.problems):
            break
        key = (row["section"].lower(), row["item"], row["measure"].lower())
        if key in seen:
            result.problems.append(
                Problem(
                    number,
                    "measure",
                    row["measure"],
                    f"repeats row {seen[key]}: give each figure once.",
                )
            )
            continue
        seen[key] = number
        change = lookups.change(number, row, result.problems)
        if change is not None:
            result.changes.append(change)
    result.problems += lookups.check_together(result.changes)
    if result.problems:
        result.changes = []
        numbers = {problem.row for problem in result.problems}
        result.problem_rows = {number: row for number, row in rows if number in numbers}
    return result


def read_rows(content: bytes, filename: str, problems: list[Problem]) -> list[tuple[int, dict]]:
    """The rows as text, numbered as a spreadsheet numbers them. A cell holding a formula is
    refused; text the product wrote after an apostrophe (`tabular.defuse`) is read without it."""
    rows = []
    try:
        for row in tabular.read_table(content, filename, COLUMNS, LIMITS):
            if tabular.enough(problems):
                return []
            refused = row.problems()
            problems.extend(refused)
            if not refused:
                rows.append((row.number, row.typed()))
    except tabular.Unreadable as error:
        problems.append(error.problem)
        return []
    return rows


def identify(rows, result: ReturnFile, within) -> None:
    """Which partnership and quarter the file is for: the same on every row."""
    first_number, first = rows[0]
    # Slugs and quarters are unique: found without the models' orderings.
    agreement = within.filter(slug=first["partnership"]).order_by().first()
    if agreement is None:
        examples = list(within.order_by("slug").values_list("slug", flat=True)[:2])
        expected = (
            f"this page is for {examples[0]}"
            if len(examples) == 1
            else "give the short name of a partnership whose returns you enter"
        )
        result.problems.append(
            Problem(
                first_number,
                "partnership",
                first["partnership"],
                f"is not a partnership this file can be for: {expected}. Download the "
                "return's template to see how it is written.",
            )
        )
    try:
        period = parse_period(first["period"])
        if period.quarter is None:
            raise ValueError("a quarter is needed, such as 2023/24-Q1.")
        quarter = (
            Quarter.objects.select_related("financial_year")
            .filter(financial_year__start_year=period.start_year, number=period.quarter)
            .order_by()
            .first()
        )
        if quarter is None:
            raise ValueError("is a quarter outside the years this service holds.")
    except ValueError as error:
        result.problems.append(Problem(first_number, "period", first["period"], str(error)))
        quarter = None
    for number, row in rows[1:]:
        for column, expected in (
            ("partnership", first["partnership"]),
            ("period", first["period"]),
        ):
            if row[column] != expected:
                result.problems.append(
                    Problem(
                        number,
                        column,
                        row[column],
                        f"differs from row {first_number} ({expected!r}): "
                        "a file holds one partnership's quarter.",
                    )
                )
    result.agreement, result.quarter = agreement, quarter


class Lookups(Context):
    """What the partnership holds for the quarter, loaded once, one section at a time: each
    row of a file (or field of the form) is checked against it, and `apply_return_changes`
    saves into the same rows. Ordering is left out of every query: these are looked up by
    key, never listed in order."""

    def __init__(self, agreement: Agreement, quarter: Quarter):
        super().__init__(agreement, quarter)
        self.used = False  # saved into by apply_return_changes, which takes them only once
        # The return's version as these rows were read: a save after that refuses a save
        # made from them (1 before the return's first save, as the return starts at 1).
        self.version = (
            QuarterlyReturn.objects.filter(agreement=agreement, quarter=quarter)
            .order_by()  # one row at most: without the model's ordering and its joins
            .values_list("version", flat=True)
            .first()
        ) or 1
        self.sections = {section.name: section(self) for section in SECTIONS}

    def figures(self) -> list[Figure]:
        """Every figure the return can hold, section by section, with its value now."""
        return [figure for section in self.sections.values() for figure in section.figures()]

    def anything_recorded(self) -> bool:
        return any(section.recorded() for section in self.sections.values())

    def section(self, name: str):
        return self.sections[name]

    def change(self, number: int, row: dict, problems: list[Problem]) -> Change | None:
        """The change a file's row makes, or None with its problem said. A blank value
        records nothing: the template lists every figure, most of them still to fill."""
        section = self.sections.get(row["section"].lower())
        if section is None:
            expected = f"use {', '.join(self.sections)}."
            if row["section"] == "":
                expected = f"is blank: {expected}"
            else:
                expected = f"is not a section: {expected}"
            problems.append(Problem(number, "section", row["section"], expected))
            return None
        try:
            figure = section.find(row["item"], row["measure"].lower())
        except Refused as refused:
            problems.append(Problem(number, refused.column, row[refused.column], refused.expected))
            return None
        if row["value"] == "":
            return None
        return self.read(section, figure, row["value"], number, problems)

    def read(self, section, figure: Figure, text: str, number, problems) -> Change | None:
        try:
            value = section.read(figure, text)
        except Refused as refused:
            problems.append(
                Problem(number, refused.column, text[:40], refused.expected, figure.label)
            )
            return None
        return Change(
            number, figure.section, figure.item, figure.measure, value, figure.value, figure
        )

    def check_together(self, changes: list[Change]) -> list[Problem]:
        return [
            Problem(change.row, "measure", change.measure, expected, change.label)
            for section in self.sections.values()
            for change, expected in section.check_together(changes)
        ]


def template_rows(agreement: Agreement, quarter: Quarter) -> list[dict[str, str]]:
    """Every figure a return for this partnership and quarter can hold, with the value
    stored now (blank where there is none): the file to fill in and upload."""
    base = {"partnership": agreement.slug, "period": quarter.label}
    return [
        base | {"section": f.section, "item": f.item, "measure": f.measure, "value": f.text}
        for f in Lookups(agreement, quarter).figures()
    ]


def changes_as_rows(agreement, quarter, changes: list[Change]) -> list[dict[str, str]]:
    """Changes as the rows of a return file: how a form's figures are held until saved."""
    base = {"partnership": agreement.slug, "period": quarter.label}
    return [
        base | {"section": c.section, "item": c.item, "measure": c.measure, "value": str(c.value)}
        for c in changes
    ]


def template_bytes(rows: list[dict[str, str]], *, xlsx: bool) -> bytes:
    """The rows as a CSV or XLSX file, each text cell written so that no spreadsheet runs it
    as a formula (read back by `read_rows` as it was)."""
    frame = pd.DataFrame(
        [{column: tabular.defuse(row[column]) for column in COLUMNS} for row in rows],
        columns=list(COLUMNS),
    )
    buffer = io.BytesIO()
    if xlsx:
        frame.to_excel(buffer, index=False, sheet_name="Return")
    else:
        buffer.write(frame.to_csv(index=False).encode("utf-8"))
    return buffer.getvalue()
