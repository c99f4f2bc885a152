"""Reads of pooled budgets and agreement values, computed from stored contributions."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum

from budgets import shares
from budgets.models import Contribution, ContributionOutturn, PooledBudget, Quarter
from budgets.uplift import YearValue, years_ending_within
from partnerships.models import AgreementTerm


def planned_by_partner(pooled_budget: PooledBudget) -> dict[str, Decimal]:
    """Planned contributions keyed by the partner's short name, in one query."""
    return dict(
        Contribution.objects.filter(pooled_budget=pooled_budget)
        .order_by("partner__name")
        .values_list("partner__short_name", "planned")
    )


def pool_total(pooled_budget: PooledBudget) -> Decimal:
    total = Contribution.objects.filter(pooled_budget=pooled_budget).aggregate(
        total=Sum("planned")
    )["total"]
    return total or Decimal(0)


def partner_shares(pooled_budget: PooledBudget) -> dict[str, Decimal]:
    """Each partner's planned contribution as a fraction of the pool."""
    return shares.shares(planned_by_partner(pooled_budget))


@dataclass(frozen=True)
class PartnerPosition:
    partner: str
    planned: Decimal
    forecast: Decimal
    actual_to_date: Decimal | None
    variance: Decimal
    risk_share: Decimal


def budget_position(pooled_budget: PooledBudget, quarter: Quarter) -> list[PartnerPosition]:
    """Plan, forecast, variance and risk share of each partner as at a quarter's end.

    A partner with no forecast yet for the quarter is taken to be on plan.
    """
    planned = planned_by_partner(pooled_budget)
    outturns = {
        row["contribution__partner__short_name"]: row
        for row in ContributionOutturn.objects.filter(
            contribution__pooled_budget=pooled_budget, quarter=quarter
        ).values("contribution__partner__short_name", "forecast", "actual_to_date")
    }
    forecast = {
        partner: outturns[partner]["forecast"] if partner in outturns else amount
        for partner, amount in planned.items()
    }
    fixed = None
    if pooled_budget.risk_share_rule == shares.RiskShareRule.FIXED:
        fixed = dict(
            Contribution.objects.filter(pooled_budget=pooled_budget).values_list(
                "partner__short_name", "risk_share_percent"
            )
        )
    risk = shares.risk_share(
        shares.RiskShareRule(pooled_budget.risk_share_rule),
        planned=planned,
        forecast=forecast,
        fixed_percent=fixed,
    )
    return [
        PartnerPosition(
            partner=partner,
            planned=planned[partner],
            forecast=forecast[partner],
            actual_to_date=outturns.get(partner, {}).get("actual_to_date"),
            variance=shares.variance(planned[partner], forecast[partner]),
            risk_share=risk[partner],
        )
        for partner in planned
    ]


def term_values(term: AgreementTerm) -> list[YearValue]:
    """The projected value of each agreement year ending within a term, from the latest
    value projection made before the term began."""
    projection = (
        term.agreement.value_projections.filter(base_year_ending__lt=term.start_date)
        .order_by("-base_year_ending")
        .first()
    )
    if projection is None:
        return []
    return years_ending_within(projection.years_to(term.end_date), term.start_date, term.end_date)


def term_cost(term: AgreementTerm) -> Decimal:
    return sum((year.value for year in term_values(term)), Decimal(0))


def quarter_for(label: str) -> Quarter | None:
    """The Quarter row for '2023/24-Q2', or None when that year isn't in the database."""
    from budgets.periods import parse_period

    period = parse_period(label)
    return (
        Quarter.objects.select_related("financial_year")
        .filter(financial_year__start_year=period.start_year, number=period.quarter or 4)
        .first()
    )


def latest_quarter_with_figures(agreement) -> Quarter | None:
    """The latest quarter for which the partnership has any quarterly figure: an outturn,
    a KPI value or Care Act activity; failing those, the last quarter of its latest pool."""
    from caseload.models import CareActActivity
    from partnerships.models import KPIValue

    candidates = [
        ContributionOutturn.objects.filter(contribution__pooled_budget__agreement=agreement),
        KPIValue.objects.filter(kpi__agreement=agreement),
        CareActActivity.objects.filter(team__agreement=agreement),
    ]
    quarters = [
        qs.order_by("-quarter__financial_year__start_year", "-quarter__number")
        .values_list("quarter_id", flat=True)
        .first()
        for qs in candidates
    ]
    found = Quarter.objects.select_related("financial_year").filter(
        pk__in=[q for q in quarters if q]
    )
    latest = found.order_by("-financial_year__start_year", "-number").first()
    if latest is not None:
        return latest
    pool = agreement.pooled_budgets.order_by("-financial_year__start_year").first()
    if pool is None:
        return None
    return Quarter.objects.select_related("financial_year").get(
        financial_year_id=pool.financial_year_id, number=4
    )


def budget_section(agreement, quarter: Quarter) -> dict:
    """The pooled budget as at a quarter: each partner's plan, forecast, actual, share,
    variance and risk share; the planned pool year by year; and the agreement's value
    projected with its uplift."""
    pool = (
        PooledBudget.objects.select_related("financial_year")
        .filter(agreement=agreement, financial_year_id=quarter.financial_year_id)
        .first()
    )
    section = {"pool": pool, "positions": [], "total": None, "shares": {}}
    if pool is not None and pool.contributions.exists():
        positions = budget_position(pool, quarter)
        total_planned = sum((p.planned for p in positions), Decimal(0))
        section |= {
            "positions": positions,
            "shares": {p.partner: p.planned / total_planned for p in positions}
            if total_planned
            else {},
            "total": PartnerPosition(
                partner="Total",
                planned=total_planned,
                forecast=sum((p.forecast for p in positions), Decimal(0)),
                actual_to_date=None,
                variance=sum((p.variance for p in positions), Decimal(0)),
                risk_share=sum((p.risk_share for p in positions), Decimal(0)),
            ),
        }
    trend_rows = (
        Contribution.objects.filter(pooled_budget__agreement=agreement)
        .values_list("pooled_budget__financial_year__start_year", "partner__short_name", "planned")
        .order_by("pooled_budget__financial_year__start_year", "partner__short_name")
    )
    years: dict[int, dict[str, Decimal]] = {}
    for start_year, partner, planned in trend_rows:
        years.setdefault(start_year, {})[partner] = planned
    section["trend"] = years
    projection = agreement.value_projections.order_by("-base_year_ending").first()
    section["projection"] = projection
    section["projected_years"] = projection.years_to(agreement.end_date) if projection else []
    return section
