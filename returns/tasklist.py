"""The return as a GOV.UK task list: each section with its status, worked out from what
the person entering it said of it (`SectionState`) and from its figures."""

from dataclasses import dataclass

from returns.models import SectionState

CANNOT_START = "cannot_start"
NOT_STARTED = "not_started"
IN_PROGRESS = "in_progress"
COMPLETED = "completed"
NOTHING = "nothing"
DONE = (COMPLETED, NOTHING)
WORDS = {
    CANNOT_START: "Cannot start yet",
    NOT_STARTED: "Not started",
    IN_PROGRESS: "In progress",
    COMPLETED: "Completed",
    NOTHING: "Nothing to report",
}
TAGS = {NOT_STARTED: "blue", IN_PROGRESS: "light-blue"}  # done and cannot-start have none


@dataclass(frozen=True)
class Task:
    name: str  # the section's name in the file format
    title: str
    status: str
    hint: str = ""

    @property
    def words(self) -> str:
        return WORDS[self.status]

    @property
    def tag(self) -> str:
        return TAGS.get(self.status, "")

    @property
    def done(self) -> bool:
        return self.status in DONE


def states_of(quarterly_return) -> dict[str, str]:
    """Each marked section's state, by section name (one query; none without a return)."""
    if quarterly_return is None:
        return {}
    return dict(
        SectionState.objects.filter(quarterly_return=quarterly_return).values_list(
            "section", "state"
        )
    )


def task_list(lookups, states: dict[str, str]) -> list[Task]:
    """Each section of the return, in order, with its status. A section with nothing to
    enter (no pool for the year, no teams, no KPIs, no action plan) can't be started."""
    tasks = []
    for section in lookups.sections.values():
        tasks.append(_task(section, states.get(section.name)))
    return tasks


def _task(section, state: str | None) -> Task:
    if not section.figures():
        return Task(section.name, section.title, CANNOT_START, section.cannot_start_because())
    if state in DONE:
        return Task(section.name, section.title, state)
    if state == IN_PROGRESS or section.recorded():
        return Task(section.name, section.title, IN_PROGRESS)
    return Task(section.name, section.title, NOT_STARTED)
