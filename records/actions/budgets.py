"""Setting a year's pooled budget and revising it: the budget and every partner's planned
contribution are written together, or not at all, each with history of who did it.

The rules are checked here again whatever form sent the figures (a stale page, a second
commissioner saving the same year): the year must be in the agreement's term and have no
budget yet, every contribution must come from a partner in the agreement, and fixed
risk shares must add up to 100%.
"""

import datetime
import hashlib
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from budgets.funds import year_with_quarters
from budgets.models import BudgetRevision, Contribution, PooledBudget, RevisionChange
from budgets.shares import RiskShareRule, fixed_shares_problem
from budgets.years import year_problem
from core.formatting import financial_year_label
from core.periods import financial_year_dates
from partnerships.models import Agreement, Organisation


@dataclass(frozen=True)
class PlannedContribution:
    """One partner's planned money for the year, as a commissioner entered it."""

    partner: Organisation
    planned: Decimal
    risk_share_percent: Decimal | None = None  # only with the fixed rule; ignored otherwise
    agreed_on: datetime.date | None = None


@transaction.atomic
def set_pooled_budget(
    *,
    by,
    agreement: Agreement,
    start_year: int,
    risk_share_rule: str,
    scope: str,
    notes: str,
    contributions: list[PlannedContribution],
) -> PooledBudget:
    """Set a new year's pooled budget and its planned contributions."""
    taken = set(agreement.pooled_budgets.values_list("financial_year__start_year", flat=True))
    problem = year_problem(agreement, start_year, taken)
    if problem:
        raise ValidationError({"financial_year": problem})
    _check(agreement, start_year, risk_share_rule, contributions)
    year = year_with_quarters(start_year)
    pool = PooledBudget(
        agreement=agreement,
        financial_year=year,
        risk_share_rule=risk_share_rule,
        scope=scope,
        notes=notes,
    )
    pool._history_user = by
    pool.full_clean(validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():  # a savepoint: another commissioner may save the year first
            pool.save()
    except IntegrityError:
        raise ValidationError(
            {"financial_year": year_problem(agreement, start_year, {start_year})}
        ) from None
    for entry in contributions:
        contribution = Contribution(pooled_budget=pool, partner=entry.partner)
        _apply(contribution, entry, risk_share_rule)
        contribution._history_user = by
        contribution.save()
    return pool


@transaction.atomic
def revise_pooled_budget(
    *,
    by,
    pooled_budget: PooledBudget,
    risk_share_rule: str,
    scope: str,
    notes: str,
    contributions: list[PlannedContribution],
    reason: str,
    seen: str | None = None,
) -> int:
    """Revise a year's budget during the year, with the reason for the change kept on each
    history row it writes. Only what changed is saved; a partner with a contribution must
    keep one. Returns how many rows changed (0: nothing did, and nothing was written).

    `seen`: the budget's `fingerprint` when the form was opened. If anyone has changed the
    budget since, nothing is saved (BudgetChangedMeanwhile), rather than putting back
    figures the other person had just changed."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Say why the budget is being revised"})
    pool = PooledBudget.objects.select_for_update().get(pk=pooled_budget.pk)
    existing = {
        c.partner_id: c for c in pool.contributions.select_related("partner").select_for_update()
    }
    if seen is not None and seen != fingerprint(pool, existing.values()):
        raise BudgetChangedMeanwhile(pool.financial_year.label)
    _check(
        pool.agreement,
        pool.financial_year.start_year,
        risk_share_rule,
        contributions,
        also=existing,
    )
    _check_none_dropped(existing, contributions)
    changed = 0
    revision = None
    before = (pool.risk_share_rule, pool.scope, pool.notes)
    pool.risk_share_rule, pool.scope, pool.notes = risk_share_rule, scope, notes
    if (pool.risk_share_rule, pool.scope, pool.notes) != before:
        pool.full_clean(validate_unique=False, validate_constraints=False)
        _save_with_reason(pool, by, reason)
        changed += 1
    for entry in contributions:
        contribution = existing.get(entry.partner.pk) or Contribution(
            pooled_budget=pool, partner=entry.partner
        )
        was = _figures(contribution) if contribution.pk else None
        planned_before = contribution.planned if contribution.pk else Decimal(0)
        if contribution.pk is None:
            contribution.original = Decimal(0)  # joined in year: set at nothing, then revised
        _apply(contribution, entry, risk_share_rule)
        if was != _figures(contribution):
            _save_with_reason(contribution, by, reason)
            changed += 1
        if contribution.planned != planned_before:
            if revision is None:
                revision = BudgetRevision(
                    pooled_budget=pool, made_on=timezone.localdate(), reason=reason
                )
                revision._history_user = by
                revision.save()
            change = RevisionChange(
                revision=revision,
                contribution=contribution,
                amount=contribution.planned - planned_before,
            )
            change._history_user = by
            change.save()
    return changed


class BudgetChangedMeanwhile(Exception):
    """Someone changed the budget after the form being saved was opened."""


def fingerprint(pool: PooledBudget, contributions) -> str:
    """A short digest of a budget's figures as they stand, to tell whether they changed
    between a form being opened and saved."""
    figures = sorted(
        f"{c.partner_id}:{c.planned:.2f}:{_or_none(c.risk_share_percent)}:{c.agreed_on}"
        for c in contributions
    )
    parts = [pool.risk_share_rule, pool.scope, pool.notes, *figures]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:20]


def _or_none(value: Decimal | None) -> str:
    return "None" if value is None else f"{value:.2f}"


def _check_none_dropped(existing: dict, contributions: list[PlannedContribution]) -> None:
    given = {entry.partner.pk for entry in contributions}
    dropped = [c for partner_id, c in existing.items() if partner_id not in given]
    if dropped:
        names = ", ".join(c.partner.short_name for c in dropped)
        raise ValidationError(
            f"A planned contribution can't be removed ({names}): enter 0 for a partner that "
            "puts nothing in this year"
        )


def _check(
    agreement,
    start_year: int,
    risk_share_rule: str,
    contributions: list[PlannedContribution],
    also=(),
) -> None:
    """Each contributor was a partner for some of the year (a CCG up to 30 June 2022, its
    ICB from 1 July 2022, both in 2022/23). `also`: partners that may contribute though no
    longer in the agreement (those already contributing to the year being revised)."""
    if risk_share_rule not in set(RiskShareRule):
        raise ValidationError({"risk_share_rule": "Choose how any over- or underspend is shared"})
    if not contributions:
        raise ValidationError("Enter at least one partner's planned contribution")
    in_year = agreement.partners.during(*financial_year_dates(start_year))
    partners = set(in_year.values_list("organisation_id", flat=True)) | set(also)
    strangers = [
        entry.partner.short_name for entry in contributions if entry.partner.pk not in partners
    ]
    if strangers:
        raise ValidationError(
            f"{', '.join(strangers)} {'is' if len(strangers) == 1 else 'are'} not a partner in "
            f"{agreement} in {financial_year_label(start_year)}"
        )
    if len({entry.partner.pk for entry in contributions}) != len(contributions):
        raise ValidationError("Each partner has one planned contribution a year")
    if risk_share_rule == RiskShareRule.FIXED:
        if any(entry.risk_share_percent is None for entry in contributions):
            raise ValidationError("A fixed risk share needs a percentage for every partner")
        problem = fixed_shares_problem(
            {entry.partner.pk: entry.risk_share_percent for entry in contributions}
        )
        if problem:
            raise ValidationError(problem)


def _apply(contribution: Contribution, entry: PlannedContribution, rule: str) -> None:
    contribution.planned = entry.planned
    contribution.risk_share_percent = (
        entry.risk_share_percent if rule == RiskShareRule.FIXED else None
    )
    contribution.agreed_on = entry.agreed_on
    # Partner and pool are checked in _check; the database holds the rest (its constraints).
    contribution.full_clean(exclude=["pooled_budget", "partner"], validate_unique=False)


def _figures(contribution: Contribution) -> tuple:
    return (contribution.planned, contribution.risk_share_percent, contribution.agreed_on)


def _save_with_reason(row, by, reason: str) -> None:
    row._history_user = by
    row._change_reason = reason
    row.save()
