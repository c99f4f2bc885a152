"""People on the s117 register whose review was due before the quarter ended."""

from functools import reduce
from operator import or_

from django.db.models import Count, Q
from django.urls import reverse

from core.formatting import count, long_date
from dashboards.quality.registry import Flag, Scope, by_agreement, plural, register
from s117.models import RegisterEntry


@register(section="s117", needs="view_s117_counts")
def reviews_overdue(scopes: list[Scope]) -> list[Flag]:
    scope_of = by_agreement(scopes)
    # The quarters' ends are few (most partnerships' latest quarter is the same): one
    # condition for each end over its partnerships, not one for each partnership, which
    # across a thousand partnerships made a query of a thousand ORs.
    by_end: dict = {}
    for s in scopes:
        by_end.setdefault(s.end, []).append(s.agreement.pk)
    overdue = (
        RegisterEntry.objects.filter(
            reduce(
                or_,
                (
                    Q(agreement__in=ids) & RegisterEntry.overdue_for_review(end)
                    for end, ids in by_end.items()
                ),
            )
        )
        .values("agreement")
        .annotate(n=Count("pk"))
        .order_by()
    )
    flags = []
    for row in overdue:
        scope, n = scope_of[row["agreement"]], row["n"]
        found = f"{count(n)} s117 {plural(n, 'review')} overdue at {long_date(scope.end)}"
        url = reverse("s117_register", args=[scope.agreement.slug])
        flags.append(
            scope.flag(
                "reviews_overdue",
                "register",
                found,
                "Review them, or record the reviews",
                url,
                needs="view_s117_counts",
            )
        )
    return flags
