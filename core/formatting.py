"""How the project writes its figures: money, staffing, counts, percentages, dates and periods.

Pure functions of plain values (`Decimal`, `int`, `datetime.date`), so a page, a chart, an
export and a paper write the same figure the same way. Core sits below every app: nothing
here imports from the project's apps, and nothing here reads the database or the locale
(month names are English whatever the server's locale is).

Rounding is half up, as the papers round (ADR 3): £1,870,574.50 is £1,870,575, 0.25 WTE to
one place is 0.3. A negative figure has a real minus sign (−£1,234), and a figure that
rounds to zero has none. Floats are refused: money is never a float in this project.

A missing figure (None) is written as `missing`: "Not reported" (pages, papers, charts) for
a figure a partner has yet to send, never 0; "Not recorded" for one nobody has entered in
the partnership's own records; and "–" where there is nothing to give (a risk share before
every forecast is in). A total over figures some of which are missing says what it leaves
out with `excludes()`.
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal

Number = Decimal | int

MINUS = "\N{MINUS SIGN}"
NOT_RECORDED = "Not recorded"  # the pages' word for a figure nobody has entered
NOT_REPORTED = "Not reported"  # the word for a figure a partner has yet to report
NOTHING = "–"  # an en dash: the papers' cell for a figure there is none of

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


# Money ---------------------------------------------------------------------------------------


def money(value: Number | None, *, missing: str = NOT_RECORDED) -> str:
    """Pounds and pence: Decimal("7204118.385") -> "£7,204,118.39", -12.5 -> "−£12.50"."""
    if value is None:
        return missing
    return _pounds(_rounded(value, 2), "")


def whole_pounds(value: Number | None, *, missing: str = NOT_RECORDED) -> str:
    """Rounded to the pound, as the papers and charts write money: "£1,618,413"."""
    if value is None:
        return missing
    return _pounds(_rounded(value, 0), "")


def thousands_of_pounds(
    value: Number | None, *, places: int = 0, missing: str = NOT_RECORDED
) -> str:
    """In thousands of pounds, where a paper's convention is £k: 1618412.50 -> "£1,618k".
    A paper that uses it says so beside the figures."""
    if value is None:
        return missing
    return _pounds(_rounded(_as_decimal(value).scaleb(-3), places), "k")


def millions_of_pounds(
    value: Number | None, *, places: int = 1, missing: str = NOT_RECORDED
) -> str:
    """In millions of pounds, where a paper's convention is £m (the Oxfordshire paper's
    "OCC £1.8m"): 1800000 -> "£1.8m". A paper that uses it says so beside the figures."""
    if value is None:
        return missing
    return _pounds(_rounded(_as_decimal(value).scaleb(-6), places), "m")


def _pounds(amount: Decimal, suffix: str) -> str:
    return _signed(amount, f"£{abs(amount):,}{suffix}")


# Staffing, counts and percentages ------------------------------------------------------------


def wte(value: Number | None, *, places: int = 2, missing: str = NOT_RECORDED) -> str:
    """Whole-time equivalent to at most `places` decimal places, without trailing zeros, as
    the papers write it: 41.50 -> "41.5", 35.00 -> "35", 0.25 -> "0.25" (to one place "0.3")."""
    if value is None:
        return missing
    rounded = _rounded(value, places)
    shown = f"{abs(rounded):,f}"
    if "." in shown:
        shown = shown.rstrip("0").rstrip(".")
    return _signed(rounded, shown)


def wte_with_unit(value: Number | None, *, missing: str = NOT_RECORDED) -> str:
    """Whole-time equivalent to two places with its unit, as a chart's axis labels it:
    41.5 -> "41.50 WTE"."""
    if value is None:
        return missing
    rounded = _rounded(value, 2)
    return _signed(rounded, f"{abs(rounded):,.2f} WTE")


def count(value: Number | None, *, missing: str = NOT_RECORDED) -> str:
    """A whole number with thousands separators, half up: 1664 -> "1,664"."""
    if value is None:
        return missing
    whole = _rounded(value, 0)
    return _signed(whole, f"{abs(whole):,}")


def number(value: Number | None, *, places: int | None = None, missing: str = NOT_RECORDED) -> str:
    """A figure with thousands separators, as a table column shows it: to `places` decimal
    places half up, trailing zeros kept so that a column's figures line up (41.5 to two
    places is "41.50"); with the places it has when `places` is None ("1,234.50", "12,345")."""
    if value is None:
        return missing
    shown = _as_decimal(value) if places is None else _rounded(value, places)
    return _signed(shown, f"{abs(shown):,}")


def measure(value: Number | None, *, places: int = 1, missing: str = NOT_RECORDED) -> str:
    """A plain measure to at most `places` decimal places: 12.50 -> "12.5", 12 -> "12"."""
    return wte(value, places=places, missing=missing)


def percent(value: Number | None, places: int = 1, *, missing: str = NOT_RECORDED) -> str:
    """A number that is already a percentage, to `places` places, half up:
    Decimal("8.75") -> "8.8%"."""
    if value is None:
        return missing
    rounded = _rounded(value, places)
    return _signed(rounded, f"{abs(rounded):,.{places}f}%")


# Dates and periods ---------------------------------------------------------------------------


def long_date(day: datetime.date | None, *, missing: str = NOT_RECORDED) -> str:
    """A date as the papers write it: "2 December 2026"."""
    if day is None:
        return missing
    if not isinstance(day, datetime.date):
        raise TypeError(f"expected a date, got {type(day).__name__}")
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def financial_year_label(start_year: int) -> str:
    """The financial year starting on 1 April of `start_year`: 2024 -> "2024/25",
    1999 -> "1999/00"."""
    if isinstance(start_year, bool) or not isinstance(start_year, int):
        raise TypeError(f"expected a year, got {type(start_year).__name__}")
    return f"{start_year}/{(start_year + 1) % 100:02d}"


def quarter_label(start_year: int, number: int) -> str:
    """A quarter of a financial year, Q1 being April to June: (2024, 1) -> "2024/25 Q1"."""
    if number not in (1, 2, 3, 4) or isinstance(number, bool):
        raise ValueError(f"A quarter is numbered 1 to 4, not {number!r}.")
    return f"{financial_year_label(start_year)} Q{number}"


def month_label(start_year: int, month: int) -> str:
    """A month of a financial year, 1 being April: a quarter's last month is named by its
    quarter, as a quarterly return reports it, and any other by its number and name, as
    finance papers do: (2026, 6) -> "2026/27 Q2", (2026, 8) -> "2026/27 month 8
    (November 2026)"."""
    if month not in range(1, 13) or isinstance(month, bool):
        raise ValueError(f"A month of a financial year is numbered 1 to 12, not {month!r}.")
    if month % 3 == 0:
        return quarter_label(start_year, month // 3)
    calendar = (month + 2) % 12 + 1
    year = start_year if calendar >= 4 else start_year + 1
    return f"{financial_year_label(start_year)} month {month} ({MONTHS[calendar - 1]} {year})"


# What a total leaves out ------------------------------------------------------------------


def excludes(names) -> str:
    """What a total leaves out, for beside it: ["LBB"] -> "excludes LBB: not reported",
    ["A", "B", "C"] -> "excludes A, B and C: not reported"; nothing left out -> ""."""
    names = list(names)
    return f"excludes {listed(names)}: {NOT_REPORTED.lower()}" if names else ""


def listed(names) -> str:
    """Names as a sentence lists them: ["A"] -> "A", ["A", "B", "C"] -> "A, B and C"."""
    names = list(names)
    return "".join(names) if len(names) <= 1 else f"{', '.join(names[:-1])} and {names[-1]}"


# Shared ---------------------------------------------------------------------------------------


def _as_decimal(value: Number) -> Decimal:
    # Floats are refused rather than converted: money is never a float in this project.
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        raise TypeError(f"expected a Decimal or int, got {type(value).__name__}")
    if isinstance(value, Decimal) and not value.is_finite():
        raise ValueError(f"expected a finite number, got {value}")
    return Decimal(value)


def _rounded(value: Number, places: int) -> Decimal:
    return _as_decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def _signed(number: Decimal, text: str) -> str:
    # A value that rounds to zero (Decimal("-0")) compares equal to 0, so gets no sign.
    return f"{MINUS}{text}" if number < 0 else text
