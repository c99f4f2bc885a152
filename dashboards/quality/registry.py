"""What a data-quality check is, and the one list of them.

A check is a function taking the partnerships' quarters to look at (`Scope`s: several at
once, so that home reads every partnership's in the same few queries) and returning its
flags. It is registered with the dashboard section whose figures it reads and the action
(partnerships.permissions) that may see its flags. Each check is a module of this package;
a check that reads an app above dashboards registers itself from that app (returns.quality).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse

from dashboards.models import FlagExplanation, QualitySettings
from dashboards.quality.movement import index


@dataclass(frozen=True)
class Flag:
    check: str  # the check's code
    agreement_id: int
    key: str  # what it is about, stable across quarters: "team:12"
    text: str  # what the check found
    fix: str  # where to put it right, in words
    url: str  # ... and the page
    needs: str = "view_dashboard"  # the action (partnerships.permissions) that may see it
    explanation: FlagExplanation | None = None


@dataclass(frozen=True)
class Scope:
    """One partnership's quarter to check, with its thresholds."""

    agreement: object  # partnerships.models.Agreement
    quarter: object  # partnerships.models.Quarter
    settings: QualitySettings

    @property
    def end(self):
        return self.quarter.end_date

    @property
    def at(self) -> int:
        """The quarter as one number (dashboards.quality.movement.index)."""
        return index(self.quarter.financial_year.start_year, self.quarter.number)

    def page(self, name: str) -> str:
        """A dashboard page of the partnership, showing this quarter."""
        return reverse(name, args=[self.agreement.slug]) + f"?period={self.quarter.label}"

    def flag(self, check: str, key: str, text: str, fix: str, url: str, **more) -> Flag:
        return Flag(check, self.agreement.pk, key, text, fix, url, **more)


class Scopes(list):
    """The scopes a check runs for, and what the checks of one run have read already:
    several checks read the same rows (the pools, the outturns, the posts), once."""

    def __init__(self, scopes, memo: dict):
        super().__init__(scopes)
        self._memo = memo

    def read(self, name: str, compute: Callable):
        key = (name, tuple(scope.agreement.pk for scope in self))
        if key not in self._memo:
            self._memo[key] = compute(self)
        return self._memo[key]


def shared(scopes: list[Scope], name: str, compute: Callable):
    """`compute(scopes)`, once a run (see Scopes)."""
    return scopes.read(name, compute) if isinstance(scopes, Scopes) else compute(scopes)


Find = Callable[[list[Scope]], list[Flag]]


@dataclass(frozen=True)
class Check:
    code: str
    section: str  # the page whose figures it reads: budget, staffing, caseload, kpis, s117, return
    needs: str
    find: Find


CHECKS: list[Check] = []

# The order pages list flags in: the return first, then the figures as the dashboard's
# sections come.
SECTIONS = ("return", "budget", "staffing", "caseload", "s117", "kpis")


def register(*, section: str, needs: str = "view_dashboard") -> Callable[[Find], Find]:
    """Add a check to the list, under its function's name."""

    def add(find: Find) -> Find:
        if section not in SECTIONS:
            raise ValueError(f"A check reads one of {SECTIONS}, not {section!r}.")
        if not any(check.code == find.__name__ for check in CHECKS):
            CHECKS.append(Check(find.__name__, section, needs, find))
            CHECKS.sort(key=lambda check: SECTIONS.index(check.section))
        return find

    return add


def by_agreement(scopes: list[Scope]) -> dict[int, Scope]:
    return {scope.agreement.pk: scope for scope in scopes}


def plural(number, one: str, many: str = "") -> str:
    return one if number == 1 else (many or f"{one}s")
