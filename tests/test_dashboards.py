"""What a JMG member sees on each dashboard page: the seed papers' figures (DESIGN.md §5),
computed from the demo source data, and a fixed number of queries however many rows."""

import datetime
from decimal import Decimal

import pytest

from caseload.models import StaffPost
from partnerships.models import Quarter

pytestmark = pytest.mark.django_db

BROMLEY = "/partnerships/bromley-oxleas-mh"
OXFORDSHIRE = "/partnerships/oxfordshire-mh-social-work"


@pytest.fixture
def jmg(client, django_user_model):
    client.force_login(django_user_model.objects.get(username="jmg.member"))
    return client


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        f"{BROMLEY}/",
        f"{BROMLEY}/budget/?period=2022/23-Q4",
        f"{OXFORDSHIRE}/staffing/?period=2019/20-Q2",
        f"{OXFORDSHIRE}/caseload/?period=2019/20-Q2",
        f"{BROMLEY}/kpis/?period=2022/23-Q4",
        f"{BROMLEY}/actions/",
    ],
)
def test_each_section_heading_appears_once(jmg, url):
    import re

    headings = re.findall(r"<h[1-3][^>]*>(.*?)</h[1-3]>", page(jmg, url), flags=re.S)

    assert headings and len(headings) == len(set(headings)), headings


def test_bromley_agreement_shows_term_extension_and_its_cost(jmg):
    text = page(jmg, f"{BROMLEY}/")

    assert "1 December 2004 to 30 November 2026" in text
    assert "£3,787,914" in text
    assert "DSSH04050" in text


def test_bromley_agreement_lists_past_partners_with_their_successors(jmg):
    import re

    text = page(jmg, f"{BROMLEY}/")
    rows = [
        re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip()
        for row in re.findall(r"<tr class=\"govuk-table__row\">(.*?)</tr>", text, flags=re.S)
    ]

    assert (
        "NHS South East London Clinical Commissioning Group (SEL CCG) Clinical commissioning "
        "group Consenting body No 1 April 2020 to 30 June 2022, succeeded by NHS South East "
        "London Integrated Care Board" in rows
    )
    assert (
        "NHS South East London Integrated Care Board (SEL ICB) Integrated care board "
        "Consenting body No From 1 July 2022" in rows
    )
    assert (
        "Bromley Primary Care Trust (Bromley PCT) Primary care trust Consenting body No "
        "To 31 March 2013, succeeded by NHS Bromley Clinical Commissioning Group" in rows
    )
    assert (
        "London Borough of Bromley (LBB) London borough Commissioner No Throughout the "
        "agreement" in rows
    )


def test_bromley_budget_shows_pool_shares_and_uplifted_value(jmg):
    text = page(jmg, f"{BROMLEY}/budget/?period=2022/23-Q4")

    assert "£1,618,413" in text
    assert "£16,828,651" in text
    assert "8.8%" in text and "91.2%" in text
    assert "£1,780,440 a year" in text
    for value in ("£1,824,951", "£1,870,575", "£1,917,339"):
        assert value in text


def test_bromley_staffing_shows_35_posts_and_6_vacancies(jmg):
    text = page(jmg, f"{BROMLEY}/staffing/?period=2022/23-Q4")

    assert '<span class="app-figure__value">35</span>' in text
    assert '<span class="app-figure__value">6</span>' in text
    assert "a vacancy rate of 17.1%" in text
    assert "32 of these posts were seconded and 3 TUPE transferred" in text


def test_bromley_activity_shows_364_referrals_and_212_assessments(jmg):
    text = page(jmg, f"{BROMLEY}/caseload/?period=2022/23-Q4")

    assert 'Referrals in 2022/23</dt><dd class="govuk-summary-list__value">364' in text
    assert 'Care Act assessments in 2022/23</dt><dd class="govuk-summary-list__value">212' in text


def test_bromley_action_plan_marks_the_overdue_action(jmg):
    text = page(jmg, f"{BROMLEY}/actions/")

    assert text.count("govuk-tag--red") == 1
    assert "3.8.10" in text


def test_action_plan_filters_to_overdue(jmg):
    text = page(jmg, f"{BROMLEY}/actions/?status=overdue")

    assert "3.8.4" in text
    assert "3.8.1<" not in text


def test_oxfordshire_budget_2018_19_shows_1_8m_and_5_8m(jmg):
    text = page(jmg, f"{OXFORDSHIRE}/budget/?period=2018/19-Q4")

    assert "£1,800,000" in text
    assert "£5,800,000" in text


def test_oxfordshire_staffing_shows_41_5_wte_of_which_4_7_seconded(jmg):
    text = page(jmg, f"{OXFORDSHIRE}/staffing/?period=2019/20-Q2")

    assert "posts, 41.5 WTE" in text
    assert '4.7 WTE</span><span class="app-figure__label">seconded' in text


def test_oxfordshire_caseload_shows_580_cases_and_24_per_wte(jmg):
    text = page(jmg, f"{OXFORDSHIRE}/caseload/?period=2019/20-Q2")

    assert '<span class="app-figure__value">580</span>' in text
    assert '<span class="app-figure__value">24</span>' in text
    assert "at 31 August 2019, from Carenotes and LAS" in text


def test_oxfordshire_s117_shows_302_older_adults_and_1664_working_age(jmg):
    text = page(jmg, f"{OXFORDSHIRE}/s117/")

    assert "Older Adults team (reported totals)</dt>" in text
    assert ">302<" in text
    assert ">1,664<" in text


def test_period_outside_the_agreement_explains_itself(jmg):
    text = page(jmg, f"{BROMLEY}/budget/?period=1990/91-Q1")

    assert "There is a problem" in text
    assert "outside this agreement" in text


def test_malformed_period_explains_what_was_expected(jmg):
    text = page(jmg, f"{BROMLEY}/staffing/?period=Q9")

    assert "expected a financial year such as 2023/24" in text


def test_table_exports_as_csv_with_plain_money(jmg):
    response = jmg.get(f"{BROMLEY}/budget/?period=2022/23-Q4&position-export=csv")

    assert response["Content-Type"].startswith("text/csv")
    body = response.content.decode()
    assert "1618413.00" in body
    assert "£" not in body


def test_posts_filtered_by_basis(jmg):
    text = page(jmg, f"{BROMLEY}/staffing/?period=2022/23-Q4&basis=vacant")

    assert text.count('<td class="govuk-table__cell">Vacant</td>') >= 6
    assert "TUPE transferred</td>" not in text.split('<h2 class="govuk-heading-m">Every post')[1]


# Query counts: each page costs the same however many posts, snapshots or values it shows.

# session, user, the agreement, the user's memberships (the access check)
SIGNED_IN = 4
# the quarters offered in the period chooser
PERIOD = 1


def more_posts(agreement, count):
    team = agreement.teams.first()
    funder = agreement.partners.get(role="commissioner").organisation
    StaffPost.objects.bulk_create(
        StaffPost(
            team=team,
            reference=f"BULK-{n:03d}",
            role="social_worker",
            wte=Decimal("1.00"),
            funder=funder,
            basis="vacant",
            origin="created",
            valid_from=datetime.date(2017, 4, 1),
        )
        for n in range(count)
    )


def more_snapshots(agreement, count):
    from caseload.models import CaseloadSnapshot, SourceSystem, Team, TeamKind

    las = SourceSystem.objects.get(code="las")
    operator = agreement.partners.get(is_host=True).organisation
    teams = Team.objects.bulk_create(
        Team(agreement=agreement, name=f"Extra team {n}", kind=TeamKind.CMHT, operated_by=operator)
        for n in range(count)
    )
    CaseloadSnapshot.objects.bulk_create(
        CaseloadSnapshot(
            team=team, source_system=las, as_at=datetime.date(2019, 8, 31), open_cases=10
        )
        for team in teams
    )


@pytest.mark.parametrize("extra", [0, 60])
@pytest.mark.parametrize(
    ("url", "queries"),
    [
        # the year's funds; their contributions with pots and partners; their outturns in
        # the year (every quarter's position is worked out from them); agreed shares;
        # revisions; planned by year; the value projection; the terms; the budget's
        # data-quality checks (dashboards.quality): thresholds, the pool, contributions,
        # outturns, explanations, and revised figures no revision explains
        (f"{BROMLEY}/budget/?period=2022/23-Q4", 8 + 6),
        # posts by team and role; by funder, employer and basis; the summary; teams for the
        # filter; the number of posts and one page of them; the staffing checks: thresholds,
        # posts by team, explanations
        (f"{OXFORDSHIRE}/staffing/?period=2019/20-Q2", 6 + 3),
        # the snapshot date; its counts by team and system (the systems read from them);
        # cases in two systems; case-holding WTE by team; activity by quarter and by team;
        # the year's and months' activity; the caseload checks: thresholds, snapshots at the
        # quarter's end, posts by team, activity and snapshots of the quarters before, the
        # years' activity against their quarters and months, explanations
        (f"{OXFORDSHIRE}/caseload/?period=2019/20-Q2", 7 + 7),
        # the last four quarters; their KPI values; the KPIs; the KPI checks: thresholds,
        # the values of the quarters before, explanations
        (f"{BROMLEY}/kpis/?period=2022/23-Q4", 3 + 3),
    ],
)
def test_dashboard_queries_do_not_grow(
    jmg, oxfordshire, url, queries, extra, django_assert_num_queries
):
    more_posts(oxfordshire, extra)
    more_snapshots(oxfordshire, extra)

    with django_assert_num_queries(SIGNED_IN + PERIOD + queries):
        response = jmg.get(url)
    assert response.status_code == 200


def test_a_dashboard_without_a_period_opens_at_the_latest_quarter_in_one_query(
    jmg, bromley, django_assert_num_queries
):
    from partnerships.models import KPIValue

    # A KPI value for a later quarter than any other figure makes that quarter the latest.
    kpi = bromley.kpis.order_by("code").first()
    later = Quarter.objects.get(financial_year__start_year=2023, number=2)
    KPIValue.objects.create(kpi=kpi, quarter=later, value=Decimal("50.0"))

    # as with ?period=, but the latest quarter with figures is one more query; then the
    # last four quarters, their KPI values and the KPIs; the KPI checks (3, as above)
    with django_assert_num_queries(SIGNED_IN + PERIOD + 1 + 3 + 3):
        response = jmg.get(f"{BROMLEY}/kpis/")

    assert response.context["period"].quarter == later
    assert '<option value="2023/24-Q2" selected>' in response.content.decode()


def test_action_plan_queries(jmg, django_assert_num_queries):
    # recommendations with their reviews; their progress notes
    with django_assert_num_queries(SIGNED_IN + 2):
        assert jmg.get(f"{BROMLEY}/actions/").status_code == 200


def test_comparison_shows_each_partnership_side_by_side(jmg):
    text = page(jmg, "/compare/")

    # Bromley: 2022/23 pool, LBB's 8.8% share, 35 posts with 6 vacant (17.1%)
    assert "£18,447,064" in text and "8.8%" in text and "17.1%" in text
    # Oxfordshire: 2018/19 pool of £7.6m, OCC's 23.7%, 41.5 WTE, 24.0 cases per WTE,
    # and 302 + 1,664 people on the s117 register
    assert "£7,600,000" in text and "23.7%" in text and "41.5" in text and "24.0" in text
    assert "1,966" in text


def test_comparison_lists_only_partnerships_with_a_dashboard_role(client, django_user_model):
    client.force_login(django_user_model.objects.get(username="scrutiny.officer"))

    text = page(client, "/compare/")

    assert "nothing to compare" in text
    assert "Bromley" not in text.split("<main")[1]


@pytest.mark.parametrize("extra_partnerships", [0, 20])
def test_comparison_queries_do_not_grow_with_partnerships(
    jmg, bromley, extra_partnerships, django_user_model, django_assert_num_queries
):
    from partnerships.models import Agreement, Membership

    member = django_user_model.objects.get(username="jmg.member")
    for number in range(extra_partnerships):
        agreement = Agreement.objects.create(
            slug=f"extra-{number}",
            title=f"Extra {number}",
            short_title=f"Extra {number}",
            legal_basis="s75",
            start_date=datetime.date(2020, 4, 1),
            end_date=datetime.date(2030, 3, 31),
        )
        Membership.objects.create(user=member, agreement=agreement, role="jmg_member")

    # session, user; the partnerships; contributions; staffing; latest snapshot dates;
    # cases; cases in two systems; case-holding WTE; open s117 entitlements; reported s117
    # totals; latest KPI values
    with django_assert_num_queries(2 + 1 + 1 + 1 + 4 + 2 + 1):
        assert jmg.get("/compare/").status_code == 200


def test_exports_give_figures_as_shown_on_the_page(jmg):
    body = jmg.get("/compare/?compare-export=csv").content.decode()

    assert "8.8" in body  # LBB's share, not 8.77328…
    assert "8.7732" not in body


def test_kpi_values_show_their_unit(jmg):
    text = page(jmg, f"{BROMLEY}/kpis/?period=2022/23-Q4")

    assert ">72%<" in text and ">85%<" in text


def test_bromley_budget_opens_on_its_pool_year_with_the_reported_forecast(jmg):
    text = page(jmg, f"{BROMLEY}/budget/")

    assert "£21,587 over" in text  # LBB's forecast of £1,640,000 against £1,618,413
    assert "2022/23 Q2" in text  # when it was reported


def test_s117_register_size_exports_counts_and_nothing_personal(jmg):
    body = jmg.get(f"{OXFORDSHIRE}/s117/?teams-export=csv").content.decode()

    assert "Older Adults Mental Health Social Work Team,Reported total,302" in body
    bromley_body = jmg.get(f"{BROMLEY}/s117/?teams-export=csv").content.decode()
    assert "Bromley Community Mental Health Social Work Team,Register entries,5" in bromley_body
    assert "999" not in bromley_body
