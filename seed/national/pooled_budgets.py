"""Pooled budgets: one pool every financial year of the agreement, a planned contribution
from each partner under the agreement's risk-share rule, and each partner's quarterly forecast
outturn and spend to date, most near plan, some over and fewer under."""

import datetime
from decimal import Decimal

from budgets.models import Contribution, ContributionOutturn, PooledBudget
from budgets.shares import RiskShareRule
from core.periods import financial_year_start
from seed.national.common import LAST_YEAR, PENNY, Context, Partnership, factor, pounds
from seed.national.vocabulary import FIXED_SHARES


def build_budgets(context: Context, p: Partnership) -> None:
    """A pool every financial year with a planned contribution from each partner, and each
    partner's forecast outturn and spend to date most quarters, over or under plan."""
    rng = p.rng
    rule = rng.choices(list(RiskShareRule), weights=(60, 30, 10))[0]
    fixed = dict(zip(p.partners, rng.choice(FIXED_SHARES[len(p.partners)]), strict=True))
    quarters = set(p.quarters())
    pools = context.sink.create(
        [
            PooledBudget(
                agreement=p.agreement,
                financial_year=context.years[year],
                risk_share_rule=rule.value,
                scope=p.service.scope,
            )
            for year in range(financial_year_start(p.data_start), LAST_YEAR + 1)
        ]
    )
    contributions = context.sink.create(
        [
            Contribution(
                pooled_budget=pool,
                partner=p.contributor(partner, pool.financial_year.start_year),
                planned=pounds(
                    p.planned(partner, pool.financial_year.start_year) * factor(rng, 0, 0.015)
                ),
                risk_share_percent=Decimal(fixed[partner]) if rule == RiskShareRule.FIXED else None,
                agreed_on=datetime.date(pool.financial_year.start_year, 3, rng.randint(1, 28)),
            )
            for pool in pools
            for partner in p.partners
        ]
    )
    for contribution in contributions:
        year = contribution.pooled_budget.financial_year.start_year
        draw = rng.random()
        # Most partners land near plan; some overspend, fewer underspend.
        if draw < 0.7:
            variance = factor(rng, 0, 0.02) - 1
        elif draw < 0.9:
            variance = factor(rng, 0.07, 0.025) - 1
        else:
            variance = factor(rng, -0.06, 0.02) - 1
        for number in (1, 2, 3, 4):
            if (year, number) not in quarters or rng.random() < 0.06:  # not reported
                continue
            forecast = pounds(
                contribution.planned * (1 + variance * number / 4) * factor(rng, 0, 0.005)
            )
            actual = None
            if rng.random() >= 0.05:
                actual = (forecast * number / 4 * factor(rng, 0, 0.02)).quantize(PENNY)
            context.sink.add(
                ContributionOutturn(
                    contribution_id=contribution.pk,
                    quarter_id=context.quarters[(year, number)].pk,
                    forecast=max(forecast, Decimal(0)),
                    actual_to_date=None if actual is None else max(actual, Decimal(0)),
                )
            )
