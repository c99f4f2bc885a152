"""s117 register counts kept by an s117 officer: recorded by form, changed with history,
refused with a clear reason, and seen by those who may see register counts."""

import datetime

import pytest
from django.test import Client

from caseload.models import Team
from s117.models import RegisterCount

pytestmark = pytest.mark.django_db

PAGE = "/partnerships/oxfordshire-mh-social-work/records/s117-counts/"
FORM = f"{PAGE}record/"


def signed_in(django_user_model, username):
    client = Client()
    client.force_login(django_user_model.objects.get(username=username))
    return client


@pytest.fixture
def officer(django_user_model):
    return signed_in(django_user_model, "s117.officer")


def team(name):
    return Team.objects.get(agreement__slug="oxfordshire-mh-social-work", name=name)


def post(client, team_name, day, month, year, people, source=""):
    return client.post(
        FORM,
        {
            "team": team(team_name).pk if team_name else "",
            "as_at_day": day,
            "as_at_month": month,
            "as_at_year": year,
            "people": people,
            "source": source,
        },
    )


def test_an_officer_records_a_count_and_the_register_uses_it(officer):
    response = post(officer, "South and Vale IMHT", "30", "9", "2026", "488", "OHFT report")

    assert response.status_code == 302
    count = RegisterCount.objects.get(team__name="South and Vale IMHT", as_at="2026-09-30")
    assert (count.people, count.source) == (488, "OHFT report")
    assert count.history.latest().history_user.username == "s117.officer"
    page = officer.get(PAGE).content.decode()
    assert "Recorded: 488 people in South and Vale IMHT on 30 September 2026." in page
    register = officer.get("/partnerships/oxfordshire-mh-social-work/s117/").content.decode()
    assert ">488<" in register and ">472<" not in register  # the latest count replaced 2019's


def test_a_count_for_a_date_already_recorded_is_changed_and_the_change_kept(officer):
    post(officer, "South and Vale IMHT", "31", "1", "2019", "475")

    count = RegisterCount.objects.get(team__name="South and Vale IMHT", as_at="2019-01-31")
    assert count.people == 475
    assert RegisterCount.objects.filter(team__name="South and Vale IMHT").count() == 1
    page = officer.get(PAGE).content.decode()
    assert "Recorded: 475 people in South and Vale IMHT on 31 January 2019 (it was 472)." in page
    change = page.split("Changes to the counts, newest first")[1].split("</tr>")[1]
    assert "s117.officer" in change and ">472<" in change and ">475<" in change
    assert "South and Vale IMHT, 31 January 2019" in change


@pytest.mark.parametrize(
    ("team_name", "date", "people", "error"),
    [
        ("", ("30", "9", "2026"), "10", "Choose the team the count is for"),
        ("Forensic Service", ("31", "2", "2026"), "10", "must be a real date"),
        ("Forensic Service", ("31", "", "2026"), "10", "The date of the count must be a real date"),
        ("Forensic Service", ("1", "1", "2027"), "10", "must be today or in the past"),
        ("Forensic Service", ("30", "9", "2026"), "-3", "can&#x27;t be below 0"),
        ("Forensic Service", ("30", "9", "2026"), "lots", "as a whole number, such as 302"),
        (
            "Older Adults Mental Health Social Work Team",
            ("30", "9", "2026"),
            "10",
            "had left the agreement by then, on 1 April 2019",
        ),
    ],
)
def test_a_bad_count_is_refused_saying_why_and_nothing_is_saved(
    officer, team_name, date, people, error
):
    before = RegisterCount.objects.count()

    response = post(officer, team_name, *date, people)

    text = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in text and error in text
    assert RegisterCount.objects.count() == before


def test_a_jmg_member_sees_the_counts_but_may_not_record_one(django_user_model):
    jmg = signed_in(django_user_model, "jmg.member")

    page = jmg.get(PAGE).content.decode()

    assert "North and West Oxfordshire AMHT" in page and ">590<" in page
    assert "Record a count" not in page
    assert jmg.get(FORM).status_code == 403
    assert jmg.post(FORM, {}).status_code == 403


@pytest.mark.parametrize("extra", [0, 20])
def test_the_counts_page_takes_the_same_queries_however_many_counts(
    officer, extra, django_assert_num_queries
):
    forensic = team("Forensic Service")
    for n in range(extra):
        RegisterCount.objects.create(
            team=forensic, as_at=datetime.date(2020, 1, 1) + datetime.timedelta(days=n), people=n
        )
        RegisterCount.objects.filter(team=forensic, people=n).update(people=n + 1)

    # session, user, agreement, memberships; the counts; their history
    with django_assert_num_queries(6):
        assert officer.get(PAGE).status_code == 200


@pytest.mark.parametrize("extra_teams", [0, 10])
def test_the_count_form_takes_the_same_queries_however_many_teams(
    officer, extra_teams, django_assert_num_queries
):
    for n in range(extra_teams):
        extra = team("Forensic Service")
        extra.pk, extra.name = None, f"Locality team {n}"
        extra.save()

    # session, user, agreement, memberships; the teams to choose from
    with django_assert_num_queries(5):
        page = officer.get(FORM).content.decode()
    assert page.count('<option value="') == 1 + 7 + extra_teams  # "Choose a team", then each
