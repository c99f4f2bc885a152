"""A KPI whose value moved far more than usual since the quarter before (dashboards.quality
.movement; thresholds: QualitySettings.movement_times_usual and movement_percent)."""

from core import formatting
from dashboards.quality.movement import describe, index, looked_back, quarter_of, unusual_move
from dashboards.quality.registry import Flag, Scope, by_agreement, register
from partnerships.models import KPIValue

SHOWN = {
    "percent": formatting.percent,
    "pounds": formatting.money,
    "count": formatting.measure,
    "days": formatting.measure,
}


@register(section="kpis")
def kpi_moved(scopes: list[Scope]) -> list[Flag]:
    scope_of = by_agreement(scopes)
    read = looked_back([s.at for s in scopes])
    series: dict[int, dict[int, object]] = {}
    kpis: dict[int, tuple] = {}
    for row in KPIValue.objects.filter(
        kpi__agreement__in=list(scope_of),
        quarter__financial_year__start_year__gte=quarter_of(read.start)[0],
        quarter__financial_year__start_year__lte=quarter_of(read.stop - 1)[0],
    ).values_list(
        "kpi_id",
        "kpi__agreement",
        "kpi__code",
        "kpi__name",
        "kpi__unit",
        "quarter__financial_year__start_year",
        "quarter__number",
        "value",
    ):
        kpi_id, agreement_id, code, name, unit, year, number, value = row
        series.setdefault(kpi_id, {})[index(year, number)] = value
        kpis[kpi_id] = (agreement_id, code, name, unit)
    flags = []
    for kpi_id, values in series.items():
        agreement_id, code, name, unit = kpis[kpi_id]
        scope = scope_of[agreement_id]
        times, percent = scope.settings.movement_times_usual, scope.settings.movement_percent
        move = unusual_move(values, scope.at, times=times, percent=percent)
        if move is None:
            continue
        moved = describe(move, SHOWN.get(unit, formatting.measure), times=times, percent=percent)
        found = f"{code} {name} {moved}"
        fix = f"Check {code}'s value for {scope.quarter.name}"
        flags.append(scope.flag("kpi_moved", f"kpi:{kpi_id}", found, fix, scope.page("kpis")))
    return flags
