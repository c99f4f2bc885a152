"""The staffing checks: funded posts in post above a team's establishment, and funded posts
with their vacancies beyond it (dashboards.quality.wte_above_establishment,
posts_beyond_establishment)."""

import datetime
from decimal import Decimal

import pytest

from caseload.models import StaffPost
from caseload.selectors import posts_on
from dashboards.models import QualitySettings
from partnerships.models import Quarter
from tests.dashboards.quality_helpers import found

pytestmark = pytest.mark.django_db

TEAM = "North and West Oxfordshire AMHT"


@pytest.fixture
def q3():
    return Quarter.objects.get(financial_year__start_year=2019, number=3)


@pytest.fixture
def jmg(django_user_model):
    return django_user_model.objects.get(username="jmg.member")


def team_posts(oxfordshire, q3):
    team = oxfordshire.teams.get(name=TEAM)
    posts = list(posts_on(oxfordshire, q3.end_date).filter(team=team))
    filled = sum((p.wte for p in posts if not p.vacant), Decimal(0))
    vacant = sum((p.wte for p in posts if p.vacant), Decimal(0))
    return team, filled, vacant


def add_vacancy(team, wte="1.00"):
    StaffPost.objects.create(
        team=team,
        reference="VAC-TEST",
        role=StaffPost.StaffRole.SOCIAL_WORKER,
        wte=Decimal(wte),
        funder=team.operated_by,
        basis=StaffPost.Basis.VACANT,
        origin=StaffPost.Origin.CREATED,
        valid_from=datetime.date(2019, 4, 1),
    )


def test_teams_within_their_establishment_are_not_flagged(oxfordshire, q3, jmg):
    assert found(jmg, oxfordshire, q3, "wte_above_establishment") == []
    assert found(jmg, oxfordshire, q3, "posts_beyond_establishment") == []


def test_wte_in_post_above_the_teams_establishment_is_flagged(oxfordshire, q3, jmg):
    team, filled, _ = team_posts(oxfordshire, q3)
    team.establishment_wte = filled - Decimal("0.50")
    team.save()

    texts = found(jmg, oxfordshire, q3, "wte_above_establishment")

    assert texts == [
        f"{TEAM} has {filled:.2f} WTE in post in funded posts, more than its whole "
        f"establishment of {filled - Decimal('0.50'):.2f} WTE"
    ]
    # Its vacancies are not flagged a second time.
    assert found(jmg, oxfordshire, q3, "posts_beyond_establishment") == []


def test_a_post_that_ended_before_the_quarter_ended_is_not_counted(oxfordshire, q3, jmg):
    team, filled, _ = team_posts(oxfordshire, q3)
    team.establishment_wte = filled
    team.save()
    post = StaffPost.objects.filter(team=team).exclude(basis="vacant").first()
    StaffPost.objects.filter(pk=post.pk).update(wte=Decimal("1.00"))
    # The post ends before the quarter's last day: the team is within its establishment.
    StaffPost.objects.filter(pk=post.pk).update(valid_to=q3.end_date - datetime.timedelta(1))

    assert found(jmg, oxfordshire, q3, "wte_above_establishment") == []


def test_vacancies_beyond_the_establishment_are_flagged_past_the_partnerships_tolerance(
    oxfordshire, q3, jmg
):
    team, filled, _ = team_posts(oxfordshire, q3)
    add_vacancy(team)
    _, _, vacant = team_posts(oxfordshire, q3)
    team.establishment_wte = filled + vacant - Decimal("1.00")
    team.save()

    assert found(jmg, oxfordshire, q3, "posts_beyond_establishment") == [
        f"{TEAM}'s funded posts, {filled:.2f} WTE filled and {vacant:.2f} WTE vacant, are more "
        f"than its establishment of {team.establishment_wte:.2f} WTE by over 0.50 WTE"
    ]

    QualitySettings.objects.create(agreement=oxfordshire, posts_tolerance_wte=Decimal("1.00"))
    assert found(jmg, oxfordshire, q3, "posts_beyond_establishment") == []
