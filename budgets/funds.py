"""The funds of an agreement's year, their pots and the partners' agreed shares, and their
revision during the year by changes to contributions and virements between pots.

Each write is atomic and checked here whatever sent it: a fund's pots and contributions
are written together or not at all; a revision's changes and virements are applied to
the contributions' revised figures in the same transaction that records them, so the
budget as revised is always the budget as set plus the year's revisions; no revised
contribution may fall below £0; agreed shares add up to exactly 100.00%.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from budgets.models import (
    AgreedShare,
    BudgetRevision,
    Contribution,
    PooledBudget,
    Pot,
    RevisionChange,
    Virement,
)
from budgets.shares import RiskShareRule
from budgets.years import year_problem
from core.formatting import money
from partnerships.models import Agreement, Decision, FinancialYear, Organisation, Quarter


def year_with_quarters(start_year: int) -> FinancialYear:
    """The financial year's row and its four quarters, made if the database has none yet,
    so that the dashboards can show the new year."""
    year, _ = FinancialYear.objects.get_or_create(start_year=start_year)
    for number in (1, 2, 3, 4):
        Quarter.objects.get_or_create(financial_year=year, number=number)
    return year


@dataclass(frozen=True)
class PotPlan:
    """A pot of a new fund and each partner's contribution to it, by partner."""

    name: str
    contributions: dict[Organisation, Decimal]
    arrangement: str = Pot.Arrangement.POOLED


@transaction.atomic
def add_fund(
    *,
    by,
    agreement: Agreement,
    start_year: int,
    name: str,
    pots: list[PotPlan],
    risk_share_rule: str = RiskShareRule.PROPORTIONAL,
    scope: str = "",
    agreed_shares: dict[Organisation, Decimal] | None = None,
) -> PooledBudget:
    """Set a fund for a year with its pots and each partner's contribution to each; the
    contributions are the budget as set (original) and, until revised, as it stands."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": "Enter the fund's name"})
    problem = year_problem(agreement, start_year, set())
    if problem:
        raise ValidationError({"financial_year": problem})
    if not pots:
        raise ValidationError("A fund needs at least one pot")
    names = [pot.name.strip() for pot in pots]
    if any(not pot_name for pot_name in names):
        raise ValidationError("Enter a name for every pot")
    if len(set(names)) != len(names):
        raise ValidationError(f"Each pot of {name} needs its own name")
    partners = set(agreement.partners.values_list("organisation_id", flat=True))
    for pot in pots:
        for partner, amount in pot.contributions.items():
            if partner.pk not in partners:
                raise ValidationError(f"{partner.short_name} is not a partner in {agreement}")
            if amount < 0:
                raise ValidationError(
                    f"{partner.short_name}'s contribution to {pot.name} can't be negative"
                )
    year = year_with_quarters(start_year)
    position = agreement.pooled_budgets.filter(financial_year=year).count() + 1
    fund = PooledBudget(
        agreement=agreement,
        financial_year=year,
        name=name,
        position=position,
        risk_share_rule=risk_share_rule,
        scope=scope,
    )
    fund._history_user = by
    fund.full_clean(validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            fund.save()
    except IntegrityError:
        raise ValidationError(
            {"name": f"{agreement} already has a fund called {name} in {year.label}"}
        ) from None
    for place, plan in enumerate(pots, start=1):
        pot = Pot(pooled_budget=fund, name=plan.name.strip(), arrangement=plan.arrangement)
        pot.position = place
        pot._history_user = by
        pot.full_clean(exclude=["pooled_budget"], validate_unique=False)
        pot.save()
        for partner, amount in plan.contributions.items():
            contribution = Contribution(
                pooled_budget=fund, pot=pot, partner=partner, original=amount, planned=amount
            )
            contribution._history_user = by
            contribution.save()
    if agreed_shares:
        set_agreed_shares(by=by, fund=fund, percents=agreed_shares)
    return fund


@transaction.atomic
def set_agreed_shares(*, by, fund: PooledBudget, percents: dict[Organisation, Decimal]) -> None:
    """The partners' agreed shares of a fund, to two decimal places, adding up to exactly
    100.00%; a partner left out has no agreed share."""
    if any(percent.as_tuple().exponent < -2 for percent in percents.values()):
        raise ValidationError("Give each agreed share to 2 decimal places at most")
    if any(not 0 <= percent <= 100 for percent in percents.values()):
        raise ValidationError("Each agreed share is between 0% and 100%")
    total = sum(percents.values(), Decimal(0))
    if percents and total != 100:
        raise ValidationError(
            f"The agreed shares of {fund.name} add up to {total:.2f}%: they must add up to 100.00%"
        )
    kept = {share.partner_id: share for share in fund.agreed_shares.select_for_update()}
    for partner, percent in percents.items():
        share = kept.pop(partner.pk, None) or AgreedShare(pooled_budget=fund, partner=partner)
        if share.pk and share.percent == percent:
            continue
        share.percent = percent
        share._history_user = by
        share.save()
    for share in kept.values():
        share._history_user = by
        share.delete()


@dataclass(frozen=True)
class Change:
    """More money (positive) or less (negative) from a partner into a pot."""

    pot: Pot
    partner: Organisation
    amount: Decimal


@dataclass(frozen=True)
class Move:
    """A partner's money moved from one pot of the fund to another (a virement)."""

    partner: Organisation
    from_pot: Pot
    to_pot: Pot
    amount: Decimal


@transaction.atomic
def revise_fund(
    *,
    by,
    fund: PooledBudget,
    made_on: datetime.date,
    reason: str,
    changes: list[Change] = (),
    virements: list[Move] = (),
    decision: Decision | None = None,
) -> BudgetRevision:
    """Revise a fund in year: changes to contributions and virements between its pots,
    with the decision behind them, applied to each contribution's revised figure."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Say why the budget is being revised"})
    if not changes and not virements:
        raise ValidationError("Enter at least one change or virement")
    if decision is not None and decision.agreement_id != fund.agreement_id:
        raise ValidationError({"decision": "Choose a decision about this agreement"})
    year = fund.financial_year
    if not year.start_date <= made_on <= year.end_date:
        raise ValidationError(
            {"made_on": f"A revision of the {year.label} budget is made within {year.label}"}
        )
    pots = {pot.pk: pot for pot in fund.pots.all()}
    for pot in (
        [c.pot for c in changes] + [m.from_pot for m in virements] + [m.to_pot for m in virements]
    ):
        if pot.pk not in pots:
            raise ValidationError(f"{pot.name} is not a pot of {fund.name}")
    for move in virements:
        if move.amount <= 0:
            raise ValidationError("A virement moves more than £0")
        if move.from_pot.pk == move.to_pot.pk:
            raise ValidationError(
                f"A virement moves money between two pots, not within {move.from_pot.name}"
            )
    held = {
        (c.pot_id, c.partner_id): c
        for c in Contribution.objects.select_for_update()
        .filter(pooled_budget=fund)
        .select_related("partner", "pot")
    }
    revision = BudgetRevision(pooled_budget=fund, made_on=made_on, reason=reason, decision=decision)
    revision._history_user = by
    revision.save()
    touched: dict[tuple, Decimal] = {}

    def contribution_of(pot, partner):
        key = (pot.pk, partner.pk)
        if key not in held:
            if not fund.agreement.partners.filter(organisation=partner).exists():
                raise ValidationError(f"{partner.short_name} is not a partner in {fund.agreement}")
            held[key] = Contribution(
                pooled_budget=fund,
                pot=pot,
                partner=partner,
                original=Decimal(0),
                planned=Decimal(0),
            )
        return held[key]

    for change in changes:
        if change.amount == 0:
            continue
        contribution = contribution_of(change.pot, change.partner)
        contribution.planned += change.amount
        touched[(change.pot.pk, change.partner.pk)] = contribution.planned
    for move in virements:
        contribution_of(move.from_pot, move.partner).planned -= move.amount
        contribution_of(move.to_pot, move.partner).planned += move.amount
        touched[(move.from_pot.pk, move.partner.pk)] = None
        touched[(move.to_pot.pk, move.partner.pk)] = None
    for key in touched:
        contribution = held[key]
        if contribution.planned < 0:
            raise ValidationError(
                f"{contribution.partner.short_name}'s contribution to {contribution.pot.name} "
                f"would fall to {money(contribution.planned)}: a contribution can't be negative"
            )
        contribution._history_user = by
        contribution._change_reason = reason
        contribution.save()
    for change in changes:
        if change.amount == 0:
            continue
        row = RevisionChange(
            revision=revision,
            contribution=held[(change.pot.pk, change.partner.pk)],
            amount=change.amount,
        )
        row._history_user = by
        row.save()
    for move in virements:
        row = Virement(
            revision=revision,
            partner=move.partner,
            from_pot=move.from_pot,
            to_pot=move.to_pot,
            amount=move.amount,
        )
        row._history_user = by
        row.save()
    return revision
