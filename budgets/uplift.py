"""Agreement value projected year by year with a compound uplift (indexation).

Each year's value is the previous year's value uplifted and rounded to whole pounds
(half up), which is how the Bromley decision report builds its table: £1,780,440 at
2.5% gives £1,824,951, then £1,870,575, then £1,917,339. A flat extension (0% uplift)
carries the value on unchanged, pence and all.
"""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

ONE_POUND = Decimal("1")


def whole_pounds(amount: Decimal) -> Decimal:
    return amount.quantize(ONE_POUND, rounding=ROUND_HALF_UP)


def uplift_once(value: Decimal, rate: Decimal) -> Decimal:
    """A year's value uplifted and rounded to whole pounds. With no uplift (a flat
    extension) the value carries on as it is, to the penny: nothing was uplifted to round."""
    if rate < 0:
        raise ValueError(f"An uplift rate can't be negative (got {rate}).")
    if rate == 0:
        return value
    return whole_pounds(value * (1 + rate))


def anniversary(day: datetime.date, years: int) -> datetime.date:
    """The same day `years` later; 29 February falls back to 28 February."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


@dataclass(frozen=True)
class YearValue:
    """The agreement's value for the agreement year that ends on `year_ending`."""

    year_ending: datetime.date
    value: Decimal

    @property
    def label(self) -> str:
        return str(self.year_ending.year)


def project(
    base_value: Decimal, rate: Decimal, *, base_year_ending: datetime.date, years: int
) -> list[YearValue]:
    """The `years` agreement years after the base year, each uplifted from the one before."""
    if base_value < 0:
        raise ValueError(f"An agreement value can't be negative (got {base_value}).")
    values, value = [], base_value
    for offset in range(1, years + 1):
        value = uplift_once(value, rate)
        values.append(YearValue(anniversary(base_year_ending, offset), value))
    return values


def years_ending_within(
    years: list[YearValue], start: datetime.date, end: datetime.date
) -> list[YearValue]:
    return [year for year in years if start <= year.year_ending <= end]


def cost_of_period(years: list[YearValue], start: datetime.date, end: datetime.date) -> Decimal:
    """Total value of the agreement years that end within [start, end]."""
    return sum((year.value for year in years_ending_within(years, start, end)), Decimal(0))
