"""The sections of a quarterly return, in the order the form, the template and the file
format (docs/import-formats.md) list them. Adding a kind of figure is one module in this
package (see `base`) and one line here."""

from returns.sections.actions import Actions
from returns.sections.activity import Activity
from returns.sections.activity_periods import ActivityPeriods
from returns.sections.base import Change, Context, Figure, Kind, Refused, Section
from returns.sections.budget import Budget
from returns.sections.caseload import Caseload
from returns.sections.contributions import Contributions
from returns.sections.kpis import KPIs
from returns.sections.s117_counts import S117Counts


class Registry:
    """The section classes a return is made of; `returns.file.Lookups` makes one of each
    for a partnership's quarter."""

    def __init__(self, *sections: type[Section]):
        self.sections = tuple(sections)

    def __iter__(self):
        return iter(self.sections)

    def names(self) -> list[str]:
        return [section.name for section in self.sections]


SECTIONS = Registry(
    Budget, Contributions, Caseload, Activity, ActivityPeriods, KPIs, Actions, S117Counts
)

__all__ = ["SECTIONS", "Change", "Context", "Figure", "Kind", "Refused", "Registry", "Section"]
