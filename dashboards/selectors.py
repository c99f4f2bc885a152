"""Reads for the pages that span the domain apps: the agreement page and home's flags."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone

from budgets.models import Contribution, ContributionOutturn
from budgets.selectors import in_latest_pool_year, term_rows
from caseload.models import CareActActivity
from core.formatting import excludes, listed, long_date, month_label, quarter_label, whole_pounds
from core.periods import financial_year_start, quarter_dates, quarter_number
from dashboards.quality import flags_for_many
from dashboards.quarter import latest_quarters_with_figures
from partnerships.models import KPI, KPIValue, Quarter, Recommendation
from partnerships.rag import RAG, rag_condition
from partnerships.selectors import partner_history, with_latest_value
from partnerships.standing import agreement_standing, covers_quarter, is_extended, standings
from s117.models import RegisterEntry


def overview(agreement) -> dict:
    """What a member sees first: partners, term and extensions with their decisions,
    governance. A fixed number of queries whatever the agreement's size."""
    terms = list(
        agreement.terms.select_related("authorised_by", "option__exercised_by").order_by(
            "start_date"
        )
    )
    projections = list(agreement.value_projections.all())
    extended = is_extended(agreement, terms)
    return {
        "standing": agreement_standing(agreement, timezone.localdate(), extended=extended),
        "partners": partner_history(agreement),
        "terms": terms,
        "term_rows": term_rows(terms, projections),
        "decisions": list(agreement.decisions.order_by("decided_on")),
        "governance_bodies": list(agreement.governance_bodies.order_by("-active", "name")),
    }


def plural(number: int, one: str, many: str) -> str:
    return f"{number} {one if number == 1 else many}"


def home_flags(
    agreements: list,
    today,
    *,
    dashboard: set[int] | None = None,
    s117: set[int] | None = None,
    standing: dict | None = None,
) -> dict[int, list[str]]:
    """What each partnership's members need to know at a glance, in a fixed number of
    queries however many partnerships there are. Each kind of flag is its own function, and
    each partnership's flags come in this order. Figures are flagged only in the
    partnerships whose ids are in `dashboard` (where the user may see the dashboards) and
    s117 reviews only in those in `s117` (the register's counts); None: in all of them.
    `standing`: each agreement's standing (partnerships.standing.standings), if the caller
    has read it already."""
    ids = [a.pk for a in agreements]
    figures = [pk for pk in ids if dashboard is None or pk in dashboard]
    flags: dict[int, list[str]] = {pk: [] for pk in ids}
    _term_flags(flags, agreements, standing or standings(agreements, today))
    _missing_figures_flags(flags, [a for a in agreements if a.pk in figures], today)
    _overspend_flags(flags, figures)
    _review_flags(flags, [pk for pk in ids if s117 is None or pk in s117], today)
    _count_flags(flags, figures, today)
    return flags


@dataclass(frozen=True)
class LinkedFlag:
    """A flag on home that links to where it is explained."""

    text: str
    url: str

    def __str__(self) -> str:
        return self.text


def home_quality_flags(
    agreements: list, *, dashboard: set[int] | None = None, s117: set[int] | None = None
) -> dict[int, list[LinkedFlag]]:
    """How many data-quality flags (dashboards.quality) nobody has explained yet, in each
    partnership whose dashboards the user may see (`dashboard`; None: all), for its latest
    quarter with figures: the quarter the agreement page shows them for. Unlike home_flags
    these are as the figures stand now, whatever the day. A fixed number of queries however
    many partnerships there are."""
    flags: dict[int, list[LinkedFlag]] = {a.pk: [] for a in agreements}
    agreements = [a for a in agreements if dashboard is None or a.pk in dashboard]
    quarters = latest_quarters_with_figures(agreements)

    def may_see(needs: str, agreement_id: int) -> bool:
        # Only partnerships whose dashboards the user may see come here.
        return needs != "view_s117_counts" or s117 is None or agreement_id in s117

    found = flags_for_many([(a, quarters.get(a.pk)) for a in agreements], may_see=may_see)
    for agreement in agreements:
        unexplained = [f for f in found.get(agreement.pk, []) if f.explanation is None]
        if unexplained:
            n, quarter = len(unexplained), quarters[agreement.pk]
            url = reverse("partnership", args=[agreement.slug]) + "#quality"
            text = f"{plural(n, 'data-quality check', 'data-quality checks')} to look at"
            flags[agreement.pk].append(LinkedFlag(f"{text} for {quarter.name}", url))
    return flags


def _term_flags(flags, agreements, standing) -> None:
    """An agreement that has ended, or ends within a year (partnerships.standing)."""
    for agreement in agreements:
        if standing[agreement.pk].code in ("ending", "ended", "terminated", "draft", "not_started"):
            flags[agreement.pk].append(standing[agreement.pk].text)


def _missing_figures_flags(flags, agreements, today) -> None:
    """The last quarter that has finished: its figures are due, of any kind, from each
    agreement whose term it falls in."""
    this_year, this_quarter = financial_year_start(today), quarter_number(today)
    due_year, due_number = (this_year, this_quarter - 1) if this_quarter > 1 else (this_year - 1, 4)
    due = (
        Quarter.objects.select_related("financial_year")
        .filter(financial_year__start_year=due_year, number=due_number)
        .first()
    )
    ids = [a.pk for a in agreements if due is None or covers_quarter(a, due)]
    with_figures = set() if due is None else _with_figures(due, ids)
    ended = quarter_dates(due_year, due_number)[1]
    missing = f"No figures yet for {quarter_label(due_year, due_number)}"
    for pk in ids:
        if pk not in with_figures:
            flags[pk].append(f"{missing} (ended {long_date(ended)})")


def _with_figures(due, ids) -> set[int]:
    """The partnerships with an outturn, a KPI value or Care Act activity in `due`."""
    # Which partnerships, in no order: no joins for the models' ordering.
    return (
        set(
            ContributionOutturn.objects.filter(
                quarter=due, contribution__pooled_budget__agreement__in=ids
            )
            .order_by()
            .values_list("contribution__pooled_budget__agreement", flat=True)
            .distinct()
        )
        | set(
            KPIValue.objects.filter(quarter=due, kpi__agreement__in=ids)
            .order_by()
            .values_list("kpi__agreement", flat=True)
            .distinct()
        )
        | set(
            CareActActivity.objects.filter(quarter=due, team__agreement__in=ids)
            .order_by()
            .values_list("team__agreement", flat=True)
            .distinct()
        )
    )


def _overspend_flags(flags, ids) -> None:
    """Forecast overspend: the latest forecast of each contribution in the partnership's
    latest pool year, against its plan, at the latest month any partner reported (as the
    budget page has it). A partner with no forecast, or one only from an earlier month, is
    left out, and the flag says so: its forecast is neither 0, nor its plan, nor current."""
    latest = ContributionOutturn.objects.filter(contribution=OuterRef("pk")).order_by("-month")
    rows = list(
        in_latest_pool_year(Contribution.objects.filter(pooled_budget__agreement__in=ids))
        .annotate(
            forecast=Subquery(latest.values("forecast")[:1]),
            month=Subquery(latest.values("month")[:1]),
        )
        .order_by("partner__short_name")
        .values_list(
            "pooled_budget__agreement",
            "partner__short_name",
            "planned",
            "forecast",
            "month",
            "pooled_budget__financial_year__start_year",
        )
    )
    position: dict[int, int] = {}
    for agreement_id, _, _, _, month, _ in rows:
        if month is not None:
            position[agreement_id] = max(position.get(agreement_id, 0), month)
    overspend: dict[int, Decimal] = {}
    not_reported: dict[int, list[str]] = {}
    behind: dict[int, list[str]] = {}
    for agreement_id, partner, planned, forecast, month, start_year in rows:
        if forecast is None:
            not_reported.setdefault(agreement_id, []).append(partner)
        elif month < position[agreement_id]:
            said = f"{partner} (last reported at {month_label(start_year, month)})"
            if said not in behind.get(agreement_id, []):
                behind.setdefault(agreement_id, []).append(said)
        else:
            overspend[agreement_id] = overspend.get(agreement_id, Decimal(0)) + forecast - planned
    for pk, amount in overspend.items():
        if amount > 0:
            left = [excludes(dict.fromkeys(not_reported.get(pk, [])))] if pk in not_reported else []
            if pk in behind:
                left.append(
                    ("excludes " if not left else "and ")
                    + listed(behind[pk])
                    + ": not yet reported at the latest month"
                )
            said = f" ({'; '.join(left)})" if left else ""
            flags[pk].append(f"Forecast overspend of {whole_pounds(amount)}{said}")


def _review_flags(flags, ids, today) -> None:
    """How many s117 reviews are overdue (s117.models.RegisterEntry's rule)."""
    overdue_reviews = (
        RegisterEntry.objects.filter(RegisterEntry.overdue_for_review(today), agreement__in=ids)
        .values("agreement")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in overdue_reviews:
        flags[row["agreement"]].append(plural(row["n"], "s117 review", "s117 reviews") + " overdue")


def _count_flags(flags, ids, today) -> None:
    """How many KPIs are at red and actions are overdue."""

    red = (
        with_latest_value(KPI.objects.filter(agreement__in=ids))
        .filter(rag_condition(RAG.RED, value="latest_value"))
        .order_by()
        .values("agreement")
        .annotate(n=Count("pk"))
    )
    for row in red:
        flags[row["agreement"]].append(plural(row["n"], "KPI", "KPIs") + " at red")

    overdue_actions = (
        Recommendation.objects.filter(Recommendation.overdue_on(today), review__agreement__in=ids)
        .values("review__agreement")
        .annotate(n=Count("pk"))
    )
    for row in overdue_actions:
        flags[row["review__agreement"]].append(plural(row["n"], "action", "actions") + " overdue")
