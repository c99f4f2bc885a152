"""The figures of the two seed papers (DESIGN.md §5), computed from the stored source data.

Nothing here reads a stored answer: each figure is derived from contributions, posts,
snapshots, counts, terms and decisions as the product would derive it on a page.
"""

import datetime
from decimal import Decimal

import pytest

from budgets import selectors as budget_selectors
from budgets.models import PooledBudget
from budgets.selectors import extension_approval
from budgets.shares import as_percent
from caseload import selectors as caseload_selectors
from caseload.metrics import rounded
from caseload.models import TeamKind
from partnerships.models import AgreementTerm, Organisation, Quarter
from s117 import selectors as s117_selectors

pytestmark = pytest.mark.django_db

BROMLEY_DECISION_DAY = datetime.date(2023, 11, 29)
END_OF_AUGUST_2019 = datetime.date(2019, 8, 31)


def pool(agreement, start_year):
    return PooledBudget.objects.get(agreement=agreement, financial_year__start_year=start_year)


# Bromley and Oxleas, s31, decision of 29 November 2023


def test_bromley_agreement_approved_2004_for_20_years_expiring_november_2024(bromley):
    initial = bromley.terms.get(kind=AgreementTerm.Kind.INITIAL)

    assert initial.authorised_by.decided_on == datetime.date(2004, 7, 21)
    assert initial.authorised_by.body == "Executive"
    assert initial.length_in_years() == Decimal("20.0")
    assert initial.end_date == datetime.date(2024, 11, 30)


def test_bromley_extension_runs_two_years_to_november_2026(bromley):
    extension = bromley.terms.get(kind=AgreementTerm.Kind.EXTENSION)

    assert extension.start_date == datetime.date(2024, 12, 1)
    assert extension.end_date == datetime.date(2026, 11, 30)
    assert extension.length_in_years() == Decimal("2.0")
    assert extension.authorised_by.decided_on == BROMLEY_DECISION_DAY
    assert bromley.end_date == extension.end_date


def test_bromley_value_uplifted_2_5_percent_a_year_gives_the_decision_table(bromley):
    projection = bromley.value_projections.get()

    years = projection.years_to(datetime.date(2026, 11, 30))

    assert projection.base_value == Decimal("1780440")
    assert [(year.label, year.value) for year in years] == [
        ("2024", Decimal("1824951")),
        ("2025", Decimal("1870575")),
        ("2026", Decimal("1917339")),
    ]


def test_bromley_extension_costs_3_787_914(bromley):
    extension = bromley.terms.get(kind=AgreementTerm.Kind.EXTENSION)

    assert budget_selectors.term_cost(extension) == Decimal("3787914")
    assert extension.authorised_by.value == budget_selectors.term_cost(extension)


def test_bromley_extension_needs_executive_approval_being_over_1_million(bromley):
    extension = bromley.terms.get(kind=AgreementTerm.Kind.EXTENSION)

    route = extension_approval(extension)

    assert route.exceeds == Decimal("1000000")
    assert route.approver == "Executive"
    assert route.rule == "CPR 13.1"
    assert extension.authorised_by.body == route.approver


def test_bromley_2022_23_pool_and_lbb_share_of_8_8_percent(bromley):
    pooled = pool(bromley, 2022)

    planned = budget_selectors.planned_by_partner(pooled)
    shares = budget_selectors.partner_shares(pooled)

    assert planned == {"LBB": Decimal("1618413.00"), "Oxleas": Decimal("16828651.00")}
    assert budget_selectors.pool_total(pooled) == Decimal("18447064.00")
    assert as_percent(shares["LBB"]) == Decimal("8.8")
    assert as_percent(shares["Oxleas"]) == Decimal("91.2")


def test_bromley_has_35_posts_with_6_vacancies(bromley):
    staffing = caseload_selectors.staffing(bromley, BROMLEY_DECISION_DAY)

    assert staffing.posts == 35
    assert staffing.vacant_posts == 6
    assert staffing.filled_posts == 29
    assert as_percent(staffing.vacancy_rate) == Decimal("17.1")


def test_bromley_began_with_3_staff_tupe_transferred_and_32_seconded(bromley):
    staffing = caseload_selectors.staffing(bromley, BROMLEY_DECISION_DAY)

    assert staffing.tupe_at_start == 3
    assert staffing.seconded_at_start == 32


def test_bromley_364_referrals_and_212_assessments_over_12_months(bromley):
    quarters = Quarter.objects.filter(financial_year__start_year=2022)

    totals = caseload_selectors.activity_totals(bromley, quarters)

    assert totals["referrals"] == 364
    assert totals["assessments"] == 212


def test_bromley_review_made_ten_recommendations_most_complete_care_act_and_safeguarding_open(
    bromley,
):
    recommendations = list(bromley.reviews.get().recommendations.all())
    still_open = [r for r in recommendations if r.status != r.Status.COMPLETE]

    assert [r.reference for r in recommendations] == [f"3.8.{n}" for n in range(1, 11)]
    assert len(still_open) < len(recommendations) / 2
    open_text = " ".join(r.text for r in still_open)
    assert "Care Act" in open_text
    assert "afeguarding" in open_text


# Oxfordshire and Oxford Health, s75, report of February 2020


def test_oxfordshire_2018_19_planned_contributions_1_8m_and_5_8m(oxfordshire):
    planned = budget_selectors.planned_by_partner(pool(oxfordshire, 2018))

    assert planned == {"OCC": Decimal("1800000.00"), "OHFT": Decimal("5800000.00")}


def test_oxfordshire_amht_staffing_is_168_wte_without_fs_and_eis(oxfordshire):
    wte = caseload_selectors.establishment_wte(oxfordshire, caseload_selectors.LOCALITY_TEAM_KINDS)

    assert oxfordshire.teams.filter(kind__in=caseload_selectors.LOCALITY_TEAM_KINDS).count() == 3
    assert wte == Decimal("168.00")


def test_oxfordshire_41_5_wte_funded_by_occ_of_which_4_7_seconded(oxfordshire):
    occ = Organisation.objects.get(short_name="OCC")

    staffing = caseload_selectors.staffing(oxfordshire, END_OF_AUGUST_2019, funder=occ)

    assert staffing.wte == Decimal("41.50")
    assert staffing.seconded_wte == Decimal("4.70")
    teams = set(
        caseload_selectors.posts_on(oxfordshire, END_OF_AUGUST_2019).values_list(
            "team__kind", flat=True
        )
    )
    assert teams == {TeamKind.AMHT, TeamKind.IMHT, TeamKind.EIS, TeamKind.FS, TeamKind.MANAGEMENT}


def test_oxfordshire_caseload_of_580_across_las_and_carenotes(oxfordshire):
    by_system = caseload_selectors.caseload_by_system(oxfordshire, END_OF_AUGUST_2019)

    assert set(by_system) == {"LAS", "Carenotes"}
    assert sum(by_system.values()) > 580  # some cases are recorded in both systems
    assert caseload_selectors.caseload_total(oxfordshire, END_OF_AUGUST_2019) == 580


def test_oxfordshire_average_caseload_is_24_per_case_holding_wte(oxfordshire):
    average = caseload_selectors.average_caseload(oxfordshire, END_OF_AUGUST_2019)

    assert rounded(average) == 24


def test_oxfordshire_older_adults_team_transferred_back_with_all_staff_tupe_to_occ(oxfordshire):
    older_adults = oxfordshire.teams.get(kind=TeamKind.OA)
    transferred = older_adults.posts.filter(valid_from=older_adults.left_agreement_on)

    assert older_adults.operated_by.short_name == "OCC"
    assert not older_adults.in_agreement_on(END_OF_AUGUST_2019)
    assert transferred.exists()
    assert set(transferred.values_list("employer__short_name", "basis")) == {("OCC", "tupe")}
    assert not older_adults.posts.exclude(pk__in=transferred).exists()


def test_oxfordshire_s117_302_older_adults_and_1664_working_age(oxfordshire):
    report_day = datetime.date(2020, 2, 1)

    older_adults = s117_selectors.reported_total(oxfordshire, report_day, team_kinds=[TeamKind.OA])
    working_age = s117_selectors.reported_total(
        oxfordshire, report_day, team_kinds=caseload_selectors.LOCALITY_TEAM_KINDS
    )

    assert older_adults == 302
    assert working_age == 1664


def test_oxfordshire_governed_by_the_mental_health_provider_jmg(oxfordshire):
    jmg = oxfordshire.governance_bodies.get(kind="jmg")

    assert jmg.name == "Mental Health Provider Joint Management Group"


def test_demo_users_have_role_titles_not_names(db, django_user_model):
    names = {(u.first_name, u.last_name) for u in django_user_model.objects.all()}

    assert ("JMG member", "(demo)") in names
    assert ("Scrutiny officer", "(demo)") in names
