"""Reads about agreements that span relations."""

from django.db.models import OuterRef, Prefetch, Q, Subquery

from core.periods import parse_period
from partnerships.models import (
    AgreementPartner,
    AgreementTerm,
    KPIValue,
    ProgressNote,
    Quarter,
    Recommendation,
)


def quarter_for(label: str) -> Quarter | None:
    """The Quarter row for '2023/24-Q2', or None when that year isn't in the database."""
    period = parse_period(label)
    return (
        Quarter.objects.select_related("financial_year")
        .filter(financial_year__start_year=period.start_year, number=period.quarter or 4)
        .first()
    )


def recent_quarters(quarter, count: int):
    """The `count` quarters ending with `quarter`, oldest first (one query)."""
    return quarters_ending(quarter.financial_year.start_year, quarter.number, count)


def quarters_ending(start_year: int, number: int, count: int):
    """The `count` quarters ending with quarter `number` of the year starting in
    `start_year`, oldest first, as far as the database holds them (one query)."""

    wanted, year = [], start_year
    for _ in range(count):
        wanted.append((year, number))
        year, number = (year, number - 1) if number > 1 else (year - 1, 4)
    condition = Q()
    for wanted_year, wanted_number in wanted:
        condition |= Q(financial_year__start_year=wanted_year, number=wanted_number)
    return list(
        Quarter.objects.select_related("financial_year")
        .filter(condition)
        .order_by("financial_year__start_year", "number")
    )


def kpi_section(agreement, quarter, *, window: int = 4) -> dict:
    """Each KPI's value, target and RAG in the chosen quarter, and its recent trend."""

    quarters = recent_quarters(quarter, window)
    values = {
        (value.kpi_id, value.quarter_id): value
        for value in KPIValue.objects.filter(kpi__agreement=agreement, quarter__in=quarters)
    }
    rows = []
    for kpi in agreement.kpis.order_by("code"):
        current = values.get((kpi.pk, quarter.pk))
        trend = [values.get((kpi.pk, q.pk)) for q in quarters]
        rows.append(
            {
                "kpi": kpi,
                "value": current.value if current else None,
                "rag": kpi.rag(current.value) if current else None,
                "trend": [(v.value, kpi.rag(v.value)) if v else (None, None) for v in trend],
            }
        )
    return {"quarters": quarters, "rows": rows}


def action_plan_section(agreement, today) -> dict:
    """Every review recommendation with its owner, due date, status, latest progress note,
    and whether it is overdue."""

    recommendations = list(
        Recommendation.objects.filter(review__agreement=agreement)
        .select_related("review")
        .prefetch_related(
            Prefetch("progress_notes", queryset=ProgressNote.objects.order_by("-written_on", "-pk"))
        )
        .order_by("review__title", "sort_key")
    )
    rows = [
        {
            "recommendation": r,
            "overdue": r.is_overdue(today),
            "latest_note": next(iter(r.progress_notes.all()), None),
        }
        for r in recommendations
    ]
    statuses: dict[str, int] = {}
    for r in recommendations:
        statuses[r.get_status_display()] = statuses.get(r.get_status_display(), 0) + 1
    return {"rows": rows, "overdue": sum(row["overdue"] for row in rows), "by_status": statuses}


def with_latest_value(kpis):
    """These KPIs, each with `latest_value`: its value in the latest quarter it has one
    (None if it has none), found by the database one KPI at a time rather than by numbering
    every value of every KPI."""

    latest = (
        KPIValue.objects.filter(kpi=OuterRef("pk"))
        .order_by("-quarter__financial_year__start_year", "-quarter__number")
        .values("value")[:1]
    )
    return kpis.annotate(latest_value=Subquery(latest))


def partners_of(agreement) -> list[AgreementPartner]:
    """The agreement's partners with their organisations, by short name (one query)."""
    return list(
        agreement.partners.select_related("organisation").order_by("organisation__short_name")
    )


def terms_of(agreement) -> list[AgreementTerm]:
    """The agreement's terms, first to last, with the decisions that authorised them."""
    return list(agreement.terms.select_related("authorised_by", "option").order_by("start_date"))


def active_governance_bodies(agreement) -> list:
    return list(agreement.governance_bodies.filter(active=True).order_by("name"))


def extension_as_at(agreement, day) -> AgreementTerm | None:
    """The extension a paper as at `day` is about: the latest decided by then, or else the
    latest proposed."""
    extensions = agreement.terms.filter(kind=AgreementTerm.Kind.EXTENSION).select_related(
        "authorised_by", "option"
    )
    decided = (
        extensions.filter(authorised_by__decided_on__lte=day)
        .order_by("-authorised_by__decided_on")
        .first()
    )
    return decided or extensions.order_by("-start_date").first()
