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
    """A partner's year in a fund is its contributions to the fund's pots together: in a
    quarter, the sum of their latest forecasts of the quarter once every pot has one."""
    scope_of = by_agreement(scopes)
    pools = pools_of(scopes)
    years: dict[tuple[int, int], PartnerYear] = {}
    key_of: dict[int, tuple[int, int]] = {}
    pots: dict[tuple[int, int], set[int]] = {}
    for pk, pool, partner, name, share in (
        Contribution.objects.filter(pooled_budget__in=list(pools))
        .order_by("pooled_budget", "partner__short_name", "pot__position", "pk")
        .values_list("pk", "pooled_budget", "partner", "partner__short_name", "risk_share_percent")
    ):
        key = key_of[pk] = (pool, partner)
        pots.setdefault(key, set()).add(pk)
        if key not in years:
            years[key] = PartnerYear(
                scope_of[pools[pool].agreement_id], pools[pool], partner, name, share, {}
            )
        elif years[key].risk_share_percent is None:
            years[key].risk_share_percent = share
    # The latest month of each quarter wins (a month-8 position gives way to month 9).
    by_quarter: dict[tuple, dict[int, tuple]] = {}
    for contribution_id, number, forecast, actual in (
        ContributionOutturn.objects.filter(contribution__pooled_budget__in=list(pools))
        .order_by("month")
        .values_list("contribution_id", "quarter__number", "forecast", "actual_to_date")
    ):
        key = key_of[contribution_id]
        by_quarter.setdefault((key, number), {})[contribution_id] = (forecast, actual)
    for (key, number), rows in by_quarter.items():
        year = years[key]
        if number > year.scope.quarter.number or set(rows) != pots[key]:
            continue
        actuals = [actual for _, actual in rows.values()]
        year.quarters[number] = Reported(
            number,
            sum((forecast for forecast, _ in rows.values()), Decimal(0)),
            None if None in actuals else sum(actuals, Decimal(0)),
        )
    return list(years.values())
