"""A team with open cases at the quarter's end but no case-holding staff in post in its
funded posts: its cases per case-holding WTE can't be worked out, and either the cases are
held by someone the posts don't show (a post ended, or marked vacant or not case-holding
by mistake) or the snapshot is for the wrong team. No threshold: one case is enough."""

from core.formatting import count, long_date
from dashboards.quality.registry import Flag, Scope, by_agreement, plural, register
from dashboards.quality.snapshots import at_quarter_end
from dashboards.quality.staffing import team_wte


@register(section="caseload")
def cases_without_staff(scopes: list[Scope]) -> list[Flag]:
    scope_of = by_agreement(scopes)
    cases: dict[int, int] = {}  # team id: its most open cases in any one system
    for snapshot in at_quarter_end(scopes):
        cases[snapshot.team_id] = max(snapshot.open_cases, cases.get(snapshot.team_id, 0))
    flags = []
    for team in team_wte(scopes):
        n = cases.get(team.team_id, 0)
        if not n or team.case_holding:
            continue
        scope = scope_of[team.agreement_id]
        found = (
            f"{team.name} has {count(n)} open {plural(n, 'case')} at {long_date(scope.end)} "
            "but no case-holding staff in post"
        )
        fix = "Check the team's posts, or which team the cases were extracted for"
        flags.append(
            scope.flag(
                "cases_without_staff", f"team:{team.team_id}", found, fix, scope.page("staffing")
            )
        )
    return flags
