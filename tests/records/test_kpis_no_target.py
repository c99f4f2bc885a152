"""A KPI with no target is shown as "No target" wherever KPIs are rated: the KPI page and
its chart, the JMG paper, the home page's flags and the comparison. Never red or green."""

import datetime
from decimal import Decimal

import pytest

from dashboards.comparison import comparison_rows
from dashboards.selectors import home_flags
from partnerships.models import KPI, KPIValue
from partnerships.rag import RAG, rag_condition
from reports.actions import quarter_of
from reports.papers import build
from reports.render import render_html

pytestmark = pytest.mark.django_db

QUARTER = "2022/23-Q4"


def _without_target(kpi) -> KPI:
    KPI.objects.filter(pk=kpi.pk).update(target=None, amber_threshold=None)
    return KPI.objects.get(pk=kpi.pk)


def _red_at_the_end(bromley) -> KPI:
    """Bromley's one KPI at red at its latest value (tests/partnerships/test_home_flags.py)."""
    return next(
        kpi
        for kpi in bromley.kpis.order_by("code")
        if kpi.rag(
            kpi.values.order_by("-quarter__financial_year__start_year", "-quarter__number")
            .first()
            .value
        )
        == "red"
    )


def test_a_kpi_without_a_target_rates_no_value():
    kpi = KPI(unit="percent", direction="higher")

    assert kpi.rag(Decimal(10)) is None and not kpi.has_target


def test_kpi_page_shows_no_target_and_counts_it_in_no_rating(client, bromley, django_user_model):
    client.force_login(django_user_model.objects.get(username="jmg.member"))
    before = client.get(f"/partnerships/bromley-oxleas-mh/kpis/?period={QUARTER}")
    kpi = _without_target(bromley.kpis.get(code="KPI 1"))

    response = client.get(f"/partnerships/bromley-oxleas-mh/kpis/?period={QUARTER}")

    rows = {row.record["code"]: row for row in response.context["table"].rows}
    assert rows["KPI 1"].get_cell("rag").count("No target") == 1
    assert "govuk-tag--grey" in rows["KPI 1"].get_cell("rag")
    assert rows["KPI 1"].get_cell("target") == "No target"
    counts, was = response.context["rag_counts"], before.context["rag_counts"]
    assert sum(counts.values()) == sum(was.values()) - 1
    assert response.context["without_target"] == 1
    assert "with no target" in response.content.decode()
    assert "with no target" not in before.content.decode()
    chart = next(t["chart"] for t in response.context["trends"] if t["kpi"].pk == kpi.pk)
    assert chart.columns == ["Quarter", "Value"]  # no target line to draw
    other = next(t["chart"] for t in response.context["trends"] if t["kpi"].pk != kpi.pk)
    assert "Target" in other.columns


def test_kpi_page_offers_keeping_kpis_to_commissioners_only(client, django_user_model):
    url = f"/partnerships/bromley-oxleas-mh/kpis/?period={QUARTER}"
    client.force_login(django_user_model.objects.get(username="commissioner"))
    assert "/records/kpis/" in client.get(url).content.decode()

    client.force_login(django_user_model.objects.get(username="jmg.member"))
    assert "/records/kpis/" not in client.get(url).content.decode()


def test_action_plan_page_offers_keeping_the_plan(client, django_user_model):
    client.force_login(django_user_model.objects.get(username="jmg.member"))

    text = client.get("/partnerships/bromley-oxleas-mh/actions/").content.decode()

    assert "/records/action-plan/" in text


def test_jmg_paper_says_no_target_for_a_kpi_without_one(bromley):
    _without_target(bromley.kpis.get(code="KPI 1"))

    html = render_html(build(bromley, "jmg", quarter_of(QUARTER)))

    row = html[html.index("KPI 1</th>") :].split("</tr>")[0]
    assert row.count("No target") == 2  # its target and its rating
    assert "Red" not in row and "Green" not in row and "Amber" not in row
    assert "no target: 1" in html


def test_home_flags_count_no_kpi_without_a_target_at_red(bromley):
    day = datetime.date(2023, 5, 15)
    assert "1 KPI at red" in home_flags([bromley], day)[bromley.pk]

    _without_target(_red_at_the_end(bromley))

    assert "1 KPI at red" not in home_flags([bromley], day)[bromley.pk]


def test_comparison_counts_a_kpi_without_a_target_apart(bromley):
    _without_target(_red_at_the_end(bromley))

    row = comparison_rows([bromley], datetime.date(2026, 12, 3))[0]

    assert row["kpis"].startswith("0 red")
    assert row["kpis"].endswith(", 1 with no target")


@pytest.mark.parametrize("page", ["check/", "sections/kpi/", "history/"])
def test_the_returns_pages_open_with_a_kpi_without_a_target(
    client, bromley, django_user_model, page
):
    _without_target(bromley.kpis.get(code="KPI 1"))
    client.force_login(django_user_model.objects.get(username="commissioner"))

    response = client.get(f"/partnerships/bromley-oxleas-mh/returns/2022-23-Q4/{page}")

    assert response.status_code == 200
    assert "KPI 1" in response.content.decode()


@pytest.mark.parametrize("rag", list(RAG))
def test_the_database_rates_no_value_of_a_kpi_without_a_target(bromley, rag):
    kpi = _without_target(_red_at_the_end(bromley))

    rated = KPIValue.objects.filter(
        rag_condition(
            rag,
            target="kpi__target",
            amber_threshold="kpi__amber_threshold",
            direction="kpi__direction",
        ),
        kpi=kpi,
    )

    assert kpi.values.exists() and not rated.exists()
