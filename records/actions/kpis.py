"""Writes to an agreement's KPI definitions: each saved with its history (who, when)."""

from decimal import Decimal

from django.db import transaction

from partnerships.models import KPI, Agreement


@transaction.atomic
def add_kpi(
    *,
    by,
    agreement: Agreement,
    code: str,
    name: str,
    definition: str,
    unit: str,
    direction: str,
    target: Decimal | None,
    amber_threshold: Decimal | None,
) -> KPI:
    """A new KPI of the agreement; with no target it has no amber threshold either."""
    kpi = KPI(
        agreement=agreement,
        code=code,
        name=name,
        definition=definition,
        unit=unit,
        direction=direction,
        target=target,
        amber_threshold=amber_threshold,
    )
    kpi._history_user = by
    kpi.full_clean()
    kpi.save()
    return kpi


@transaction.atomic
def change_kpi(*, by, kpi: KPI, **changes) -> KPI:
    """Change a KPI's definition, target or threshold; a change that changes nothing
    writes no history."""
    fields = {"code", "name", "definition", "unit", "direction", "target", "amber_threshold"}
    unknown = set(changes) - fields
    if unknown:
        raise TypeError(f"change_kpi() can't change {sorted(unknown)}")
    changed = [name for name, value in changes.items() if getattr(kpi, name) != value]
    if not changed:
        return kpi
    kpi = KPI.objects.select_for_update().get(pk=kpi.pk)
    for name in changed:
        setattr(kpi, name, changes[name])
    kpi._history_user = by
    kpi.full_clean()
    kpi.save()
    return kpi
