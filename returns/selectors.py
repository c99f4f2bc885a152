"""Reads of quarterly returns."""

from django.db.models import Q

from core.periods import financial_year_start, quarter_number
from partnerships.selectors import quarters_ending
from returns.models import QuarterlyReturn
from returns.schedule import deadlines, schedule_for, standing

_LOOK_UP = object()


def returns_to_show(agreement, today, *, recent: int = 8, timetable=_LOOK_UP) -> list[dict]:
    """The returns a partnership's officers look for: each of the last `recent` quarters
    to `today`'s, whether its return is started or not, latest first; then, latest first,
    any other return that isn't signed off yet or is for a quarter still to come. Older
    signed-off returns are opened from the quarter chooser: twenty years of them would bury
    the ones needing action. Each says when it is due and where it stands. Quarters after
    the agreement ends (with any extension) have no return. Three queries, however many
    returns the partnership has."""
    last = min(today, agreement.end_date)
    year, number = financial_year_start(last), quarter_number(last)
    quarters = list(reversed(quarters_ending(year, number, recent)))
    to_come = Q(quarter__financial_year__start_year__gt=year) | Q(
        quarter__financial_year__start_year=year, quarter__number__gt=number
    )
    recorded = {
        r.quarter_id: r
        for r in QuarterlyReturn.objects.filter(agreement=agreement)
        .filter(Q(quarter__in=quarters) | ~Q(status=QuarterlyReturn.Status.SIGNED_OFF) | to_come)
        .select_related("quarter__financial_year")
    }
    shown = {q.pk for q in quarters}
    others = sorted(
        (r for r in recorded.values() if r.quarter_id not in shown),
        key=lambda r: (r.quarter.financial_year.start_year, r.quarter.number),
        reverse=True,
    )
    if timetable is _LOOK_UP:  # the partnership's ReturnSchedule, None if it has none
        timetable = schedule_for(agreement)
    return [
        _row(quarter, recorded.get(quarter.pk), timetable, today)
        for quarter in [*quarters, *(r.quarter for r in others)]
    ]


def _row(quarter, quarterly_return, timetable, today) -> dict:
    due = deadlines(timetable, quarter)
    return {
        "quarter": quarter,
        "slug": quarter.slug,
        "return": quarterly_return,
        "due": due,
        "standing": standing(due, quarter, quarterly_return, today),
    }
