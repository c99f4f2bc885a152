"""The s117 register: an agreement's entries for people discharged (a few still detained)
from a qualifying section, with test-range NHS numbers drawn in turn from one cursor for the
whole run, about a quarter of them ended by joint decision, a review for each entry
reviewed so far, and their primary support reasons and aftercare packages (`aftercare`)."""

import datetime
import random
from dataclasses import dataclass
from decimal import Decimal

from caseload.models import Team
from s117 import nhs_number
from s117.models import RegisterEntry
from s117.models import Review as S117Review
from seed.national.aftercare import aftercare_rng, build_packages, support_reason
from seed.national.common import DAY, WINDOW_END, Context, Partnership
from seed.national.vocabulary import (
    COUNCIL_SHARES,
    END_REASONS,
    FIRST_NAMES,
    SECTIONS,
    SURNAMES,
)

# Test-range NHS numbers (999…): stepping through the million stems by a number coprime
# with a million visits each stem once, so a number repeats only after about 909,000.
NHS_STEP = 7919


def nhs_number_at(candidate: int) -> str | None:
    """The test-range NHS number of a candidate, or None where its stem can have no valid
    check digit (about one in eleven)."""
    stem = f"999{candidate * NHS_STEP % 1_000_000:06d}"
    digit = nhs_number.check_digit(stem)
    return None if digit is None else f"{stem}{digit}"


def build_register(context: Context, p: Partnership, teams: list[Team], count: int) -> None:
    """s117 entries of people discharged (a few still detained) from a qualifying section;
    about a quarter ended by joint decision, never while a CTO is in force; open entries
    reviewed within the last 18 months or so; each with a primary support reason, and the
    open ones with aftercare packages. Older Adults teams report totals instead."""
    rng, aftercare = p.rng, aftercare_rng(context, p)
    holding = [team for team in teams if team.kind not in ("oa", "management", "amhp")]
    entries = []
    for n in range(1, count + 1):
        dates = entitlement_dates(rng)
        number = next_nhs_number(context, rng)
        entry = register_entry(p, n, holding, number, dates)
        entry.primary_support_reason = support_reason(aftercare)
        entries.append(entry)
    context.sink.create(entries)
    build_reviews(context, rng, entries)
    build_packages(context, aftercare, entries)


@dataclass(frozen=True)
class EntitlementDates:
    detained: datetime.date
    discharged: datetime.date | None
    ended: datetime.date | None
    last_reviewed: datetime.date | None
    review_due: datetime.date | None


def entitlement_dates(rng: random.Random) -> EntitlementDates:
    """When a person was detained, discharged and, for some, their aftercare ended, and
    when they were last reviewed and are due again: most detentions long past (an
    exponential tail of up to 30 years), ended ones reviewed before they ended, open ones
    within the last 18 months, the newly discharged within six weeks."""
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
    return EntitlementDates(detained, discharged, ended, last_reviewed, review_due)


def next_nhs_number(context: Context, rng: random.Random) -> str:
    """The next test-range NHS number from the run's cursor, or blank for the few people
    who arrive without a known one."""
    number = ""
    if rng.random() >= 0.02:
        while not number:
            number = nhs_number_at(context.nhs_cursor) or ""
            context.nhs_cursor += 1
    return number


def register_entry(
    p: Partnership, n: int, holding: list[Team], number: str, dates: EntitlementDates
) -> RegisterEntry:
    """The entry, its other fields drawn in the order of the model's: a few people with
    no team recorded, a CTO only while aftercare is open, both bodies agreeing an end."""
    rng, ended, discharged = p.rng, dates.ended, dates.discharged
    return RegisterEntry(
        agreement_id=p.agreement.pk,
        person_reference=f"N{p.number:04d}-{n:05d}",
        nhs_number=number,
        full_name=f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}",
        date_of_birth=dates.detained - rng.randint(18 * 365 + 5, 85 * 365) * DAY,
        qualifying_section=rng.choices(SECTIONS, weights=(70, 15, 3, 7, 5))[0],
        detained_on=dates.detained,
        discharged_on=discharged,
        responsible_council_id=p.council.pk,
        responsible_icb_id=p.icb.pk,
        team_id=rng.choice(holding).pk if rng.random() < 0.95 else None,
        council_share_percent=Decimal(rng.choice(COUNCIL_SHARES)),
        review_due=dates.review_due,
        last_reviewed=dates.last_reviewed,
        cto_in_force=bool(discharged and not ended and rng.random() < 0.12),
        ended_on=ended,
        end_agreed_by_council_on=ended - rng.randint(0, 45) * DAY if ended else None,
        end_agreed_by_icb_on=ended - rng.randint(0, 45) * DAY if ended else None,
        end_reason=rng.choice(END_REASONS) if ended else "",
    )


def build_reviews(context: Context, rng: random.Random, entries: list[RegisterEntry]) -> None:
    """A review for each entry reviewed so far: an ended entry's last review proposed the
    end; an open one's continued or changed the aftercare."""
    for entry in entries:
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
