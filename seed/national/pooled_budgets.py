"""Pooled budgets: one pool every financial year of the agreement, a planned contribution
from each partner under the agreement's risk-share rule, and each partner's quarterly forecast
outturn and spend to date, most near plan, some over and fewer under. Beside the pool, by the
agreement's number: an aligned pot, a carers' fund, or a Better Care Fund of three to five
pots; and in about a third of a fund's years an in-year revision, with changes to partners'
contributions and, where a partner pays into two pots of the fund, a virement between them."""

import datetime
import random
from decimal import Decimal

from budgets.models import (
    BudgetRevision,
    Contribution,
    ContributionOutturn,
    PooledBudget,
    Pot,
    RevisionChange,
    Virement,
)
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
    derived = _funds_and_pots(context, p, pools, contributions)
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
            # The aligned pot and the Better Care Fund's pots report as the partner's
            # pooled money does.
            for twin in derived.get(contribution.pk, ()):
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
# the council alone pays into; a third one in four also runs a Better Care Fund from
# 2015/16, of three to five pots. All are chosen by the agreement's number, and their
# figures and the revisions drawn from a generator of the agreement's budgets alone, not
# from the agreement's: every other generated figure stays as it was.
ALIGNED_SHARE = Decimal("0.2")
CARERS_SHARE = Decimal("0.06")
BETTER_CARE_FUND = "Better Care Fund"
BETTER_CARE_FROM = 2015
# Each pot of a Better Care Fund, with each partner's money into it as a share of that
# partner's contribution to the pool: "nhs" is the ICB (or the CCG or PCT of the year) where
# it is a partner, otherwise the trust.
BETTER_CARE_POTS = (
    ("NHS minimum contribution", {"nhs": "0.45"}),
    ("Disabled facilities grant", {"council": "0.08"}),
    ("Improved Better Care Fund", {"council": "0.22"}),
    ("Discharge fund", {"council": "0.04", "nhs": "0.06"}),
    ("Additional contributions", {"council": "0.10", "nhs": "0.08"}),
)
REVISED_SHARE = 0.33  # of a fund's years with an in-year revision
VIREMENT_SHARE = 0.6  # of revisions, where a partner pays into two of the fund's pots
REASONS = (
    "In-year uplift to the NHS contribution agreed by the partners",
    "Savings target applied to the council's contribution",
    "Winter pressures funding added to the pool",
    "Budget realigned to forecast activity at the half-year review",
    "Recurrent pay award funding added",
    "Slippage on new services released back to the partners",
)


def _funds_and_pots(context: Context, p: Partnership, pools, contributions) -> dict:
    """Each pool's pot, the aligned pots, the carers' funds and the Better Care Funds, the
    contributions (not yet saved) in their pots, and the year's revisions; returns the
    contributions that report as a pooled contribution does (its aligned twin, its partner's
    Better Care Fund pots), by the pooled contribution's id."""
    rng = random.Random(f"{context.seed}/budgets/{p.number}")  # noqa: S311 – synthetic data
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
    funds = {pool.pk: [] for pool in pools}  # each fund's contributions, for its revisions
    derived: dict[int, list[Contribution]] = {}  # by id() of the pooled contribution
    for contribution in contributions:
        contribution.pot = pot_of[contribution.pooled_budget.pk]
        funds[contribution.pooled_budget.pk].append(contribution)
        if split:
            whole = contribution.planned
            contribution.planned = (whole * (1 - ALIGNED_SHARE)).quantize(PENNY)
            twin = Contribution(
                pooled_budget=contribution.pooled_budget,
                pot=aligned_pots[contribution.pooled_budget.pk],
                partner=contribution.partner,
                original=whole - contribution.planned,
                planned=whole - contribution.planned,
                risk_share_percent=contribution.risk_share_percent,
                agreed_on=contribution.agreed_on,
            )
            twins.append(twin)
            funds[contribution.pooled_budget.pk].append(twin)
            derived[id(contribution)] = [twin]
        contribution.original = contribution.planned
    carers = _carers_funds(context, p, pools, contributions) if p.number % 4 == 3 else {}
    better = _better_care_funds(context, p, pools, contributions, rng, derived)
    funds.update(carers)
    funds.update(better)
    revisions = _revisions(p, funds, rng)
    for rows in (contributions, twins, *carers.values(), *better.values()):
        context.sink.create(rows)
    _save_revisions(context, revisions)
    return {
        contribution.pk: derived[id(contribution)]
        for contribution in contributions
        if id(contribution) in derived
    }


def _carers_funds(context: Context, p: Partnership, pools, contributions) -> dict:
    """A carers' services fund beside each year's pool, the council's alone; its
    contributions (not yet saved), by the fund's id."""
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
    rows = {fund.pk: [] for fund in funds}
    for contribution in contributions:
        if contribution.partner.kind != "council":
            continue
        fund, pot = fund_of[contribution.pooled_budget_id]
        amount = (contribution.planned * CARERS_SHARE).quantize(PENNY)
        rows[fund.pk].append(
            Contribution(
                pooled_budget=fund,
                pot=pot,
                partner=contribution.partner,
                original=amount,
                planned=amount,
                agreed_on=contribution.agreed_on,
            )
        )
    return rows


def _better_care_funds(
    context: Context, p: Partnership, pools, contributions, rng: random.Random, derived: dict
) -> dict:
    """For one agreement in four, a Better Care Fund beside each year's pool from 2015/16,
    of three to five pots (by the agreement's number), the council and the NHS partner each
    paying into some of them; its contributions (not yet saved), by the fund's id. Each is
    added to `derived` under its partner's pooled contribution, whose outturns it follows."""
    if p.number % 4 != 2:
        return {}
    count = 3 + (p.number // 4) % 3
    nhs = p.icb if p.icb in p.partners else p.trust
    years = [pool for pool in pools if pool.financial_year.start_year >= BETTER_CARE_FROM]
    funds = context.sink.create(
        [
            PooledBudget(
                agreement=p.agreement,
                financial_year=pool.financial_year,
                risk_share_rule=RiskShareRule.OWN.value,
                name=BETTER_CARE_FUND,
                position=2,
                scope="Integrated health and social care under the Better Care Fund",
            )
            for pool in years
        ]
    )
    pots = context.sink.create(
        [
            Pot(pooled_budget=fund, name=name, position=position)
            for fund in funds
            for position, (name, _) in enumerate(BETTER_CARE_POTS[:count], start=1)
        ]
    )
    index = {pool.pk: i for i, pool in enumerate(pools)}
    rows = {}
    for number, (pool, fund) in enumerate(zip(years, funds, strict=True)):
        sources = contributions[index[pool.pk] * len(p.partners) :][: len(p.partners)]
        source_of = {
            "council": sources[p.partners.index(p.council)],
            "nhs": sources[p.partners.index(nhs)],
        }
        rows[fund.pk] = []
        for (_, shares), pot in zip(
            BETTER_CARE_POTS[:count], pots[number * count : (number + 1) * count], strict=True
        ):
            for who, share in shares.items():
                source = source_of[who]
                amount = pounds(source.planned * Decimal(share) * factor(rng, 0, 0.03))
                row = Contribution(
                    pooled_budget=fund,
                    pot=pot,
                    partner=source.partner,
                    original=amount,
                    planned=amount,
                    agreed_on=source.agreed_on,
                )
                rows[fund.pk].append(row)
                derived.setdefault(id(source), []).append(row)
    return rows


def _revisions(p: Partnership, funds: dict, rng: random.Random) -> list:
    """In about a third of each fund's years, a revision made between September and
    November: changes to some partners' contributions and, in most revisions of a fund where
    a partner pays into two pots, a virement of that partner's money between them. The
    figure as it stands (`planned`) is kept as generated, and the figure as set
    (`original`) is what it was before the revision: planned less the changes and the
    virements in, plus the virements out. Returns each revision (not yet saved) with its
    changes and virements."""
    revisions = []
    for rows in funds.values():
        if not rows or rng.random() >= REVISED_SHARE:
            continue
        fund = rows[0].pooled_budget
        # By the end of November: a revision of 2026/27 is not in the future on the
        # benchmark's day (a return refuses a revision agreed after today).
        made_on = datetime.date(fund.financial_year.start_year, 9, 1) + datetime.timedelta(
            days=rng.randint(0, 90)
        )
        revision = BudgetRevision(pooled_budget=fund, made_on=made_on, reason=rng.choice(REASONS))
        changes = []
        for row in rows:
            if rng.random() < 0.4 or (row is rows[-1] and not changes):
                amount = pounds(row.planned * Decimal(rng.randint(-400, 600)).scaleb(-4))
                if amount:
                    changes.append((row, amount))
                    row.original -= amount
        by_partner: dict[int, list[Contribution]] = {}
        for row in rows:
            by_partner.setdefault(row.partner.pk, []).append(row)
        movers = [pair for pair in by_partner.values() if len(pair) > 1]
        virements = []
        if movers and rng.random() < VIREMENT_SHARE:
            source, target = rng.sample(rng.choice(movers), 2)
            amount = pounds(target.planned * Decimal(rng.randint(200, 1500)).scaleb(-4))
            if amount > 0:
                virements.append((source, target, amount))
                source.original += amount
                target.original -= amount
        if changes or virements:
            revisions.append((revision, changes, virements))
    return revisions


def _save_revisions(context: Context, revisions: list) -> None:
    """The revisions, once their contributions are saved."""
    context.sink.create([revision for revision, _, _ in revisions])
    for revision, changes, virements in revisions:
        for row, amount in changes:
            context.sink.add(
                RevisionChange(revision_id=revision.pk, contribution_id=row.pk, amount=amount)
            )
        for source, target, amount in virements:
            context.sink.add(
                Virement(
                    revision_id=revision.pk,
                    partner_id=source.partner.pk,
                    from_pot_id=source.pot.pk,
                    to_pot_id=target.pot.pk,
                    amount=amount,
                )
            )
