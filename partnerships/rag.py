"""Red/Amber/Green rating of a KPI value against its target.

The rule is written once, as the bounds each rating's value must reach or fall short of
(`BANDS`); `rag_status` applies it to a value in Python and `rag_condition` gives the same
rule to the database, so a page that counts red KPIs in SQL agrees with the rating shown
beside each one.

A KPI may have no target (and then no amber threshold): its values have no rating, and
pages show them as "No target" (`NO_TARGET`). `KPI.rag` answers None for them rather than
calling `rag_status`; `rag_condition` matches none of them, since a comparison with a
missing bound is never true in SQL.
"""

import operator
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from django.db import models
from django.db.models import F, Q


class Direction(models.TextChoices):
    HIGHER = "higher", "Higher is better"
    LOWER = "lower", "Lower is better"


# What pages and papers show in place of a rating for a KPI with no target.
NO_TARGET = "No target"


class RAG(StrEnum):
    RED = "red"
    AMBER = "amber"
    GREEN = "green"


@dataclass(frozen=True)
class Band:
    """The bounds ("target", "amber_threshold") a value must reach, and those it must fall
    short of, for its rating."""

    reaches: tuple[str, ...] = ()
    short_of: tuple[str, ...] = ()


# Green at or beyond the target, amber short of it up to the threshold, red past that.
BANDS = {
    RAG.GREEN: Band(reaches=("target",)),
    RAG.AMBER: Band(short_of=("target",), reaches=("amber_threshold",)),
    RAG.RED: Band(short_of=("amber_threshold",)),
}

# "Reaches" and "falls short of" a bound in each direction, in Python and as Django lookups.
# Falling short is the strict opposite comparison, never a negated one: a negated lookup
# would also match a KPI with no value at all.
_REACHES = {Direction.HIGHER: (operator.ge, "gte"), Direction.LOWER: (operator.le, "lte")}
_SHORT_OF = {Direction.HIGHER: (operator.lt, "lt"), Direction.LOWER: (operator.gt, "gt")}


def rag_status(
    value: Decimal, *, target: Decimal, amber_threshold: Decimal, direction: Direction
) -> RAG:
    """Green at or beyond the target, amber up to the threshold, red past it.

    >>> rag_status(Decimal(80), target=Decimal(80), amber_threshold=Decimal(70),
    ...            direction=Direction.HIGHER)
    <RAG.GREEN: 'green'>
    """
    bounds = {"target": target, "amber_threshold": amber_threshold}
    reaches, short_of = _REACHES[direction][0], _SHORT_OF[direction][0]
    for rag, band in BANDS.items():
        if all(reaches(value, bounds[b]) for b in band.reaches) and all(
            short_of(value, bounds[b]) for b in band.short_of
        ):
            return rag
    raise AssertionError("unreachable: a value reaches a bound or falls short of it")


def rag_condition(
    rag: RAG,
    *,
    value: str = "value",
    target: str = "target",
    amber_threshold: str = "amber_threshold",
    direction: str = "direction",
) -> Q:
    """`rag_status(...) == rag` as a database condition, on the fields (or annotations)
    named. A row without a value matches no rating, as it has none."""
    fields = {"target": target, "amber_threshold": amber_threshold}
    band = BANDS[rag]
    condition = Q()
    for way in Direction:
        reaches, short_of = _REACHES[way][1], _SHORT_OF[way][1]
        comparisons = [Q(**{f"{value}__{reaches}": F(fields[b])}) for b in band.reaches] + [
            Q(**{f"{value}__{short_of}": F(fields[b])}) for b in band.short_of
        ]
        condition |= Q(*comparisons, **{direction: way})
    return condition
