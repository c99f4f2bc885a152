from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from budgets import selectors
from budgets.actions import record_outturn, set_planned_contribution
from partnerships.models import AgreementPartner, Organisation, Role
from tests.factories import (
    AgreementFactory,
    ContributionFactory,
    CouncilFactory,
    PooledBudgetFactory,
    QuarterFactory,
    TrustFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def oxfordshire_pool():
    """Oxfordshire's pool of 2018/19 as the demo has it: OCC £1.8m (the host), OHFT £5.8m,
    risk shared in proportion to plan; and Oxleas, a trust outside the agreement."""
    occ, ohft = CouncilFactory(short_name="OCC"), TrustFactory(short_name="OHFT")
    TrustFactory(short_name="Oxleas")
    agreement = AgreementFactory(
        partners=[
            (occ, AgreementPartner.Role.COMMISSIONER, True),
            (ohft, AgreementPartner.Role.LEAD_PROVIDER, False),
        ]
    )
    pool = PooledBudgetFactory(agreement=agreement, financial_year__start_year=2018)
    ContributionFactory(pooled_budget=pool, partner=occ, planned=Decimal("1800000.00"))
    ContributionFactory(pooled_budget=pool, partner=ohft, planned=Decimal("5800000.00"))
    return pool


@pytest.fixture
def officer(oxfordshire_pool):
    return UserFactory(
        username="commissioner", roles={oxfordshire_pool.agreement: [Role.COMMISSIONER]}
    )


def quarter(start_year, number):
    return QuarterFactory(financial_year__start_year=start_year, number=number)


def test_forecast_overspend_shared_in_proportion_to_plan(oxfordshire_pool, officer):
    occ = oxfordshire_pool.contributions.get(partner__short_name="OCC")

    ohft = oxfordshire_pool.contributions.get(partner__short_name="OHFT")
    record_outturn(
        by=officer,
        contribution=occ,
        quarter=quarter(2018, 2),
        forecast=Decimal("1876000.00"),
        actual_to_date=Decimal("910000.00"),
    )
    record_outturn(
        by=officer, contribution=ohft, quarter=quarter(2018, 2), forecast=Decimal("5800000")
    )
    position = {p.partner: p for p in selectors.budget_position(oxfordshire_pool, quarter(2018, 2))}

    assert position["OCC"].variance == Decimal("76000.00")
    assert position["OHFT"].variance == Decimal("0")
    assert position["OCC"].risk_share == Decimal("18000.00")  # 18/76 of £76,000
    assert position["OHFT"].risk_share == Decimal("58000.00")
    assert position["OCC"].actual_to_date == Decimal("910000.00")


def test_a_forecast_from_an_earlier_quarter_is_shown_as_such_and_left_out_of_the_total(
    oxfordshire_pool, officer
):
    """One partner at Q2, the other last at Q1: the fund's position is at Q2, and the Q1
    forecast is not mixed into it unsaid."""
    occ = oxfordshire_pool.contributions.get(partner__short_name="OCC")
    ohft = oxfordshire_pool.contributions.get(partner__short_name="OHFT")
    record_outturn(
        by=officer, contribution=occ, quarter=quarter(2018, 2), forecast=Decimal("1876000.00")
    )
    record_outturn(
        by=officer, contribution=ohft, quarter=quarter(2018, 1), forecast=Decimal("5900000")
    )

    fund = selectors.fund_positions([oxfordshire_pool], quarter(2018, 2))[0]

    position = {p.partner: p for p in fund.positions}
    assert position["OHFT"].as_at == "2018/19 Q1" and position["OHFT"].behind
    assert position["OCC"].as_at == "2018/19 Q2" and not position["OCC"].behind
    assert fund.total.forecast == Decimal("1876000.00")
    assert fund.total.variance == Decimal("76000.00")
    assert fund.total.risk_share is None
    assert fund.leaves_out == (
        "excludes OHFT (last reported at 2018/19 Q1): not yet reported at 2018/19 Q2"
    )


def test_a_month_9_position_with_one_partner_still_at_q2(oxfordshire_pool, officer):
    occ = oxfordshire_pool.contributions.get(partner__short_name="OCC")
    ohft = oxfordshire_pool.contributions.get(partner__short_name="OHFT")
    record_outturn(
        by=officer, contribution=occ, quarter=quarter(2018, 2), forecast=Decimal("1850000")
    )
    record_outturn(
        by=officer, contribution=ohft, quarter=quarter(2018, 2), forecast=Decimal("5850000")
    )
    record_outturn(
        by=officer,
        contribution=occ,
        quarter=quarter(2018, 3),
        month=8,
        forecast=Decimal("1900000.55"),
    )

    at_q2 = selectors.fund_positions([oxfordshire_pool], quarter(2018, 2))[0]
    at_m8 = selectors.fund_positions([oxfordshire_pool], quarter(2018, 3), month=8)[0]

    assert at_q2.total.forecast == Decimal("7700000") and at_q2.leaves_out == ""
    assert at_m8.as_at == "2018/19 month 8 (November 2018)"
    assert at_m8.total.forecast == Decimal("1900000.55")
    assert "OHFT (last reported at 2018/19 Q2): not yet reported at 2018/19 month 8" in (
        at_m8.leaves_out
    )


def test_outturn_records_who_changed_it_and_what_it_was(oxfordshire_pool, officer):
    occ = oxfordshire_pool.contributions.get(partner__short_name="OCC")
    other = UserFactory(
        username="jmg.member", roles={oxfordshire_pool.agreement: [Role.JMG_MEMBER]}
    )
    record_outturn(
        by=officer, contribution=occ, quarter=quarter(2018, 1), forecast=Decimal("1800000")
    )

    outturn = record_outturn(
        by=other, contribution=occ, quarter=quarter(2018, 1), forecast=Decimal("1850000")
    )

    latest = outturn.history.latest()
    assert latest.history_user == other
    assert latest.prev_record.forecast == Decimal("1800000.00")
    assert latest.prev_record.history_user == officer


def test_outturn_for_a_quarter_of_another_year_refused(oxfordshire_pool, officer):
    occ = oxfordshire_pool.contributions.get(partner__short_name="OCC")

    with pytest.raises(ValidationError, match="is not in 2018/19"):
        record_outturn(by=officer, contribution=occ, quarter=quarter(2019, 1), forecast=Decimal(1))

    assert not occ.outturns.exists()


def test_contribution_from_an_organisation_outside_the_agreement_refused(oxfordshire_pool, officer):
    oxleas = Organisation.objects.get(short_name="Oxleas")

    with pytest.raises(ValidationError, match="is not a partner"):
        set_planned_contribution(
            by=officer, pooled_budget=oxfordshire_pool, partner=oxleas, planned=Decimal(1)
        )


def test_planned_contribution_change_is_kept_in_history(oxfordshire_pool, officer):
    occ = Organisation.objects.get(short_name="OCC")

    contribution = set_planned_contribution(
        by=officer, pooled_budget=oxfordshire_pool, partner=occ, planned=Decimal("1850000.00")
    )

    assert contribution.history.latest().prev_record.planned == Decimal("1800000.00")
    assert selectors.pool_total(oxfordshire_pool) == Decimal("7650000.00")


def test_risk_share_waits_for_every_partners_forecast(oxfordshire_pool, officer):
    occ = oxfordshire_pool.contributions.get(partner__short_name="OCC")
    record_outturn(
        by=officer, contribution=occ, quarter=quarter(2018, 1), forecast=Decimal("1900000")
    )

    position = {p.partner: p for p in selectors.budget_position(oxfordshire_pool, quarter(2018, 3))}

    assert position["OCC"].variance == Decimal("100000")
    assert position["OCC"].as_at == "2018/19 Q1"  # the latest forecast up to Q3
    assert position["OHFT"].forecast is None
    assert position["OCC"].risk_share is None


def test_a_later_quarters_forecast_is_not_seen_from_an_earlier_one(oxfordshire_pool, officer):
    occ = oxfordshire_pool.contributions.get(partner__short_name="OCC")
    record_outturn(
        by=officer, contribution=occ, quarter=quarter(2018, 3), forecast=Decimal("1900000")
    )

    position = {p.partner: p for p in selectors.budget_position(oxfordshire_pool, quarter(2018, 2))}

    assert position["OCC"].forecast is None
