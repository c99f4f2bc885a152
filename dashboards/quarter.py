"""The quarter a dashboard page shows: asked for in the address, else the latest the
partnership has figures for (of any kind, so this reads every domain app)."""

from functools import reduce
from operator import or_

from django.db.models import F, Max, Q, Subquery

from budgets.models import ContributionOutturn, PooledBudget
from caseload.models import CareActActivity
from core.periods import financial_year_start, parse_period
from partnerships.dashboard import PeriodChoice
from partnerships.models import KPIValue, Quarter
from partnerships.standing import covers_quarter


def latest_quarter_with_figures(agreement) -> Quarter | None:
    """The latest quarter for which the partnership has any quarterly figure: an outturn,
    a KPI value or Care Act activity; failing those, the last quarter of its latest pool.

    One query: every dashboard page asks this. Each kind of figure's latest quarter is a
    subquery the database runs once, and the latest of those three quarters is the answer."""
    latest_first = ("-quarter__financial_year__start_year", "-quarter__number")
    candidates = [
        Subquery(figures.order_by(*latest_first).values("quarter_id")[:1])
        for figures in (
            ContributionOutturn.objects.filter(contribution__pooled_budget__agreement=agreement),
            KPIValue.objects.filter(kpi__agreement=agreement),
            CareActActivity.objects.filter(team__agreement=agreement),
        )
    ]
    latest = (
        Quarter.objects.select_related("financial_year")
        .filter(Q(pk=candidates[0]) | Q(pk=candidates[1]) | Q(pk=candidates[2]))
        .order_by("-financial_year__start_year", "-number")
        .first()
    )
    if latest is not None:
        return latest
    pool = agreement.pooled_budgets.order_by("-financial_year__start_year").first()
    if pool is None:
        return None
    return Quarter.objects.select_related("financial_year").get(
        financial_year_id=pool.financial_year_id, number=4
    )


def latest_quarters_with_figures(agreements) -> dict:
    """latest_quarter_with_figures for several partnerships (home's), by agreement id, in
    five queries however many: each kind of figure's latest quarter by partnership, the
    latest pool year of those with none, and the quarters."""
    ids = [a.pk for a in agreements]
    latest: dict[int, int] = {}  # agreement id: start year * 10 + quarter number
    quarter_key = F("quarter__financial_year__start_year") * 10 + F("quarter__number")
    for figures, field in (
        (ContributionOutturn.objects, "contribution__pooled_budget__agreement"),
        (KPIValue.objects, "kpi__agreement"),
        (CareActActivity.objects, "team__agreement"),
    ):
        for agreement_id, key in (
            figures.filter(**{f"{field}__in": ids})
            .order_by()
            .values(field)
            .annotate(key=Max(quarter_key))
            .values_list(field, "key")
        ):
            latest[agreement_id] = max(key, latest.get(agreement_id, 0))
    # Every partnership's latest pool year, used for those with no figures: asked of all, so
    # that the number of queries doesn't depend on whether any has none.
    for agreement_id, year in (
        PooledBudget.objects.filter(agreement__in=ids)
        .order_by()
        .values("agreement")
        .annotate(year=Max("financial_year__start_year"))
        .values_list("agreement", "year")
    ):
        latest.setdefault(agreement_id, year * 10 + 4)
    if not latest:
        return {}
    quarters = {
        q.financial_year.start_year * 10 + q.number: q
        for q in Quarter.objects.select_related("financial_year").filter(
            reduce(
                or_,
                (
                    Q(financial_year__start_year=key // 10, number=key % 10)
                    for key in set(latest.values())
                ),
            )
        )
    }
    return {pk: quarters[key] for pk, key in latest.items() if key in quarters}


def choose_quarter(request, agreement) -> PeriodChoice:
    """The quarter asked for in ?period=2023/24-Q2, else the latest with figures.

    Offered: every quarter of the agreement's term (with its extensions) that the database
    knows (one query)."""
    quarters = list(
        Quarter.objects.select_related("financial_year")
        .filter(
            financial_year__start_year__gte=financial_year_start(agreement.start_date),
            financial_year__start_year__lte=financial_year_start(agreement.end_date),
        )
        .order_by("-financial_year__start_year", "-number")
    )
    quarters = [q for q in quarters if covers_quarter(agreement, q)]
    choices = [(q.label, q.name) for q in quarters]
    by_label = {q.label: q for q in quarters}
    asked = request.GET.get("period", "").strip()
    if asked:
        try:
            parse_period(asked)
        except ValueError as error:
            return PeriodChoice(latest_quarter_with_figures(agreement), choices, str(error))
        if asked in by_label:
            return PeriodChoice(by_label[asked], choices)
        return PeriodChoice(
            latest_quarter_with_figures(agreement),
            choices,
            f"{asked} is outside this agreement's years: choose a quarter from the list.",
        )
    return PeriodChoice(latest_quarter_with_figures(agreement), choices)
