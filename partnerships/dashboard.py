"""What every dashboard page shares: the chosen quarter and the section navigation."""

from dataclasses import dataclass
from functools import cached_property
from urllib.parse import quote

from django.urls import reverse
from django_tables2 import RequestConfig

from partnerships.models import Quarter
from partnerships.permissions import can
from partnerships.tables import export_response

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

    # Quoted as the template's urlencode filter quotes, keeping the year's slash.
    keep = f"?period={quote(period.quarter.label, safe='/')}" if period and period.quarter else ""
    return [
        (name, label, reverse(name, args=[agreement.slug]) + (keep if name in BY_QUARTER else ""))
        for name, label in sections_for(user, agreement)
    ]


def section_context(request, agreement, section: str, period: PeriodChoice | None) -> dict:
    return {
        "agreement": agreement,
        "sections": section_links(request.user, agreement, period),
        "current_section": section,
        "period": period,
    }


def configured(request, *tables_):
    """Apply the request's sort and page to each table; return the first export asked for."""

    for table, filename in tables_:
        RequestConfig(request, paginate={"per_page": 25}).configure(table)
        response = export_response(request, table, filename=filename)
        if response is not None:
            return response
    return None
