"""Red/Amber/Green rating of a KPI value against its target."""

from decimal import Decimal
from enum import StrEnum

from django.db import models


class Direction(models.TextChoices):
    HIGHER = "higher", "Higher is better"
    LOWER = "lower", "Lower is better"


class RAG(StrEnum):
    RED = "red"
    AMBER = "amber"
    GREEN = "green"


def rag_status(
    value: Decimal, *, target: Decimal, amber_threshold: Decimal, direction: Direction
) -> RAG:
    """Green at or beyond the target, amber up to the threshold, red past it.

    >>> rag_status(Decimal(80), target=Decimal(80), amber_threshold=Decimal(70),
    ...            direction=Direction.HIGHER)
    <RAG.GREEN: 'green'>
    """
    if direction == Direction.HIGHER:
        if value >= target:
            return RAG.GREEN
        return RAG.AMBER if value >= amber_threshold else RAG.RED
    if value <= target:
        return RAG.GREEN
    return RAG.AMBER if value <= amber_threshold else RAG.RED
