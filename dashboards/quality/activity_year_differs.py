"""A team's Care Act count reported for the whole financial year differs from the sum of
the year's quarters, or of its months, where every quarter or month was reported. A sum of
only some of them is not the year's total, so it is never compared (caseload.activity_periods).
The year's figure is what the pages and papers show; the flag asks which is right."""

from django.db.models import Count, IntegerField, OuterRef, Subquery, Sum

from caseload.models import CARE_ACT_COUNTS, CareActActivity, PeriodActivity
from core.formatting import count
from dashboards.quality.caseload_moved import COUNT_NAMES
from dashboards.quality.registry import Flag, Scope, register

PARTS = {"quarters": 4, "months": 12}


def _part(rows, field: str, how):
    """One figure of the team's year over its quarters or months: a sum or a count."""
    return Subquery(
        rows.filter(**{f"{field}__isnull": False})
        .values("team")
        .annotate(found=how(field))
        .values("found"),
        output_field=IntegerField(),
    )


@register(section="caseload")
def activity_year_differs(scopes: list[Scope]) -> list[Flag]:
    """One query: each team's year figures, with their quarters and months added up."""
    scope_of = {(s.agreement.pk, s.quarter.financial_year_id): s for s in scopes}
    quarters = CareActActivity.objects.filter(
        team=OuterRef("team"), quarter__financial_year=OuterRef("financial_year")
    )
    months = PeriodActivity.objects.filter(
        team=OuterRef("team"), financial_year=OuterRef("financial_year"), period__gte=1
    )
    parts = {}
    for field in CARE_ACT_COUNTS:
        for name, rows in (("quarters", quarters), ("months", months)):
            parts[f"{name}_{field}_sum"] = _part(rows, field, Sum)
            parts[f"{name}_{field}_n"] = _part(rows, field, Count)
    years = (
        PeriodActivity.objects.filter(
            period=PeriodActivity.Period.YEAR,
            team__agreement__in={agreement for agreement, _ in scope_of},
            financial_year__in={year for _, year in scope_of},
        )
        .values("team_id", "team__name", "team__agreement", "financial_year_id", *CARE_ACT_COUNTS)
        .annotate(**parts)
        .order_by("team__name")
    )
    flags = []
    for row in years:
        scope = scope_of.get((row["team__agreement"], row["financial_year_id"]))
        if scope is None:
            continue
        for field in CARE_ACT_COUNTS:
            if row[field] is None:
                continue
            for name, every in PARTS.items():
                total = row[f"{name}_{field}_sum"]
                if row[f"{name}_{field}_n"] == every and total != row[field]:
                    flags.append(_flag(scope, row, field, name, total))
    return flags


def _flag(scope: Scope, row: dict, field: str, part: str, total: int) -> Flag:
    team, what, year = row["team__name"], COUNT_NAMES[field], scope.quarter.financial_year.label
    found = (
        f"{team}'s {what} reported for {year}, {count(row[field])}, differ from its "
        f"{PARTS[part]} {part} added up, {count(total)}"
    )
    fix = f"Check {team}'s {what} for {year} and its {part}"
    key = f"team:{row['team_id']}:{field}:{part}"
    return scope.flag("activity_year_differs", key, found, fix, scope.page("caseload"))
