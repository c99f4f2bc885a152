"""One agreement status, from its recorded status, its dates and its terms."""

import datetime

import pytest

from partnerships.models import Agreement
from partnerships.standing import agreement_standing, months_later

D = datetime.date


START, END = D(2020, 4, 1), D(2027, 3, 31)


def agreement(status="active", start=START, end=END):
    return Agreement(
        slug="x", title="X", short_title="X", start_date=start, end_date=end, status=status
    )


@pytest.mark.parametrize(
    ("kwargs", "today", "extended", "code", "text"),
    [
        ({}, D(2025, 6, 1), False, "in_force", "In force until 31 March 2027"),
        ({}, D(2025, 6, 1), True, "in_force", "In force extended to 31 March 2027"),
        ({}, D(2026, 4, 1), False, "ending", "Ends within 12 months, on 31 March 2027"),
        (
            {},
            D(2026, 4, 1),
            True,
            "ending",
            "Extended to 31 March 2027: ends within 12 months",
        ),
        # The nearest band in calendar months: 6 from 1 October, 3 from 31 December.
        ({}, D(2026, 9, 30), False, "ending", "Ends within 12 months, on 31 March 2027"),
        ({}, D(2026, 10, 1), False, "ending", "Ends within 6 months, on 31 March 2027"),
        ({}, D(2026, 12, 31), False, "ending", "Ends within 3 months, on 31 March 2027"),
        ({}, D(2027, 3, 31), False, "ending", "Ends within 3 months, on 31 March 2027"),
        # 12 calendar months, not 365 days: across a 29 February, 366 days are within.
        (
            {"end": D(2028, 3, 31)},
            D(2027, 3, 31),
            False,
            "ending",
            "Ends within 12 months, on 31 March 2028",
        ),
        ({}, D(2026, 3, 30), False, "in_force", "In force until 31 March 2027"),
        # The end date has passed: ended, though nobody has changed the recorded status.
        ({}, D(2027, 4, 1), False, "ended", "Ended on 31 March 2027"),
        ({"status": "ended"}, D(2025, 6, 1), False, "ended", "Ended on 31 March 2027"),
        (
            {"status": "terminated"},
            D(2025, 6, 1),
            False,
            "terminated",
            "Ended early, on 31 March 2027",
        ),
        ({"status": "draft"}, D(2025, 6, 1), False, "draft", "Draft: not yet in force"),
        ({"start": D(2026, 1, 1)}, D(2025, 6, 1), False, "not_started", "Starts on 1 January 2026"),
    ],
)
def test_an_agreement_stands_as_its_dates_and_decisions_say(kwargs, today, extended, code, text):
    found = agreement_standing(agreement(**kwargs), today, extended=extended)

    assert (found.code, found.text) == (code, text)
    assert found.in_force == (code in ("in_force", "ending"))


@pytest.mark.parametrize(
    ("today", "months"),
    [(D(2026, 12, 31), 3), (D(2026, 12, 30), 6), (D(2027, 4, 1), None), (D(2026, 3, 30), None)],
)
def test_the_band_is_the_nearest_the_end_falls_in(today, months):
    assert agreement_standing(agreement(), today).months == months


def test_a_month_later_is_the_months_last_day_when_it_is_shorter():
    assert months_later(D(2026, 8, 31), 6) == D(2027, 2, 28)
    assert months_later(D(2027, 8, 31), 6) == D(2028, 2, 29)
    assert months_later(D(2026, 12, 3), 3) == D(2027, 3, 3)
