"""Reads of pooled budgets and agreement values, computed from stored contributions."""

from dataclasses import dataclass, replace
from decimal import Decimal

from django.db.models import OuterRef, Prefetch, Subquery, Sum

from budgets import shares
from budgets.models import (
    AgreedShare,
    BudgetRevision,
    Contribution,
    ContributionOutturn,
    PooledBudget,
    RevisionChange,
    Virement,
)
from budgets.uplift import YearValue, years_ending_within
from core.formatting import excludes, listed, month_label, percent
from partnerships.approvals import Threshold, approval_route
from partnerships.models import (
    AgreementPartner,
    AgreementTerm,
    ApprovalThreshold,
    Decision,
    Quarter,
)


def planned_by_partner(pooled_budget: PooledBudget) -> dict[str, Decimal]:
    """A fund's planned (revised) contributions keyed by the partner's short name, each
    partner's pots added together, in one query."""
    return dict(
        Contribution.objects.filter(pooled_budget=pooled_budget)
        .values_list("partner__short_name")
        .annotate(total=Sum("planned"))
        .order_by("partner__short_name")
        .values_list("partner__short_name", "total")
    )


def pool_total(pooled_budget: PooledBudget) -> Decimal:
    total = Contribution.objects.filter(pooled_budget=pooled_budget).aggregate(
        total=Sum("planned")
    )["total"]
    return total or Decimal(0)


def partner_shares(pooled_budget: PooledBudget) -> dict[str, Decimal]:
    """Each partner's planned contribution as a fraction of the fund."""
    return shares.shares(planned_by_partner(pooled_budget))


@dataclass(frozen=True)
class PartnerPosition:
    partner: str
    planned: Decimal  # the budget as it stands, after the year's revisions
    forecast: Decimal | None  # None: no forecast reported yet this year
    actual_to_date: Decimal | None
    as_at: str | None  # the quarter or month the forecast was reported at
    variance: Decimal | None
    risk_share: Decimal | None
    original: Decimal | None = None  # the budget as set at the start of the year
    month: int | None = None  # the month of the year of the forecast (1 is April)
    behind: bool = False  # reported, but at an earlier month than the fund's position


@dataclass(frozen=True)
class PotPosition:
    pot: object
    positions: list[PartnerPosition]
    total: PartnerPosition


@dataclass(frozen=True)
class FundPosition:
    """One fund's position as at a month: its pots, each partner's part of the whole fund,
    the total, and what the total leaves out."""

    fund: PooledBudget
    pots: list[PotPosition]
    positions: list[PartnerPosition]
    total: PartnerPosition
    shares: dict[str, Decimal]  # derived from the revised budget, fractions
    agreed_shares: dict[str, Decimal]  # as the partners agreed them, percentages
    month: int | None  # the fund's position: the latest month any partner reported at
    as_at: str | None
    not_reported: list[str]
    behind: list[str]  # reported, but only at an earlier month
    leaves_out: str
    revisions: list


def _latest_outturns(outturns: list[dict], last_month: int) -> dict[int, dict]:
    """Each contribution's latest forecast reported in its year up to `last_month`, of
    its outturns in month order."""
    latest: dict[int, dict] = {}
    for row in outturns:
        if row["month"] <= last_month:
            latest[row["contribution_id"]] = row  # later months overwrite
    return latest


@dataclass(frozen=True)
class FundRows:
    """What the positions of a year's funds are worked out from, read once (five queries)
    for every quarter and month of the year."""

    funds: list
    contributions: list
    outturns: list[dict]  # in month order
    agreed: dict[int, dict[str, Decimal]]
    revisions: dict[int, list]


def read_funds(funds) -> FundRows:
    funds = list(funds)
    contributions = list(
        Contribution.objects.filter(pooled_budget__in=funds)
        .select_related("partner", "pot")
        .order_by("pot__position", "pot__name", "partner__short_name")
    )
    outturns = list(
        ContributionOutturn.objects.filter(contribution__pooled_budget__in=funds)
        .order_by("month")
        .values("contribution_id", "forecast", "actual_to_date", "month")
    )
    agreed: dict[int, dict[str, Decimal]] = {}
    for share in AgreedShare.objects.filter(pooled_budget__in=funds).select_related("partner"):
        agreed.setdefault(share.pooled_budget_id, {})[share.partner.short_name] = share.percent
    revisions: dict[int, list] = {}
    for revision in (
        BudgetRevision.objects.filter(pooled_budget__in=funds)
        .select_related("decision")
        .prefetch_related(
            Prefetch(
                "changes",
                queryset=RevisionChange.objects.select_related(
                    "contribution__partner", "contribution__pot"
                ),
            ),
            Prefetch(
                "virements",
                queryset=Virement.objects.select_related("partner", "from_pot", "to_pot"),
            ),
        )
    ):
        revisions.setdefault(revision.pooled_budget_id, []).append(revision)
    return FundRows(funds, contributions, outturns, agreed, revisions)


def _sum(values) -> Decimal | None:
    values = list(values)
    if not values or any(value is None for value in values):
        return None
    return sum(values, Decimal(0))


def _partner_position(partner, contributions, latest, start_year, fund_month=None):
    """A partner's part of a fund or a pot, from its contributions (one per pot): reported
    when every one of them has a forecast, at the earliest of their months."""
    rows = [latest.get(c.pk) for c in contributions]
    planned = sum((c.planned for c in contributions), Decimal(0))
    original = sum((c.original for c in contributions), Decimal(0))
    if any(row is None for row in rows):
        return PartnerPosition(partner, planned, None, None, None, None, None, original)
    month = min(row["month"] for row in rows)
    forecast = sum((row["forecast"] for row in rows), Decimal(0))
    return PartnerPosition(
        partner=partner,
        planned=planned,
        forecast=forecast,
        actual_to_date=_sum(row["actual_to_date"] for row in rows),
        as_at=month_label(start_year, month),
        variance=shares.variance(planned, forecast),
        risk_share=None,
        original=original,
        month=month,
        behind=fund_month is not None and month < fund_month,
    )


def _total(positions: list[PartnerPosition], name="Total") -> PartnerPosition:
    """The total of partners' positions: forecast and variance of those reported at the
    latest month (a forecast not reported, or reported only earlier, is left out and named,
    never counted as 0, the plan or an older figure), the risk share once every partner
    is in."""
    current = [p for p in positions if p.forecast is not None and not p.behind]
    complete = len(current) == len(positions)
    return PartnerPosition(
        partner=name,
        planned=sum((p.planned for p in positions), Decimal(0)),
        forecast=sum((p.forecast for p in current), Decimal(0)) if current else None,
        actual_to_date=None,
        as_at=None,
        variance=sum((p.variance for p in current), Decimal(0)) if current else None,
        risk_share=sum((p.risk_share for p in positions), Decimal(0))
        if complete and all(p.risk_share is not None for p in positions)
        else None,
        original=sum((p.original or Decimal(0) for p in positions), Decimal(0)),
    )


def _leaves_out(positions: list[PartnerPosition], start_year: int, month: int | None) -> str:
    missing = [p.partner for p in positions if p.forecast is None]
    behind = [p for p in positions if p.behind]
    parts = []
    if missing:
        parts.append(excludes(missing))
    if behind:
        at = month_label(start_year, month)
        parts.append(
            ("excludes " if not missing else "and ")
            + listed(f"{p.partner} (last reported at {p.as_at})" for p in behind)
            + f": not yet reported at {at}"
        )
    return "; ".join(parts)


def fund_positions(
    funds, quarter: Quarter, month: int | None = None, rows: FundRows | None = None
) -> list[FundPosition]:
    """Each fund's position as at a quarter's end (or an earlier month of its year), its
    pots and each partner's part of it, from the funds' rows (`rows`, if already read)."""
    funds = list(funds)
    if not funds:
        return []
    rows = rows or read_funds(funds)
    latest = _latest_outturns(rows.outturns, month or quarter.number * 3)
    found = []
    for fund in funds:
        mine = [c for c in rows.contributions if c.pooled_budget_id == fund.pk]
        found.append(_fund_position(fund, mine, latest, rows.agreed, rows.revisions))
    return found


def _fund_position(fund, contributions, latest, agreed, revisions) -> FundPosition:
    start_year = fund.financial_year.start_year
    reported = [latest[c.pk]["month"] for c in contributions if c.pk in latest]
    month = max(reported, default=None)
    partners: dict[str, list] = {}
    pots: dict[int, tuple] = {}
    for c in contributions:
        partners.setdefault(c.partner.short_name, []).append(c)
        pots.setdefault(c.pot_id, (c.pot, []))[1].append(c)
    positions = [
        _partner_position(name, mine, latest, start_year, month)
        for name, mine in sorted(partners.items())
    ]
    positions = _with_risk_share(fund, positions, contributions, agreed.get(fund.pk, {}))
    pot_positions = []
    for pot, mine in sorted(pots.values(), key=lambda item: (item[0].position, item[0].name)):
        rows = [
            _partner_position(c.partner.short_name, [c], latest, start_year, month) for c in mine
        ]
        pot_positions.append(PotPosition(pot, rows, _total(rows, name=f"Total {pot.name}")))
    planned = {p.partner: p.planned for p in positions}
    return FundPosition(
        fund=fund,
        pots=pot_positions,
        positions=positions,
        total=_total(positions),
        shares=shares.shares(planned) if sum(planned.values(), Decimal(0)) else {},
        agreed_shares=agreed.get(fund.pk, {}),
        month=month,
        as_at=month_label(start_year, month) if month else None,
        not_reported=[p.partner for p in positions if p.forecast is None],
        behind=[p.partner for p in positions if p.behind],
        leaves_out=_leaves_out(positions, start_year, month),
        revisions=revisions.get(fund.pk, []),
    )


def _with_risk_share(
    fund, positions: list[PartnerPosition], contributions, agreed_shares: dict
) -> list:
    """Each partner's part of the fund's variance under its rule, once every partner has
    a forecast at the same month; until then left blank rather than guessed. Under fixed
    percentages, a partner's is the one on its contributions, or else its agreed share of
    the fund."""
    if not positions or any(p.forecast is None or p.behind for p in positions):
        return positions
    planned = {p.partner: p.planned for p in positions}
    forecast = {p.partner: p.forecast for p in positions}
    fixed = None
    if fund.risk_share_rule == shares.RiskShareRule.FIXED:
        fixed = dict(agreed_shares)
        for c in contributions:  # a partner's fixed share is the one on its contributions
            if c.risk_share_percent is not None:
                fixed[c.partner.short_name] = c.risk_share_percent
    try:
        risk = shares.risk_share(
            shares.RiskShareRule(fund.risk_share_rule),
            planned=planned,
            forecast=forecast,
            fixed_percent=fixed,
        )
    except ValueError:  # fixed shares not recorded for every partner, or a £0 pool
        return positions
    return [replace(p, risk_share=risk[p.partner]) for p in positions]


def budget_position(pooled_budget: PooledBudget, quarter: Quarter) -> list[PartnerPosition]:
    """Each partner's plan in a fund and its latest forecast and spend reported in the
    year up to the chosen quarter."""
    return fund_positions([pooled_budget], quarter)[0].positions


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


def budget_section(agreement, quarter: Quarter, month: int | None = None) -> dict:
    """The agreement's funds as at a quarter (or a month of its year): each fund with its
    pots, each partner's plan, forecast, actual, share, variance and risk share; the
    partners' positions across every fund; the planned funds year by year; and the
    agreement's value projected with its uplift."""
    funds = list(
        PooledBudget.objects.select_related("financial_year")
        .filter(agreement=agreement, financial_year_id=quarter.financial_year_id)
        .order_by("position", "name")
    )
    rows = read_funds(funds) if funds else None
    found = fund_positions(funds, quarter, month, rows=rows)
    section = {
        "rows": rows,
        "pool": funds[0] if funds else None,
        "funds": found,
        "several": len(found) > 1,
        "positions": [],
        "total": None,
        "shares": {},
        "leaves_out": "",
        "not_reported": [],
    }
    if found and any(f.positions for f in found):
        section |= _across(found, quarter.financial_year.start_year)
    trend_rows = (
        Contribution.objects.filter(pooled_budget__agreement=agreement)
        .values_list("pooled_budget__financial_year__start_year", "partner__short_name")
        .annotate(total=Sum("planned"))
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


def _across(funds: list[FundPosition], start_year: int) -> dict:
    """The partners' positions across every fund of the year. With one fund, that fund's.
    With several, a partner's forecast is known once it is known in every fund it is in."""
    if len(funds) == 1:
        fund = funds[0]
        return {
            "positions": fund.positions,
            "total": fund.total,
            "shares": fund.shares,
            "agreed_shares": fund.agreed_shares,
            "all_forecast": not fund.not_reported and not fund.behind,
            "not_reported": fund.not_reported,
            "behind": fund.behind,
            "leaves_out": fund.leaves_out,
            "as_at": fund.as_at,
        }
    month = max((f.month for f in funds if f.month), default=None)
    by_partner: dict[str, list[PartnerPosition]] = {}
    for fund in funds:
        for p in fund.positions:
            by_partner.setdefault(p.partner, []).append(p)
    positions = []
    for partner, parts in sorted(by_partner.items()):
        planned = sum((p.planned for p in parts), Decimal(0))
        known = all(p.forecast is not None for p in parts)
        months = {p.month for p in parts}
        forecast = sum((p.forecast for p in parts), Decimal(0)) if known else None
        at = min(months) if known else None
        positions.append(
            PartnerPosition(
                partner=partner,
                planned=planned,
                forecast=forecast,
                actual_to_date=_sum(p.actual_to_date for p in parts) if known else None,
                as_at=month_label(start_year, at) if at else None,
                variance=shares.variance(planned, forecast) if known else None,
                risk_share=_sum(p.risk_share for p in parts),
                original=sum((p.original or Decimal(0) for p in parts), Decimal(0)),
                month=at,
                behind=known and month is not None and at < month,
            )
        )
    planned = {p.partner: p.planned for p in positions}
    return {
        "positions": positions,
        "total": _total(positions, name="Total, all funds"),
        "shares": shares.shares(planned) if sum(planned.values(), Decimal(0)) else {},
        "agreed_shares": {},
        "all_forecast": all(p.forecast is not None and not p.behind for p in positions),
        "not_reported": [p.partner for p in positions if p.forecast is None],
        "behind": [p.partner for p in positions if p.behind],
        "leaves_out": _leaves_out(positions, start_year, month),
        "as_at": month_label(start_year, month) if month else None,
    }


def quarters_of_funds(section: dict, quarter: Quarter) -> dict[int, list[dict]]:
    """Each fund of the section's year, keyed by its id, at each quarter of the year up to
    this one: its budget, the forecast outturn and spend to date reported by then, and what
    the forecast leaves out, from the rows the section read (no more queries)."""
    rows = section.get("rows")
    if rows is None:
        return {}
    found: dict[int, list[dict]] = {}
    for number in range(1, quarter.number + 1):
        for fund in fund_positions(rows.funds, quarter, month=number * 3, rows=rows):
            current = [p for p in fund.positions if p.forecast is not None and not p.behind]
            spent = [p.actual_to_date for p in current]
            found.setdefault(fund.fund.pk, []).append(
                {
                    "quarter": f"Q{number}",
                    "planned": fund.total.planned,
                    "forecast": fund.total.forecast,
                    "actual_to_date": _sum(spent) if spent else None,
                    "note": fund.leaves_out,
                }
            )
    return found


def latest_pool_quarter(agreement) -> Quarter | None:
    """The last quarter with a reported forecast in the latest year of the agreement's
    funds, else that year's Q4."""
    pool = agreement.pooled_budgets.order_by("-financial_year__start_year").first()
    if pool is None:
        return None
    reported = (
        ContributionOutturn.objects.filter(
            contribution__pooled_budget__agreement=agreement,
            contribution__pooled_budget__financial_year_id=pool.financial_year_id,
        )
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

    @property
    def single_pot(self) -> bool:
        return len(self.pool.pots.all()) <= 1


def budgets_by_year(agreement) -> list[YearPlan]:
    """Every fund of the agreement, latest year first (a year's funds in their order), with
    each partner's planned contribution (its pots added together) and share of the fund
    (two queries)."""
    plans = []
    for pool in (
        PooledBudget.objects.filter(agreement=agreement)
        .select_related("financial_year")
        .prefetch_related(_CONTRIBUTIONS, "pots")
        .order_by("-financial_year__start_year", "position", "name")
    ):
        planned: dict[int, Decimal] = {}
        for c in pool.contributions.all():
            planned[c.partner_id] = planned.get(c.partner_id, Decimal(0)) + c.planned
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
