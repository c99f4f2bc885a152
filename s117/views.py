import base64
import datetime

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from partnerships.dashboard import configured, section_context
from partnerships.permissions import can, partnership_view
from s117 import selectors
from s117.actions import apply_register_changes, record_access
from s117.changes import Names, history_page, preview
from s117.models import AccessLog
from s117.register_file import read_register
from s117.tables import RegisterByTeamTable

PEOPLE_PER_PAGE = 50


@never_cache  # the list of people must not stay in a shared computer's browser cache
@partnership_view("view_s117_counts")
def register(request, agreement):
    today = timezone.localdate()
    context = section_context(request, agreement, "s117_register", None)
    context |= {
        "today": today,
        "movement": selectors.movement(agreement, today - datetime.timedelta(days=365), today),
        "summary": selectors.register_summary(agreement, today),
        "may_view_people": can(request.user, "view_s117_personal_data", agreement),
        "may_edit": can(request.user, "edit_s117_register", agreement),
    }
    summary = context["summary"]
    rows = [
        {
            "team": row["team__name"] or "No team recorded",
            "source": "Register entries",
            "people": row["people"],
        }
        for row in summary["by_team"]
    ] + [
        {"team": team, "source": "Reported total", "people": people}
        for team, people in summary["reported_by_team"].items()
    ]
    by_team = RegisterByTeamTable(
        rows, prefix="teams-", caption="People entitled to s117 aftercare, by team"
    )
    download = configured(request, (by_team, f"{agreement.slug} s117 register by team"))
    if download is not None:
        return download
    context["by_team_table"] = by_team
    if context["may_view_people"]:
        context["page"] = Paginator(selectors.people(agreement), PEOPLE_PER_PAGE).get_page(
            request.GET.get("page")
        )
    return render(request, "s117/register.html", context)


@never_cache
@partnership_view("view_s117_personal_data")
def person(request, agreement, reference):
    entry = (
        agreement.s117_entries.select_related("team", "responsible_council", "responsible_icb")
        .filter(person_reference=reference)
        .first()
    )
    if entry is None:
        raise Http404("No such person on this register.")
    record_access(by=request.user, entry=entry, action=AccessLog.Action.VIEW, path=request.path)
    context = {
        "agreement": agreement,
        "entry": entry,
        "reviews": list(entry.reviews.order_by("-reviewed_on")),
        "packages": list(entry.packages.order_by("start_date")),
        "today": timezone.localdate(),
    }
    return render(request, "s117/person.html", context)


UPLOAD_KEY = "s117_upload"
MAX_UPLOAD_BYTES = 100 * 1024 * 1024


def _upload_context(request, agreement, **extra):
    context = section_context(request, agreement, "s117_register", None)
    return context | {"people_on_register": agreement.s117_entries.count()} | extra


@never_cache
@partnership_view("edit_s117_register")
def upload(request, agreement):
    """Check a register file and show what it would change; nothing is saved yet.

    The checked file waits in the user's session (never on disk) until it is saved, the
    user uploads another, or the session ends: signing out or 30 idle minutes."""
    if request.method != "POST":
        return render(request, "s117/upload.html", _upload_context(request, agreement))
    request.session.pop(UPLOAD_KEY, None)
    file = request.FILES.get("file")
    if file is None:
        problems = ["Choose a CSV or XLSX file to upload."]
        return render(
            request, "s117/upload.html", _upload_context(request, agreement, problems=problems)
        )
    content = file.read(MAX_UPLOAD_BYTES + 1)
    result = read_register(content, file.name, agreement, today=timezone.localdate())
    if result.problems:
        problems = [str(problem) for problem in result.problems]
        return render(
            request, "s117/upload.html", _upload_context(request, agreement, problems=problems)
        )
    shown = preview(result.changes, Names(agreement))
    changed_references = [c.reference for c in result.changes if c.kind == "changed"]
    AccessLog.objects.bulk_create(  # the preview shows these people's records as they stand
        (
            AccessLog(
                user=request.user, entry=entry, action=AccessLog.Action.VIEW, path=request.path
            )
            for entry in agreement.s117_entries.filter(person_reference__in=changed_references)
        ),
        batch_size=2000,
    )
    request.session[UPLOAD_KEY] = {
        "agreement": agreement.pk,
        "name": file.name,
        "content": base64.b64encode(content).decode(),
    }
    context = _upload_context(
        request,
        agreement,
        preview=shown,
        counts={kind: result.count(kind) for kind in ("new", "changed", "unchanged")},
        ending=sum(1 for change in shown if change.kind == "ended"),
        not_listed=result.not_listed,
        file_name=file.name,
    )
    return render(request, "s117/upload.html", context)


@require_POST
@partnership_view("edit_s117_register")
def confirm_upload(request, agreement):
    """Save the previewed file, all or nothing, checked again against the register now."""
    pending = request.session.pop(UPLOAD_KEY, None)
    if not pending or pending["agreement"] != agreement.pk:
        messages.error(request, "There is no checked file waiting to be saved: upload it again.")
        return redirect("s117_upload", agreement.slug)
    result = read_register(
        base64.b64decode(pending["content"]),
        pending["name"],
        agreement,
        today=timezone.localdate(),
    )
    if result.problems:  # the register changed since the preview
        problems = [str(problem) for problem in result.problems]
        return render(
            request, "s117/upload.html", _upload_context(request, agreement, problems=problems)
        )
    written = apply_register_changes(
        by=request.user, agreement=agreement, changes=result.changes, path=request.path
    )
    messages.success(
        request,
        f"Saved {pending['name']}: {result.count('new')} new and {result.count('changed')} "
        f"changed {'entry' if written == 1 else 'entries'}. "
        f"{len(result.not_listed)} not in the file were left as they are.",
    )
    return redirect("s117_history", agreement.slug)


@never_cache
@partnership_view("edit_s117_register")
def history(request, agreement):
    """Every change to the register, newest first: who, when, which entry, which fields."""
    context = section_context(request, agreement, "s117_register", None)
    context["page"] = history_page(agreement, request.GET.get("page"))
    return render(request, "s117/history.html", context)


@never_cache
@partnership_view("view_s117_personal_data")
def person_history(request, agreement, reference):
    """Every version of one person's entry, with what changed, by whom and when."""
    entry = agreement.s117_entries.filter(person_reference=reference).first()
    if entry is None:
        raise Http404("No such person on this register.")
    record_access(by=request.user, entry=entry, action=AccessLog.Action.HISTORY, path=request.path)
    context = section_context(request, agreement, "s117_register", None) | {"entry": entry}
    context["page"] = history_page(agreement, request.GET.get("page"), reference=reference)
    return render(request, "s117/person_history.html", context)
