"""A contribution whose budget as it stands is not its budget as set plus the year's
recorded revisions and virements: its figure was changed without a revision saying why
(through the admin, say), so the paper's "revised from" would not add up."""

from decimal import Decimal

from django.db.models import Sum

from budgets.models import Contribution, RevisionChange, Virement
from core.formatting import money
from dashboards.quality.pools import pools_of
from dashboards.quality.registry import Flag, Scope, by_agreement, register


@register(section="budget")
def revised_budget_unexplained(scopes: list[Scope]) -> list[Flag]:
    scope_of = by_agreement(scopes)
    pools = pools_of(scopes)
    if not pools:
        return []
    moved: dict[int, Decimal] = {}
    for contribution_id, amount in (
        RevisionChange.objects.filter(contribution__pooled_budget__in=list(pools))
        .values_list("contribution")
        .annotate(total=Sum("amount"))
    ):
        moved[contribution_id] = moved.get(contribution_id, Decimal(0)) + amount
    virements: dict[tuple[int, int], Decimal] = {}
    for partner, from_pot, to_pot, amount in Virement.objects.filter(
        revision__pooled_budget__in=list(pools)
    ).values_list("partner", "from_pot", "to_pot", "amount"):
        virements[(from_pot, partner)] = virements.get((from_pot, partner), Decimal(0)) - amount
        virements[(to_pot, partner)] = virements.get((to_pot, partner), Decimal(0)) + amount
    flags = []
    for c in Contribution.objects.filter(pooled_budget__in=list(pools)).select_related(
        "partner", "pot"
    ):
        explained = (
            c.original + moved.get(c.pk, Decimal(0)) + virements.get((c.pot_id, c.partner_id), 0)
        )
        if explained == c.planned:
            continue
        pool = pools[c.pooled_budget_id]
        scope = scope_of[pool.agreement_id]
        found = (
            f"{c.partner.short_name}'s contribution to {c.pot.name} ({pool.name}, "
            f"{pool.financial_year.label}) stands at {money(c.planned)}, but the budget as "
            f"set and its recorded revisions give {money(explained)}"
        )
        fix = f"Record the revision that explains it on the revision page of {pool.name}"
        flags.append(
            scope.flag(
                "revised_budget_unexplained",
                f"contribution:{c.pk}",
                found,
                fix,
                scope.page("budget"),
                needs="set_budget",
            )
        )
    return flags
