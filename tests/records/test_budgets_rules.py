"""The pure rules behind the budget form: which years may be set, and how money, shares
and dates are read."""

import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError

from budgets.shares import fixed_shares_problem
from budgets.years import next_year, year_problem, years_in_term, years_to_set
from records.forms.budgets import MOST_MONEY, parse_amount, parse_date

# Bromley's dates: 1 December 2004 to 30 November 2026, after its extension.
BROMLEY = SimpleNamespace(
    start_date=datetime.date(2004, 12, 1), end_date=datetime.date(2026, 11, 30)
)


def test_the_term_covers_every_financial_year_it_touches():
    assert years_in_term(BROMLEY) == range(2004, 2027)


def test_years_to_set_are_the_terms_years_without_a_budget_latest_first():
    assert years_to_set(BROMLEY, {2022, 2026})[:3] == [2025, 2024, 2023]


def test_next_year_follows_the_latest_budget():
    assert next_year(BROMLEY, {2018, 2022}, today_year=2026) == 2023


def test_next_year_is_none_after_the_terms_last_year():
    assert next_year(BROMLEY, {2026}, today_year=2026) is None


def test_with_no_budget_next_year_is_this_year_within_the_term():
    assert next_year(BROMLEY, set(), today_year=2030) == 2026
    assert next_year(BROMLEY, set(), today_year=2000) == 2004


def test_a_year_outside_the_term_is_refused_naming_the_term():
    assert year_problem(BROMLEY, 2027, set()) == (
        "2027/28 is outside the agreement's term, which runs from 1 December 2004 to "
        "30 November 2026: choose a year from 2004/05 to 2026/27"
    )


def test_a_year_with_a_budget_is_refused():
    assert "already has a pooled budget" in year_problem(BROMLEY, 2022, {2022})
    assert year_problem(BROMLEY, 2023, {2022}) is None


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1618413", Decimal("1618413.00")),
        ("£1,618,413.5", Decimal("1618413.50")),
        (" 0 ", Decimal("0.00")),
        ("", None),
    ],
)
def test_money_is_read_as_people_write_it(text, value):
    assert parse_amount(text, "LBB's planned contribution", most=MOST_MONEY, example="1") == value


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("-1", "LBB's planned contribution can't be negative"),
        ("1.001", "to 2 decimal places at most"),
        ("NaN", "as a number"),
        ("1e3x", "as a number"),
        ("1000000000000.01", "must be £1,000,000,000,000 or less"),
    ],
)
def test_bad_money_is_refused_saying_what_was_expected(text, message):
    with pytest.raises(ValidationError, match=message):
        parse_amount(text, "LBB's planned contribution", most=MOST_MONEY, example="1")


def test_a_share_over_100_is_refused():
    with pytest.raises(ValidationError, match="must be 100 or less"):
        parse_amount("100.01", "LBB's fixed risk share", most=Decimal(100), example="50")


@pytest.mark.parametrize(
    ("parts", "message"),
    [
        (("1", "", "2023"), "must include a day, month and year"),
        (("30", "2", "2023"), "must be a real date"),
        (("1", "1", "23"), "must be a real date"),
        (("4", "12", "2026"), "must be today or in the past"),
    ],
)
def test_bad_dates_are_refused(parts, message):
    with pytest.raises(ValidationError, match=message):
        parse_date(*parts, "the date LBB agreed", today=datetime.date(2026, 12, 3))


def test_a_blank_date_is_no_date_and_a_real_one_is_read():
    today = datetime.date(2026, 12, 3)

    assert parse_date("", " ", "", "the date", today=today) is None
    assert parse_date("3", "12", "2026", "the date", today=today) == today


def test_fixed_shares_must_add_up_to_exactly_100():
    assert fixed_shares_problem({"a": Decimal("8.77"), "b": Decimal("91.23")}) is None
    assert fixed_shares_problem({"a": Decimal("50"), "b": Decimal("49.99")}) == (
        "The fixed risk shares add up to 99.99%: they must add up to 100.00%"
    )
