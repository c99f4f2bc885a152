"""Reads of staffing and caseload, aggregated in the database."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum

from caseload import metrics
from caseload.activity_periods import YearFigures, year_figures
from caseload.models import (
    CareActActivity,
    CaseloadOverlap,
    CaseloadSnapshot,
    PeriodActivity,
    StaffPost,
    Team,
    TeamKind,
    month_start,
)
from core.formatting import excludes
from partnerships.models import Agreement, Quarter

ZERO = Decimal(0)


def teams_on(agreement: Agreement, day: datetime.date) -> QuerySet[Team]:
    return Team.objects.filter(agreement=agreement).filter(
        Q(left_agreement_on__isnull=True) | Q(left_agreement_on__gt=day)
    )


def posts_on(agreement: Agreement, day: datetime.date) -> QuerySet[StaffPost]:
    """Posts that exist on `day` in teams that are in the agreement on that day."""
    return posts_in([agreement.pk], day)


def posts_in(agreement_ids, day: datetime.date) -> QuerySet[StaffPost]:
    """posts_on for several partnerships at once."""
    return StaffPost.objects.filter(
        Q(team__left_agreement_on__isnull=True) | Q(team__left_agreement_on__gt=day),
        Q(valid_to__isnull=True) | Q(valid_to__gte=day),
        team__agreement__in=agreement_ids,
        valid_from__lte=day,
    )


@dataclass(frozen=True)
class Staffing:
    posts: int
    wte: Decimal
    vacant_posts: int
    vacant_wte: Decimal
    seconded_wte: Decimal
    tupe_wte: Decimal
    direct_wte: Decimal
    case_holding_wte: Decimal  # filled case-holding posts only: a vacancy holds no cases
    seconded_at_start: int
    tupe_at_start: int

    @property
    def filled_posts(self) -> int:
        return self.posts - self.vacant_posts

    @property
    def vacancy_rate(self) -> Decimal:
        return metrics.vacancy_rate(Decimal(self.vacant_posts), Decimal(self.posts))


def staffing(agreement: Agreement, day: datetime.date, *, funder=None) -> Staffing:
    """Posts, WTE and employment basis on `day`, in one query."""
    posts = posts_on(agreement, day)
    if funder is not None:
        posts = posts.filter(funder=funder)
    basis = StaffPost.Basis
    origin = StaffPost.Origin
    totals = posts.aggregate(
        posts=Count("pk"),
        total_wte=Sum("wte"),
        vacant_posts=Count("pk", filter=Q(basis=basis.VACANT)),
        vacant_wte=Sum("wte", filter=Q(basis=basis.VACANT)),
        seconded_wte=Sum("wte", filter=Q(basis=basis.SECONDED)),
        tupe_wte=Sum("wte", filter=Q(basis=basis.TUPE)),
        direct_wte=Sum("wte", filter=Q(basis=basis.DIRECT)),
        case_holding_wte=Sum("wte", filter=Q(case_holding=True) & ~Q(basis=basis.VACANT)),
        seconded_at_start=Count("pk", filter=Q(origin=origin.SECONDED)),
        tupe_at_start=Count("pk", filter=Q(origin=origin.TUPE)),
    )
    totals["wte"] = totals.pop("total_wte")
    return Staffing(**{key: ZERO if value is None else value for key, value in totals.items()})


def caseload_by_system(agreement: Agreement, as_at: datetime.date) -> dict[str, int]:
    return dict(
        CaseloadSnapshot.objects.filter(team__agreement=agreement, as_at=as_at)
        .values_list("source_system__name")
        .annotate(total=Sum("open_cases"))
        .order_by("source_system__name")
    )


def caseload_total(agreement: Agreement, as_at: datetime.date) -> int:
    """Open cases on the date, each counted once however many systems record it."""
    recorded = CaseloadSnapshot.objects.filter(team__agreement=agreement, as_at=as_at).aggregate(
        total=Sum("open_cases")
    )["total"]
    in_two = CaseloadOverlap.objects.filter(team__agreement=agreement, as_at=as_at).aggregate(
        total=Sum("cases_in_more_than_one_system")
    )["total"]
    return (recorded or 0) - (in_two or 0)


def average_caseload(agreement: Agreement, as_at: datetime.date) -> Decimal:
    """Open cases per filled case-holding WTE on the snapshot date."""
    return metrics.caseload_per_wte(
        caseload_total(agreement, as_at), staffing(agreement, as_at).case_holding_wte
    )


def establishment_wte(agreement: Agreement, kinds: tuple[str, ...]) -> Decimal:
    """Whole-team staffing (all disciplines) of the agreement's teams of the given kinds."""
    total = Team.objects.filter(agreement=agreement, kind__in=kinds).aggregate(
        total=Sum("establishment_wte")
    )["total"]
    return total or ZERO


LOCALITY_TEAM_KINDS = (TeamKind.AMHT, TeamKind.IMHT)


def activity_totals(agreement: Agreement, quarters) -> dict[str, int | None]:
    """Care Act activity summed over the agreement's teams and the given quarters."""
    return activity_over(agreement, quarters)["totals"]


def activity_over(agreement: Agreement, quarters) -> dict:
    """Care Act activity summed over the agreement's teams and the given quarters (one
    query): `totals`, None where nothing was reported (a count nobody gave is not zero), and
    `left_out`, for each count, the names of the quarters its total leaves out as no team
    reported it then."""
    quarters = list(quarters)
    by_quarter = {
        row["quarter"]: row
        for row in CareActActivity.objects.filter(team__agreement=agreement, quarter__in=quarters)
        .values("quarter")
        .annotate(**{count: Sum(count) for count in CareActActivity.COUNTS})
        .order_by()
    }
    totals, left_out = {}, {}
    for count in CareActActivity.COUNTS:
        given = {q.pk: by_quarter[q.pk][count] for q in quarters if q.pk in by_quarter}
        reported = [value for value in given.values() if value is not None]
        totals[count] = sum(reported) if reported else None
        left_out[count] = [q.name for q in quarters if given.get(q.pk) is None]
    return {"totals": totals, "left_out": left_out}


def latest_activity_quarter(agreement: Agreement, quarter: Quarter) -> Quarter | None:
    """The latest quarter up to `quarter` with Care Act activity recorded (one query): a
    paper quoting the last 12 months reported may end before its own quarter."""
    start_year = quarter.financial_year.start_year
    recorded = CareActActivity.objects.filter(team__agreement=agreement, quarter=OuterRef("pk"))
    return (
        Quarter.objects.select_related("financial_year")
        .filter(Exists(recorded))
        .filter(
            Q(financial_year__start_year__lt=start_year)
            | Q(financial_year__start_year=start_year, number__lte=quarter.number)
        )
        .order_by("-financial_year__start_year", "-number")
        .first()
    )


def staffing_section(agreement: Agreement, day: datetime.date) -> dict:
    """Posts on `day`: the summary, by team and role, and by funder, employer and basis."""
    posts = posts_on(agreement, day)
    vacant = Q(basis=StaffPost.Basis.VACANT)
    by_team_role = list(
        posts.values("team__name", "role")
        .annotate(
            posts=Count("pk"),
            total_wte=Sum("wte"),
            vacant_posts=Count("pk", filter=vacant),
            vacant_wte=Sum("wte", filter=vacant),
        )
        .order_by("team__name", "role")
    )
    roles = dict(StaffPost.StaffRole.choices)
    for row in by_team_role:
        row["role_label"] = roles.get(row["role"], row["role"])
        row["vacant_wte"] = row["vacant_wte"] or ZERO
    by_employment = list(
        posts.values("funder", "funder__short_name", "employer__short_name", "basis")
        .annotate(posts=Count("pk"), total_wte=Sum("wte"))
        .order_by("funder__short_name", "basis", "employer__short_name")
    )
    bases = dict(StaffPost.Basis.choices)
    for row in by_employment:
        row["basis_label"] = bases[row["basis"]]
    return {
        "summary": staffing(agreement, day),
        "by_team_role": by_team_role,
        "by_employment": by_employment,
    }


def latest_snapshot_date(agreement: Agreement, on_or_before: datetime.date) -> datetime.date | None:
    return (
        CaseloadSnapshot.objects.filter(team__agreement=agreement, as_at__lte=on_or_before)
        .order_by("-as_at")
        .values_list("as_at", flat=True)
        .first()
    )


def caseload_section(agreement: Agreement, as_at: datetime.date | None) -> dict:
    """Caseload on the snapshot date by team and system, each case counted once in the
    combined figure, and per case-holding WTE. A team that holds cases (it has filled
    case-holding posts) but reported none at the date has a row of figures not reported,
    and the totals, which add the teams that did report, name it in `leaves_out`."""
    if as_at is None:
        return {"as_at": None, "rows": [], "systems": [], "not_reported": [], "leaves_out": ""}
    snapshots = list(
        CaseloadSnapshot.objects.filter(team__agreement=agreement, as_at=as_at)
        .values_list("team__name", "source_system__name", "open_cases")
        .order_by("team__name")
    )
    systems = sorted({system for _, system, _ in snapshots})
    teams: dict[str, dict] = {}
    for team, system, cases in snapshots:
        teams.setdefault(team, {"team": team, "by_system": {}, "in_two": 0})["by_system"][
            system
        ] = cases
    for team, in_two in CaseloadOverlap.objects.filter(
        team__agreement=agreement, as_at=as_at
    ).values_list("team__name", "cases_in_more_than_one_system"):
        if team in teams:
            teams[team]["in_two"] = in_two
    holding = dict(
        posts_on(agreement, as_at)
        .filter(case_holding=True)
        .exclude(basis=StaffPost.Basis.VACANT)
        .values_list("team__name")
        .annotate(wte=Sum("wte"))
        .order_by()
    )
    rows = [
        _caseload_row(team, systems, holding.get(team["team"], ZERO)) for team in teams.values()
    ]
    not_reported = sorted(set(holding) - set(teams))
    rows = sorted(
        rows + [_not_reported_row(team, systems, holding[team]) for team in not_reported],
        key=lambda row: row["team"],
    )
    reported = [row for row in rows if row["combined"] is not None]
    total = sum(row["combined"] for row in reported)
    total_wte = sum((row["case_holding_wte"] for row in reported), ZERO)
    return {
        "as_at": as_at,
        "systems": systems,
        "rows": rows,
        "system_totals": [sum(row["by_system"].get(s, 0) for row in reported) for s in systems],
        "in_two_total": sum(row["in_two"] for row in reported),
        "total": total,
        "case_holding_wte": total_wte,
        "per_wte": metrics.caseload_per_wte(total, total_wte) if total_wte else None,
        "not_reported": not_reported,
        "leaves_out": excludes(not_reported),
    }


def _caseload_row(team: dict, systems: list[str], wte: Decimal) -> dict:
    combined = sum(team["by_system"].values()) - team["in_two"]
    return team | {
        "systems": [team["by_system"].get(system) for system in systems],
        "combined": combined,
        "case_holding_wte": wte,
        "per_wte": metrics.caseload_per_wte(combined, wte) if wte else None,
    }


def _not_reported_row(team: str, systems: list[str], wte: Decimal) -> dict:
    """A case-holding team with no caseload at the date: its cases are not reported, not 0."""
    return {
        "team": team,
        "by_system": {},
        "in_two": None,
        "systems": [None for _ in systems],
        "combined": None,
        "case_holding_wte": wte,
        "per_wte": None,
    }


def activity_section(agreement: Agreement, financial_year_id: int, quarter_number: int) -> dict:
    """Care Act activity by quarter across the year (for the trend), and by team in the
    chosen quarter."""
    in_year = CareActActivity.objects.filter(
        team__agreement=agreement, quarter__financial_year_id=financial_year_id
    )
    sums = {count: Sum(count) for count in CareActActivity.COUNTS}
    # With each quarter's sums, how many teams gave each count: a sum says what it leaves out.
    reported = {f"{count}_teams": Count(count) for count in CareActActivity.COUNTS}
    by_quarter = {
        row["quarter__number"]: row
        for row in in_year.values("quarter__number")
        .annotate(teams=Count("pk"), **reported)  # before the sums take the fields' names
        .annotate(**sums)
        .order_by("quarter__number")
    }
    by_team = list(
        in_year.filter(quarter__number=quarter_number)
        .values("team__name")
        .annotate(**sums)
        .order_by("team__name")
    )
    year_to_date = {
        count: _year_to_date(count, by_quarter, quarter_number) for count in CareActActivity.COUNTS
    }
    return {"by_quarter": by_quarter, "by_team": by_team, "year_to_date": year_to_date}


def _year_to_date(count: str, by_quarter: dict, quarter_number: int) -> dict:
    """A count summed over the year's quarters to `quarter_number`, None if none reported
    it, with what the sum leaves out: quarters without it, or teams that gave other counts
    that quarter but not this one."""
    values = [by_quarter[n][count] for n in range(1, quarter_number + 1) if n in by_quarter]
    reported = [value for value in values if value is not None]
    missing = [
        f"Q{n}"
        for n in range(1, quarter_number + 1)
        if n not in by_quarter or by_quarter[n][count] is None
    ]
    partly = [
        f"Q{n}"
        for n, row in by_quarter.items()
        if n <= quarter_number and 0 < row[f"{count}_teams"] < row["teams"]
    ]
    notes = []
    if reported and missing:
        notes.append(f"not reported for {', '.join(missing)}")
    if partly:
        notes.append(f"not every team reported it for {', '.join(sorted(partly))}")
    return {"total": sum(reported) if reported else None, "leaves_out": "; ".join(notes)}


def period_activity(agreement: Agreement, financial_year_ids) -> list[dict]:
    """The figures reported for whole years and months of them (one query), a dict a row."""
    return list(
        PeriodActivity.objects.filter(
            team__agreement=agreement, financial_year_id__in=list(financial_year_ids)
        )
        .values("team__name", "financial_year_id", "period", *PeriodActivity.MEASURES)
        .order_by("team__name", "period")
    )


def year_activity(rows: list[dict], by_quarter: dict, start_year: int) -> dict:
    """A year's activity across the agreement's teams, from the rows of `period_activity`
    for the year and the quarters' sums of `activity_section`: for each count the year's
    figure as reported (summed over the teams that reported one), its quarters' and months'
    sums with what they leave out, and an average a month derived from them; each month's
    figures; and each team's average days to complete an assessment."""
    counts = PeriodActivity.COUNTS
    year: dict[str, int | None] = dict.fromkeys(counts)
    months: dict[int, dict[str, int | None]] = {}
    days = []
    for row in rows:
        if row["period"] == PeriodActivity.Period.YEAR:
            for count in counts:
                if row[count] is not None:
                    year[count] = (year[count] or 0) + row[count]
            if row["days_to_complete"] is not None:
                days.append((row["team__name"], row["days_to_complete"]))
            continue
        month = months.setdefault(row["period"], dict.fromkeys(counts))
        for count in counts:
            if row[count] is not None:
                month[count] = (month[count] or 0) + row[count]
    figures: dict[str, YearFigures] = {
        count: year_figures(
            year[count],
            {n: q[count] for n, q in by_quarter.items()},
            {n: m[count] for n, m in months.items()},
        )
        for count in counts
    }
    return {
        "reported": bool(rows),
        "figures": figures,
        "months": [
            (month_start(start_year, n).strftime("%B %Y"), [months[n][count] for count in counts])
            for n in sorted(months)
        ],
        "days_to_complete": days,
    }


def reported_for_year(agreement: Agreement, financial_year_id: int) -> dict[str, int | None]:
    """Each Care Act count as reported for the whole year, summed over the teams that
    reported one; None where no team did (one query). Papers quote these, where given,
    rather than adding up the quarters."""
    sums = (
        PeriodActivity.objects.filter(
            team__agreement=agreement,
            financial_year_id=financial_year_id,
            period=PeriodActivity.Period.YEAR,
        )
        .order_by()
        .aggregate(**{count: Sum(count) for count in PeriodActivity.COUNTS})
    )
    return sums


def activity_for_year_or_quarters(agreement: Agreement, quarters) -> dict:
    """`activity_over` the quarters, except that where they are the four quarters of one
    financial year, a count reported for the whole year is that figure, as reported, and
    leaves nothing out. `from_year` names the counts taken so."""
    quarters = list(quarters)
    activity = activity_over(agreement, quarters)
    activity["from_year"] = []
    years = {q.financial_year_id for q in quarters}
    if len(quarters) != 4 or len(years) != 1 or {q.number for q in quarters} != {1, 2, 3, 4}:
        return activity
    for name, value in reported_for_year(agreement, years.pop()).items():
        if value is not None:
            activity["totals"][name] = value
            activity["left_out"][name] = []
            activity["from_year"].append(name)
    return activity
