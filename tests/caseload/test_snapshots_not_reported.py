"""A case-holding team with no caseload at the snapshot date is not reported, never 0: on the
caseload page, its download and in the paper, and the totals say which teams they leave out."""

import csv
import io
import re

import pytest

from caseload import selectors
from caseload.models import CaseloadOverlap, CaseloadSnapshot
from reports.actions import quarter_of
from reports.papers import build
from reports.render import render_html

pytestmark = pytest.mark.django_db

PAGE = "/partnerships/oxfordshire-mh-social-work/caseload/?period=2019/20-Q2"


@pytest.fixture
def as_at(oxfordshire):
    return selectors.latest_snapshot_date(oxfordshire, quarter_of("2019/20-Q2").end_date)


@pytest.fixture
def team(oxfordshire, as_at):
    """The first team, by name, with a caseload and case-holding staff at the date."""
    rows = selectors.caseload_section(oxfordshire, as_at)["rows"]
    return next(row for row in rows if row["case_holding_wte"])


@pytest.fixture
def not_reported(oxfordshire, as_at, team):
    CaseloadSnapshot.objects.filter(team__name=team["team"], as_at=as_at).delete()
    CaseloadOverlap.objects.filter(team__name=team["team"], as_at=as_at).delete()
    return team


@pytest.fixture
def jmg(client, django_user_model):
    client.force_login(django_user_model.objects.get(username="jmg.member"))
    return client


def text_of(response) -> str:
    assert response.status_code == 200
    return re.sub(r"\s+", " ", response.content.decode()).replace("&#x27;", "'")


def row_of(text: str, team: str) -> str:
    # The caseload table's row: the chart's table heads its rows with <th>.
    return re.search(rf"<tr[^>]*>\s*<td[^>]*>{re.escape(team)}</td>.*?</tr>", text).group(0)


def test_the_totals_leave_out_a_team_that_has_not_reported(oxfordshire, as_at, not_reported):
    before_total = not_reported["combined"]
    section = selectors.caseload_section(oxfordshire, as_at)

    row = next(row for row in section["rows"] if row["team"] == not_reported["team"])
    assert row["combined"] is None and row["per_wte"] is None
    assert section["not_reported"] == [not_reported["team"]]
    assert section["leaves_out"] == f"excludes {not_reported['team']}: not reported"
    assert section["total"] == sum(r["combined"] for r in section["rows"] if r is not row)
    assert before_total  # it had cases to leave out


def test_the_page_says_not_reported_and_what_the_totals_leave_out(jmg, not_reported):
    text = text_of(jmg.get(PAGE))

    row = row_of(text, not_reported["team"])
    assert "Not reported" in row and ">0<" not in row
    assert f"excludes {not_reported['team']}: not reported" in text


def test_the_page_gives_the_teams_cases_once_reported(jmg, team):
    text = text_of(jmg.get(PAGE))

    assert "Not reported" not in row_of(text, team["team"])
    assert "excludes" not in text


def test_the_download_leaves_cases_not_reported_empty(jmg, not_reported):
    response = jmg.get(PAGE + "&caseload-export=csv")

    rows = {row["Team"]: row for row in csv.DictReader(io.StringIO(response.content.decode()))}
    assert rows[not_reported["team"]]["Open cases, counted once"] == ""


def test_the_paper_says_which_teams_caseload_is_not_reported(oxfordshire, as_at, not_reported):
    html = render_html(build(oxfordshire, "jmg", quarter_of("2019/20-Q2")))
    text = re.sub(r"\s+", " ", html).replace("&#x27;", "'")

    assert f"(excludes {not_reported['team']}: not reported)." in text
    assert "not reported: " + not_reported["team"] in text


def test_the_paper_names_no_team_when_every_team_reported(oxfordshire, team):
    html = render_html(build(oxfordshire, "jmg", quarter_of("2019/20-Q2")))

    assert "excludes" not in html


def test_the_compare_page_leaves_a_team_not_reported_out_of_cases_and_wte_alike(
    oxfordshire, as_at, not_reported
):
    from dashboards.comparison import comparison_rows

    (row,) = comparison_rows([oxfordshire], quarter_of("2019/20-Q2").end_date)

    assert row["caseload_at"] == as_at
    assert row["per_wte"] == selectors.caseload_section(oxfordshire, as_at)["per_wte"]
    assert row["caseload_leaves_out"] == "excludes 1 team: not reported"


def test_the_compare_page_leaves_nothing_out_when_every_team_reported(oxfordshire, as_at, team):
    from dashboards.comparison import comparison_rows

    (row,) = comparison_rows([oxfordshire], quarter_of("2019/20-Q2").end_date)

    assert row["per_wte"] == selectors.caseload_section(oxfordshire, as_at)["per_wte"]
    assert row["caseload_leaves_out"] == ""
