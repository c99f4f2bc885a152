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
