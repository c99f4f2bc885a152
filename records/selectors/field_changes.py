"""A record's history as changes people would read: who, when, what, before → after.

Each page passes the record's historical rows, oldest first, and how to name the fields of
one row; consecutive rows are compared in Python (no query per row)."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

NO_USER = "no user recorded (a script or the demo loader)"


@dataclass(frozen=True)
class FieldChange:
    when: object
    who: str
    figure: str  # what changed (the name templates/includes/figure_changes.html uses)
    before: object
    after: object


def who(record) -> str:
    return record.history_user.get_username() if record.history_user else NO_USER


def changes(
    records: Iterable,
    label: Callable[[object], list[tuple[str, object]]],
    *,
    created: Callable[[object], str],
    name: Callable[[object], str] = lambda record: "",
) -> list[FieldChange]:
    """Newest first. `records` are historical rows ordered by object then time (with
    `history_user` loaded). A row without one before it for its object is an addition,
    summarised by `created`; after that, each field whose value differs is one change,
    named by `name(record)` (the object's, where the list holds several) and its label."""
    found, previous = [], {}
    for record in records:
        now = dict(label(record))
        before = previous.get(record.id)
        prefix = name(record)
        if before is None:
            what = f"{prefix}: added" if prefix else "Added"
            found.append(FieldChange(record.history_date, who(record), what, None, created(record)))
        else:
            for field, value in now.items():
                if before.get(field) != value:
                    what = f"{prefix}: {field}" if prefix else field
                    found.append(
                        FieldChange(record.history_date, who(record), what, before[field], value)
                    )
        previous[record.id] = now
    return sorted(found, key=lambda change: change.when, reverse=True)
