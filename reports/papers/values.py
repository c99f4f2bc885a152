"""The figures in a paper's tables, each a typed value that knows its kind.

A table cell is a `Money`, `Count`, `PeopleCount`, `Percent`, `WTE`, `Date` or `Text`:
the renderer right-aligns the numeric kinds and writes each with `core.formatting`, so
nothing downstream guesses from a cell's text what it holds. `to_data()` gives the plain
data that publishing freezes (ADR 9): the same shape versions have always been stored in,
and never a hidden count's true value outside a draft.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import ClassVar

from core import formatting
from reports import disclosure

Number = Decimal | int


@dataclass(frozen=True, kw_only=True)
class Value:
    """A table cell. `header` makes it its row's header (the first cell, as a rule)."""

    kind: ClassVar[str]
    numeric: ClassVar[bool] = False  # right-aligned, and its column's heading with it
    # Only a protected count of people has these; every cell answers for the template.
    hidden: ClassVar[str] = ""
    true: ClassVar[str] = ""
    rounded_from: ClassVar[str] = ""

    header: bool = False

    @property
    def text(self) -> str:
        raise NotImplementedError

    def to_data(self) -> dict:
        data: dict = {"text": self.text}
        if self.header:
            data["header"] = True
        return data


@dataclass(frozen=True)
class Text(Value):
    value: str
    kind = "text"

    @property
    def text(self) -> str:
        return self.value


class Scale(StrEnum):
    """How a paper rounds money: to the pound, as the seed papers' tables do, or to the penny,
    £k or £m where a paper's convention is that (its table then says so in its note)."""

    PENCE = "pence"
    POUNDS = "pounds"
    THOUSANDS = "thousands"
    MILLIONS = "millions"


SCALE_NOTES = {
    Scale.THOUSANDS: "£k is thousands of pounds, to the nearest thousand.",
    Scale.MILLIONS: "£m is millions of pounds, to one decimal place.",
}
POUNDS_NOTE = (
    "Amounts are rounded to the nearest pound; the figures to the penny are on the budget page."
)
_MONEY_FORMATS = {
    Scale.PENCE: formatting.money,
    Scale.POUNDS: formatting.whole_pounds,
    Scale.THOUSANDS: formatting.thousands_of_pounds,
    Scale.MILLIONS: formatting.millions_of_pounds,
}


@dataclass(frozen=True)
class Money(Value):
    amount: Number | None
    scale: Scale = Scale.POUNDS
    missing: str = formatting.NOTHING
    kind = "money"
    numeric = True

    @property
    def text(self) -> str:
        return _MONEY_FORMATS[self.scale](self.amount, missing=self.missing)


@dataclass(frozen=True)
class HiddenMoney(Money):
    """An amount spent on people whose count a paper hides (`disclosure.protect_amounts`):
    `*` when published; in a draft, the amount too, for officers to check."""

    draft: bool = False
    hidden: ClassVar[str] = "spend"

    @property
    def text(self) -> str:
        return disclosure.SUPPRESSED

    @property
    def true(self) -> str:
        return _MONEY_FORMATS[self.scale](self.amount, missing=self.missing) if self.draft else ""

    def to_data(self) -> dict:
        data = super().to_data()
        data["hidden"] = self.hidden
        if self.true:
            data["true"] = self.true
        return data


@dataclass(frozen=True)
class Count(Value):
    """A count that is not of people (posts, vacancies): never suppressed."""

    value: Number | None
    missing: str = formatting.NOTHING
    kind = "count"
    numeric = True

    @property
    def text(self) -> str:
        return formatting.count(self.value, missing=self.missing)


@dataclass(frozen=True)
class Percent(Value):
    value: Number | None  # already a percentage: 8.75 is 8.75%
    places: int = 1
    missing: str = formatting.NOTHING
    kind = "percent"
    numeric = True

    @property
    def text(self) -> str:
        return formatting.percent(self.value, self.places, missing=self.missing)


@dataclass(frozen=True)
class WTE(Value):
    value: Number | None
    places: int = 1  # the papers write 41.5 WTE
    missing: str = formatting.NOTHING
    kind = "wte"
    numeric = True

    @property
    def text(self) -> str:
        return formatting.wte(self.value, places=self.places, missing=self.missing)


@dataclass(frozen=True)
class Date(Value):
    value: datetime.date | None
    missing: str = formatting.NOTHING
    kind = "date"

    @property
    def text(self) -> str:
        return formatting.long_date(self.value, missing=self.missing)


@dataclass(frozen=True)
class PeopleCount(Value):
    """A count of people as disclosure control publishes it. In a draft it keeps the true
    count of a hidden or rounded figure, for officers to check; published, it has only the
    figure shown."""

    cell: disclosure.Cell
    draft: bool = False
    kind = "people"
    numeric = True

    @property
    def text(self) -> str:
        return self.cell.shown

    @property
    def hidden(self) -> str:
        return self.cell.reason if self.cell.reason in ("small", "secondary") else ""

    @property
    def true(self) -> str:
        return formatting.count(self.cell.true_value) if self.draft and self.hidden else ""

    @property
    def rounded_from(self) -> str:
        rounded = self.draft and self.cell.reason == "rounded"
        return formatting.count(self.cell.true_value) if rounded else ""

    def to_data(self) -> dict:
        data = super().to_data()
        for key in ("hidden", "true", "rounded_from"):
            if getattr(self, key):
                data[key] = getattr(self, key)
        return data
