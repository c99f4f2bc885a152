"""Partner shares of a pooled budget, variance, and the risk share of an over/underspend."""

from collections.abc import Hashable, Mapping
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import TypeVar

K = TypeVar("K", bound=Hashable)
PENNY = Decimal("0.01")


class RiskShareRule(StrEnum):
    PROPORTIONAL = "proportional"  # in proportion to planned contributions
    OWN = "own"  # each partner bears the variance on its own contribution
    FIXED = "fixed"  # agreed fixed percentages


def shares(amounts: Mapping[K, Decimal]) -> dict[K, Decimal]:
    """Each amount as a fraction of the total (unrounded)."""
    if any(amount < 0 for amount in amounts.values()):
        raise ValueError("Contributions can't be negative.")
    total = sum(amounts.values(), Decimal(0))
    if total == 0:
        raise ValueError("The shares of a total of £0 are undefined.")
    return {key: amount / total for key, amount in amounts.items()}


def as_percent(fraction: Decimal, places: int = 1) -> Decimal:
    return (fraction * 100).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def variance(planned: Decimal, forecast: Decimal) -> Decimal:
    """Forecast less plan: positive is an overspend, negative an underspend."""
    return forecast - planned


def allocate(total: Decimal, weights: Mapping[K, Decimal]) -> dict[K, Decimal]:
    """Split `total` in proportion to `weights`, in pence, summing exactly to `total`.

    Pennies left over by rounding go to the largest remainders (ties to the larger weight).
    """
    if not weights:
        raise ValueError("There is nobody to allocate to.")
    fractions = shares(weights)
    pence = int((total / PENNY).to_integral_value(rounding=ROUND_HALF_UP))
    sign = -1 if pence < 0 else 1
    exact = {key: abs(pence) * fraction for key, fraction in fractions.items()}
    floors = {key: int(value) for key, value in exact.items()}
    left = abs(pence) - sum(floors.values())
    order = sorted(exact, key=lambda key: (exact[key] - floors[key], weights[key]), reverse=True)
    for key in order[:left]:
        floors[key] += 1
    return {key: sign * floors[key] * PENNY for key in weights}


def risk_share(
    rule: RiskShareRule,
    *,
    planned: Mapping[K, Decimal],
    forecast: Mapping[K, Decimal],
    fixed_percent: Mapping[K, Decimal] | None = None,
) -> dict[K, Decimal]:
    """How much of the pool's forecast variance each partner bears."""
    if planned.keys() != forecast.keys():
        raise ValueError("Every partner needs both a planned and a forecast figure.")
    if rule == RiskShareRule.OWN:
        return {key: variance(planned[key], forecast[key]) for key in planned}
    total_variance = sum((variance(planned[key], forecast[key]) for key in planned), Decimal(0))
    if rule == RiskShareRule.PROPORTIONAL:
        return allocate(total_variance, planned)
    if not fixed_percent or fixed_percent.keys() != planned.keys():
        raise ValueError("A fixed risk share needs a percentage for every partner.")
    if sum(fixed_percent.values(), Decimal(0)) != 100:
        raise ValueError("Fixed risk-share percentages must add up to 100.")
    return allocate(total_variance, fixed_percent)


def fixed_shares_problem(percents: Mapping[K, Decimal]) -> str | None:
    """Why these fixed risk-share percentages can't be agreed, or None: they must add up to
    exactly 100.00."""
    total = sum(percents.values(), Decimal(0))
    if total != 100:
        return f"The fixed risk shares add up to {total:.2f}%: they must add up to 100.00%"
    return None
