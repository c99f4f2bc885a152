"""A team with more WTE in its funded posts, filled, than its whole establishment at the
quarter's end: the team's establishment counts every member of staff, so the posts the
agreement funds can't be more than it. No threshold: any excess is wrong somewhere."""

from core.formatting import wte_with_unit
from dashboards.quality.registry import Flag, Scope, by_agreement, register
from dashboards.quality.staffing import team_wte


@register(section="staffing")
def wte_above_establishment(scopes: list[Scope]) -> list[Flag]:
    scope_of = by_agreement(scopes)
    flags = []
    for team in team_wte(scopes):
        if team.establishment is None or team.filled <= team.establishment:
            continue
        scope = scope_of[team.agreement_id]
        found = (
            f"{team.name} has {wte_with_unit(team.filled)} in post in funded posts, more than "
            f"its whole establishment of {wte_with_unit(team.establishment)}"
        )
        fix = "Correct the team's establishment or the posts' WTE and end dates"
        flags.append(
            scope.flag(
                "wte_above_establishment",
                f"team:{team.team_id}",
                found,
                fix,
                scope.page("staffing"),
            )
        )
    return flags
