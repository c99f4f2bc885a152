import datetime
import logging
from decimal import Decimal
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from partnerships import uploads
from partnerships.bulk_history import bulk_create_recording_history
from partnerships.models import Agreement, PendingUpload
from s117.models import (
    AccessLog,
    AftercarePackage,
    ExportLog,
    FundingDecision,
    RegisterEntry,
    Review,
)
from s117.register_file import FIELD_OF, RegisterFile, read_register
from s117.responsibility import file_reason, moved_by_file, record_moves
from s117.reviews import next_review_due as next_review_due_for

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
def record_export(
    *,
    by,
    agreement: Agreement,
    what: str,
    file_format: str,
    query: str,
    rows: int,
    entries=(),
    path: str = "",
) -> ExportLog:
    """Write that `by` downloaded `what` as `file_format`, found by `query`, before the file
    is handed over; a download of people (`entries`) also logs each of them as exported,
    from the page at `path`."""
    if entries:
        record_accesses(by=by, entries=entries, action=AccessLog.Action.EXPORT, path=path)
    log = ExportLog(
        user=by,
        username=by.get_username(),
        user_full_name=by.get_full_name()[:300],
        agreement=agreement,
        what=what,
        file_format=file_format,
        query=query[:500],
        rows=rows,
    )
    log.save()
    return log


@transaction.atomic
def record_review(
    *,
    by,
    entry: RegisterEntry,
    reviewed_on: datetime.date,
    outcome: str,
    next_review_due: datetime.date | None = None,
    notes: str = "",
    path: str = "",
) -> Review:
    """Add a review to the person's history and bring the register's review dates up to date.
    Without `next_review_due`, the next review is scheduled: the partnership's interval
    after this one, or sooner where a package's own review comes first (s117.reviews)."""
    if reviewed_on > timezone.localdate():
        raise ValidationError({"reviewed_on": "The review's date can't be in the future"})
    if next_review_due is None:
        next_review_due = next_review_due_for(
            reviewed_on, entry.agreement.s117_review_months, entry.packages.all()
        )
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
    if path:
        record_access(by=by, entry=entry, action=AccessLog.Action.CHANGE, path=path)
    return review


class Funding(NamedTuple):
    """A joint funding panel's decision, as `add_package` takes it with a new package."""

    decided_on: datetime.date
    applies_from: datetime.date
    council_share_percent: Decimal
    agreed_by: str


def _day(day: datetime.date) -> str:
    return f"{day:%-d %B %Y}"


def _package_problems(package: AftercarePackage) -> dict[str, str]:
    """What the database's constraints would refuse, said so a reader can put it right
    (a violated constraint's own message names only the constraint)."""
    problems = {}
    if package.weekly_cost is not None and package.annual_cost is not None:
        problems["annual_cost"] = "Give a weekly or an annual cost, not both"
    elif package.weekly_cost is None and package.annual_cost is None:
        problems["weekly_cost"] = "Give the package's weekly or annual cost"
    for field in ("weekly_cost", "annual_cost"):
        value = getattr(package, field)
        if value is not None and value < 0:
            problems[field] = "The cost can't be negative"
    if package.end_date is not None and package.end_date < package.start_date:
        problems["end_date"] = (
            f"The end date must be on or after the start date, {_day(package.start_date)}"
        )
    return problems


@transaction.atomic
def add_package(
    by,
    entry: RegisterEntry,
    *,
    description: str,
    placement: str,
    provider: str = "",
    weekly_cost: Decimal | None = None,
    annual_cost: Decimal | None = None,
    start_date: datetime.date,
    end_date: datetime.date | None = None,
    review_due: datetime.date | None = None,
    funding: Funding | tuple | None = None,
    today: datetime.date | None = None,
    path: str = "",
) -> AftercarePackage:
    """Add an aftercare package to a person's entry and, if the joint funding panel has
    decided who pays it, its decision (decided_on, applies_from, council_share_percent,
    agreed_by), both or neither: the person's record is changed, so the access log says
    who changed it. Raises ValidationError, keyed by field, with nothing saved."""
    package = AftercarePackage(
        entry=entry,
        description=description,
        placement=placement,
        provider=provider,
        weekly_cost=weekly_cost,
        annual_cost=annual_cost,
        start_date=start_date,
        end_date=end_date,
        review_due=review_due,
    )
    problems = _package_problems(package)
    if problems:
        raise ValidationError(problems)
    package._history_user = by
    package.full_clean()
    package.save()
    if funding is not None:
        _add_decision(by, package, Funding(*funding), today=today)
    record_access(by=by, entry=entry, action=AccessLog.Action.CHANGE, path=path)
    return package


@transaction.atomic
def record_funding_decision(
    by,
    package: AftercarePackage,
    decided_on: datetime.date,
    applies_from: datetime.date,
    council_share_percent: Decimal,
    agreed_by: str,
    *,
    today: datetime.date | None = None,
    path: str = "",
) -> FundingDecision:
    """Record the joint funding panel's decision on who pays what share of a package from
    a day. A change of split is a new decision from another day; one already recorded for
    the day is never replaced. Raises ValidationError, keyed by field, with nothing saved."""
    # One decision at a time for a package: a second for the same day waits, then is refused.
    AftercarePackage.objects.select_for_update().filter(pk=package.pk).exists()
    decision = _add_decision(
        by,
        package,
        Funding(decided_on, applies_from, council_share_percent, agreed_by),
        today=today,
    )
    record_access(by=by, entry=package.entry, action=AccessLog.Action.CHANGE, path=path)
    return decision


def _add_decision(by, package, funding: Funding, *, today) -> FundingDecision:
    today = today or timezone.localdate()
    problems = {}
    if funding.decided_on > today:
        problems["decided_on"] = "The date the panel decided must be today or in the past"
    if funding.applies_from < package.start_date or (
        package.end_date is not None and funding.applies_from > package.end_date
    ):
        runs = f"from {_day(package.start_date)}" + (
            f" to {_day(package.end_date)}" if package.end_date else ""
        )
        problems["applies_from"] = f"The decision must apply from a day the package runs, {runs}"
    elif package.funding_decisions.filter(applies_from=funding.applies_from).exists():
        problems["applies_from"] = (
            f"A decision applying from {_day(funding.applies_from)} is already recorded for "
            "this package: a change of split is a new decision, from the day it applies"
        )
    share = funding.council_share_percent
    if share is None or not 0 <= share <= 100:
        problems["council_share_percent"] = "The council's share must be from 0% to 100%"
    elif share.as_tuple().exponent < -2:
        problems["council_share_percent"] = "Give the council's share to 2 decimal places at most"
    if not (funding.agreed_by or "").strip():
        problems["agreed_by"] = "Say who agreed the decision"
    if problems:
        raise ValidationError(problems)
    decision = FundingDecision(
        package=package,
        decided_on=funding.decided_on,
        applies_from=funding.applies_from,
        council_share_percent=share,
        agreed_by=funding.agreed_by.strip(),
    )
    decision._history_user = by
    decision.full_clean()
    decision.save()
    return decision


@transaction.atomic
def end_package(
    by, package: AftercarePackage, end_date: datetime.date, *, path: str = ""
) -> AftercarePackage:
    """End a package on a day (its last). Decisions applying after it stay recorded; they
    cost nothing, as no day of the package is left for them."""
    package.end_date = end_date
    problems = _package_problems(package)
    if problems:
        raise ValidationError(problems)
    package._history_user = by
    package.full_clean()
    package.save(update_fields=["end_date"])
    reschedule_review(by, package.entry)
    record_access(by=by, entry=package.entry, action=AccessLog.Action.CHANGE, path=path)
    return package


def reschedule_review(by, entry: RegisterEntry) -> None:
    """Work the person's next review out again from their last, by the rule record_review
    uses (s117.reviews), once a package's own review date or its end has changed: a package
    no longer running, or reviewed later, no longer brings the review forward. A date given
    by hand at the last review gives way to the rule, as the packages it allowed for have
    changed. With no review recorded there is nothing to count from: the register's date
    stays as it is."""
    if entry.last_reviewed is None:
        return
    due = next_review_due_for(
        entry.last_reviewed, entry.agreement.s117_review_months, entry.packages.all()
    )
    if due != entry.review_due:
        entry.review_due = due
        entry._history_user = by
        entry.save(update_fields=["review_due"])


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
    written = apply_register_changes(
        by=by,
        agreement=agreement,
        changes=result.changes,
        path=path,
        file_name=held.file_name,
        today=today,
    )
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
    *,
    by,
    agreement,
    changes,
    path: str = "",
    file_name: str = "",
    today: datetime.date | None = None,
    batch_size: int = 2000,
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
    their record); a new entry's history records who added it.

    A change of someone's responsible council or ICB is also recorded as a period of
    responsibility from `today` (the day of the save), with the file's name as its reason,
    and the period it ends from detention where none was recorded (s117.responsibility)."""
    _lock_register(agreement)
    existing = {
        entry.person_reference: entry
        for entry in RegisterEntry.objects.select_for_update()
        .filter(agreement=agreement)
        .order_by()
    }
    to_write = [change for change in changes if change.kind != "unchanged"]
    _check_still_as_read(to_write, existing)
    new, changed, fields, moves = [], [], set(), []
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
        move = moved_by_file(change, entry)
        if move is not None:
            moves.append(move)
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
    record_moves(
        by=by,
        agreement=agreement,
        moves=moves,
        today=today or timezone.localdate(),
        reason=file_reason(file_name),
    )
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
