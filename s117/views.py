import datetime
from typing import NamedTuple

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from core import tabular
from partnerships import uploads
from partnerships.dashboard import configured, section_context
from partnerships.govuk_forms import mark_errors
from partnerships.models import PendingUpload
from partnerships.permissions import can, partnership_view
from s117 import actions, exports, selectors
from s117.actions import (
    RegisterChanged,
    check_register_file,
    record_access,
    save_checked_register,
)
from s117.breakdowns import breakdowns
from s117.changes import Names, history_page, preview
from s117.forms import FundingDecisionForm, PackageForm, PeopleSearchForm, ReviewForm
from s117.lifecycle import responsibility_history
from s117.models import AccessLog, ExportLog
from s117.packages import package_rows
from s117.responsibility import moves_someone
from s117.tables import RegisterByTeamTable

PEOPLE_PER_PAGE = 50


@never_cache  # the list of people must not stay in a shared computer's browser cache
@partnership_view("view_s117_counts")
def register(request, agreement):
    today = timezone.localdate()
    if request.GET.get("export") in exports.FORMATS:  # a download of the people found
        if not can(request.user, "view_s117_personal_data", agreement):
            raise PermissionDenied("Only the partnership's s117 officers download the register.")
        return _export_people(request, agreement, today)
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
        search = PeopleSearchForm(request.GET or None, teams=agreement.teams.order_by("name"))
        criteria = search.criteria() if request.GET else {}
        found = selectors.people(agreement, today, criteria)
        context |= {
            "breakdowns": breakdowns(agreement, today),
            "search": search,
            "searched": bool(criteria),
            "query": _without(request.GET, "page") if criteria else "",
            "export_query": _without(request.GET, "page"),
            "page": Paginator(found, PEOPLE_PER_PAGE).get_page(request.GET.get("page")),
        }
    return render(request, "s117/register.html", context)


def _without(query, name: str) -> str:
    kept = query.copy()
    kept.pop(name, None)
    kept.pop("export", None)
    return kept.urlencode()


def _download(content: bytes, file_format: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=exports.CONTENT_TYPES[file_format])
    response["Content-Disposition"] = f'attachment; filename="{name}.{file_format}"'
    return response


def _export_people(request, agreement, today):
    """The people the search finds, as CSV or XLSX; the download is logged with the search,
    and each person in it as exported, before it is handed over."""
    search = PeopleSearchForm(request.GET, teams=agreement.teams.order_by("name"))
    entries = list(selectors.people(agreement, today, search.criteria()))
    file_format = request.GET["export"]
    actions.record_export(
        by=request.user,
        agreement=agreement,
        what=ExportLog.What.REGISTER,
        file_format=file_format,
        query=_without(request.GET, "page"),
        rows=len(entries),
        entries=entries,
        path=request.get_full_path()[:300],
    )
    content = exports.as_file(
        file_format, exports.REGISTER_COLUMNS, exports.register_rows(entries), sheet="Register"
    )
    return _download(content, file_format, f"{agreement.slug}-s117-register-{today:%Y-%m-%d}")


@never_cache
@partnership_view("view_s117_personal_data")
def export_breakdowns(request, agreement):
    """The register's breakdowns as the register page shows them, as CSV or XLSX (?export=
    xlsx): exact figures, so only for s117 officers, and each download is logged."""
    file_format = request.GET.get("export", "csv")
    if file_format not in exports.FORMATS:
        raise Http404("No such format: ask for export=csv or export=xlsx.")
    today = timezone.localdate()
    rows = exports.breakdown_rows(breakdowns(agreement, today), today)
    actions.record_export(
        by=request.user,
        agreement=agreement,
        what=ExportLog.What.BREAKDOWNS,
        file_format=file_format,
        query=request.GET.urlencode(),
        rows=len(rows),
    )
    content = exports.as_file(file_format, exports.BREAKDOWN_COLUMNS, rows, sheet="Breakdowns")
    return _download(content, file_format, f"{agreement.slug}-s117-breakdowns-{today:%Y-%m-%d}")


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
    today = timezone.localdate()
    context = {
        "agreement": agreement,
        "entry": entry,
        "overdue": entry.review_overdue(today),
        "reviews": list(entry.reviews.order_by("-reviewed_on")),
        "periods": responsibility_history(entry),
        "today": today,
        "may_edit": can(request.user, "edit_s117_register", agreement),
    }
    context["packages"], context["spend"] = package_rows(entry, today)
    return render(request, "s117/person.html", context)


def _entry_of(agreement, reference):
    entry = agreement.s117_entries.filter(person_reference=reference).first()
    if entry is None:
        raise Http404("No such person on this register.")
    return entry


# What an action's refusal names, as the form's fields are named.
FORM_FIELD = {"weekly_cost": "cost", "annual_cost": "cost"}


def _refused_by_action(form, error: ValidationError) -> None:
    """Show an action's refusal (nothing was saved) on the form, by field."""
    for field, messages_of in error.message_dict.items():
        name = FORM_FIELD.get(field, field)
        for message in messages_of:
            form.add_error(name if name in form.fields else None, message)
    mark_errors(form)


def _package_page(request, template: str, context: dict, entry):
    """A page of the person's record: its opening is logged, as the record's is."""
    record_access(by=request.user, entry=entry, action=AccessLog.Action.VIEW, path=request.path)
    return render(request, template, context)


@never_cache
@partnership_view("edit_s117_register")
def add_package(request, agreement, reference):
    """Add an aftercare package to a person's record, with the joint funding panel's
    decision on who pays it if there is one yet."""
    entry = _entry_of(agreement, reference)
    today = timezone.localdate()
    form = PackageForm(request.POST or None, today=today)
    if request.method == "POST" and form.is_valid():
        try:
            package = actions.add_package(
                request.user, entry, **form.package_values(), today=today, path=request.path
            )
        except ValidationError as error:
            _refused_by_action(form, error)
        else:
            split = (
                f", the council paying {package.funding_decisions.get().council_share_percent}%"
                if form.deciding
                else ""
            )
            messages.success(request, f"Added the package {package.description}{split}.")
            return redirect("s117_person", agreement.slug, entry.person_reference)
    context = {"agreement": agreement, "entry": entry, "form": form}
    return _package_page(request, "s117/package_add.html", context, entry)


@never_cache
@partnership_view("edit_s117_register")
def record_funding_decision(request, agreement, reference, package_id):
    """Record a joint funding panel decision on one of the person's packages: a change
    of split is a new decision, from the day it applies."""
    entry = _entry_of(agreement, reference)
    package = entry.packages.filter(pk=package_id).first()
    if package is None:
        raise Http404("No such package for this person.")
    today = timezone.localdate()
    form = FundingDecisionForm(request.POST or None, today=today)
    if request.method == "POST" and form.is_valid():
        try:
            decision = actions.record_funding_decision(
                request.user, package, *form.funding(), today=today, path=request.path
            )
        except ValidationError as error:
            _refused_by_action(form, error)
        else:
            messages.success(
                request,
                f"Recorded the decision on {package.description}: from "
                f"{decision.applies_from:%-d %B %Y} the council pays "
                f"{decision.council_share_percent}% and the ICB "
                f"{decision.icb_share_percent}%.",
            )
            return redirect("s117_person", agreement.slug, entry.person_reference)
    context = {
        "agreement": agreement,
        "entry": entry,
        "package": package,
        "decisions": list(package.funding_decisions.order_by("applies_from")),
        "form": form,
    }
    return _package_page(request, "s117/package_funding.html", context, entry)


@never_cache
@partnership_view("edit_s117_register")
def record_review(request, agreement, reference):
    """Record a review of the person's aftercare; the next is scheduled unless given."""
    entry = _entry_of(agreement, reference)
    form = ReviewForm(request.POST or None, months=agreement.s117_review_months)
    if request.method == "POST" and form.is_valid():
        try:
            review = actions.record_review(
                by=request.user,
                entry=entry,
                reviewed_on=form.cleaned_data["reviewed_on"],
                outcome=form.cleaned_data["outcome"],
                next_review_due=form.cleaned_data["next_review_due"],
                notes=form.cleaned_data["notes"],
                path=request.path,
            )
        except ValidationError as error:
            _refused_by_action(form, error)
        else:
            messages.success(
                request,
                f"Recorded the review of {review.reviewed_on:%-d %B %Y}: "
                f"{review.get_outcome_display().lower()}; the next is due "
                f"{review.next_review_due:%-d %B %Y}.",
            )
            return redirect("s117_person", agreement.slug, entry.person_reference)
    context = {"agreement": agreement, "entry": entry, "form": form}
    return _package_page(request, "s117/review_add.html", context, entry)


HELD = PendingUpload.Kind.S117_REGISTER
PREVIEW_ROWS = 500
# What the upload page reads in one request. A worker is given 120 seconds
# (README, Production); checking and then saving a file of the most this allows takes
# well under half of that here (docs/adr/0015). Bigger registers are loaded with
# `import_s117`, which has no time-out.
PAGE_LIMITS = tabular.Limits(
    max_rows=50_000, max_bytes=20 * 1024 * 1024, max_unpacked_bytes=60 * 1024 * 1024
)
HELD_AS = "held.csv"  # a held file is the CSV of its cells as they were read
# What a held file may be: as many rows as the page reads, each of them as long as a row
# can be and still pass its checks (a 2,000-character reason, a 200-character name…).
HELD_LIMITS = tabular.Limits(
    max_rows=PAGE_LIMITS.max_rows, max_bytes=200 * 1024 * 1024, max_unpacked_bytes=0
)


def _upload_context(request, agreement, **extra):
    context = section_context(request, agreement, "s117_register", None)
    context |= {"people_on_register": agreement.s117_entries.count(), "limits": PAGE_LIMITS}
    return context | extra


def _refused(request, agreement, problems, *, held=None):
    """The upload page with what stopped a file; `held` is a checked file that can be
    checked again as it is (the register changed since it was checked)."""
    context = _upload_context(request, agreement, problems=[str(p) for p in problems], recheck=held)
    return render(request, "s117/upload.html", context)


class Chosen(NamedTuple):
    """A file to check: its content, the name it came with, the name it is read as (which
    says CSV or XLSX) and the limits it is read within."""

    content: bytes
    name: str
    read_as: str
    limits: tabular.Limits


@never_cache
@partnership_view("edit_s117_register")
def upload(request, agreement):
    """Check a register file and show what it would change; nothing is saved yet.

    The checked file is held on the server (partnerships.uploads) until it is saved,
    cancelled or replaced, its uploader signs out, or it expires."""
    if request.method != "POST":
        return render(request, "s117/upload.html", _upload_context(request, agreement))
    chosen, refusal = _chosen_file(request, agreement)
    if refusal is not None:
        return _refused(request, agreement, [refusal])
    result = check_register_file(
        by=request.user,
        agreement=agreement,
        content=chosen.content,
        file_name=chosen.read_as,
        today=timezone.localdate(),
        limits=chosen.limits,
        path=request.path,
    )
    changes = result.count("new") + result.count("changed")
    if result.problems or not changes:  # nothing to save: nothing of it is kept either
        uploads.discard(by=request.user, agreement=agreement, kind=HELD)
    if result.problems:
        return _refused(request, agreement, result.problems)
    token = _hold(request, agreement, result, chosen.name) if changes else None
    return _preview_page(request, agreement, result, chosen.name, token)


def _chosen_file(request, agreement) -> tuple[Chosen | None, object]:
    """The file uploaded now, or the one held since it was checked, to check again; or,
    where there is neither, what to say instead."""
    again = request.POST.get("recheck", "")
    if again:
        held = uploads.waiting(by=request.user, agreement=agreement, kind=HELD, token=again)
        if held is None:
            return None, uploads.NothingWaiting()
        # Held as the CSV of its cells as they were read, under the name it came with.
        return Chosen(bytes(held.content), held.file_name, HELD_AS, HELD_LIMITS), None
    file = request.FILES.get("file")
    if file is None:
        return None, "Choose a CSV or XLSX file to upload."
    content, name = file.read(PAGE_LIMITS.max_bytes + 1), file.name
    return Chosen(content, name, name, PAGE_LIMITS), None


def _hold(request, agreement, result, name: str) -> str:
    """Hold the checked file until it is saved, and give the token that names it."""
    return uploads.hold(
        by=request.user,
        agreement=agreement,
        kind=HELD,
        file_name=name,
        # As CSV, whatever it came as: read again on saving in a fraction of the time.
        content=result.as_csv(),
        checked=result.fingerprint(),
    ).token


def _preview_page(request, agreement, result, name: str, token: str | None):
    """What the file would change, to be confirmed (or, with no token, that it changes
    nothing)."""
    shown = preview(result.changes, Names(agreement))
    context = _upload_context(
        request,
        agreement,
        # A register can have 50,000 changes: the page shows the first of them, and says so.
        preview=shown[:PREVIEW_ROWS],
        changes_total=len(shown),
        counts={kind: result.count(kind) for kind in ("new", "changed", "unchanged")},
        ending=sum(1 for change in shown if change.kind == "ended"),
        moving=sum(1 for change in result.changes if moves_someone(change)),
        today=timezone.localdate(),
        not_listed=result.not_listed,
        not_listed_shown=result.not_listed[:PREVIEW_ROWS],
        file_name=name,
        token=token,
    )
    return render(request, "s117/upload.html", context)


@require_POST
@partnership_view("edit_s117_register")
def confirm_upload(request, agreement):
    """Save the previewed file, all or nothing, only into the register it was checked
    against: if the register has changed since, nothing is saved and the file can be
    checked again."""
    token = request.POST.get("token", "")
    try:
        result, file_name, written = save_checked_register(
            by=request.user,
            agreement=agreement,
            token=token,
            today=timezone.localdate(),
            limits=HELD_LIMITS,
            path=request.path,
        )
    except uploads.NothingWaiting as error:
        messages.error(request, str(error))
        return redirect("s117_upload", agreement.slug)
    except RegisterChanged as error:
        return _refused(request, agreement, [error], held=_still_held(request, agreement, token))
    if result.problems:  # what the file names has gone since it was checked
        return _refused(
            request, agreement, result.problems, held=_still_held(request, agreement, token)
        )
    messages.success(
        request,
        f"Saved {file_name}: {result.count('new')} new and {result.count('changed')} "
        f"changed {'entry' if written == 1 else 'entries'}. "
        f"{len(result.not_listed)} not in the file were left as they are.",
    )
    return redirect("s117_history", agreement.slug)


def _still_held(request, agreement, token: str):
    return uploads.waiting(by=request.user, agreement=agreement, kind=HELD, token=token)


@require_POST
@partnership_view("edit_s117_register")
def cancel_upload(request, agreement):
    """Forget the checked file: nothing of it is saved, and it is no longer held."""
    if uploads.discard(by=request.user, agreement=agreement, kind=HELD):
        messages.success(request, "The checked file was not saved, and has been deleted.")
    return redirect("s117_upload", agreement.slug)


@never_cache
@partnership_view("edit_s117_register")
def history(request, agreement):
    """Every change to the register, newest first: who, when, which entry, which fields;
    and the latest downloads from it."""
    context = section_context(request, agreement, "s117_register", None)
    context["page"] = history_page(agreement, request.GET.get("page"))
    context["exports"] = selectors.recent_exports(agreement)
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
