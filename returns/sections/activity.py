"""Care Act activity in the quarter: each team's referrals, assessments, reviews, carers'
assessments and safeguarding enquiries (one `CareActActivity` row a team a quarter)."""

from caseload.models import CareActActivity
from returns.sections.base import Change, Figure, Kind, Refused, Section, Source

MEASURES = CareActActivity.COUNTS


def _named(team: str, measure: str) -> str:
    return f"{team}: {measure.replace('_', ' ')}"


def _history_labels(row) -> list[tuple[str, object]]:
    return [(_named(row.team.name, name), getattr(row, name)) for name in MEASURES]


class Activity(Section):
    name = "activity"
    title = "Care Act activity in the quarter"
    history = (
        Source(
            CareActActivity,
            ("team",),
            _history_labels,
            lambda agreement, quarter: {"team__agreement": agreement, "quarter": quarter},
        ),
    )

    def __init__(self, context):
        super().__init__(context)
        self.activity = {
            a.team_id: a
            for a in CareActActivity.objects.filter(
                team__agreement=context.agreement, quarter=context.quarter
            ).order_by()
        }

    def _figure(self, name: str, measure: str) -> Figure:
        row = self.activity.get(self.context.teams[name].pk)
        value = getattr(row, measure) if row else None
        return Figure(self.name, name, measure, _named(name, measure), Kind.COUNT, value)

    def figures(self) -> list[Figure]:
        teams = self.context.teams
        in_agreement = sorted(n for n, t in teams.items() if t.in_agreement_on(self.context.as_at))
        return [self._figure(name, measure) for name in in_agreement for measure in MEASURES]

    def cannot_start_because(self) -> str:
        return "No team was in the agreement at the quarter's end."

    def find(self, item: str, measure: str) -> Figure:
        self.pick(self.context.teams, item, "a team")
        if measure not in MEASURES:
            raise Refused("measure", f"should be one of {', '.join(MEASURES)}.")
        return self._figure(item, measure)

    def write(self, writer, change: Change) -> None:
        """A team's counts are one row, set from all of them before it is saved."""
        team = self.context.teams[change.item]
        row = writer.held(
            self.activity,
            team.pk,
            lambda: CareActActivity(team=team, quarter=self.context.quarter),
        )
        setattr(row, change.measure, change.value)
        writer.touch(row, team.pk, change.measure)
