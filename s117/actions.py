import datetime

from django.db import transaction

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
def apply_register_changes(*, by, agreement, changes, path: str = "") -> int:
    """Create and update register entries from a checked file, all or none. Entries the
    file leaves out are left as they are: an entitlement ends only by its own row. Each
    entry written is recorded in the access log as changed, by whom and from where."""
    from s117.register_file import FIELD_OF

    written = []
    existing = {
        entry.person_reference: entry
        for entry in RegisterEntry.objects.select_for_update().filter(
            agreement=agreement, person_reference__in=[c.reference for c in changes]
        )
    }
    for change in changes:
        if change.kind == "unchanged":
            continue
        entry = existing.get(change.reference) or RegisterEntry(agreement=agreement)
        for key, value in change.values.items():
            setattr(entry, FIELD_OF.get(key, key), value)
        entry._history_user = by
        entry.full_clean()
        entry.save()
        written.append(entry)
    AccessLog.objects.bulk_create(
        (
            AccessLog(user=by, entry=entry, action=AccessLog.Action.CHANGE, path=path[:300])
            for entry in written
        ),
        batch_size=2000,
    )
    return len(written)
