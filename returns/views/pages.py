"""The return's pages to read: the list of returns, a quarter's return with its task list,
its template, its history, the check before submitting, and the partnership's timetable."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from dashboards.quality import flags_for
from dashboards.quarter import choose_quarter
from partnerships.dashboard import section_context
from partnerships.permissions import can, partnership_view
from partnerships.selectors import recent_quarters
from returns.actions import (
    save_schedule,
)
from returns.file import (
    Lookups,
    template_bytes,
    template_rows,
)
from returns.forms import ReturnScheduleForm
from returns.history import as_signed_off, changes, post_changes
from returns.models import ReturnSchedule
from returns.schedule import schedule_for
from returns.selectors import returns_to_show
from returns.signoff import figures_to_sign
from returns.views.common import (
    page_context,
    quarter_in_url,
    task_context,
)
from returns.workbook import template_workbook


@partnership_view("view_dashboard")
def returns(request, agreement):
    """The partnership's returns: the last eight quarters, and any older one not signed off."""
    period = choose_quarter(request, agreement)
    if "period" in request.GET and period.error is None and period.quarter is not None:
        return redirect("quarterly_return", agreement.slug, period.quarter.slug)
    timetable = schedule_for(agreement)
    context = section_context(request, agreement, "returns", period) | {
        "rows": returns_to_show(agreement, timezone.localdate(), timetable=timetable),
        "timetable": timetable,
        "default_return_days": ReturnSchedule.DEFAULT_RETURN_DAYS,
        "default_sign_off_days": ReturnSchedule.DEFAULT_SIGN_OFF_DAYS,
        "may_set_timetable": can(request.user, "set_return_schedule", agreement),
    }
    return render(request, "returns/returns.html", context)


@partnership_view("view_dashboard")
def quarterly_return(request, agreement, period):
    quarter = quarter_in_url(period)
    context = page_context(request, agreement, quarter)
    return render(
        request, "returns/return.html", context | task_context(agreement, quarter, context)
    )


@partnership_view("view_dashboard")
def return_template(request, agreement, period):
    quarter = quarter_in_url(period)
    xlsx = request.GET.get("format") == "xlsx"
    if xlsx:
        content = template_workbook(agreement, quarter)
    else:
        content = template_bytes(template_rows(agreement, quarter), xlsx=False)
    name = f"return-{agreement.slug}-{quarter.label.replace('/', '-')}.{'xlsx' if xlsx else 'csv'}"
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        if xlsx
        else "text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@partnership_view("view_dashboard")
def return_history(request, agreement, period):
    """Who changed which of the quarter's figures, when, from what to what; and the figures
    as they stood when the return was signed off."""
    quarter = quarter_in_url(period)
    context = page_context(
        request,
        agreement,
        quarter,
        changes=changes(agreement, quarter),
        post_changes=post_changes(agreement, quarter),
    )
    signed = context["quarterly_return"]
    if signed is not None and signed.signed_off_at:
        context["signed_off_figures"] = sorted(
            as_signed_off(agreement, quarter, signed.signed_off_at).items()
        )
    return render(request, "returns/return_history.html", context)


@partnership_view("set_return_schedule")
def return_schedule(request, agreement):
    """When the partnership's returns and their sign-off are due, in working days."""
    current = schedule_for(agreement)
    form = ReturnScheduleForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        save_schedule(by=request.user, agreement=agreement, form=form)
        messages.success(request, "Saved: returns are due on the new timetable.")
        return redirect("returns", agreement.slug)
    context = section_context(request, agreement, "returns", None) | {"form": form}
    return render(request, "returns/schedule.html", context)


@partnership_view("view_dashboard")
def check_return(request, agreement, period):
    """Check your answers: every figure of the return and each section's status, before
    it is submitted for sign-off."""
    quarter = quarter_in_url(period)
    previous = recent_quarters(quarter, 2)
    lookups = Lookups(agreement, quarter)  # read once, for the figures and the task list
    sections = figures_to_sign(
        agreement, quarter, previous[0] if len(previous) == 2 else None, lookups
    )
    context = page_context(
        request,
        agreement,
        quarter,
        sign_off_sections=sections,
        flags=flags_for(request.user, agreement, quarter),
    )
    context["may_explain"] = context["may_enter"] and context["editable"]
    context["missing"] = [check for _, checks in sections for check in checks if check.missing]
    tasks = task_context(agreement, quarter, context, lookups)
    return render(request, "returns/check.html", context | tasks)
