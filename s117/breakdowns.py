"""The register broken down, exactly, for the partnership's s117 officers: the people in
force on a day and the financial year's aftercare spend (to that day, and projected to the
year's end), by primary support reason, by placement, by team and by responsible body.

Spend is each package's, worked out by `s117.costs` and added up here, so every table's
total is the same sum of the same pennies. People are counted once in a table, except by
placement, where a person with two kinds of placement in force is in both rows (the table
says so). Three queries, however large the register.

These figures are exact and may hold small numbers: a published paper shows them only
through disclosure control.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from django.db.models import BooleanField, ExpressionWrapper, Q

from core.formatting import financial_year_label
from core.periods import financial_year_start
from s117 import costs
from s117.models import (
    SUPPORT_CATEGORIES,
    AftercarePackage,
    FundingDecision,
    RegisterEntry,
    support_category,
)

NOT_RECORDED = "Not recorded"
NO_PACKAGE = "No package in force"
PLACEMENTS = dict(AftercarePackage.Placement.choices)


class Package(NamedTuple):
    """What the tables read of a package, and its panel's splits: costed by s117.costs as
    the model is."""

    placement: str
    weekly_cost: Decimal | None
    annual_cost: Decimal | None
    start_date: datetime.date
    end_date: datetime.date | None
    splits: list[costs.Split]


class Entry(NamedTuple):
    """What the tables read of a register entry (which holds personal data it needn't load)."""

    pk: int
    in_force: bool
    reason: str
    team: str
    body: str
    council_share_percent: Decimal
    packages: list[Package]


@dataclass
class Line:
    label: str
    people: set = field(default_factory=set)
    to_date: costs.Spend = field(default_factory=costs.Spend)
    full_year: costs.Spend = field(default_factory=costs.Spend)

    @property
    def count(self) -> int:
        return len(self.people)


@dataclass(frozen=True)
class Breakdown:
    name: str  # reason, placement, team or body
    title: str
    lines: list[Line]
    total: Line
    note: str = ""


def _in_force(package, day: datetime.date) -> bool:
    return package.start_date <= day and (package.end_date is None or package.end_date >= day)


def _entries(agreement, day: datetime.date, year_start: datetime.date) -> list[Entry]:
    """The register's entries, each with its packages running on into the financial year
    and their splits (the loop below skips those neither in force nor with such a package).
    Read as plain rows: making model instances of them, with a related manager for each
    entry and package, cost far more than costing them. Three queries, each by the ids the
    one before found, as a prefetch reads them: so PostgreSQL finds the packages by their
    entries' index. Asked instead for the partnership's packages running into the year,
    it read every package in the country (most run into the year) at national scale."""
    rows = list(
        agreement.s117_entries.annotate(
            in_force=ExpressionWrapper(RegisterEntry.in_force(day), output_field=BooleanField())
        )
        .order_by()
        .values_list(
            "pk",
            "in_force",
            "primary_support_reason",
            "team__name",
            "responsible_council__short_name",
            "responsible_icb__short_name",
            "council_share_percent",
        )
    )
    packages = list(
        AftercarePackage.objects.filter(
            Q(end_date__isnull=True) | Q(end_date__gte=year_start),
            entry_id__in=[row[0] for row in rows],
        )
        .order_by()
        .values_list(
            "pk", "entry_id", "placement", "weekly_cost", "annual_cost", "start_date", "end_date"
        )
    )
    splits: dict[int, list[costs.Split]] = {}
    for package_id, applies_from, percent in (
        FundingDecision.objects.filter(package_id__in=[row[0] for row in packages])
        .order_by()
        .values_list("package_id", "applies_from", "council_share_percent")
    ):
        splits.setdefault(package_id, []).append(costs.Split(applies_from, percent))
    by_entry: dict[int, list[Package]] = {}
    for pk, entry_id, *fields in packages:
        by_entry.setdefault(entry_id, []).append(Package(*fields, splits.get(pk, [])))
    return [
        Entry(
            pk,
            bool(in_force),
            SUPPORT_CATEGORIES[support_category(reason)] if reason else NOT_RECORDED,
            NOT_RECORDED if team is None else team,
            f"{council} and {icb}",
            share,
            by_entry.get(pk, []),
        )
        for pk, in_force, reason, team, council, icb, share in rows
    ]


def breakdowns(agreement, day: datetime.date) -> dict:
    """Each breakdown of the register on `day`, with the financial year it costs."""
    start_year = financial_year_start(day)
    year_start = datetime.date(start_year, 4, 1)
    entries = _entries(agreement, day, year_start)
    groups = {name: {} for name in ("reason", "placement", "team", "body")}
    # Every table adds up to the same total: the people in force, and all the spend.
    total = Line("Total")

    def add(group: str, label: str, person, to_date=None, full_year=None):
        line = groups[group].setdefault(label, Line(label))
        if person is not None:
            line.people.add(person)
        if to_date is not None:
            line.to_date += to_date
            line.full_year += full_year

    for entry in entries:
        person = entry.pk if entry.in_force else None
        reason, team, body = entry.reason, entry.team, entry.body
        spent = []
        for package in entry.packages:  # only those running on into the year
            splits, default = package.splits, entry.council_share_percent
            spent.append(
                (
                    package,
                    costs.spend_in_year(package, splits, default, start_year, through=day),
                    costs.spend_in_year(package, splits, default, start_year),
                )
            )
        to_date = sum((s for _, s, _ in spent), costs.Spend())
        full_year = sum((s for _, _, s in spent), costs.Spend())
        if person is None and not spent:
            continue
        if person is not None:
            total.people.add(person)
        total.to_date += to_date
        total.full_year += full_year
        for group, label in (("reason", reason), ("team", team), ("body", body)):
            add(group, label, person, to_date, full_year)
        placements = {PLACEMENTS[p.placement] for p, _, _ in spent if _in_force(p, day)}
        if person is not None and not placements:
            add("placement", NO_PACKAGE, person)
        for label in placements:
            add("placement", label, person)
        for package, spend_to_date, spend_year in spent:
            add("placement", PLACEMENTS[package.placement], None, spend_to_date, spend_year)
    titles = {
        "reason": ("By primary support reason", ""),
        "placement": (
            "By placement in force",
            "A person with two kinds of placement in force is counted in each; spend is "
            "each package's, by its placement.",
        ),
        "team": ("By team", ""),
        "body": ("By responsible council and ICB", ""),
    }
    return {
        "year_label": financial_year_label(start_year),
        "tables": [
            Breakdown(
                name,
                titles[name][0],
                sorted(groups[name].values(), key=lambda line: (-line.count, line.label)),
                Line("Total", set(total.people), total.to_date, total.full_year),
                titles[name][1],
            )
            for name in groups
        ],
    }
