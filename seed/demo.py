"""Loads the two seed partnerships from the commented source data in fixtures/demo/.

Every figure goes in as source data (contributions, posts, snapshots, counts, decisions);
nothing computed is stored. Loading is idempotent: rows are matched on their natural keys
and saved only when something differs, so a second load writes no history.
"""

import datetime
import tomllib
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.conf import settings
from django.db import models, transaction

from budgets.models import Contribution, ContributionOutturn, PooledBudget, ValueProjection
from caseload.models import (
    CareActActivity,
    CaseloadOverlap,
    CaseloadSnapshot,
    SourceSystem,
    StaffPost,
    Team,
)
from core.periods import parse_period
from partnerships.models import (
    KPI,
    Agreement,
    AgreementPartner,
    AgreementTerm,
    ApprovalThreshold,
    Decision,
    FinancialYear,
    GovernanceBody,
    KPIValue,
    Organisation,
    ProgressNote,
    Quarter,
    Recommendation,
    Review,
)
from s117.models import RegisterCount, RegisterEntry
from s117.models import Review as S117Review

DEMO_DIR = Path(settings.BASE_DIR) / "fixtures" / "demo"
PARTNERSHIP_FILES = ("oxfordshire.toml", "bromley.toml")
DEMO_SLUGS = ("oxfordshire-mh-social-work", "bromley-oxleas-mh")
FIRST_YEAR, LAST_YEAR = 2017, 2026  # financial years the demo needs, 2017/18 to 2026/27
# Establishment post numbers read like "CMHT-SW-03".
ROLE_CODES = {
    "head": "HD",
    "manager": "TM",
    "senior": "SP",
    "social_worker": "SW",
    "amhp": "AMHP",
    "support": "SUP",
    "admin": "ADM",
}


class DemoDataError(Exception):
    """The demo source files are inconsistent; the message names the file and the entry."""


@dataclass
class Stats:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    by_model: dict[str, int] = field(default_factory=dict)


def upsert(stats: Stats, model: type[models.Model], lookup: dict, values: dict) -> models.Model:
    """Create the row, or update it only where a value differs."""
    obj = model.objects.filter(**lookup).first()
    name = model._meta.verbose_name_plural
    stats.by_model[name] = stats.by_model.get(name, 0) + 1
    if obj is None:
        obj = model(**lookup, **values)
        obj.full_clean(validate_unique=False, validate_constraints=False)
        obj.save()
        stats.created += 1
        return obj
    changed = [key for key, value in values.items() if getattr(obj, key) != value]
    if changed:
        for key in changed:
            setattr(obj, key, values[key])
        obj.full_clean(validate_unique=False, validate_constraints=False)
        obj.save(update_fields=changed)
        stats.updated += 1
    else:
        stats.unchanged += 1
    return obj


def money(value, where: str) -> Decimal:
    """Money is written as a string in the source files, so it never passes through a float."""
    if not isinstance(value, str):
        raise DemoDataError(f'{where}: money must be a quoted string such as "1800000.00".')
    try:
        return Decimal(value)
    except InvalidOperation:
        raise DemoDataError(f"{where}: {value!r} is not an amount of money.") from None


def read(name: str) -> dict:
    path = DEMO_DIR / name
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as error:
        raise DemoDataError(f"{path}: {error}") from None


@transaction.atomic
def load(stats: Stats | None = None) -> Stats:
    stats = stats or Stats()
    years = ensure_financial_years(stats, FIRST_YEAR, LAST_YEAR)
    organisations = load_organisations(stats, read("organisations.toml"))
    for name in PARTNERSHIP_FILES:
        load_partnership(stats, name, read(name), organisations, years)
    return stats


def ensure_financial_years(stats: Stats, first: int, last: int) -> dict[str, Quarter]:
    quarters = {}
    for start_year in range(first, last + 1):
        year = upsert(stats, FinancialYear, {"start_year": start_year}, {})
        for number in (1, 2, 3, 4):
            quarter = upsert(stats, Quarter, {"financial_year": year, "number": number}, {})
            quarters[f"{year.label}-Q{number}"] = quarter
    return quarters


def load_organisations(stats: Stats, data: dict) -> dict[str, Organisation]:
    organisations: dict[str, Organisation] = {}
    for entry in data["organisation"]:
        successor = entry.get("successor")
        if successor is not None and successor not in organisations:
            raise DemoDataError(
                f"organisations.toml, {entry['key']}: list its successor {successor!r} before it."
            )
        organisations[entry["key"]] = upsert(
            stats,
            Organisation,
            {"name": entry["name"]},
            {
                "short_name": entry["key"],
                "kind": entry["kind"],
                "ods_code": entry.get("ods_code", ""),
                "gss_code": entry.get("gss_code", ""),
                "successor": organisations.get(successor),
            },
        )
    for entry in data["source_system"]:
        upsert(
            stats,
            SourceSystem,
            {"code": entry["code"]},
            {"name": entry["name"], "operated_by": organisations[entry["operated_by"]]},
        )
    return organisations


def load_partnership(stats, file_name, data, organisations, quarters) -> Agreement:
    def org(key: str, where: str) -> Organisation:
        try:
            return organisations[key]
        except KeyError:
            raise DemoDataError(
                f"{file_name}, {where}: no organisation {key!r} in organisations.toml"
            ) from None

    spec = data["agreement"]
    agreement = upsert(
        stats,
        Agreement,
        {"slug": spec["slug"]},
        {key: value for key, value in spec.items() if key != "slug"},
    )
    for partner in data["partner"]:
        upsert(
            stats,
            AgreementPartner,
            {"agreement": agreement, "organisation": org(partner["organisation"], "partner")},
            {"role": partner["role"], "is_host": partner.get("is_host", False)},
        )
    decisions = {}
    for entry in data["decision"]:
        where = f"decision {entry['key']}"
        decisions[entry["key"]] = upsert(
            stats,
            Decision,
            {"agreement": agreement, "kind": entry["kind"], "decided_on": entry["decided_on"]},
            {
                "body": entry["body"],
                "reference": entry.get("reference", ""),
                "summary": entry["summary"],
                "value": money(entry["value"], where) if "value" in entry else None,
            },
        )
    for entry in data["term"]:
        upsert(
            stats,
            AgreementTerm,
            {"agreement": agreement, "start_date": entry["start_date"]},
            {
                "kind": entry["kind"],
                "end_date": entry["end_date"],
                "authorised_by": decisions[entry["authorised_by"]],
            },
        )
    if "value_projection" in data:
        projection = data["value_projection"]
        upsert(
            stats,
            ValueProjection,
            {"agreement": agreement, "base_year_ending": projection["base_year_ending"]},
            {
                "base_value": money(projection["base_value"], "value_projection"),
                "uplift_rate": Decimal(projection["uplift_rate"]),
                "uplift_basis": projection.get("uplift_basis", ""),
                "decision": decisions.get(projection.get("decision")),
            },
        )
    for index, entry in enumerate(data.get("approval_threshold", []), start=1):
        where = f"{file_name}, approval threshold {index}"
        upsert(
            stats,
            ApprovalThreshold,
            {
                "organisation": org(entry["organisation"], where),
                "decision_kind": entry["decision_kind"],
                "exceeds": money(entry["exceeds"], where),
            },
            {
                "approver": entry["approver"],
                "also_required": entry.get("also_required", ""),
                "rule": entry.get("rule", ""),
            },
        )
    bodies = {}
    for entry in data["governance_body"]:
        bodies[entry["name"]] = upsert(
            stats,
            GovernanceBody,
            {"agreement": agreement, "name": entry["name"]},
            {"kind": entry["kind"], "remit": entry["remit"], "active": entry["active"]},
        )
    load_pooled_budgets(stats, agreement, data.get("pooled_budget", []), org)
    load_outturns(stats, agreement, data.get("outturn", []), quarters)
    teams = load_teams(stats, agreement, data.get("team", []), org)
    load_posts(stats, file_name, data.get("posts", []), teams, org)
    load_caseload(stats, data.get("caseload", []), teams)
    load_activity(stats, data.get("activity", []), teams, quarters)
    load_review(stats, agreement, data, bodies)
    load_kpis(stats, agreement, data.get("kpi", []), quarters)
    load_s117(stats, agreement, data, teams, org)
    return agreement


def load_pooled_budgets(stats, agreement, budgets, org) -> None:
    for entry in budgets:
        year = FinancialYear.objects.get(start_year=entry["year"])
        pool = upsert(
            stats,
            PooledBudget,
            {"agreement": agreement, "financial_year": year},
            {"risk_share_rule": entry["risk_share_rule"], "scope": entry.get("scope", "")},
        )
        for contribution in entry["contributions"]:
            where = f"pooled budget {year}, {contribution['partner']}"
            upsert(
                stats,
                Contribution,
                {"pooled_budget": pool, "partner": org(contribution["partner"], where)},
                {"planned": money(contribution["planned"], where)},
            )


def load_outturns(stats, agreement, outturns, quarters) -> None:
    for entry in outturns:
        year = FinancialYear.objects.get(start_year=entry["year"])
        quarter = quarters[f"{year.label}-Q{entry['quarter']}"]
        for figure in entry["figures"]:
            where = f"outturn {year} Q{entry['quarter']}, {figure['partner']}"
            contribution = Contribution.objects.get(
                pooled_budget__agreement=agreement,
                pooled_budget__financial_year=year,
                partner__short_name=figure["partner"],
            )
            upsert(
                stats,
                ContributionOutturn,
                {"contribution": contribution, "quarter": quarter},
                {
                    "forecast": money(figure["forecast"], where),
                    "actual_to_date": money(figure["actual_to_date"], where),
                },
            )


def load_teams(stats, agreement, teams, org) -> dict[str, Team]:
    loaded = {}
    for entry in teams:
        establishment = entry.get("establishment_wte")
        loaded[entry["code"]] = upsert(
            stats,
            Team,
            {"agreement": agreement, "name": entry["name"]},
            {
                "kind": entry["kind"],
                "locality": entry.get("locality", ""),
                "operated_by": org(entry["operated_by"], f"team {entry['code']}"),
                "establishment_wte": Decimal(establishment) if establishment else None,
                "left_agreement_on": entry.get("left_agreement_on"),
                "left_agreement_note": entry.get("left_agreement_note", ""),
            },
        )
    return loaded


def load_posts(stats, file_name, groups, teams, org) -> None:
    """Each group lists the WTE of posts alike but for their hours; references are numbered."""
    numbers: dict[tuple[str, str], int] = {}
    for index, group in enumerate(groups, start=1):
        where = f"{file_name}, posts group {index}"
        team = teams[group["team"]]
        for wte in group["wte"]:
            if not isinstance(wte, str):
                raise DemoDataError(f'{where}: write WTE as a quoted string such as "0.80".')
            key = (group["team"], group["role"])
            numbers[key] = numbers.get(key, 0) + 1
            reference = f"{group['team']}-{ROLE_CODES[group['role']]}-{numbers[key]:02d}"
            upsert(
                stats,
                StaffPost,
                {"team": team, "reference": reference},
                {
                    "role": group["role"],
                    "wte": Decimal(wte),
                    "case_holding": group.get("case_holding", True),
                    "funder": org(group["funder"], where),
                    "employer": org(group["employer"], where) if "employer" in group else None,
                    "basis": group["basis"],
                    "origin": group["origin"],
                    "valid_from": group["valid_from"],
                    "valid_to": group.get("valid_to"),
                },
            )


def load_caseload(stats, snapshots, teams) -> None:
    systems = {system.code: system for system in SourceSystem.objects.all()}
    for snapshot in snapshots:
        for row in snapshot["counts"]:
            for code, system in systems.items():
                if code in row:
                    upsert(
                        stats,
                        CaseloadSnapshot,
                        {
                            "team": teams[row["team"]],
                            "source_system": system,
                            "as_at": snapshot["as_at"],
                        },
                        {"open_cases": row[code]},
                    )
            if "in_both" in row:
                upsert(
                    stats,
                    CaseloadOverlap,
                    {"team": teams[row["team"]], "as_at": snapshot["as_at"]},
                    {"cases_in_more_than_one_system": row["in_both"]},
                )


def load_activity(stats, activity, teams, quarters) -> None:
    for entry in activity:
        year = FinancialYear.objects.get(start_year=entry["year"])
        for number in (1, 2, 3, 4):
            upsert(
                stats,
                CareActActivity,
                {"team": teams[entry["team"]], "quarter": quarters[f"{year.label}-Q{number}"]},
                {count: entry[count][number - 1] for count in CareActActivity.COUNTS},
            )


def load_review(stats, agreement, data, bodies) -> None:
    if "review" not in data:
        return
    spec = data["review"]
    review = upsert(
        stats,
        Review,
        {"agreement": agreement, "title": spec["title"]},
        {
            "carried_out": spec["carried_out"],
            "reported_to": spec.get("reported_to", ""),
            "reference": spec.get("reference", ""),
            "overseen_by": bodies.get(spec.get("overseen_by")),
        },
    )
    for entry in data["recommendation"]:
        recommendation = upsert(
            stats,
            Recommendation,
            {"review": review, "reference": entry["reference"]},
            {
                "text": entry["text"],
                "owner": entry["owner"],
                "due_date": entry.get("due_date"),
                "status": entry["status"],
                "completed_on": entry.get("completed_on"),
            },
        )
        if "note" in entry:
            upsert(
                stats,
                ProgressNote,
                {"recommendation": recommendation, "written_on": datetime.date(2023, 10, 31)},
                {"note": entry["note"], "status_after": entry["status"]},
            )


def load_kpis(stats, agreement, kpis, quarters) -> None:
    for entry in kpis:
        where = f"KPI {entry['code']}"
        kpi = upsert(
            stats,
            KPI,
            {"agreement": agreement, "code": entry["code"]},
            {
                "name": entry["name"],
                "definition": entry["definition"],
                "unit": entry["unit"],
                "direction": entry["direction"],
                "target": Decimal(entry["target"]),
                "amber_threshold": Decimal(entry["amber_threshold"]),
            },
        )
        for period, value in entry["values"].items():
            parse_period(period)  # a clear error for a mistyped period
            if period not in quarters:
                raise DemoDataError(f"{where}: {period} is outside the demo's financial years.")
            upsert(
                stats,
                KPIValue,
                {"kpi": kpi, "quarter": quarters[period]},
                {"value": Decimal(value)},
            )


def load_s117(stats, agreement, data, teams, org) -> None:
    for entry in data.get("s117_count", []):
        upsert(
            stats,
            RegisterCount,
            {"team": teams[entry["team"]], "as_at": entry["as_at"]},
            {"people": entry["people"], "source": entry.get("source", "")},
        )
    if "s117" not in data:
        return
    spec = data["s117"]
    for entry in spec["entries"]:
        person = upsert(
            stats,
            RegisterEntry,
            {"agreement": agreement, "person_reference": entry["ref"]},
            {
                "nhs_number": entry["nhs_number"],
                "full_name": entry["name"],
                "date_of_birth": entry["date_of_birth"],
                "qualifying_section": entry["section"],
                "detained_on": entry["detained_on"],
                "discharged_on": entry.get("discharged_on"),
                "responsible_council": org(spec["responsible_council"], "s117"),
                "responsible_icb": org(spec["responsible_icb"], "s117"),
                "team": teams[spec["team"]],
                "council_share_percent": Decimal(entry["council_share"]),
                "review_due": entry.get("review_due"),
                "last_reviewed": entry.get("last_reviewed"),
                "cto_in_force": entry.get("cto", False),
                "ended_on": entry.get("ended_on"),
                "end_agreed_by_council_on": entry.get("end_agreed_by_council_on"),
                "end_agreed_by_icb_on": entry.get("end_agreed_by_icb_on"),
                "end_reason": entry.get("end_reason", ""),
            },
        )
        if "last_reviewed" in entry:
            upsert(
                stats,
                S117Review,
                {"entry": person, "reviewed_on": entry["last_reviewed"]},
                {"outcome": "continue", "next_review_due": entry.get("review_due")},
            )
