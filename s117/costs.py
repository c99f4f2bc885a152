"""What s117 aftercare costs, and who pays it: a package's spend in a financial year
(April to March), day by day at its weekly or annual rate, split between the council and
the ICB as the joint funding panel's decision in force each day says (the entry's own
split before the first decision), to the penny.

A weekly cost is a seventh of it a day; an annual cost is spread over the days of the
financial year it is spent in, so a year's package costs its annual figure exactly in a
year of 366 days too. Each run of days under one split and one year is costed and rounded
to the penny (half up); the council's part of it is rounded, and the ICB's is the rest, so
the two always add up to the cost and every total is a sum of pennies.

Pure functions of the rows given: the selectors read the rows (in a fixed number of
queries) and hand them here.
"""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from core.periods import financial_year_dates, financial_year_start

PENNY = Decimal("0.01")
ZERO = Decimal("0.00")


def _pennies(value: Decimal) -> Decimal:
    return value.quantize(PENNY, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Spend:
    """Money spent, and who paid it: the council's and the ICB's parts add up to the total."""

    council: Decimal = ZERO
    icb: Decimal = ZERO

    @property
    def total(self) -> Decimal:
        return self.council + self.icb

    def __add__(self, other: "Spend") -> "Spend":
        return Spend(self.council + other.council, self.icb + other.icb)


@dataclass(frozen=True)
class Split:
    """The council's percentage of a package's cost from a day (the ICB pays the rest)."""

    applies_from: datetime.date
    council_percent: Decimal


def split_on(day: datetime.date, splits: list[Split], default: Decimal) -> Decimal:
    """The council's percentage in force on `day`: the latest split from that day or
    before, or the entry's own where none is."""
    percent = default
    for split in sorted(splits, key=lambda s: s.applies_from):
        if split.applies_from <= day:
            percent = split.council_percent
    return percent


def cost_of_days(package, first: datetime.date, last: datetime.date) -> Decimal:
    """The cost of a package from `first` to `last` (both included), days of one financial
    year, unrounded."""
    days = (last - first).days + 1
    if days <= 0:
        return Decimal(0)
    if package.weekly_cost is not None:
        return package.weekly_cost * days / 7
    year_start, year_end = financial_year_dates(financial_year_start(first))
    return package.annual_cost * days / ((year_end - year_start).days + 1)


def spend_in_year(
    package,
    splits: list[Split],
    default_percent: Decimal,
    start_year: int,
    *,
    through: datetime.date | None = None,
) -> Spend:
    """A package's spend in the financial year starting in April of `start_year`, up to
    and including `through`, split by who pays. Without `through`, the year's projected
    full cost: the package running on as it is, to its end date or the year's end."""
    year_start, year_end = financial_year_dates(start_year)
    first = max(package.start_date, year_start)
    last = min(package.end_date or year_end, year_end, through or year_end)
    if last < first:
        return Spend()
    # The runs of days under one split: a split that starts inside the range cuts it.
    cuts = sorted({s.applies_from for s in splits if first < s.applies_from <= last})
    spend = Spend()
    starts = [first, *cuts]
    ends = [cut - datetime.timedelta(days=1) for cut in cuts] + [last]
    for run_first, run_last in zip(starts, ends, strict=True):
        cost = _pennies(cost_of_days(package, run_first, run_last))
        council = _pennies(cost * split_on(run_first, splits, default_percent) / 100)
        spend += Spend(council, cost - council)
    return spend
