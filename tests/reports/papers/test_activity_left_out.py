"""A total of Care Act activity over several quarters says which quarters it leaves out
because nobody reported the count then, in the decision report's commentary and the JMG
paper's year to date; with every quarter reported it says nothing of the sort."""

import re

import pytest

from caseload import selectors
from caseload.models import CareActActivity, PeriodActivity
from partnerships.selectors import recent_quarters
from reports.actions import quarter_of
from reports.papers import build
from reports.render import render_html

pytestmark = pytest.mark.django_db


def text_of(agreement, kind, quarter) -> str:
    html = render_html(build(agreement, kind, quarter_of(quarter)))
    return re.sub(r"\s+", " ", html).replace("&#x27;", "'")


@pytest.fixture
def twelve_months(bromley):
    last = selectors.latest_activity_quarter(bromley, quarter_of("2023/24-Q3"))
    quarters = recent_quarters(last, 4)
    assert len(quarters) == 4
    return quarters


def test_the_commentary_says_which_quarter_its_12_months_leave_out(bromley, twelve_months):
    gap = twelve_months[1]
    CareActActivity.objects.filter(team__agreement=bromley, quarter=gap).update(referrals=None)
    # With no figure for the whole year, the 12 months are its quarters added up.
    PeriodActivity.objects.filter(team__agreement=bromley).update(referrals=None)

    text = text_of(bromley, "decision", "2023/24-Q3")

    assert f"referrals (not reported for {gap.name})" in text
    assert "Care Act assessments (not reported" not in text


def test_the_commentary_quotes_the_year_as_reported_over_a_gap(bromley, twelve_months):
    gap = twelve_months[1]
    CareActActivity.objects.filter(team__agreement=bromley, quarter=gap).update(referrals=None)

    text = text_of(bromley, "decision", "2023/24-Q3")

    assert "received 364 referrals" in text  # as the year was reported, not its quarters
    assert "(not reported for" not in text


def test_the_commentary_leaves_nothing_out_when_every_quarter_is_reported(bromley, twelve_months):
    text = text_of(bromley, "decision", "2023/24-Q3")

    assert "Over the 12 months to" in text
    assert "(not reported for" not in text


def test_the_year_to_date_says_which_quarters_a_count_leaves_out(bromley):
    q2 = quarter_of("2022/23-Q2")
    CareActActivity.objects.filter(team__agreement=bromley, quarter=q2).update(reviews=None)

    text = text_of(bromley, "jmg", "2022/23-Q4")

    assert "The counts leave out quarters not reported: reviews in 2022/23 Q2." in text


def test_the_year_to_date_leaves_nothing_out_when_every_quarter_is_reported(bromley):
    text = text_of(bromley, "jmg", "2022/23-Q4")

    assert "The counts leave out" not in text
    assert "364" in text
