import datetime

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from partnerships.dashboard import configured, section_context
from partnerships.permissions import can, partnership_view
from s117 import selectors
from s117.actions import record_access
from s117.models import AccessLog
from s117.tables import RegisterByTeamTable

PEOPLE_PER_PAGE = 50


@never_cache  # the list of people must not stay in a shared computer's browser cache
@partnership_view("view_s117_counts")
def register(request, agreement):
    today = timezone.localdate()
    context = section_context(request, agreement, "s117_register", None)
    context |= {
        "today": today,
        "movement": selectors.movement(agreement, today - datetime.timedelta(days=365), today),
        "summary": selectors.register_summary(agreement, today),
        "may_view_people": can(request.user, "view_s117_personal_data", agreement),
    }
    summary = context["summary"]
    rows = [
        {
            "team": row["team__name"] or "No team recorded",
            "source": "Register entries",
            "people": row["people"],
        }
        for row in summary["by_team"]
    ] + [
        {"team": team, "source": "Reported total", "people": people}
        for team, people in summary["reported_by_team"].items()
    ]
    by_team = RegisterByTeamTable(
        rows, prefix="teams-", caption="People entitled to s117 aftercare, by team"
    )
    download = configured(request, (by_team, f"{agreement.slug} s117 register by team"))
    if download is not None:
        return download
    context["by_team_table"] = by_team
    if context["may_view_people"]:
        context["page"] = Paginator(selectors.people(agreement), PEOPLE_PER_PAGE).get_page(
            request.GET.get("page")
        )
    return render(request, "s117/register.html", context)


@never_cache
@partnership_view("view_s117_personal_data")
def person(request, agreement, reference):
    entry = (
        agreement.s117_entries.select_related("team", "responsible_council", "responsible_icb")
        .filter(person_reference=reference)
        .first()
    )
    if entry is None:
        raise Http404("No such person on this register.")
    record_access(by=request.user, entry=entry, action=AccessLog.Action.VIEW, path=request.path)
    context = {
        "agreement": agreement,
        "entry": entry,
        "reviews": list(entry.reviews.order_by("-reviewed_on")),
        "packages": list(entry.packages.order_by("start_date")),
        "today": timezone.localdate(),
    }
    return render(request, "s117/person.html", context)
