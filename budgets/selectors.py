"""Reads of pooled budgets and agreement values, computed from stored contributions."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import OuterRef, Prefetch, Subquery, Sum

from budgets import shares
from budgets.models import Contribution, ContributionOutturn, PooledBudget
from budgets.uplift import YearValue, years_ending_within
from core.formatting import excludes, percent, quarter_label
from partnerships.approvals import Threshold, approval_route
from partnerships.models import (
    AgreementPartner,
    AgreementTerm,
    ApprovalThreshold,
    Decision,
    Quarter,
)


def planned_by_partner(pooled_budget: PooledBudget) -> dict[str, Decimal]:
    """Planned contributions keyed by the partner's short name, in one query."""
    return dict(
        Contribution.objects.filter(pooled_budget=pooled_budget)
        .order_by("partner__name")
        .values_list("partner__short_name", "planned")
    )


def pool_total(pooled_budget: PooledBudget) -> Decimal:
    total = Contribution.objects.filter(pooled_budget=pooled_budget).aggregate(
        total=Sum("planned")
    )["total"]
    return total or Decimal(0)


def partner_shares(pooled_budget: PooledBudget) -> dict[str, Decimal]:
    """Each partner's planned contribution as a fraction of the pool."""
    return shares.shares(planned_by_partner(pooled_budget))


@dataclass(frozen=True)
class PartnerPosition:
    partner: str
    planned: Decimal
    forecast: Decimal | None  # None: no forecast reported yet this year
    actual_to_date: Decimal | None
    as_at: str | None  # the quarter the forecast was reported in
    variance: Decimal | None
    risk_share: Decimal | None


def budget_position(pooled_budget: PooledBudget, quarter: Quarter) -> list[PartnerPosition]:
    """Each partner's plan and its latest forecast and spend reported in the pool's year up
    to the chosen quarter. Variance and risk share need every partner's forecast: until
    then they are left blank rather than guessed."""
    planned = planned_by_partner(pooled_budget)
    latest: dict[str, dict] = {}
    for row in (
        ContributionOutturn.objects.filter(
            contribution__pooled_budget=pooled_budget, quarter__number__lte=quarter.number
        )
        .order_by("quarter__number")
        .values(
            "contribution__partner__short_name", "forecast", "actual_to_date", "quarter__number"
        )
    ):
        latest[row["contribution__partner__short_name"]] = row  # later quarters overwrite
    forecast = {partner: latest[partner]["forecast"] for partner in planned if partner in latest}
    risk = {}
    if forecast and forecast.keys() == planned.keys():
        fixed = None
        if pooled_budget.risk_share_rule == shares.RiskShareRule.FIXED:
            fixed = dict(
                Contribution.objects.filter(pooled_budget=pooled_budget).values_list(
                    "partner__short_name", "risk_share_percent"
                )
            )
        risk = shares.risk_share(
            shares.RiskShareRule(pooled_budget.risk_share_rule),
            planned=planned,
            forecast=forecast,
            fixed_percent=fixed,
        )
    start_year = pooled_budget.financial_year.start_year
    return [
        PartnerPosition(
            partner=partner,
            planned=planned[partner],
            forecast=forecast.get(partner),
            actual_to_date=latest[partner]["actual_to_date"] if partner in latest else None,
            as_at=quarter_label(start_year, latest[partner]["quarter__number"])
            if partner in latest
            else None,
            variance=shares.variance(planned[partner], forecast[partner])
            if partner in forecast
            else None,
            risk_share=risk.get(partner),
        )
        for partner in planned
    ]


def term_values(term: AgreementTerm, projections=None) -> list[YearValue]:
    """The projected value of each agreement year ending within a term, from the latest
    value projection made before the term began. `projections`, the agreement's projections
    read once, saves a query per term where there are several."""
    if projections is None:
        projections = term.agreement.value_projections.filter(base_year_ending__lt=term.start_date)
    before = [p for p in projections if p.base_year_ending < term.start_date]
    projection = max(before, key=lambda p: p.base_year_ending, default=None)
    if projection is None:
        return []
    return years_ending_within(projection.years_to(term.end_date), term.start_date, term.end_date)


def projection_before(term: AgreementTerm):
    """The latest value projection made before the term began: the one its values come
    from (one query)."""
    return (
        term.agreement.value_projections.filter(base_year_ending__lt=term.start_date)
        .order_by("-base_year_ending")
        .first()
    )


def term_cost(term: AgreementTerm, projections=None) -> Decimal:
    return sum((year.value for year in term_values(term, projections)), Decimal(0))


FLAT = "no uplift (flat)"


def uplift_text(rate: Decimal) -> str:
    """A yearly uplift as pages and papers say it: "uplifted by 2.5% a year", or for 0%
    "no uplift (flat)", never "0.0% uplift"."""
    if rate == 0:
        return FLAT
    places = max(1, -(rate * 100).normalize().as_tuple().exponent)
    return f"uplifted by {percent(rate * 100, places)} a year"


@dataclass(frozen=True)
class TermRow:
    """A term as the terms table shows it: an extension with its projected cost and the
    uplift it is costed at, and the option that may follow it."""

    term: AgreementTerm
    cost: Decimal | None  # an extension's; None for the initial term or with no projection
    uplift: str  # uplift_text of the projection its cost comes from; "" with none
    option: object | None  # partnerships.ExtensionOption


def term_rows(terms: list[AgreementTerm], projections: list) -> list[TermRow]:
    """Each term, first to last, from terms read with select_related("option") and the
    agreement's projections read once: no query here."""
    rows = []
    for term in terms:
        cost, uplift = None, ""
        if term.kind == AgreementTerm.Kind.EXTENSION:
            before = [p for p in projections if p.base_year_ending < term.start_date]
            projection = max(before, key=lambda p: p.base_year_ending, default=None)
            if projection is not None:
                cost = term_cost(term, [projection])
                uplift = uplift_text(projection.uplift_rate)
        rows.append(TermRow(term, cost, uplift, getattr(term, "option", None)))
    return rows


def budget_section(agreement, quarter: Quarter) -> dict:
    """The pooled budget as at a quarter: each partner's plan, forecast, actual, share,
    variance and risk share; the planned pool year by year; and the agreement's value
    projected with its uplift."""
    pool = (
        PooledBudget.objects.select_related("financial_year")
        .filter(agreement=agreement, financial_year_id=quarter.financial_year_id)
        .first()
    )
    section = {"pool": pool, "positions": [], "total": None, "shares": {}, "leaves_out": ""}
    if pool is not None:
        positions = budget_position(pool, quarter)
        if positions:
            section |= _with_total(positions)
    trend_rows = (
        Contribution.objects.filter(pooled_budget__agreement=agreement)
        .values_list("pooled_budget__financial_year__start_year", "partner__short_name", "planned")
        .order_by("pooled_budget__financial_year__start_year", "partner__short_name")
    )
    years: dict[int, dict[str, Decimal]] = {}
    for start_year, partner, planned in trend_rows:
        years.setdefault(start_year, {})[partner] = planned
    section["trend"] = years
    projection = agreement.value_projections.order_by("-base_year_ending").first()
    section["projection"] = projection
    section["projected_years"] = projection.years_to(agreement.end_date) if projection else []
    return section


def _with_total(positions: list[PartnerPosition]) -> dict:
    """The partners' positions with the pool's total. The forecast and variance total the
    partners that have reported a forecast, and `leaves_out` names those that have not: a
    forecast not reported is neither 0 nor the plan. The risk share needs every forecast."""
    planned = {p.partner: p.planned for p in positions}
    reported = [p for p in positions if p.forecast is not None]
    complete = len(reported) == len(positions)
    return {
        "positions": positions,
        "shares": shares.shares(planned) if sum(planned.values()) else {},
        "all_forecast": complete,
        "not_reported": [p.partner for p in positions if p.forecast is None],
        "leaves_out": excludes(p.partner for p in positions if p.forecast is None),
        "total": PartnerPosition(
            partner="Total",
            planned=sum(planned.values(), Decimal(0)),
            forecast=sum((p.forecast for p in reported), Decimal(0)) if reported else None,
            actual_to_date=None,
            as_at=None,
            variance=sum((p.variance for p in reported), Decimal(0)) if reported else None,
            risk_share=sum((p.risk_share for p in positions), Decimal(0)) if complete else None,
        ),
    }


def latest_pool_quarter(agreement) -> Quarter | None:
    """The last quarter with a reported forecast in the latest pooled budget, else its Q4."""
    pool = agreement.pooled_budgets.order_by("-financial_year__start_year").first()
    if pool is None:
        return None
    reported = (
        ContributionOutturn.objects.filter(contribution__pooled_budget=pool)
        .order_by("-quarter__number")
        .values_list("quarter__number", flat=True)
        .first()
    )
    return Quarter.objects.select_related("financial_year").get(
        financial_year_id=pool.financial_year_id, number=reported or 4
    )


def extension_thresholds(agreement) -> list[Threshold]:
    """The approval thresholds for extensions that the agreement's council partners have
    recorded: none means nobody has said what approval an extension needs."""
    councils = AgreementPartner.objects.filter(
        agreement=agreement, organisation__kind="council"
    ).values("organisation")
    return [
        Threshold(row.exceeds, row.approver, row.also_required, row.rule)
        for row in ApprovalThreshold.objects.filter(
            organisation__in=councils, decision_kind=Decision.Kind.EXTENSION
        )
    ]


def extension_approval(
    term: AgreementTerm, cost: Decimal | None = None, thresholds: list[Threshold] | None = None
) -> Threshold | None:
    """The approval that an extension's projected cost requires under the rules of the
    agreement's council partners (the strictest that applies). `cost` and `thresholds`,
    if the caller has them, save reading them again."""
    if thresholds is None:
        thresholds = extension_thresholds(term.agreement)
    return approval_route(term_cost(term) if cost is None else cost, thresholds)


def in_latest_pool_year(contributions):
    """Of these contributions, those in their partnership's latest pool year (the latest
    year that has contributions, of all the partnership's, not only of those given), chosen
    by the database: one probe per partnership rather than every year of every partnership."""

    latest_year = (
        Contribution.objects.filter(pooled_budget__agreement=OuterRef("pooled_budget__agreement"))
        .order_by("-pooled_budget__financial_year__start_year")
        .values("pooled_budget__financial_year__start_year")[:1]
    )
    return contributions.filter(pooled_budget__financial_year__start_year=Subquery(latest_year))


# A budget's contributions with their partners, in the query that reads them.
_CONTRIBUTIONS = Prefetch("contributions", queryset=Contribution.objects.select_related("partner"))


@dataclass(frozen=True)
class YearPlan:
    """One year's pooled budget as the year-by-year list shows it."""

    pool: PooledBudget
    total: Decimal
    planned: dict[int, Decimal]  # by partner (organisation id)
    shares: dict[int, Decimal]  # fractions of the pool, by partner; empty for a £0 pool


def budgets_by_year(agreement) -> list[YearPlan]:
    """Every pooled budget of the agreement, latest year first, with each partner's planned
    contribution and share of the pool (two queries)."""
    plans = []
    for pool in (
        PooledBudget.objects.filter(agreement=agreement)
        .select_related("financial_year")
        .prefetch_related(_CONTRIBUTIONS)
        .order_by("-financial_year__start_year")
    ):
        planned = {c.partner_id: c.planned for c in pool.contributions.all()}
        total = sum(planned.values(), Decimal(0))
        plans.append(YearPlan(pool, total, planned, shares.shares(planned) if total else {}))
    return plans


def budget_for_year(agreement, start_year: int) -> PooledBudget | None:
    """The agreement's pooled budget for a year, with its contributions (two queries)."""
    return (
        PooledBudget.objects.filter(agreement=agreement, financial_year__start_year=start_year)
        .select_related("financial_year")
        .prefetch_related(_CONTRIBUTIONS)
        .first()
    )


def budget_before(agreement, start_year: int) -> PooledBudget | None:
    """The latest budget of a year before this one, with its contributions: what a new
    year's figures start from (two queries)."""
    return (
        PooledBudget.objects.filter(agreement=agreement, financial_year__start_year__lt=start_year)
        .select_related("financial_year")
        .prefetch_related(_CONTRIBUTIONS)
        .order_by("-financial_year__start_year")
        .first()
    )
