"""A KPI with no value for a quarter is not reported: no 0 and no colour, on the KPI page,
its download, its trend chart, the compare page and the JMG paper."""

import csv
import io
import re

import pytest

from dashboards.comparison import comparison_rows
from partnerships.models import KPIValue, Quarter
from reports.actions import quarter_of
from reports.papers import build
from reports.render import render_html

pytestmark = pytest.mark.django_db

PAGE = "/partnerships/bromley-oxleas-mh/kpis/?period=2022/23-Q4"


@pytest.fixture
def quarter(bromley):
    return Quarter.objects.get(financial_year__start_year=2022, number=4)


@pytest.fixture
def kpi(bromley, quarter):
    """Bromley's first KPI by code that has a value in 2022/23 Q4."""
    value = (
        KPIValue.objects.filter(kpi__agreement=bromley, quarter=quarter)
        .select_related("kpi")
        .order_by("kpi__code")
        .first()
    )
    assert value is not None, "the demo gives Bromley's KPIs values in 2022/23 Q4"
    return value.kpi


@pytest.fixture
def not_reported(kpi, quarter):
    KPIValue.objects.filter(kpi=kpi, quarter=quarter).delete()
    return kpi


@pytest.fixture
def jmg(client, django_user_model):
    client.force_login(django_user_model.objects.get(username="jmg.member"))
    return client


def text_of(response) -> str:
    assert response.status_code == 200
    return re.sub(r"\s+", " ", response.content.decode())


def row_of(text: str, code: str) -> str:
    return re.search(rf"<tr[^>]*>\s*<td[^>]*>{re.escape(code)}</td>.*?</tr>", text).group(0)


def test_the_kpi_page_says_not_reported_without_a_colour(jmg, not_reported):
    text = text_of(jmg.get(PAGE))

    row = row_of(text, not_reported.code)
    assert row.count("Not reported") == 2  # the value and its rating
    assert "govuk-tag" not in row
    assert f"not reported ({not_reported.code})" in text


def test_the_kpi_page_gives_the_value_and_colour_once_reported(jmg, kpi):
    text = text_of(jmg.get(PAGE))

    row = row_of(text, kpi.code)
    assert "Not reported" not in row
    assert "govuk-tag" in row
    assert "not reported (" not in text


def test_the_trend_charts_table_says_not_reported(jmg, not_reported):
    text = text_of(jmg.get(PAGE))

    title = f"{not_reported.code} {not_reported.name}: the last"
    chart = text.split(title)[-1].split("</figure>")[0]  # from its table's caption
    rows = re.findall(r'<tr class="govuk-table__row">(.*?)</tr>', chart)
    assert "Q4" in rows[-1] and "Not reported" in rows[-1]  # the chosen quarter, last
    assert "Not reported" not in rows[-2]


def test_the_kpi_download_leaves_a_value_not_reported_empty(jmg, not_reported):
    response = jmg.get(PAGE + "&kpis-export=csv")

    rows = {row["KPI"]: row for row in csv.DictReader(io.StringIO(response.content.decode()))}
    assert rows[not_reported.code]["Value"] == ""
    assert rows[not_reported.code]["RAG"] == ""


def test_the_compare_page_counts_kpis_not_reported(bromley, not_reported):
    KPIValue.objects.filter(kpi=not_reported).delete()

    (row,) = comparison_rows([bromley], quarter_of("2022/23-Q4").end_date)

    assert row["kpis"].endswith(", 1 not reported")


def test_the_compare_page_leaves_out_not_reported_when_every_kpi_has_a_value(bromley, kpi):
    (row,) = comparison_rows([bromley], quarter_of("2022/23-Q4").end_date)

    assert "not reported" not in row["kpis"]


def test_the_paper_says_a_kpi_is_not_reported(bromley, not_reported):
    html = re.sub(r"\s+", " ", render_html(build(bromley, "jmg", quarter_of("2022/23-Q4"))))

    assert ", not reported: 1." in html
    table = html.split(f'<th scope="row">{not_reported.code}</th>')[1].split("</tr>")[0]
    assert table.count("Not reported") == 2
    assert ">None<" not in table
