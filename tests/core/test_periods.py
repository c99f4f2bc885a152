import datetime

import pytest

from core.periods import (
    Period,
    financial_year_start,
    parse_period,
    quarter_dates,
    quarter_number,
)


def test_financial_year_starts_in_april():
    assert financial_year_start(datetime.date(2024, 3, 31)) == 2023
    assert financial_year_start(datetime.date(2024, 4, 1)) == 2024


@pytest.mark.parametrize(
    ("number", "start", "end"),
    [
        (1, datetime.date(2023, 4, 1), datetime.date(2023, 6, 30)),
        (2, datetime.date(2023, 7, 1), datetime.date(2023, 9, 30)),
        (3, datetime.date(2023, 10, 1), datetime.date(2023, 12, 31)),
        (4, datetime.date(2024, 1, 1), datetime.date(2024, 3, 31)),
    ],
)
def test_quarter_dates(number, start, end):
    assert quarter_dates(2023, number) == (start, end)
    assert quarter_number(start) == number
    assert quarter_number(end) == number


def test_parse_period_with_and_without_quarter():
    assert parse_period("2023/24-Q2") == Period(2023, 2)
    assert parse_period("2023/24") == Period(2023)
    assert str(Period(2023, 2)) == "2023/24-Q2"


@pytest.mark.parametrize("text", ["2023/25", "2023-24", "2023/24-Q5", "Q2 2023", ""])
def test_parse_period_says_what_it_expected(text):
    with pytest.raises(ValueError, match="2023/24"):
        parse_period(text)
