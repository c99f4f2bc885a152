"""A partner whose spend to date is already more than its forecast outturn for the whole
year, in the same quarter's figures: one of the two is wrong (the forecast most often, left
as it was when the spending rose)."""

from core.formatting import money
from dashboards.quality.pools import partner_years
from dashboards.quality.registry import Flag, Scope, register


@register(section="budget")
def spend_above_forecast(scopes: list[Scope]) -> list[Flag]:
    flags = []
    for year in partner_years(scopes):
        scope = year.scope
        now = year.quarters.get(scope.quarter.number)
        if now is None or now.actual_to_date is None or now.actual_to_date <= now.forecast:
            continue
        found = (
            f"{year.partner}'s spend to date at Q{now.number}, {money(now.actual_to_date)}, is "
            f"more than its forecast outturn for the year, {money(now.forecast)}"
        )
        fix = f"Ask {year.partner} to correct its Q{now.number} forecast or spend to date"
        flags.append(
            scope.flag(
                "spend_above_forecast",
                f"partner:{year.partner_id}",
                found,
                fix,
                scope.page("budget"),
            )
        )
    return flags
