"""Which financial years an agreement may have a pooled budget for: those its term touches.

Pure functions of the agreement's dates and the years that already have a budget, so the
form that offers the years and the action that saves one refuse the same years with the
same words.
"""

from collections.abc import Collection

from core.formatting import financial_year_label, long_date
from core.periods import financial_year_start


def years_in_term(agreement) -> range:
    """Start years of every financial year that overlaps the agreement's term (with any
    extensions in force: the agreement's own end date)."""
    return range(
        financial_year_start(agreement.start_date), financial_year_start(agreement.end_date) + 1
    )


def years_to_set(agreement, taken: Collection[int]) -> list[int]:
    """The years of the term that have no budget yet, latest first."""
    return [year for year in reversed(years_in_term(agreement)) if year not in taken]


def next_year(agreement, taken: Collection[int], *, today_year: int) -> int | None:
    """The year a commissioner most likely sets next: the one after the latest budget, or,
    with no budget yet, the current year (or the term's first, if it starts later). None
    when that year is outside the term."""
    term = years_in_term(agreement)
    first_free = min(max(today_year, term.start), term.stop - 1)
    candidate = max(taken) + 1 if taken else first_free
    return candidate if candidate in term and candidate not in taken else None


def year_problem(agreement, start_year: int, taken: Collection[int]) -> str | None:
    """Why a budget can't be set for this year, or None if it can."""
    term = years_in_term(agreement)
    label = financial_year_label(start_year)
    if start_year not in term:
        return (
            f"{label} is outside the agreement's term, which runs from "
            f"{long_date(agreement.start_date)} to {long_date(agreement.end_date)}: choose a "
            f"year from {financial_year_label(term.start)} to {financial_year_label(term.stop - 1)}"
        )
    if start_year in taken:
        return f"{label} already has a pooled budget: revise that year's budget instead"
    return None
