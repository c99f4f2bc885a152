from django.shortcuts import render
from django.utils.text import slugify

from budgets.selectors import (
    budget_section,
    latest_pool_quarter,
    quarters_of_funds,
    uplift_text,
)
from budgets.tables import (
    FundTable,
    PositionTable,
    PotTable,
    ProjectionTable,
    QuarterTrendTable,
    TrendTable,
    has_pence,
)
from core import charts
from core.formatting import financial_year_label, long_date, whole_pounds
from dashboards.quality import flags_for
from dashboards.quarter import choose_quarter
from partnerships.dashboard import PeriodChoice, configured, section_context
from partnerships.permissions import can, partnership_view


@partnership_view("view_dashboard")
def budget(request, agreement):
    period = _period(request, agreement)
    context = section_context(request, agreement, "budget", period)
    context["may_set_budget"] = can(request.user, "set_budget", agreement)
    if period.quarter is None:
        return render(request, "budgets/budget.html", context)
    quarter = period.quarter
    section = budget_section(agreement, quarter)
    pence = has_pence(_amounts(section))
    positions = _positions(section)
    position_table, trend_table, projection_table = _tables(
        agreement, quarter, section, positions, pence
    )
    funds = _funds(agreement, quarter, section, pence)
    fund_table = _fund_table(section, quarter, pence) if section["several"] else None
    exports = [(position_table, f"{agreement.slug} pooled budget {quarter.slug}")]
    if fund_table is not None:
        exports.append((fund_table, f"{agreement.slug} funds {quarter.slug}"))
    for fund in funds:
        name = f"{agreement.slug} {fund['slug']}"
        exports.append((fund["position_table"], f"{name} {quarter.slug}"))
        if fund["pot_table"] is not None:
            exports.append((fund["pot_table"], f"{name} pots {quarter.slug}"))
        exports.append((fund["quarter_table"], f"{name} by quarter {quarter.slug}"))
    exports += [
        (trend_table, f"{agreement.slug} planned contributions by year"),
        (projection_table, f"{agreement.slug} value projection"),
    ]
    download = configured(request, *exports)
    if download is not None:
        return download
    projection = section["projection"]
    context |= {
        "flags": flags_for(request.user, agreement, quarter, sections={"budget"}),
        "section": section,
        "pence": pence,
        "funds": funds,
        "fund_table": fund_table,
        "uplift_text": uplift_text(projection.uplift_rate) if projection else "",
        "flat": projection is not None and projection.uplift_rate == 0,
        "position_table": position_table,
        "trend_table": trend_table,
        "projection_table": projection_table,
        **_charts(quarter, section, positions),
    }
    return render(request, "budgets/budget.html", context)


def _amounts(section):
    for fund in section["funds"]:
        for p in fund.positions:
            yield from (p.original, p.planned, p.forecast, p.actual_to_date)
        for pot in fund.pots:
            for p in pot.positions:
                yield from (p.original, p.planned, p.forecast)


def _funds(agreement, quarter, section, pence) -> list[dict]:
    """Each fund of the year: its partners' positions, its pots, its revisions and its
    position quarter by quarter (with the chart of it), for the page to lay out in turn."""
    by_quarter = quarters_of_funds(section, quarter)
    found = []
    for index, fund in enumerate(section["funds"], start=1):
        revised = any(p.original != p.planned for p in fund.positions) or bool(fund.revisions)
        rows = [
            {
                "partner": p.partner,
                "original": p.original,
                "planned": p.planned,
                "share": fund.shares.get(p.partner, 0) * 100,
                "agreed_share": fund.agreed_shares.get(p.partner),
                "forecast": p.forecast,
                "as_at": p.as_at,
                "actual_to_date": p.actual_to_date,
                "variance": p.variance,
                "risk_share": p.risk_share,
            }
            for p in fund.positions
        ]
        total = fund.total
        prefix = f"fund{index}-"
        pot_rows = [
            {
                "pot": pot.pot.name,
                "arrangement": pot.pot.get_arrangement_display(),
                "partner": p.partner,
                "original": p.original,
                "planned": p.planned,
                "forecast": p.forecast,
                "as_at": p.as_at,
                "variance": p.variance,
            }
            for pot in fund.pots
            for p in pot.positions
        ]
        quarters = by_quarter.get(fund.fund.pk, [])
        found.append(
            {
                "fund": fund,
                "slug": slugify(fund.fund.name),
                "revised": revised,
                "position_table": PositionTable(
                    rows,
                    totals={
                        "original": total.original,
                        "planned": total.planned,
                        "forecast": total.forecast,
                        "variance": total.variance,
                        "risk_share": total.risk_share,
                        "leaves_out": fund.leaves_out,
                    },
                    revised=revised,
                    agreed=bool(fund.agreed_shares),
                    pence=pence,
                    prefix=prefix,
                    caption=f"{fund.fund.name}, {quarter.financial_year.label}: each "
                    f"partner's contribution, as at {quarter.name}",
                ),
                "pot_table": PotTable(
                    pot_rows,
                    pence=pence,
                    prefix=f"{prefix}pots-",
                    caption=f"{fund.fund.name}: contributions to each pot",
                )
                if len(fund.pots) > 1
                or any(pot.pot.arrangement != pot.pot.Arrangement.POOLED for pot in fund.pots)
                else None,
                "quarter_table": QuarterTrendTable(
                    quarters,
                    pence=pence,
                    prefix=f"{prefix}quarters-",
                    caption=f"{fund.fund.name}: budget, forecast outturn and spend at each "
                    f"quarter of {quarter.financial_year.label}",
                ),
                "quarter_chart": charts.line_chart(
                    title=f"{fund.fund.name}: budget and forecast outturn by quarter, "
                    f"{quarter.financial_year.label}",
                    periods=[row["quarter"] for row in quarters],
                    series={
                        "Budget": [row["planned"] for row in quarters],
                        "Forecast outturn": [row["forecast"] for row in quarters],
                        "Spent to date": [row["actual_to_date"] for row in quarters],
                    },
                    value_format=whole_pounds,
                    x_label="Quarter",
                )
                if len(quarters) > 1
                else None,
            }
        )
    return found


def _fund_table(section, quarter, pence) -> FundTable:
    total = section["total"]
    return FundTable(
        [
            {
                "fund": fund.fund.name,
                "original": fund.total.original,
                "planned": fund.total.planned,
                "forecast": fund.total.forecast,
                "as_at": fund.as_at,
                "variance": fund.total.variance,
                "leaves_out": fund.leaves_out,
            }
            for fund in section["funds"]
        ],
        totals={
            "original": total.original,
            "planned": total.planned,
            "forecast": total.forecast,
            "variance": total.variance,
            "leaves_out": section["leaves_out"],
        },
        pence=pence,
        prefix="funds-",
        caption=f"The agreement's funds in {quarter.financial_year.label}, as at {quarter.name}",
    )


def _period(request, agreement) -> PeriodChoice:
    """The quarter asked for; by default the latest year that has a pool, not an empty page."""
    period = choose_quarter(request, agreement)
    if "period" not in request.GET and period.quarter is not None:
        latest = latest_pool_quarter(agreement)
        if (
            latest is not None
            and not agreement.pooled_budgets.filter(
                financial_year_id=period.quarter.financial_year_id
            ).exists()
        ):
            period = PeriodChoice(latest, period.choices)
    return period


def _positions(section) -> list[dict]:
    """Each partner's position in the pool, as the position table and chart read it."""
    return [
        {
            "partner": p.partner,
            "original": p.original,
            "planned": p.planned,
            "share": section["shares"].get(p.partner, 0) * 100,
            "agreed_share": section.get("agreed_shares", {}).get(p.partner),
            "forecast": p.forecast,
            "as_at": p.as_at,
            "actual_to_date": p.actual_to_date,
            "variance": p.variance,
            "risk_share": p.risk_share,
        }
        for p in section["positions"]
    ]


def _tables(agreement, quarter, section, positions, pence):
    """The position, trend and projection tables."""
    total = section["total"]
    totals = (
        {
            "original": total.original,
            "planned": total.planned,
            "forecast": total.forecast,
            "variance": total.variance,
            "risk_share": total.risk_share,
            "leaves_out": section["leaves_out"],
        }
        if total
        else {}
    )
    year = quarter.financial_year.label
    revised = any(p["original"] != p["planned"] for p in positions)
    position_table = PositionTable(
        positions,
        totals=totals,
        revised=revised,
        agreed=bool(section.get("agreed_shares")),
        pence=pence,
        prefix="position-",
        caption=f"Contributions to the {year} pooled budget, as at {quarter.name}"
        if not section["several"]
        else f"Each partner's contributions to every fund in {year}, as at {quarter.name}",
    )
    trend_rows = [
        {"year": financial_year_label(start), "partner": partner, "planned": planned}
        for start, by_partner in sorted(section["trend"].items())
        for partner, planned in by_partner.items()
    ]
    trend_table = TrendTable(trend_rows, prefix="trend-", caption="Planned contributions by year")
    projection_table = ProjectionTable(
        _projection_rows(agreement, section["projected_years"]),
        prefix="projection-",
        caption="Agreement value projected with uplift",
    )
    return position_table, trend_table, projection_table


def _projection_rows(agreement, projected_years) -> list[dict]:
    """Each agreement year's projected value, and the term it falls in."""
    terms = list(agreement.terms.order_by("start_date"))
    return [
        {
            "year": long_date(year.year_ending),
            "value": year.value,
            "in_term": next(
                (
                    t.get_kind_display()
                    for t in terms
                    if t.start_date <= year.year_ending <= t.end_date
                ),
                "",
            ),
        }
        for year in projected_years
    ]


def _charts(quarter, section, positions) -> dict:
    """The position, trend and projection charts, each None when it would have nothing."""
    years = sorted(section["trend"])
    all_partners = sorted({p for by in section["trend"].values() for p in by})
    projected = section["projected_years"]
    return {
        "position_chart": charts.bar_chart(
            title=f"Planned and forecast contributions, {quarter.financial_year.label}",
            categories=[p["partner"] for p in positions],
            series={
                "Planned": [p["planned"] for p in positions],
                "Forecast outturn": [p["forecast"] for p in positions],
            },
            value_format=whole_pounds,
            x_label="Partner",
        )
        if positions
        else None,
        "trend_chart": charts.line_chart(
            title="Planned contributions by financial year",
            periods=[financial_year_label(y) for y in years],
            series={
                partner: [section["trend"][y].get(partner) for y in years]
                for partner in all_partners
            },
            value_format=whole_pounds,
            x_label="Financial year",
        )
        if len(years) > 1
        else None,
        "projection_chart": charts.bar_chart(
            title="Agreement value by agreement year, with uplift",
            categories=[str(y.year_ending.year) for y in projected],
            series={"Projected value": [y.value for y in projected]},
            value_format=whole_pounds,
            x_label="Agreement year ending in",
        )
        if projected
        else None,
    }
