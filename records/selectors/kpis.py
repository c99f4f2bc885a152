"""Reads for the KPI pages: the agreement's KPIs, one of them, and its history."""

from django.shortcuts import get_object_or_404

from partnerships.models import KPI
from partnerships.performance_tables import with_unit
from partnerships.rag import NO_TARGET
from records.selectors.field_changes import FieldChange, changes


def kpis_of(agreement) -> list[KPI]:
    return list(KPI.objects.filter(agreement=agreement).order_by("code"))


def kpi_of(agreement, kpi_id: int) -> KPI:
    """The agreement's KPI, or 404: a KPI is reached only through its partnership."""
    return get_object_or_404(KPI, pk=kpi_id, agreement=agreement)


def target_text(kpi) -> str:
    return NO_TARGET if kpi.target is None else with_unit(kpi.target, kpi.unit)


def threshold_text(kpi) -> str:
    return "None" if kpi.amber_threshold is None else with_unit(kpi.amber_threshold, kpi.unit)


def _label(record) -> list[tuple[str, object]]:
    return [
        ("Code", record.code),
        ("Name", record.name),
        ("Definition", record.definition),
        ("Unit", record.get_unit_display()),
        ("Direction", record.get_direction_display()),
        ("Target", target_text(record)),
        ("Amber threshold", threshold_text(record)),
    ]


def _created(record) -> str:
    if record.history_change_reason and record.history_change_reason.startswith("History"):
        start = "As it stood when its history began"
    else:
        start = "Added"
    return (
        f"{start}: {record.code} {record.name}, {record.get_direction_display().lower()}, "
        f"target {target_text(record)}, amber threshold {threshold_text(record)}"
    )


def kpi_changes(kpi) -> list[FieldChange]:
    """Every change to the KPI's definition, target and threshold, newest first (one
    query)."""
    records = kpi.history.select_related("history_user").order_by("history_date", "history_id")
    return changes(records, _label, created=_created)
