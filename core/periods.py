"""Financial years (1 April – 31 March, named 2023/24) and their quarters (Q1 = Apr–Jun)."""

import datetime
import re
from dataclasses import dataclass

from core.formatting import financial_year_label

_PERIOD = re.compile(r"^(?P<start>\d{4})/(?P<end>\d{2})(?:-Q(?P<quarter>[1-4]))?$")


def financial_year_start(day: datetime.date) -> int:
    """The calendar year in which the financial year containing `day` starts."""
    return day.year if day.month >= 4 else day.year - 1


def financial_year_dates(start_year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(start_year, 4, 1), datetime.date(start_year + 1, 3, 31)


def quarter_number(day: datetime.date) -> int:
    return (day.month - 4) % 12 // 3 + 1


def quarter_dates(start_year: int, number: int) -> tuple[datetime.date, datetime.date]:
    if number not in (1, 2, 3, 4):
        raise ValueError(f"A quarter is numbered 1 to 4, not {number}.")
    first_month = 4 + 3 * (number - 1)
    year = start_year + (first_month - 1) // 12
    month = (first_month - 1) % 12 + 1
    start = datetime.date(year, month, 1)
    next_start = datetime.date(year + (month + 2) // 12, (month + 2) % 12 + 1, 1)
    return start, next_start - datetime.timedelta(days=1)


@dataclass(frozen=True)
class Period:
    start_year: int
    quarter: int | None = None

    def __str__(self) -> str:
        label = financial_year_label(self.start_year)
        return f"{label}-Q{self.quarter}" if self.quarter else label


def parse_period(text: str) -> Period:
    """Read '2023/24' or '2023/24-Q2'; the two years must follow each other."""
    match = _PERIOD.match(text.strip())
    if not match:
        raise ValueError(
            f"{text!r} is not a period: expected a financial year such as 2023/24, "
            "optionally with a quarter, such as 2023/24-Q2."
        )
    start = int(match["start"])
    if (start + 1) % 100 != int(match["end"]):
        raise ValueError(
            f"{text!r} is not a financial year: {financial_year_label(start)} would be."
        )
    return Period(start, int(match["quarter"]) if match["quarter"] else None)
