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

from django.db.models import Prefetch

from core.formatting import financial_year_label
from core.periods import financial_year_start
from s117 import costs
from s117.models import SUPPORT_CATEGORIES, AftercarePackage, FundingDecision, support_category
from s117.packages import splits_of

NOT_RECORDED = "Not recorded"
NO_PACKAGE = "No package in force"


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


def breakdowns(agreement, day: datetime.date) -> dict:
    """Each breakdown of the register on `day`, with the financial year it costs."""
    start_year = financial_year_start(day)
    year_start = datetime.date(start_year, 4, 1)
    entries = list(
        agreement.s117_entries.select_related("team", "responsible_council", "responsible_icb")
        .prefetch_related(
            Prefetch(
                "packages",
                queryset=AftercarePackage.objects.prefetch_related(
                    Prefetch("funding_decisions", queryset=FundingDecision.objects.order_by())
                ).order_by(),
            )
        )
        .order_by()
    )
    groups = {name: {} for name in ("reason", "placement", "team", "body")}
    totals = {name: Line("Total") for name in groups}

    def add(group: str, label: str, person, to_date=None, full_year=None):
        for line in (groups[group].setdefault(label, Line(label)), totals[group]):
            if person is not None:
                line.people.add(person)
            if to_date is not None:
                line.to_date += to_date
                line.full_year += full_year

    for entry in entries:
        in_force = entry.in_force_on(day)
        person = entry.pk if in_force else None
        reason = (
            SUPPORT_CATEGORIES[support_category(entry.primary_support_reason)]
            if entry.primary_support_reason
            else NOT_RECORDED
        )
        team = entry.team.name if entry.team else NOT_RECORDED
        body = f"{entry.responsible_council.short_name} and {entry.responsible_icb.short_name}"
        spent = [
            (
                package,
                costs.spend_in_year(
                    package, splits_of(package), entry.council_share_percent, start_year,
                    through=day,
                ),
                costs.spend_in_year(
                    package, splits_of(package), entry.council_share_percent, start_year
                ),
            )
            for package in entry.packages.all()
            if package.end_date is None or package.end_date >= year_start
        ]  # fmt: skip
        to_date = sum((s for _, s, _ in spent), costs.Spend())
        full_year = sum((s for _, _, s in spent), costs.Spend())
        if person is None and not spent:
            continue
        for group, label in (("reason", reason), ("team", team), ("body", body)):
            add(group, label, person, to_date, full_year)
        placements = {p.get_placement_display() for p, _, _ in spent if _in_force(p, day)}
        if person is not None and not placements:
            add("placement", NO_PACKAGE, person)
        for label in placements:
            add("placement", label, person)
        for package, spend_to_date, spend_year in spent:
            add("placement", package.get_placement_display(), None, spend_to_date, spend_year)
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
                totals[name],
                titles[name][1],
            )
            for name in groups
        ],
    }
