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
