"""Writes to pooled budgets. Each is atomic, validated (including the rules that span
tables, in the models' clean()) and records who made the change."""

from decimal import Decimal

from django.db import transaction

from budgets.models import Contribution, ContributionOutturn, PooledBudget
from partnerships.models import Organisation, Quarter


@transaction.atomic
def set_planned_contribution(
    *, by, pooled_budget: PooledBudget, partner: Organisation, planned: Decimal
) -> Contribution:
    """Set a partner's planned contribution; the partner must be party to the agreement."""
    contribution = Contribution.objects.filter(
        pooled_budget=pooled_budget, partner=partner
    ).first() or Contribution(pooled_budget=pooled_budget, partner=partner)
    contribution.planned = planned
    contribution._history_user = by
    contribution.full_clean()
    contribution.save()
    return contribution


@transaction.atomic
def record_outturn(
    *,
    by,
    contribution: Contribution,
    quarter: Quarter,
    forecast: Decimal,
    actual_to_date: Decimal | None = None,
    month: int | None = None,
) -> ContributionOutturn:
    """Record a partner's forecast outturn and spend to date at a quarter's end, or at
    another month of the quarter (1 is April)."""
    month = month or quarter.number * 3
    outturn = ContributionOutturn.objects.filter(
        contribution=contribution, month=month
    ).first() or ContributionOutturn(contribution=contribution, quarter=quarter, month=month)
    outturn.forecast = forecast
    outturn.actual_to_date = actual_to_date
    outturn._history_user = by
    outturn.full_clean()
    outturn.save()
    return outturn
