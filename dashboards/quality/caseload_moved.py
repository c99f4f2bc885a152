"""A team's open cases in a case system at the quarter's end, or one of its Care Act
activity counts for the quarter, moved far more than usual since the quarter before
(dashboards.quality.movement; thresholds: QualitySettings.movement_times_usual and
movement_percent)."""

from caseload.models import CARE_ACT_COUNTS, CareActActivity, CaseloadSnapshot
from core.formatting import count
from core.periods import financial_year_start, quarter_dates, quarter_number
from dashboards.quality.movement import describe, index, looked_back, quarter_of, unusual_move
from dashboards.quality.registry import Flag, Scope, by_agreement, register

# A count moving by no more than this is not flagged, however far in per cent: 7 carers'
# assessments one quarter and 11 the next is the ordinary spread of small numbers.
AT_LEAST = 10

COUNT_NAMES = {
    "referrals": "referrals",
    "assessments": "Care Act assessments",
    "reviews": "reviews",
    "carers_assessments": "carers' assessments",
    "safeguarding_enquiries": "safeguarding enquiries",
}


@register(section="caseload")
def caseload_moved(scopes: list[Scope]) -> list[Flag]:
    scope_of = by_agreement(scopes)
    series: dict[tuple, dict[int, int]] = {}  # (agreement, team, team name, what): values
    read = looked_back([s.at for s in scopes])
    quarter_ends = [quarter_dates(*quarter_of(at))[1] for at in read]
    for agreement_id, team_id, team, system, as_at, cases in CaseloadSnapshot.objects.filter(
        team__agreement__in=list(scope_of), as_at__in=quarter_ends
    ).values_list(
        "team__agreement", "team_id", "team__name", "source_system__name", "as_at", "open_cases"
    ):
        what = f"open cases in {system}"
        at = index(financial_year_start(as_at), quarter_number(as_at))
        series.setdefault((agreement_id, team_id, team, what), {})[at] = cases
    years = [quarter_of(read.start)[0], quarter_of(read.stop - 1)[0]]
    for row in CareActActivity.objects.filter(
        team__agreement__in=list(scope_of),
        quarter__financial_year__start_year__gte=years[0],
        quarter__financial_year__start_year__lte=years[1],
    ).values(
        "team__agreement",
        "team_id",
        "team__name",
        "quarter__financial_year__start_year",
        "quarter__number",
        *CARE_ACT_COUNTS,
    ):
        at = index(row["quarter__financial_year__start_year"], row["quarter__number"])
        for field in CARE_ACT_COUNTS:
            if row[field] is not None:
                key = (
                    row["team__agreement"],
                    row["team_id"],
                    row["team__name"],
                    COUNT_NAMES[field],
                )
                series.setdefault(key, {})[at] = row[field]
    return [
        flag
        for (agreement_id, team_id, team, what), values in series.items()
        if (flag := _flag(scope_of[agreement_id], team_id, team, what, values))
    ]


def _flag(scope: Scope, team_id: int, team: str, what: str, values) -> Flag | None:
    times, percent = scope.settings.movement_times_usual, scope.settings.movement_percent
    move = unusual_move(values, scope.at, times=times, percent=percent, at_least=AT_LEAST)
    if move is None:
        return None
    found = f"{team}'s {what} {describe(move, count, times=times, percent=percent)}"
    fix = f"Check {team}'s {what} for {scope.quarter.name}"
    key = f"team:{team_id}:{what}"
    return scope.flag("caseload_moved", key, found, fix, scope.page("caseload"))
