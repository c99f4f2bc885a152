"""Pooled budgets: one pool every financial year of the agreement, a planned contribution
from each partner under the agreement's risk-share rule, and each partner's quarterly forecast
outturn and spend to date, most near plan, some over and fewer under."""

import datetime
from decimal import Decimal

from budgets.models import Contribution, ContributionOutturn, PooledBudget, Pot
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
    contributions = [
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
    aligned = _funds_and_pots(context, p, pools, contributions)
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
                    month=number * 3,
                    forecast=max(forecast, Decimal(0)),
                    actual_to_date=None if actual is None else max(actual, Decimal(0)),
                )
            )
            twin = aligned.get(contribution.pk)
            if twin is not None:  # the aligned pot reports as its partner's pooled money does
                scale = twin.planned / contribution.planned if contribution.planned else 0
                context.sink.add(
                    ContributionOutturn(
                        contribution_id=twin.pk,
                        quarter_id=context.quarters[(year, number)].pk,
                        month=number * 3,
                        forecast=max(forecast * scale, Decimal(0)).quantize(PENNY),
                        actual_to_date=None
                        if actual is None
                        else max(actual * scale, Decimal(0)).quantize(PENNY),
                    )
                )


# One agreement in four keeps a fifth of each partner's money as an aligned budget (a pot
# jointly managed but not pooled); another one in four also runs a carers' services fund
# the council alone pays into. Both are chosen by the agreement's number, not drawn, so
# that every other generated figure stays as it was.
ALIGNED_SHARE = Decimal("0.2")
CARERS_SHARE = Decimal("0.06")


def _funds_and_pots(context: Context, p: Partnership, pools, contributions) -> dict:
    """Each pool's pot, the aligned pots and the carers' funds, and the contributions
    (not yet saved) in their pots; returns each pooled contribution's aligned twin, by the
    pooled contribution's id."""
    split = p.number % 4 == 1
    pots = context.sink.create(
        [Pot(pooled_budget=pool, name=pool.name, position=1) for pool in pools]
    )
    pot_of = {pot.pooled_budget_id: pot for pot in pots}
    aligned_pots = {}
    if split:
        made = context.sink.create(
            [
                Pot(
                    pooled_budget=pool,
                    name="Aligned budget",
                    arrangement=Pot.Arrangement.ALIGNED,
                    position=2,
                )
                for pool in pools
            ]
        )
        aligned_pots = {pot.pooled_budget_id: pot for pot in made}
    twins = []
    for contribution in contributions:
        contribution.pot = pot_of[contribution.pooled_budget.pk]
        if split:
            whole = contribution.planned
            contribution.planned = (whole * (1 - ALIGNED_SHARE)).quantize(PENNY)
            twins.append(
                Contribution(
                    pooled_budget=contribution.pooled_budget,
                    pot=aligned_pots[contribution.pooled_budget.pk],
                    partner=contribution.partner,
                    original=whole - contribution.planned,
                    planned=whole - contribution.planned,
                    risk_share_percent=contribution.risk_share_percent,
                    agreed_on=contribution.agreed_on,
                )
            )
        contribution.original = contribution.planned
    context.sink.create(contributions)
    context.sink.create(twins)
    if p.number % 4 == 3:
        _carers_funds(context, p, pools, contributions)
    if not split:
        return {}
    return {pooled.pk: twin for pooled, twin in zip(contributions, twins, strict=True)}


def _carers_funds(context: Context, p: Partnership, pools, contributions) -> None:
    """A carers' services fund beside each year's pool, the council's alone."""
    funds = context.sink.create(
        [
            PooledBudget(
                agreement=p.agreement,
                financial_year=pool.financial_year,
                risk_share_rule=RiskShareRule.OWN.value,
                name="Carers' services",
                position=2,
                scope="Support for unpaid carers",
            )
            for pool in pools
        ]
    )
    pots = context.sink.create([Pot(pooled_budget=fund, name=fund.name) for fund in funds])
    fund_of = {pool.pk: (fund, pot) for pool, fund, pot in zip(pools, funds, pots, strict=True)}
    rows = []
    for contribution in contributions:
        if contribution.partner.kind != "council":
            continue
        fund, pot = fund_of[contribution.pooled_budget_id]
        amount = (contribution.original * CARERS_SHARE).quantize(PENNY)
        rows.append(
            Contribution(
                pooled_budget=fund,
                pot=pot,
                partner=contribution.partner,
                original=amount,
                planned=amount,
                agreed_on=contribution.agreed_on,
            )
        )
    context.sink.create(rows)
