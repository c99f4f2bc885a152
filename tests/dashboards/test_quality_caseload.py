"""A team with open cases but no case-holding staff in post at the quarter's end
(dashboards.quality.cases_without_staff)."""

import pytest

from caseload.models import CaseloadSnapshot, SourceSystem, StaffPost
from partnerships.models import Quarter
from tests.dashboards.quality_helpers import found

pytestmark = pytest.mark.django_db

TEAM = "Bromley Community Mental Health Social Work Team"


@pytest.fixture
def q4():
    return Quarter.objects.get(financial_year__start_year=2022, number=4)


@pytest.fixture
def jmg(django_user_model):
    return django_user_model.objects.get(username="jmg.member")


@pytest.fixture
def team(bromley, q4):
    team = bromley.teams.get(name=TEAM)
    CaseloadSnapshot.objects.create(
        team=team,
        source_system=SourceSystem.objects.get(code="las"),
        as_at=q4.end_date,
        open_cases=40,
    )
    return team


def test_a_team_with_case_holding_staff_is_not_flagged(bromley, q4, jmg, team):
    assert found(jmg, bromley, q4, "cases_without_staff") == []


def test_open_cases_without_case_holding_staff_in_post_are_flagged(bromley, q4, jmg, team):
    StaffPost.objects.filter(team=team).update(case_holding=False)

    assert found(jmg, bromley, q4, "cases_without_staff") == [
        f"{TEAM} has 40 open cases at 31 March 2023 but no case-holding staff in post"
    ]


def test_vacant_case_holding_posts_hold_no_cases(bromley, q4, jmg, team):
    StaffPost.objects.filter(team=team).update(basis="vacant", employer=None)

    assert len(found(jmg, bromley, q4, "cases_without_staff")) == 1
