"""The pages of an entitlement's lifecycle: reviews due, ending aftercare by joint decision,
ending a package or changing its own review date, and a change of who is responsible.
Apart from s117/views.py (the register, a person's record, uploads) to keep both short;
they share its helpers for finding the person and showing an action's refusal."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from partnerships.dashboard import section_context
from partnerships.permissions import partnership_view
from s117 import actions, lifecycle, selectors
from s117.lifecycle_forms import (
    EndEntitlementForm,
    PackageEndForm,
    PackageReviewForm,
    ResponsibilityForm,
)
from s117.views import _entry_of, _package_page, _refused_by_action

REVIEWS_PER_PAGE = 100


def _day(day) -> str:
    return f"{day:%-d %B %Y}"


@never_cache  # a list of people must not stay in a shared computer's browser cache
@partnership_view("view_s117_personal_data")
def reviews_due(request, agreement):
    """People whose review is overdue or due within a few weeks, the soonest due first.
    Listing shows references, teams and dates, as the register's list does, and like it is
    not written to the access log; opening a person's record from it is (docs/access.md)."""
    today = timezone.localdate()
    weeks = request.GET.get("weeks", "")
    weeks = int(weeks) if weeks.isdigit() else selectors.DEFAULT_REVIEW_WINDOW
    if weeks not in selectors.REVIEW_WINDOWS:
        weeks = selectors.DEFAULT_REVIEW_WINDOW
    due = selectors.reviews_due(agreement, today, weeks)
    page = Paginator(due, REVIEWS_PER_PAGE).get_page(request.GET.get("page"))
    rows = [(entry, max((today - entry.review_due).days, 0)) for entry in page]
    context = section_context(request, agreement, "s117_register", None) | {
        "today": today,
        "weeks": weeks,
        "windows": selectors.REVIEW_WINDOWS,
        "page": page,
        "rows": rows,
        "overdue": due.aggregate(n=Count("pk", filter=Q(review_due__lt=today)))["n"],
        "query": f"weeks={weeks}",
    }
    return render(request, "s117/reviews_due.html", context)


@never_cache
@partnership_view("edit_s117_register")
def end_entitlement(request, agreement, reference):
    """End a person's aftercare by the joint decision of the council and the ICB."""
    entry = _entry_of(agreement, reference)
    form = EndEntitlementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            ended = lifecycle.end_entitlement(
                request.user, entry, **form.cleaned_data, path=request.path
            )
        except ValidationError as error:
            _refused_by_action(form, error)
        else:
            messages.success(
                request,
                f"Aftercare ended on {_day(ended.ended_on)} by joint decision, agreed by the "
                f"council on {_day(ended.end_agreed_by_council_on)} and the ICB on "
                f"{_day(ended.end_agreed_by_icb_on)}.",
            )
            return redirect("s117_person", agreement.slug, entry.person_reference)
    context = {"agreement": agreement, "entry": entry, "form": form}
    return _package_page(request, "s117/end_entitlement.html", context, entry)


def _package_of(entry, package_id):
    package = entry.packages.filter(pk=package_id).first()
    if package is None:
        raise Http404("No such package for this person.")
    return package


@never_cache
@partnership_view("edit_s117_register")
def end_package(request, agreement, reference, package_id):
    """End one of the person's packages on its last day; their next review is worked out
    again, as the package no longer brings it forward after then."""
    entry = _entry_of(agreement, reference)
    package = _package_of(entry, package_id)
    form = PackageEndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.end_package(
                request.user, package, form.cleaned_data["end_date"], path=request.path
            )
        except ValidationError as error:
            _refused_by_action(form, error)
        else:
            messages.success(request, f"{package.description} ends on {_day(package.end_date)}.")
            return redirect("s117_person", agreement.slug, entry.person_reference)
    context = {"agreement": agreement, "entry": entry, "package": package, "form": form}
    return _package_page(request, "s117/package_end.html", context, entry)


@never_cache
@partnership_view("edit_s117_register")
def change_package_review(request, agreement, reference, package_id):
    """Change the date a package is itself next to be reviewed; the person's next review
    is worked out again from their last, by the same rule as recording a review."""
    entry = _entry_of(agreement, reference)
    package = _package_of(entry, package_id)
    form = PackageReviewForm(request.POST or None, initial={"review_due": package.review_due})
    if request.method == "POST" and form.is_valid():
        try:
            changed = lifecycle.change_package_review(
                request.user, package, form.cleaned_data["review_due"], path=request.path
            )
        except ValidationError as error:
            _refused_by_action(form, error)
        else:
            when = _day(changed.review_due) if changed.review_due else "not set"
            due = changed.entry.review_due
            messages.success(
                request,
                f"The next review of {changed.description} is {when}; the person's next "
                f"review is due {_day(due) if due else 'as the register says'}.",
            )
            return redirect("s117_person", agreement.slug, entry.person_reference)
    context = {"agreement": agreement, "entry": entry, "package": package, "form": form}
    return _package_page(request, "s117/package_review.html", context, entry)


@never_cache
@partnership_view("edit_s117_register")
def change_responsibility(request, agreement, reference):
    """Record that another council and ICB are responsible for the person's aftercare from
    a day, and why; the earlier periods stay in the person's history."""
    entry = _entry_of(agreement, reference)
    form = ResponsibilityForm(request.POST or None, entry=entry)
    if request.method == "POST" and form.is_valid():
        try:
            period = lifecycle.change_responsibility(
                request.user, entry, **form.cleaned_data, path=request.path
            )
        except ValidationError as error:
            _refused_by_action(form, error)
        else:
            messages.success(
                request,
                f"From {_day(period.starts_on)}, {period.responsible_council.name} and "
                f"{period.responsible_icb.name} are responsible.",
            )
            return redirect("s117_person", agreement.slug, entry.person_reference)
    context = {
        "agreement": agreement,
        "entry": entry,
        "form": form,
        "periods": lifecycle.responsibility_history(entry),
    }
    return _package_page(request, "s117/responsibility.html", context, entry)
