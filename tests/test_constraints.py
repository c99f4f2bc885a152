"""The database itself refuses rows that must never exist, whatever path they come by.

Each test writes straight through the ORM's create() (no form, no full_clean), as a
script or a bulk import would, and expects the database to say no.
"""

import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import F, UniqueConstraint
from django.utils import timezone

from budgets.models import (
    AgreedShare,
    BudgetRevision,
    Contribution,
    ContributionOutturn,
    PooledBudget,
    Pot,
    RevisionChange,
    Virement,
)
from caseload.models import (
    CareActActivity,
    CaseloadOverlap,
    CaseloadSnapshot,
    PeriodActivity,
    SourceSystem,
    StaffPost,
)
from partnerships.models import (
    KPI,
    Agreement,
    AgreementPartner,
    ApprovalThreshold,
    ExtensionOption,
    FinancialYear,
    GovernanceBody,
    Meeting,
    Membership,
    Organisation,
    PendingUpload,
    Proposal,
    Quarter,
    Recommendation,
)
from reports.models import Paragraph, PublishedVersion, Report
from returns.models import ReturnSchedule
from s117.models import (
    AccessLog,
    AftercarePackage,
    ExportLog,
    FundingDecision,
    RegisterCount,
    RegisterEntry,
    Responsibility,
)
from s117.models import Review as S117Review
from tasks.models import ReminderPreference, SentReminder

pytestmark = pytest.mark.django_db


def constraint_named(name):
    for model in apps.get_models():
        for constraint in model._meta.constraints:
            if constraint.name == name:
                return model, constraint
    raise LookupError(name)


def assert_refused(create, constraint):
    """The write fails with the named constraint. PostgreSQL names every constraint in its
    message, and SQLite names CHECK constraints; SQLite reports a UNIQUE failure by its
    columns instead, so then the constraint's columns must be the ones named."""
    with pytest.raises(IntegrityError) as error, transaction.atomic():
        create()
    message = str(error.value)
    if "UNIQUE constraint failed" in message:
        model, unique = constraint_named(constraint)
        assert isinstance(unique, UniqueConstraint)
        columns = [
            f"{model._meta.db_table}.{model._meta.get_field(field).column}"
            for field in unique.fields
        ]
        assert message.removeprefix("UNIQUE constraint failed: ") == ", ".join(columns)
    else:
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
        lambda: Contribution.objects.create(
            pooled_budget=pool, partner=lbb, original=Decimal(0), planned=Decimal("-1")
        ),
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
        "contribution_once_per_partner_per_pot",
    )


def test_second_fund_of_the_same_name_in_a_year_refused(pooled_budget):
    assert_refused(
        lambda: PooledBudget.objects.create(
            agreement=pooled_budget.agreement,
            financial_year=pooled_budget.financial_year,
            name=pooled_budget.name,
        ),
        "pooled_budget_fund_named_once_a_year",
    )


def test_a_second_fund_of_another_name_in_the_same_year_is_allowed(pooled_budget):
    carers = PooledBudget.objects.create(
        agreement=pooled_budget.agreement,
        financial_year=pooled_budget.financial_year,
        name="Carers' services",
    )

    assert set(
        pooled_budget.agreement.pooled_budgets.filter(financial_year=pooled_budget.financial_year)
    ) == {pooled_budget, carers}


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


def test_host_that_has_been_succeeded_leaves_room_for_the_next(bromley, lbb):
    AgreementPartner.objects.filter(agreement=bromley, is_host=True).update(
        to_date=datetime.date(2022, 6, 30)
    )
    AgreementPartner.objects.filter(agreement=bromley, organisation=lbb).update(is_host=True)

    assert bromley.partners.filter(is_host=True).count() == 2


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


def test_a_teams_year_figures_are_one_row(bromley):
    team, year = bromley.teams.first(), FinancialYear.objects.get(start_year=2024)
    PeriodActivity.objects.create(team=team, financial_year=year, period=0, referrals=364)

    assert_refused(
        lambda: PeriodActivity.objects.create(team=team, financial_year=year, period=0),
        "period_activity_once_a_period",
    )


def test_a_month_outside_the_year_refused(bromley):
    team, year = bromley.teams.first(), FinancialYear.objects.get(start_year=2024)

    assert_refused(
        lambda: PeriodActivity.objects.create(team=team, financial_year=year, period=13),
        "period_activity_period_valid",
    )


@pytest.mark.parametrize(
    ("field", "constraint"),
    [
        ("referrals", "period_activity_referrals_not_negative"),
        ("assessments", "period_activity_assessments_not_negative"),
        ("reviews", "period_activity_reviews_not_negative"),
        ("carers_assessments", "period_activity_carers_assessments_not_negative"),
        ("safeguarding_enquiries", "period_activity_safeguarding_enquiries_not_negative"),
    ],
)
def test_negative_monthly_count_refused(bromley, field, constraint):
    team, year = bromley.teams.first(), FinancialYear.objects.get(start_year=2024)

    assert_refused(
        lambda: PeriodActivity.objects.create(
            team=team, financial_year=year, period=10, **{field: -1}
        ),
        constraint,
    )


def test_negative_days_to_complete_refused(bromley):
    team, year = bromley.teams.first(), FinancialYear.objects.get(start_year=2024)

    assert_refused(
        lambda: PeriodActivity.objects.create(
            team=team, financial_year=year, period=0, days_to_complete=Decimal("-0.5")
        ),
        "period_activity_days_not_negative",
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
            end_agreed_by_council_on=datetime.date(2024, 5, 20),
            end_agreed_by_icb_on=datetime.date(2024, 5, 28),
            end_reason="Joint decision",
        ),
        "s117_entry_not_ended_while_cto_in_force",
    )


def test_ending_aftercare_without_a_reason_refused(bromley):
    assert_refused(
        lambda: register_entry(
            bromley,
            ended_on=datetime.date(2024, 6, 1),
            end_agreed_by_council_on=datetime.date(2024, 5, 20),
            end_agreed_by_icb_on=datetime.date(2024, 5, 28),
        ),
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


def test_kpi_with_neither_target_nor_amber_threshold_accepted(bromley):
    kpi = KPI.objects.create(
        agreement=bromley,
        code="KPI 9",
        name="Being baselined",
        definition="-",
        unit="percent",
        direction="higher",
    )

    assert KPI.objects.get(pk=kpi.pk).target is None


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


# Every other named constraint: each case copies a real row and breaks exactly one rule.


def clone(obj, **changes):
    """A new row copied from `obj`, with `changes`, inserted without validation."""
    new = type(obj).objects.get(pk=obj.pk)
    new.pk = new.id = None
    new._state.adding = True
    for name, value in changes.items():
        setattr(new, name, value)
    new.save(force_insert=True)
    return new


def org(short_name):
    return Organisation.objects.get(short_name=short_name)


def bromley_():
    return Agreement.objects.get(slug="bromley-oxleas-mh")


def oxfordshire_():
    return Agreement.objects.get(slug="oxfordshire-mh-social-work")


def term(kind):
    return bromley_().terms.get(kind=kind)


def decision(kind):
    return bromley_().decisions.get(kind=kind)


def proposal(**changes):
    values = {
        "agreement": bromley_(),
        "kind": "extension",
        "proposed_end_date": DAY(2027, 11, 30),
        "value": Decimal(0),
        "summary": "A year more.",
    }
    return Proposal.objects.create(**(values | changes))


def option(**changes):
    """An option after Bromley's extension, which ends on 30 November 2026: valid but for
    `changes`."""
    values = {
        "agreement": bromley_(),
        "extension": term("extension"),
        "start_date": DAY(2026, 12, 1),
        "end_date": DAY(2027, 11, 30),
        "exercise_by": DAY(2026, 8, 31),
    }
    return ExtensionOption.objects.create(**(values | changes))


def with_option(**changes):
    values = {
        "option_end_date": DAY(2028, 11, 30),
        "option_exercise_by": DAY(2027, 5, 31),
        "option_value": Decimal(1),
    }
    return proposal(**(values | changes))


def post():
    return StaffPost.objects.filter(team__agreement=bromley_(), basis="seconded").first()


def kpi():
    return KPI.objects.get(agreement=bromley_(), code="KPI 1")


def recommendation(status):
    return Recommendation.objects.filter(review__agreement=bromley_(), status=status).first()


def ended_entry():
    return RegisterEntry.objects.get(person_reference="BR-S117-0005")


def activity():
    return CareActActivity.objects.filter(team__agreement=bromley_()).first()


def other_quarter():
    return Quarter.objects.get(financial_year__start_year=2030, number=1)


def lbb_contribution():
    return bromley_().pooled_budgets.get().contributions.get(partner__short_name="LBB")


def a_pot():
    return bromley_().pooled_budgets.get().pots.get()


def agreed_share(percent=Decimal("71.43")):
    return AgreedShare.objects.create(
        pooled_budget=bromley_().pooled_budgets.get(), partner=org("LBB"), percent=percent
    )


def revision(reason="Virement agreed by the JMG"):
    return BudgetRevision.objects.create(
        pooled_budget=bromley_().pooled_budgets.get(), made_on=DAY(2023, 12, 1), reason=reason
    )


def revision_change(amount=Decimal("-500.00")):
    return RevisionChange.objects.create(
        revision=revision(), contribution=lbb_contribution(), amount=amount
    )


def virement(**changes):
    pool = bromley_().pooled_budgets.get()
    first = a_pot()
    other = Pot.objects.create(pooled_budget=pool, name="Transformation", position=2)
    values = {
        "revision": revision(),
        "partner": org("LBB"),
        "from_pot": first,
        "to_pot": other,
        "amount": Decimal("1000.00"),
    }
    return Virement.objects.create(**(values | changes))


def outturn():
    contribution = bromley_().pooled_budgets.get().contributions.get(partner__short_name="LBB")
    return ContributionOutturn.objects.create(
        contribution=contribution,
        quarter=Quarter.objects.get(financial_year__start_year=2022, number=1),
        forecast=Decimal("1618413.00"),
    )


def meeting():
    body = GovernanceBody.objects.filter(agreement=bromley_()).first()
    return Meeting.objects.create(body=body, held_on=datetime.date(2023, 7, 12))


def package():
    return AftercarePackage.objects.create(
        entry=ended_entry(),
        description="Supported accommodation",
        weekly_cost=Decimal("850.00"),
        start_date=datetime.date(2018, 7, 20),
    )


def funding_decision():
    return FundingDecision.objects.create(
        package=package(),
        decided_on=datetime.date(2018, 7, 10),
        applies_from=datetime.date(2018, 7, 20),
        council_share_percent=Decimal("50.00"),
        agreed_by="Joint funding panel",
    )


def report():
    return Report.objects.create(
        agreement=bromley_(), kind="jmg", period="2022/23-Q4", title="JMG paper 2022/23 Q4"
    )


def paragraph():
    return Paragraph.objects.create(report=report(), section="budget", position=1, text="-")


def published():
    user = get_user_model().objects.get(username="admin")
    return PublishedVersion.objects.create(
        report=report(),
        number=1,
        published_at=timezone.now(),
        published_by=user,
        data={},
        html="<p>paper</p>",
        pdf=b"%PDF",
        sha256="0" * 64,
    )


def a_return():
    from returns.models import QuarterlyReturn

    quarter = Quarter.objects.get(financial_year__start_year=2022, number=4)
    return QuarterlyReturn.objects.get_or_create(agreement=bromley_(), quarter=quarter)[0]


def a_section_state():
    from returns.models import SectionState

    return SectionState.objects.get_or_create(
        quarterly_return=a_return(),
        section="kpi",
        defaults={"state": "completed", "marked_at": timezone.now()},
    )[0]


def quality_settings(**changes):
    from dashboards.models import QualitySettings

    return QualitySettings.objects.create(agreement=bromley_(), **changes)


def an_explanation():
    from dashboards.models import FlagExplanation

    return FlagExplanation.objects.get_or_create(
        agreement=bromley_(),
        quarter=a_return().quarter,
        check_code="reviews_overdue",
        key="register",
        defaults={"text": "Booked.", "explained_at": timezone.now()},
    )[0]


def a_schedule(**days):

    return ReturnSchedule.objects.create(agreement=bromley_(), **days)


def access_log(**changes):
    user = get_user_model().objects.get(username="s117.officer")
    log = AccessLog.about(ended_entry(), by=user, action="peek")
    for name, value in changes.items():
        setattr(log, name, value)
    return log.save()


def responsibility(**changes):
    """A period of responsibility for an ended entry from a day no other period has."""
    values = {
        "entry": ended_entry(),
        "starts_on": DAY(2019, 1, 1),
        "responsible_council": org("LBB"),
        "responsible_icb": org("SEL ICB"),
        "reason": "Moved",
    }
    return Responsibility.objects.create(**(values | changes))


def export_log(**changes):
    values = {
        "user": get_user_model().objects.get(username="s117.officer"),
        "username": "s117.officer",
        "agreement": bromley_(),
        "what": "register",
        "file_format": "csv",
        "query": "",
        "rows": 1,
    }
    return ExportLog.objects.create(**(values | changes))


def pending_upload(**changes):
    values = {
        "token": "t",
        "user": get_user_model().objects.get(username="s117.officer"),
        "agreement": bromley_(),
        "kind": "s117_register",
        "file_name": "register.csv",
        "content": b"",
        "checked": "",
        "created_at": timezone.now(),
        "expires_at": timezone.now() + datetime.timedelta(minutes=30),
    }
    return PendingUpload.objects.create(**(values | changes))


DAY = datetime.date
CASES = {
    "organisation_kind_valid": lambda: clone(
        org("LBB"), name="X1", gss_code="", council_type="", kind="charity"
    ),
    "organisation_ods_code_unique": lambda: clone(org("Oxleas"), name="X2"),
    "organisation_gss_code_unique": lambda: clone(org("LBB"), name="X3"),
    "organisation_gss_code_only_for_councils": lambda: clone(
        org("Oxleas"), name="X4", ods_code="", gss_code="E09000099"
    ),
    "organisation_council_type_valid": lambda: clone(
        org("Oxleas"), name="X5", ods_code="", council_type="county"
    ),
    "organisation_dissolved_after_established": lambda: clone(
        org("OCCG"), name="X6", ods_code="", dissolved_on=DAY(2013, 3, 31)
    ),
    "organisation_successor_needs_dissolved_on": lambda: clone(
        org("OCCG"), name="X7", ods_code="", dissolved_on=None
    ),
    "organisation_not_its_own_successor": lambda: Organisation.objects.filter(
        pk=clone(org("OCCG"), name="X8", ods_code="").pk
    ).update(successor=F("pk")),
    "agreement_partner_to_after_from": lambda: clone(
        AgreementPartner.objects.get(agreement=bromley_(), organisation=org("SEL CCG")),
        agreement=oxfordshire_(),
        to_date=DAY(2020, 3, 31),
    ),
    "agreement_status_valid": lambda: clone(bromley_(), slug="x", status="paused"),
    "agreement_partner_once": lambda: clone(
        AgreementPartner.objects.get(agreement=bromley_(), organisation=org("LBB"))
    ),
    "agreement_partner_role_valid": lambda: clone(
        AgreementPartner.objects.get(agreement=bromley_(), organisation=org("LBB")),
        agreement=oxfordshire_(),
        role="owner",
    ),
    "decision_value_not_negative": lambda: clone(decision("extension"), value=Decimal(-1)),
    "decision_kind_valid": lambda: clone(decision("extension"), kind="whim"),
    "decision_outcome_valid": lambda: clone(decision("extension"), outcome="deferred"),
    "proposal_kind_valid": lambda: proposal(kind="renewal"),
    "proposal_value_not_negative": lambda: proposal(value=Decimal(-1)),
    "proposal_extension_has_end_date": lambda: proposal(proposed_end_date=None),
    "proposal_variation_keeps_end_date": lambda: proposal(kind="variation"),
    "proposal_one_open_per_agreement": lambda: (proposal(), proposal()),
    "proposal_option_whole_and_on_an_extension": lambda: with_option(option_value=None),
    "proposal_option_follows_the_extension": lambda: with_option(option_end_date=DAY(2027, 11, 30)),
    "extension_option_end_after_start": lambda: option(end_date=DAY(2026, 12, 1)),
    "extension_option_exercised_before_it_starts": lambda: option(exercise_by=DAY(2026, 12, 1)),
    "extension_option_status_valid": lambda: option(status="pending"),
    "extension_option_exercised_has_decision_and_term": lambda: option(status="exercised"),
    "extension_option_lapsed_has_date": lambda: option(status="lapsed"),
    "agreement_term_end_after_start": lambda: clone(
        term("extension"), start_date=DAY(2030, 1, 1), end_date=DAY(2029, 1, 1)
    ),
    "agreement_term_start_unique": lambda: clone(term("extension")),
    "agreement_one_initial_term": lambda: clone(term("initial"), start_date=DAY(1999, 1, 1)),
    "governance_body_unique": lambda: clone(
        GovernanceBody.objects.filter(agreement=bromley_()).first()
    ),
    "governance_body_kind_valid": lambda: clone(
        GovernanceBody.objects.filter(agreement=bromley_()).first(), name="X", kind="club"
    ),
    "meeting_once_a_day": lambda: clone(meeting()),
    "kpi_code_unique": lambda: clone(kpi()),
    "kpi_direction_valid": lambda: clone(kpi(), code="K9", direction="side"),
    "kpi_unit_valid": lambda: clone(kpi(), code="K8", unit="furlongs"),
    "kpi_percent_target_in_range": lambda: clone(
        # the threshold in range, so that only the target breaks a rule
        kpi(),
        code="K7",
        target=Decimal(120),
        amber_threshold=Decimal(90),
    ),
    "kpi_target_and_amber_threshold_together": lambda: clone(
        kpi(), code="K6", amber_threshold=None
    ),
    "kpi_percent_amber_threshold_in_range": lambda: clone(
        kpi(), code="K5", direction="lower", target=Decimal(95), amber_threshold=Decimal(101)
    ),
    "kpi_value_once_a_quarter": lambda: clone(kpi().values.first()),
    "review_title_unique": lambda: clone(bromley_().reviews.get()),
    "recommendation_reference_unique": lambda: clone(recommendation("in_progress")),
    "recommendation_status_valid": lambda: clone(
        recommendation("in_progress"), reference="9.9", status="meh"
    ),
    "recommendation_completed_on_iff_complete": lambda: clone(
        recommendation("in_progress"), reference="9.8", completed_on=DAY(2024, 1, 1)
    ),
    "progress_note_status_after_valid": lambda: clone(
        recommendation("in_progress").progress_notes.first(), status_after="meh"
    ),
    "financial_year_in_range": lambda: FinancialYear.objects.create(start_year=1800),
    "quarter_unique": lambda: clone(other_quarter()),
    "pooled_budget_risk_share_rule_valid": lambda: clone(
        bromley_().pooled_budgets.get(),
        financial_year=FinancialYear.objects.get(start_year=2030),
        risk_share_rule="chance",
    ),
    "contribution_risk_share_percent_in_range": lambda: clone(
        bromley_().pooled_budgets.get().contributions.get(partner__short_name="LBB"),
        partner=org("SEL ICB"),
        risk_share_percent=Decimal(150),
    ),
    "contribution_outturn_once_a_month": lambda: clone(outturn()),
    "contribution_outturn_month_in_year": lambda: clone(
        outturn(), quarter=Quarter.objects.get(financial_year__start_year=2022, number=2), month=13
    ),
    "contribution_once_per_partner_per_pot": lambda: clone(lbb_contribution()),
    "contribution_original_not_negative": lambda: clone(
        lbb_contribution(), partner=org("SEL ICB"), original=Decimal("-0.01")
    ),
    "pooled_budget_fund_named_once_a_year": lambda: clone(bromley_().pooled_budgets.get()),
    "pooled_budget_fund_has_a_name": lambda: clone(
        bromley_().pooled_budgets.get(),
        financial_year=FinancialYear.objects.get(start_year=2030),
        name="",
    ),
    "pot_named_once_a_fund": lambda: clone(a_pot()),
    "pot_has_a_name": lambda: clone(a_pot(), name=""),
    "pot_arrangement_valid": lambda: clone(a_pot(), name="Loose", arrangement="loose"),
    "agreed_share_once_per_partner": lambda: clone(agreed_share()),
    "agreed_share_percent_in_range": lambda: agreed_share(percent=Decimal("100.01")),
    "budget_revision_has_a_reason": lambda: revision(reason=""),
    "revision_change_once_per_contribution": lambda: clone(revision_change()),
    "revision_change_not_zero": lambda: revision_change(amount=Decimal(0)),
    "virement_amount_positive": lambda: virement(amount=Decimal(0)),
    "virement_between_two_pots": lambda: virement(to_pot=a_pot(), from_pot=a_pot()),
    "contribution_outturn_actual_not_negative": lambda: clone(
        outturn(),
        quarter=Quarter.objects.get(financial_year__start_year=2022, number=2),
        actual_to_date=Decimal(-1),
    ),
    "value_projection_once_per_base": lambda: clone(bromley_().value_projections.get()),
    "value_projection_base_not_negative": lambda: clone(
        bromley_().value_projections.get(),
        base_year_ending=DAY(2030, 11, 30),
        base_value=Decimal(-1),
    ),
    "value_projection_uplift_rate_in_range": lambda: clone(
        bromley_().value_projections.get(),
        base_year_ending=DAY(2031, 11, 30),
        uplift_rate=Decimal("0.9"),
    ),
    "team_name_unique": lambda: clone(bromley_().teams.first()),
    "team_kind_valid": lambda: clone(bromley_().teams.first(), name="X", kind="choir"),
    "team_establishment_wte_in_range": lambda: clone(
        bromley_().teams.first(), name="Y", establishment_wte=Decimal(-1)
    ),
    "staff_post_reference_unique": lambda: clone(post()),
    "staff_post_basis_valid": lambda: clone(post(), reference="Z1", basis="volunteer"),
    "staff_post_origin_valid": lambda: clone(post(), reference="Z2", origin="magic"),
    "staff_post_role_valid": lambda: clone(post(), reference="Z3", role="wizard"),
    "staff_post_change_not_before_start": lambda: clone(
        post(), reference="Z4", changed_on=DAY(2000, 1, 1)
    ),
    "staff_post_change_not_after_end": lambda: clone(
        post(), reference="Z5", valid_to=DAY(2020, 1, 1), changed_on=DAY(2021, 1, 1)
    ),
    "care_act_activity_once_a_quarter": lambda: clone(activity()),
    "care_act_activity_referrals_not_negative": lambda: clone(
        activity(), quarter=other_quarter(), referrals=-1
    ),
    "care_act_activity_assessments_not_negative": lambda: clone(
        activity(), quarter=other_quarter(), assessments=-1
    ),
    "care_act_activity_reviews_not_negative": lambda: clone(
        activity(), quarter=other_quarter(), reviews=-1
    ),
    "care_act_activity_carers_assessments_not_negative": lambda: clone(
        activity(), quarter=other_quarter(), carers_assessments=-1
    ),
    "s117_entry_reference_unique": lambda: clone(ended_entry()),
    "s117_entry_council_share_in_range": lambda: clone(
        ended_entry(), person_reference="Z", council_share_percent=Decimal(101)
    ),
    "s117_entry_ends_after_discharge": lambda: clone(
        ended_entry(), person_reference="Z2", ended_on=DAY(2018, 7, 1)
    ),
    "aftercare_package_cost_not_negative": lambda: clone(package(), weekly_cost=Decimal(-1)),
    "aftercare_package_end_after_start": lambda: clone(package(), end_date=DAY(2018, 1, 1)),
    "aftercare_package_annual_cost_not_negative": lambda: clone(
        package(), weekly_cost=None, annual_cost=Decimal(-1)
    ),
    "aftercare_package_cost_weekly_or_annual": lambda: clone(
        package(), annual_cost=Decimal("44200.00")
    ),
    "aftercare_package_placement_valid": lambda: clone(package(), placement="hotel"),
    "aftercare_package_reference_once_a_person": lambda: clone(
        clone(package(), reference="P1"), start_date=DAY(2019, 1, 1)
    ),
    "s117_entry_support_reason_valid": lambda: clone(
        ended_entry(), person_reference="Z6", primary_support_reason="unhappy"
    ),
    "s117_funding_decision_once_a_day": lambda: clone(funding_decision()),
    "s117_funding_decision_share_in_range": lambda: clone(
        funding_decision(), applies_from=DAY(2019, 4, 1), council_share_percent=Decimal(101)
    ),
    "s117_funding_decision_says_who_agreed": lambda: clone(
        funding_decision(), applies_from=DAY(2019, 4, 1), agreed_by=""
    ),
    "s117_count_once_per_team_date": lambda: clone(RegisterCount.objects.first()),
    "s117_count_not_negative": lambda: clone(
        RegisterCount.objects.first(), as_at=DAY(2030, 1, 1), people=-1
    ),
    "s117_access_log_action_valid": access_log,
    "s117_access_log_names_who_and_whom": lambda: access_log(action="view", person_reference=""),
    "s117_entry_born_before_detention": lambda: clone(
        ended_entry(),
        person_reference="Z4",
        date_of_birth=ended_entry().detained_on + DAY.resolution,
    ),
    "pending_upload_kind_valid": lambda: pending_upload(kind="email"),
    "pending_upload_expires_after_it_is_made": lambda: pending_upload(
        expires_at=timezone.now() - datetime.timedelta(hours=1)
    ),
    "quarterly_return_once": lambda: clone(a_return()),
    "return_schedule_return_days_in_range": lambda: a_schedule(return_working_days=0),
    "return_section_state_once": lambda: clone(a_section_state()),
    "return_section_state_valid": lambda: clone(a_section_state(), section="action", state="x"),
    "quality_settings_systems_apart_in_range": lambda: quality_settings(systems_apart_percent=0),
    "flag_explanation_once": lambda: clone(an_explanation()),
    "flag_explanation_not_blank": lambda: clone(an_explanation(), key="other", text=""),
    "return_schedule_sign_off_days_in_range": lambda: a_schedule(sign_off_working_days=131),
    "quarterly_return_status_valid": lambda: clone(
        a_return(), quarter=other_quarter(), status="lost"
    ),
    "quarterly_return_sign_off_says_who_and_when": lambda: clone(
        a_return(), quarter=other_quarter(), status="signed_off"
    ),
    "quarterly_return_reopened_with_reason": lambda: clone(
        a_return(), quarter=other_quarter(), status="reopened"
    ),
    "s117_entry_end_agreed_by_both": lambda: clone(
        ended_entry(), person_reference="Z3", end_agreed_by_icb_on=None
    ),
    "s117_review_once_a_day": lambda: clone(S117Review.objects.first()),
    "s117_responsibility_once_a_day": lambda: clone(responsibility()),
    "s117_responsibility_has_reason": lambda: responsibility(reason=""),
    "s117_export_log_what_valid": lambda: export_log(what="everything"),
    "s117_export_log_format_valid": lambda: export_log(file_format="pdf"),
    "s117_export_log_names_who": lambda: export_log(username=""),
    "s117_review_outcome_valid": lambda: clone(
        S117Review.objects.first(),
        reviewed_on=DAY(2030, 1, 1),
        outcome="shrug",
        next_review_due=None,
    ),
    "s117_review_next_after_this": lambda: clone(
        S117Review.objects.first(), reviewed_on=DAY(2030, 1, 1), next_review_due=DAY(2029, 1, 1)
    ),
    "approval_threshold_unique": lambda: clone(ApprovalThreshold.objects.first()),
    "approval_threshold_not_negative": lambda: clone(
        ApprovalThreshold.objects.first(), exceeds=Decimal(-1)
    ),
    "caseload_overlap_once_per_team_date": lambda: clone(CaseloadOverlap.objects.first()),
    "caseload_overlap_not_negative": lambda: clone(
        CaseloadOverlap.objects.first(), as_at=DAY(2030, 1, 1), cases_in_more_than_one_system=-1
    ),
    "report_once_per_kind_and_period": lambda: clone(report()),
    "report_kind_valid": lambda: clone(report(), period="2023/24", kind="memo"),
    "paragraph_position_unique": lambda: clone(paragraph()),
    "published_version_unique": lambda: clone(published()),
    "published_version_from_1": lambda: clone(published(), number=0, change_note="Typo"),
    "published_version_correction_says_what_changed": lambda: clone(published(), number=2),
    "sent_reminder_once": lambda: [sent_reminder(), sent_reminder()],
    "reminder_preference_stopped_says_when": lambda: ReminderPreference.objects.create(
        user=a_user(), stopped=True, stopped_at=None
    ),
}


def a_user():
    return get_user_model().objects.get(username="commissioner")


def sent_reminder():
    return SentReminder.objects.create(user=a_user(), key="report-draft:1", sent_at=timezone.now())


@pytest.mark.parametrize("constraint", sorted(CASES))
def test_database_refuses_row_breaking(constraint):
    FinancialYear.objects.get_or_create(start_year=2030)
    year = FinancialYear.objects.get(start_year=2030)
    Quarter.objects.get_or_create(financial_year=year, number=1)

    assert_refused(CASES[constraint], constraint)


def test_every_named_constraint_has_a_test():
    source = Path(__file__).read_text()
    untested = [
        constraint.name
        for label in ("partnerships", "returns", "budgets", "caseload", "s117", "reports", "tasks")
        for model in apps.get_app_config(label).get_models()
        if not model.__name__.startswith("Historical")
        for constraint in model._meta.constraints
        if f'"{constraint.name}"' not in source
    ]

    assert untested == []
