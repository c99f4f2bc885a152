"""What a section of a quarterly return is: one kind of figure, declared in one place.

A section (contributions, caseload, Care Act activity, KPIs, the action plan, and any
added later) says, in its own module:

- which figures a return for a partnership and quarter can hold (`figures`), each with
  the label the pages show, the kind of value it takes and the value stored now: the
  template's rows and the form's fields are these;
- how a figure named in a file is found (`find`), refusing an item or measure it doesn't
  know, and how a typed value is read (`read`), refusing a bad one with what was expected;
- any check across its figures (`check_together`);
- how a change is written (`write`, then `finish`), into the rows it loaded, with history;
- where its history lives and how each historical row is named (`history`).

The file reader, the form, the template, the writer, the history page and the preview
reach sections only through `returns.sections.SECTIONS`; nothing names a section by a
string elsewhere.
"""

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cached_property

from core import formatting

MAX_MONEY = Decimal("999999999999.99")
MAX_COUNT = 1_000_000
MAX_NOTE = 2000
_MONEY = re.compile(r"^\d+(\.\d{1,2})?$")
_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


class Kind:
    """What a figure's value is: how it is read, and how it is shown."""

    MONEY = "money"
    COUNT = "count"
    NUMBER = "number"
    PERCENT = "percent"
    CHOICE = "choice"
    NOTE = "note"
    DATE = "date"
    NUMERIC = (MONEY, COUNT, NUMBER, PERCENT)


@dataclass(frozen=True)
class Figure:
    """One figure a return can hold, as the pages name it."""

    section: str
    item: str
    measure: str
    label: str  # "KPI 1 Care Act assessments within 28 days"
    kind: str
    value: object = None  # stored now; None when nothing is recorded
    choices: tuple[tuple[str, str], ...] = ()  # (code, label) for Kind.CHOICE

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.section, self.item, self.measure)

    @property
    def text(self) -> str:
        """The value as a file holds it: blank where nothing is recorded."""
        return "" if self.value is None else str(self.value)

    def shown(self, value) -> str:
        """A value of this figure as a person reads it: £1,650,000.00, 82.5%, In progress."""
        if value is None or value == "":
            return formatting.NOT_RECORDED
        if self.kind == Kind.MONEY:
            return formatting.money(value)
        if self.kind == Kind.COUNT:
            return formatting.count(value)
        if self.kind == Kind.PERCENT:
            return f"{formatting.measure(value, places=2).removesuffix('.00')}%"
        if self.kind == Kind.NUMBER:
            return formatting.measure(value, places=2).removesuffix(".00")
        if self.kind == Kind.CHOICE:
            return dict(self.choices).get(value, str(value))
        if self.kind == Kind.DATE:
            return formatting.long_date(value)
        return str(value)


@dataclass(frozen=True)
class Change:
    """A figure's value in a return, with the value stored before it (None if none)."""

    row: int | None  # the file's row; None when entered in the form
    section: str
    item: str
    measure: str
    value: object
    before: object
    figure: Figure | None = None

    @property
    def kind(self) -> str:
        if self.before is None:
            return "new"
        return "unchanged" if self.before == self.value else "changed"

    @property
    def label(self) -> str:
        return self.figure.label if self.figure else f"{self.item} {self.measure}"

    def shown(self, value) -> str:
        return self.figure.shown(value) if self.figure else str(value)

    @property
    def shown_before(self) -> str:
        return self.shown(self.before)

    @property
    def shown_value(self) -> str:
        return self.shown(self.value)


@dataclass(frozen=True)
class Source:
    """Where some of a section's figures keep their history, and how a historical row is
    named: the history page and the figures as signed off read these."""

    model: type
    related: tuple[str, ...]  # joined for the labels, so naming rows costs no query
    label: object  # a historical row -> [(figure's label, value), ...]
    in_quarter: object  # (agreement, quarter) -> filter kwargs for the quarter's rows


class Refused(Exception):
    """A cell of a return that can't be taken: the column it is in and what was expected."""

    def __init__(self, column: str, expected: str):
        super().__init__(expected)
        self.column, self.expected = column, expected


class Context:
    """A partnership's quarter, as every section of its return reads it: rows more than one
    section needs (the teams) are read once, when the first asks for them."""

    def __init__(self, agreement, quarter):
        self.agreement, self.quarter = agreement, quarter
        self.as_at = quarter.end_date

    @cached_property
    def teams(self) -> dict:
        return {team.name: team for team in self.agreement.teams.order_by()}


class Section:
    """One kind of figure. A subclass sets `name` (the file's section column), `title` (the
    form's heading for it) and `history`, and loads what it holds in `__init__`."""

    name = ""
    title = ""
    history: tuple[Source, ...] = ()  # one per model holding its figures

    def __init__(self, context: Context):
        self.context = context

    def figures(self) -> list[Figure]:
        """Every figure a return for the quarter can hold, in the order the form and the
        template list them."""
        raise NotImplementedError

    def form_figures(self) -> list[Figure]:
        """The figures the section's own page of the task list offers: its figures, and
        any a person may add there that the template leaves out until they are given."""
        return self.figures()

    def cannot_start_because(self) -> str:
        """Why the section has no figures to enter for the quarter."""
        return "There is nothing to enter in this section for this partnership yet."

    def planned(self, figure: Figure):
        """What the figure was planned to be, where the partnership plans it (None)."""
        return None

    def recorded(self) -> bool:
        """Whether the quarter holds any of this section's figures yet."""
        return any(figure.value is not None for figure in self.figures())

    def find(self, item: str, measure: str) -> Figure:
        """The figure a file's row names; raises Refused naming the column that is wrong."""
        raise NotImplementedError

    def read(self, figure: Figure, text: str):
        """The value typed for a figure; raises Refused (column value) if it can't be one."""
        return read_value(figure, text)

    def check_together(self, changes: list[Change]) -> list[tuple[Change, str]]:
        """Problems only seen across a return's figures: (the change, what was expected)."""
        return []

    def write(self, writer, change: Change) -> None:
        """Set the change on the row it goes in (writer.held / writer.touch)."""
        raise NotImplementedError

    def finish(self, writer) -> None:
        """After every change is set: rows that depend on several of them."""

    @staticmethod
    def pick(choices: dict, value: str, what: str):
        """The row a file's item names, or Refused saying which are known."""
        if value in choices:
            return choices[value]
        known = ", ".join(sorted(choices)) or "none recorded"
        if value == "":
            raise Refused("item", f"is blank: give {what} (known: {known}).")
        raise Refused("item", f"is not {what} of this partnership (known: {known}).")


def read_value(figure: Figure, text: str):
    """A cell's text as the figure's kind of value, or Refused saying what was expected."""
    readers = {
        Kind.MONEY: money,
        Kind.COUNT: count,
        Kind.NUMBER: number,
        Kind.PERCENT: percentage,
        Kind.CHOICE: lambda text: choice(text, figure.choices),
        Kind.NOTE: note,
        Kind.DATE: day,
    }
    return readers[figure.kind](text)


def money(text: str) -> Decimal:
    plain = text.replace(",", "").replace("£", "").strip()
    if plain.startswith("-"):
        raise Refused("value", "is negative: money here can't be below £0.")
    if not _MONEY.match(plain):
        raise Refused(
            "value",
            "should be an amount in pounds, such as 1650000.00 (at most 2 decimal places).",
        )
    amount = Decimal(plain)
    if amount > MAX_MONEY:
        raise Refused("value", f"is larger than £{MAX_MONEY:,}: check it.")
    return amount.quantize(Decimal("0.01"))


def count(text: str) -> int:
    plain = text.replace(",", "")
    if plain.endswith(".0"):  # spreadsheets store whole numbers as 12.0
        plain = plain[:-2]
    if not plain.isdigit() or not plain.isascii():
        raise Refused("value", "should be a whole number of 0 or more, such as 140.")
    value = int(plain)
    if value > MAX_COUNT:
        raise Refused("value", f"is more than {MAX_COUNT:,}: check it.")
    return value


def number(text: str) -> Decimal:
    plain = text.replace(",", "").rstrip("%").strip()
    try:
        value = Decimal(plain) if _NUMBER.match(plain) else None
    except InvalidOperation:
        value = None
    if value is None:
        raise Refused("value", "should be a number, such as 82.5.")
    if abs(value) >= Decimal("1e10") or value != value.quantize(Decimal("0.01")):
        raise Refused(
            "value", "should have at most 2 decimal places and fewer than 10 digits before them."
        )
    return value


def percentage(text: str) -> Decimal:
    value = number(text)
    if not (0 <= value <= 100):
        raise Refused("value", "is a percentage, so it should be from 0 to 100.")
    return value


def choice(text: str, choices: tuple[tuple[str, str], ...]) -> str:
    """A code or its label, in any case: in_progress or In progress."""
    known = {code: code for code, _ in choices} | {label.lower(): code for code, label in choices}
    found = known.get(text.lower())
    if found is None:
        listed = ", ".join(f"{label} ({code})" for code, label in choices)
        raise Refused("value", f"should be one of: {listed}.")
    return found


def day(text: str) -> datetime.date:
    """A date as 2023-11-30 or 30/11/2023 (a spreadsheet's date cell reads as the first)."""
    plain = text.strip().removesuffix(" 00:00:00")
    for layout in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.datetime.strptime(plain, layout).date()
        except ValueError:
            continue
    raise Refused("value", "should be a date, such as 2023-11-30 or 30/11/2023.")


def note(text: str) -> str:
    """A note as typed. One starting like a formula is refused by its section, which knows
    whether it is the note already stored (written safely by the product, read back as it
    was) or new text."""
    if len(text) > MAX_NOTE:
        raise Refused("value", f"should be a note of 1 to {MAX_NOTE} characters.")
    return text
