"""Drafting and publishing reports: every write in one transaction, with who made it."""

import hashlib
import json

from django.db import transaction
from django.utils import timezone

from core.formatting import long_date
from partnerships.selectors import quarter_for
from reports import narrative, papers
from reports.models import Paragraph, PublishedVersion, Report
from reports.render import render_html, render_pdf


class ReportRefused(Exception):
    """The report can't be started, changed or published as asked; nothing was saved."""


class NarrativeRefused(ReportRefused):
    """Sections' narrative that can't be saved, with why, by section; nothing was saved."""

    def __init__(self, problems: dict[str, str]):
        super().__init__(" ".join(problems.values()))
        self.problems = problems


def quarter_of(period: str):
    """The quarter a report's period names: 2023/24-Q2, or a year (2023/24) as its Q4."""
    try:
        quarter = quarter_for(period)
    except ValueError:
        quarter = None
    if quarter is None:
        raise ReportRefused(
            f"{period!r} is not a period with figures: use a quarter such as 2023/24-Q2 or a "
            "financial year such as 2023/24."
        )
    return quarter


def narrative_of(report: Report) -> dict[str, list[str]]:
    written: dict[str, list[str]] = {}
    for paragraph in report.paragraphs.order_by("section", "position"):
        written.setdefault(paragraph.section, []).append(paragraph.text)
    return written


def build_paper(
    report: Report, *, draft: bool, written: dict[str, list[str]] | None = None
) -> papers.Paper:
    """The report's paper from the figures as they stand and its narrative (`written`, if
    the caller has read it already)."""
    return papers.build(
        report.agreement,
        report.kind,
        quarter_of(report.period),
        narrative=narrative_of(report) if written is None else written,
        draft=draft,
    )


def narrative_too_long(report: Report, written: dict[str, list[str]]) -> dict[str, str]:
    """Each section whose narrative is more than a section may hold, with why. Saving
    refuses such text; this finds any saved before the limits were set."""
    found = {}
    for section, title in papers.narrative_titles(report.kind).items():
        problem = narrative.too_long(title, written.get(section, []))
        if problem:
            found[section] = problem
    return found


@transaction.atomic
def start_report(*, by, agreement, kind: str, period: str) -> Report:
    """A new draft, or the existing one for the same kind and period."""
    quarter = quarter_of(period)
    if kind not in papers.KINDS:
        raise ReportRefused("Choose a kind of report: JMG paper, scrutiny report or decision.")
    existing = Report.objects.filter(agreement=agreement, kind=kind, period=quarter.label).first()
    if existing is not None:
        return existing
    try:
        paper = papers.build(agreement, kind, quarter)
    except papers.ReportUnavailable as error:
        raise ReportRefused(str(error)) from None
    report = Report(
        agreement=agreement, kind=kind, period=quarter.label, title=paper.title, created_by=by
    )
    report._history_user = by
    report.save()
    return report


def save_narrative(*, by, report: Report, section: str, text: str) -> int:
    """Replace a section's narrative with `text`, one paragraph per blank-line-separated
    block. Returns the number of paragraphs now in the section."""
    try:
        return save_narratives(by=by, report=report, texts={section: text})[section]
    except NarrativeRefused as refused:
        raise ReportRefused(str(refused)) from None


@transaction.atomic
def save_narratives(*, by, report: Report, texts: dict[str, str]) -> dict[str, int]:
    """Replace each section's narrative in `texts` ({section: text}) with its text, as
    `save_narrative` does, all or none: a problem in any section saves nothing, and the
    refusal names every section's problem. Sections not in `texts` are left as they are.
    Returns the number of paragraphs now in each section given."""
    titles = papers.narrative_titles(report.kind)
    problems, blocks = {}, {}
    for section, text in texts.items():
        if section not in titles:
            problems[section] = (
                f"A {report.get_kind_display()} has no narrative section {section!r}."
            )
        elif "\x00" in text:
            problems[section] = f"{titles[section]} contains a character that can't be stored."
        else:
            blocks[section] = narrative.paragraphs_of(text)
            if problem := narrative.too_long(titles[section], blocks[section]):
                problems[section] = problem
    if problems:
        raise NarrativeRefused(problems)
    return {section: _replace_paragraphs(by, report, section, blocks[section]) for section in texts}


def _replace_paragraphs(by, report: Report, section: str, blocks: list[str]) -> int:
    existing = {p.position: p for p in report.paragraphs.filter(section=section)}
    for position, block in enumerate(blocks, start=1):
        paragraph = existing.pop(position, None) or Paragraph(
            report=report, section=section, position=position
        )
        if paragraph.text != block:
            paragraph.text = block
            paragraph._history_user = by
            paragraph.save()
    for paragraph in existing.values():
        paragraph._history_user = by
        paragraph.delete()
    return len(blocks)


def _published_since(latest: PublishedVersion | None, seen: int | None) -> str:
    if latest is None:
        return f"Version {seen} is not published: reload the page and check the report."
    at = timezone.localtime(latest.published_at)
    when = f"{at:%H:%M}"
    if at.date() != timezone.localdate():
        when += f" on {long_date(at.date())}"
    return (
        f"Version {latest.number} was published at {when} by "
        f"{latest.published_by.get_username()} since you opened this page: check it before "
        "publishing another."
    )


def same_as_published(paper: papers.Paper, data: dict) -> bool:
    """Whether a paper has the figures and narrative a published version was built from.
    The day it was prepared on is not part of what it says."""

    def said(paper):
        return {key: value for key, value in paper.items() if key != "prepared"}

    # Through JSON, as the version's data was stored: tuples become lists, and so on.
    return said(json.loads(json.dumps(paper.to_data()))) == said(data)


@transaction.atomic
def publish(
    *, by, report: Report, latest_seen: int | None = None, change_note: str = ""
) -> PublishedVersion:
    """Freeze the report as it stands: the data it used, its HTML and its PDF, with their
    checksums. A version after the first must say what it corrects.

    `latest_seen` is the number of the latest version the publisher was shown (None: none
    was published). If another has been published since, or nothing has changed since the
    latest, nothing is published: two people publishing the same correction at once make
    one version, not two identical ones."""
    # Publishes of one report take turns on this lock, so the second sees the first's version.
    report = Report.objects.select_for_update().get(pk=report.pk)
    latest = (
        report.versions.select_related("published_by")
        .defer("html", "pdf")
        .order_by("-number")
        .first()
    )
    if (latest.number if latest else None) != latest_seen:
        raise ReportRefused(_published_since(latest, latest_seen))
    number = latest.number + 1 if latest else 1
    change_note = " ".join(change_note.split())
    if latest and not change_note:
        raise ReportRefused(
            f"Version {latest.number} is already published: say what this version corrects."
        )
    written = narrative_of(report)
    too_long = narrative_too_long(report, written)
    if too_long:
        raise ReportRefused(" ".join(too_long.values()))
    paper = build_paper(report, draft=False, written=written)
    missing = paper.missing_narrative
    if missing:
        raise ReportRefused("Write the narrative for " + ", ".join(missing) + " before publishing.")
    if latest and same_as_published(paper, latest.data):
        raise ReportRefused(
            f"Nothing has changed since version {latest.number}: its figures and narrative are "
            "the same as the draft's. Publish a correction once either changes."
        )
    now = timezone.now()
    html = render_html(
        paper, version=number, published_on=timezone.localdate(now), change_note=change_note
    )
    pdf = render_pdf(html)
    return PublishedVersion.objects.create(
        report=report,
        number=number,
        published_at=now,
        published_by=by,
        change_note=change_note,
        data=paper.to_data(),
        html=html,
        pdf=pdf,
        sha256=hashlib.sha256(pdf).hexdigest(),
        html_sha256=hashlib.sha256(html.encode()).hexdigest(),
    )
