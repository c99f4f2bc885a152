"""A pool with fixed risk shares that don't add up to 100%."""

from dashboards.quality.pools import partner_years, pools_of
from dashboards.quality.registry import Flag, Scope, by_agreement, register


@register(section="budget")
def risk_shares_dont_sum(scopes: list[Scope]) -> list[Flag]:
    scope_of = by_agreement(scopes)
    fixed = {pk: pool for pk, pool in pools_of(scopes).items() if pool.risk_share_rule == "fixed"}
    shares: dict[int, list] = {pk: [] for pk in fixed}
    for year in partner_years(scopes):
        if year.pool.pk in fixed:
            shares[year.pool.pk].append(year.risk_share_percent)
    flags = []
    for pool in fixed.values():
        total = sum((share or 0 for share in shares[pool.pk]), 0)
        if None not in shares[pool.pk] and total == 100:
            continue
        scope = scope_of[pool.agreement_id]
        year = pool.financial_year.label
        found = f"The {year} pool's fixed risk shares add up to {total}%, not 100%"
        url = scope.page("budget")
        flags.append(
            scope.flag("risk_shares_dont_sum", f"pool:{pool.pk}", found, "Correct the shares", url)
        )
    return flags
