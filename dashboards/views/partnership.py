from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from core import charts, formatting
from dashboards import selectors as page_selectors
from dashboards.comparison import comparison_rows
from dashboards.quality import flags_for
from dashboards.quarter import choose_quarter, latest_quarter_with_figures
from partnerships import selectors
from partnerships.dashboard import configured, section_context
from partnerships.models import Recommendation
from partnerships.performance_tables import ActionPlanTable, ComparisonTable, KPITable
from partnerships.permissions import agreements_for, can, partnership_view
from partnerships.rag import NO_TARGET


@partnership_view("view_partnership")
def overview(request, agreement):
    context = section_context(request, agreement, "partnership", None)
    context |= page_selectors.overview(agreement)
    context["may_view_s117"] = can(request.user, "view_s117_counts", agreement)
    quarter = latest_quarter_with_figures(agreement)
    if quarter is not None and can(request.user, "view_dashboard", agreement):
        context |= {"quarter": quarter, "flags": flags_for(request.user, agreement, quarter)}
    return render(request, "partnerships/overview.html", context)


@partnership_view("view_dashboard")
def kpis(request, agreement):
    period = choose_quarter(request, agreement)
    context = section_context(request, agreement, "kpis", period)
    context["may_keep_kpis"] = can(request.user, "keep_kpis", agreement)
    if period.quarter is None:
        return render(request, "partnerships/kpis.html", context)
    section = selectors.kpi_section(agreement, period.quarter)
    rows = [
        {
            "code": row["kpi"].code,
            "name": row["kpi"].name,
            "value": row["value"],
            "target": row["kpi"].target,
            "unit": row["kpi"].unit,
            "direction": "higher" if row["kpi"].direction == "higher" else "lower",
            "rag": _rating(row),
        }
        for row in section["rows"]
    ]
    table = KPITable(
        rows,
        prefix="kpis-",
        caption=f"KPIs in {period.quarter.name}",
    )
    download = configured(request, (table, f"{agreement.slug} kpis {period.quarter.label}"))
    if download is not None:
        return download
    labels = [q.name for q in section["quarters"]]
    context |= {
        "flags": flags_for(request.user, agreement, period.quarter, sections={"kpis"}),
        "table": table,
        "rag_counts": {
            rag: sum(1 for row in rows if row["rag"] == rag) for rag in ("red", "amber", "green")
        },
        "not_reported": [row["code"] for row in rows if row["value"] is None],
        "without_target": sum(1 for row in rows if row["rag"] == NO_TARGET),
        "trends": [
            {
                "kpi": row["kpi"],
                "chart": charts.line_chart(
                    title=f"{row['kpi'].code} {row['kpi'].name}: the last {len(labels)} quarters",
                    periods=labels,
                    series=_trend_series(row, len(labels)),
                    value_format=kpi_format(row["kpi"]),
                    x_label="Quarter",
                ),
                "ratings": list(zip(labels, row["trend"], strict=True)),
            }
            for row in section["rows"]
        ],
    }
    return render(request, "partnerships/kpis.html", context)


def _rating(row) -> str | None:
    """The KPI's rating this quarter: red, amber or green, "No target" for a KPI without
    one, or None when no value was reported."""
    if not row["kpi"].has_target:
        return NO_TARGET
    return row["rag"].value if row["rag"] else None


def _trend_series(row, length: int) -> dict:
    """A KPI's values over the quarters shown, and its target as a line when it has one."""
    series = {"Value": [value for value, _ in row["trend"]]}
    if row["kpi"].has_target:
        series["Target"] = [row["kpi"].target] * length
    return series


def kpi_format(kpi):
    if kpi.unit == "percent":
        return formatting.percent
    if kpi.unit == "pounds":
        return formatting.whole_pounds
    return formatting.measure


@partnership_view("view_dashboard")
def actions(request, agreement):
    today = timezone.localdate()
    context = section_context(request, agreement, "actions", None)
    context["may_keep_action_plan"] = can(request.user, "keep_action_plan", agreement)
    section = selectors.action_plan_section(agreement, today)
    status = request.GET.get("status", "")
    statuses = dict(Recommendation.Status.choices)
    rows = section["rows"]
    if status == "overdue":
        rows = [row for row in rows if row["overdue"]]
    elif status in statuses:
        rows = [row for row in rows if row["recommendation"].status == status]
    table = ActionPlanTable(rows, prefix="actions-", caption="Recommendations and progress")
    download = configured(request, (table, f"{agreement.slug} action plan"))
    if download is not None:
        return download
    context |= {
        "section": section,
        "table": table,
        "today": today,
        "status": status,
        "status_choices": [("", "All"), ("overdue", "Overdue"), *statuses.items()],
    }
    return render(request, "partnerships/actions.html", context)


@login_required
def compare(request):
    """Every partnership the user may see the dashboards of, side by side."""
    agreements = list(agreements_for(request.user, "view_dashboard").order_by("short_title"))
    today = timezone.localdate()
    table = ComparisonTable(
        comparison_rows(agreements, today),
        prefix="compare-",
        caption=f"Partnerships compared, {formatting.long_date(today)}",
    )
    download = configured(request, (table, "partnerships compared"))
    if download is not None:
        return download
    return render(request, "partnerships/compare.html", {"table": table, "count": len(agreements)})
