"""The data-quality flags where people look at the figures: home, and the budget, staffing,
caseload and KPI pages, each page with the flags of its own figures, each flag with its
explanation, to those who may see the figures; in a fixed number of queries."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from budgets.models import Contribution, ContributionOutturn
from caseload.models import CareActActivity, StaffPost
from dashboards.actions import explain_flag
from partnerships.models import KPIValue, Quarter
from s117.models import RegisterEntry

pytestmark = pytest.mark.django_db

BROMLEY = "/partnerships/bromley-oxleas-mh"
OXFORDSHIRE = "/partnerships/oxfordshire-mh-social-work"
TEAM = "Bromley Community Mental Health Social Work Team"


def signed_in(django_user_model, username):
    client = Client()
    client.force_login(django_user_model.objects.get(username=username))
    return client


def text(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def q4():
    return Quarter.objects.get(financial_year__start_year=2022, number=4)


@pytest.fixture
def jmg(django_user_model):
    return signed_in(django_user_model, "jmg.member")


def referrals_jump(q4):
    CareActActivity.objects.filter(team__name=TEAM, quarter=q4).update(referrals=200)


def kpi_drops(bromley, q4):
    KPIValue.objects.filter(kpi__agreement=bromley, kpi__code="KPI 1", quarter=q4).update(
        value=Decimal("20.00")
    )


def test_each_dashboard_page_shows_the_flags_of_its_own_figures(bromley, q4, jmg):
    referrals_jump(q4)
    kpi_drops(bromley, q4)
    period = "?period=2022/23-Q4"

    budget = text(jmg, f"{BROMLEY}/budget/{period}")
    caseload = text(jmg, f"{BROMLEY}/caseload/{period}")
    kpis = text(jmg, f"{BROMLEY}/kpis/{period}")

    assert "LBB&#x27;s latest forecast is from Q2, not Q4." in budget
    assert f'href="{BROMLEY}/budget/?period=2022/23-Q4">Ask LBB for its Q4 forecast' in budget
    assert "referrals moved from 90 to 200" not in budget
    assert f"{TEAM}&#x27;s referrals moved from 90 to 200, more than 50%." in caseload
    assert "latest forecast" not in caseload
    assert "KPI 1" in kpis and "moved from 86.0% to 20.0%, more than 50%." in kpis
    assert "referrals moved" not in kpis


def test_the_staffing_page_shows_a_team_over_its_establishment(oxfordshire, jmg):
    team = oxfordshire.teams.get(name="North and West Oxfordshire AMHT")
    team.establishment_wte = Decimal("1.00")
    team.save()

    page = text(jmg, f"{OXFORDSHIRE}/staffing/?period=2019/20-Q3")

    assert "North and West Oxfordshire AMHT has" in page
    assert "more than its whole establishment of 1.00 WTE." in page


def test_a_page_without_flags_says_nothing_of_checks(oxfordshire, jmg):
    assert "Data-quality checks" not in text(jmg, f"{OXFORDSHIRE}/staffing/?period=2019/20-Q3")


def test_a_flag_is_shown_with_its_explanation_on_its_page(bromley, q4, jmg, django_user_model):
    lbb = bromley.partners.get(organisation__short_name="LBB").organisation
    explain_flag(
        by=django_user_model.objects.get(username="commissioner"),
        agreement=bromley,
        quarter=q4,
        check="forecast_out_of_date",
        key=f"partner:{lbb.pk}",
        text="LBB reports its forecast at Q2 and at outturn.",
    )

    page = text(jmg, f"{BROMLEY}/budget/?period=2022/23-Q4")

    assert "LBB reports its forecast at Q2 and at outturn." in page
    assert "(recorded by commissioner on 3 December 2026)" in page


def test_home_counts_each_partnerships_flags_not_yet_explained(bromley, q4, jmg, django_user_model):
    # Bromley's 2022/23 Q4: its return not submitted, two partners' forecasts from Q2.
    home = text(jmg, "/")
    link = f'<a class="govuk-link" href="{BROMLEY}/#quality">'
    assert f"{link}3 data-quality checks to look at for 2022/23 Q4</a>" in home

    lbb = bromley.partners.get(organisation__short_name="LBB").organisation
    explain_flag(
        by=django_user_model.objects.get(username="commissioner"),
        agreement=bromley,
        quarter=q4,
        check="forecast_out_of_date",
        key=f"partner:{lbb.pk}",
        text="LBB reports annually.",
    )

    assert f"{link}2 data-quality checks to look at for 2022/23 Q4</a>" in text(jmg, "/")


@pytest.mark.parametrize("username", ["scrutiny.officer", "s117.officer"])
def test_home_shows_no_flags_to_those_who_may_not_see_the_figures(username, django_user_model):
    home = text(signed_in(django_user_model, username), "/")

    assert "data-quality check" not in home


def test_s117_reviews_are_flagged_to_those_who_may_see_the_registers_counts(bromley, q4, jmg):
    entry = RegisterEntry.objects.filter(agreement=bromley).first()
    RegisterEntry.objects.filter(pk=entry.pk).update(
        review_due=datetime.date(2023, 1, 1), discharged_on=datetime.date(2022, 1, 1)
    )

    assert "s117 review" in text(jmg, f"{BROMLEY}/")


# Query counts: the same however many teams, posts, values and partners' figures there are.


def more_rows(agreement, count):
    """Teams with posts, activity and KPI values; s117 entries; outturns for every quarter."""
    from caseload.models import Team
    from partnerships.models import KPI

    operator = agreement.partners.get(is_host=True).organisation
    teams = Team.objects.bulk_create(
        Team(
            agreement=agreement,
            name=f"Extra team {n}",
            kind="cmht",
            operated_by=operator,
            establishment_wte=Decimal("1.00"),
        )
        for n in range(count)
    )
    quarters = list(Quarter.objects.filter(financial_year__start_year__in=[2019, 2022]))
    StaffPost.objects.bulk_create(
        StaffPost(
            team=team,
            reference=f"X-{team.pk}-{n}",
            role="social_worker",
            wte=Decimal("1.00"),
            funder=operator,
            employer=operator if n else None,
            basis="direct" if n else "vacant",
            origin="created",
            valid_from=datetime.date(2017, 4, 1),
        )
        for team in teams
        for n in range(3)
    )
    CareActActivity.objects.bulk_create(
        CareActActivity(team=team, quarter=q, referrals=20 * 2**q.number)
        for team in teams
        for q in quarters
    )
    kpis = KPI.objects.bulk_create(
        KPI(
            agreement=agreement,
            code=f"X{n}",
            name=f"Extra {n}",
            definition="-",
            unit="count",
            direction="higher",
            target=Decimal(10),
            amber_threshold=Decimal(5),
        )
        for n in range(count)
    )
    KPIValue.objects.bulk_create(
        KPIValue(kpi=kpi, quarter=q, value=Decimal(40 * 2**q.number))
        for kpi in kpis
        for q in quarters
    )
    for contribution in Contribution.objects.filter(pooled_budget__agreement=agreement):
        year = contribution.pooled_budget.financial_year_id
        for q in Quarter.objects.filter(financial_year_id=year):
            ContributionOutturn.objects.get_or_create(
                contribution=contribution,
                quarter=q,
                defaults={"forecast": Decimal(q.number * 1000), "actual_to_date": Decimal(9000)},
            )


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize(
    "url",
    [
        "/",
        f"{BROMLEY}/",
        f"{BROMLEY}/budget/?period=2022/23-Q4",
        f"{BROMLEY}/caseload/?period=2022/23-Q4",
        f"{BROMLEY}/kpis/?period=2022/23-Q4",
        f"{OXFORDSHIRE}/staffing/?period=2019/20-Q3",
        f"{OXFORDSHIRE}/caseload/?period=2019/20-Q3",
        f"{BROMLEY}/returns/2022-23-Q4/check/",
    ],
)
def test_pages_with_flags_make_as_many_queries_with_more_rows(
    url, bromley, oxfordshire, django_user_model
):
    client = signed_in(django_user_model, "commissioner" if "returns" in url else "jmg.member")
    before = queries(client, url)

    more_rows(bromley, 12)
    more_rows(oxfordshire, 12)
    page = client.get(url).content.decode()

    assert queries(client, url) == before
    # Flags are shown, now as before: the checks read the extra rows in the same queries.
    assert "data-quality check" in page.lower()


def test_home_finds_each_partnerships_latest_quarter_as_its_pages_do(bromley, oxfordshire):
    from dashboards.quarter import latest_quarter_with_figures, latest_quarters_with_figures
    from tests.factories import AgreementFactory, PooledBudgetFactory

    # The third has no figures but a pool: its pool year's last quarter.
    pooled = PooledBudgetFactory(financial_year__start_year=2022).agreement
    agreements = [bromley, oxfordshire, pooled, AgreementFactory()]
    KPIValue.objects.create(
        kpi=bromley.kpis.first(),
        quarter=Quarter.objects.get(financial_year__start_year=2023, number=2),
        value=Decimal(50),
    )

    found = latest_quarters_with_figures(agreements)

    assert found[pooled.pk].name == "2022/23 Q4"
    assert found == {
        a.pk: latest_quarter_with_figures(a)
        for a in agreements
        if latest_quarter_with_figures(a) is not None
    }
