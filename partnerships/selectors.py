"""Reads about agreements that span relations."""

from decimal import Decimal

from partnerships.approvals import Threshold, approval_route
from partnerships.models import AgreementPartner, AgreementTerm, ApprovalThreshold, Decision


def extension_approval(term: AgreementTerm) -> Threshold | None:
    """The approval that an extension's projected cost requires under the rules of the
    agreement's council partners (the strictest that applies)."""
    from budgets.selectors import term_cost

    councils = AgreementPartner.objects.filter(
        agreement=term.agreement, organisation__kind="council"
    ).values("organisation")
    thresholds = [
        Threshold(row.exceeds, row.approver, row.also_required, row.rule)
        for row in ApprovalThreshold.objects.filter(
            organisation__in=councils, decision_kind=Decision.Kind.EXTENSION
        )
    ]
    return approval_route(term_cost(term), thresholds)


def overview(agreement) -> dict:
    """What a member sees first: partners, term and extensions with their decisions,
    governance. A fixed number of queries whatever the agreement's size."""
    from budgets.selectors import term_cost

    terms = list(agreement.terms.select_related("authorised_by").order_by("start_date"))
    projections = list(agreement.value_projections.all())
    extensions = [
        {"term": term, "cost": term_cost(term, projections)}
        for term in terms
        if term.kind == AgreementTerm.Kind.EXTENSION
    ]
    return {
        "partners": list(agreement.partners.select_related("organisation")),
        "terms": terms,
        "extensions": extensions,
        "decisions": list(agreement.decisions.order_by("decided_on")),
        "governance_bodies": list(agreement.governance_bodies.order_by("-active", "name")),
    }


def recent_quarters(quarter, count: int):
    """The `count` quarters ending with `quarter`, oldest first (one query)."""
    return quarters_ending(quarter.financial_year.start_year, quarter.number, count)


def quarters_ending(start_year: int, number: int, count: int):
    """The `count` quarters ending with quarter `number` of the year starting in
    `start_year`, oldest first, as far as the database holds them (one query)."""
    from django.db.models import Q

    from budgets.models import Quarter

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
    from partnerships.models import KPIValue

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
    from django.db.models import Prefetch

    from partnerships.models import ProgressNote, Recommendation

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


def plural(number: int, one: str, many: str) -> str:
    return f"{number} {one if number == 1 else many}"


def in_latest_pool_year(contributions):
    """Of these contributions, those in their partnership's latest pool year (the latest
    year that has contributions, of all the partnership's, not only of those given), chosen
    by the database: one probe per partnership rather than every year of every partnership."""
    from django.db.models import OuterRef, Subquery

    from budgets.models import Contribution

    latest_year = (
        Contribution.objects.filter(pooled_budget__agreement=OuterRef("pooled_budget__agreement"))
        .order_by("-pooled_budget__financial_year__start_year")
        .values("pooled_budget__financial_year__start_year")[:1]
    )
    return contributions.filter(pooled_budget__financial_year__start_year=Subquery(latest_year))


def with_latest_value(kpis):
    """These KPIs, each with `latest_value`: its value in the latest quarter it has one
    (None if it has none), found by the database one KPI at a time rather than by numbering
    every value of every KPI."""
    from django.db.models import OuterRef, Subquery

    from partnerships.models import KPIValue

    latest = (
        KPIValue.objects.filter(kpi=OuterRef("pk"))
        .order_by("-quarter__financial_year__start_year", "-quarter__number")
        .values("value")[:1]
    )
    return kpis.annotate(latest_value=Subquery(latest))


def home_flags(agreements: list, today) -> dict[int, list[str]]:
    """What each partnership's JMG needs to know at a glance, in a fixed number of queries
    however many partnerships there are."""
    import datetime

    from django.db.models import Count, F, OuterRef, Q, Subquery

    from budgets.models import Contribution, ContributionOutturn, Quarter
    from budgets.periods import financial_year_start, quarter_dates, quarter_number
    from caseload.models import CareActActivity

    # The red condition below is partnerships.rag.rag_status in SQL: past the amber
    # threshold on the wrong side.
    from partnerships.models import KPI, KPIValue, Recommendation
    from s117.models import RegisterEntry

    ids = [a.pk for a in agreements]
    flags: dict[int, list[str]] = {pk: [] for pk in ids}
    year_ahead = today + datetime.timedelta(days=365)
    for agreement in agreements:
        if agreement.end_date < today:
            flags[agreement.pk].append(f"Ended on {agreement.end_date:%-d %B %Y}")
        elif agreement.end_date <= year_ahead:
            flags[agreement.pk].append(f"Ends within 12 months, on {agreement.end_date:%-d %B %Y}")

    # The last quarter that has finished: its figures are due.
    this_year, this_quarter = financial_year_start(today), quarter_number(today)
    due_year, due_number = (this_year, this_quarter - 1) if this_quarter > 1 else (this_year - 1, 4)
    due = Quarter.objects.filter(financial_year__start_year=due_year, number=due_number).first()
    with_figures = set()
    if due is not None:
        with_figures |= set(
            ContributionOutturn.objects.filter(
                quarter=due, contribution__pooled_budget__agreement__in=ids
            )
            .order_by()  # which partnerships, in no order: no joins for the models' ordering
            .values_list("contribution__pooled_budget__agreement", flat=True)
            .distinct()
        )
        with_figures |= set(
            KPIValue.objects.filter(quarter=due, kpi__agreement__in=ids)
            .order_by()
            .values_list("kpi__agreement", flat=True)
            .distinct()
        )
        with_figures |= set(
            CareActActivity.objects.filter(quarter=due, team__agreement__in=ids)
            .order_by()
            .values_list("team__agreement", flat=True)
            .distinct()
        )
    ended = quarter_dates(due_year, due_number)[1]
    missing = f"No figures yet for {due_year}/{(due_year + 1) % 100:02d} Q{due_number}"
    for pk in ids:
        if pk not in with_figures:
            flags[pk].append(f"{missing} (ended {ended:%-d %B %Y})")

    # Forecast overspend: the latest forecast of each contribution in the partnership's
    # latest pool year, against its plan.
    latest_forecast = (
        ContributionOutturn.objects.filter(contribution=OuterRef("pk"))
        .order_by("-quarter__financial_year__start_year", "-quarter__number")
        .values("forecast")[:1]
    )
    overspend: dict[int, Decimal] = {}
    for agreement_id, planned, forecast in (
        in_latest_pool_year(Contribution.objects.filter(pooled_budget__agreement__in=ids))
        .annotate(forecast=Subquery(latest_forecast))
        .filter(forecast__isnull=False)
        .order_by()
        .values_list("pooled_budget__agreement", "planned", "forecast")
    ):
        overspend[agreement_id] = overspend.get(agreement_id, Decimal(0)) + forecast - planned
    for pk, amount in overspend.items():
        if amount > 0:
            flags[pk].append(f"Forecast overspend of £{amount:,.0f}")

    overdue_reviews = (
        RegisterEntry.objects.filter(
            Q(ended_on__isnull=True) | Q(ended_on__gt=today),
            agreement__in=ids,
            discharged_on__lte=today,
            review_due__lt=today,
        )
        .values("agreement")
        .annotate(n=Count("pk"))
    )
    for row in overdue_reviews:
        flags[row["agreement"]].append(plural(row["n"], "s117 review", "s117 reviews") + " overdue")

    red = (
        with_latest_value(KPI.objects.filter(agreement__in=ids))
        .filter(
            Q(direction="higher", latest_value__lt=F("amber_threshold"))
            | Q(direction="lower", latest_value__gt=F("amber_threshold"))
        )
        .order_by()
        .values("agreement")
        .annotate(n=Count("pk"))
    )
    for row in red:
        flags[row["agreement"]].append(plural(row["n"], "KPI", "KPIs") + " at red")

    overdue_actions = (
        Recommendation.objects.filter(
            review__agreement__in=ids,
            status__in=[Recommendation.Status.NOT_STARTED, Recommendation.Status.IN_PROGRESS],
            due_date__lt=today,
        )
        .values("review__agreement")
        .annotate(n=Count("pk"))
    )
    for row in overdue_actions:
        flags[row["review__agreement"]].append(plural(row["n"], "action", "actions") + " overdue")
    return flags
