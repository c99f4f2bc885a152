"""Uploading a return file: checked and previewed, then saved as it was checked, or
cancelled."""

from django.contrib import messages
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from partnerships import uploads
from partnerships.permissions import partnership_view
from returns.actions import (
    ReturnRefused,
    refuse_outside_term,
    save_checked_return,
)
from returns.file import (
    MAX_BYTES,
    read_return,
)
from returns.views.common import (
    HELD,
    quarter_in_url,
    show_checked,
    show_refused,
    this_partnership,
)


@require_POST
@partnership_view("enter_figures")
def upload_return(request, agreement, period):
    """Check an uploaded file and show what it would change; nothing is saved yet."""
    quarter = quarter_in_url(period)
    try:
        refuse_outside_term(agreement, quarter)
    except ReturnRefused as error:
        return show_refused(request, agreement, quarter, [str(error)])
    upload = request.FILES.get("file")
    if upload is None:
        return show_refused(request, agreement, quarter, ["Choose a CSV or XLSX file to upload."])
    content = upload.read(MAX_BYTES + 1)
    result = read_return(content, upload.name, within=this_partnership(agreement))
    problems = list(result.problems)
    if not problems and result.quarter != quarter:
        problems.append(
            f"The file is for {result.quarter.label}, but this is the {quarter.label} return: "
            "download this return's template."
        )
    if problems:
        uploads.discard(by=request.user, agreement=agreement, kind=HELD, quarter=quarter)
        return show_refused(request, agreement, quarter, problems, result.problem_rows)
    return show_checked(request, agreement, quarter, result, file_name=upload.name, content=content)


@require_POST
@partnership_view("enter_figures")
def confirm_return(request, agreement, period):
    """Save the previewed file, all or nothing, unless the figures it was checked against
    have changed since."""
    quarter = quarter_in_url(period)
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
        return show_refused(request, agreement, quarter, [str(error)])
    if result.problems:
        return show_refused(request, agreement, quarter, result.problems)
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
    quarter = quarter_in_url(period)
    if uploads.discard(by=request.user, agreement=agreement, kind=HELD, quarter=quarter):
        messages.success(request, "The checked file was not saved, and has been deleted.")
    return redirect("quarterly_return", agreement.slug, period)
