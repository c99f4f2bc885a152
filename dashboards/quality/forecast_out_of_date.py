"""A partner whose latest forecast for the year is from an earlier quarter than this."""

from dashboards.quality.pools import partner_years
from dashboards.quality.registry import Flag, Scope, register


@register(section="budget")
def forecast_out_of_date(scopes: list[Scope]) -> list[Flag]:
    flags = []
    for year in partner_years(scopes):
        scope, quarter, partner = year.scope, year.scope.quarter, year.partner
        reported = max(year.quarters, default=None)
        if reported == quarter.number:
            continue
        found = (
            f"{partner} has reported no forecast for {quarter.financial_year.label} yet"
            if reported is None
            else f"{partner}'s latest forecast is from Q{reported}, not Q{quarter.number}"
        )
        fix = f"Ask {partner} for its Q{quarter.number} forecast outturn"
        key = f"partner:{year.partner_id}"
        flags.append(scope.flag("forecast_out_of_date", key, found, fix, scope.page("budget")))
    return flags
