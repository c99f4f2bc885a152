"""Loads the demo partnerships from the commented source data in fixtures/demo/: the two
seed partnerships (Oxfordshire, Bromley), and Riverside, a made-up partnership, illustrative
throughout, that shows an agreement running several funds in a year.

Every figure goes in as source data (contributions, posts, snapshots, counts, decisions);
nothing computed is stored. Loading is idempotent: rows are matched on their natural keys
and saved only when something differs, so a second load writes no history.

Here: the source files, the financial years and the organisations the partnerships share.
`agreements` loads each partnership's file, with `pooled_budgets`, `teams`, `governance`
and `register`; `common` holds the upsert they all write with.
"""

import tomllib
from pathlib import Path

from django.conf import settings
from django.db import transaction

from caseload.models import SourceSystem
from partnerships.models import FinancialYear, Organisation, Quarter
from seed.demo.agreements import load_partnership
from seed.demo.common import DemoDataError, Stats, money, upsert
from seed.demo.teams import ROLE_CODES

__all__ = [
    "DEMO_DIR",
    "DEMO_SLUGS",
    "PARTNERSHIP_FILES",
    "ROLE_CODES",
    "DemoDataError",
    "Stats",
    "load",
    "money",
    "read",
    "upsert",
]

DEMO_DIR = Path(settings.BASE_DIR) / "fixtures" / "demo"
PARTNERSHIP_FILES = ("oxfordshire.toml", "bromley.toml", "riverside.toml")
DEMO_SLUGS = (
    "oxfordshire-mh-social-work",
    "bromley-oxleas-mh",
    "riverside-integrated-care-illustrative",
)
FIRST_YEAR, LAST_YEAR = 2017, 2026  # financial years the demo needs, 2017/18 to 2026/27


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
                "council_type": entry.get("council_type", ""),
                "ods_code": entry.get("ods_code", ""),
                "gss_code": entry.get("gss_code", ""),
                "established_on": entry.get("established_on"),
                "dissolved_on": entry.get("dissolved_on"),
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
