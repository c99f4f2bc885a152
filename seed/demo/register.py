"""The s117 register: the teams' reported counts, and the entries of people on it, each with
its last review."""

from decimal import Decimal

from s117.models import AftercarePackage, FundingDecision, RegisterCount, RegisterEntry
from s117.models import Review as S117Review
from seed.demo.common import upsert


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
                "primary_support_reason": entry.get("reason", ""),
            },
        )
        for package in entry.get("packages", []):
            _load_package(stats, person, package)
        if "last_reviewed" in entry:
            upsert(
                stats,
                S117Review,
                {"entry": person, "reviewed_on": entry["last_reviewed"]},
                {"outcome": "continue", "next_review_due": entry.get("review_due")},
            )


def _load_package(stats, person, package) -> None:
    """An aftercare package of the person's, with its panel decisions (illustrative)."""
    cost = {
        "weekly_cost": Decimal(package["weekly"]) if "weekly" in package else None,
        "annual_cost": Decimal(package["annual"]) if "annual" in package else None,
    }
    row = upsert(
        stats,
        AftercarePackage,
        {"entry": person, "reference": package["ref"]},
        {
            "description": package["description"],
            "placement": package["placement"],
            "provider": package.get("provider", ""),
            "start_date": package["start"],
            "end_date": package.get("end"),
            "review_due": package.get("review_due"),
        }
        | cost,
    )
    for decision in package.get("funding", []):
        upsert(
            stats,
            FundingDecision,
            {"package": row, "applies_from": decision["applies_from"]},
            {
                "decided_on": decision["decided_on"],
                "council_share_percent": Decimal(decision["council_share"]),
                "agreed_by": decision["agreed_by"],
            },
        )
