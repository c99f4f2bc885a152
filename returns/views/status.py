"""Submitting, signing off (from the page that shows what is signed) and reopening; and
explaining a flagged figure before it is submitted."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from dashboards.actions import ExplanationRefused
from dashboards.actions import explain_flag as flag_explained
from dashboards.quality import flags_for
from partnerships.permissions import can, partnership_view
from partnerships.selectors import recent_quarters
from returns.actions import (
    ReturnRefused,
    reopen_return,
    sign_off_return,
    submit_return,
)
from returns.models import QuarterlyReturn
from returns.signoff import figures_to_sign
from returns.views.common import (
    page_context,
    quarter_in_url,
)


@require_POST
@partnership_view("view_dashboard")
def change_return_status(request, agreement, period):
    """Submit, sign off or reopen the quarter's return. A refused step changes nothing,
    not even by starting a return that wasn't there."""
    quarter = quarter_in_url(period)
    quarterly_return = QuarterlyReturn.objects.filter(agreement=agreement, quarter=quarter).first()
    step = request.POST.get("step")
    needs = {
        "submit": ("enter_figures", "Only a commissioner of the partnership can submit it."),
        "sign_off": ("sign_off_return", "Only a JMG member of the partnership can sign it off."),
        "reopen": ("sign_off_return", "Only a JMG member of the partnership can reopen it."),
    }
    try:
        action, refusal = needs.get(step, (None, "There is no such step for a return."))
        if action is None or not can(request.user, action, agreement):
            raise ReturnRefused(refusal)
        if step == "submit":
            if quarterly_return is None:
                quarterly_return, _ = QuarterlyReturn.objects.get_or_create(
                    agreement=agreement, quarter=quarter
                )
            submit_return(by=request.user, quarterly_return=quarterly_return)
            messages.success(request, "Submitted for sign-off by the JMG.")
        elif quarterly_return is None:
            raise ReturnRefused(f"No return for {quarter.name} has been submitted yet.")
        elif step == "sign_off":
            # Signed off from the page that shows what is signed, never blind.
            return redirect("sign_off_return", agreement.slug, period)
        else:
            reopen_return(
                by=request.user,
                quarterly_return=quarterly_return,
                reason=request.POST.get("reason", ""),
            )
            messages.success(request, "Reopened: the figures can be changed again.")
    except ReturnRefused as error:
        return render(
            request,
            "returns/return.html",
            page_context(request, agreement, quarter, status_problem=str(error)),
        )
    return redirect("quarterly_return", agreement.slug, period)


@partnership_view("sign_off_return")
def sign_off(request, agreement, period):
    """The second step of signing off: every figure with its change since last quarter and
    against the plan, what is missing, and a comment kept with the sign-off."""
    quarter = quarter_in_url(period)
    quarterly_return = QuarterlyReturn.objects.filter(agreement=agreement, quarter=quarter).first()
    submitted = (
        quarterly_return is not None and quarterly_return.status == QuarterlyReturn.Status.SUBMITTED
    )
    problem = ""
    if request.method == "POST" and not submitted:
        problem = "Only a submitted return can be signed off."
    elif request.method == "POST":
        try:
            sign_off_return(
                by=request.user,
                quarterly_return=quarterly_return,
                comment=request.POST.get("comment", ""),
            )
        except ReturnRefused as error:
            problem = str(error)
        else:
            messages.success(request, "Signed off.")
            return redirect("quarterly_return", agreement.slug, period)
    previous = recent_quarters(quarter, 2)
    sections = figures_to_sign(agreement, quarter, previous[0] if len(previous) == 2 else None)
    missing = [check for _, checks in sections for check in checks if check.missing]
    context = page_context(
        request,
        agreement,
        quarter,
        sign_off_sections=sections,
        missing=missing,
        comment=request.POST.get("comment", ""),
        problem=problem,
        submitted=submitted,
        flags=flags_for(request.user, agreement, quarter),
    )
    return render(request, "returns/sign_off.html", context)


@require_POST
@partnership_view("enter_figures")
def explain_flag(request, agreement, period):
    """Keep why a figure a data-quality check flagged is right (dashboards.quality)."""
    quarter = quarter_in_url(period)
    try:
        flag_explained(
            by=request.user,
            agreement=agreement,
            quarter=quarter,
            check=request.POST.get("check", ""),
            key=request.POST.get("key", ""),
            text=request.POST.get("text", ""),
        )
    except ExplanationRefused as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Explanation recorded: it is shown with the flag.")
    return redirect(reverse("check_return", args=[agreement.slug, period]) + "#quality")
