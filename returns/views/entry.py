"""Entering a return in a form: the whole return at once, or a section of its task list."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render

from partnerships.permissions import partnership_view
from returns.actions import (
    ReturnRefused,
    refuse_outside_term,
    save_section,
)
from returns.file import (
    Lookups,
    ReturnFile,
    changes_as_rows,
    template_bytes,
)
from returns.forms import ReturnForm, SectionStateForm
from returns.models import QuarterlyReturn
from returns.tasklist import states_of
from returns.views.common import (
    FORM_FILE,
    page_context,
    previous_figures,
    quarter_in_url,
    show_checked,
)


@partnership_view("enter_figures")
def enter_return(request, agreement, period):
    """The return as a form, checked by the same sections as an upload; what it would
    change is shown before anything is saved."""
    quarter = quarter_in_url(period)
    current = QuarterlyReturn.objects.filter(agreement=agreement, quarter=quarter).first()
    if current is not None and not current.editable:
        messages.error(request, "This return is locked: a JMG member must reopen it first.")
        return redirect("quarterly_return", agreement.slug, period)
    try:
        refuse_outside_term(agreement, quarter)
    except ReturnRefused as error:
        messages.error(request, str(error))
        return redirect("quarterly_return", agreement.slug, period)
    lookups = Lookups(agreement, quarter)
    form = ReturnForm(
        lookups,
        previous=previous_figures(agreement, quarter),
        data=request.POST if request.method == "POST" else None,
    )
    if form.is_bound and form.is_valid():
        # Held as the return file the form amounts to, and read again when it is saved,
        # as an uploaded file is (partnerships.uploads).
        rows = changes_as_rows(agreement, quarter, form.changes)
        result = ReturnFile(agreement, quarter, form.changes, [], lookups)
        content = template_bytes(rows, xlsx=False)
        return show_checked(
            request, agreement, quarter, result, file_name=FORM_FILE, content=content
        )
    context = page_context(
        request,
        agreement,
        quarter,
        form=form,
        form_sections=form.sections(),
        form_problems=form.problems() if form.is_bound else [],
    )
    return render(request, "returns/return_form.html", context)


@partnership_view("enter_figures")
def enter_section(request, agreement, period, section):
    """One section of the return, from its task list: its figures, and whether it is
    completed, still in progress or has nothing to report. Saved when it is saved, with
    history; the return is checked as a whole before it is submitted."""
    quarter = quarter_in_url(period)
    lookups = Lookups(agreement, quarter)
    if section not in lookups.sections:
        raise Http404("No such section of a return.")
    current = QuarterlyReturn.objects.filter(agreement=agreement, quarter=quarter).first()
    try:
        refuse_outside_term(agreement, quarter)
        if current is not None and not current.editable:
            raise ReturnRefused("This return is locked: a JMG member must reopen it first.")
    except ReturnRefused as error:
        messages.error(request, str(error))
        return redirect("quarterly_return", agreement.slug, period)
    posted = request.POST if request.method == "POST" else None
    form = ReturnForm(
        lookups, previous=previous_figures(agreement, quarter), data=posted, section=section
    )
    states = states_of(current)
    marked = SectionStateForm(
        posted, initial={"state": states.get(section), "version": lookups.version}
    )
    problem = ""
    if posted is not None and form.is_valid() and marked.is_valid():
        try:
            save_section(
                by=request.user,
                lookups=lookups,
                section=section,
                changes=form.changes,
                state=marked.cleaned_data["state"],
                expected_version=marked.cleaned_data["version"],
            )
        except ReturnRefused as error:
            problem = str(error)
        else:
            messages.success(request, f"Saved: {lookups.section(section).title}.")
            return redirect("quarterly_return", agreement.slug, period)
    problems = (form.problems() if posted is not None else []) + [
        ("state-completed", message) for message in marked.errors.get("state", [])
    ]
    if problem:
        problems.append(("state-completed", problem))
    context = page_context(
        request,
        agreement,
        quarter,
        form=form,
        form_sections=form.sections(),
        form_problems=problems,
        marked=marked,
        section_title=lookups.section(section).title,
    )
    return render(request, "returns/section_form.html", context)
