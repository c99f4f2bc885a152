"""What a JMG member sees before signing a return off: every figure, its change since last
quarter and against the plan, and what is missing."""

from dataclasses import dataclass
from decimal import Decimal

from core.formatting import MINUS
from returns.file import Lookups
from returns.sections import Figure, Kind


@dataclass(frozen=True)
class FigureCheck:
    figure: Figure
    previous: object
    planned: object

    @property
    def missing(self) -> bool:
        return self.figure.value is None

    @property
    def now(self) -> str:
        return self.figure.shown(self.figure.value)

    @property
    def last_quarter(self) -> str:
        return self.figure.shown(self.previous)

    @property
    def change(self) -> str:
        return _difference(self.figure, self.figure.value, self.previous)

    @property
    def against_plan(self) -> str:
        if self.planned is None:
            return ""
        return f"{_difference(self.figure, self.figure.value, self.planned)} on a plan of " + (
            self.figure.shown(self.planned)
        )


def _difference(figure: Figure, value, other) -> str:
    """+£12,000.00, −4, +2.5 points; "" where either side is missing or isn't a number."""
    if value is None or other is None or figure.kind not in Kind.NUMERIC:
        return ""
    difference = Decimal(value) - Decimal(other)
    if difference == 0:
        return "No change"
    sign = "+" if difference > 0 else MINUS
    magnitude = abs(difference)
    if figure.kind == Kind.PERCENT:
        return f"{sign}{figure.shown(magnitude).removesuffix('%')} points"
    return f"{sign}{figure.shown(magnitude)}"


def figures_to_sign(
    agreement, quarter, previous_quarter, lookups=None
) -> list[tuple[str, list[FigureCheck]]]:
    """Each section's figures, with last quarter's value and the plan beside them; from
    `lookups` (the quarter's figures) where the page has read them already."""
    lookups = lookups or Lookups(agreement, quarter)
    before = {}
    if previous_quarter is not None:
        before = {f.key: f.value for f in Lookups(agreement, previous_quarter).figures()}
    shown = []
    for section in lookups.sections.values():
        checks = [
            FigureCheck(figure, before.get(figure.key), section.planned(figure))
            for figure in section.figures()
        ]
        if checks:
            shown.append((section.title, checks))
    return shown
