"""The action plan: each review recommendation's status, and a progress note for the
quarter (which records the status it leaves the recommendation in)."""

from django.utils import timezone
from django.utils.text import Truncator

from core import tabular
from partnerships.models import ProgressNote, Recommendation
from returns.sections.base import Change, Figure, Kind, Refused, Section, read_value

MEASURES = {"status": "status", "progress_note": "progress note"}


def _named(recommendation) -> str:
    """3.8.4 Review the s117 register jointly…: the reference alone says little."""
    return f"{recommendation.reference} {Truncator(recommendation.text).words(8)}"


class Actions(Section):
    name = "action"
    title = "Action plan"
    # A recommendation's status is its own, not the quarter's, and a progress note is
    # written once a quarter: neither is among the quarter's figure history.
    history = ()

    def __init__(self, context):
        super().__init__(context)
        self.recommendations = {
            r.reference: r
            for r in Recommendation.objects.filter(review__agreement=context.agreement).order_by()
        }
        self.notes = {
            n.recommendation_id: n
            for n in ProgressNote.objects.filter(
                recommendation__review__agreement=context.agreement, quarter=context.quarter
            ).order_by()
        }
        self.pending: dict[int, tuple[Recommendation, str]] = {}

    def _figure(self, reference: str, measure: str) -> Figure:
        recommendation = self.recommendations[reference]
        label = f"{_named(recommendation)}: {MEASURES[measure]}"
        if measure == "status":
            choices = tuple(Recommendation.Status.choices)
            return Figure(
                self.name, reference, measure, label, Kind.CHOICE, recommendation.status, choices
            )
        row = self.notes.get(recommendation.pk)
        return Figure(self.name, reference, measure, label, Kind.NOTE, row.note if row else None)

    def figures(self) -> list[Figure]:
        ordered = sorted(self.recommendations.values(), key=lambda r: r.sort_key)
        return [self._figure(r.reference, measure) for r in ordered for measure in MEASURES]

    def cannot_start_because(self) -> str:
        return "The partnership has no action plan."

    def recorded(self) -> bool:
        # A status is the recommendation's own, whatever the quarter: only a progress
        # note is the quarter's.
        return bool(self.notes)

    def find(self, item: str, measure: str) -> Figure:
        self.pick(self.recommendations, item, "a recommendation")
        if measure not in MEASURES:
            raise Refused("measure", "should be status or progress_note.")
        return self._figure(item, measure)

    def read(self, figure: Figure, text: str):
        if figure.kind == Kind.CHOICE:
            try:
                return read_value(figure, text)
            except Refused:
                codes = ", ".join(Recommendation.Status.values)
                raise Refused("value", f"should be a status: {codes}.") from None
        value = read_value(figure, text)
        # The note stored now may start like a formula: the product writes it safely, and
        # reads it back as it was. New text may not.
        if value != figure.value and value.startswith(tabular.FORMULA_PREFIXES):
            raise Refused("value", tabular.STARTS_LIKE_A_FORMULA)
        return value

    def write(self, writer, change: Change) -> None:
        recommendation = self.recommendations[change.item]
        if change.measure == "progress_note":
            self.pending[recommendation.pk] = (recommendation, change.value)
            return
        recommendation.status = change.value
        complete = change.value == Recommendation.Status.COMPLETE
        recommendation.completed_on = (
            (recommendation.completed_on or timezone.localdate()) if complete else None
        )
        writer.touch(recommendation, recommendation.pk, "status")
        writer.touch(recommendation, recommendation.pk, "completed_on")

    def finish(self, writer) -> None:
        """Each note records the recommendation's status after it, as this return sets it."""
        for recommendation, text in self.pending.values():
            note = self.notes.get(recommendation.pk) or ProgressNote(
                recommendation=recommendation, quarter=self.context.quarter
            )
            note.note, note.written_on, note.author = text, timezone.localdate(), writer.by
            note.status_after = recommendation.status
            for field in ("note", "written_on", "author", "status_after"):
                writer.touch(note, recommendation.pk, field)
