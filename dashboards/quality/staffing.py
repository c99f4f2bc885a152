"""Each team's funded posts at its quarter's end, filled, vacant and case-holding, read once
a run (one query) for the staffing checks and cases_without_staff."""

from dataclasses import dataclass
from decimal import Decimal
from functools import reduce
from operator import or_

from django.db.models import Q, Sum

from caseload.models import StaffPost, Team
from dashboards.quality.registry import Scope, shared


@dataclass(frozen=True)
class TeamWTE:
    agreement_id: int
    team_id: int
    name: str
    establishment: Decimal | None
    filled: Decimal
    vacant: Decimal
    case_holding: Decimal  # filled posts that hold cases


def _posts_on(end, ids: list[int]) -> Q:
    """A team's posts that exist on a quarter's last day, as a condition on teams of these
    agreements."""
    return Q(
        Q(posts__valid_to__isnull=True) | Q(posts__valid_to__gte=end),
        posts__valid_from__lte=end,
        agreement__in=ids,
    )


def _by_end(scopes: list[Scope]) -> dict:
    """The agreements of each quarter end: the ends are few (most partnerships' latest
    quarter is the same), so one condition an end, not one a partnership, which across a
    thousand partnerships made a query of thousands of ORs."""
    ends: dict = {}
    for s in scopes:
        ends.setdefault(s.end, []).append(s.agreement.pk)
    return ends


def team_wte(scopes: list[Scope]) -> list[TeamWTE]:
    """Teams in their agreement at the quarter's end, with the WTE of their funded posts."""
    return shared(scopes, "team_wte", _team_wte)


def _team_wte(scopes: list[Scope]) -> list[TeamWTE]:
    ends = _by_end(scopes)
    in_agreement = reduce(
        or_,
        (
            Q(agreement__in=ids)
            & (Q(left_agreement_on__isnull=True) | Q(left_agreement_on__gt=end))
            for end, ids in ends.items()
        ),
    )
    posts = reduce(or_, (_posts_on(end, ids) for end, ids in ends.items()))
    vacant = Q(posts__basis=StaffPost.Basis.VACANT)
    rows = (
        Team.objects.filter(in_agreement)
        .annotate(
            filled=Sum("posts__wte", filter=posts & ~vacant),
            vacant=Sum("posts__wte", filter=posts & vacant),
            case_holding=Sum("posts__wte", filter=posts & ~vacant & Q(posts__case_holding=True)),
        )
        .order_by("name")
        .values_list(
            "agreement_id", "pk", "name", "establishment_wte", "filled", "vacant", "case_holding"
        )
    )
    return [
        TeamWTE(agreement, pk, name, establishment, *(wte or Decimal(0) for wte in sums))
        for agreement, pk, name, establishment, *sums in rows
    ]
