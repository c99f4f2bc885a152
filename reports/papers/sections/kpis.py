"""Key performance indicators: each KPI's value and target this quarter, and its rating
(partnerships.rag)."""

from core.formatting import NOT_REPORTED
from partnerships.models import KPI
from partnerships.rag import NO_TARGET
from partnerships.selectors import kpi_section
from reports.papers.blocks import Block, Para, Table
from reports.papers.context import PaperContext
from reports.papers.section import PaperSection
from reports.papers.values import Count, Percent, Text, Value


def _figure(kpi: KPI, value, **missing) -> Value:
    return Percent(value, **missing) if kpi.unit == KPI.Unit.PERCENT else Count(value, **missing)


def _rating(row) -> str:
    if row["value"] is None:
        return NOT_REPORTED  # no value, so no rating either
    if not row["kpi"].has_target:
        return NO_TARGET
    return row["rag"].capitalize()


def figures(paper: PaperContext) -> list[Block]:
    quarter = paper.quarter
    rows = kpi_section(paper.agreement, quarter)["rows"]
    if not rows:
        return [Para("The agreement has no KPIs recorded.")]
    rags = [row["rag"] for row in rows if row["rag"]]
    not_reported = sum(1 for row in rows if row["value"] is None)
    unrated = sum(1 for row in rows if row["value"] is not None and not row["kpi"].has_target)
    without_target = f", no target: {unrated}" if unrated else ""
    return [
        Para(
            f"Of the agreement's {len(rows)} KPIs this quarter, red: {rags.count('red')}, "
            f"amber: {rags.count('amber')}, green: {rags.count('green')}"
            + (f", not reported: {not_reported}" if not_reported else "")
            + without_target
            + "."
        ),
        Table(
            f"KPIs at quarter {quarter.number} {quarter.financial_year.label}",
            ["KPI", "Measure", "Value", "Target", "Rating"],
            [
                [
                    Text(row["kpi"].code, header=True),
                    Text(row["kpi"].name),
                    _figure(row["kpi"], row["value"], missing=NOT_REPORTED),
                    _figure(row["kpi"], row["kpi"].target, missing=NO_TARGET),
                    Text(_rating(row)),
                ]
                for row in rows
            ],
        ),
    ]


SECTION = PaperSection("kpis", "Key performance indicators", figures=figures)
