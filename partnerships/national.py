"""A synthetic data set shaped like England, for benchmarking at national scale.

At scale 1.0, `generate` writes about 150 councils, 45 mental health trusts and 42 ICBs,
300 agreements with figures for the 20 financial years 2007/08 to 2026/27, 3,000 teams,
30,000 posts, 250,000 s117 register entries and 1.4 million caseload snapshots. It sits
beside anything else in the database (the demo, real partnerships): every organisation,
agreement slug and team it writes starts with `national-`, and its ODS and GSS codes start
with Z, which no real code does. Financial years, quarters and the LAS and Carenotes source
systems are shared: found, or created where missing.

Rows are built in Python, correct by construction, and written with bulk_create (the tests
run full_clean over a sample of every model). So no model's save() runs: no simple-history
rows are written, and Recommendation.sort_key is set here. Every random choice comes from
random.Random seeded from `seed`, one generator per agreement so that an agreement's rows
don't depend on the others; no date comes from the clock.
"""

import datetime
import random
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

from django.contrib.auth import get_user_model
from django.db import transaction

from budgets import uplift
from budgets.models import (
    Contribution,
    ContributionOutturn,
    FinancialYear,
    PooledBudget,
    Quarter,
    ValueProjection,
)
from budgets.periods import financial_year_start, quarter_dates
from budgets.shares import RiskShareRule
from caseload.models import (
    CareActActivity,
    CaseloadOverlap,
    CaseloadSnapshot,
    SourceSystem,
    StaffPost,
    Team,
)
from partnerships.demo import ROLE_CODES
from partnerships.models import (
    KPI,
    Agreement,
    AgreementPartner,
    AgreementTerm,
    ApprovalThreshold,
    Decision,
    GovernanceBody,
    KPIValue,
    Meeting,
    Membership,
    Organisation,
    ProgressNote,
    QuarterlyReturn,
    Recommendation,
    Review,
    Role,
)
from reports.models import Paragraph, PublishedVersion, Report
from s117 import nhs_number
from s117.models import AccessLog, AftercarePackage, RegisterCount, RegisterEntry
from s117.models import Review as S117Review

PREFIX = "national-"
FIRST_YEAR, LAST_YEAR = 2007, 2026
WINDOW_START, WINDOW_END = datetime.date(2007, 4, 1), datetime.date(2027, 3, 31)
BATCH_SIZE = 2000
DAY = datetime.timedelta(days=1)
PENNY = Decimal("0.01")

# At scale 1.0. Teams, posts and register entries are shared out unevenly between
# agreements (and posts between teams), but always add up to these totals, scaled.
TARGETS = {
    "councils": 150,
    "trusts": 45,
    "icbs": 42,
    "agreements": 300,
    "teams": 3000,
    "posts": 30000,
    "s117_entries": 250000,
}
USERS = (
    ("national.jmg", "National JMG member", Role.JMG_MEMBER),
    ("national.commissioner", "National commissioner", Role.COMMISSIONER),
    ("national.scrutiny", "National scrutiny officer", Role.SCRUTINY_OFFICER),
    ("national.s117", "National s117 register officer", Role.S117_OFFICER),
)
# Test-range NHS numbers (999…): stepping through the million stems by a number coprime
# with a million visits each stem once, so a number repeats only after about 909,000.
NHS_STEP = 7919


class NationalDataError(Exception):
    """National data is in the way: already there, or holding rows that can't be deleted."""


@dataclass(frozen=True)
class Plan:
    councils: int
    trusts: int
    icbs: int
    agreements: int
    teams: int
    posts: int
    s117_entries: int


def scaled(target: int, scale: Decimal, minimum: int) -> int:
    """`target` × `scale`, rounded half up, and never below `minimum`."""
    exact = Decimal(target) * scale
    return max(minimum, int(exact.to_integral_value(rounding=ROUND_HALF_UP)))


def plan_for(scale: Decimal) -> Plan:
    """At least one of each kind of organisation and an agreement; every agreement at least
    a team and a register entry, and every team a post."""
    agreements = scaled(TARGETS["agreements"], scale, 1)
    teams = scaled(TARGETS["teams"], scale, agreements)
    return Plan(
        councils=scaled(TARGETS["councils"], scale, 1),
        trusts=scaled(TARGETS["trusts"], scale, 1),
        icbs=scaled(TARGETS["icbs"], scale, 1),
        agreements=agreements,
        teams=teams,
        posts=scaled(TARGETS["posts"], scale, teams),
        s117_entries=scaled(TARGETS["s117_entries"], scale, agreements),
    )


def spread(total: int, bins: int, rng: random.Random, *, low: int = 0) -> list[int]:
    """`total` shared between `bins`, each at least `low` and otherwise within about 40% of
    the mean, adding up to `total` exactly (the largest remainders get the leftovers)."""
    spare = total - low * bins
    if spare < 0:
        raise ValueError(f"{total} can't give {bins} bins at least {low} each.")
    weights = [rng.uniform(0.6, 1.4) for _ in range(bins)]
    exact = [spare * weight / sum(weights) for weight in weights]
    counts = [int(share) for share in exact]
    by_remainder = sorted(range(bins), key=lambda i: (counts[i] - exact[i], i))
    for i in by_remainder[: spare - sum(counts)]:
        counts[i] += 1
    return [low + count for count in counts]


def nhs_number_at(candidate: int) -> str | None:
    """The test-range NHS number of a candidate, or None where its stem can have no valid
    check digit (about one in eleven)."""
    stem = f"999{candidate * NHS_STEP % 1_000_000:06d}"
    digit = nhs_number.check_digit(stem)
    return None if digit is None else f"{stem}{digit}"


def month_ends(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    """The last day of each month from `first`'s month, up to `last`."""
    ends, year, month = [], first.year, first.month
    while True:
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        end = datetime.date(year, month, 1) - DAY
        if end > last:
            return ends
        ends.append(end)


def add_months(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def day_between(rng: random.Random, first: datetime.date, last: datetime.date) -> datetime.date:
    return first + rng.randint(0, max(0, (last - first).days)) * DAY


def pounds(amount: Decimal) -> Decimal:
    return uplift.whole_pounds(amount).quantize(PENNY)


def factor(rng: random.Random, mean: float, sd: float) -> Decimal:
    """1 plus a random fraction, as an exact Decimal in basis points: money is never a float."""
    return 1 + Decimal(round(rng.gauss(mean, sd) * 10_000)).scaleb(-4)


class Sink:
    """Writes rows in batches and counts them. `create` writes at once (children need the
    rows' ids); `add` buffers rows that nothing refers to."""

    def __init__(self, batch_size: int = BATCH_SIZE):
        self.batch_size = batch_size
        self.pending: dict[type, list] = {}
        self.counts: dict[str, int] = {}

    def create(self, rows: list) -> list:
        if rows:
            model = type(rows[0])
            model.objects.bulk_create(rows, batch_size=self.batch_size)
            self.counts[model._meta.label] = self.counts.get(model._meta.label, 0) + len(rows)
        return rows

    def add(self, row) -> None:
        rows = self.pending.setdefault(type(row), [])
        rows.append(row)
        if len(rows) >= self.batch_size:
            self.create(rows)
            rows.clear()

    def flush(self) -> None:
        for rows in self.pending.values():
            self.create(rows)
        self.pending = {}


# Finding and removing national data.


def national_agreements():
    return Agreement.objects.filter(slug__startswith=PREFIX)


def national_organisations():
    return Organisation.objects.filter(name__startswith=PREFIX)


def national_data_exists() -> bool:
    return national_agreements().exists() or national_organisations().exists()


def deletion_plan() -> list[tuple[type, dict]]:
    """Every model that can hold a row of national data (including rows people add while
    benchmarking), children before parents, with the filter that finds those rows. A test
    checks that every model referring to one of these is listed."""
    agreements, organisations = national_agreements(), national_organisations()
    teams = Team.objects.filter(agreement__in=agreements)
    entries = RegisterEntry.objects.filter(agreement__in=agreements)
    pools = PooledBudget.objects.filter(agreement__in=agreements)
    reviews = Review.objects.filter(agreement__in=agreements)
    return [
        (Paragraph, {"report__agreement__in": agreements}),
        (Report, {"agreement__in": agreements}),
        (S117Review, {"entry__in": entries}),
        (AftercarePackage, {"entry__in": entries}),
        (RegisterEntry, {"agreement__in": agreements}),
        (RegisterCount, {"team__in": teams}),
        (CaseloadSnapshot, {"team__in": teams}),
        (CaseloadOverlap, {"team__in": teams}),
        (CareActActivity, {"team__in": teams}),
        (StaffPost, {"team__in": teams}),
        (Team, {"agreement__in": agreements}),
        (ContributionOutturn, {"contribution__pooled_budget__in": pools}),
        (Contribution, {"pooled_budget__in": pools}),
        (PooledBudget, {"agreement__in": agreements}),
        (KPIValue, {"kpi__agreement__in": agreements}),
        (KPI, {"agreement__in": agreements}),
        (ProgressNote, {"recommendation__review__in": reviews}),
        (Recommendation, {"review__in": reviews}),
        (Review, {"agreement__in": agreements}),
        (Meeting, {"body__agreement__in": agreements}),
        (GovernanceBody, {"agreement__in": agreements}),
        (QuarterlyReturn, {"agreement__in": agreements}),
        (ValueProjection, {"agreement__in": agreements}),
        (AgreementTerm, {"agreement__in": agreements}),
        (Decision, {"agreement__in": agreements}),
        (AgreementPartner, {"agreement__in": agreements}),
        (Membership, {"agreement__in": agreements}),
        (Agreement, {"slug__startswith": PREFIX}),
        (ApprovalThreshold, {"organisation__in": organisations}),
        (Organisation, {"name__startswith": PREFIX}),
    ]


def append_only_rows() -> list[str]:
    """Rows about national data that may never be deleted: the s117 access log and
    published report versions are append-only (on PostgreSQL the database refuses)."""
    agreements = national_agreements()
    found = {
        "s117 access log entries": AccessLog.objects.filter(entry__agreement__in=agreements),
        "published report versions": PublishedVersion.objects.filter(
            report__agreement__in=agreements
        ),
    }
    return [f"{rows.count()} {name}" for name, rows in found.items() if rows.exists()]


def delete_national() -> dict[str, int]:
    """Delete national rows and their simple-history rows table by table, in SQL.
    QuerySet.delete() would load every row to send signals, and simple-history would
    answer each with a new history row."""
    kept = append_only_rows()
    if kept:
        raise NationalDataError(
            f"The national data can't be replaced: it has {' and '.join(kept)}, which are "
            "append-only. Generate into a fresh database instead."
        )
    deleted = {}
    for model, lookup in deletion_plan():
        history = getattr(model, "history", None)
        if history is not None:
            history.model.objects.filter(**lookup)._raw_delete(history.db)
        count = model.objects.filter(**lookup)._raw_delete(model.objects.db)
        if count:
            deleted[model._meta.label] = count
    return deleted


# Generating.


@dataclass
class Context:
    seed: int
    sink: Sink
    years: dict[int, FinancialYear]
    quarters: dict[tuple[int, int], Quarter]
    las: SourceSystem
    carenotes: SourceSystem
    nhs_cursor: int = 0


@dataclass
class Geography:
    councils: list[Organisation]
    trusts: list[Organisation]
    icbs: list[Organisation]
    places: dict[int, str]  # organisation id: its place name
    council_icb: list[int]  # council's index: its ICB's index
    trusts_by_icb: dict[int, list[int]]


@transaction.atomic
def generate(*, scale: Decimal, seed: int, replace: bool = False) -> dict[str, dict[str, int]]:
    """Write the national data set; answer the rows deleted and created, by model."""
    deleted = {}
    if national_data_exists():
        if not replace:
            raise NationalDataError(
                f"National data (agreements {PREFIX}…) is in the database already. "
                "Pass --replace to delete it and generate it again."
            )
        deleted = delete_national()
    plan = plan_for(scale)
    master = random.Random(seed)  # noqa: S311 – synthetic data, not security
    context = Context(seed=seed, sink=Sink(), **shared_rows())
    context.nhs_cursor = master.randrange(1_000_000)
    geography = build_organisations(context, plan, master)
    teams_per_agreement = spread(plan.teams, plan.agreements, master, low=1)
    posts_per_team = spread(plan.posts, plan.teams, master, low=1)
    entries_per_agreement = spread(plan.s117_entries, plan.agreements, master, low=1)
    agreement_ids, first_team = [], 0
    for index, teams in enumerate(teams_per_agreement):
        posts = posts_per_team[first_team : first_team + teams]
        agreement = build_agreement(context, geography, index, posts, entries_per_agreement[index])
        agreement_ids.append(agreement.pk)
        first_team += teams
    context.sink.flush()
    build_users(context, agreement_ids)
    return {"deleted": deleted, "created": context.sink.counts}


def shared_rows() -> dict:
    """Financial years, quarters and the two source systems: found, or created."""
    existing = set(FinancialYear.objects.values_list("start_year", flat=True))
    FinancialYear.objects.bulk_create(
        FinancialYear(start_year=start)
        for start in range(FIRST_YEAR, LAST_YEAR + 1)
        if start not in existing
    )
    years = {
        year.start_year: year
        for year in FinancialYear.objects.filter(start_year__range=(FIRST_YEAR, LAST_YEAR))
    }
    existing = set(
        Quarter.objects.filter(financial_year__in=years.values()).values_list(
            "financial_year__start_year", "number"
        )
    )
    Quarter.objects.bulk_create(
        Quarter(financial_year=year, number=number)
        for start, year in sorted(years.items())
        for number in (1, 2, 3, 4)
        if (start, number) not in existing
    )
    quarters = {
        (quarter.financial_year.start_year, quarter.number): quarter
        for quarter in Quarter.objects.select_related("financial_year").filter(
            financial_year__in=years.values()
        )
    }
    las, _ = SourceSystem.objects.get_or_create(code="las", defaults={"name": "LAS"})
    carenotes, _ = SourceSystem.objects.get_or_create(
        code="carenotes", defaults={"name": "Carenotes"}
    )
    return {"years": years, "quarters": quarters, "las": las, "carenotes": carenotes}


def build_organisations(context: Context, plan: Plan, rng: random.Random) -> Geography:
    def place() -> str:
        return rng.choice(PLACE_STARTS) + rng.choice(PLACE_ENDS)

    rows, places = [], []
    for n in range(1, plan.icbs + 1):
        places.append(place())
        rows.append(
            Organisation(
                name=f"{PREFIX}i{n:04d} NHS {places[-1]} Integrated Care Board",
                short_name=f"ICB{n:04d}",
                kind=Organisation.Kind.ICB,
                ods_code=f"ZQ{n:04d}",
            )
        )
    for n in range(1, plan.trusts + 1):
        places.append(f"{place()} and {place()}")
        rows.append(
            Organisation(
                name=f"{PREFIX}t{n:04d} {places[-1]} NHS Foundation Trust",
                short_name=f"T{n:04d}",
                kind=Organisation.Kind.NHS_TRUST,
                ods_code=f"ZT{n:04d}",
            )
        )
    for n in range(1, plan.councils + 1):
        places.append(place())
        rows.append(
            Organisation(
                name=f"{PREFIX}c{n:04d} {places[-1]} {rng.choice(COUNCIL_KINDS)}",
                short_name=f"C{n:04d}",
                kind=Organisation.Kind.COUNCIL,
                gss_code=f"Z{n:08d}",
            )
        )
    context.sink.create(rows)

    def regions(count: int) -> list[int]:
        """An ICB index for each: every ICB one first (while they last), the rest anywhere."""
        return [i if i < plan.icbs else rng.randrange(plan.icbs) for i in range(count)]

    council_icb, trusts_by_icb = regions(plan.councils), {}
    for trust, icb in enumerate(regions(plan.trusts)):
        trusts_by_icb.setdefault(icb, []).append(trust)
    icbs, trusts = plan.icbs, plan.icbs + plan.trusts
    return Geography(
        councils=rows[trusts:],
        trusts=rows[icbs:trusts],
        icbs=rows[:icbs],
        places={row.pk: name for row, name in zip(rows, places, strict=True)},
        council_icb=council_icb,
        trusts_by_icb=trusts_by_icb,
    )


@dataclass
class Partnership:
    """An agreement being built, and what its other rows are built from."""

    agreement: Agreement
    number: int
    rng: random.Random
    service: "Service"
    council: Organisation
    trust: Organisation
    icb: Organisation
    partners: list[Organisation]
    base_planned: dict[int, Decimal]  # organisation id: planned contribution in 2007/08
    growth: Decimal

    @property
    def data_start(self) -> datetime.date:
        """Figures begin with the agreement or with 2007/08, whichever is later."""
        return max(WINDOW_START, self.agreement.start_date)

    def quarters(self, before: datetime.date | None = None) -> list[tuple[int, int]]:
        """Quarters with figures: from the one the figures begin in to 2026/27 Q4, or to
        the last that ends before `before`."""
        last = WINDOW_END if before is None else before - DAY
        return [
            (year, number)
            for year in range(financial_year_start(self.data_start), LAST_YEAR + 1)
            for number in (1, 2, 3, 4)
            if self.data_start <= quarter_dates(year, number)[1] <= last
        ]

    def planned(self, organisation: Organisation, year: int) -> Decimal:
        """A partner's planned contribution in a year, before the year's own variation."""
        return pounds(self.base_planned[organisation.pk] * (1 + self.growth) ** (year - FIRST_YEAR))


def build_agreement(
    context: Context, geography: Geography, index: int, post_counts: list[int], entries: int
) -> Agreement:
    """A council's agreement with a trust in its ICB's area (a council's second agreement
    is for another service), sometimes with the ICB as a partner too."""
    number, round_ = index + 1, index // len(geography.councils)
    rng = random.Random(f"{context.seed}/agreement/{number}")  # noqa: S311 – synthetic data
    council_index = index % len(geography.councils)
    icb_index = geography.council_icb[council_index]
    choices = geography.trusts_by_icb.get(icb_index) or range(len(geography.trusts))
    council, icb = geography.councils[council_index], geography.icbs[icb_index]
    trust = geography.trusts[choices[round_ % len(choices)]]
    service = SERVICES[round_ % len(SERVICES)]
    basis, terms = agreement_terms(rng)
    place = geography.places[council.pk]
    agreement = Agreement(
        slug=f"{PREFIX}{number:04d}",
        title=f"Section {basis[1:]} Partnership Agreement between {council.name} and "
        f"{trust.name} for {service.title}",
        short_title=f"{PREFIX}{number:04d} {place} {service.short} ({basis})",
        legal_basis=basis,
        pooled_fund=True,
        lead_commissioning=rng.random() < 0.2,
        integrated_provision=rng.random() < 0.85,
        functions=service.functions,
        population=f"{service.population} living in {place}.",
        start_date=terms[0][1],
        end_date=terms[-1][2],
        status=Agreement.Status.ACTIVE,
    )
    context.sink.create([agreement])
    p = Partnership(
        agreement=agreement,
        number=number,
        rng=rng,
        service=service,
        council=council,
        trust=trust,
        icb=icb,
        partners=[trust, council] + ([icb] if rng.random() < 0.35 else []),
        base_planned={
            council.pk: Decimal(rng.randrange(300_000, 3_000_000)),
            trust.pk: Decimal(rng.randrange(2_000_000, 20_000_000)),
            icb.pk: Decimal(rng.randrange(150_000, 2_000_000)),
        },
        growth=Decimal(rng.randrange(100, 400)).scaleb(-4),
    )
    host = trust if rng.random() < 0.75 else council
    roles = {trust: "lead_provider", council: "commissioner", icb: rng.choice(ICB_ROLES)}
    for organisation in p.partners:
        context.sink.add(
            AgreementPartner(
                agreement=agreement,
                organisation=organisation,
                role=roles[organisation],
                is_host=organisation == host,
            )
        )
    build_decisions(context, p, terms)
    jmg = context.sink.create([GovernanceBody(agreement=agreement, **JMG)])[0]
    build_review(context, p, jmg)
    build_kpis(context, p)
    build_budgets(context, p)
    teams = build_teams(context, p, len(post_counts))
    months = month_ends(p.data_start, WINDOW_END)
    for (team, code), count in zip(teams, post_counts, strict=True):
        caseload = build_posts(context, p, team, code, count)
        build_caseload(context, p, team, caseload, months)
    build_register(context, p, [team for team, _ in teams], entries)
    return agreement


def agreement_terms(
    rng: random.Random,
) -> tuple[str, list[tuple[str, datetime.date, datetime.date]]]:
    """The legal basis, then the initial term and extensions until the agreement runs past
    2026/27. s31 agreements began before the NHS Act 2006 came into force."""
    if rng.random() < 0.12:
        basis, start = "s31", datetime.date(rng.randint(2001, 2006), rng.randint(1, 12), 1)
        years = rng.choice((10, 15, 20))
    else:
        late = rng.random() < 0.4
        basis, start = "s75", add_months(WINDOW_START, rng.randint(1, 47) if late else 0)
        years = rng.choice((10, 10, 15, 20, 25))
    terms = [("initial", start, uplift.anniversary(start, years) - DAY)]
    while terms[-1][2] < WINDOW_END:
        begins = terms[-1][2] + DAY
        ends = uplift.anniversary(begins, rng.choice((2, 3, 5))) - DAY
        terms.append(("extension", begins, ends))
    return basis, terms


def build_decisions(context: Context, p: Partnership, terms) -> None:
    """The approval and each extension with the decision that authorised it. An extension
    decision makes a value projection from the agreement year then current, and its value
    is the projected cost of the extension, as in Bromley's (term_cost gives it back)."""
    rng, agreement = p.rng, p.agreement
    rate = Decimal(rng.choice(("0.0200", "0.0250", "0.0300", "0.0350")))
    uplift_basis = rng.choice(UPLIFT_BASES)
    decisions, authorised, projections = [], [], []
    for n, (kind, start, end) in enumerate(terms):
        if kind == "initial":
            decision = Decision(
                agreement=agreement,
                kind=Decision.Kind.APPROVAL,
                decided_on=start - rng.randint(30, 240) * DAY,
                body=rng.choice(("Executive", "Cabinet")),
                reference=f"N{p.number:04d}-A",
                summary=f"Approved entering a {round((end - start).days / 365.25)}-year "
                f"agreement with {p.trust.short_name} as lead provider, with a pooled budget.",
            )
        else:
            base_year_ending = start - DAY  # decided within the agreement year before
            base = p.planned(p.council, financial_year_start(base_year_ending))
            years = 0
            while uplift.anniversary(base_year_ending, years + 1) <= end:
                years += 1
            values = uplift.project(base, rate, base_year_ending=base_year_ending, years=years)
            cost = uplift.cost_of_period(values, start, end).quantize(PENNY)
            decided_on = start - rng.randint(60, 330) * DAY
            if cost > 1_000_000 and rng.random() < 0.4:
                decisions.append(
                    Decision(
                        agreement=agreement,
                        kind=Decision.Kind.SCRUTINY,
                        decided_on=decided_on - 8 * DAY,
                        body="Adult Care and Health Scrutiny Committee",
                        summary="Pre-decision scrutiny of the proposed extension.",
                    )
                )
            decision = Decision(
                agreement=agreement,
                kind=Decision.Kind.EXTENSION,
                decided_on=decided_on,
                body="Executive" if cost > 1_000_000 else "Director of Adult Social Care",
                reference=f"N{p.number:04d}-E{n}",
                summary=f"Authorised an extension to {end:%-d %B %Y} at an estimated cost "
                f"of £{cost:,.0f}.",
                value=cost,
            )
            projections.append((decision, base_year_ending, base))
        decisions.append(decision)
        authorised.append((kind, start, end, decision))
    context.sink.create(decisions)
    for kind, start, end, decision in authorised:
        context.sink.add(
            AgreementTerm(
                agreement=agreement,
                kind=kind,
                start_date=start,
                end_date=end,
                authorised_by=decision,
            )
        )
    if not projections:
        first_year_ending = uplift.anniversary(agreement.start_date, 1) - DAY
        base = p.planned(p.council, financial_year_start(first_year_ending))
        projections.append((authorised[0][3], first_year_ending, base))
    for decision, base_year_ending, base in projections:
        context.sink.add(
            ValueProjection(
                agreement=agreement,
                base_value=base,
                base_year_ending=base_year_ending,
                uplift_rate=rate,
                uplift_basis=uplift_basis,
                decision=decision,
            )
        )


def build_review(context: Context, p: Partnership, jmg: GovernanceBody) -> None:
    rng = p.rng
    year = rng.randint(max(2012, p.data_start.year + 3), 2025)
    reported_on = datetime.date(year + 1, rng.randint(1, 12), rng.randint(1, 28))
    review = Review(
        agreement=p.agreement,
        title=f"Review of the partnership, {year}",
        carried_out=f"{rng.choice(('First', 'Second'))} half of {year}",
        reported_on=reported_on,
        reported_to=jmg.name,
        reference=f"N{p.number:04d}-R",
        overseen_by=jmg,
    )
    context.sink.create([review])
    recommendations = []
    for n, text in enumerate(rng.sample(RECOMMENDATIONS, rng.randint(3, 10)), start=1):
        reference = f"3.8.{n}"
        status = rng.choices(Recommendation.Status.values, weights=(15, 25, 50, 10))[0]
        due = reported_on + rng.randint(90, 720) * DAY
        completed = None
        if status == Recommendation.Status.COMPLETE:
            completed = day_between(rng, reported_on + 30 * DAY, min(due + 180 * DAY, WINDOW_END))
        recommendations.append(
            Recommendation(
                review=review,
                reference=reference,
                text=text,
                owner=rng.choice(OWNERS),
                due_date=due,
                status=status,
                completed_on=completed,
                sort_key=Recommendation.sort_key_for(reference),  # save() isn't called
            )
        )
    context.sink.create(recommendations)
    for recommendation in recommendations:
        if recommendation.status != Recommendation.Status.NOT_STARTED:
            context.sink.add(
                ProgressNote(
                    recommendation=recommendation,
                    written_on=recommendation.completed_on
                    or min(reported_on + 180 * DAY, WINDOW_END),
                    note=PROGRESS_NOTES[recommendation.status],
                    status_after=recommendation.status,
                )
            )


def build_kpis(context: Context, p: Partnership) -> None:
    """3 or 4 KPIs, each with a value every quarter, near its target but for a bias of
    its own, so that some are red, some amber and most green."""
    rng = p.rng
    chosen = sorted(rng.sample(KPIS, rng.randint(3, 4)))
    kpis = context.sink.create(
        [
            KPI(
                agreement=p.agreement,
                code=spec.code,
                name=spec.name,
                definition=spec.definition,
                unit=spec.unit,
                direction=spec.direction,
                target=Decimal(spec.target),
                amber_threshold=Decimal(spec.amber),
            )
            for spec in chosen
        ]
    )
    for kpi, spec in zip(kpis, chosen, strict=True):
        bias = rng.gauss(0, spec.spread / 2)
        for quarter in p.quarters():
            value = max(0.0, float(spec.target) + bias + rng.gauss(0, spec.spread))
            if spec.unit == KPI.Unit.PERCENT:
                value = min(value, 100.0)
            tenths = round(value) * 10 if spec.unit == KPI.Unit.COUNT else round(value * 10)
            context.sink.add(
                KPIValue(
                    kpi_id=kpi.pk,
                    quarter_id=context.quarters[quarter].pk,
                    value=Decimal(tenths) / 10,
                )
            )


def build_budgets(context: Context, p: Partnership) -> None:
    """A pool every financial year with a planned contribution from each partner, and each
    partner's forecast outturn and spend to date most quarters, over or under plan."""
    rng = p.rng
    rule = rng.choices(list(RiskShareRule), weights=(60, 30, 10))[0]
    fixed = dict(zip(p.partners, rng.choice(FIXED_SHARES[len(p.partners)]), strict=True))
    quarters = set(p.quarters())
    pools = context.sink.create(
        [
            PooledBudget(
                agreement=p.agreement,
                financial_year=context.years[year],
                risk_share_rule=rule.value,
                scope=p.service.scope,
            )
            for year in range(financial_year_start(p.data_start), LAST_YEAR + 1)
        ]
    )
    contributions = context.sink.create(
        [
            Contribution(
                pooled_budget=pool,
                partner=partner,
                planned=pounds(
                    p.planned(partner, pool.financial_year.start_year) * factor(rng, 0, 0.015)
                ),
                risk_share_percent=Decimal(fixed[partner]) if rule == RiskShareRule.FIXED else None,
                agreed_on=datetime.date(pool.financial_year.start_year, 3, rng.randint(1, 28)),
            )
            for pool in pools
            for partner in p.partners
        ]
    )
    for contribution in contributions:
        year = contribution.pooled_budget.financial_year.start_year
        draw = rng.random()
        # Most partners land near plan; some overspend, fewer underspend.
        if draw < 0.7:
            variance = factor(rng, 0, 0.02) - 1
        elif draw < 0.9:
            variance = factor(rng, 0.07, 0.025) - 1
        else:
            variance = factor(rng, -0.06, 0.02) - 1
        for number in (1, 2, 3, 4):
            if (year, number) not in quarters or rng.random() < 0.06:  # not reported
                continue
            forecast = pounds(
                contribution.planned * (1 + variance * number / 4) * factor(rng, 0, 0.005)
            )
            actual = None
            if rng.random() >= 0.05:
                actual = (forecast * number / 4 * factor(rng, 0, 0.02)).quantize(PENNY)
            context.sink.add(
                ContributionOutturn(
                    contribution_id=contribution.pk,
                    quarter_id=context.quarters[(year, number)].pk,
                    forecast=max(forecast, Decimal(0)),
                    actual_to_date=None if actual is None else max(actual, Decimal(0)),
                )
            )


def build_teams(context: Context, p: Partnership, count: int) -> list[tuple[Team, str]]:
    """Locality teams (mostly of one kind), and up to half as many specialist teams; a
    council sometimes runs the Older Adults or AMHP team, and some Older Adults teams have
    moved back to the council, as Oxfordshire's did. Each with its post-reference code."""
    rng = p.rng
    specialists = SPECIALISTS[: min(len(SPECIALISTS), count // 2)]
    usual = rng.choice(tuple(LOCALITY_KINDS))
    teams = []
    for n in range(count - len(specialists)):
        kind = usual if rng.random() < 0.8 else rng.choice(tuple(LOCALITY_KINDS))
        locality = LOCALITIES[n % len(LOCALITIES)]
        if n >= len(LOCALITIES):
            locality += f" {n // len(LOCALITIES) + 1}"
        team = Team(
            agreement=p.agreement,
            name=f"{PREFIX}{p.number:04d} {locality} {LOCALITY_KINDS[kind]}",
            kind=kind,
            locality=locality,
            operated_by=p.trust,
            establishment_wte=Decimal(rng.randint(60, 130)) / 2,
        )
        teams.append((team, f"L{n + 1}"))
    for kind, code, name, establishment in specialists:
        council_run = kind in ("oa", "amhp") and rng.random() < 0.5
        team = Team(
            agreement=p.agreement,
            name=f"{PREFIX}{p.number:04d} {name}",
            kind=kind,
            operated_by=p.council if council_run else p.trust,
            establishment_wte=Decimal(rng.randint(*establishment)) / 2 if establishment else None,
        )
        if kind == "oa" and rng.random() < 0.3:
            team.left_agreement_on = datetime.date(
                rng.randint(max(2010, p.data_start.year + 2), 2024), 4, 1
            )
            team.left_agreement_note = (
                "Older adults mental health social work transferred back to the council; "
                "its staff TUPE transferred."
            )
        teams.append((team, code))
    context.sink.create([team for team, _ in teams])
    return teams


def build_posts(context: Context, p: Partnership, team: Team, code: str, count: int) -> float:
    """The team's posts, and the open cases its case-holding staff hold at the start.

    Posts seconded or TUPE transferred at the start begin with the agreement; created posts
    later. AMHPs are council employees (StaffPost.clean); a vacancy has no employer."""
    rng = p.rng
    first, others, weights = POST_MIX.get(team.kind, POST_MIX["locality"])
    roles = [first, *rng.choices(others, weights=weights, k=count - 1)]
    team_end = team.left_agreement_on - DAY if team.left_agreement_on else WINDOW_END
    trust_run = team.operated_by == p.trust
    numbers: dict[str, int] = {}
    holding_wte = Decimal(0)
    for role in roles:
        numbers[role] = numbers.get(role, 0) + 1
        origin = rng.choices(StaffPost.Origin.values, weights=(60, 15, 25))[0]
        valid_from = p.agreement.start_date
        if origin == StaffPost.Origin.CREATED:
            latest = min(WINDOW_END - 365 * DAY, team_end - 180 * DAY)
            if latest > valid_from + 365 * DAY:
                valid_from = day_between(rng, valid_from + 365 * DAY, latest)
        if role == "amhp" or origin == StaffPost.Origin.SECONDED:
            employer = p.council
            basis = StaffPost.Basis.SECONDED if trust_run else StaffPost.Basis.DIRECT
        else:
            employer = team.operated_by
            basis = (
                StaffPost.Basis.TUPE if origin == StaffPost.Origin.TUPE else StaffPost.Basis.DIRECT
            )
        if rng.random() < 0.12:
            employer, basis = None, StaffPost.Basis.VACANT
        valid_to = None
        if rng.random() < 0.1:
            valid_to = day_between(rng, valid_from + 180 * DAY, team_end)
        if team.left_agreement_on:
            valid_to = min(valid_to or team_end, team_end)
        if valid_to is not None:
            valid_to = max(valid_to, valid_from)
        funders = [p.council] * 15 + [p.trust] * 4 + [p.partners[-1]]  # the ICB, if a partner
        wte = Decimal(rng.choice(WTES))
        case_holding = role in CASE_HOLDING and team.kind != "management"
        if case_holding and employer is not None:
            holding_wte += wte
        context.sink.add(
            StaffPost(
                team_id=team.pk,
                reference=f"{code}-{ROLE_CODES[role]}-{numbers[role]:02d}",
                role=role,
                wte=wte,
                case_holding=case_holding,
                funder_id=rng.choice(funders).pk,
                employer_id=employer.pk if employer else None,
                basis=basis,
                origin=origin,
                valid_from=valid_from,
                valid_to=valid_to,
            )
        )
    if holding_wte:
        return float(holding_wte) * rng.uniform(18, 28)
    return rng.uniform(5, 30)  # a management or AMHP team's unallocated cases


def build_caseload(
    context: Context, p: Partnership, team: Team, base: float, months: list[datetime.date]
) -> None:
    """Month-end open cases from LAS and Carenotes, with the cases recorded in both; Care
    Act activity each quarter; and for an Older Adults team, which reports only totals,
    a yearly s117 register count. All while the team is in the agreement."""
    rng, left = p.rng, team.left_agreement_on
    in_both, las_only = rng.uniform(0.15, 0.35), rng.uniform(0.2, 0.4)
    level = base
    for as_at in months:
        if left and as_at >= left:
            break
        level = max(1.0, level * (1 + rng.gauss(0, 0.03)) + (base - level) * 0.1)
        total = round(level)
        both, only_las = round(total * in_both), round(total * las_only)
        only_carenotes = max(0, total - both - only_las)
        context.sink.add(
            CaseloadSnapshot(
                team_id=team.pk,
                source_system_id=context.las.pk,
                as_at=as_at,
                open_cases=only_las + both,
            )
        )
        context.sink.add(
            CaseloadSnapshot(
                team_id=team.pk,
                source_system_id=context.carenotes.pk,
                as_at=as_at,
                open_cases=only_carenotes + both,
            )
        )
        context.sink.add(
            CaseloadOverlap(team_id=team.pk, as_at=as_at, cases_in_more_than_one_system=both)
        )
    if team.kind not in ("management", "amhp"):
        referral_rate = rng.uniform(0.08, 0.15)
        for quarter in p.quarters(before=left):
            referrals = max(0, round(base * referral_rate * rng.gauss(1, 0.15)))
            context.sink.add(
                CareActActivity(
                    team_id=team.pk,
                    quarter_id=context.quarters[quarter].pk,
                    referrals=referrals,
                    assessments=round(referrals * rng.uniform(0.5, 0.75)),
                    reviews=round(base * rng.uniform(0.12, 0.25)),
                    carers_assessments=round(referrals * rng.uniform(0.05, 0.15)),
                    safeguarding_enquiries=round(referrals * rng.uniform(0.04, 0.12)),
                )
            )
    if team.kind == "oa":
        people = rng.uniform(100, 400)
        for year in range(financial_year_start(p.data_start), LAST_YEAR + 1):
            as_at = datetime.date(year + 1, 1, 31)
            if as_at < p.data_start or (left and as_at >= left):
                continue
            people *= rng.uniform(0.95, 1.08)
            context.sink.add(
                RegisterCount(
                    team=team,
                    as_at=as_at,
                    people=round(people),
                    source=f"{team.operated_by.short_name} Older Adults team, count for the JMG",
                )
            )


def build_register(context: Context, p: Partnership, teams: list[Team], count: int) -> None:
    """s117 entries of people discharged (a few still detained) from a qualifying section;
    about a quarter ended by joint decision, never while a CTO is in force; open entries
    reviewed within the last 18 months or so. Older Adults teams report totals instead."""
    rng = p.rng
    holding = [team for team in teams if team.kind not in ("oa", "management", "amhp")]
    entries = []
    for n in range(1, count + 1):
        days_back = 30 + min(int(rng.expovariate(1 / 2500)), 11_000)
        detained = WINDOW_END - days_back * DAY
        discharged = None
        if days_back > 150 or rng.random() < 0.5:
            discharged = min(detained + rng.randint(14, 720) * DAY, WINDOW_END)
        ended = None
        if discharged and rng.random() < 0.5:
            ended = discharged + rng.randint(180, 3000) * DAY
            ended = ended if ended <= WINDOW_END else None
        last_reviewed = review_due = None
        if ended:
            last_reviewed = ended - rng.randint(14, 120) * DAY
        elif discharged and discharged + 30 * DAY <= WINDOW_END:
            recently = WINDOW_END - rng.randint(0, 540) * DAY
            last_reviewed = max(discharged + 30 * DAY, recently)
            review_due = last_reviewed + 365 * DAY
        elif discharged:
            review_due = discharged + 42 * DAY
        number = ""
        if rng.random() >= 0.02:  # a few people arrive without a known NHS number
            while not number:
                number = nhs_number_at(context.nhs_cursor) or ""
                context.nhs_cursor += 1
        entries.append(
            RegisterEntry(
                agreement_id=p.agreement.pk,
                person_reference=f"N{p.number:04d}-{n:05d}",
                nhs_number=number,
                full_name=f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}",
                date_of_birth=detained - rng.randint(18 * 365 + 5, 85 * 365) * DAY,
                qualifying_section=rng.choices(SECTIONS, weights=(70, 15, 3, 7, 5))[0],
                detained_on=detained,
                discharged_on=discharged,
                responsible_council_id=p.council.pk,
                responsible_icb_id=p.icb.pk,
                team_id=rng.choice(holding).pk if rng.random() < 0.95 else None,
                council_share_percent=Decimal(rng.choice(COUNCIL_SHARES)),
                review_due=review_due,
                last_reviewed=last_reviewed,
                cto_in_force=bool(discharged and not ended and rng.random() < 0.12),
                ended_on=ended,
                end_agreed_by_council_on=ended - rng.randint(0, 45) * DAY if ended else None,
                end_agreed_by_icb_on=ended - rng.randint(0, 45) * DAY if ended else None,
                end_reason=rng.choice(END_REASONS) if ended else "",
            )
        )
    for entry in context.sink.create(entries):
        if entry.last_reviewed:
            outcome = "end_proposed" if entry.ended_on else rng.choice(("continue", "change"))
            context.sink.add(
                S117Review(
                    entry_id=entry.pk,
                    reviewed_on=entry.last_reviewed,
                    outcome=outcome,
                    next_review_due=entry.review_due,
                )
            )


def build_users(context: Context, agreement_ids: list[int]) -> None:
    """One user per role, without a usable password, a member of every national agreement."""
    memberships = []
    for username, title, role in USERS:
        user, created = get_user_model().objects.get_or_create(
            username=username, defaults={"first_name": title, "last_name": "(benchmark)"}
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
            context.sink.counts["auth.User"] = context.sink.counts.get("auth.User", 0) + 1
        memberships += [Membership(user=user, agreement_id=pk, role=role) for pk in agreement_ids]
    context.sink.create(memberships)


# What the generator draws names, texts and proportions from.


class Service(NamedTuple):
    title: str
    short: str
    functions: str
    population: str
    scope: str


class KPISpec(NamedTuple):
    code: str
    name: str
    definition: str
    unit: str
    direction: str
    target: str
    amber: str
    spread: float


PLACE_STARTS = (
    "Ash", "Bar", "Brook", "Cal", "Dun", "Elm", "Fair", "Glen", "Hart", "Kings",
    "Lang", "Mar", "Nor", "Oak", "Pen", "Ridge", "Salt", "Thorn", "Wex", "Wood",
)  # fmt: skip
PLACE_ENDS = ("bury", "by", "caster", "den", "field", "ford", "ham", "ley", "mouth", "ton")
COUNCIL_KINDS = (
    "County Council",
    "Borough Council",
    "City Council",
    "Metropolitan Borough Council",
    "Council",
)
SERVICES = (
    Service(
        "mental health social work for adults of working age",
        "adult MH social work",
        "Care Act assessment, care planning and review, and mental health social work, "
        "delivered on behalf of the council through the trust's community teams.",
        "Adults of working age with mental health needs",
        "adults of working age",
    ),
    Service(
        "older adults mental health services",
        "older adults MH",
        "Mental health social work and community services for older adults, with the "
        "council's social care staff seconded to the trust.",
        "Older adults with mental health needs",
        "older adults",
    ),
    Service(
        "integrated mental health and AMHP services",
        "integrated MH",
        "Integrated health and social care mental health services, including the "
        "Approved Mental Health Professional service; pooled budget.",
        "Adults with mental health needs",
        "adults",
    ),
)
ICB_ROLES = ("commissioner", "partner", "consenting")
UPLIFT_BASES = (
    "In line with CPI and the National Minimum Wage",
    "In line with the NHS pay award",
    "In line with CPI",
)
JMG = {
    "name": "Mental Health Joint Management Group",
    "kind": GovernanceBody.Kind.JMG,
    "remit": "Monitors the pooled budget, activity, staffing and service improvements.",
}
FIXED_SHARES = {2: ((50, 50), (60, 40), (40, 60)), 3: ((40, 40, 20), (50, 30, 20))}
KPIS = (
    KPISpec(
        "KPI 1",
        "Care Act assessments completed within 28 days",
        "Assessments completed within 28 days of referral, as a percentage of all "
        "assessments completed in the quarter.",
        "percent", "higher", "90.00", "80.00", 6.0,
    ),
    KPISpec(
        "KPI 2",
        "Care plans reviewed in the last 12 months",
        "People with a care plan reviewed in the 12 months to the quarter's end, as a "
        "percentage of people with a care plan.",
        "percent", "higher", "85.00", "75.00", 7.0,
    ),
    KPISpec(
        "KPI 3",
        "Days from referral to first contact",
        "Median days from a referral's receipt to the first contact with the person.",
        "days", "lower", "7.00", "14.00", 4.0,
    ),
    KPISpec(
        "KPI 4",
        "Adults in contact with services in paid employment",
        "Adults in contact with secondary mental health services in paid employment, as a "
        "percentage of all such adults.",
        "percent", "higher", "10.00", "7.00", 2.5,
    ),
    KPISpec(
        "KPI 5",
        "s117 aftercare reviews overdue",
        "People on the s117 register whose review was overdue at the quarter's end.",
        "count", "lower", "10.00", "25.00", 8.0,
    ),
)  # fmt: skip
RECOMMENDATIONS = (
    "Refresh the partnership agreement's schedules to reflect current services.",
    "Agree a single caseload report drawn from both case-management systems.",
    "Bring Care Act assessment timeliness up to the agreed target.",
    "Improve the recording of safeguarding enquiries.",
    "Set up a joint workforce plan for seconded social work staff.",
    "Review the risk-share arrangements for the pooled budget.",
    "Introduce quarterly supervision audits for social work practice.",
    "Clarify the AMHP rota and its funding.",
    "Reduce the number of overdue s117 aftercare reviews.",
    "Publish an annual report on the partnership to both partners' boards.",
    "Strengthen carers' assessments and their recording.",
    "Align performance indicators with the adult social care outcomes framework.",
)
OWNERS = (
    "Head of Social Care",
    "Director of Adult Social Care",
    "Service Director, Mental Health",
    "Pooled Fund Manager",
    "Principal Social Worker",
    "Head of Commissioning",
)
PROGRESS_NOTES = {
    "in_progress": "Work under way; an update will come to the next JMG.",
    "complete": "Completed and signed off by the JMG.",
    "dropped": "Closed by the JMG: overtaken by other changes.",
}
LOCALITY_KINDS = {"amht": "AMHT", "imht": "IMHT", "cmht": "CMHT"}
LOCALITIES = (
    "North", "South", "East", "West", "Central", "City", "North East", "North West",
    "South East", "South West", "Coastal", "Rural", "Valley", "Town",
)  # fmt: skip
# kind, post-reference code, name, establishment range in half-WTE (None: not reported)
SPECIALISTS = (
    ("management", "MGT", "Social Work Management", None),
    ("eis", "EIS", "Early Intervention Service", (30, 70)),
    ("oa", "OA", "Older Adults Mental Health Social Work Team", (20, 60)),
    ("fs", "FS", "Forensic Service", (20, 50)),
    ("amhp", "AMHP", "AMHP Service", (16, 40)),
)
# team kind: its first post, then the roles the others are drawn from, and their weights
POST_MIX = {
    "management": ("head", ("manager", "admin", "senior"), (50, 30, 20)),
    "amhp": ("manager", ("amhp", "admin"), (85, 15)),
    "locality": (
        "manager",
        ("social_worker", "senior", "amhp", "support", "admin"),
        (60, 15, 8, 12, 5),
    ),
}
CASE_HOLDING = ("social_worker", "senior", "amhp")
WTES = ("1.00",) * 6 + ("0.80", "0.60", "0.50", "0.40")
SECTIONS = ("3", "37", "45A", "47", "48")
COUNCIL_SHARES = ("50",) * 6 + ("60", "40", "100", "0", "70", "30")
END_REASONS = (
    "Aftercare needs met; ending agreed jointly at review.",
    "Moved out of the area; responsibility passed to the new council and ICB.",
    "Died.",
    "Readmitted under section 3; a new entitlement will follow discharge.",
)
FIRST_NAMES = (
    "Alex", "Sam", "Jordan", "Taylor", "Morgan", "Casey", "Jamie", "Robin", "Charlie",
    "Drew", "Avery", "Riley", "Quinn", "Rowan", "Sasha", "Frankie",
)  # fmt: skip
SURNAMES = (
    "Example", "Sample", "Testwell", "Placeholder", "Synthetic", "Mockford", "Dummer",
    "Fictum", "Madeup", "Notreal", "Specimen", "Instance",
)  # fmt: skip
