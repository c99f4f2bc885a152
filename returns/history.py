"""Every change to a quarter's figures, and the figures as they stood at sign-off."""

from dataclasses import dataclass

from caseload.models import StaffPost
from core.formatting import long_date
from returns.sections import SECTIONS

NO_USER = "no user recorded (a script or the demo loader)"


@dataclass(frozen=True)
class FigureChange:
    when: object
    who: str
    figure: str
    before: object
    after: object


def sources():
    """Where each section of the return keeps its figures' history (returns.sections)."""
    return [source for section in SECTIONS for source in section.history]


def _who(record) -> str:
    return record.history_user.get_username() if record.history_user else NO_USER


def _diff(records, label, *, created=None) -> list[FigureChange]:
    """Compare each historical row with the version before it, in Python (no query per row).
    `records` must be ordered by object, then time. With `created`, a new object is one
    change (its name and a summary) rather than one per field."""
    found = []
    previous = {}
    for record in records:
        now = dict(label(record))
        if created is not None and record.id not in previous:
            name, summary = created(record)
            found.append(FigureChange(record.history_date, _who(record), name, None, summary))
            previous[record.id] = now
            continue
        before = previous.get(record.id, {})
        for figure, value in now.items():
            if before.get(figure) != value and not (record.id not in previous and value is None):
                found.append(
                    FigureChange(
                        record.history_date, _who(record), figure, before.get(figure), value
                    )
                )
        previous[record.id] = now
    return found


def changes(agreement, quarter) -> list[FigureChange]:
    """Newest first: one query per kind of figure."""
    found = []
    for source in sources():
        records = (
            source.model.history.filter(**source.in_quarter(agreement, quarter))
            .select_related("history_user", *source.related)
            .order_by("id", "history_date", "history_id")
        )
        found += _diff(records, source.label)
    return sorted(found, key=lambda change: change.when, reverse=True)


def _label_post(row) -> list[tuple[str, object]]:
    name = f"Post {row.reference} ({row.team.name})"
    return [
        (f"{name}: role", row.get_role_display()),
        (f"{name}: WTE", row.wte),
        (f"{name}: basis", row.get_basis_display()),
        (f"{name}: funded from", row.valid_from),
        (f"{name}: funded until", row.valid_to),
    ]


def _post_created(row) -> tuple[str, str]:
    until = f" until {long_date(row.valid_to)}" if row.valid_to else ""
    return (
        f"Post {row.reference} ({row.team.name})",
        f"Added: {row.get_role_display()}, {row.wte} WTE, {row.get_basis_display()}, "
        f"funded from {long_date(row.valid_from)}{until}",
    )


def post_changes(agreement, quarter) -> list[FigureChange]:
    """Every change, whenever it was made, to the posts funded at any time in the quarter,
    while they were in one of the partnership's teams: staffing is kept as posts with the
    dates they are funded, not as quarterly figures. A post moved in from another
    partnership's team is added when it came; what happened to it before is that
    partnership's. One query.

    Asking for the history rows in the partnership's teams also keeps PostgreSQL from
    reading every post in England in id order to match them: 25 ms for a partnership's
    page at scale 1.0, now 2."""
    funded = StaffPost.objects.filter(team__agreement=agreement, valid_from__lte=quarter.end_date)
    funded = funded.exclude(valid_to__lt=quarter.start_date)
    records = (
        StaffPost.history.filter(id__in=funded.values("id"), team__agreement=agreement)
        .select_related("history_user", "team")
        .order_by("id", "history_date", "history_id")
    )
    found = _diff(records, _label_post, created=_post_created)
    return sorted(found, key=lambda change: change.when, reverse=True)


def as_signed_off(agreement, quarter, signed_off_at) -> dict[str, object]:
    """Each figure's value at the moment of sign-off."""
    figures = {}
    for source in sources():
        for record in (
            source.model.history.as_of(signed_off_at)
            .filter(**source.in_quarter(agreement, quarter))
            .select_related(*source.related)
        ):
            figures.update(source.label(record))
    return figures
