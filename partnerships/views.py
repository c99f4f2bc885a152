from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from partnerships import selectors
from partnerships.permissions import agreements_for, can, partnership_view


@login_required
def home(request):
    agreements = agreements_for(request.user, "view_partnership").order_by("short_title")
    return render(request, "partnerships/home.html", {"agreements": agreements})


@partnership_view("view_partnership")
def overview(request, agreement):
    context = selectors.overview(agreement)
    context |= {
        "agreement": agreement,
        "may_view_s117": can(request.user, "view_s117_counts", agreement),
    }
    return render(request, "partnerships/overview.html", context)
