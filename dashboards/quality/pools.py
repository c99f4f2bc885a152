"""The pools, contributions and outturns of each scope's financial year, read once a run
for the budget checks (one query each)."""

from dataclasses import dataclass
from decimal import Decimal

from budgets.models import Contribution, ContributionOutturn, PooledBudget
from dashboards.quality.registry import Scope, by_agreement, shared


def pools_of(scopes: list[Scope]) -> dict[int, PooledBudget]:
    """Each partnership's pool for its quarter's year, by pool id."""
    return shared(scopes, "pools", _pools)


def _pools(scopes):
    scope_of = by_agreement(scopes)
    return {
        pool.pk: pool
        for pool in PooledBudget.objects.filter(
            agreement__in=list(scope_of),
            financial_year_id__in={s.quarter.financial_year_id for s in scopes},
        ).select_related("financial_year")
        if pool.financial_year_id == scope_of[pool.agreement_id].quarter.financial_year_id
    }


@dataclass(frozen=True)
class Reported:
    """A partner's figures in one quarter of its pool's year."""

    number: int  # the quarter
    forecast: Decimal
    actual_to_date: Decimal | None


@dataclass
class PartnerYear:
    """A partner's contribution to its pool, and what it reported up to the scope's quarter."""

    scope: Scope
    pool: PooledBudget
    partner_id: int
    partner: str
    risk_share_percent: Decimal | None
    quarters: dict[int, Reported]


def partner_years(scopes: list[Scope]) -> list[PartnerYear]:
    """Every contribution to the scopes' pools, each partner's in name order."""
    return shared(scopes, "partner_years", _partner_years)


def _partner_years(scopes):
    scope_of = by_agreement(scopes)
    pools = pools_of(scopes)
    years = {
        pk: PartnerYear(scope_of[pools[pool].agreement_id], pools[pool], partner, name, share, {})
        for pk, pool, partner, name, share in Contribution.objects.filter(
            pooled_budget__in=list(pools)
        )
        .order_by("pooled_budget", "partner__short_name")
        .values_list("pk", "pooled_budget", "partner", "partner__short_name", "risk_share_percent")
    }
    for contribution_id, number, forecast, actual in ContributionOutturn.objects.filter(
        contribution__pooled_budget__in=list(pools)
    ).values_list("contribution_id", "quarter__number", "forecast", "actual_to_date"):
        year = years[contribution_id]
        if number <= year.scope.quarter.number:
            year.quarters[number] = Reported(number, forecast, actual)
    return list(years.values())
