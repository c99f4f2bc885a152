"""Reads for the action-plan pages: the reviews with their actions, one action with its
progress, and its history."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404

from core.formatting import long_date
from partnerships.models import ProgressNote, Recommendation, Review
from records.selectors.field_changes import FieldChange, changes, who


def reviews_of(agreement) -> list[Review]:
    """The agreement's reviews, latest reported first, each with its recommendations in
    paragraph order (two queries)."""
    return list(
        Review.objects.filter(agreement=agreement)
        .order_by("-reported_on", "title")
        .prefetch_related(
            Prefetch("recommendations", queryset=Recommendation.objects.order_by("sort_key"))
        )
    )


def who_added(agreement) -> dict[int, tuple[str, object]]:
    """For each of the agreement's reviews, who added it and when, from its history (one
    query). A review from before history was kept has its history's start instead."""
    added = {}
    for record in (
        Review.history.filter(agreement=agreement, history_type="+")
        .select_related("history_user")
        .order_by("history_date")
    ):
        added.setdefault(record.id, (who(record), record.history_date))
    return added


def review_of(agreement, review_id: int) -> Review:
    """The agreement's review, or 404: a review is reached only through its partnership."""
    return get_object_or_404(Review, pk=review_id, agreement=agreement)


def recommendation_of(agreement, recommendation_id: int) -> Recommendation:
    """The agreement's recommendation (with its review), or 404."""
    return get_object_or_404(
        Recommendation.objects.select_related("review"),
        pk=recommendation_id,
        review__agreement=agreement,
    )


def progress_of(recommendation) -> list[ProgressNote]:
    """The action's progress notes, latest first, with who wrote them (one query)."""
    return list(
        recommendation.progress_notes.select_related("author").order_by("-written_on", "-pk")
    )


def _date(day) -> str:
    return long_date(day) if day else "None"


def _label(record) -> list[tuple[str, object]]:
    return [
        ("Reference", record.reference),
        ("Recommendation", record.text),
        ("Owner", record.owner),
        ("Due date", _date(record.due_date)),
        ("Status", record.get_status_display()),
        ("Completed on", _date(record.completed_on)),
    ]


def _created(record) -> str:
    due = f", due {long_date(record.due_date)}" if record.due_date else ""
    return f"{record.reference}, owned by {record.owner}{due}: {record.get_status_display()}"


def action_changes(recommendation) -> list[FieldChange]:
    """Every change to the action's owner, due date, status and wording, newest first
    (one query)."""
    records = recommendation.history.select_related("history_user").order_by(
        "history_date", "history_id"
    )
    return changes(records, _label, created=_created)
