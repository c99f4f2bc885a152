"""A contribution whose budget as it stands is not its budget as set plus the year's
recorded revisions and virements: its figure was changed without a revision saying why
(through the admin, say), so the paper's "revised from" would not add up."""

from decimal import Decimal

from django.db.models import DecimalField, ExpressionWrapper, F, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from budgets.models import Contribution, RevisionChange, Virement
from core.formatting import money
from dashboards.quality.pools import pools_of
from dashboards.quality.registry import Flag, Scope, by_agreement, register

MONEY = DecimalField(max_digits=14, decimal_places=2)
HALF_PENNY = Decimal("0.005")


@register(section="budget")
def revised_budget_unexplained(scopes: list[Scope]) -> list[Flag]:
    """One query: each contribution of the scopes' pools whose revised figure differs from
    its figure as set plus the year's recorded changes and virements in, less those out."""
    scope_of = by_agreement(scopes)
    pools = pools_of(scopes)
    if not pools:
        return []
    here = {"revision__pooled_budget": OuterRef("pooled_budget"), "partner": OuterRef("partner")}
    changes = RevisionChange.objects.filter(contribution=OuterRef("pk"))
    moved_in = Virement.objects.filter(to_pot=OuterRef("pot"), **here)
    moved_out = Virement.objects.filter(from_pot=OuterRef("pot"), **here)
    flags = []
    for c in (
        Contribution.objects.filter(pooled_budget__in=list(pools))
        .annotate(
            explained=ExpressionWrapper(
                F("original")
                + _sum_of(changes, "contribution")
                + _sum_of(moved_in, "to_pot")
                - _sum_of(moved_out, "from_pot"),
                output_field=MONEY,
            )
        )
        # Half a penny either way: SQLite adds decimals as floating point.
        .annotate(gap=ExpressionWrapper(F("planned") - F("explained"), output_field=MONEY))
        .filter(Q(gap__gte=HALF_PENNY) | Q(gap__lte=-HALF_PENNY))
        .select_related("partner", "pot")
    ):
        explained = Decimal(c.explained).quantize(Decimal("0.01"))
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


def _sum_of(rows, by: str):
    """The amounts of `rows` (already narrowed to the contribution being read) added up,
    as a subquery grouped by the field that narrows them; 0 where there are none."""
    summed = rows.order_by().values(by).annotate(total=Sum("amount")).values("total")[:1]
    return Coalesce(Subquery(summed, output_field=MONEY), Value(Decimal(0)), output_field=MONEY)
