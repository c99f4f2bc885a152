from decimal import Decimal

from django.shortcuts import render

from caseload import selectors
from caseload.filters import PostFilter
from caseload.models import CareActActivity
from caseload.tables import ActivityTable, CaseloadTable, EmploymentTable, PostTable, TeamRoleTable
from core import charts
from core.formatting import NOT_REPORTED, count, listed, long_date, measure, wte_with_unit
from dashboards.quality import flags_for
from dashboards.quarter import choose_quarter
from partnerships.dashboard import configured, section_context
from partnerships.permissions import can, partnership_view
from partnerships.tables import NumberColumn

ACTIVITY_LABELS = {
    "referrals": "Referrals",
    "assessments": "Care Act assessments",
    "reviews": "Reviews",
    "carers_assessments": "Carers' assessments",
    "safeguarding_enquiries": "Safeguarding enquiries",
}


@partnership_view("view_dashboard")
def staffing(request, agreement):
    period = choose_quarter(request, agreement)
    context = section_context(request, agreement, "staffing", period)
    context["may_keep_staffing"] = can(request.user, "keep_staffing", agreement)
    if period.quarter is None:
        return render(request, "caseload/staffing.html", context)
    day = period.quarter.end_date
    section = selectors.staffing_section(agreement, day)
    posts = (
        selectors.posts_on(agreement, day)
        .select_related("team", "employer", "funder")
        .order_by("team__name", "reference")
    )
    post_filter = PostFilter(request.GET, queryset=posts, agreement=agreement)
    label = period.quarter.slug
    team_role = TeamRoleTable(
        section["by_team_role"], prefix="roles-", caption="Posts by team and role"
    )
    employment = EmploymentTable(
        section["by_employment"], prefix="employment-", caption="Who funds and who employs"
    )
    post_table = PostTable(post_filter.qs, prefix="posts-", caption="Posts")
    download = configured(
        request,
        (team_role, f"{agreement.slug} posts by team and role {label}"),
        (employment, f"{agreement.slug} funding and employment {label}"),
        (post_table, f"{agreement.slug} posts {label}"),
    )
    if download is not None:
        return download
    teams: dict[str, dict[str, Decimal]] = {}
    for row in section["by_team_role"]:
        team = teams.setdefault(row["team__name"], {"filled": Decimal(0), "vacant": Decimal(0)})
        team["filled"] += row["total_wte"] - row["vacant_wte"]
        team["vacant"] += row["vacant_wte"]
    context |= {
        "flags": flags_for(request.user, agreement, period.quarter, sections={"staffing"}),
        "day": day,
        "summary": section["summary"],
        "vacancy_percent": section["summary"].vacancy_rate * 100
        if section["summary"].posts
        else None,
        "team_role_table": team_role,
        "employment_table": employment,
        "post_table": post_table,
        "filter": post_filter,
        "chart": charts.bar_chart(
            title=f"Whole-time equivalent by team, filled and vacant, at {long_date(day)}",
            categories=list(teams),
            series={
                "Filled": [t["filled"] for t in teams.values()],
                "Vacant": [t["vacant"] for t in teams.values()],
            },
            value_format=wte_with_unit,
            x_label="Team",
        )
        if teams
        else None,
    }
    return render(request, "caseload/staffing.html", context)


@partnership_view("view_dashboard")
def caseload(request, agreement):
    period = choose_quarter(request, agreement)
    context = section_context(request, agreement, "caseload", period)
    if period.quarter is None:
        return render(request, "caseload/caseload.html", context)
    quarter = period.quarter
    as_at = selectors.latest_snapshot_date(agreement, quarter.end_date)
    section = selectors.caseload_section(agreement, as_at)
    activity = selectors.activity_section(agreement, quarter.financial_year_id, quarter.number)
    year = selectors.year_activity(
        selectors.period_activity(agreement, [quarter.financial_year_id]),
        activity["by_quarter"],
        quarter.financial_year.start_year,
    )
    caseload_table, activity_table = _caseload_tables(section, activity, quarter, as_at)
    download = configured(
        request,
        (caseload_table, f"{agreement.slug} caseload {quarter.slug}"),
        (activity_table, f"{agreement.slug} care act activity {quarter.slug}"),
    )
    if download is not None:
        return download
    context |= _caseload_charts(section, activity, quarter, as_at) | {
        "flags": flags_for(request.user, agreement, quarter, sections={"caseload"}),
        "section": section,
        "activity": activity,
        "activity_labels": ACTIVITY_LABELS,
        "caseload_table": caseload_table,
        "activity_table": activity_table,
        "activity_year": [
            (ACTIVITY_LABELS[name], activity["year_to_date"][name])
            for name in CareActActivity.COUNTS
        ],  # each (label, {"total": count or None, "leaves_out": what it leaves out})
        "year_activity": year,
        "year_rows": year_rows(year["figures"]),
        "activity_labels_list": [ACTIVITY_LABELS[name] for name in CareActActivity.COUNTS],
    }
    return render(request, "caseload/caseload.html", context)


def _part(part, names_missing: str) -> str:
    """The sum of a year's quarters or months: a total only when all were reported."""
    if part.total is None:
        return NOT_REPORTED
    if part.missing:
        return f"{count(part.total)} so far: {listed(part.missing)} not reported ({names_missing})"
    return count(part.total)


def year_rows(figures) -> list[dict]:
    """Each count of the year: as reported for the year, its quarters and months added up,
    and an average a month, labelled with what it is derived from."""
    rows = []
    for name in CareActActivity.COUNTS:
        figure = figures[name]
        average = figure.average_a_month
        rows.append(
            {
                "label": ACTIVITY_LABELS[name],
                "year": count(figure.year, missing=NOT_REPORTED),
                "quarters": _part(figure.quarters, "not the year's total"),
                "months": _part(figure.months, "not the year's total"),
                "average": (
                    f"An average of {measure(average.value)} a month "
                    f"(derived: {average.derived_from})"
                    if average
                    else NOT_REPORTED
                ),
            }
        )
    return rows


def _caseload_tables(section, activity, quarter, as_at):
    """Open cases by team, a column for each case system; Care Act activity by team."""
    system_columns = [
        (
            f"system_{index}",
            NumberColumn(
                accessor=f"systems__{index}", verbose_name=f"On {name}", default=NOT_REPORTED
            ),
        )
        for index, name in enumerate(section["systems"])
    ]
    caseload_table = CaseloadTable(
        section["rows"],
        extra_columns=system_columns,
        sequence=["team", *(name for name, _ in system_columns), "..."],
        prefix="caseload-",
        caption=f"Open cases by team at {long_date(as_at)}" if as_at else "Open cases by team",
    )
    activity_table = ActivityTable(
        activity["by_team"],
        prefix="activity-",
        caption=f"Care Act activity by team, {quarter.name}",
    )
    return caseload_table, activity_table


def _caseload_charts(section, activity, quarter, as_at) -> dict:
    """The caseload by team at the quarter's end, and the year's activity quarter by quarter."""
    by_quarter = activity["by_quarter"]
    caseload_chart = (
        charts.bar_chart(
            title=f"Open cases by team at {long_date(as_at)}",
            categories=[row["team"] for row in section["rows"]],
            series={"Open cases, counted once": [row["combined"] for row in section["rows"]]},
            value_format=count,
            x_label="Team",
        )
        if section["rows"]
        else None
    )
    activity_chart = (
        charts.line_chart(
            title=f"Care Act activity by quarter, {quarter.financial_year.label}",
            periods=[f"Q{n}" for n in (1, 2, 3, 4)],
            series={
                ACTIVITY_LABELS[name]: [
                    by_quarter[n][name] if n in by_quarter else None for n in (1, 2, 3, 4)
                ]
                for name in CareActActivity.COUNTS
            },
            value_format=count,
            x_label="Quarter",
        )
        if by_quarter
        else None
    )
    return {"caseload_chart": caseload_chart, "activity_chart": activity_chart}
