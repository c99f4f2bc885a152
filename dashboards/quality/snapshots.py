"""Each team's open cases by case system on its quarter's last day, read once a run (one
query) for the caseload checks."""

from dataclasses import dataclass

from caseload.models import CaseloadSnapshot
from dashboards.quality.registry import Scope, by_agreement, shared


@dataclass(frozen=True)
class Snapshot:
    agreement_id: int
    team_id: int
    team: str
    system: str
    open_cases: int


def at_quarter_end(scopes: list[Scope]) -> list[Snapshot]:
    return shared(scopes, "snapshots_at_quarter_end", _at_quarter_end)


def _at_quarter_end(scopes: list[Scope]) -> list[Snapshot]:
    scope_of = by_agreement(scopes)
    return [
        Snapshot(agreement_id, team_id, team, system, cases)
        for agreement_id, team_id, team, as_at, system, cases in CaseloadSnapshot.objects.filter(
            team__agreement__in=list(scope_of), as_at__in={s.end for s in scopes}
        ).values_list(
            "team__agreement",
            "team_id",
            "team__name",
            "as_at",
            "source_system__name",
            "open_cases",
        )
        if as_at == scope_of[agreement_id].end
    ]
