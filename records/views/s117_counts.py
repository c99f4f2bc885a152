"""s117 register counts that teams report as totals: each team's counts, and recording one."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone

from partnerships.dashboard import section_context
from partnerships.permissions import can, partnership_view
from records.actions.s117_counts import record_register_count
from records.forms.s117_counts import RegisterCountForm
from s117 import selectors


@partnership_view("view_s117_counts")
def counts(request, agreement):
    context = section_context(request, agreement, "s117_register", None)
    context |= {
        "counts": selectors.counts_by_team(agreement),
        "changes": selectors.count_changes(agreement),
        "may_record": can(request.user, "edit_s117_register", agreement),
    }
    return render(request, "records/s117_counts.html", context)


@partnership_view("edit_s117_register")
def record_count(request, agreement):
    form = RegisterCountForm(request.POST or None, agreement=agreement, today=timezone.localdate())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        count, before = record_register_count(
            team=data["team"], as_at=data["as_at"], people=data["people"], source=data["source"]
        )
        was = "" if before is None else f" (it was {before:,})"
        messages.success(
            request,
            f"Recorded: {count.people:,} people in {count.team.name} on "
            f"{count.as_at:%-d %B %Y}{was}.",
        )
        return redirect("s117_counts", agreement.slug)
    context = section_context(request, agreement, "s117_register", None) | {"form": form}
    return render(request, "records/s117_count_form.html", context)
