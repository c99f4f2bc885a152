"""The pooled budget: each partner's plan, forecast outturn, variance and risk share, or the
latest planned contributions where the year has no pool recorded."""

from budgets import selectors as budget_selectors
from core.formatting import NOT_REPORTED, financial_year_label
from core.formatting import whole_pounds as pounds
from reports.papers.blocks import Block, Chart, Para, Table
from reports.papers.context import PaperContext
from reports.papers.section import PaperSection
from reports.papers.values import Money, Text


def figures(paper: PaperContext) -> list[Block]:
    data = budget_selectors.budget_section(paper.agreement, paper.quarter)
    if data["pool"] is None or not data["positions"]:
        return _planned_only(paper, data["trend"])
    year = paper.quarter.financial_year.label
    positions, total = data["positions"], data["total"]
    return [
        Para(
            f"The pooled budget for {year} is {pounds(total.planned)}: "
            + ", ".join(f"{p.partner} {pounds(p.planned)}" for p in positions)
            + "."
        ),
        Para(_forecast(paper, data)),
        Table(
            f"Pooled budget {year}: plan, forecast outturn and risk share at quarter "
            f"{paper.quarter.number}",
            ["Partner", "Planned", "Forecast outturn", "Variance", "Risk share of variance"],
            [
                [
                    Text(p.partner, header=True),
                    Money(p.planned),
                    Money(p.forecast, missing=NOT_REPORTED),
                    Money(p.variance, missing=NOT_REPORTED),
                    Money(p.risk_share),
                ]
                for p in positions
            ],
            foot=[
                [
                    Text("Total", header=True),
                    Money(total.planned),
                    Money(total.forecast, missing=NOT_REPORTED),
                    Money(total.variance, missing=NOT_REPORTED),
                    Money(total.risk_share),
                ]
            ],
            note="A positive variance is an overspend."
            + (
                f" The total forecast and variance {data['leaves_out']}."
                if data["leaves_out"] and total.forecast is not None
                else ""
            ),
        ),
        Chart(
            "bar",
            f"Planned contribution and forecast outturn by partner, {year}",
            [p.partner for p in positions],
            {
                "Planned": [p.planned for p in positions],
                "Forecast outturn": [p.forecast for p in positions],
            },
            "pounds",
        ),
    ]


def _forecast(paper: PaperContext, data: dict) -> str:
    """The forecast against plan in words. A forecast not reported is said to be, and the
    sum of those reported says whom it leaves out: it is neither 0 nor the plan."""
    year, total = paper.quarter.financial_year.label, data["total"]
    by = f"for {year} by quarter {paper.quarter.number}"
    if total.variance is None:
        return (
            f"No partner has reported a forecast {by}, so the variance and its risk share "
            "are not yet known."
        )
    if data["not_reported"]:
        return (
            f"Not every partner has reported a forecast {by} (none yet from "
            f"{', '.join(data['not_reported'])}). The forecasts reported show "
            f"{_variance(total.variance)} against those partners' plans "
            f"({data['leaves_out']}); the pool's variance and its risk share are not yet known."
        )
    if total.variance == 0:
        return f"The partners forecast spending the pool as planned in {year}."
    return (
        f"The partners forecast {_variance(total.variance)} against the plan for {year}. "
        f"Under the agreement's risk share "
        f"({data['pool'].get_risk_share_rule_display().lower()}), it falls "
        + ", ".join(f"{pounds(abs(p.risk_share))} to {p.partner}" for p in data["positions"])
        + "."
    )


def _variance(variance) -> str:
    """A variance in words: "an overspend of £1,234", "an underspend of £56"."""
    if variance == 0:
        return "spending as planned"
    direction = "overspend" if variance > 0 else "underspend"
    return f"an {direction} of {pounds(abs(variance))}"


def _planned_only(paper: PaperContext, trend: dict) -> list[Block]:
    """No pool for the paper's year: the latest year before it that has one, if any."""
    this_year = paper.quarter.financial_year
    earlier = [year for year in trend if year <= this_year.start_year]
    if not earlier:
        return [Para("No pooled budget is recorded for this partnership.")]
    planned = trend[max(earlier)]
    label = financial_year_label(max(earlier))
    total = sum(planned.values())
    return [
        Para(
            f"In {label} the planned contributions to the pooled budget were "
            + ", ".join(f"{partner} {pounds(value)}" for partner, value in planned.items())
            + f": {pounds(total)} in all. No pooled budget is recorded for {this_year.label}."
        ),
        Table(
            f"Planned contributions to the pooled budget, {label}",
            ["Partner", "Planned contribution"],
            [[Text(partner, header=True), Money(value)] for partner, value in planned.items()],
            foot=[[Text("Total", header=True), Money(total)]],
        ),
    ]


SECTION = PaperSection("budget", "Pooled budget", figures=figures)
