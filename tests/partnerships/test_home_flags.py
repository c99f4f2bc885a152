"""What the home page says needs attention in each partnership, from the demo's figures."""

import datetime

import pytest

from dashboards.selectors import home_flags
from partnerships.models import Agreement

pytestmark = pytest.mark.django_db


def flags_on(day):
    agreements = list(Agreement.objects.all())
    flags = home_flags(agreements, day)
    return {agreement.slug: flags[agreement.pk] for agreement in agreements}


def test_a_partnership_without_the_last_quarters_figures_is_flagged():
    # In May 2023 the figures for 2022/23 Q4 are due: Bromley has sent them, Oxfordshire
    # (whose demo figures are from 2019/20) has not.
    flags = flags_on(datetime.date(2023, 5, 15))

    assert flags["oxfordshire-mh-social-work"] == [
        "No figures yet for 2022/23 Q4 (ended 31 March 2023)"
    ]
    assert flags["bromley-oxleas-mh"] == ["Forecast overspend of £21,587", "1 KPI at red"]


def test_figures_due_are_those_of_the_quarter_just_ended():
    flags = flags_on(datetime.date(2020, 1, 10))

    assert flags["oxfordshire-mh-social-work"] == []
    assert flags["bromley-oxleas-mh"][0] == (
        "No figures yet for 2019/20 Q3 (ended 31 December 2019)"
    )


def test_an_overspend_is_judged_on_the_latest_pool_year_alone():
    """Bromley's latest pool forecasts an overspend; a later year forecast on plan
    replaces it, though the earlier year's forecasts are still there."""
    from budgets.models import Contribution, ContributionOutturn, PooledBudget
    from partnerships.models import FinancialYear, Quarter

    bromley = Agreement.objects.get(slug="bromley-oxleas-mh")
    latest = bromley.pooled_budgets.order_by("-financial_year__start_year").first()
    year, _ = FinancialYear.objects.get_or_create(start_year=latest.financial_year.start_year + 1)
    quarter, _ = Quarter.objects.get_or_create(financial_year=year, number=1)
    pool = PooledBudget.objects.create(agreement=bromley, financial_year=year)
    for contribution in latest.contributions.all():
        on_plan = Contribution.objects.create(
            pooled_budget=pool, partner=contribution.partner, planned=contribution.planned
        )
        ContributionOutturn.objects.create(
            contribution=on_plan, quarter=quarter, forecast=contribution.planned
        )

    flags = flags_on(datetime.date(2023, 5, 15))

    assert flags["bromley-oxleas-mh"] == ["1 KPI at red"]


def test_a_kpi_is_at_red_only_if_its_latest_value_is():
    """Bromley's red KPI, given a later value on target, is no longer counted."""
    from partnerships.models import FinancialYear, KPIValue, Quarter

    bromley = Agreement.objects.get(slug="bromley-oxleas-mh")
    red = [
        kpi
        for kpi in bromley.kpis.all()
        if (
            value := kpi.values.order_by(
                "-quarter__financial_year__start_year", "-quarter__number"
            ).first()
        )
        and (
            value.value < kpi.amber_threshold
            if kpi.direction == "higher"
            else value.value > kpi.amber_threshold
        )
    ]
    assert len(red) == 1
    last = (
        red[0].values.order_by("-quarter__financial_year__start_year", "-quarter__number").first()
    )
    year, _ = FinancialYear.objects.get_or_create(
        start_year=last.quarter.financial_year.start_year + 1
    )
    later, _ = Quarter.objects.get_or_create(financial_year=year, number=1)
    KPIValue.objects.create(kpi=red[0], quarter=later, value=red[0].target)

    flags = flags_on(datetime.date(2023, 5, 15))

    assert "1 KPI at red" not in flags["bromley-oxleas-mh"]
    assert flags["bromley-oxleas-mh"] == ["Forecast overspend of £21,587"]


def test_an_overspend_says_which_partners_forecast_it_leaves_out(bromley):
    """With Oxleas's forecasts gone from Bromley's latest pool, the overspend is LBB's
    alone, and the flag says Oxleas's forecast is not reported rather than counting it."""
    from budgets.models import Contribution, ContributionOutturn
    from budgets.selectors import in_latest_pool_year

    latest = in_latest_pool_year(Contribution.objects.filter(pooled_budget__agreement=bromley))
    ContributionOutturn.objects.filter(
        contribution__in=latest.filter(partner__short_name="Oxleas")
    ).delete()
    lbb = latest.get(partner__short_name="LBB")
    lbb.outturns.update(forecast=lbb.planned + 1000)

    flags = flags_on(datetime.date(2023, 5, 15))

    assert flags["bromley-oxleas-mh"][0] == (
        "Forecast overspend of £1,000 (excludes Oxleas: not reported)"
    )
