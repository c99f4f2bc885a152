"""A partner's forecast outturn for the year moved far more than usual since the quarter
before. A year has at most three earlier forecasts, so in practice the move is judged in
per cent (QualitySettings.movement_percent; dashboards.quality.movement)."""

from core.formatting import money
from dashboards.quality.movement import describe, unusual_move
from dashboards.quality.pools import partner_years
from dashboards.quality.registry import Flag, Scope, register


@register(section="budget")
def forecast_moved(scopes: list[Scope]) -> list[Flag]:
    flags = []
    for year in partner_years(scopes):
        scope = year.scope
        times, percent = scope.settings.movement_times_usual, scope.settings.movement_percent
        forecasts = {number: reported.forecast for number, reported in year.quarters.items()}
        move = unusual_move(forecasts, scope.quarter.number, times=times, percent=percent)
        if move is None:
            continue
        moved = describe(move, money, times=times, percent=percent)
        found = f"{year.partner}'s forecast outturn {moved}"
        fix = f"Ask {year.partner} to confirm its Q{scope.quarter.number} forecast"
        flags.append(
            scope.flag(
                "forecast_moved", f"partner:{year.partner_id}", found, fix, scope.page("budget")
            )
        )
    return flags
