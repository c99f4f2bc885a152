"""A count nobody reported is not reported, never 0: on the return, the caseload page and
in the papers, and a year's total says what it leaves out."""

import re

import pytest
from django.test import Client

from caseload import selectors
from caseload.models import CareActActivity
from partnerships.models import Agreement, Quarter
from reports.actions import quarter_of
from reports.papers import build
from reports.render import render_html
from returns.actions import apply_return_changes
from returns.file import read_return

pytestmark = pytest.mark.django_db

TEAM = "Bromley AMHP Service"
OTHER = "Bromley Community Mental Health Social Work Team"


@pytest.fixture
def referrals_only(bromley, django_user_model):
    """A 2023/24 Q1 return giving one team's referrals and another's reviews, nothing else."""
    content = (
        "partnership,period,section,item,measure,value\n"
        f"bromley-oxleas-mh,2023/24-Q1,activity,{TEAM},referrals,40\n"
        f"bromley-oxleas-mh,2023/24-Q1,activity,{OTHER},reviews,12\n"
    ).encode()
    result = read_return(content, "r.csv", within=Agreement.objects.filter(pk=bromley.pk))
    assert result.problems == []
    apply_return_changes(
        by=django_user_model.objects.get(username="commissioner"),
        agreement=bromley,
        quarter=result.quarter,
        changes=result.changes,
        lookups=result.lookups,
    )
    return Quarter.objects.get(financial_year__start_year=2023, number=1)


def test_a_count_not_given_is_stored_as_not_reported(referrals_only):
    row = CareActActivity.objects.get(team__name=TEAM, quarter=referrals_only)

    assert row.referrals == 40
    assert row.assessments is None and row.safeguarding_enquiries is None


def test_the_years_totals_say_not_reported_and_what_they_leave_out(bromley, referrals_only):
    activity = selectors.activity_section(bromley, referrals_only.financial_year_id, 1)

    assert activity["year_to_date"]["referrals"]["total"] == 40
    assert activity["year_to_date"]["assessments"] == {"total": None, "leaves_out": ""}
    # Of the two teams that reported, one gave referrals.
    assert activity["year_to_date"]["referrals"]["leaves_out"] == (
        "not every team reported it for Q1"
    )
    assert selectors.activity_totals(bromley, [referrals_only])["assessments"] is None


def test_the_caseload_page_says_not_reported(bromley, referrals_only, django_user_model):
    client = Client()
    client.force_login(django_user_model.objects.get(username="jmg.member"))

    page = client.get("/partnerships/bromley-oxleas-mh/caseload/?period=2023/24-Q1").content
    text = re.sub(r"\s+", " ", page.decode())

    assert (
        "Care Act assessments in 2023/24 to Q1</dt>"
        '<dd class="govuk-summary-list__value">Not reported' in text
    )


def test_the_paper_leaves_a_count_not_reported_unsaid(bromley, referrals_only):
    html = re.sub(r"\s+", " ", render_html(build(bromley, "jmg", quarter_of("2023/24-Q1"))))

    assert "received 0 referrals" not in html and "completed 0" not in html
    assert (
        "Not reported for 2023/24 to quarter 1: Care Act assessments, carers' assessments "
        "and safeguarding enquiries." in html.replace("&#x27;", "'")
    )


def test_the_activity_table_says_not_reported_beside_a_count_given(
    bromley, referrals_only, django_user_model
):
    client = Client()
    client.force_login(django_user_model.objects.get(username="jmg.member"))

    page = client.get("/partnerships/bromley-oxleas-mh/caseload/?period=2023/24-Q1").content
    text = re.sub(r"\s+", " ", page.decode())
    row = re.search(rf"<tr[^>]*>\s*<td[^>]*>{TEAM}</td>.*?</tr>", text).group(0)

    assert ">40<" in row
    assert row.count("Not reported") == 4  # assessments, reviews, carers', safeguarding
    download = client.get(
        "/partnerships/bromley-oxleas-mh/caseload/?period=2023/24-Q1&activity-export=csv"
    ).content.decode()
    assert f"{TEAM},40,,,," in download
