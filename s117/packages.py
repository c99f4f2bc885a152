"""A person's aftercare packages as the person page shows them: each with its funding
decisions, the split in force today, and its spend this financial year so far and as
projected for the whole year, by who pays (s117.costs). Two queries, however many
packages and decisions. Personal data: only for the views that may show it."""

import datetime
from dataclasses import dataclass

from django.db.models import Prefetch

from core.formatting import financial_year_label
from core.periods import financial_year_start
from s117 import costs
from s117.models import AftercarePackage, FundingDecision, RegisterEntry


@dataclass(frozen=True)
class PackageRow:
    package: AftercarePackage
    decisions: list
    council_percent: object  # today's, Decimal
    to_date: costs.Spend
    full_year: costs.Spend

    @property
    def icb_percent(self):
        return 100 - self.council_percent


def splits_of(package) -> list[costs.Split]:
    return [
        costs.Split(d.applies_from, d.council_share_percent)
        for d in package.funding_decisions.all()
    ]


def package_rows(entry: RegisterEntry, today: datetime.date) -> tuple[list[PackageRow], dict]:
    """The entry's packages, oldest first, and their totals this financial year."""
    start_year = financial_year_start(today)
    packages = entry.packages.order_by("start_date", "pk").prefetch_related(
        Prefetch("funding_decisions", queryset=FundingDecision.objects.order_by("applies_from"))
    )
    rows = []
    for package in packages:
        splits = splits_of(package)
        default = entry.council_share_percent
        rows.append(
            PackageRow(
                package=package,
                decisions=list(package.funding_decisions.all()),
                council_percent=costs.split_on(today, splits, default),
                to_date=costs.spend_in_year(package, splits, default, start_year, through=today),
                full_year=costs.spend_in_year(package, splits, default, start_year),
            )
        )
    totals = {
        "to_date": sum((row.to_date for row in rows), costs.Spend()),
        "full_year": sum((row.full_year for row in rows), costs.Spend()),
        "year_label": financial_year_label(start_year),
        "decisions": sum(len(row.decisions) for row in rows),
    }
    return rows, totals
