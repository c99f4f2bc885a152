"""Which approval a decision needs, from the value it commits and the council's rules."""

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Threshold:
    exceeds: Decimal
    approver: str
    also_required: str = ""
    rule: str = ""


def approval_route(value: Decimal, thresholds: list[Threshold]) -> Threshold | None:
    """The highest threshold that `value` is over, or None where none applies.

    "Over £1,000,000" is strictly more: exactly £1,000,000 does not need that route.
    """
    if value < 0:
        raise ValueError(f"A decision's value can't be negative (got {value}).")
    over = [threshold for threshold in thresholds if value > threshold.exceeds]
    return max(over, key=lambda threshold: threshold.exceeds, default=None)
