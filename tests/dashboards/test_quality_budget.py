"""The budget checks: spend to date above the year's forecast, spend to date falling, and
a forecast moving far more than usual (dashboards.quality.spend_above_forecast,
spend_to_date_fell, forecast_moved)."""

from decimal import Decimal

import pytest

from budgets.models import Contribution, ContributionOutturn
from dashboards.models import QualitySettings
from partnerships.models import Quarter
from tests.dashboards.quality_helpers import found

pytestmark = pytest.mark.django_db


@pytest.fixture
def jmg(django_user_model):
    return django_user_model.objects.get(username="jmg.member")


def quarter(number):
    return Quarter.objects.get(financial_year__start_year=2022, number=number)


def lbb(bromley):
    return Contribution.objects.get(
        pooled_budget__agreement=bromley,
        pooled_budget__financial_year__start_year=2022,
        partner__short_name="LBB",
    )


def reported(bromley, number, forecast, actual):
    return ContributionOutturn.objects.update_or_create(
        contribution=lbb(bromley),
        quarter=quarter(number),
        defaults={"forecast": Decimal(forecast), "actual_to_date": Decimal(actual)},
    )[0]


def test_the_demos_outturns_add_up(bromley, jmg):
    for check in ("spend_above_forecast", "spend_to_date_fell", "forecast_moved"):
        assert found(jmg, bromley, quarter(2), check) == []


def test_spend_to_date_above_the_years_forecast_is_flagged(bromley, jmg):
    reported(bromley, 2, "1640000.00", "1700000.50")

    assert found(jmg, bromley, quarter(2), "spend_above_forecast") == [
        "LBB's spend to date at Q2, £1,700,000.50, is more than its forecast outturn for the "
        "year, £1,640,000.00"
    ]


def test_spend_to_date_that_fell_since_last_quarter_is_flagged(bromley, jmg):
    reported(bromley, 3, "1640000.00", "800000.00")

    assert found(jmg, bromley, quarter(3), "spend_to_date_fell") == [
        "LBB's spend to date fell from £812,400.00 at Q2 to £800,000.00 at Q3"
    ]


def test_spend_to_date_that_rose_is_not_flagged(bromley, jmg):
    reported(bromley, 3, "1640000.00", "1220000.00")

    assert found(jmg, bromley, quarter(3), "spend_to_date_fell") == []


def test_a_forecast_moving_more_than_the_partnerships_percentage_is_flagged(bromley, jmg):
    reported(bromley, 3, "2624000.00", "1220000.00")  # 60% up on Q2's £1,640,000

    assert found(jmg, bromley, quarter(3), "forecast_moved") == [
        "LBB's forecast outturn moved from £1,640,000.00 to £2,624,000.00, more than 50%"
    ]

    QualitySettings.objects.create(agreement=bromley, movement_percent=75)
    assert found(jmg, bromley, quarter(3), "forecast_moved") == []
