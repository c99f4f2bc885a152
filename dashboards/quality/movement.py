"""Whether a figure moved far more than it usually does from one quarter to the next.
Pure arithmetic on plain values, for the *_moved checks.

Quarters are counted as one number, `index(start_year, number)`, so that consecutive
quarters differ by one across a year's end. A figure's usual move is the median of its
absolute quarter-on-quarter changes over the eight quarters before this one (changes
between quarters both reported); with at least four of them, a move of more than `times`
that median is unusual. With fewer, or a figure that hasn't moved at all before, a move of
more than `percent`% of the previous quarter's value is. A move of no more than `at_least`
is never unusual: small counts of people move by half from one quarter to the next.
"""

from dataclasses import dataclass
from decimal import Decimal
from statistics import median

LOOK_BACK = 8  # quarters of earlier changes read
ENOUGH_CHANGES = 4  # fewer than this, and a move is judged in per cent


def index(start_year: int, number: int) -> int:
    return start_year * 4 + number - 1


def quarter_of(at: int) -> tuple[int, int]:
    """The (start year, number) of a quarter index."""
    return at // 4, at % 4 + 1


def looked_back(ats: list[int]) -> range:
    """Every quarter index that checks at `ats` read: each, and the quarters before it."""
    return range(min(ats) - LOOK_BACK - 1, max(ats) + 1)


@dataclass(frozen=True)
class Move:
    previous: Decimal
    current: Decimal
    usual: Decimal | None  # the median change; None when judged in per cent

    @property
    def change(self) -> Decimal:
        return self.current - self.previous


def unusual_move(
    values: dict[int, Decimal], at: int, *, times: int, percent: int, at_least: int = 0
) -> Move | None:
    """The move into quarter `at` if it is unusual, else None. `values` are the figure's
    values by quarter index; a quarter not reported is missing."""
    if at not in values or at - 1 not in values:
        return None
    previous, current = Decimal(values[at - 1]), Decimal(values[at])
    change = abs(current - previous)
    if change <= at_least:
        return None
    earlier = [
        abs(Decimal(values[i]) - Decimal(values[i - 1]))
        for i in range(at - LOOK_BACK, at)
        if i in values and i - 1 in values
    ]
    usual = Decimal(median(earlier)) if len(earlier) >= ENOUGH_CHANGES else Decimal(0)
    if usual:
        return Move(previous, current, usual) if change > times * usual else None
    if previous and change * 100 > percent * abs(previous):
        return Move(previous, current, None)
    return None


def describe(move: Move, shown, *, times: int, percent: int) -> str:
    """ "moved from 40 to 95, more than 3 times its usual change of 5" in the figure's own
    format (`shown`)."""
    moved = f"moved from {shown(move.previous)} to {shown(move.current)}"
    if move.usual is not None:
        return f"{moved}, more than {times} times its usual change of {shown(move.usual)}"
    return f"{moved}, more than {percent}%"
