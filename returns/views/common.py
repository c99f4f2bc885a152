"""What the return's pages share: the quarter a URL names, the page's context, and showing
a checked file's preview or its problems."""

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from partnerships import uploads
from partnerships.dashboard import section_context
from partnerships.models import Agreement, PendingUpload
from partnerships.permissions import can
from partnerships.selectors import quarter_for, recent_quarters
from partnerships.standing import covers_quarter
from returns.file import (
    Lookups,
)
from returns.models import QuarterlyReturn
from returns.schedule import deadlines, schedule_for, standing
from returns.tasklist import states_of, task_list

HELD = PendingUpload.Kind.RETURN
FORM_FILE = "form.csv"  # what a form's figures are held as until saved


def quarter_in_url(period: str):
    """The quarter named in a URL as 2022-23-Q4 (a slash can't sit in a URL segment)."""
    try:
        quarter = quarter_for(period.replace("-", "/", 1))
    except ValueError:
        quarter = None
    if quarter is None or not period.endswith(("Q1", "Q2", "Q3", "Q4")):
        raise Http404("No such quarter.")
    return quarter


def page_context(request, agreement, quarter, **extra):
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


def task_context(agreement, quarter, context, lookups=None) -> dict:
    """The return's sections as a task list, with how many are done; from `lookups` (the
    quarter's figures) where the page has read them already."""
    lookups = lookups or Lookups(agreement, quarter)
    tasks = task_list(lookups, states_of(context["quarterly_return"]))
    return {"tasks": tasks, "tasks_done": sum(task.done for task in tasks)}


def previous_figures(agreement, quarter) -> dict:
    """Last quarter's figures by key, to show beside this quarter's."""
    both = recent_quarters(quarter, 2)
    if len(both) < 2:
        return {}
    return {figure.key: figure for figure in Lookups(agreement, both[0]).figures()}


def this_partnership(agreement):
    """What a file uploaded on this partnership's pages may be for: this partnership alone."""
    return Agreement.objects.filter(pk=agreement.pk)


def show_checked(request, agreement, quarter, result, *, file_name: str, content: bytes):
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
    context = page_context(
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


def show_refused(request, agreement, quarter, problems, rows=None):
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
    context = page_context(
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
