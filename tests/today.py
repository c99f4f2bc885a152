"""Every test runs on one fixed day, so that no result changes with the calendar.

The app reads today from the clock (timezone.localdate() and timezone.now()) for what is
due, overdue or ending. Left to the real date, the suite changed its answers by itself: a
test of Bromley's end-date flag broke on 1 December 2026, the day after the agreement ended.

TODAY is 3 December 2026, midday in London, the day the suite's expectations were last
checked against the real clock: Bromley's extension has ended (30 November 2026), the
review of Bromley's s117 entry B2 due that day is overdue and B6's (8 January 2027) not
yet, and it is the third quarter of 2026/27, the last year the demo has.

The day is fixed, not the clock: time runs on from TODAY at its real pace (tick=True), as
it does outside the tests. A session renewed a moment after signing in still ends a moment
later, a live server's thread and the browser's timeouts still see time pass, and any
test that passed on the real clock passes on this one; only the date no longer moves. A
test about another day moves there with time-machine's own fixture
(`time_machine.move_to(...)`); a test about the real today marks itself `real_today`.
"""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

TODAY = datetime.datetime(2026, 12, 3, 12, 0, tzinfo=ZoneInfo("Europe/London"))
# The demo seed is loaded earlier that morning: each test's clock starts again at TODAY, so
# what a test changes is always later than the seed's rows (history's latest() is its own).
SEEDED = TODAY - datetime.timedelta(hours=3)


def on_the_fixed_day(at: datetime.datetime = TODAY):
    """The travel to the fixed day, at TODAY or (for the seed) another moment of it."""
    return time_machine.travel(at, tick=True)


@pytest.fixture(autouse=True)
def fixed_today(request):
    if request.node.get_closest_marker("real_today"):
        yield
        return
    with on_the_fixed_day():
        yield
