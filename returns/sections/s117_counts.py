"""s117 register counts: how many people are entitled to s117 aftercare in each team that
reports a total rather than keeping the register person by person, as at the quarter's end
(one `RegisterCount` row a team a date)."""

from django.db.models import Exists, OuterRef

from caseload.models import Team
from returns.sections.base import Change, Figure, Kind, Refused, Section, Source
from s117.models import RegisterCount, RegisterEntry

MEASURE = "people"


def _named(team: str) -> str:
    return f"{team}: people entitled to s117 aftercare"


def _history_labels(row) -> list[tuple[str, object]]:
    return [(_named(row.team.name), row.people)]


class S117Counts(Section):
    name = "s117"
    title = "s117 register counts"
    history = (
        Source(
            RegisterCount,
            ("team",),
            _history_labels,
            lambda agreement, quarter: {"team__agreement": agreement, "as_at": quarter.end_date},
        ),
    )

    def __init__(self, context):
        super().__init__(context)
        # Teams that have given a count before go on giving one; a partnership that keeps no
        # register of people gives one for every team, and one that keeps it by person has
        # its counts from the register itself. One query for which is which.
        teams = Team.objects.filter(agreement=context.agreement).order_by()
        flags = teams.annotate(
            counted=Exists(RegisterCount.objects.filter(team=OuterRef("pk"))),
            has_people=Exists(RegisterEntry.objects.filter(team=OuterRef("pk"))),
        ).values_list("pk", "counted", "has_people")
        self.counting = {pk for pk, counted, _ in flags if counted}
        self.keeps_people = any(has_people for _, _, has_people in flags)
        self.counts = {
            c.team_id: c
            for c in RegisterCount.objects.filter(
                team__agreement=context.agreement, as_at=context.as_at
            ).order_by()
        }

    def _teams(self) -> dict:
        teams = self.context.teams
        return {
            name: team
            for name, team in teams.items()
            if team.in_agreement_on(self.context.as_at)
            and (team.pk in self.counting or not self.keeps_people)
        }

    def _figure(self, name: str) -> Figure:
        row = self.counts.get(self.context.teams[name].pk)
        value = row.people if row else None
        return Figure(self.name, name, MEASURE, _named(name), Kind.COUNT, value)

    def figures(self) -> list[Figure]:
        return [self._figure(name) for name in sorted(self._teams())]

    def cannot_start_because(self) -> str:
        if self.keeps_people:
            return (
                "The partnership keeps its s117 register person by person; its counts come "
                "from the register."
            )
        return "No team was in the agreement at the quarter's end."

    def find(self, item: str, measure: str) -> Figure:
        self.pick(self._teams(), item, "a team that reports s117 counts")
        if measure != MEASURE:
            raise Refused("measure", f"should be {MEASURE}.")
        return self._figure(item)

    def write(self, writer, change: Change) -> None:
        team = self.context.teams[change.item]
        row = writer.held(
            self.counts,
            team.pk,
            lambda: RegisterCount(
                team=team,
                as_at=self.context.as_at,
                source=f"Quarterly return for {self.context.quarter.name}",
            ),
        )
        row.people = change.value
        writer.touch(row, team.pk, MEASURE)
