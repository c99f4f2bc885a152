"""Teams, their staff posts, month-end caseloads from each case-management system (with the
cases recorded in both), quarterly Care Act activity and any reported for a whole year."""

from decimal import Decimal

from caseload.models import (
    CareActActivity,
    CaseloadOverlap,
    CaseloadSnapshot,
    PeriodActivity,
    SourceSystem,
    StaffPost,
    Team,
)
from partnerships.models import FinancialYear
from seed.demo.common import DemoDataError, upsert

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


def load_activity_years(stats, years, teams) -> None:
    """Care Act counts a paper gives for a whole year, as it gives them: a count it doesn't
    give is left out (not reported), never 0."""
    for entry in years:
        upsert(
            stats,
            PeriodActivity,
            {
                "team": teams[entry["team"]],
                "financial_year": FinancialYear.objects.get(start_year=entry["year"]),
                "period": PeriodActivity.Period.YEAR,
            },
            {measure: entry.get(measure) for measure in PeriodActivity.MEASURES},
        )
