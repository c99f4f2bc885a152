import datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from budgets.uplift import anniversary, cost_of_period, project, uplift_once, whole_pounds

BASE_END = datetime.date(2023, 11, 30)


def test_whole_pounds_rounds_half_up():
    assert whole_pounds(Decimal("1870574.50")) == Decimal("1870575")
    assert whole_pounds(Decimal("1870574.49")) == Decimal("1870574")


def test_bromley_table_from_1_780_440_at_2_5_percent():
    values = project(Decimal("1780440"), Decimal("0.025"), base_year_ending=BASE_END, years=3)

    assert [v.value for v in values] == [Decimal(1824951), Decimal(1870575), Decimal(1917339)]


def test_uplift_rounds_each_year_before_the_next():
    # £101 at 0.5%: 101.505 rounds to 102, and 102 uplifted is 102.51, so 103. Compounding
    # first and rounding at the end would give 101 × 1.005² = 102.0125, so 102.
    values = project(Decimal("101"), Decimal("0.005"), base_year_ending=BASE_END, years=2)

    assert [v.value for v in values] == [Decimal(102), Decimal(103)]


def test_projected_years_end_on_each_anniversary():
    values = project(Decimal("100"), Decimal("0.1"), base_year_ending=BASE_END, years=2)

    assert [v.year_ending for v in values] == [
        datetime.date(2024, 11, 30),
        datetime.date(2025, 11, 30),
    ]


def test_cost_of_extension_counts_years_ending_within_it():
    values = project(Decimal("1780440"), Decimal("0.025"), base_year_ending=BASE_END, years=3)

    cost = cost_of_period(values, datetime.date(2024, 12, 1), datetime.date(2026, 11, 30))

    assert cost == Decimal("3787914")


def test_negative_uplift_rate_rejected():
    with pytest.raises(ValueError, match="negative"):
        uplift_once(Decimal("100"), Decimal("-0.01"))


def test_negative_base_value_rejected():
    with pytest.raises(ValueError, match="negative"):
        project(Decimal("-1"), Decimal("0.02"), base_year_ending=BASE_END, years=1)


def test_leap_day_anniversary_falls_on_28_february():
    assert anniversary(datetime.date(2024, 2, 29), 1) == datetime.date(2025, 2, 28)


@given(
    base=st.decimals(min_value=0, max_value=10**9, places=0),
    rate=st.decimals(min_value=0, max_value=Decimal("0.2"), places=4),
    years=st.integers(min_value=1, max_value=25),
)
def test_projection_is_whole_pounds_and_never_falls(base, rate, years):
    values = project(base, rate, base_year_ending=BASE_END, years=years)

    assert len(values) == years
    previous = base
    for year in values:
        assert year.value == year.value.to_integral_value()
        assert year.value >= previous
        previous = year.value


def test_a_flat_extension_carries_the_value_on_to_the_penny():
    years = project(Decimal("1917339.37"), Decimal("0"), base_year_ending=BASE_END, years=2)

    assert [y.value for y in years] == [Decimal("1917339.37"), Decimal("1917339.37")]
    assert cost_of_period(years, BASE_END, anniversary(BASE_END, 2)) == Decimal("3834678.74")


def test_uplift_is_said_as_a_rate_or_as_flat():
    from budgets.selectors import uplift_text

    assert uplift_text(Decimal("0.0250")) == "uplifted by 2.5% a year"
    assert uplift_text(Decimal("0.0275")) == "uplifted by 2.75% a year"
    assert uplift_text(Decimal("0")) == "no uplift (flat)"
    assert uplift_text(Decimal("0.0000")) == "no uplift (flat)"
