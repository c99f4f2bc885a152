"""Periods of responsibility that a register save writes: a file that gives a person another
responsible council or ICB records the change as a period from the day it is saved, as the
person's page does (s117.lifecycle.change_responsibility), so that the history and the
entry's current bodies agree however the bodies were changed (docs/adr/0026).

Written in bulk, with a fixed few queries however many people the file moves: a register
can hold 250,000 people (docs/adr/0010)."""

import datetime
from typing import NamedTuple

from django.db.models import Max

from partnerships.bulk_history import bulk_create_recording_history, bulk_update_recording_history
from s117.models import RegisterEntry, Responsibility

# The first period of responsibility, written when the first change is: until then it is
# implied, the entry's bodies having been responsible since detention.
FIRST_PERIOD_REASON = "Responsible when detained (as the register recorded before any change)."
BODIES = ("responsible_council", "responsible_icb")
MAX_FILE_NAME = 200  # of the reason's 2,000 characters


class Move(NamedTuple):
    """An entry a register file gives other responsible bodies, saved with them, and the
    bodies' ids before."""

    entry: RegisterEntry
    council_before: int
    icb_before: int


def moves_someone(change) -> bool:
    """Whether a register file's change (s117.register_file.EntryChange) gives someone on
    the register other responsible bodies. A new entry's are taken as responsible since
    detention: it moves no one."""
    return change.before is not None and bool(set(BODIES) & set(change.changed_fields))


def moved_by_file(change, entry: RegisterEntry) -> Move | None:
    """The move a register file's change makes to `entry`, or None if it moves no one."""
    if not moves_someone(change):
        return None
    return Move(entry, change.before["responsible_council"], change.before["responsible_icb"])


def file_reason(file_name: str) -> str:
    name = file_name.strip()[:MAX_FILE_NAME]
    return f"Changed by the register file {name}." if name else "Changed by a register file."


def record_moves(*, by, agreement, moves: list[Move], today: datetime.date, reason: str) -> int:
    """Write a period from `today` for each entry that `moves` gives other bodies (already
    saved on the entry) and, for an entry with none recorded yet, the period it ends, from
    detention, with the bodies before. A period recorded from today already (on the
    person's page, earlier the same day) takes the file's bodies: the file is the later
    word on who is responsible from today. Returns the number of periods written.

    One query reads the latest period of every entry of the register; the rest are the
    bulk writes' own, whatever the number of moves. Part of the caller's transaction."""
    if not moves:
        return 0
    latest = dict(
        Responsibility.objects.filter(entry__agreement=agreement)
        .order_by()
        .values("entry_id")
        .annotate(latest=Max("starts_on"))
        .values_list("entry_id", "latest")
    )
    new, from_today = [], []
    for entry, council_before, icb_before in moves:
        recorded = entry.pk in latest
        if not recorded and entry.detained_on >= today:
            continue  # detained today: the bodies since detention are the file's
        if not recorded:
            new.append(
                _period(entry, entry.detained_on, council_before, icb_before, FIRST_PERIOD_REASON)
            )
        if latest.get(entry.pk) == today:
            from_today.append(entry)
        else:
            new.append(
                _period(
                    entry, today, entry.responsible_council_id, entry.responsible_icb_id, reason
                )
            )
    bulk_create_recording_history(new, Responsibility, by=by)
    replaced = _replace_from_today(by, agreement, from_today, today, reason)
    return len(new) + replaced


def _period(entry, starts_on, council_id, icb_id, reason) -> Responsibility:
    return Responsibility(
        entry=entry,
        starts_on=starts_on,
        responsible_council_id=council_id,
        responsible_icb_id=icb_id,
        reason=reason,
    )


def _replace_from_today(by, agreement, entries: list[RegisterEntry], today, reason) -> int:
    if not entries:
        return 0
    bodies = {entry.pk: entry for entry in entries}
    # By the register, not by a list of ids: a file can move more people than a statement
    # takes parameters.
    periods = [
        period
        for period in Responsibility.objects.filter(entry__agreement=agreement, starts_on=today)
        if period.entry_id in bodies
    ]
    for period in periods:
        entry = bodies[period.entry_id]
        period.responsible_council_id = entry.responsible_council_id
        period.responsible_icb_id = entry.responsible_icb_id
        period.reason = reason
    fields = ["responsible_council", "responsible_icb", "reason"]
    bulk_update_recording_history(periods, Responsibility, fields, by=by)
    return len(periods)
