"""Working days in England and Wales, counted past weekends and bank holidays."""

import datetime

import pytest

from core.workdays import add_working_days, bank_holidays, is_working_day

D = datetime.date


@pytest.mark.parametrize(
    ("start", "count", "due"),
    [
        # Easter 2023: Good Friday 7 April and Easter Monday 10 April are skipped.
        (D(2023, 3, 31), 10, D(2023, 4, 18)),
        # Christmas 2022 fell on a Sunday: Tuesday 27 December was the substitute day.
        (D(2022, 12, 23), 1, D(2022, 12, 28)),
        # The state funeral on 19 September 2022 was a one-off bank holiday.
        (D(2022, 9, 16), 1, D(2022, 9, 20)),
        # The end of Q1 2024/25 was a Sunday: the first working day is Monday 1 July.
        (D(2024, 6, 30), 1, D(2024, 7, 1)),
        (D(2024, 6, 30), 0, D(2024, 6, 30)),
    ],
)
def test_working_days_skip_weekends_and_bank_holidays(start, count, due):
    assert add_working_days(start, count) == due


def test_bank_holidays_of_a_year_include_substitute_days():
    assert D(2027, 12, 27) in bank_holidays(2027) and D(2027, 12, 28) in bank_holidays(2027)
    assert len(bank_holidays(2025)) == 8


def test_a_weekday_that_is_not_a_holiday_is_a_working_day():
    assert is_working_day(D(2026, 12, 3))
    assert not is_working_day(D(2026, 12, 5))  # a Saturday
    assert not is_working_day(D(2026, 12, 25))


def test_counting_backwards_is_refused():
    with pytest.raises(ValueError, match="forwards"):
        add_working_days(D(2026, 1, 1), -1)
