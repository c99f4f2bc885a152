"""The writes of an entitlement's life after it is on the register: ending it by joint
decision, a package's own review date, and who is responsible for it over time.

Kept beside s117/actions.py (the register file's, reviews' and packages' writes), which
they use, so that neither module grows past reading in one sitting. As there, each is
atomic, refuses with a ValidationError keyed by the form's field with nothing saved, and
writes the access log's CHANGE row for the person's record."""

import datetime
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from partnerships.models import Organisation
from s117.actions import record_access, reschedule_review
from s117.models import AccessLog, AftercarePackage, RegisterEntry, Responsibility
from s117.responsibility import FIRST_PERIOD_REASON


def _day(day: datetime.date) -> str:
    return f"{day:%-d %B %Y}"


def _locked(entry: RegisterEntry) -> RegisterEntry:
    """The entry as it is now, its row held until the transaction ends: one change to a
    person's record at a time, each checked against what the one before it saved."""
    return RegisterEntry.objects.select_for_update().get(pk=entry.pk)


def _end_problems(entry, ended_on, council_on, icb_on, reason, today) -> dict[str, str]:
    problems = {}
    if entry.ended_on is not None:
        problems["ended_on"] = f"Aftercare already ended on {_day(entry.ended_on)}"
    elif entry.cto_in_force:
        problems["ended_on"] = (
            "Aftercare can't end while a Community Treatment Order is in force: record the "
            "order's end on the register first"
        )
    elif entry.discharged_on is None:
        problems["ended_on"] = (
            "Aftercare can't end before it begins: the person has not been discharged"
        )
    elif ended_on < entry.discharged_on:
        problems["ended_on"] = (
            f"The end must be on or after the person's discharge, {_day(entry.discharged_on)}"
        )
    elif ended_on > today:
        problems["ended_on"] = "The date aftercare ends can't be in the future"
    agreed = {
        "end_agreed_by_council_on": (council_on, "council"),
        "end_agreed_by_icb_on": (icb_on, "ICB"),
    }
    for field, (agreed_on, body) in agreed.items():
        if agreed_on is None:
            problems[field] = f"Enter the date the {body} agreed: ending is a joint decision"
        elif agreed_on > today:
            problems[field] = f"The date the {body} agreed can't be in the future"
        elif agreed_on > ended_on:
            problems[field] = f"The {body} must have agreed by the day aftercare ends"
    if not reason.strip():
        problems["end_reason"] = "Give the reason for ending aftercare"
    return problems


@transaction.atomic
def end_entitlement(
    by,
    entry: RegisterEntry,
    *,
    ended_on: datetime.date,
    end_agreed_by_council_on: datetime.date | None,
    end_agreed_by_icb_on: datetime.date | None,
    end_reason: str,
    path: str = "",
) -> RegisterEntry:
    """End a person's entitlement to aftercare by the joint decision of the council and
    the ICB (MHA 1983 s117(2)): on a day on or after discharge, never while a Community
    Treatment Order is in force, both bodies having agreed by then, with the reason. The
    database's constraints hold the same rules for every other path."""
    entry = _locked(entry)
    problems = _end_problems(
        entry,
        ended_on,
        end_agreed_by_council_on,
        end_agreed_by_icb_on,
        end_reason,
        timezone.localdate(),
    )
    if problems:
        raise ValidationError(problems)
    entry.ended_on = ended_on
    entry.end_agreed_by_council_on = end_agreed_by_council_on
    entry.end_agreed_by_icb_on = end_agreed_by_icb_on
    entry.end_reason = end_reason.strip()
    entry.clean_fields(exclude=[f.name for f in entry._meta.fields if f.name != "end_reason"])
    entry._history_user = by
    entry.save(
        update_fields=["ended_on", "end_agreed_by_council_on", "end_agreed_by_icb_on", "end_reason"]
    )
    record_access(by=by, entry=entry, action=AccessLog.Action.CHANGE, path=path)
    return entry


@transaction.atomic
def change_package_review(
    by, package: AftercarePackage, review_due: datetime.date | None, *, path: str = ""
) -> AftercarePackage:
    """Set (or clear) the date a package is itself next to be reviewed, after its start,
    and work the person's next review out again by the rule record_review uses."""
    if review_due is not None and review_due <= package.start_date:
        start = _day(package.start_date)
        raise ValidationError(
            {"review_due": f"The package's review must be after its start, {start}"}
        )
    package.review_due = review_due
    package._history_user = by
    package.save(update_fields=["review_due"])
    reschedule_review(by, package.entry)
    record_access(by=by, entry=package.entry, action=AccessLog.Action.CHANGE, path=path)
    return package


class Period(NamedTuple):
    """A period of responsibility as the person's record shows it."""

    starts_on: datetime.date
    council: Organisation
    icb: Organisation
    reason: str
    recorded: bool  # False for the first period while it is only implied
    ends_on: datetime.date | None = None  # the day before the next began; None: current


def responsibility_history(entry: RegisterEntry) -> list[Period]:
    """Who has been responsible for the person's aftercare, oldest first: the periods
    recorded or, with none, the entry's bodies since detention."""
    recorded = list(
        entry.responsibilities.select_related("responsible_council", "responsible_icb").order_by(
            "starts_on"
        )
    )
    if not recorded:
        return [
            Period(entry.detained_on, entry.responsible_council, entry.responsible_icb, "", False)
        ]
    ends = [later.starts_on - datetime.timedelta(days=1) for later in recorded[1:]] + [None]
    return [
        Period(p.starts_on, p.responsible_council, p.responsible_icb, p.reason, True, end)
        for p, end in zip(recorded, ends, strict=True)
    ]


def _responsibility_problems(entry, starts_on, council, icb, reason, today) -> dict[str, str]:
    problems = {}
    latest = entry.responsibilities.order_by("-starts_on").first()
    if starts_on > today:
        problems["starts_on"] = "The change can't apply from a day in the future"
    elif starts_on <= entry.detained_on:
        problems["starts_on"] = (
            f"The change must apply from after the person's detention, "
            f"{_day(entry.detained_on)}: the bodies then are the first period"
        )
    elif latest is not None and starts_on <= latest.starts_on:
        problems["starts_on"] = (
            f"The change must apply from after the latest one, from {_day(latest.starts_on)}"
        )
    if council.kind != "council":
        problems["responsible_council"] = "Choose a council"
    if icb.kind not in ("icb", "ccg"):
        problems["responsible_icb"] = (
            "Choose an integrated care board (or, before July 2022, a CCG)"
        )
    if (council.pk, icb.pk) == (entry.responsible_council_id, entry.responsible_icb_id):
        problems["responsible_council"] = (
            "These bodies are already responsible: choose those responsible from then"
        )
    if not reason.strip():
        problems["reason"] = "Give the reason responsibility changes"
    return problems


@transaction.atomic
def change_responsibility(
    by,
    entry: RegisterEntry,
    *,
    starts_on: datetime.date,
    responsible_council: Organisation,
    responsible_icb: Organisation,
    reason: str,
    path: str = "",
) -> Responsibility:
    """Record that `responsible_council` and `responsible_icb` are responsible for the
    person's aftercare from `starts_on`, and why, and make them the entry's current bodies.
    The first change also writes the period it ends, from detention, so the history keeps
    who was responsible before."""
    entry = _locked(entry)
    problems = _responsibility_problems(
        entry, starts_on, responsible_council, responsible_icb, reason, timezone.localdate()
    )
    if problems:
        raise ValidationError(problems)
    if not entry.responsibilities.exists():
        _add_period(
            by,
            entry,
            entry.detained_on,
            entry.responsible_council,
            entry.responsible_icb,
            FIRST_PERIOD_REASON,
        )
    period = _add_period(by, entry, starts_on, responsible_council, responsible_icb, reason)
    entry.responsible_council = responsible_council
    entry.responsible_icb = responsible_icb
    entry._history_user = by
    entry.save(update_fields=["responsible_council", "responsible_icb"])
    record_access(by=by, entry=entry, action=AccessLog.Action.CHANGE, path=path)
    return period


def _add_period(by, entry, starts_on, council, icb, reason) -> Responsibility:
    period = Responsibility(
        entry=entry,
        starts_on=starts_on,
        responsible_council=council,
        responsible_icb=icb,
        reason=reason.strip(),
    )
    period._history_user = by
    period.full_clean()
    period.save()
    return period
