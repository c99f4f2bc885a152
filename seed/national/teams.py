"""Staffing, caseload and activity: an agreement's locality and specialist teams (some run
by the council, some Older Adults teams moved back to it), each team's staff posts, month-end
open cases from LAS and Carenotes with the cases recorded in both, quarterly Care Act activity
and, for Older Adults teams, a yearly s117 register count."""

import datetime
from decimal import Decimal

from caseload.models import CareActActivity, CaseloadOverlap, CaseloadSnapshot, StaffPost, Team
from core.periods import financial_year_start
from s117.models import RegisterCount
from seed.demo.teams import ROLE_CODES
from seed.national.common import (
    DAY,
    LAST_YEAR,
    PREFIX,
    WINDOW_END,
    Context,
    Partnership,
    day_between,
)
from seed.national.vocabulary import (
    CASE_HOLDING,
    LOCALITIES,
    LOCALITY_KINDS,
    POST_MIX,
    SPECIALISTS,
    WTES,
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
    a yearly s117 register count. All while the team is in the agreement. In that order:
    each draws from the agreement's random generator in turn."""
    build_snapshots(context, p, team, base, months)
    if team.kind not in ("management", "amhp"):
        build_activity(context, p, team, base)
    if team.kind == "oa":
        build_register_counts(context, p, team)


def build_snapshots(
    context: Context, p: Partnership, team: Team, base: float, months: list[datetime.date]
) -> None:
    """Each month's open cases, drifting around `base`: a share recorded in both systems
    and a share in LAS alone, fixed for the team, as the two systems' records are."""
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


def build_activity(context: Context, p: Partnership, team: Team, base: float) -> None:
    """Care Act counts each quarter, in proportion to the team's caseload: assessments and
    the rest follow from referrals, as they do in a council's returns."""
    rng, left = p.rng, team.left_agreement_on
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


def build_register_counts(context: Context, p: Partnership, team: Team) -> None:
    """An Older Adults team's yearly count of people on the s117 register, each January:
    such teams report a total for the JMG, not a list of people."""
    rng, left = p.rng, team.left_agreement_on
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
