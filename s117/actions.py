import datetime

from django.db import transaction
from simple_history.utils import bulk_update_with_history

from partnerships.bulk_history import bulk_create_recording_history
from s117.models import AccessLog, RegisterEntry, Review


@transaction.atomic
def record_access(*, by, entry: RegisterEntry, action: str, path: str = "") -> AccessLog:
    """Write who opened which person's record, before the record is shown."""
    return AccessLog.objects.create(user=by, entry=entry, action=action, path=path[:300])


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
def apply_register_changes(
    *, by, agreement, changes, path: str = "", batch_size: int = 2000
) -> int:
    """Create and update register entries from a checked file, all or none. Entries the
    file leaves out are left as they are: an entitlement ends only by its own row.

    A register can hold hundreds of thousands of people, so the rows are written in bulk,
    each with its history (who, when, what before). `changes` are the EntryChanges that
    `read_register` made, which has checked every value, by the same rules as the model's
    fields and more strictly (NHS number check digits, sections, dates, shares, the
    register's own teams and the responsible bodies), so they are not checked a second time
    here: at 250,000 rows that took longer than writing them. The database's constraints
    hold the rest. Changing someone's entry is recorded in the access log (the preview showed their
    record); a new entry's history records who added it."""
    from s117.register_file import FIELD_OF

    existing = {
        entry.person_reference: entry
        for entry in RegisterEntry.objects.select_for_update().filter(agreement=agreement)
    }
    new, changed, fields = [], [], set()
    for change in changes:
        if change.kind == "unchanged":
            continue
        entry = existing.get(change.reference)
        if entry is None:
            entry = RegisterEntry(agreement=agreement)
            new.append(entry)
        else:
            changed.append(entry)
            fields.update(FIELD_OF.get(key, key) for key in change.changed_fields)
        for key, value in change.values.items():
            setattr(entry, FIELD_OF.get(key, key), value)
    bulk_create_recording_history(new, RegisterEntry, by=by)
    if changed:
        bulk_update_with_history(
            changed, RegisterEntry, sorted(fields), batch_size=batch_size, default_user=by
        )
    AccessLog.objects.bulk_create(
        (
            AccessLog(user=by, entry=entry, action=AccessLog.Action.CHANGE, path=path[:300])
            for entry in changed
        ),
        batch_size=batch_size,
    )
    return len(new) + len(changed)
