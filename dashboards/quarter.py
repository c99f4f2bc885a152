"""The quarter a dashboard page shows: asked for in the address, else the latest the
partnership has figures for (of any kind, so this reads every domain app)."""

from django.db.models import Q, Subquery

from budgets.models import ContributionOutturn
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
