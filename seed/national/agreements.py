"""Organisations, agreements and their terms: ICBs, trusts and councils named
`national-…` with Z codes, grouped into ICB areas; then, for each agreement, the agreement
itself and its partners, its initial term and extensions each with the decision that
authorised it (and any pre-decision scrutiny), its value projections and its JMG. It then
hands the agreement to the builders of its review, KPIs, budgets, teams, caseload and s117
register, in that order, which fixes the order of the agreement's random draws."""

import datetime
import random
from dataclasses import dataclass
from decimal import Decimal

from budgets import uplift
from budgets.models import ValueProjection
from caseload.models import Team
from core.periods import financial_year_start
from partnerships.models import (
    Agreement,
    AgreementPartner,
    AgreementTerm,
    Decision,
    GovernanceBody,
    Organisation,
)
from partnerships.models.organisations import ICBS_FROM
from seed.national.common import (
    CCGS_FROM,
    DAY,
    PENNY,
    PREFIX,
    WINDOW_END,
    WINDOW_START,
    Context,
    Partnership,
    add_months,
    month_ends,
)
from seed.national.governance import build_kpis, build_returns, build_review
from seed.national.plan import Plan
from seed.national.pooled_budgets import build_budgets
from seed.national.register import build_register
from seed.national.teams import build_caseload, build_posts, build_teams
from seed.national.vocabulary import (
    COUNCIL_KINDS,
    COUNCIL_TYPES,
    ICB_ROLES,
    JMG,
    PLACE_ENDS,
    PLACE_STARTS,
    SERVICES,
    UPLIFT_BASES,
    Service,
)


@dataclass
class Geography:
    councils: list[Organisation]
    trusts: list[Organisation]
    icbs: list[Organisation]
    ccgs: list[Organisation]  # each ICB's CCG, in the same order, succeeded on 1 July 2022
    pcts: list[Organisation]  # each CCG's PCT, succeeded on 1 April 2013
    places: dict[int, str]  # organisation id: its place name
    council_icb: list[int]  # council's index: its ICB's index
    trusts_by_icb: dict[int, list[int]]


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
        kind = rng.choice(COUNCIL_KINDS)
        rows.append(
            Organisation(
                name=f"{PREFIX}c{n:04d} {places[-1]} {kind}",
                short_name=f"C{n:04d}",
                kind=Organisation.Kind.COUNCIL,
                council_type=COUNCIL_TYPES[kind],
                gss_code=f"Z{n:08d}",
            )
        )
    context.sink.create(rows)
    # Each ICB's CCG, and that CCG's PCT: the bodies an agreement passed through.
    ccgs = context.sink.create(
        [
            Organisation(
                name=f"{PREFIX}g{n:04d} NHS {places[n - 1]} Clinical Commissioning Group",
                short_name=f"CCG{n:04d}",
                kind=Organisation.Kind.CCG,
                ods_code=f"ZG{n:04d}",
                established_on=CCGS_FROM,
                dissolved_on=ICBS_FROM - DAY,
                successor=icb,
            )
            for n, icb in enumerate(rows[: plan.icbs], start=1)
        ]
    )
    pcts = context.sink.create(
        [
            Organisation(
                name=f"{PREFIX}p{n:04d} {places[n - 1]} Primary Care Trust",
                short_name=f"PCT{n:04d}",
                kind=Organisation.Kind.PCT,
                ods_code=f"ZP{n:04d}",
                dissolved_on=CCGS_FROM - DAY,
                successor=ccg,
            )
            for n, ccg in enumerate(ccgs, start=1)
        ]
    )

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
        ccgs=ccgs,
        pcts=pcts,
        places={row.pk: name for row, name in zip(rows, places, strict=True)},
        council_icb=council_icb,
        trusts_by_icb=trusts_by_icb,
    )


def build_agreement(
    context: Context, geography: Geography, index: int, post_counts: list[int], entries: int
) -> Agreement:
    """A council's agreement with a trust in its ICB's area (a council's second agreement
    is for another service), sometimes with the ICB as a partner too. Every builder draws
    from the agreement's own random generator, so their order here fixes what each draws:
    the same seed gives the same agreement."""
    p, terms = start_partnership(context, geography, index)
    build_partners(context, p)
    build_decisions(context, p, terms)
    jmg = context.sink.create([GovernanceBody(agreement=p.agreement, **JMG)])[0]
    build_review(context, p, jmg)
    build_kpis(context, p)
    build_returns(context, p)
    build_budgets(context, p)
    teams = build_staffing(context, p, post_counts)
    build_register(context, p, teams, entries)
    return p.agreement


def parties(
    geography: Geography, index: int
) -> tuple[Organisation, Organisation, Organisation, Service]:
    """The council, its ICB, a trust in the ICB's area (any trust where it has none) and
    the service: councils take their first agreement in turn, then their second, each
    round with the area's next trust and the next service."""
    round_ = index // len(geography.councils)
    council_index = index % len(geography.councils)
    icb_index = geography.council_icb[council_index]
    choices = geography.trusts_by_icb.get(icb_index) or range(len(geography.trusts))
    council, icb = geography.councils[council_index], geography.icbs[icb_index]
    trust = geography.trusts[choices[round_ % len(choices)]]
    return council, icb, trust, SERVICES[round_ % len(SERVICES)]


def start_partnership(
    context: Context, geography: Geography, index: int
) -> tuple[Partnership, list[tuple[str, datetime.date, datetime.date]]]:
    """The agreement, saved, and the Partnership its other rows are built from (its
    partners, what each plans to contribute in 2007/08, and its yearly growth), with its
    terms."""
    number = index + 1
    rng = random.Random(f"{context.seed}/agreement/{number}")  # noqa: S311 – synthetic data
    council, icb, trust, service = parties(geography, index)
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
    # Every other agreement with its ICB as a partner was its PCT's, then its CCG's
    # (chosen by number, not drawn, so the agreement's draws are as before).
    if icb in p.partners and number % 2 and agreement.start_date < ICBS_FROM:
        area = geography.icbs.index(icb)
        if agreement.start_date < CCGS_FROM:
            p.commissioners.append((0, geography.pcts[area]))
        p.commissioners.append((CCGS_FROM.year, geography.ccgs[area]))
        p.commissioners.append((ICBS_FROM.year, icb))
    return p, terms


def build_partners(context: Context, p: Partnership) -> None:
    """The partners and their roles: the trust leads provision, the council commissions,
    and one of them (mostly the trust) hosts the pooled fund."""
    rng = p.rng
    host = p.trust if rng.random() < 0.75 else p.council
    roles = {p.trust: "lead_provider", p.council: "commissioner", p.icb: rng.choice(ICB_ROLES)}
    for organisation in p.partners:
        if organisation == p.icb and p.commissioners:
            continue
        context.sink.add(
            AgreementPartner(
                agreement=p.agreement,
                organisation=organisation,
                role=roles[organisation],
                is_host=organisation == host,
            )
        )
    for body, first, last in commissioners_in_turn(p):
        context.sink.add(
            AgreementPartner(
                agreement=p.agreement,
                organisation=body,
                role=roles[p.icb],
                from_date=first,
                to_date=last,
            )
        )


def commissioners_in_turn(p: Partnership):
    """(body, first day, last day) of each NHS commissioner in the ICB's place: the first
    from the start of the agreement, the last (the ICB) to its end."""
    bodies = [body for _, body in p.commissioners]
    for n, body in enumerate(bodies):
        first = None if n == 0 else bodies[n - 1].dissolved_on + DAY
        last = body.dissolved_on if n < len(bodies) - 1 else None
        yield body, first, last


def build_staffing(context: Context, p: Partnership, post_counts: list[int]) -> list[Team]:
    """The teams, each with its posts and then its caseload, which starts from what the
    team's case-holding posts hold."""
    teams = build_teams(context, p, len(post_counts))
    months = month_ends(p.data_start, WINDOW_END)
    for (team, code), count in zip(teams, post_counts, strict=True):
        caseload = build_posts(context, p, team, code, count)
        build_caseload(context, p, team, caseload, months)
    return [team for team, _ in teams]


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
    rng = p.rng
    rate = Decimal(rng.choice(("0.0200", "0.0250", "0.0300", "0.0350")))
    uplift_basis = rng.choice(UPLIFT_BASES)
    decisions, authorised, projections = [], [], []
    for n, (kind, start, end) in enumerate(terms):
        if kind == "initial":
            decision = approval(p, start, end)
        else:
            scrutiny, decision, projection = extension(p, n, start, end, rate)
            if scrutiny is not None:
                decisions.append(scrutiny)
            projections.append(projection)
        decisions.append(decision)
        authorised.append((kind, start, end, decision))
    context.sink.create(decisions)
    for kind, start, end, decision in authorised:
        context.sink.add(
            AgreementTerm(
                agreement=p.agreement,
                kind=kind,
                start_date=start,
                end_date=end,
                authorised_by=decision,
            )
        )
    build_projections(context, p, authorised, projections, rate, uplift_basis)


def approval(p: Partnership, start: datetime.date, end: datetime.date) -> Decision:
    """The decision to enter the agreement, some months before it began."""
    rng = p.rng
    return Decision(
        agreement=p.agreement,
        kind=Decision.Kind.APPROVAL,
        decided_on=start - rng.randint(30, 240) * DAY,
        body=rng.choice(("Executive", "Cabinet")),
        reference=f"N{p.number:04d}-A",
        summary=f"Approved entering a {round((end - start).days / 365.25)}-year "
        f"agreement with {p.trust.short_name} as lead provider, with a pooled budget.",
    )


def extension(p: Partnership, n: int, start: datetime.date, end: datetime.date, rate: Decimal):
    """An extension's decision, worth the council's planned contribution projected over
    the extension; a costly one sometimes scrutinised first (that decision, or None), and
    the projection it was made from, as (decision, base year ending, base value)."""
    rng = p.rng
    base_year_ending = start - DAY  # decided within the agreement year before
    base = p.planned(p.council, financial_year_start(base_year_ending))
    years = 0
    while uplift.anniversary(base_year_ending, years + 1) <= end:
        years += 1
    values = uplift.project(base, rate, base_year_ending=base_year_ending, years=years)
    cost = uplift.cost_of_period(values, start, end).quantize(PENNY)
    decided_on = start - rng.randint(60, 330) * DAY
    scrutiny = None
    if cost > 1_000_000 and rng.random() < 0.4:
        scrutiny = Decision(
            agreement=p.agreement,
            kind=Decision.Kind.SCRUTINY,
            decided_on=decided_on - 8 * DAY,
            body="Adult Care and Health Scrutiny Committee",
            summary="Pre-decision scrutiny of the proposed extension.",
        )
    decision = Decision(
        agreement=p.agreement,
        kind=Decision.Kind.EXTENSION,
        decided_on=decided_on,
        body="Executive" if cost > 1_000_000 else "Director of Adult Social Care",
        reference=f"N{p.number:04d}-E{n}",
        summary=f"Authorised an extension to {end:%-d %B %Y} at an estimated cost of £{cost:,.0f}.",
        value=cost,
    )
    return scrutiny, decision, (decision, base_year_ending, base)


def build_projections(context, p: Partnership, authorised, projections, rate, uplift_basis):
    """A value projection for each extension decision; an agreement never extended has
    one from its first year, made by its approval."""
    if not projections:
        first_year_ending = uplift.anniversary(p.agreement.start_date, 1) - DAY
        base = p.planned(p.council, financial_year_start(first_year_ending))
        projections.append((authorised[0][3], first_year_ending, base))
    for decision, base_year_ending, base in projections:
        context.sink.add(
            ValueProjection(
                agreement=p.agreement,
                base_value=base,
                base_year_ending=base_year_ending,
                uplift_rate=rate,
                uplift_basis=uplift_basis,
                decision=decision,
            )
        )
