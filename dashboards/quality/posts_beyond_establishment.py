"""A team whose funded posts, filled and vacant together, are more than its establishment
by more than the partnership's tolerance (QualitySettings.posts_tolerance_wte): the
vacancies can't be filled within it, so either a vacant post was deleted from the
establishment and is still listed, or the establishment is out of date. A team whose filled
posts alone are over is wte_above_establishment's."""

from core.formatting import wte_with_unit
from dashboards.quality.registry import Flag, Scope, by_agreement, register
from dashboards.quality.staffing import team_wte


@register(section="staffing")
def posts_beyond_establishment(scopes: list[Scope]) -> list[Flag]:
    scope_of = by_agreement(scopes)
    flags = []
    for team in team_wte(scopes):
        if team.establishment is None or team.filled > team.establishment or not team.vacant:
            continue
        scope = scope_of[team.agreement_id]
        tolerance = scope.settings.posts_tolerance_wte
        if team.filled + team.vacant <= team.establishment + tolerance:
            continue
        found = (
            f"{team.name}'s funded posts, {wte_with_unit(team.filled)} filled and "
            f"{wte_with_unit(team.vacant)} vacant, are more than its establishment of "
            f"{wte_with_unit(team.establishment)} by over {wte_with_unit(tolerance)}"
        )
        fix = "End the vacant posts that are no longer in the establishment, or update it"
        flags.append(
            scope.flag(
                "posts_beyond_establishment",
                f"team:{team.team_id}",
                found,
                fix,
                scope.page("staffing"),
            )
        )
    return flags
