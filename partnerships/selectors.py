"""Reads about agreements that span relations."""

import datetime

from django.db.models import OuterRef, Prefetch, Q, Subquery

from core.periods import financial_year_dates, parse_period
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


def partners_on(agreement, day: datetime.date) -> list[AgreementPartner]:
    """The agreement's partners on `day`, host first (one query): on 30 June 2022 a CCG,
    on 1 July 2022 the ICB that took over from it."""
    return list(
        agreement.partners.on(day).select_related("organisation").order_by("-is_host", "pk")
    )


def partners_of_year(agreement, start_year: int) -> list[AgreementPartner]:
    """The agreement's partners for any part of the financial year starting in
    `start_year`, host first (one query). In 2022/23 both a CCG (April to June) and its
    ICB (from July) were partners, and either may have figures for that year."""
    first, last = financial_year_dates(start_year)
    return list(
        agreement.partners.during(first, last)
        .select_related("organisation")
        .order_by("-is_host", "pk")
    )


def partner_of_year(agreement, organisation_id: int, start_year: int) -> bool:
    """Whether the organisation was a partner in the agreement for any part of the year
    (one query): a CCG's figures for 2019/20 are still its own, though it is gone."""
    first, last = financial_year_dates(start_year)
    return agreement.partners.during(first, last).filter(organisation_id=organisation_id).exists()


def partner_history(agreement) -> list[AgreementPartner]:
    """Every partner the agreement has had, current ones first, then past ones latest
    first, each with its organisation and that organisation's successor (one query)."""
    rows = agreement.partners.select_related("organisation__successor")
    return sorted(
        rows,
        key=lambda p: (
            p.to_date is not None,
            -(p.to_date or datetime.date.max).toordinal(),
            not p.is_host,
            p.organisation.name,
        ),
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
