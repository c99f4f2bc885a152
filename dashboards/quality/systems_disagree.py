"""A team's counts in two case systems far apart, or a team in one system and not the
other, at the quarter's end (threshold: QualitySettings.systems_apart_percent)."""

from core.formatting import count
from dashboards.quality.registry import Flag, Scope, by_agreement, register
from dashboards.quality.snapshots import at_quarter_end


@register(section="caseload")
def systems_disagree(scopes: list[Scope]) -> list[Flag]:
    scope_of = by_agreement(scopes)
    counts: dict[tuple[int, int], dict[str, int]] = {}
    names: dict[int, str] = {}
    for snapshot in at_quarter_end(scopes):
        team = (snapshot.agreement_id, snapshot.team_id)
        counts.setdefault(team, {})[snapshot.system] = snapshot.open_cases
        names[snapshot.team_id] = snapshot.team
    systems: dict[int, set[str]] = {}
    for (agreement_id, _), by_system in counts.items():
        systems.setdefault(agreement_id, set()).update(by_system)
    flags = []
    for (agreement_id, team_id), by_system in counts.items():
        scope = scope_of[agreement_id]
        found = _apart(
            names[team_id],
            by_system,
            sorted(systems[agreement_id]),
            scope.settings.systems_apart_percent,
        )
        if found:
            fix = "Check both systems' extracts for the team, then correct the return"
            flags.append(
                scope.flag(
                    "systems_disagree", f"team:{team_id}", found, fix, scope.page("caseload")
                )
            )
    return flags


def _apart(team: str, by_system: dict[str, int], systems: list[str], percent: int) -> str:
    missing = [system for system in systems if system not in by_system]
    if missing and len(systems) > 1:
        return f"{team} has open cases in {', '.join(by_system)} but none recorded in " + (
            ", ".join(missing)
        )
    if len(by_system) < 2:
        return ""
    low, high = min(by_system.values()), max(by_system.values())
    if high == 0 or (high - low) * 100 <= percent * high:
        return ""
    shown = ", ".join(f"{count(value)} in {system}" for system, value in sorted(by_system.items()))
    return f"{team}'s case systems are more than {percent}% apart: {shown}"
