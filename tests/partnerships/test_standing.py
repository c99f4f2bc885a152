"""One agreement status, from its recorded status, its dates and its terms."""

import datetime

import pytest

from partnerships.models import Agreement
from partnerships.standing import agreement_standing

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
            "Ends within 12 months, on 31 March 2027 (as extended)",
        ),
        (
            {},
            D(2027, 3, 31),
            False,
            "ending",
            "Ends within 12 months, on 31 March 2027",
        ),
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
