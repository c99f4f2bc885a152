"""Reads of the s117 register that give counts only, never personal data."""

import datetime

from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    F,
    Max,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from caseload.models import TeamKind
from partnerships.models import Agreement
from s117.models import AftercarePackage, FundingDecision, RegisterCount, RegisterEntry

NO_USER = "no user recorded (a script or the demo loader)"


def open_entries(agreement: Agreement, day: datetime.date):
    """Entitlements in force on `day`: aftercare begins on discharge and lasts until ended."""
    return RegisterEntry.objects.filter(RegisterEntry.in_force(day), agreement=agreement)


def latest_counts(agreement: Agreement, day: datetime.date):
    """Each reporting team's latest register count on or before `day`."""
    latest = (
        RegisterCount.objects.filter(team=OuterRef("team"), as_at__lte=day)
        .order_by()
        .values("team")
        .annotate(latest=Max("as_at"))
        .values("latest")
    )
    return RegisterCount.objects.filter(team__agreement=agreement, as_at=Subquery(latest))


def reported_by_kind(agreement: Agreement, day: datetime.date) -> dict[str, int]:
    """Reported totals grouped by kind of team (e.g. Older Adults, locality AMHTs)."""

    kinds = dict(TeamKind.choices)
    rows = (
        latest_counts(agreement, day)
        .values_list("team__kind")
        .annotate(total=Sum("people"))
        .order_by("team__kind")
    )
    grouped: dict[str, int] = {}
    for kind, total in rows:
        label = "Locality adult and integrated teams" if kind in ("amht", "imht") else kinds[kind]
        grouped[label] = grouped.get(label, 0) + total
    return grouped


def reported_counts(agreement: Agreement, day: datetime.date) -> dict[str, int]:
    """The latest count on or before `day` of each team that reports only totals."""
    return dict(
        latest_counts(agreement, day).order_by("team__name").values_list("team__name", "people")
    )


def reported_total(agreement: Agreement, day: datetime.date, *, team_kinds=None) -> int:
    counts = latest_counts(agreement, day)
    if team_kinds is not None:
        counts = counts.filter(team__kind__in=team_kinds)
    return counts.aggregate(total=Sum("people"))["total"] or 0


def reviews_overdue(agreement: Agreement, day: datetime.date) -> int:
    return RegisterEntry.objects.filter(
        RegisterEntry.overdue_for_review(day), agreement=agreement
    ).count()


def ctos_in_force(agreement: Agreement, day: datetime.date) -> int:
    return open_entries(agreement, day).filter(cto_in_force=True).count()


def register_summary(agreement: Agreement, day: datetime.date) -> dict:
    """Counts only: people entitled by team, reviews overdue, CTOs in force."""

    entries = open_entries(agreement, day)
    by_team = list(entries.values("team__name").annotate(people=Count("pk")).order_by("team__name"))
    return {
        "by_team": by_team,
        "reported_by_team": reported_counts(agreement, day),
        "reported_by_kind": reported_by_kind(agreement, day),
        "total": sum(row["people"] for row in by_team),
        "reviews_overdue": entries.filter(RegisterEntry.overdue_for_review(day)).count(),
        "ctos_in_force": entries.filter(cto_in_force=True).count(),
    }


def people(agreement: Agreement, day: datetime.date, criteria: dict | None = None):
    """The register's people, for those who may see personal data, each marked `overdue`
    when their review is overdue on `day`; with `criteria` (s117.forms.PeopleSearchForm),
    those found by NHS number or reference and the filters chosen."""
    overdue = Case(
        When(RegisterEntry.overdue_for_review(day), then=Value(True)),
        default=Value(False),
        output_field=BooleanField(),
    )
    found = RegisterEntry.objects.filter(agreement=agreement)
    criteria = criteria or {}
    if criteria.get("q"):
        wanted = criteria["q"]
        digits = "".join(wanted.split())
        by_number = Q(nhs_number=digits) if digits.isdigit() and len(digits) == 10 else Q()
        found = found.filter(Q(person_reference__iexact=wanted) | by_number)
    if criteria.get("team"):
        found = found.filter(team_id=criteria["team"])
    if criteria.get("reason"):
        reason = criteria["reason"]
        found = found.filter(
            Q(primary_support_reason=reason) | Q(primary_support_reason__startswith=f"{reason}:")
        )
    if criteria.get("placement"):
        in_force = AftercarePackage.objects.filter(
            Q(end_date__isnull=True) | Q(end_date__gte=day),
            entry=OuterRef("pk"),
            placement=criteria["placement"],
            start_date__lte=day,
        )
        found = found.filter(Exists(in_force))
    if criteria.get("funder"):
        found = found.filter(_paid_by(criteria["funder"], day))
    if criteria.get("overdue"):
        found = found.filter(RegisterEntry.overdue_for_review(day))
    if criteria.get("cto"):
        found = found.filter(cto_in_force=True)
    return found.select_related("team").annotate(overdue=overdue).order_by("person_reference")


def _paid_by(funder: str, day: datetime.date) -> Q:
    """Entries whose aftercare on `day` the council alone, the ICB alone, or both pay for:
    each package in force at the split of the panel's latest decision from that day or
    before (the entry's own split before its first), as s117.costs prices it; someone with
    no package in force, at the register's split."""
    split = Subquery(
        FundingDecision.objects.filter(package=OuterRef("pk"), applies_from__lte=day)
        .order_by("-applies_from")
        .values("council_share_percent")[:1]
    )
    in_force = AftercarePackage.objects.filter(
        Q(end_date__isnull=True) | Q(end_date__gte=day), entry=OuterRef("pk"), start_date__lte=day
    ).annotate(council_percent=Coalesce(split, F("entry__council_share_percent")))
    packaged = Exists(in_force)
    council_pays = Exists(in_force.filter(council_percent__gt=0))
    icb_pays = Exists(in_force.filter(council_percent__lt=100))
    own = {
        "council": Q(council_share_percent=100),
        "icb": Q(council_share_percent=0),
        "joint": Q(council_share_percent__gt=0, council_share_percent__lt=100),
    }[funder]
    by_packages = {
        "council": packaged & ~icb_pays,
        "icb": packaged & ~council_pays,
        "joint": council_pays & icb_pays,
    }[funder]
    return Q(by_packages) | (~Q(packaged) & own)


def movement(agreement: Agreement, start: datetime.date, end: datetime.date) -> dict:
    """People who became entitled (discharged) and whose entitlement ended in [start, end],
    and reviews falling due in the same period."""
    entries = RegisterEntry.objects.filter(agreement=agreement)
    return {
        "new": entries.filter(discharged_on__range=(start, end)).count(),
        "ended": entries.filter(ended_on__range=(start, end)).count(),
    }


def counts_by_team(agreement: Agreement) -> list[RegisterCount]:
    """Every count the agreement's teams have reported, newest first within each team."""
    return list(
        RegisterCount.objects.filter(team__agreement=agreement)
        .select_related("team")
        .order_by("team__name", "-as_at")
    )


def count_changes(agreement: Agreement, *, limit: int = 50) -> list[dict]:
    """The latest changes to the agreement's reported counts, newest first: who, when, which
    count, and the number before and after (None before a new count). Each count's history is
    read in order and compared in Python, so this is one query however many there are."""
    records = (
        RegisterCount.history.filter(team__agreement=agreement)
        .select_related("team", "history_user")
        .order_by("id", "history_date", "history_id")
    )
    changes, before = [], {}
    for record in records:
        previous = before.get(record.id)
        if record.history_type != "-" and previous != record.people:
            changes.append(
                {
                    "when": record.history_date,
                    "who": record.history_user.get_username() if record.history_user else NO_USER,
                    "figure": f"{record.team.name}, {record.as_at:%-d %B %Y}",
                    "before": previous,
                    "after": record.people,
                }
            )
        before[record.id] = record.people
    changes.sort(key=lambda change: change["when"], reverse=True)
    return changes[:limit]


# The windows the due-reviews list offers, in weeks ahead; the first page shows eight.
REVIEW_WINDOWS = (4, 8, 13)
DEFAULT_REVIEW_WINDOW = 8


def reviews_due(agreement: Agreement, day: datetime.date, weeks: int):
    """People whose aftercare is in force on `day` and whose review is overdue or falls due
    within `weeks` weeks of it, the soonest due first, each with their team."""
    until = day + datetime.timedelta(weeks=weeks)
    return (
        open_entries(agreement, day)
        .filter(review_due__lte=until)
        .select_related("team")
        .order_by("review_due", "person_reference")
    )


RECENT_EXPORTS = 20


def recent_exports(agreement: Agreement) -> list:
    """The latest downloads from the register (s117.models.ExportLog), newest first."""
    return list(agreement.s117_exports.order_by("-at", "-pk")[:RECENT_EXPORTS])
