"""A financial year's Care Act activity from the figures reported for it: the year's own
figure, its quarters and its months. Pure arithmetic on plain values (no queries).

A year's figure is shown as reported. The sum of its quarters or months is a total only
when every one of them was reported (a month nobody reported is not 0, ADR 0019); until
then the sum says which are missing. Where a complete sum differs from the reported year,
`differs` says so, for the data-quality check (dashboards.quality.activity_year_differs).
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

MONTH_NAMES = (
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
    "January",
    "February",
    "March",
)
TENTH = Decimal("0.1")


@dataclass(frozen=True)
class PartSum:
    """The reported parts of a year (quarters or months) added up, and those missing."""

    total: int | None  # the reported parts added up; None if none was reported
    missing: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return self.total is not None and not self.missing


@dataclass(frozen=True)
class MonthlyAverage:
    """An average a month derived from other figures, with what it was derived from."""

    value: Decimal
    derived_from: str  # "the year's reported figure / 12", "the 12 months reported"


@dataclass(frozen=True)
class YearFigures:
    year: int | None  # the year's figure as reported
    quarters: PartSum
    months: PartSum
    average_a_month: MonthlyAverage | None

    @property
    def differs(self) -> list[tuple[str, int]]:
        """The complete sums that disagree with the reported year: [("quarters", 212)]."""
        if self.year is None:
            return []
        return [
            (name, part.total)
            for name, part in (("quarters", self.quarters), ("months", self.months))
            if part.complete and part.total != self.year
        ]


def part_sum(values: dict[int, int | None], names: list[str]) -> PartSum:
    """`values` by part number (1 = Q1 or April), None or absent where not reported."""
    reported = [values[n] for n in range(1, len(names) + 1) if values.get(n) is not None]
    missing = [names[n - 1] for n in range(1, len(names) + 1) if values.get(n) is None]
    return PartSum(sum(reported) if reported else None, missing)


def average_a_month(year: int | None, months: PartSum) -> MonthlyAverage | None:
    """The year's figure over 12 months, or, with no year's figure, the 12 months' total
    over 12. Never an average over part of a year presented as the year's."""
    if year is not None:
        return MonthlyAverage(_tenth(Decimal(year) / 12), "the year's reported figure ÷ 12")
    if months.complete:
        return MonthlyAverage(_tenth(Decimal(months.total) / 12), "the 12 months reported ÷ 12")
    return None


def year_figures(
    year: int | None, quarters: dict[int, int | None], months: dict[int, int | None]
) -> YearFigures:
    by_month = part_sum(months, list(MONTH_NAMES))
    return YearFigures(
        year,
        part_sum(quarters, ["Q1", "Q2", "Q3", "Q4"]),
        by_month,
        average_a_month(year, by_month),
    )


def _tenth(value: Decimal) -> Decimal:
    return value.quantize(TENTH, rounding=ROUND_HALF_UP)
