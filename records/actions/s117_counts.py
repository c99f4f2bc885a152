"""Writes to the s117 register counts that teams report as totals."""

import datetime

from django.db import transaction

from caseload.models import Team
from s117.models import RegisterCount


@transaction.atomic
def record_register_count(
    *, team: Team, as_at: datetime.date, people: int, source: str
) -> tuple[RegisterCount, int | None]:
    """Record the team's count on that date, or change the one already recorded for it.
    Returns the count and the number it replaced (None when it is new). History records who
    (the request's user) and what it was before."""
    count = RegisterCount.objects.select_for_update().filter(team=team, as_at=as_at).first()
    if count is None:
        count = RegisterCount(team=team, as_at=as_at)
        before = None
    else:
        before = count.people
    count.people = people
    count.source = source or count.source
    count.full_clean()
    count.save()
    return count, before
