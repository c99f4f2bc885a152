"""Report pages: the library of published papers, drafting with a live preview that shows
what disclosure control will hide, publishing, and the frozen versions themselves."""

import hashlib
import logging
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from core.periods import parse_period
from partnerships.dashboard import section_context
from partnerships.permissions import agreements_for, can, partnership_view
from reports import papers
from reports.actions import (
    NarrativeRefused,
    ReportRefused,
    build_paper,
    narrative_of,
    narrative_too_long,
    publish,
    save_narratives,
    start_report,
)
from reports.models import PublishedVersion, Report
from reports.narrative import MOST_CHARACTERS, MOST_PARAGRAPHS
from reports.render import document_policy, prepare_paper, render_html, render_pdf

VERSIONS_PER_PAGE = 25

logger = logging.getLogger(__name__)


def _published(agreements):
    return (
        PublishedVersion.objects.filter(report__agreement__in=agreements)
        .select_related("report__agreement", "published_by")
        .defer("html", "pdf", "data")
        .order_by("-published_at", "-pk")
    )


@login_required
def library(request):
    """Published papers from every partnership the user belongs to, newest first; by
    partnership, kind and period, and found by words in their titles or text."""
    agreements = agreements_for(request.user, "view_published_reports").order_by("short_title")
    versions = _published(agreements)
    chosen = request.GET.get("partnership", "")
    kind = request.GET.get("kind", "")
    period = request.GET.get("period", "").strip()
    words = " ".join(request.GET.get("q", "").split())[:200]
    errors = {}
    if chosen:
        versions = versions.filter(report__agreement__slug=chosen)
    if kind in Report.Kind.values:
        versions = versions.filter(report__kind=kind)
    else:
        kind = ""
    if period:
        try:
            parsed = parse_period(period)
        except ValueError as error:
            errors["period"] = str(error)
        else:
            if parsed.quarter:
                versions = versions.filter(report__period=str(parsed))
            else:
                versions = versions.filter(report__period__startswith=f"{parsed}-")
    for word in words.split():
        # Every word, in the title or anywhere in the paper's published text: read only
        # when someone searches, so the library's own page costs no more for it.
        versions = versions.filter(Q(report__title__icontains=word) | Q(html__icontains=word))
    page = Paginator(versions, VERSIONS_PER_PAGE).get_page(request.GET.get("page"))
    kept = (("partnership", chosen), ("kind", kind), ("period", period), ("q", words))
    context = {
        "page": page,
        "agreements": list(agreements),
        "chosen": chosen,
        "kinds": Report.Kind.choices,
        "kind": kind,
        "period": period,
        "words": words,
        "errors": errors,
        "query": urlencode({k: v for k, v in kept if v}),
    }
    return render(request, "reports/library.html", context)


@partnership_view("view_published_reports")
def reports(request, agreement):
    """The partnership's reports: drafts for those who may see them, and every published
    version."""
    context = section_context(request, agreement, "reports", None)
    may_draft = can(request.user, "view_draft_reports", agreement)
    context |= {
        "versions": list(_published([agreement])),
        "drafts": list(agreement.reports.select_related("created_by")) if may_draft else [],
        "may_view_drafts": may_draft,
        "may_start": can(request.user, "draft_reports", agreement),
        "kinds": Report.Kind.choices,
    }
    return render(request, "reports/list.html", context)


@require_POST
@partnership_view("draft_reports")
def start(request, agreement):
    try:
        report = start_report(
            by=request.user,
            agreement=agreement,
            kind=request.POST.get("kind", ""),
            period=request.POST.get("period", "").strip(),
        )
    except ReportRefused as error:
        context = section_context(request, agreement, "reports", None)
        context |= {
            "versions": list(_published([agreement])),
            "drafts": list(agreement.reports.select_related("created_by")),
            "may_view_drafts": True,
            "may_start": True,
            "kinds": Report.Kind.choices,
            "start_error": str(error),
            "posted": request.POST,
        }
        return render(request, "reports/list.html", context)
    return redirect("report", agreement.slug, report.pk)


def _report(agreement, report_id) -> Report:
    report = agreement.reports.filter(pk=report_id).first()
    if report is None:
        raise Http404("No such report.")
    return report


def _draft_context(
    request,
    agreement,
    report,
    *,
    typed: dict[str, str] | None = None,
    refused: dict[str, str] | None = None,
    **extra,
):
    """The draft page's context. `typed` is the narrative the officer posted and had
    refused, {section: text}, with `refused` {section: why}: the form shows every section
    as typed, so that nothing typed is lost, and why each was refused."""
    paper = build_paper(report, draft=True)
    hidden = paper.hidden_counts()
    written = narrative_of(report)
    texts = {slug: "\n\n".join(paragraphs) for slug, paragraphs in written.items()}
    errors = narrative_too_long(report, written)
    if typed:
        texts |= typed
        errors = {slug: why for slug, why in errors.items() if slug not in typed}
    errors |= refused or {}
    context = section_context(request, agreement, "reports", None)
    return context | {
        "report": report,
        "paper": prepare_paper(paper),
        "kind_label": report.get_kind_display(),
        "hidden": hidden,
        "missing": paper.missing_narrative,
        "narrative": [
            (slug, title, texts.get(slug, ""), errors.get(slug, ""))
            for slug, title in papers.narrative_titles(report.kind).items()
        ],
        "narrative_errors": [
            (slug, errors[slug]) for slug in papers.narrative_titles(report.kind) if slug in errors
        ],
        "most_characters": MOST_CHARACTERS,
        "most_paragraphs": MOST_PARAGRAPHS,
        "versions": list(
            report.versions.select_related("published_by").defer("html", "pdf", "data")
        ),
        "may_edit": can(request.user, "draft_reports", agreement),
        "may_publish": can(request.user, "publish_reports", agreement),
        **extra,
    }


@partnership_view("view_draft_reports")
def report(request, agreement, report_id):
    """The draft as it would be published, with what disclosure control will hide."""
    report = _report(agreement, report_id)
    try:
        context = _draft_context(request, agreement, report)
    except papers.ReportUnavailable as error:
        raise Http404(str(error)) from None
    return render(request, "reports/draft.html", context)


@require_POST
@partnership_view("draft_reports")
def narrative(request, agreement, report_id):
    """Every narrative section of the draft saved at once, from one form: typing in one
    section and saving can't lose what was typed in another. (A post of one `section` and
    its `text` saves that section alone, as scripts and older pages send it.)"""
    report = _report(agreement, report_id)
    titles = papers.narrative_titles(report.kind)
    if "section" in request.POST:
        texts = {request.POST["section"]: request.POST.get("text", "")}
    else:
        texts = {
            slug: request.POST[f"text-{slug}"] for slug in titles if f"text-{slug}" in request.POST
        }
    try:
        counts = save_narratives(by=request.user, report=report, texts=texts)
    except NarrativeRefused as refused:
        typed = {slug: text for slug, text in texts.items() if slug in titles}
        unknown = [why for slug, why in refused.problems.items() if slug not in titles]
        context = _draft_context(
            request,
            agreement,
            report,
            typed=typed,
            refused={slug: why for slug, why in refused.problems.items() if slug in titles},
            **({"narrative_error": " ".join(unknown)} if unknown else {}),
        )
        return render(request, "reports/draft.html", context)
    if not counts:
        messages.info(request, "There was no narrative to save.")
    else:
        saved = "; ".join(
            f"{titles[slug]}, {n} paragraph{'s' if n != 1 else ''}" for slug, n in counts.items()
        )
        messages.success(request, f"Narrative saved: {saved}.")
    return redirect(f"{request.path.rsplit('narrative/', 1)[0]}#narrative")


@partnership_view("view_draft_reports")
def draft_pdf(request, agreement, report_id):
    report = _report(agreement, report_id)
    written = narrative_of(report)
    if narrative_too_long(report, written):
        # Saved before the limits: rendering it could outlast the worker. The draft page
        # says which sections to shorten.
        return render(request, "reports/draft.html", _draft_context(request, agreement, report))
    pdf = render_pdf(render_html(build_paper(report, draft=True, written=written)))
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"DRAFT {agreement.slug} {report.kind} {report.period.replace('/', '-')}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_POST
@partnership_view("publish_reports")
def publish_report(request, agreement, report_id):
    report = _report(agreement, report_id)
    latest = request.POST.get("latest", "")
    note = request.POST.get("note", "")
    try:
        version = publish(
            by=request.user,
            report=report,
            latest_seen=int(latest) if latest.isdigit() else None,
            change_note=note,
        )
    except ReportRefused as error:
        context = _draft_context(
            request, agreement, report, publish_error=str(error), publish_note=note
        )
        return render(request, "reports/draft.html", context)
    messages.success(request, f"Published version {version.number}.")
    return redirect("report", agreement.slug, report.pk)


def _version(agreement, report_id, number) -> PublishedVersion:
    version = (
        PublishedVersion.objects.filter(
            report__agreement=agreement, report_id=report_id, number=number
        )
        .select_related("report")
        .first()
    )
    if version is None:
        raise Http404("No such published version.")
    return version


def _file_name(version: PublishedVersion, extension: str) -> str:
    report = version.report
    period = report.period.replace("/", "-")
    return f"{report.agreement.slug} {report.kind} {period} v{version.number}.{extension}"


def _integrity_failed(request, agreement, version: PublishedVersion, document: str):
    """What is stored is not what was published: say so and serve nothing, rather than hand
    out a paper that may have been altered as if it were the published one."""
    report = version.report
    logger.error(
        "Published %s of report %s (%s, %s, %s) version %s does not match its SHA-256: not served",
        document,
        report.pk,
        agreement.slug,
        report.kind,
        report.period,
        version.number,
    )
    context = section_context(request, agreement, "reports", None)
    context |= {"report": report, "version": version, "document": document}
    return render(request, "reports/integrity_failed.html", context, status=500)


@partnership_view("view_published_reports")
def version_html(request, agreement, report_id, number):
    """The published HTML exactly as frozen, as a document of its own."""
    version = _version(agreement, report_id, number)
    if hashlib.sha256(version.html.encode()).hexdigest() != version.html_sha256:
        return _integrity_failed(request, agreement, version, "HTML")
    response = HttpResponse(version.html, content_type="text/html; charset=utf-8")
    response["Content-Security-Policy"] = document_policy(version.html)
    response["ETag"] = f'"{version.html_sha256}"'
    if request.GET.get("download"):
        response["Content-Disposition"] = f'attachment; filename="{_file_name(version, "html")}"'
    return response


@partnership_view("view_published_reports")
def version_pdf(request, agreement, report_id, number):
    """The published PDF, byte for byte as frozen."""
    version = _version(agreement, report_id, number)
    pdf = bytes(version.pdf)
    if hashlib.sha256(pdf).hexdigest() != version.sha256:
        return _integrity_failed(request, agreement, version, "PDF")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_file_name(version, "pdf")}"'
    response["ETag"] = f'"{version.sha256}"'
    return response
