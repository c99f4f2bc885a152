"""Every change to a quarter's figures, and the figures as they stood at sign-off."""

from dataclasses import dataclass

from budgets.models import ContributionOutturn
from caseload.models import CareActActivity, CaseloadOverlap, CaseloadSnapshot, StaffPost
from partnerships.models import KPIValue

NO_USER = "no user recorded (a script or the demo loader)"


@dataclass(frozen=True)
class FigureChange:
    when: object
    who: str
    figure: str
    before: object
    after: object


@dataclass(frozen=True)
class Source:
    """One kind of figure a quarter holds: where its history lives and how to name it."""

    model: type
    related: tuple[str, ...]
    label: object  # a historical row -> [(figure, value), ...]
    in_quarter: object  # (agreement, quarter) -> filter kwargs


def _label_outturn(row) -> list[tuple[str, object]]:
    partner = row.contribution.partner.short_name
    return [
        (f"{partner} forecast outturn", row.forecast),
        (f"{partner} spend to date", row.actual_to_date),
    ]


def _label_kpi(row) -> list[tuple[str, object]]:
    return [(f"{row.kpi.code} value", row.value)]


def _label_activity(row) -> list[tuple[str, object]]:
    return [
        (f"{row.team.name}: {name.replace('_', ' ')}", getattr(row, name))
        for name in CareActActivity.COUNTS
    ]


def _label_snapshot(row) -> list[tuple[str, object]]:
    return [(f"{row.team.name}: open cases in {row.source_system.name}", row.open_cases)]


def _label_overlap(row) -> list[tuple[str, object]]:
    return [(f"{row.team.name}: cases in more than one system", row.cases_in_more_than_one_system)]


SOURCES = (
    Source(
        ContributionOutturn,
        ("contribution__partner",),
        _label_outturn,
        lambda agreement, quarter: {
            "contribution__pooled_budget__agreement": agreement,
            "quarter": quarter,
        },
    ),
    Source(
        CaseloadSnapshot,
        ("team", "source_system"),
        _label_snapshot,
        lambda agreement, quarter: {"team__agreement": agreement, "as_at": quarter.end_date},
    ),
    Source(
        CaseloadOverlap,
        ("team",),
        _label_overlap,
        lambda agreement, quarter: {"team__agreement": agreement, "as_at": quarter.end_date},
    ),
    Source(
        CareActActivity,
        ("team",),
        _label_activity,
        lambda agreement, quarter: {"team__agreement": agreement, "quarter": quarter},
    ),
    Source(
        KPIValue,
        ("kpi",),
        _label_kpi,
        lambda agreement, quarter: {"kpi__agreement": agreement, "quarter": quarter},
    ),
)


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
    for source in SOURCES:
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
    until = f" until {row.valid_to:%-d %B %Y}" if row.valid_to else ""
    return (
        f"Post {row.reference} ({row.team.name})",
        f"Added: {row.get_role_display()}, {row.wte} WTE, {row.get_basis_display()}, "
        f"funded from {row.valid_from:%-d %B %Y}{until}",
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
    for source in SOURCES:
        for record in (
            source.model.history.as_of(signed_off_at)
            .filter(**source.in_quarter(agreement, quarter))
            .select_related(*source.related)
        ):
            figures.update(source.label(record))
    return figures
