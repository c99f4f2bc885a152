"""Each year's funds (a file may give an agreement one fund a year or several), their pots,
the partners' contributions to each pot as set at the start of the year (`original`) and as
revised (`planned`), the partners' agreed percentage shares, the year's revisions (changes to
contributions and virements between pots, with the decision behind them), and the forecast
and actual outturn of each contribution by quarter or month.

A fund given no pots is a fund of one pot of its own name; a contribution given no
original figure was not revised. The file states both figures of a revised contribution,
and the loader checks them: planned must be original plus the year's changes plus
virements in less virements out, to the penny, and a fund's agreed shares must add up to
100.00%."""

from collections import defaultdict
from decimal import Decimal

from budgets.models import (
    AgreedShare,
    BudgetRevision,
    Contribution,
    ContributionOutturn,
    PooledBudget,
    Pot,
    RevisionChange,
    Virement,
)
from partnerships.models import FinancialYear
from seed.demo.common import DemoDataError, money, upsert

DEFAULT_FUND = "Pooled budget"  # the name a fund takes when the file gives none
HUNDRED = Decimal("100.00")


def load_pooled_budgets(stats, agreement, budgets, org, file_name="") -> None:
    for entry in budgets:
        year = FinancialYear.objects.get(start_year=entry["year"])
        name = entry.get("name", DEFAULT_FUND)
        fund = f"{name} {year}"
        pool = upsert(
            stats,
            PooledBudget,
            {"agreement": agreement, "financial_year": year, "name": name},
            {
                "risk_share_rule": entry["risk_share_rule"],
                "position": entry.get("position", 1),
                "scope": entry.get("scope", ""),
            },
        )
        pots = {}
        for index, spec in enumerate(entry.get("pots", [{"name": name}]), start=1):
            pots[spec["name"]] = upsert(
                stats,
                Pot,
                {"pooled_budget": pool, "name": spec["name"]},
                {"arrangement": spec.get("arrangement", "pooled"), "position": index},
            )
        for contribution in entry["contributions"]:
            pot_name = contribution.get("pot", next(iter(pots)))
            where = f"{file_name}, pooled budget {year}, {contribution['partner']}"
            if name != DEFAULT_FUND or len(pots) > 1:
                where = f"{file_name}, {fund}, {pot_name}, {contribution['partner']}"
            if pot_name not in pots:
                raise DemoDataError(f"{where}: no pot {pot_name!r} in the fund.")
            planned = money(contribution["planned"], where)
            original = money(contribution.get("original", contribution["planned"]), where)
            upsert(
                stats,
                Contribution,
                {"pot": pots[pot_name], "partner": org(contribution["partner"], where)},
                {"pooled_budget": pool, "original": original, "planned": planned},
            )
        load_agreed_shares(stats, pool, entry.get("agreed_shares", []), org, f"{file_name}, {fund}")


def load_agreed_shares(stats, pool, shares, org, where) -> None:
    if not shares:
        return
    percents = {share["partner"]: Decimal(share["percent"]) for share in shares}
    total = sum(percents.values())
    if total != HUNDRED:
        raise DemoDataError(f"{where}: the agreed shares add up to {total}%, not 100.00%.")
    for partner, percent in percents.items():
        upsert(
            stats,
            AgreedShare,
            {"pooled_budget": pool, "partner": org(partner, f"{where}, agreed shares")},
            {"percent": percent},
        )


def load_revisions(stats, agreement, revisions, decisions, file_name="") -> None:
    """The year's revisions of each fund; then every contribution of a revised fund is
    checked: its planned figure is its original plus changes plus virements in less out."""
    revised = set()
    for entry in revisions:
        year = FinancialYear.objects.get(start_year=entry["year"])
        fund = entry.get("fund", DEFAULT_FUND)
        where = f"{file_name}, revision of {fund} {year} on {entry['made_on']:%d %B %Y}"
        pool = PooledBudget.objects.filter(
            agreement=agreement, financial_year=year, name=fund
        ).first()
        if pool is None:
            raise DemoDataError(f"{where}: no fund {fund!r} in {year}.")
        if entry.get("decision") is not None and entry["decision"] not in decisions:
            raise DemoDataError(f"{where}: no decision {entry['decision']!r} in the file.")
        revision = upsert(
            stats,
            BudgetRevision,
            {"pooled_budget": pool, "made_on": entry["made_on"]},
            {"reason": entry["reason"], "decision": decisions.get(entry.get("decision"))},
        )
        pots = {pot.name: pot for pot in pool.pots.all()}

        def pot(name, where=where, pots=pots):
            if name not in pots:
                raise DemoDataError(f"{where}: no pot {name!r} in the fund.")
            return pots[name]

        for change in entry.get("changes", []):
            contribution = Contribution.objects.get(
                pot=pot(change.get("pot", next(iter(pots)))),
                partner__short_name=change["partner"],
            )
            upsert(
                stats,
                RevisionChange,
                {"revision": revision, "contribution": contribution},
                {"amount": money(change["amount"], where)},
            )
        for virement in entry.get("virements", []):
            partner = Contribution.objects.filter(
                pooled_budget=pool, partner__short_name=virement["partner"]
            ).first()
            if partner is None:
                raise DemoDataError(f"{where}: {virement['partner']} pays nothing into {fund}.")
            upsert(
                stats,
                Virement,
                {
                    "revision": revision,
                    "partner": partner.partner,
                    "from_pot": pot(virement["from_pot"]),
                    "to_pot": pot(virement["to_pot"]),
                },
                {"amount": money(virement["amount"], where)},
            )
        revised.add(pool)
    for pool in revised:
        check_planned(pool, file_name)


def check_planned(pool, file_name) -> None:
    """Planned is original plus the year's changes plus virements in less virements out."""
    moves = defaultdict(Decimal)
    for change in RevisionChange.objects.filter(revision__pooled_budget=pool):
        moves[change.contribution_id] += change.amount
    by_pot_and_partner = {
        (c.pot_id, c.partner_id): c for c in pool.contributions.select_related("partner", "pot")
    }
    for virement in Virement.objects.filter(revision__pooled_budget=pool):
        for pot_id, sign in ((virement.from_pot_id, -1), (virement.to_pot_id, 1)):
            contribution = by_pot_and_partner.get((pot_id, virement.partner_id))
            if contribution is None:
                raise DemoDataError(
                    f"{file_name}, {pool.name} {pool.financial_year}: a virement moves "
                    f"{virement.partner.short_name}'s money through a pot it pays nothing into."
                )
            moves[contribution.pk] += sign * virement.amount
    for contribution in by_pot_and_partner.values():
        expected = contribution.original + moves[contribution.pk]
        if contribution.planned != expected:
            raise DemoDataError(
                f"{file_name}, {pool.name} {pool.financial_year}, {contribution.pot.name}, "
                f"{contribution.partner.short_name}: planned {contribution.planned} is not "
                f"original {contribution.original} plus the year's revisions, {expected}."
            )


def load_outturns(stats, agreement, outturns, quarters) -> None:
    """Each entry is a quarter's return (at its last month) or a month's position; each
    figure names its fund and pot where the year has several."""
    for entry in outturns:
        year = FinancialYear.objects.get(start_year=entry["year"])
        quarter = quarters[f"{year.label}-Q{entry['quarter']}"]
        month = entry.get("month", entry["quarter"] * 3)
        if not (entry["quarter"] - 1) * 3 < month <= entry["quarter"] * 3:
            raise DemoDataError(
                f"outturn {year} Q{entry['quarter']}: month {month} is not in the quarter."
            )
        for figure in entry["figures"]:
            where = f"outturn {year} Q{entry['quarter']}, {figure['partner']}"
            if "month" in entry:
                where = f"outturn {year} month {month}, {figure['partner']}"
            found = Contribution.objects.filter(
                pooled_budget__agreement=agreement,
                pooled_budget__financial_year=year,
                partner__short_name=figure["partner"],
            )
            if "fund" in figure:
                found = found.filter(pooled_budget__name=figure["fund"])
            if "pot" in figure:
                found = found.filter(pot__name=figure["pot"])
            contribution = found.get()
            actual = figure.get("actual_to_date")
            upsert(
                stats,
                ContributionOutturn,
                {"contribution": contribution, "month": month},
                {
                    "quarter": quarter,
                    "forecast": money(figure["forecast"], where),
                    "actual_to_date": None if actual is None else money(actual, where),
                },
            )
