"""A partner whose spend to date is lower than it reported a quarter earlier in the same
year: spend from 1 April only adds up, so a fall is a correction someone should explain
(a reversed accrual) or a figure entered for the wrong quarter."""

from core.formatting import money
from dashboards.quality.pools import partner_years
from dashboards.quality.registry import Flag, Scope, register


@register(section="budget")
def spend_to_date_fell(scopes: list[Scope]) -> list[Flag]:
    flags = []
    for year in partner_years(scopes):
        scope, number = year.scope, year.scope.quarter.number
        now, before = year.quarters.get(number), year.quarters.get(number - 1)
        if (
            now is None
            or before is None
            or now.actual_to_date is None
            or before.actual_to_date is None
            or now.actual_to_date >= before.actual_to_date
        ):
            continue
        found = (
            f"{year.partner}'s spend to date fell from {money(before.actual_to_date)} at "
            f"Q{number - 1} to {money(now.actual_to_date)} at Q{number}"
        )
        fix = f"Ask {year.partner} whether its Q{number} spend to date is right"
        flags.append(
            scope.flag(
                "spend_to_date_fell",
                f"partner:{year.partner_id}",
                found,
                fix,
                scope.page("budget"),
            )
        )
    return flags
