"""The pooled budget: each partner's plan, forecast outturn, variance and risk share, or the
latest planned contributions where the year has no pool recorded. An agreement running
several funds has each fund in turn after the funds together; a fund of several pots has
its pots' table; a revised budget gives the budget as set beside the budget as revised,
and the revisions and virements in words."""

from decimal import Decimal

from budgets import selectors as budget_selectors
from core.formatting import NOT_REPORTED, financial_year_label, listed, long_date
from core.formatting import whole_pounds as pounds
from reports.papers.blocks import Block, Chart, Para, Table
from reports.papers.context import PaperContext
from reports.papers.section import PaperSection
from reports.papers.values import Money, Percent, Text


def figures(paper: PaperContext) -> list[Block]:
    data = budget_selectors.budget_section(paper.agreement, paper.quarter)
    if data["pool"] is None or not data["positions"]:
        return _planned_only(paper, data["trend"])
    if data["several"]:
        return _several(paper, data)
    fund = data["funds"][0]
    if _plain(fund):
        return _one_pool(paper, data)
    return _one_pool(paper, data, fund=fund) + _fund_extras(fund)


def _plain(fund) -> bool:
    """A fund as the seed papers have it: one pot, never revised, no agreed shares, every
    partner at the same quarter's end."""
    return (
        len(fund.pots) <= 1
        and not fund.revisions
        and all(p.original == p.planned for p in fund.positions)
        and not fund.agreed_shares
        and not fund.behind
        and (fund.month or 3) % 3 == 0
    )


def _one_pool(paper: PaperContext, data: dict, fund=None) -> list[Block]:
    year = paper.quarter.financial_year.label
    positions, total = data["positions"], data["total"]
    if fund is not None:
        return [
            Para(_fund_sentence(fund, year)),
            Para(_forecast(paper, data)),
            _fund_table(fund, year, paper),
            _fund_chart(fund, year),
        ]
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


def _several(paper: PaperContext, data: dict) -> list[Block]:
    """Every fund of the year together, then each in turn."""
    year = paper.quarter.financial_year.label
    funds, total = data["funds"], data["total"]
    revised = any(f.total.original != f.total.planned for f in funds)
    blocks: list[Block] = [
        Para(
            f"The agreement runs {len(funds)} funds in {year}, with a budget of "
            f"{pounds(total.planned)} in all"
            + (f" (set at {pounds(total.original)}, then revised)" if revised else "")
            + ": "
            + listed(f"{f.fund.name} {pounds(f.total.planned)}" for f in funds)
            + "."
        ),
        Para(_forecast(paper, data)),
        Table(
            f"The agreement's funds in {year}, as at quarter {paper.quarter.number}",
            ["Fund", "Budget as set", "Revised budget", "Forecast outturn", "Variance", "At"],
            [
                [
                    Text(f.fund.name, header=True),
                    Money(f.total.original),
                    Money(f.total.planned),
                    Money(f.total.forecast, missing=NOT_REPORTED),
                    Money(f.total.variance, missing=NOT_REPORTED),
                    Text(f.as_at or NOT_REPORTED),
                ]
                for f in funds
            ],
            foot=[
                [
                    Text("Total, all funds", header=True),
                    Money(total.original),
                    Money(total.planned),
                    Money(total.forecast, missing=NOT_REPORTED),
                    Money(total.variance, missing=NOT_REPORTED),
                    Text(""),
                ]
            ],
            note="A positive variance is an overspend (adverse), a negative one an underspend "
            "(favourable)."
            + (
                f" The total forecast and variance {data['leaves_out']}."
                if data["leaves_out"] and total.forecast is not None
                else ""
            ),
        ),
    ]
    for fund in funds:
        blocks += [
            Para(_fund_sentence(fund, year) + " " + _fund_forecast(fund)),
            _fund_table(fund, year, paper),
            *_fund_extras(fund),
        ]
    return blocks


def _fund_sentence(fund, year: str) -> str:
    total = fund.total
    revised = total.original != total.planned
    shares = ""
    if fund.agreed_shares:
        shares = (
            " The partners' agreed shares are "
            + listed(f"{partner} {percent:.2f}%" for partner, percent in fund.agreed_shares.items())
            + "."
        )
    return (
        f"{fund.fund.name}: the budget for {year} is {pounds(total.planned)}"
        + (f", revised from {pounds(total.original)} as set" if revised else "")
        + ": "
        + ", ".join(f"{p.partner} {pounds(p.planned)}" for p in fund.positions)
        + ". Any over- or underspend is shared "
        + fund.fund.get_risk_share_rule_display()[0].lower()
        + fund.fund.get_risk_share_rule_display()[1:]
        + "."
        + shares
    )


def _fund_forecast(fund) -> str:
    total = fund.total
    if total.variance is None:
        return "No partner has reported a forecast for this fund yet."
    said = f"At {fund.as_at} the partners forecast {_variance(total.variance)}"
    if fund.leaves_out:
        return said + f" ({fund.leaves_out}); the fund's risk share is not yet known."
    if total.risk_share is None or total.variance == 0:
        return said + "."
    return (
        said
        + ", of which "
        + ", ".join(f"{pounds(abs(p.risk_share))} falls to {p.partner}" for p in fund.positions)
        + "."
    )


def _fund_table(fund, year: str, paper: PaperContext) -> Table:
    total = fund.total
    revised = total.original != total.planned or bool(fund.revisions)
    agreed = bool(fund.agreed_shares)
    head = ["Partner"]
    head += ["Budget as set", "Revised budget"] if revised else ["Planned"]
    head += ["Agreed share"] if agreed else []
    head += ["Forecast outturn", "Reported at", "Variance", "Risk share of variance"]

    def row(p, header_text, share=None):
        cells = [Text(header_text, header=True)]
        cells += [Money(p.original), Money(p.planned)] if revised else [Money(p.planned)]
        if agreed:
            cells.append(Percent(share, places=2) if share is not None else Text(""))
        cells += [
            Money(p.forecast, missing=NOT_REPORTED),
            Text(p.as_at or ("" if header_text.startswith("Total") else NOT_REPORTED)),
            Money(p.variance, missing=NOT_REPORTED),
            Money(p.risk_share),
        ]
        return cells

    return Table(
        f"{fund.fund.name} {year}: budget, forecast outturn and risk share at quarter "
        f"{paper.quarter.number}",
        head,
        [row(p, p.partner, fund.agreed_shares.get(p.partner)) for p in fund.positions],
        foot=[row(total, "Total", Decimal(100) if agreed else None)],
        note="A positive variance is an overspend."
        + (f" The total forecast and variance {fund.leaves_out}." if fund.leaves_out else ""),
    )


def _fund_extras(fund) -> list[Block]:
    """A fund's pots and its revisions, where it has more than one pot or was revised."""
    blocks: list[Block] = []
    if len(fund.pots) > 1 or any(pot.pot.arrangement != "pooled" for pot in fund.pots):
        blocks.append(
            Table(
                f"{fund.fund.name}: contributions to each pot",
                [
                    "Pot",
                    "Pooled or aligned",
                    "Partner",
                    "Budget as set",
                    "Revised budget",
                    "Forecast outturn",
                ],
                [
                    [
                        Text(pot.pot.name, header=True),
                        Text(pot.pot.get_arrangement_display()),
                        Text(p.partner),
                        Money(p.original),
                        Money(p.planned),
                        Money(p.forecast, missing=NOT_REPORTED),
                    ]
                    for pot in fund.pots
                    for p in pot.positions
                ],
            )
        )
    for revision in fund.revisions:
        parts = [
            f"{change.contribution.partner.short_name}'s contribution to "
            f"{change.contribution.pot.name} "
            + (
                f"increased by {pounds(change.amount)}"
                if change.amount > 0
                else f"reduced by {pounds(-change.amount)}"
            )
            for change in revision.changes.all()
        ] + [
            f"{pounds(move.amount)} of {move.partner.short_name}'s contribution moved from "
            f"{move.from_pot.name} to {move.to_pot.name} (a virement)"
            for move in revision.virements.all()
        ]
        authority = f", authorised by {revision.decision}" if revision.decision else ""
        blocks.append(
            Para(
                f"On {long_date(revision.made_on)} the {fund.fund.name} budget was revised"
                f"{authority}: {revision.reason.rstrip('.')}. "
                + (("; ".join(parts) + ".") if parts else "")
            )
        )
    return blocks


def _fund_chart(fund, year: str) -> Chart:
    return Chart(
        "bar",
        f"Budget and forecast outturn by partner, {fund.fund.name} {year}",
        [p.partner for p in fund.positions],
        {
            "Budget": [p.planned for p in fund.positions],
            "Forecast outturn": [p.forecast for p in fund.positions],
        },
        "pounds",
    )


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
    if data.get("several"):
        return (
            f"Across the funds, the partners forecast {_variance(total.variance)} against the "
            f"budget for {year}; each fund's forecast and risk share follow."
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
