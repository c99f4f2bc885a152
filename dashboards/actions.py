"""Writes from the dashboards' data-quality checks: an explanation of a flagged figure."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from dashboards.models import FlagExplanation
from dashboards.quality import flags_for


class ExplanationRefused(Exception):
    """An explanation that can't be kept; the message says why."""


@transaction.atomic
def explain_flag(*, by, agreement, quarter, check: str, key: str, text: str) -> FlagExplanation:
    """Keep why a flagged figure is right, for a flag the checks raise now, with history."""
    if not any(f.check == check and f.key == key for f in flags_for(by, agreement, quarter)):
        raise ExplanationRefused(
            "That check no longer flags anything: there is nothing to explain."
        )
    explanation = FlagExplanation.objects.filter(
        agreement=agreement, quarter=quarter, check_code=check, key=key
    ).first() or FlagExplanation(agreement=agreement, quarter=quarter, check_code=check, key=key)
    explanation.text, explanation.explained_by = text.strip(), by
    explanation.explained_at = timezone.now()
    explanation._history_user = by
    try:
        explanation.full_clean()
    except ValidationError as error:
        problems = error.message_dict.get("text", error.messages)
        raise ExplanationRefused(f"The explanation can't be kept: {' '.join(problems)}") from None
    explanation.save()
    return explanation
