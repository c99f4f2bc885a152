"""The database itself refuses rows that must never exist, whatever path they come by.

Each test writes straight through the ORM's create() (no form, no full_clean), as a
script or a bulk import would, and expects the database to say no.
"""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from budgets.models import Contribution, ContributionOutturn, FinancialYear, PooledBudget, Quarter
from caseload.models import CareActActivity, CaseloadSnapshot, SourceSystem, StaffPost
from partnerships.models import KPI, Agreement, AgreementPartner, Membership, Organisation
from s117.models import RegisterEntry

pytestmark = pytest.mark.django_db


def assert_refused(create, constraint):
    """The write fails with the named constraint. PostgreSQL names every constraint in its
    message; SQLite names CHECK constraints and reports UNIQUE ones by their columns."""
    with pytest.raises(IntegrityError) as error, transaction.atomic():
        create()
    message = str(error.value)
    if "UNIQUE constraint failed" not in message:  # SQLite names unique failures by columns
        assert constraint in message


@pytest.fixture
def pooled_budget(bromley):
    return PooledBudget.objects.get(agreement=bromley, financial_year__start_year=2022)


@pytest.fixture
def lbb():
    return Organisation.objects.get(short_name="LBB")


@pytest.fixture
def oxleas():
    return Organisation.objects.get(short_name="Oxleas")


def test_negative_contribution_refused(bromley, lbb):
    year = FinancialYear.objects.get(start_year=2023)
    pool = PooledBudget.objects.create(agreement=bromley, financial_year=year)

    assert_refused(
        lambda: Contribution.objects.create(pooled_budget=pool, partner=lbb, planned=Decimal("-1")),
        "contribution_planned_not_negative",
    )


def test_negative_forecast_refused(pooled_budget, lbb):
    contribution = pooled_budget.contributions.get(partner=lbb)
    quarter = Quarter.objects.get(financial_year__start_year=2022, number=1)

    assert_refused(
        lambda: ContributionOutturn.objects.create(
            contribution=contribution, quarter=quarter, forecast=Decimal("-0.01")
        ),
        "contribution_outturn_forecast_not_negative",
    )


def test_second_contribution_from_same_partner_in_same_year_refused(pooled_budget, lbb):
    assert_refused(
        lambda: Contribution.objects.create(
            pooled_budget=pooled_budget, partner=lbb, planned=Decimal("1")
        ),
        "contribution_once_per_partner_per_year",
    )


def test_second_pooled_budget_for_same_year_refused(pooled_budget):
    assert_refused(
        lambda: PooledBudget.objects.create(
            agreement=pooled_budget.agreement, financial_year=pooled_budget.financial_year
        ),
        "pooled_budget_once_a_year",
    )


def test_agreement_ending_before_it_starts_refused(db):
    assert_refused(
        lambda: Agreement.objects.create(
            slug="backwards",
            title="Backwards",
            short_title="Backwards",
            legal_basis="s75",
            start_date=datetime.date(2024, 4, 1),
            end_date=datetime.date(2024, 3, 31),
        ),
        "agreement_end_after_start",
    )


def test_unknown_legal_basis_refused(db):
    assert_refused(
        lambda: Agreement.objects.create(
            slug="s76",
            title="Not a partnership power",
            short_title="s76",
            legal_basis="s76",
            start_date=datetime.date(2024, 4, 1),
            end_date=datetime.date(2025, 3, 31),
        ),
        "agreement_legal_basis_valid",
    )


def test_second_host_partner_refused(bromley, lbb):
    AgreementPartner.objects.filter(agreement=bromley, organisation=lbb).delete()

    assert_refused(
        lambda: AgreementPartner.objects.create(
            agreement=bromley, organisation=lbb, role="commissioner", is_host=True
        ),
        "agreement_one_host",
    )


def test_post_of_zero_wte_refused(bromley, lbb):
    team = bromley.teams.first()

    assert_refused(
        lambda: StaffPost.objects.create(
            team=team,
            reference="X-1",
            role="social_worker",
            wte=Decimal("0"),
            funder=lbb,
            employer=lbb,
            basis="seconded",
            origin="created",
            valid_from=datetime.date(2024, 1, 1),
        ),
        "staff_post_wte_in_range",
    )


def test_post_over_one_wte_refused(bromley, lbb):
    team = bromley.teams.first()

    assert_refused(
        lambda: StaffPost.objects.create(
            team=team,
            reference="X-2",
            role="social_worker",
            wte=Decimal("1.5"),
            funder=lbb,
            employer=lbb,
            basis="seconded",
            origin="created",
            valid_from=datetime.date(2024, 1, 1),
        ),
        "staff_post_wte_in_range",
    )


def test_vacant_post_with_an_employer_refused(bromley, lbb):
    team = bromley.teams.first()

    assert_refused(
        lambda: StaffPost.objects.create(
            team=team,
            reference="X-3",
            role="social_worker",
            wte=Decimal("1"),
            funder=lbb,
            employer=lbb,
            basis="vacant",
            origin="created",
            valid_from=datetime.date(2024, 1, 1),
        ),
        "staff_post_employer_iff_filled",
    )


def test_post_ending_before_it_starts_refused(bromley, lbb):
    team = bromley.teams.first()

    assert_refused(
        lambda: StaffPost.objects.create(
            team=team,
            reference="X-4",
            role="social_worker",
            wte=Decimal("1"),
            funder=lbb,
            employer=lbb,
            basis="seconded",
            origin="created",
            valid_from=datetime.date(2024, 1, 1),
            valid_to=datetime.date(2023, 12, 31),
        ),
        "staff_post_end_after_start",
    )


def test_second_caseload_snapshot_for_team_system_and_date_refused(oxfordshire):
    snapshot = CaseloadSnapshot.objects.filter(team__agreement=oxfordshire).first()

    assert_refused(
        lambda: CaseloadSnapshot.objects.create(
            team=snapshot.team,
            source_system=snapshot.source_system,
            as_at=snapshot.as_at,
            open_cases=1,
        ),
        "caseload_snapshot_once_per_team_system_date",
    )


def test_negative_caseload_refused(oxfordshire):
    team = oxfordshire.teams.first()
    system = SourceSystem.objects.get(code="las")

    assert_refused(
        lambda: CaseloadSnapshot.objects.create(
            team=team, source_system=system, as_at=datetime.date(2020, 1, 31), open_cases=-3
        ),
        "caseload_snapshot_cases_not_negative",
    )


def test_negative_safeguarding_count_refused(bromley):
    team = bromley.teams.first()
    quarter = Quarter.objects.get(financial_year__start_year=2024, number=1)

    assert_refused(
        lambda: CareActActivity.objects.create(
            team=team, quarter=quarter, safeguarding_enquiries=-1
        ),
        "care_act_activity_safeguarding_enquiries_not_negative",
    )


def test_quarter_five_refused(db):
    year = FinancialYear.objects.get(start_year=2024)

    assert_refused(
        lambda: Quarter.objects.create(financial_year=year, number=5), "quarter_number_1_to_4"
    )


def register_entry(agreement, **overrides):
    lbb = Organisation.objects.get(short_name="LBB")
    icb = Organisation.objects.get(short_name="SEL ICB")
    values = {
        "agreement": agreement,
        "person_reference": "TEST-1",
        "qualifying_section": "3",
        "detained_on": datetime.date(2024, 1, 1),
        "discharged_on": datetime.date(2024, 3, 1),
        "responsible_council": lbb,
        "responsible_icb": icb,
    } | overrides
    return RegisterEntry.objects.create(**values)


def test_unknown_mha_section_refused(bromley):
    # Section 2 (assessment) does not give a right to s117 aftercare.
    assert_refused(
        lambda: register_entry(bromley, qualifying_section="2"),
        "s117_entry_qualifying_section_valid",
    )


def test_discharge_before_detention_refused(bromley):
    assert_refused(
        lambda: register_entry(bromley, discharged_on=datetime.date(2023, 12, 31)),
        "s117_entry_discharge_after_detention",
    )


def test_ending_aftercare_while_cto_in_force_refused(bromley):
    assert_refused(
        lambda: register_entry(
            bromley,
            cto_in_force=True,
            ended_on=datetime.date(2024, 6, 1),
            end_reason="Joint decision",
        ),
        "s117_entry_not_ended_while_cto_in_force",
    )


def test_ending_aftercare_without_a_reason_refused(bromley):
    assert_refused(
        lambda: register_entry(bromley, ended_on=datetime.date(2024, 6, 1)),
        "s117_entry_end_has_reason",
    )


def test_nhs_number_of_nine_digits_refused(bromley):
    assert_refused(
        lambda: register_entry(bromley, nhs_number="999000001"),
        "s117_entry_nhs_number_ten_digits",
    )


def test_two_open_entitlements_for_one_nhs_number_refused(bromley):
    existing = RegisterEntry.objects.filter(agreement=bromley, ended_on__isnull=True).first()

    assert_refused(
        lambda: register_entry(bromley, nhs_number=existing.nhs_number),
        "s117_entry_one_open_entitlement_per_nhs_number",
    )


def test_kpi_amber_threshold_on_wrong_side_of_target_refused(bromley):
    assert_refused(
        lambda: KPI.objects.create(
            agreement=bromley,
            code="KPI 9",
            name="Wrong way round",
            definition="-",
            unit="percent",
            direction="higher",
            target=Decimal("80"),
            amber_threshold=Decimal("90"),
        ),
        "kpi_amber_threshold_on_the_far_side_of_target",
    )


def test_same_role_twice_in_one_partnership_refused(bromley, django_user_model):
    user = django_user_model.objects.get(username="commissioner")

    assert_refused(
        lambda: Membership.objects.create(user=user, agreement=bromley, role="commissioner"),
        "membership_role_once",
    )


def test_unknown_role_refused(bromley, django_user_model):
    user = django_user_model.objects.get(username="commissioner")

    assert_refused(
        lambda: Membership.objects.create(user=user, agreement=bromley, role="mayor"),
        "membership_role_valid",
    )
