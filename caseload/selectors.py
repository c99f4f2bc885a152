"""Reads of staffing and caseload, aggregated in the database."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum

from caseload import metrics
from caseload.models import (
    CareActActivity,
    CaseloadOverlap,
    CaseloadSnapshot,
    StaffPost,
    Team,
    TeamKind,
)
from partnerships.models import Agreement

ZERO = Decimal(0)


def teams_on(agreement: Agreement, day: datetime.date) -> QuerySet[Team]:
    return Team.objects.filter(agreement=agreement).filter(
        Q(left_agreement_on__isnull=True) | Q(left_agreement_on__gt=day)
    )


def posts_on(agreement: Agreement, day: datetime.date) -> QuerySet[StaffPost]:
    """Posts that exist on `day` in teams that are in the agreement on that day."""
    return StaffPost.objects.filter(
        Q(team__left_agreement_on__isnull=True) | Q(team__left_agreement_on__gt=day),
        Q(valid_to__isnull=True) | Q(valid_to__gte=day),
        team__agreement=agreement,
        valid_from__lte=day,
    )


@dataclass(frozen=True)
class Staffing:
    posts: int
    wte: Decimal
    vacant_posts: int
    vacant_wte: Decimal
    seconded_wte: Decimal
    tupe_wte: Decimal
    direct_wte: Decimal
    case_holding_wte: Decimal  # filled case-holding posts only: a vacancy holds no cases
    seconded_at_start: int
    tupe_at_start: int

    @property
    def filled_posts(self) -> int:
        return self.posts - self.vacant_posts

    @property
    def vacancy_rate(self) -> Decimal:
        return metrics.vacancy_rate(Decimal(self.vacant_posts), Decimal(self.posts))


def staffing(agreement: Agreement, day: datetime.date, *, funder=None) -> Staffing:
    """Posts, WTE and employment basis on `day`, in one query."""
    posts = posts_on(agreement, day)
    if funder is not None:
        posts = posts.filter(funder=funder)
    basis = StaffPost.Basis
    origin = StaffPost.Origin
    totals = posts.aggregate(
        posts=Count("pk"),
        total_wte=Sum("wte"),
        vacant_posts=Count("pk", filter=Q(basis=basis.VACANT)),
        vacant_wte=Sum("wte", filter=Q(basis=basis.VACANT)),
        seconded_wte=Sum("wte", filter=Q(basis=basis.SECONDED)),
        tupe_wte=Sum("wte", filter=Q(basis=basis.TUPE)),
        direct_wte=Sum("wte", filter=Q(basis=basis.DIRECT)),
        case_holding_wte=Sum("wte", filter=Q(case_holding=True) & ~Q(basis=basis.VACANT)),
        seconded_at_start=Count("pk", filter=Q(origin=origin.SECONDED)),
        tupe_at_start=Count("pk", filter=Q(origin=origin.TUPE)),
    )
    totals["wte"] = totals.pop("total_wte")
    return Staffing(**{key: ZERO if value is None else value for key, value in totals.items()})


def caseload_by_system(agreement: Agreement, as_at: datetime.date) -> dict[str, int]:
    return dict(
        CaseloadSnapshot.objects.filter(team__agreement=agreement, as_at=as_at)
        .values_list("source_system__name")
        .annotate(total=Sum("open_cases"))
        .order_by("source_system__name")
    )


def caseload_total(agreement: Agreement, as_at: datetime.date) -> int:
    """Open cases on the date, each counted once however many systems record it."""
    recorded = CaseloadSnapshot.objects.filter(team__agreement=agreement, as_at=as_at).aggregate(
        total=Sum("open_cases")
    )["total"]
    in_two = CaseloadOverlap.objects.filter(team__agreement=agreement, as_at=as_at).aggregate(
        total=Sum("cases_in_more_than_one_system")
    )["total"]
    return (recorded or 0) - (in_two or 0)


def average_caseload(agreement: Agreement, as_at: datetime.date) -> Decimal:
    """Open cases per filled case-holding WTE on the snapshot date."""
    return metrics.caseload_per_wte(
        caseload_total(agreement, as_at), staffing(agreement, as_at).case_holding_wte
    )


def establishment_wte(agreement: Agreement, kinds: tuple[str, ...]) -> Decimal:
    """Whole-team staffing (all disciplines) of the agreement's teams of the given kinds."""
    total = Team.objects.filter(agreement=agreement, kind__in=kinds).aggregate(
        total=Sum("establishment_wte")
    )["total"]
    return total or ZERO


LOCALITY_TEAM_KINDS = (TeamKind.AMHT, TeamKind.IMHT)


def activity_totals(agreement: Agreement, quarters) -> dict[str, int]:
    """Care Act activity summed over the agreement's teams and the given quarters."""
    totals = CareActActivity.objects.filter(
        team__agreement=agreement, quarter__in=quarters
    ).aggregate(**{count: Sum(count) for count in CareActActivity.COUNTS})
    return {count: value or 0 for count, value in totals.items()}
