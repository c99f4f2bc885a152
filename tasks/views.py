"""Home: what needs the signed-in user, then each of their partnerships at a glance. And the
page a reminder email's stop link opens. The signed token is the credential
(tasks.stopping), so the page needs no sign-in; stopping takes a confirming POST, so that
a mail scanner following the link stops nothing."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from core.formatting import long_date
from dashboards.selectors import home_flags, home_quality_flags
from partnerships.permissions import agreements_for, can
from partnerships.standing import standings
from tasks.needs import needs_for
from tasks.stopping import has_stopped, stop_reminders, user_for


@login_required
def home(request):
    """The user's own work first (tasks.needs), then every partnership they belong to,
    each flagged only with what their roles there let them see (docs/access.md)."""
    today = timezone.localdate()
    user = request.user
    agreements = list(agreements_for(user, "view_partnership").order_by("short_title"))
    standing = standings(agreements, today)
    may_see = {
        "dashboard": set(agreements_for(user, "view_dashboard").values_list("pk", flat=True)),
        "s117": set(agreements_for(user, "view_s117_counts").values_list("pk", flat=True)),
    }
    flags = home_flags(agreements, today, **may_see, standing=standing)
    quality = home_quality_flags(agreements, **may_see)
    rows = [
        {
            "agreement": a,
            "flags": flags[a.pk] + quality[a.pk],
            "term": _term(a, standing[a.pk]),
            # those who read only what is published are shown where it is
            "papers_only": a.pk not in may_see["dashboard"]
            and can(user, "view_published_reports", a),
        }
        for a in agreements
    ]
    context = {"rows": rows, "needs": needs_for(user, today)}
    return render(request, "partnerships/home.html", context)


def _term(agreement, standing) -> str:
    """The card's line on the term: its standing, unless the flags already say it."""
    if standing.code == "in_force":
        return standing.text
    if standing.code in ("ended", "terminated"):
        return f"Ran to {long_date(agreement.end_date)}"
    return f"Runs to {long_date(agreement.end_date)}"


@require_http_methods(["GET", "POST"])
def stop(request, token):
    user = user_for(token)
    if user is None:
        raise Http404("This link to stop reminders is not valid.")
    if request.method == "POST":
        stop_reminders(user)
        return render(request, "tasks/stopped.html", {"person": user})
    return render(
        request,
        "tasks/stop.html",
        {"person": user, "token": token, "already": has_stopped(user)},
    )
