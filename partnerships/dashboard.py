"""What every dashboard page shares: the chosen quarter and the section navigation."""

from dataclasses import dataclass
from functools import cached_property

from budgets.models import Quarter
from budgets.periods import financial_year_start, parse_period
from budgets.selectors import latest_quarter_with_figures
from partnerships.permissions import can

SECTIONS = (
    ("partnership", "Agreement", "view_partnership"),
    ("budget", "Pooled budget", "view_dashboard"),
    ("staffing", "Staffing", "view_dashboard"),
    ("caseload", "Caseload and activity", "view_dashboard"),
    ("s117_register", "s117 aftercare", "view_s117_counts"),
    ("kpis", "KPIs", "view_dashboard"),
    ("actions", "Action plan", "view_dashboard"),
    ("returns", "Quarterly returns", "view_dashboard"),
    ("reports", "Reports", "view_published_reports"),
)


@dataclass(frozen=True)
class PeriodChoice:
    quarter: Quarter | None
    choices: list[tuple[str, str]]  # (value, label), latest first
    error: str | None = None

    @cached_property
    def options(self) -> list[tuple[str, str, bool]]:
        """(value, label, selected) for the chooser: twenty years are eighty options, so
        the template isn't left to work out the chosen quarter's label for each."""
        chosen = self.quarter.label if self.quarter else None
        return [(value, label, value == chosen) for value, label in self.choices]


# Sections that show a chosen quarter: a link to one of them keeps the quarter shown now.
BY_QUARTER = {"budget", "staffing", "caseload", "kpis"}


def sections_for(user, agreement) -> list[tuple[str, str]]:
    return [(name, label) for name, label, action in SECTIONS if can(user, action, agreement)]


def section_links(user, agreement, period: "PeriodChoice | None") -> list[tuple[str, str, str]]:
    """(name, label, address) of each section the user may open."""
    from urllib.parse import quote

    from django.urls import reverse

    # Quoted as the template's urlencode filter quotes, keeping the year's slash.
    keep = f"?period={quote(period.quarter.label, safe='/')}" if period and period.quarter else ""
    return [
        (name, label, reverse(name, args=[agreement.slug]) + (keep if name in BY_QUARTER else ""))
        for name, label in sections_for(user, agreement)
    ]


def choose_quarter(request, agreement) -> PeriodChoice:
    """The quarter asked for in ?period=2023/24-Q2, else the latest with figures.

    Offered: every quarter of the financial years from the agreement's start to its end
    that the database knows (one query)."""
    quarters = list(
        Quarter.objects.select_related("financial_year")
        .filter(
            financial_year__start_year__gte=financial_year_start(agreement.start_date),
            financial_year__start_year__lte=financial_year_start(agreement.end_date),
        )
        .order_by("-financial_year__start_year", "-number")
    )
    choices = [(q.label, f"{q.financial_year.label} Q{q.number}") for q in quarters]
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


def section_context(request, agreement, section: str, period: PeriodChoice | None) -> dict:
    return {
        "agreement": agreement,
        "sections": section_links(request.user, agreement, period),
        "current_section": section,
        "period": period,
    }


def configured(request, *tables_):
    """Apply the request's sort and page to each table; return the first export asked for."""
    from django_tables2 import RequestConfig

    from partnerships.tables import export_response

    for table, filename in tables_:
        RequestConfig(request, paginate={"per_page": 25}).configure(table)
        response = export_response(request, table, filename=filename)
        if response is not None:
            return response
    return None
