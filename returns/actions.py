"""Writes to quarterly returns: saving checked figures (with their history), submitting,
signing off and reopening. Each is atomic and says who did it."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core.formatting import long_date
from partnerships import uploads
from partnerships.bulk_history import (
    RowsGone,
    bulk_create_recording_history,
    bulk_update_recording_history,
    has_history,
)
from partnerships.models import Agreement, PendingUpload
from partnerships.permissions import can
from partnerships.standing import covers_quarter
from returns.file import Lookups, read_return
from returns.models import QuarterlyReturn, SectionState


class ReturnRefused(Exception):
    """A change to a quarterly return that may not be made now; the message says why."""


def refuse_outside_term(agreement: Agreement, quarter) -> None:
    """Figures are kept for the quarters of the agreement's term (with its extensions): a
    return for a quarter wholly outside it is refused, saying when the agreement ran."""
    if not covers_quarter(agreement, quarter):
        raise ReturnRefused(
            f"{agreement} runs from {long_date(agreement.start_date)} to "
            f"{long_date(agreement.end_date)}: there is no return for {quarter.name}."
        )


def _save(obj, by) -> None:
    obj._history_user = by
    obj.full_clean()
    obj.save()


def _return_for_update(agreement: Agreement, quarter) -> QuarterlyReturn:
    """The quarter's return, locked until the transaction ends; made if there is none.

    Only the return's own row is locked: `get` leaves out the model's ordering, whose joins
    would lock the partnership's, quarter's and year's rows too on PostgreSQL."""
    locked = QuarterlyReturn.objects.select_for_update()
    try:
        return locked.get(agreement=agreement, quarter=quarter)
    except QuarterlyReturn.DoesNotExist:
        QuarterlyReturn.objects.get_or_create(agreement=agreement, quarter=quarter)
        return locked.get(agreement=agreement, quarter=quarter)


@transaction.atomic
def apply_return_changes(
    *,
    by,
    agreement: Agreement,
    quarter,
    changes,
    expected_version: int | None = None,
    lookups=None,
) -> QuarterlyReturn:
    """Save a return's changed figures, all or none. Refused while the return is submitted
    or signed off, and when someone else saved it since `expected_version` was read.

    `lookups` are the rows `read_return` checked the changes against (its result's
    `lookups`); the changes are saved into them, and a save since they were read refuses
    this one. Without them the rows are read here, once the return is locked."""

    if lookups is not None:
        if (lookups.agreement.pk, lookups.quarter.pk) != (agreement.pk, quarter.pk):
            raise ValueError("The changes were read for another partnership or quarter.")
        # A save changes the rows it holds, saved or not: read the file again to retry.
        if lookups.used:
            raise ValueError("These rows have been saved into once: read the file again.")
        lookups.used = True
    refuse_outside_term(agreement, quarter)
    quarterly_return = _return_for_update(agreement, quarter)
    if not quarterly_return.editable:
        raise ReturnRefused(
            f"The {quarter.label} return for {agreement} is "
            f"{quarterly_return.get_status_display().lower()}: it must be reopened, with a "
            "reason, before its figures can change."
        )
    if expected_version is None and lookups is not None:
        expected_version = lookups.version
    if expected_version is not None and quarterly_return.version != expected_version:
        raise ReturnRefused(
            f"Someone else saved the {quarter.label} return while you were working on it "
            f"(it is now at version {quarterly_return.version}, you started from "
            f"{expected_version}). Nothing of yours was saved: look at their figures, then "
            "make your changes again."
        )
    to_write = [change for change in changes if change.kind != "unchanged"]
    if not to_write:
        return quarterly_return
    try:
        _ReturnWriter(by, lookups or Lookups(agreement, quarter)).write(to_write)
    except RowsGone as gone:
        raise ReturnRefused(
            f"{gone} Someone removed them while the return was being saved: look at the "
            "return as it is now, then upload it again."
        ) from None
    # Only the version changes, and the row is locked: nothing else to check before saving.
    quarterly_return.version += 1
    quarterly_return._history_user = by
    quarterly_return.save(update_fields=["version"])
    return quarterly_return


@transaction.atomic
def save_checked_return(*, by, agreement: Agreement, quarter, token: str):
    """Save the return file held for `by` under `token` (partnerships.uploads) as its
    preview showed it, or not at all. The quarter's return is locked first, then the file
    is read again: problems found then are returned with nothing saved; figures that have
    changed since it was checked (through a save of the return, or in the administration
    pages) refuse it. Returns the file as read and the return; raises NothingWaiting if no
    such file is held, ReturnRefused if it can't be saved."""

    _return_for_update(agreement, quarter)
    held = uploads.waiting(
        by=by,
        agreement=agreement,
        kind=PendingUpload.Kind.RETURN,
        quarter=quarter,
        token=token,
        for_update=True,
    )
    if held is None:
        raise uploads.NothingWaiting()
    result = read_return(
        bytes(held.content), held.file_name, within=Agreement.objects.filter(pk=agreement.pk)
    )
    if result.problems:  # the partnership's teams or KPIs changed since the preview
        held.delete()
        return result, None
    # A save of the return since it was checked is refused below, saying so; a change made
    # another way (the administration pages) shows in the fingerprint.
    if result.lookups.version == held.version and result.fingerprint() != held.checked:
        raise ReturnRefused(
            f"The {quarter.name} figures changed since you "
            "checked this file: nothing was saved. Upload it again to see what it would "
            "change now."
        )
    saved = apply_return_changes(
        by=by,
        agreement=agreement,
        quarter=quarter,
        changes=result.changes,
        expected_version=held.version,
        lookups=result.lookups,
    )
    held.delete()
    return result, saved


class _ReturnWriter:
    """Writes a return's changes in a fixed number of queries, whatever its size, into the
    rows the return was checked against (`Lookups`): each section sets every change on the
    row it belongs in (a team's five activity counts are one row, saved once), and each
    kind of row is then written in bulk with its history. The changes' values and
    references are checked already, so rows are validated field by field here, without a
    query per row; the database's constraints hold the rest."""

    def __init__(self, by, lookups):
        self.by, self.lookups = by, lookups
        self.when = timezone.now()  # one moment for every figure the return changes
        self.touched: dict[type, dict[object, tuple[object, set[str]]]] = {}

    def write(self, changes) -> None:
        for change in changes:
            self.lookups.section(change.section).write(self, change)
        for section in self.lookups.sections.values():
            section.finish(self)
        for touched in self.touched.values():
            self._bulk(touched)

    @staticmethod
    def held(rows: dict, key, make):
        """The row held under `key`, or a new one from `make()`, held there from now on."""
        row = rows.get(key)
        if row is None:
            row = rows[key] = make()
        return row

    def touch(self, row, key, field: str) -> None:
        """Mark `field` of `row` as changed: the row is saved with the fields it changed."""
        fields = self.touched.setdefault(type(row), {}).setdefault(key, (row, set()))[1]
        fields.add(field)

    def _bulk(self, touched: dict) -> None:
        rows = [row for row, _ in touched.values()]
        model = type(rows[0])
        relations = [f.name for f in model._meta.concrete_fields if f.is_relation]
        for row in rows:
            row.clean_fields(exclude=relations)
        new = [row for row in rows if row.pk is None]
        stored = {id(row) for row in rows if row.pk is not None}  # before the new get ids
        history = has_history(model)
        if new and history:
            bulk_create_recording_history(new, model, by=self.by, when=self.when)
        elif new:
            model.objects.bulk_create(new)
        # Each changed row is saved with only the fields the return changed in it, so that
        # what someone else changed in its other fields since it was read stays. Rows that
        # changed the same fields go together: a return gives every figure of a row, so
        # that is one group per kind of row, or a few.
        by_fields: dict[tuple[str, ...], list] = {}
        for row, fields in touched.values():
            if id(row) in stored:
                by_fields.setdefault(tuple(sorted(fields)), []).append(row)
        for fields, changed in by_fields.items():
            names = [model._meta.get_field(name).name for name in fields]
            if history:
                bulk_update_recording_history(changed, model, names, by=self.by, when=self.when)
            else:
                model.objects.bulk_update(changed, names)


@transaction.atomic
def submit_return(*, by, quarterly_return: QuarterlyReturn) -> QuarterlyReturn:

    locked = QuarterlyReturn.objects.select_for_update().get(pk=quarterly_return.pk)
    if not locked.editable:
        raise ReturnRefused(
            f"The return is {locked.get_status_display().lower()}: it can't be submitted again."
        )
    refuse_outside_term(locked.agreement, locked.quarter)
    marked_nothing = locked.section_states.filter(state=SectionState.State.NOTHING_TO_REPORT)
    if not Lookups(locked.agreement, locked.quarter).anything_recorded() and not (
        marked_nothing.exists()
    ):
        raise ReturnRefused(
            f"Nothing has been entered for {locked.quarter.name}: enter the figures, upload "
            "the return, or mark the sections that have nothing to report, before submitting it."
        )
    locked.status = QuarterlyReturn.Status.SUBMITTED
    locked.submitted_by, locked.submitted_at = by, timezone.now()
    _save(locked, by)
    return locked


@transaction.atomic
def sign_off_return(*, by, quarterly_return: QuarterlyReturn, comment: str = "") -> QuarterlyReturn:
    """Sign a submitted return off, keeping the signer's comment with it."""

    locked = QuarterlyReturn.objects.select_for_update().get(pk=quarterly_return.pk)
    if not can(by, "sign_off_return", locked.agreement):
        raise ReturnRefused("Only a JMG member of the partnership can sign off its returns.")
    if locked.status != QuarterlyReturn.Status.SUBMITTED:
        raise ReturnRefused(
            "Only a submitted return can be signed off; this one is "
            f"{locked.get_status_display().lower()}."
        )
    locked.status = QuarterlyReturn.Status.SIGNED_OFF
    locked.signed_off_by, locked.signed_off_at = by, timezone.now()
    locked.sign_off_comment = comment.strip()
    try:
        _save(locked, by)
    except ValidationError as error:
        problems = error.message_dict.get("sign_off_comment", error.messages)
        raise ReturnRefused(f"The comment can't be kept: {' '.join(problems)}") from None
    return locked


@transaction.atomic
def reopen_return(*, by, quarterly_return: QuarterlyReturn, reason: str) -> QuarterlyReturn:
    locked = QuarterlyReturn.objects.select_for_update().get(pk=quarterly_return.pk)
    if locked.editable:
        raise ReturnRefused("The return is already open for changes.")
    if not reason.strip():
        raise ReturnRefused("Say why the return is being reopened: the reason is kept with it.")
    locked.status = QuarterlyReturn.Status.REOPENED
    locked.reopened_reason = reason.strip()
    _save(locked, by)
    return locked


@transaction.atomic
def save_schedule(*, by, agreement, form) -> None:
    """Save a partnership's return timetable from a valid ReturnScheduleForm, with history."""
    schedule = form.save(commit=False)
    schedule.agreement = agreement
    schedule._history_user = by
    schedule.full_clean()
    schedule.save()


@transaction.atomic
def save_section(
    *, by, lookups, section: str, changes, state: str, expected_version: int
) -> QuarterlyReturn:
    """Save one section's figures from the task list, all or none, with what the person
    entering them says of it: in progress, completed, or nothing to report this quarter
    (which it can't be while the section holds figures)."""
    if state == SectionState.State.NOTHING_TO_REPORT and (
        changes or lookups.section(section).recorded()
    ):
        raise ReturnRefused(
            "This section holds figures for the quarter, so there is something to report: "
            "say whether it is completed or still in progress."
        )
    saved = apply_return_changes(
        by=by,
        agreement=lookups.agreement,
        quarter=lookups.quarter,
        changes=changes,
        expected_version=expected_version,
        lookups=lookups,
    )
    marked = SectionState.objects.filter(quarterly_return=saved, section=section).first()
    marked = marked or SectionState(quarterly_return=saved, section=section)
    marked.state, marked.marked_by, marked.marked_at = state, by, timezone.now()
    _save(marked, by)
    return saved
