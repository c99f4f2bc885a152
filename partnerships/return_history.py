"""Every change to a quarter's figures, and the figures as they stood at sign-off."""

from dataclasses import dataclass

from budgets.models import ContributionOutturn
from caseload.models import CareActActivity
from partnerships.models import KPIValue


@dataclass(frozen=True)
class FigureChange:
    when: object
    who: str
    figure: str
    before: object
    after: object


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


SOURCES = (
    (
        ContributionOutturn,
        "contribution__pooled_budget__agreement",
        ("contribution__partner",),
        _label_outturn,
    ),
    (KPIValue, "kpi__agreement", ("kpi",), _label_kpi),
    (CareActActivity, "team__agreement", ("team",), _label_activity),
)


def changes(agreement, quarter) -> list[FigureChange]:
    """Newest first: one query per kind of figure, each change compared with the version
    before it in Python (no query per row)."""
    found = []
    for model, path, related, label in SOURCES:
        records = list(
            model.history.filter(**{path: agreement}, quarter=quarter)
            .select_related("history_user", *related)
            .order_by("id", "history_date", "history_id")
        )
        previous = {}
        for record in records:
            now = dict(label(record))
            before = previous.get(record.id, {})
            for figure, value in now.items():
                if before.get(figure) != value and not (
                    record.id not in previous and value is None
                ):
                    found.append(
                        FigureChange(
                            record.history_date,
                            record.history_user.get_username()
                            if record.history_user
                            else "no user recorded (a script or the demo loader)",
                            figure,
                            before.get(figure),
                            value,
                        )
                    )
            previous[record.id] = now
    return sorted(found, key=lambda change: change.when, reverse=True)


def as_signed_off(agreement, quarter, signed_off_at) -> dict[str, object]:
    """Each figure's value at the moment of sign-off."""
    figures = {}
    for model, path, related, label in SOURCES:
        for record in (
            model.history.as_of(signed_off_at)
            .filter(**{path: agreement}, quarter=quarter)
            .select_related(*related)
        ):
            figures.update(label(record))
    return figures
