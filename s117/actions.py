import datetime
import logging

from django.db import IntegrityError, transaction
from simple_history.utils import bulk_update_with_history

from partnerships import uploads
from partnerships.bulk_history import bulk_create_recording_history
from partnerships.models import Agreement, PendingUpload
from s117.models import AccessLog, RegisterEntry, Review
from s117.register_file import FIELD_OF, RegisterFile, read_register

logger = logging.getLogger(__name__)


@transaction.atomic
def record_access(*, by, entry: RegisterEntry, action: str, path: str = "") -> AccessLog:
    """Write who opened which person's record, before the record is shown."""
    log = AccessLog.about(entry, by=by, action=action, path=path)
    log.save()
    return log


def record_accesses(*, by, entries, action: str, path: str = "") -> int:
    """Write that `by` did `action` to each of `entries`' records: one row each, in bulk."""
    logs = AccessLog.objects.bulk_create(
        (AccessLog.about(entry, by=by, action=action, path=path) for entry in entries),
        batch_size=2000,
    )
    return len(logs)


@transaction.atomic
def record_review(
    *,
    by,
    entry: RegisterEntry,
    reviewed_on: datetime.date,
    outcome: str,
    next_review_due: datetime.date | None,
    notes: str = "",
) -> Review:
    """Add a review to the person's history and bring the register's review dates up to date."""
    review = Review(
        entry=entry,
        reviewed_on=reviewed_on,
        outcome=outcome,
        next_review_due=next_review_due,
        notes=notes,
    )
    review._history_user = by
    review.full_clean()
    review.save()
    latest = entry.reviews.order_by("-reviewed_on").first()
    entry.last_reviewed = latest.reviewed_on
    entry.review_due = latest.next_review_due
    entry._history_user = by
    entry.save(update_fields=["last_reviewed", "review_due"])
    return review


@transaction.atomic
def check_register_file(
    *, by, agreement, content: bytes, file_name: str, today: datetime.date, limits, path=""
) -> RegisterFile:
    """Read a register file against the register as it is now, and log it as a view of
    everyone on the register it was compared with or that its problems name: what the
    answer says tells the reader something of each (docs/access.md)."""
    result = read_register(content, file_name, agreement, today=today, limits=limits, keep=True)
    record_accesses(
        by=by, entries=result.looked_at.values(), action=AccessLog.Action.VIEW, path=path
    )
    return result


@transaction.atomic
def save_checked_register(*, by, agreement, token: str, today: datetime.date, limits, path=""):
    """Save the register file held for `by` under `token` (partnerships.uploads) as its
    preview showed it, or not at all. The file is checked again against the register as
    it is now: problems found then are returned, with nothing saved (and logged as a check
    is); a preview that would now differ raises RegisterChanged, and the file stays held to
    be checked again. Once saved, it is no longer held. Returns the checked file, its name
    and the number of entries written; raises NothingWaiting if no such file is held.

    The partnership's row is locked first, so that saves to one register are checked and
    made one after the other: a save that waited for another is checked against what that
    one saved, and a second click on the same button finds nothing waiting."""
    _lock_register(agreement)
    held = uploads.waiting(
        by=by,
        agreement=agreement,
        kind=PendingUpload.Kind.S117_REGISTER,
        token=token,
        for_update=True,
    )
    if held is None:
        raise uploads.NothingWaiting()
    result = check_register_file(  # held as the CSV of its cells as read (s117.views)
        by=by,
        agreement=agreement,
        content=bytes(held.content),
        file_name="held.csv",
        today=today,
        limits=limits,
        path=path,
    )
    if result.problems:
        return result, held.file_name, 0
    if result.fingerprint() != held.checked:
        raise RegisterChanged()
    written = apply_register_changes(by=by, agreement=agreement, changes=result.changes, path=path)
    held.delete()
    return result, held.file_name, written


def _lock_register(agreement) -> None:
    """Hold the partnership's row until the transaction ends: one register save at a time.
    A lock that leaves its key alone (FOR NO KEY UPDATE on PostgreSQL), so that rows that
    refer to the partnership (a return's figures, a report) can still be written meanwhile."""
    Agreement.objects.select_for_update(no_key=True).only("pk").get(pk=agreement.pk)


class RegisterChanged(Exception):
    """The register is not as it was when the file was checked; nothing was saved."""

    def __str__(self) -> str:
        return (
            "The register changed since you checked this file: check it again. "
            f"{self.args[0] if self.args else ''}"
        ).strip()


@transaction.atomic
def apply_register_changes(
    *, by, agreement, changes, path: str = "", batch_size: int = 2000
) -> int:
    """Create and update register entries from a checked file, all or none, and only if the
    register is still as the file was checked against. Entries the file leaves out are left
    as they are: an entitlement ends only by its own row.

    Saves to one register are made one at a time (the partnership's row is locked), and
    each entry the file changes must still hold what the check read; otherwise
    RegisterChanged is raised and nothing is saved, so that no save puts back what someone
    else saved meanwhile.

    A register can hold hundreds of thousands of people, so the rows are written in bulk,
    each with its history (who, when, what before). `changes` are the EntryChanges that
    `read_register` made, which has checked every value, by the same rules as the model's
    fields and more strictly (NHS number check digits, sections, dates, shares, the
    register's own teams and the responsible bodies), so they are not checked a second time
    here: at 250,000 rows that took longer than writing them. The database's constraints
    hold the rest. Changing someone's entry is recorded in the access log (the preview showed
    their record); a new entry's history records who added it."""
    _lock_register(agreement)
    existing = {
        entry.person_reference: entry
        for entry in RegisterEntry.objects.select_for_update()
        .filter(agreement=agreement)
        .order_by()
    }
    to_write = [change for change in changes if change.kind != "unchanged"]
    _check_still_as_read(to_write, existing)
    new, changed, fields = [], [], set()
    for change in to_write:
        entry = existing.get(change.reference)
        if entry is None:
            entry = RegisterEntry(agreement=agreement)
            new.append(entry)
        else:
            changed.append(entry)
            fields.update(FIELD_OF.get(key, key) for key in change.changed_fields)
        for key, value in change.values.items():
            setattr(entry, FIELD_OF.get(key, key), value)
    try:
        bulk_create_recording_history(new, RegisterEntry, by=by)
        if changed:
            bulk_update_with_history(
                changed, RegisterEntry, sorted(fields), batch_size=batch_size, default_user=by
            )
    except IntegrityError as error:
        # Another save the lock can't see (the admin, a script) took a reference or an NHS
        # number meanwhile. The database's message names the value: only the constraint's
        # name is logged, so that a constraint refusing every save would still be seen.
        logger.warning("A register save was refused by the database: %s", _constraint(error))
        raise RegisterChanged() from None
    record_accesses(by=by, entries=changed, action=AccessLog.Action.CHANGE, path=path)
    return len(new) + len(changed)


def _constraint(error: IntegrityError) -> str:
    """The name of the constraint an error names, never the values it quotes."""
    cause = getattr(error, "__cause__", None)
    name = getattr(getattr(cause, "diag", None), "constraint_name", None)  # PostgreSQL
    if name:
        return name
    text = str(error)  # SQLite: "UNIQUE constraint failed: table.column, …" has no values
    return text.split("\n")[0] if "constraint failed" in text else "a constraint"


def _check_still_as_read(changes, existing: dict[str, RegisterEntry]) -> None:
    open_numbers = {
        e.nhs_number: ref for ref, e in existing.items() if e.nhs_number and e.ended_on is None
    }
    for change in changes:
        entry = existing.get(change.reference)
        if change.before is None:
            if entry is not None:
                raise RegisterChanged(f"Row {change.row}: {change.reference} has been added.")
        elif entry is None:
            raise RegisterChanged(f"Row {change.row}: {change.reference} is no longer on it.")
        elif any(
            getattr(entry, FIELD_OF.get(key, key)) != value for key, value in change.before.items()
        ):
            raise RegisterChanged(f"Row {change.row}: {change.reference}'s entry was changed.")
        number = change.values.get("nhs_number")
        if number and change.values.get("ended_on") is None:
            holder = open_numbers.get(number)
            if holder is not None and holder != change.reference:
                raise RegisterChanged(
                    f"Row {change.row}: the NHS number has been given to another entry."
                )
