"""A forecast a partner has not reported is not reported, never 0 nor the plan: on the budget
page, in its download and in the JMG paper, and the pool's total says whom it leaves out."""

import csv
import io
import re
from decimal import Decimal

import pytest

from budgets.models import Contribution, ContributionOutturn
from budgets.selectors import budget_section
from partnerships.models import Quarter
from reports.actions import quarter_of
from reports.papers import build
from reports.render import render_html

pytestmark = pytest.mark.django_db

PAGE = "/partnerships/bromley-oxleas-mh/budget/?period=2022/23-Q2"


@pytest.fixture
def q2(bromley):
    """Bromley's 2022/23 pool with only LBB's forecast reported, at Q2: £1,700,000 against
    its plan of £1,618,413."""
    quarter = Quarter.objects.get(financial_year__start_year=2022, number=2)
    ContributionOutturn.objects.filter(
        contribution__pooled_budget__agreement=bromley,
        contribution__pooled_budget__financial_year=quarter.financial_year,
    ).delete()
    lbb = Contribution.objects.get(
        pooled_budget__agreement=bromley,
        pooled_budget__financial_year=quarter.financial_year,
        partner__short_name="LBB",
    )
    ContributionOutturn.objects.create(contribution=lbb, quarter=quarter, forecast=1_700_000)
    return quarter


def oxleas_reports(quarter, forecast):
    oxleas = Contribution.objects.get(
        pooled_budget__agreement__slug="bromley-oxleas-mh",
        pooled_budget__financial_year=quarter.financial_year,
        partner__short_name="Oxleas",
    )
    ContributionOutturn.objects.create(
        contribution=oxleas, quarter=quarter, forecast=forecast, actual_to_date=forecast / 2
    )


@pytest.fixture
def jmg(client, django_user_model):
    client.force_login(django_user_model.objects.get(username="jmg.member"))
    return client


def text_of(response) -> str:
    assert response.status_code == 200
    return re.sub(r"\s+", " ", response.content.decode())


def row_of(text: str, partner: str) -> str:
    return re.search(rf"<tr[^>]*>\s*<td[^>]*>{partner}</td>.*?</tr>", text).group(0)


def test_the_total_leaves_out_a_partner_that_has_not_reported(bromley, q2):
    section = budget_section(bromley, q2)

    oxleas = next(p for p in section["positions"] if p.partner == "Oxleas")
    assert oxleas.forecast is None and oxleas.variance is None
    assert section["total"].forecast == Decimal(1_700_000)
    assert section["total"].variance == Decimal(1_700_000 - 1_618_413)
    assert section["total"].risk_share is None
    assert section["leaves_out"] == "excludes Oxleas: not reported"


def test_the_page_says_not_reported_and_what_the_total_leaves_out(jmg, q2):
    text = text_of(jmg.get(PAGE))

    oxleas = row_of(text, "Oxleas")
    assert oxleas.count("Not reported") == 4  # forecast, when reported, spent, variance
    assert "£0" not in oxleas
    assert "£1,700,000 (excludes Oxleas: not reported)" in text
    assert "£81,587 (excludes Oxleas: not reported)" in text
    assert "£81,587 over" in text and "excludes Oxleas: not reported by Q2" in text


def test_the_page_gives_the_forecast_once_reported(jmg, q2):
    oxleas_reports(q2, 16_000_000)

    text = text_of(jmg.get(PAGE))

    assert "Not reported" not in row_of(text, "Oxleas")
    assert "£16,000,000" in row_of(text, "Oxleas")
    at_q2, by_quarter = text.split("The fund quarter by quarter")
    assert "excludes" not in at_q2
    assert "excludes LBB and Oxleas: not reported" in by_quarter  # at Q1, nobody had
    assert "£17,700,000" in text


def test_the_download_leaves_a_forecast_not_reported_empty(jmg, q2):
    response = jmg.get(PAGE + "&position-export=csv")

    rows = {row["Partner"]: row for row in csv.DictReader(io.StringIO(response.content.decode()))}
    assert rows["Oxleas"]["Forecast outturn"] == ""
    assert rows["Oxleas"]["Variance (forecast less plan)"] == ""
    assert rows["LBB"]["Forecast outturn"] == "1700000.00"


def test_the_paper_says_whose_forecast_is_not_reported(bromley, q2):
    html = paper_text(bromley)

    assert "none yet from Oxleas" in html
    assert "an overspend of £81,587 against those partners' plans" in html
    assert "(excludes Oxleas: not reported)" in html
    assert "The total forecast and variance excludes Oxleas: not reported." in html


def test_the_paper_gives_the_pools_variance_once_every_forecast_is_in(bromley, q2):
    oxleas_reports(q2, 16_828_651)

    html = paper_text(bromley)

    assert "Not reported" not in html.split("Pooled budget 2022/23")[1].split("</table>")[0]
    assert "The partners forecast an overspend of £81,587 against the plan for 2022/23" in html


def paper_text(bromley) -> str:
    html = render_html(build(bromley, "jmg", quarter_of("2022/23-Q2")))
    return re.sub(r"\s+", " ", html).replace("&#x27;", "'")
