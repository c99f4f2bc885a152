"""The data-quality check that reads the returns: a quarter's return not submitted, or not
signed off, by the date its partnership's timetable sets (returns.schedule). Dashboards sit
below returns, so this check registers itself with them (from ReturnsConfig.ready), as an
app's admin registers its models."""

from functools import reduce
from operator import or_

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from core.formatting import long_date
from dashboards.quality import Flag, Scope, register
from returns.models import QuarterlyReturn, ReturnSchedule
from returns.schedule import deadlines

SUBMITTED = (QuarterlyReturn.Status.SUBMITTED, QuarterlyReturn.Status.SIGNED_OFF)


@register(section="return")
def return_late(scopes: list[Scope]) -> list[Flag]:
    returns = {
        r.agreement_id: r
        for r in QuarterlyReturn.objects.filter(
            reduce(or_, (Q(agreement=s.agreement.pk, quarter=s.quarter.pk) for s in scopes))
        )
    }
    schedules = {
        s.agreement_id: s
        for s in ReturnSchedule.objects.filter(agreement__in=[s.agreement.pk for s in scopes])
    }
    today = timezone.localdate()
    flags = []
    for scope in scopes:
        due = deadlines(schedules.get(scope.agreement.pk), scope.quarter)
        found = _late(returns.get(scope.agreement.pk), due, today)
        url = reverse("quarterly_return", args=[scope.agreement.slug, scope.quarter.slug])
        for key, text, fix in found:
            flags.append(
                scope.flag("return_late", key, f"The {scope.quarter.name} return {text}", fix, url)
            )
    return flags


def _late(quarterly_return, due, today) -> list[tuple[str, str, str]]:
    """(key, what was late, what to do) for the submission and for the sign-off."""
    status = quarterly_return.status if quarterly_return else QuarterlyReturn.Status.DRAFT
    if status not in SUBMITTED:
        if today <= due.return_due:
            return []
        return [
            (
                "submission",
                f"was due by {long_date(due.return_due)} and has not been submitted",
                "Complete and submit the return",
            )
        ]
    found = []
    submitted = quarterly_return.submitted_at and timezone.localdate(quarterly_return.submitted_at)
    if submitted and submitted > due.return_due:
        found.append(
            (
                "submission",
                f"was submitted on {long_date(submitted)}, after it was due by "
                f"{long_date(due.return_due)}",
                "See the return and its timetable",
            )
        )
    if status == QuarterlyReturn.Status.SIGNED_OFF:
        signed = timezone.localdate(quarterly_return.signed_off_at)
        if signed > due.sign_off_due:
            found.append(
                (
                    "sign_off",
                    f"was signed off on {long_date(signed)}, after sign-off was due by "
                    f"{long_date(due.sign_off_due)}",
                    "See the return and its timetable",
                )
            )
    elif today > due.sign_off_due:
        found.append(
            (
                "sign_off",
                f"has not been signed off: sign-off was due by {long_date(due.sign_off_due)}",
                "Ask a JMG member to sign the return off",
            )
        )
    return found
