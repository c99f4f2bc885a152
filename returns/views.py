"""The quarterly return page: status, template, upload with a preview, and sign-off."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from dashboards.quarter import choose_quarter
from partnerships import uploads
from partnerships.dashboard import section_context
from partnerships.models import Agreement, PendingUpload
from partnerships.permissions import can, partnership_view
from partnerships.selectors import quarter_for, recent_quarters
from partnerships.standing import covers_quarter
from returns.actions import (
    ReturnRefused,
    refuse_outside_term,
    reopen_return,
    save_checked_return,
    save_schedule,
    save_section,
    sign_off_return,
    submit_return,
)
from returns.file import (
    MAX_BYTES,
    Lookups,
    ReturnFile,
    changes_as_rows,
    read_return,
    template_bytes,
    template_rows,
)
from returns.forms import ReturnForm, ReturnScheduleForm, SectionStateForm
from returns.history import as_signed_off, changes, post_changes
from returns.models import QuarterlyReturn, ReturnSchedule
from returns.schedule import deadlines, schedule_for, standing
from returns.selectors import returns_to_show
from returns.signoff import figures_to_sign
from returns.tasklist import states_of, task_list
from returns.workbook import template_workbook

HELD = PendingUpload.Kind.RETURN
FORM_FILE = "form.csv"  # what a form's figures are held as until saved


def _quarter(period: str):
    """The quarter named in a URL as 2022-23-Q4 (a slash can't sit in a URL segment)."""
    try:
        quarter = quarter_for(period.replace("-", "/", 1))
    except ValueError:
        quarter = None
    if quarter is None or not period.endswith(("Q1", "Q2", "Q3", "Q4")):
        raise Http404("No such quarter.")
    return quarter


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


def _context(request, agreement, quarter, **extra):
    quarterly_return = QuarterlyReturn.objects.filter(agreement=agreement, quarter=quarter).first()
    context = section_context(request, agreement, "returns", None)
    due = deadlines(schedule_for(agreement), quarter)
    in_term = covers_quarter(agreement, quarter)
    context |= {
        "quarter": quarter,
        "due": due,
        "standing": standing(due, quarter, quarterly_return, timezone.localdate()),
        "period_slug": quarter.slug,
        "quarterly_return": quarterly_return,
        "editable": (quarterly_return is None or quarterly_return.editable) and in_term,
        "in_term": in_term,
        "may_enter": can(request.user, "enter_figures", agreement),
        "may_sign_off": can(request.user, "sign_off_return", agreement),
    }
    return context | extra


@partnership_view("view_dashboard")
def quarterly_return(request, agreement, period):
    quarter = _quarter(period)
    context = _context(request, agreement, quarter)
    return render(request, "returns/return.html", context | _tasks(agreement, quarter, context))


def _tasks(agreement, quarter, context) -> dict:
    """The return's sections as a task list, with how many are done."""
    tasks = task_list(Lookups(agreement, quarter), states_of(context["quarterly_return"]))
    return {"tasks": tasks, "tasks_done": sum(task.done for task in tasks)}


@partnership_view("view_dashboard")
def return_template(request, agreement, period):
    quarter = _quarter(period)
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


def _this_partnership(agreement):
    """What a file uploaded on this partnership's pages may be for: this partnership alone."""
    return Agreement.objects.filter(pk=agreement.pk)


def _checked(request, agreement, quarter, result, *, file_name: str, content: bytes):
    """Hold a checked file for its uploader and show what saving it would change."""
    held = uploads.hold(
        by=request.user,
        agreement=agreement,
        kind=HELD,
        quarter=quarter,
        file_name=file_name,
        content=content,
        checked=result.fingerprint(),
        version=result.lookups.version,  # as the figures the preview compares with were read
    )
    context = _context(
        request,
        agreement,
        quarter,
        preview=True,
        counts={kind: result.count(kind) for kind in ("new", "changed", "unchanged")},
        changes=[change for change in result.changes if change.kind != "unchanged"],
        from_file=file_name != FORM_FILE,
        token=held.token,
    )
    return render(request, "returns/return.html", context)


def _refused(request, agreement, quarter, problems, rows=None):
    """The page again, with each problem linked to its row in a table of the rows that have
    problems (`rows`, by number, as the file gave them), and nothing saved."""
    rows = rows or {}
    listed = [
        {"text": str(p), "anchor": f"row-{_row(p)}" if _row(p) in rows else "file"}
        for p in problems
    ]
    by_row: dict[int, list[str]] = {}
    for problem in problems:
        if _row(problem) in rows:
            by_row.setdefault(problem.row, []).append(_said(problem))
    problem_rows = [
        {"number": number, "cells": rows[number], "problems": said}
        for number, said in sorted(by_row.items())
    ]
    context = _context(
        request, agreement, quarter, upload_problems=listed, problem_rows=problem_rows
    )
    return render(request, "returns/return.html", context)


def _row(problem) -> int | None:
    """The file's row a problem is in; None for a problem with the file as a whole, or a
    refusal said in words."""
    return getattr(problem, "row", None)


def _said(problem) -> str:
    """A problem as its row of the table says it: the column and what was expected."""
    figure = f" ({problem.figure})" if problem.figure else ""
    column = f"Column {problem.column}{figure}: " if problem.column else ""
    return f"{column}{problem.expected}"


@require_POST
@partnership_view("enter_figures")
def upload_return(request, agreement, period):
    """Check an uploaded file and show what it would change; nothing is saved yet."""
    quarter = _quarter(period)
    try:
        refuse_outside_term(agreement, quarter)
    except ReturnRefused as error:
        return _refused(request, agreement, quarter, [str(error)])
    upload = request.FILES.get("file")
    if upload is None:
        return _refused(request, agreement, quarter, ["Choose a CSV or XLSX file to upload."])
    content = upload.read(MAX_BYTES + 1)
    result = read_return(content, upload.name, within=_this_partnership(agreement))
    problems = list(result.problems)
    if not problems and result.quarter != quarter:
        problems.append(
            f"The file is for {result.quarter.label}, but this is the {quarter.label} return: "
            "download this return's template."
        )
    if problems:
        uploads.discard(by=request.user, agreement=agreement, kind=HELD, quarter=quarter)
        return _refused(request, agreement, quarter, problems, result.problem_rows)
    return _checked(request, agreement, quarter, result, file_name=upload.name, content=content)


@require_POST
@partnership_view("enter_figures")
def confirm_return(request, agreement, period):
    """Save the previewed file, all or nothing, unless the figures it was checked against
    have changed since."""
    quarter = _quarter(period)
    try:
        result, saved = save_checked_return(
            by=request.user,
            agreement=agreement,
            quarter=quarter,
            token=request.POST.get("token", ""),
        )
    except uploads.NothingWaiting as error:
        messages.error(request, str(error))
        return redirect("quarterly_return", agreement.slug, period)
    except ReturnRefused as error:
        return _refused(request, agreement, quarter, [str(error)])
    if result.problems:
        return _refused(request, agreement, quarter, result.problems)
    messages.success(
        request,
        f"Saved: {result.count('new')} new and {result.count('changed')} changed figures "
        f"({result.count('unchanged')} unchanged). The return is at version {saved.version}.",
    )
    return redirect("quarterly_return", agreement.slug, period)


@require_POST
@partnership_view("enter_figures")
def cancel_return(request, agreement, period):
    """Forget the checked file: nothing of it is saved, and it is no longer held."""
    quarter = _quarter(period)
    if uploads.discard(by=request.user, agreement=agreement, kind=HELD, quarter=quarter):
        messages.success(request, "The checked file was not saved, and has been deleted.")
    return redirect("quarterly_return", agreement.slug, period)


@require_POST
@partnership_view("view_dashboard")
def change_return_status(request, agreement, period):
    """Submit, sign off or reopen the quarter's return. A refused step changes nothing,
    not even by starting a return that wasn't there."""
    quarter = _quarter(period)
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
            _context(request, agreement, quarter, status_problem=str(error)),
        )
    return redirect("quarterly_return", agreement.slug, period)


def _previous_figures(agreement, quarter) -> dict:
    """Last quarter's figures by key, to show beside this quarter's."""
    both = recent_quarters(quarter, 2)
    if len(both) < 2:
        return {}
    return {figure.key: figure for figure in Lookups(agreement, both[0]).figures()}


@partnership_view("enter_figures")
def enter_return(request, agreement, period):
    """The return as a form, checked by the same sections as an upload; what it would
    change is shown before anything is saved."""
    quarter = _quarter(period)
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
        previous=_previous_figures(agreement, quarter),
        data=request.POST if request.method == "POST" else None,
    )
    if form.is_bound and form.is_valid():
        # Held as the return file the form amounts to, and read again when it is saved,
        # as an uploaded file is (partnerships.uploads).
        rows = changes_as_rows(agreement, quarter, form.changes)
        result = ReturnFile(agreement, quarter, form.changes, [], lookups)
        content = template_bytes(rows, xlsx=False)
        return _checked(request, agreement, quarter, result, file_name=FORM_FILE, content=content)
    context = _context(
        request,
        agreement,
        quarter,
        form=form,
        form_sections=form.sections(),
        form_problems=form.problems() if form.is_bound else [],
    )
    return render(request, "returns/return_form.html", context)


@partnership_view("view_dashboard")
def return_history(request, agreement, period):
    """Who changed which of the quarter's figures, when, from what to what; and the figures
    as they stood when the return was signed off."""
    quarter = _quarter(period)
    context = _context(
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


@partnership_view("sign_off_return")
def sign_off(request, agreement, period):
    """The second step of signing off: every figure with its change since last quarter and
    against the plan, what is missing, and a comment kept with the sign-off."""
    quarter = _quarter(period)
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
    context = _context(
        request,
        agreement,
        quarter,
        sign_off_sections=sections,
        missing=missing,
        comment=request.POST.get("comment", ""),
        problem=problem,
        submitted=submitted,
    )
    return render(request, "returns/sign_off.html", context)


@partnership_view("enter_figures")
def enter_section(request, agreement, period, section):
    """One section of the return, from its task list: its figures, and whether it is
    completed, still in progress or has nothing to report. Saved when it is saved, with
    history; the return is checked as a whole before it is submitted."""
    quarter = _quarter(period)
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
        lookups, previous=_previous_figures(agreement, quarter), data=posted, section=section
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
    context = _context(
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


@partnership_view("view_dashboard")
def check_return(request, agreement, period):
    """Check your answers: every figure of the return and each section's status, before
    it is submitted for sign-off."""
    quarter = _quarter(period)
    previous = recent_quarters(quarter, 2)
    sections = figures_to_sign(agreement, quarter, previous[0] if len(previous) == 2 else None)
    context = _context(request, agreement, quarter, sign_off_sections=sections)
    context["missing"] = [check for _, checks in sections for check in checks if check.missing]
    return render(request, "returns/check.html", context | _tasks(agreement, quarter, context))
