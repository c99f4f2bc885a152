"""Data-quality checks, written once (dashboards.quality), shown with their explanations on
the return's check page, the sign-off page and the agreement page, to whom may see them."""

import pytest
from django.test import Client

from caseload.models import CaseloadSnapshot, SourceSystem
from dashboards.models import FlagExplanation, QualitySettings
from dashboards.quality import flags_for
from partnerships.models import Quarter

pytestmark = pytest.mark.django_db

PAGE = "/partnerships/bromley-oxleas-mh/returns/2022-23-Q4/"
TEAM = "Bromley AMHP Service"


def signed_in(django_user_model, username):
    client = Client()
    client.force_login(django_user_model.objects.get(username=username))
    return client


@pytest.fixture
def q4():
    return Quarter.objects.get(financial_year__start_year=2022, number=4)


def cases(bromley, q4, **by_system):
    team = bromley.teams.get(name=TEAM)
    CaseloadSnapshot.objects.filter(team=team, as_at=q4.end_date).delete()
    for code, open_cases in by_system.items():
        CaseloadSnapshot.objects.create(
            team=team,
            source_system=SourceSystem.objects.get(code=code),
            as_at=q4.end_date,
            open_cases=open_cases,
        )


def found(user, bromley, q4, check):
    return [f.text for f in flags_for(user, bromley, q4) if f.check == check]


def test_case_systems_far_apart_are_flagged_past_the_partnerships_threshold(
    bromley, q4, django_user_model
):
    jmg = django_user_model.objects.get(username="jmg.member")
    cases(bromley, q4, las=100, carenotes=70)

    assert f"{TEAM}'s case systems are more than 25% apart: 70 in Carenotes, 100 in LAS" in found(
        jmg, bromley, q4, "systems_disagree"
    )

    QualitySettings.objects.create(agreement=bromley, systems_apart_percent=40)
    assert not any(TEAM in t for t in found(jmg, bromley, q4, "systems_disagree"))


def test_a_team_in_one_case_system_only_is_flagged(bromley, q4, django_user_model):
    jmg = django_user_model.objects.get(username="jmg.member")
    cases(bromley, q4, las=100)
    other = bromley.teams.exclude(name=TEAM).first()
    CaseloadSnapshot.objects.get_or_create(
        team=other,
        source_system=SourceSystem.objects.get(code="carenotes"),
        as_at=q4.end_date,
        defaults={"open_cases": 10},
    )

    assert f"{TEAM} has open cases in LAS but none recorded in Carenotes" in found(
        jmg, bromley, q4, "systems_disagree"
    )


def test_a_partner_without_this_quarters_forecast_is_flagged(bromley, q4, django_user_model):
    jmg = django_user_model.objects.get(username="jmg.member")

    texts = found(jmg, bromley, q4, "forecast_out_of_date")

    # The demo's 2022/23 forecasts are from Q2: a Q4 position would mix quarters.
    assert "LBB's latest forecast is from Q2, not Q4" in texts
    assert "Oxleas's latest forecast is from Q2, not Q4" in texts


def test_a_commissioner_explains_a_flag_and_it_is_shown_where_the_flag_is(
    bromley, django_user_model
):
    commissioner = signed_in(django_user_model, "commissioner")
    check = commissioner.get(f"{PAGE}check/").content.decode()
    assert "LBB&#x27;s latest forecast is from Q2, not Q4." in check

    lbb = bromley.partners.get(organisation__short_name="LBB").organisation
    commissioner.post(
        f"{PAGE}explain/",
        {
            "check": "forecast_out_of_date",
            "key": f"partner:{lbb.pk}",
            "text": "LBB reports annually at outturn.",
        },
    )

    explained = FlagExplanation.objects.get()
    assert explained.explained_by.username == "commissioner"
    assert explained.history.latest().history_user.username == "commissioner"
    assert "LBB reports annually at outturn." in commissioner.get(f"{PAGE}check/").content.decode()
    jmg = signed_in(django_user_model, "jmg.member")
    assert (
        "LBB reports annually at outturn."
        in jmg.get("/partnerships/bromley-oxleas-mh/").content.decode()
    )


def test_an_explanation_for_nothing_flagged_is_refused(bromley, django_user_model):
    commissioner = signed_in(django_user_model, "commissioner")

    response = commissioner.post(
        f"{PAGE}explain/",
        {"check": "risk_shares_dont_sum", "key": "pool:1", "text": "Fine."},
        follow=True,
    )

    assert "no longer flags anything" in response.content.decode()
    assert not FlagExplanation.objects.exists()


def test_flags_are_shown_only_to_those_who_may_see_their_figures(bromley, q4, django_user_model):
    scrutiny = django_user_model.objects.get(username="scrutiny.officer")
    jmg = django_user_model.objects.get(username="jmg.member")

    assert flags_for(scrutiny, bromley, q4) == []
    page = signed_in(django_user_model, "scrutiny.officer").get("/partnerships/bromley-oxleas-mh/")
    assert "Data-quality checks" not in page.content.decode()
    assert {f.check for f in flags_for(jmg, bromley, q4)} >= {"forecast_out_of_date"}
