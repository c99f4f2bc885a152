"""Writes to an agreement's action plan, each with its history (who, when)."""

import datetime

from django.db import transaction

from core.periods import financial_year_start, quarter_number
from partnerships.models import Agreement, ProgressNote, Quarter, Recommendation, Review


def _save(row, by):
    row._history_user = by
    row.full_clean()
    row.save()
    return row


@transaction.atomic
def add_review(
    *,
    by,
    agreement: Agreement,
    title: str,
    carried_out: str,
    reported_on: datetime.date | None = None,
    reported_to: str = "",
    reference: str = "",
) -> Review:
    review = Review(
        agreement=agreement,
        title=title,
        carried_out=carried_out,
        reported_on=reported_on,
        reported_to=reported_to,
        reference=reference,
    )
    return _save(review, by)


@transaction.atomic
def add_recommendation(
    *,
    by,
    review: Review,
    reference: str,
    text: str,
    owner: str,
    due_date: datetime.date | None = None,
) -> Recommendation:
    """A new action of the review, not started."""
    recommendation = Recommendation(
        review=review, reference=reference, text=text, owner=owner, due_date=due_date
    )
    return _save(recommendation, by)


@transaction.atomic
def change_action(
    *,
    by,
    recommendation: Recommendation,
    owner: str,
    due_date: datetime.date | None,
    status: str,
    today: datetime.date,
) -> Recommendation:
    """Change an action's owner, due date or status. Marked complete, it is completed
    today (or on the day it was marked before, if it already was); any other status has no
    completion date (recommendation_completed_on_iff_complete)."""
    row = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
    if (row.owner, row.due_date, row.status) == (owner, due_date, status):
        return row
    row.owner, row.due_date = owner, due_date
    if status == Recommendation.Status.COMPLETE:
        row.completed_on = row.completed_on if row.status == status else today
    else:
        row.completed_on = None
    row.status = status
    return _save(row, by)


def quarter_of(day: datetime.date) -> Quarter | None:
    """The financial quarter a day falls in, where the database holds it."""
    return Quarter.objects.filter(
        financial_year__start_year=financial_year_start(day), number=quarter_number(day)
    ).first()


@transaction.atomic
def add_progress_note(
    *, by, recommendation: Recommendation, written_on: datetime.date, note: str
) -> ProgressNote:
    """A note of progress on an action, by `by`, at the action's present status."""
    progress = ProgressNote(
        recommendation=recommendation,
        written_on=written_on,
        note=note,
        status_after=recommendation.status,
        quarter=quarter_of(written_on),
        author=by,
    )
    return _save(progress, by)
