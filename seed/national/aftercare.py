"""s117 aftercare in the national data: each register entry's primary support reason and,
for each person whose aftercare is open (discharged and not ended), one package or more: a
first placement, sometimes a move to another (the first ended the day before) or a lighter
service alongside, each from a provider in the area, costing a week (a few a year) to the
penny, some with the joint funding panel's split and a few with a later change of it.

Drawn from a generator of the agreement's own for aftercare, so that adding it shifted no
other figure (as the funds' pots and revisions have theirs)."""

import datetime
import itertools
import random
from decimal import Decimal

from s117.models import AftercarePackage, FundingDecision, RegisterEntry
from seed.national.common import DAY, PENNY, WINDOW_END, Context, Partnership, day_between
from seed.national.vocabulary import (
    ALONGSIDE,
    FUNDING_PANEL,
    FUNDING_SPLITS,
    PACKAGES_PER_PERSON,
    PLACE_ENDS,
    PLACE_STARTS,
    PLACEMENTS,
    SUPPORT_REASONS,
    PlacementSpec,
)

REASONS = tuple(code for code, _ in SUPPORT_REASONS)
REASON_WEIGHTS = tuple(itertools.accumulate(weight for _, weight in SUPPORT_REASONS))
FIRST_WEIGHTS = tuple(itertools.accumulate(spec.weight for spec in PLACEMENTS))
BESIDE = tuple(spec for spec in PLACEMENTS if spec.placement in ALONGSIDE)
BESIDE_WEIGHTS = tuple(itertools.accumulate(spec.weight for spec in BESIDE))
COUNTS, COUNT_WEIGHTS = PACKAGES_PER_PERSON[0], tuple(itertools.accumulate(PACKAGES_PER_PERSON[1]))
SHARES = tuple(Decimal(share) for share, _ in FUNDING_SPLITS)
SHARE_WEIGHTS = tuple(itertools.accumulate(weight for _, weight in FUNDING_SPLITS))
MOVED = 0.4  # of a person's second or third package: a move from the placement before
BESIDE_ENDED = 0.3  # of a service alongside: ended since
ANNUAL = 0.05  # of packages: costed a year rather than a week
DECIDED = 0.4  # of packages: with a panel's decision on the split
CHANGED = 0.1  # of those still running: the split changed since
PROVIDER_PLACES = 6  # an area's providers are in a handful of places


def aftercare_rng(context: Context, p: Partnership) -> random.Random:
    return random.Random(f"{context.seed}/aftercare/{p.number}")  # noqa: S311 – synthetic data


def support_reason(rng: random.Random) -> str:
    """A primary support reason, or blank (not recorded), in the register's proportions."""
    return rng.choices(REASONS, cum_weights=REASON_WEIGHTS)[0]


def build_packages(
    context: Context, rng: random.Random, entries: list[RegisterEntry]
) -> list[AftercarePackage]:
    """Packages for the open entries among `entries` (already written), then the panel's
    decisions on some of them."""
    places = [f"{rng.choice(PLACE_STARTS)}{rng.choice(PLACE_ENDS)}" for _ in range(PROVIDER_PLACES)]
    packages = []
    for entry in entries:
        if entry.discharged_on is not None and entry.ended_on is None:
            packages += packages_of(rng, entry, places)
    context.sink.create(packages)
    for package in packages:
        if rng.random() < DECIDED:
            for decision in decisions_on(rng, package):
                context.sink.add(decision)
    return packages


def packages_of(rng: random.Random, entry: RegisterEntry, places: list[str]) -> list:
    """A person's packages: the first placement within six weeks of discharge (or by the
    window's end), then for some a move to another placement or a service alongside."""
    count = rng.choices(COUNTS, cum_weights=COUNT_WEIGHTS)[0]
    start = min(entry.discharged_on + rng.randint(0, 42) * DAY, WINDOW_END)
    main = package(rng, entry, 1, first_placement(rng), places, start)
    packages = [main]
    for number in range(2, count + 1):
        begun = day_between(rng, main.start_date, WINDOW_END)
        if begun > main.start_date and rng.random() < MOVED:
            main.end_date, main.review_due = begun - DAY, None
            main = package(rng, entry, number, first_placement(rng), places, begun)
            packages.append(main)
            continue
        spec = rng.choices(BESIDE, cum_weights=BESIDE_WEIGHTS)[0]
        beside = package(rng, entry, number, spec, places, begun)
        if rng.random() < BESIDE_ENDED:
            beside.end_date, beside.review_due = day_between(rng, begun, WINDOW_END), None
        packages.append(beside)
    return packages


def first_placement(rng: random.Random) -> PlacementSpec:
    return rng.choices(PLACEMENTS, cum_weights=FIRST_WEIGHTS)[0]


def package(
    rng: random.Random,
    entry: RegisterEntry,
    number: int,
    spec: PlacementSpec,
    places: list[str],
    start: datetime.date,
) -> AftercarePackage:
    """A package running from `start`, reviewed with the person, costing a week (to the
    penny, within its placement's range) or, for a few, 52 weeks' worth a year."""
    low, high = spec.weekly
    weekly = (Decimal(rng.randint(low * 100, high * 100)) / 100).quantize(PENNY)
    annual = None
    if rng.random() < ANNUAL:
        weekly, annual = None, weekly * 52
    return AftercarePackage(
        entry_id=entry.pk,
        reference=f"P{number}",
        description=spec.description,
        placement=spec.placement,
        provider=f"{rng.choice(places)} {spec.provider}" if spec.provider else "",
        weekly_cost=weekly,
        annual_cost=annual,
        start_date=start,
        review_due=entry.review_due,
    )


def decisions_on(rng: random.Random, package: AftercarePackage) -> list[FundingDecision]:
    """The panel's split from the package's start, decided up to four weeks before; for a
    few still running at least three months, a later change of split."""
    first = decision(rng, package, package.start_date)
    decisions = [first]
    changeable = package.start_date + 90 * DAY
    last = package.end_date or WINDOW_END
    if changeable <= last and rng.random() < CHANGED:
        decisions.append(decision(rng, package, day_between(rng, changeable, last)))
    return decisions


def decision(
    rng: random.Random, package: AftercarePackage, applies_from: datetime.date
) -> FundingDecision:
    return FundingDecision(
        package_id=package.pk,
        decided_on=applies_from - rng.randint(0, 28) * DAY,
        applies_from=applies_from,
        council_share_percent=rng.choices(SHARES, cum_weights=SHARE_WEIGHTS)[0],
        agreed_by=FUNDING_PANEL,
    )
