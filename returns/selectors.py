"""Reads of quarterly returns."""

from django.db.models import Q

from core.periods import financial_year_start, quarter_number
from partnerships.models import Quarter
from partnerships.selectors import quarters_ending
from partnerships.standing import covers_quarter
from returns.models import QuarterlyReturn, ReturnSchedule
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


def standings_across(agreements, today, *, recent: int = 8) -> dict[int, list[dict]]:
    """`returns_to_show` for many partnerships at once, for lists that span them (what needs
    a user's attention): each agreement's last `recent` quarters to `today`'s (or to its
    end) that fall within its term, and any of its other returns not yet signed off, each
    as `_row` gives it. Three queries, however many partnerships and returns."""
    agreements = list(agreements)
    if not agreements:
        return {}
    windows = {a.pk: _window(min(today, a.end_date), recent) for a in agreements}
    wanted = Q()
    for year, number in {pair for window in windows.values() for pair in window}:
        wanted |= Q(financial_year__start_year=year, number=number)
    quarters = {
        (q.financial_year.start_year, q.number): q
        for q in Quarter.objects.select_related("financial_year").filter(wanted)
    }
    recorded = (
        QuarterlyReturn.objects.filter(agreement__in=agreements)
        .filter(
            Q(quarter__in=list(quarters.values())) | ~Q(status=QuarterlyReturn.Status.SIGNED_OFF)
        )
        .select_related("quarter__financial_year")
    )
    by_agreement: dict[int, dict] = {a.pk: {} for a in agreements}
    for r in recorded:
        by_agreement[r.agreement_id][r.quarter_id] = r
    timetables = {
        s.agreement_id: s for s in ReturnSchedule.objects.filter(agreement__in=agreements)
    }
    return {
        a.pk: _rows_of(a, windows[a.pk], quarters, by_agreement[a.pk], timetables, today)
        for a in agreements
    }


def _rows_of(agreement, window, quarters, own, timetables, today) -> list[dict]:
    shown = [
        quarters[pair]
        for pair in window
        if pair in quarters and covers_quarter(agreement, quarters[pair])
    ]
    shown_ids = {q.pk for q in shown}
    others = sorted(
        (r.quarter for r in own.values() if r.quarter_id not in shown_ids),
        key=lambda q: (q.financial_year.start_year, q.number),
        reverse=True,
    )
    timetable = timetables.get(agreement.pk)
    return [_row(q, own.get(q.pk), timetable, today) for q in [*shown, *others]]


def _window(last, count: int) -> list[tuple[int, int]]:
    """(financial year, quarter number) of the `count` quarters to `last`'s, latest first."""
    year, number = financial_year_start(last), quarter_number(last)
    pairs = []
    for _ in range(count):
        pairs.append((year, number))
        year, number = (year, number - 1) if number > 1 else (year - 1, 4)
    return pairs
