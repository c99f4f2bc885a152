"""Caseload at the quarter's end: each team's open cases in each case-management system,
and the cases open in more than one of them (counted once in the team's total)."""

from caseload.models import CaseloadOverlap, CaseloadSnapshot, SourceSystem
from returns.sections.base import Change, Figure, Kind, Refused, Section, Source

OVERLAP = "in_more_than_one_system"


def _snapshot_labels(row) -> list[tuple[str, object]]:
    return [(f"{row.team.name}: open cases in {row.source_system.name}", row.open_cases)]


def _overlap_labels(row) -> list[tuple[str, object]]:
    return [(f"{row.team.name}: cases in more than one system", row.cases_in_more_than_one_system)]


def _at_quarter_end(agreement, quarter) -> dict:
    return {"team__agreement": agreement, "as_at": quarter.end_date}


class Caseload(Section):
    name = "caseload"
    title = "Caseload at the quarter's end"
    history = (
        Source(CaseloadSnapshot, ("team", "source_system"), _snapshot_labels, _at_quarter_end),
        Source(CaseloadOverlap, ("team",), _overlap_labels, _at_quarter_end),
    )

    def __init__(self, context):
        super().__init__(context)
        self.systems = {system.code: system for system in SourceSystem.objects.order_by()}
        self.snapshots = {
            (s.team_id, s.source_system_id): s
            for s in CaseloadSnapshot.objects.filter(
                team__agreement=context.agreement, as_at=context.as_at
            ).order_by()
        }
        self.overlaps = {
            o.team_id: o
            for o in CaseloadOverlap.objects.filter(
                team__agreement=context.agreement, as_at=context.as_at
            ).order_by()
        }

    def _figure(self, name: str, measure: str) -> Figure:
        team = self.context.teams[name]
        if measure == OVERLAP:
            row = self.overlaps.get(team.pk)
            value = row.cases_in_more_than_one_system if row else None
            label = f"{name}: cases in more than one system"
        else:
            system = self.systems[measure]
            row = self.snapshots.get((team.pk, system.pk))
            value = row.open_cases if row else None
            label = f"{name}: open cases in {system.name}"
        return Figure(self.name, name, measure, label, Kind.COUNT, value)

    def figures(self) -> list[Figure]:
        teams = self.context.teams
        in_agreement = sorted(n for n, t in teams.items() if t.in_agreement_on(self.context.as_at))
        return [
            self._figure(name, measure)
            for name in in_agreement
            for measure in [*sorted(self.systems), OVERLAP]
        ]

    def cannot_start_because(self) -> str:
        return "No team was in the agreement at the quarter's end."

    def find(self, item: str, measure: str) -> Figure:
        self.pick(self.context.teams, item, "a team")
        if measure != OVERLAP and measure not in self.systems:
            known = ", ".join(sorted(self.systems))
            raise Refused("measure", f"should be a case-management system ({known}) or {OVERLAP}.")
        return self._figure(item, measure)

    def write(self, writer, change: Change) -> None:
        team = self.context.teams[change.item]
        as_at = self.context.as_at
        if change.measure == OVERLAP:
            row = writer.held(
                self.overlaps, team.pk, lambda: CaseloadOverlap(team=team, as_at=as_at)
            )
            row.cases_in_more_than_one_system = change.value
            writer.touch(row, team.pk, "cases_in_more_than_one_system")
            return
        system = self.systems[change.measure]
        key = (team.pk, system.pk)
        row = writer.held(
            self.snapshots,
            key,
            lambda: CaseloadSnapshot(team=team, source_system=system, as_at=as_at),
        )
        row.open_cases = change.value
        writer.touch(row, key, "open_cases")
