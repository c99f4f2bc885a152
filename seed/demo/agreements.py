"""One partnership's file: the agreement, its partners, the decisions and the terms they
authorised, its value projection, the partners' approval thresholds and its governance
bodies; then its funds and their revisions, outturns, teams, caseload, review, KPIs and
s117 register, in the order their rows refer to each other."""

from decimal import Decimal

from budgets.models import ValueProjection
from partnerships.models import (
    Agreement,
    AgreementPartner,
    AgreementTerm,
    ApprovalThreshold,
    Decision,
    GovernanceBody,
    Organisation,
)
from seed.demo.common import DemoDataError, money, upsert
from seed.demo.governance import load_kpis, load_review
from seed.demo.pooled_budgets import load_outturns, load_pooled_budgets, load_revisions
from seed.demo.register import load_s117
from seed.demo.teams import (
    load_activity,
    load_activity_years,
    load_caseload,
    load_posts,
    load_teams,
)


def load_partnership(stats, file_name, data, organisations, quarters) -> Agreement:
    """Load one partnership's file. Each step loads rows that later ones name (terms name
    decisions, reviews name bodies, posts name teams), so the order is the file's own."""
    org = organisation_finder(file_name, organisations)
    agreement = load_agreement(stats, data["agreement"])
    load_partners(stats, agreement, data["partner"], org)
    decisions = load_decisions(stats, agreement, data["decision"])
    load_terms(stats, agreement, data["term"], decisions)
    if "value_projection" in data:
        load_value_projection(stats, agreement, data["value_projection"], decisions)
    load_approval_thresholds(stats, file_name, data.get("approval_threshold", []), org)
    bodies = load_governance_bodies(stats, agreement, data["governance_body"])
    load_pooled_budgets(stats, agreement, data.get("pooled_budget", []), org, file_name)
    load_revisions(stats, agreement, data.get("revision", []), decisions, file_name)
    load_outturns(stats, agreement, data.get("outturn", []), quarters)
    teams = load_teams(stats, agreement, data.get("team", []), org)
    load_posts(stats, file_name, data.get("posts", []), teams, org)
    load_caseload(stats, data.get("caseload", []), teams)
    load_activity(stats, data.get("activity", []), teams, quarters)
    load_activity_years(stats, data.get("activity_year", []), teams)
    load_review(stats, agreement, data, bodies)
    load_kpis(stats, agreement, data.get("kpi", []), quarters)
    load_s117(stats, agreement, data, teams, org)
    return agreement


def organisation_finder(file_name: str, organisations: dict[str, Organisation]):
    """org(key, where): the organisation a partnership's file names by its key, or an error
    that names the file and the entry, so a mistyped key is found at once."""

    def org(key: str, where: str) -> Organisation:
        try:
            return organisations[key]
        except KeyError:
            raise DemoDataError(
                f"{file_name}, {where}: no organisation {key!r} in organisations.toml"
            ) from None

    return org


def load_agreement(stats, spec) -> Agreement:
    return upsert(
        stats,
        Agreement,
        {"slug": spec["slug"]},
        {key: value for key, value in spec.items() if key != "slug"},
    )


def load_partners(stats, agreement, partners, org) -> None:
    for partner in partners:
        upsert(
            stats,
            AgreementPartner,
            {"agreement": agreement, "organisation": org(partner["organisation"], "partner")},
            {
                "role": partner["role"],
                "is_host": partner.get("is_host", False),
                "from_date": partner.get("from_date"),
                "to_date": partner.get("to_date"),
            },
        )


def load_decisions(stats, agreement, entries) -> dict[str, Decision]:
    """The decisions by their keys in the file: terms and projections name the decision
    that authorised them."""
    decisions = {}
    for entry in entries:
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
    return decisions


def load_terms(stats, agreement, terms, decisions) -> None:
    for entry in terms:
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


def load_value_projection(stats, agreement, projection, decisions) -> None:
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


def load_approval_thresholds(stats, file_name, thresholds, org) -> None:
    """Each partner's scheme of delegation: a threshold belongs to its organisation, not to
    the agreement, so both files may list the same one."""
    for index, entry in enumerate(thresholds, start=1):
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


def load_governance_bodies(stats, agreement, entries) -> dict[str, GovernanceBody]:
    """The bodies by name: a review names the body that oversees it."""
    bodies = {}
    for entry in entries:
        bodies[entry["name"]] = upsert(
            stats,
            GovernanceBody,
            {"agreement": agreement, "name": entry["name"]},
            {"kind": entry["kind"], "remit": entry["remit"], "active": entry["active"]},
        )
    return bodies
