"""Care Act activity for the whole year and for months, where a partnership reports it so
(one `PeriodActivity` row a team a period), beside the quarter's counts (`activity`).

A figure's measure names its period and what it counts: `year:assessments`,
`2023-01:referrals`, `year:days_to_complete`. A return holds the months of its own quarter,
and the return for a year's last quarter (Q4) holds the year's figures too, so each figure
belongs to one return and is signed off with it."""

from decimal import Decimal

from caseload.models import PeriodActivity, month_start, quarter_months
from returns.sections.base import Change, Figure, Kind, Refused, Section, Source, number

MEASURES = PeriodActivity.MEASURES
YEAR = "year"
DAYS = "days_to_complete"
MAX_DAYS = Decimal("9999.9")
WORDS = {DAYS: "average days to complete an assessment"}


def _periods(quarter) -> list[int]:
    """The periods a quarter's return holds: its months, and the year in Q4."""
    months = list(quarter_months(quarter.number))
    return [*months, PeriodActivity.Period.YEAR] if quarter.number == 4 else months


def _token(start_year: int, period: int) -> str:
    return (
        YEAR if period == PeriodActivity.Period.YEAR else f"{month_start(start_year, period):%Y-%m}"
    )


def _period_name(financial_year, period: int) -> str:
    if period == PeriodActivity.Period.YEAR:
        return financial_year.label
    return f"{month_start(financial_year.start_year, period):%B %Y}"


def _named(team: str, measure: str, period_name: str) -> str:
    return f"{team}: {WORDS.get(measure, measure.replace('_', ' '))}, {period_name}"


def _history_labels(row) -> list[tuple[str, object]]:
    name = _period_name(row.financial_year, row.period)
    return [(_named(row.team.name, measure, name), getattr(row, measure)) for measure in MEASURES]


def _in_quarter(agreement, quarter) -> dict:
    return {
        "team__agreement": agreement,
        "financial_year_id": quarter.financial_year_id,
        "period__in": _periods(quarter),
    }


class ActivityPeriods(Section):
    name = "activity_period"
    title = "Care Act activity in the year and its months"
    history = (Source(PeriodActivity, ("team", "financial_year"), _history_labels, _in_quarter),)

    def __init__(self, context):
        super().__init__(context)
        quarter = context.quarter
        self.year = quarter.financial_year
        self.periods = _periods(quarter)
        self.by_token = {_token(self.year.start_year, p): p for p in self.periods}
        self.activity = {
            (a.team_id, a.period): a
            for a in PeriodActivity.objects.filter(
                team__agreement=context.agreement,
                financial_year_id=quarter.financial_year_id,
                period__in=self.periods,
            ).order_by()
        }

    def _figure(self, name: str, period: int, measure: str) -> Figure:
        row = self.activity.get((self.context.teams[name].pk, period))
        value = getattr(row, measure) if row else None
        kind = Kind.NUMBER if measure == DAYS else Kind.COUNT
        label = _named(name, measure, _period_name(self.year, period))
        code = f"{_token(self.year.start_year, period)}:{measure}"
        return Figure(self.name, name, code, label, kind, value)

    def figures(self) -> list[Figure]:
        teams = self.context.teams
        in_agreement = sorted(n for n, t in teams.items() if t.in_agreement_on(self.context.as_at))
        order = sorted(self.periods, key=lambda p: (p == PeriodActivity.Period.YEAR, p))
        return [
            self._figure(name, period, measure)
            for name in in_agreement
            for period in order
            for measure in MEASURES
        ]

    def cannot_start_because(self) -> str:
        return "No team was in the agreement at the quarter's end."

    def find(self, item: str, measure: str) -> Figure:
        self.pick(self.context.teams, item, "a team")
        token, _, what = measure.partition(":")
        if token not in self.by_token:
            months = ", ".join(t for t in self.by_token if t != YEAR)
            year = (
                " or year"
                if YEAR in self.by_token
                else f"; the year's figures go in the return for {self.year.label}-Q4"
            )
            raise Refused(
                "measure",
                f"should start with a month of {self.context.quarter.name} ({months}){year}, "
                "then a colon and the figure, such as year:assessments.",
            )
        if what not in MEASURES:
            raise Refused("measure", f"should end with one of {', '.join(MEASURES)}.")
        return self._figure(item, self.by_token[token], what)

    def read(self, figure: Figure, text: str):
        if figure.kind != Kind.NUMBER:
            return super().read(figure, text)
        days = number(text)
        if days < 0 or days > MAX_DAYS or days != days.quantize(Decimal("0.1")):
            raise Refused(
                "value",
                f"should be a number of days from 0 to {MAX_DAYS}, to at most 1 decimal "
                "place, such as 21.5.",
            )
        return days.quantize(Decimal("0.1"))

    def write(self, writer, change: Change) -> None:
        """A team's figures for a period are one row, set from all of them before it is saved."""
        team = self.context.teams[change.item]
        token, _, measure = change.measure.partition(":")
        period = self.by_token[token]
        row = writer.held(
            self.activity,
            (team.pk, period),
            lambda: PeriodActivity(team=team, financial_year=self.year, period=period),
        )
        setattr(row, measure, change.value)
        writer.touch(row, (team.pk, period), measure)
