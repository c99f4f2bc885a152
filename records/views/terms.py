"""An agreement's terms: the page listing its terms, decisions and any proposal awaiting a
decision; proposing an extension or variation; the proposal with the approval route its
value needs; recording the decision on it; and exercising an extension's option or
recording it lapsed. Seen with view_partnership, changed with
keep_agreement_terms (docs/access.md)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from core.formatting import long_date
from partnerships.dashboard import section_context
from partnerships.models import Decision, ExtensionOption, Proposal
from partnerships.permissions import can, partnership_view
from records.actions import terms as actions
from records.forms.terms import DecisionForm, OptionForm, ProposalForm
from records.selectors.terms import approval_routes, approvers, terms_page


def _context(request, agreement) -> dict:
    context = section_context(request, agreement, "partnership", None)
    context["may_keep"] = can(request.user, "keep_agreement_terms", agreement)
    return context


@partnership_view("view_partnership")
def terms(request, agreement):
    context = _context(request, agreement) | terms_page(agreement, timezone.localdate())
    return render(request, "records/terms_page.html", context)


@partnership_view("keep_agreement_terms")
def propose(request, agreement):
    form = ProposalForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            proposal = actions.propose_change(agreement=agreement, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"{proposal.get_kind_display()} proposed")
            return redirect("term_proposal", agreement.slug, proposal.pk)
    context = _context(request, agreement) | {"form": form}
    return render(request, "records/terms_propose.html", context)


def _proposal_for(agreement, proposal_id) -> Proposal:
    return get_object_or_404(
        Proposal.objects.select_related("decision"), agreement=agreement, pk=proposal_id
    )


@partnership_view("view_partnership")
def proposal(request, agreement, proposal_id):
    found = _proposal_for(agreement, proposal_id)
    context = _context(request, agreement) | {
        "proposal": found,
        "routes": approval_routes(agreement, found.kind, found.value_with_option),
    }
    return render(request, "records/terms_proposal.html", context)


@partnership_view("keep_agreement_terms")
def decide(request, agreement, proposal_id):
    found = _proposal_for(agreement, proposal_id)
    if not found.is_open:
        messages.info(request, "This proposal has been decided already.")
        return redirect("term_proposal", agreement.slug, found.pk)
    routes = approval_routes(agreement, found.kind, found.value_with_option)
    initial = {
        "body": approvers(routes),
        "value": found.value,
        "summary": found.summary,
        "end_date": found.proposed_end_date,
    }
    form = DecisionForm(
        request.POST if request.method == "POST" else None, proposal=found, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            decision = actions.record_decision(
                proposal=found, today=timezone.localdate(), **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            agreement.refresh_from_db(fields=["end_date"])
            messages.success(request, _decided(decision, agreement))
            return redirect("agreement_terms", agreement.slug)
    context = _context(request, agreement) | {"form": form, "proposal": found, "routes": routes}
    return render(request, "records/terms_decide.html", context)


def _decided(decision: Decision, agreement) -> str:
    what = f"{decision.get_kind_display()} {decision.get_outcome_display().lower()}"
    if decision.outcome == Decision.Outcome.APPROVED and decision.kind == Decision.Kind.EXTENSION:
        return f"{what}: the agreement now ends on {long_date(agreement.end_date)}"
    return what


@partnership_view("keep_agreement_terms")
def option(request, agreement, option_id):
    """An extension's option: exercised by a decision, or recorded lapsed."""
    found = get_object_or_404(
        ExtensionOption.objects.select_related("extension"), agreement=agreement, pk=option_id
    )
    if not found.is_available:
        messages.info(request, f"This option has been {found.get_status_display().lower()}.")
        return redirect("agreement_terms", agreement.slug)
    form = OptionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data, today = form.cleaned_data, timezone.localdate()
        try:
            if data["outcome"] == "exercised":
                actions.exercise_option(
                    option=found,
                    decided_on=data["decided_on"],
                    body=data["body"],
                    reference=data["reference"],
                    value=data["value"],
                    summary=data["summary"],
                    today=today,
                )
                done = f"Option exercised: the agreement now ends on {long_date(found.end_date)}"
            else:
                actions.record_option_lapsed(
                    option=found, lapsed_on=data["decided_on"], today=today
                )
                done = (
                    f"Option recorded as lapsed: the agreement still ends on "
                    f"{long_date(agreement.end_date)}"
                )
        except ValidationError as error:
            form.add_error(None, _option_errors(error))
        else:
            messages.success(request, done)
            return redirect("agreement_terms", agreement.slug)
    context = _context(request, agreement) | {"form": form, "option": found}
    return render(request, "records/terms_option.html", context)


def _option_errors(error: ValidationError) -> ValidationError:
    """The lapse action names its date `lapsed_on`; the form's field is the one date."""
    if hasattr(error, "error_dict") and "lapsed_on" in error.error_dict:
        return ValidationError({"decided_on": error.error_dict["lapsed_on"]})
    return error
