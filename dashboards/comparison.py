"""One row per partnership, side by side, in a fixed number of grouped queries."""

import datetime
from decimal import Decimal

from django.db.models import Count, OuterRef, Q, Subquery, Sum

from budgets.models import Contribution, Pot
from budgets.selectors import in_latest_pool_year
from caseload import metrics
from caseload.models import CaseloadOverlap, CaseloadSnapshot, StaffPost, Team
from caseload.selectors import posts_in
from core.formatting import excludes, financial_year_label
from partnerships.models import KPI
from partnerships.rag import Direction, rag_status
from partnerships.selectors import with_latest_value
from s117.models import RegisterCount, RegisterEntry

ZERO = Decimal(0)


def comparison_rows(agreements: list, today: datetime.date) -> list[dict]:
    """Each partnership's row: its pool, staffing, caseload, s117 register and KPIs, each
    read for every partnership at once by a function of its own."""
    ids = [a.pk for a in agreements]
    rows = {a.pk: {"agreement": a} for a in agreements}
    _add_pools(rows, ids)
    _add_staffing(rows, ids, today)
    _add_caseload(rows, ids)
    _add_s117(rows, ids, today)
    _add_kpis(rows, ids)
    return [rows[a.pk] for a in agreements]


def _add_pools(rows: dict, ids: list) -> None:
    """The budget of the latest year with contributions, across all the year's funds and
    pots as the budget page totals it, the councils' share of it, how many funds it is, and
    how much of it is aligned (jointly managed, not pooled)."""
    pools: dict[int, dict] = {}
    for agreement_id, year, fund, arrangement, kind, planned in (
        in_latest_pool_year(Contribution.objects.filter(pooled_budget__agreement__in=ids))
        .order_by()
        .values_list(
            "pooled_budget__agreement",
            "pooled_budget__financial_year__start_year",
            "pooled_budget",
            "pot__arrangement",
            "partner__kind",
            "planned",
        )
    ):
        pool = pools.setdefault(agreement_id, {})
        by_kind = pool.setdefault(
            year, {"total": ZERO, "council": ZERO, "aligned": ZERO, "funds": set()}
        )
        by_kind["total"] += planned
        by_kind["funds"].add(fund)
        if kind == "council":
            by_kind["council"] += planned
        if arrangement == Pot.Arrangement.ALIGNED:
            by_kind["aligned"] += planned
    for agreement_id, years in pools.items():
        year = max(years)
        total, council = years[year]["total"], years[year]["council"]
        rows[agreement_id] |= {
            "pool_year": financial_year_label(year),
            "pooled_budget": total,
            "funds": len(years[year]["funds"]),
            "aligned": years[year]["aligned"],
            "council_share": council / total * 100 if total else None,
        }


def _add_staffing(rows: dict, ids: list, today: datetime.date) -> None:
    """Staffing today: WTE and the share of posts vacant."""
    for row in (
        posts_in(ids, today)
        .values("team__agreement")
        .annotate(
            wte=Sum("wte"),
            posts=Count("pk"),
            vacant=Count("pk", filter=Q(basis=StaffPost.Basis.VACANT)),
        )
    ):
        rows[row["team__agreement"]] |= {
            "wte": row["wte"],
            "vacancy_rate": Decimal(row["vacant"]) / row["posts"] * 100 if row["posts"] else None,
        }


def _add_caseload(rows: dict, ids: list) -> None:
    """Caseload per case-holding WTE, at each partnership's latest snapshot, over the teams
    that reported a caseload then: a case-holding team that did not is left out of the
    cases and the WTE alike, and `caseload_leaves_out` says how many such teams there are."""
    latest = _latest_snapshots(ids)
    if not latest:
        return
    # The latest dates are few (most partnerships report on the same days), so the sums
    # are taken at those dates and each partnership keeps its own: one query each, with
    # no condition per partnership (a thousand ORs is past SQLite's expression limit).
    cases = _sum_at_latest(CaseloadSnapshot, "open_cases", ids, latest)
    in_two = _sum_at_latest(CaseloadOverlap, "cases_in_more_than_one_system", ids, latest)
    holding = _case_holding_wte(ids, latest)
    for agreement_id, as_at in latest.items():
        reported = cases.get(agreement_id, {})
        total = sum(reported.values()) - sum(in_two.get(agreement_id, {}).values())
        teams = holding.get(agreement_id, {})
        wte = sum((w for team, w in teams.items() if team in reported), ZERO)
        missing = len(set(teams) - set(reported))
        rows[agreement_id] |= {
            "caseload_at": as_at,
            "caseload": total,
            "per_wte": metrics.caseload_per_wte(total, wte) if wte else None,
            "caseload_leaves_out": excludes([f"{missing} team{'s' if missing > 1 else ''}"])
            if missing
            else "",
        }


def _latest_snapshots(ids: list) -> dict[int, datetime.date]:
    """Each partnership's latest snapshot date. Each team's latest date is one probe of its
    snapshots' index, where the maximum over the partnership's snapshots read every
    snapshot of every team it ever had."""
    latest_snapshot = (
        CaseloadSnapshot.objects.filter(team=OuterRef("pk")).order_by("-as_at").values("as_at")[:1]
    )
    latest: dict[int, datetime.date] = {}
    for agreement_id, as_at in (
        Team.objects.filter(agreement__in=ids)
        .annotate(as_at=Subquery(latest_snapshot))
        .filter(as_at__isnull=False)
        .order_by()
        .values_list("agreement", "as_at")
    ):
        latest[agreement_id] = max(as_at, latest.get(agreement_id, as_at))
    return latest


def _sum_at_latest(model, column: str, ids: list, latest: dict) -> dict[int, dict[int, int]]:
    """The sum of `column` for each team of each partnership at its latest snapshot date,
    by partnership and team."""
    sums: dict[int, dict[int, int]] = {}
    for agreement_id, team_id, as_at, n in (
        model.objects.filter(team__agreement__in=ids, as_at__in=set(latest.values()))
        .values_list("team__agreement", "team", "as_at")
        .annotate(n=Sum(column))
        .order_by()
    ):
        if latest[agreement_id] == as_at:
            sums.setdefault(agreement_id, {})[team_id] = n
    return sums


def _case_holding_wte(ids: list, latest: dict) -> dict[int, dict[int, Decimal]]:
    """The WTE of filled case-holding posts on each partnership's latest snapshot date, by
    partnership and team."""
    holding: dict[int, dict[int, Decimal]] = {}
    for agreement_id, team_id, valid_from, valid_to, left_on, wte in (
        StaffPost.objects.filter(
            team__agreement__in=ids, case_holding=True, valid_from__lte=max(latest.values())
        )
        .exclude(basis=StaffPost.Basis.VACANT)
        .values_list(
            "team__agreement", "team", "valid_from", "valid_to", "team__left_agreement_on", "wte"
        )
    ):
        as_at = latest.get(agreement_id)
        if (
            as_at is not None
            and valid_from <= as_at
            and (valid_to is None or valid_to >= as_at)
            and (left_on is None or left_on > as_at)
        ):
            teams = holding.setdefault(agreement_id, {})
            teams[team_id] = teams.get(team_id, ZERO) + wte
    return holding


def _add_s117(rows: dict, ids: list, today: datetime.date) -> None:
    """s117: entitlements open today plus the latest totals of teams that report only totals."""
    open_now = dict(
        RegisterEntry.objects.filter(
            Q(ended_on__isnull=True) | Q(ended_on__gt=today),
            agreement__in=ids,
            discharged_on__lte=today,
        )
        .values_list("agreement")
        .annotate(n=Count("pk"))
        .order_by()
    )
    latest_count = (
        RegisterCount.objects.filter(team=OuterRef("team"), as_at__lte=today)
        .order_by("-as_at")
        .values("as_at")[:1]
    )
    reported = dict(
        RegisterCount.objects.filter(team__agreement__in=ids, as_at=Subquery(latest_count))
        .values_list("team__agreement")
        .annotate(n=Sum("people"))
        .order_by()
    )
    for agreement_id in ids:
        if agreement_id in open_now or agreement_id in reported:
            rows[agreement_id]["s117"] = open_now.get(agreement_id, 0) + reported.get(
                agreement_id, 0
            )


def _add_kpis(rows: dict, ids: list) -> None:
    """KPIs: how many are red, amber and green at their latest values, and how many have
    no value reported (no colour, rather than counted as any of them), and how many have
    a value but no target to rate it against."""
    for agreement_id, value, target, amber, direction in (
        with_latest_value(KPI.objects.filter(agreement__in=ids))
        .order_by()
        .values_list("agreement", "latest_value", "target", "amber_threshold", "direction")
    ):
        counts = rows[agreement_id].setdefault(
            "rag", {"red": 0, "amber": 0, "green": 0, "not reported": 0, "no target": 0}
        )
        if value is None:
            counts["not reported"] += 1
            continue
        if target is None:
            counts["no target"] += 1
            continue
        rag = rag_status(
            value, target=target, amber_threshold=amber, direction=Direction(direction)
        )
        counts[rag.value] += 1
    for row in rows.values():
        row["kpis"] = _kpi_counts(row.get("rag"))


def _kpi_counts(rag: dict | None) -> str | None:
    if not rag:
        return None
    said = f"{rag['red']} red, {rag['amber']} amber, {rag['green']} green"
    if rag["no target"]:
        said += f", {rag['no target']} with no target"
    return f"{said}, {rag['not reported']} not reported" if rag["not reported"] else said
