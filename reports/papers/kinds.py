"""The kinds of paper, each a list of its sections in order: the registry.

Adding a section to a kind of paper is a module in `reports/papers/sections/` declaring a
`PaperSection`, and a line in that kind's list below.
"""

from collections.abc import Callable
from dataclasses import dataclass, replace

from django.conf import settings
from django.utils import timezone

from core.formatting import long_date, quarter_label
from partnerships.models import Agreement, Quarter
from reports import disclosure
from reports.papers.blocks import Chart, Paper, Para, Section, Table
from reports.papers.context import PaperContext, ReportUnavailable
from reports.papers.section import PaperSection
from reports.papers.sections import (
    action_plan,
    agreement,
    approval,
    budget,
    caseload,
    commentary,
    extension,
    finance,
    kpis,
    legal,
    narrative,
    s117,
    staffing,
)
from reports.papers.sections.extension import extension_of


@dataclass(frozen=True)
class PaperKind:
    title: Callable[[PaperContext], str]
    sections: list[PaperSection]

    def narrative_titles(self) -> dict[str, str]:
        """The sections the officer writes narrative for, by slug, in the paper's order."""
        return {section.slug: section.title for section in self.sections if section.narrative}


def _jmg_title(paper: PaperContext) -> str:
    year, number = paper.quarter.financial_year.start_year, paper.quarter.number
    return f"{paper.agreement.short_title}: JMG quarterly report, {quarter_label(year, number)}"


def _scrutiny_title(paper: PaperContext) -> str:
    year = paper.quarter.financial_year.label
    return f"{paper.agreement.short_title}: report to scrutiny, {year}"


def _decision_title(paper: PaperContext) -> str:
    ends = long_date(extension_of(paper).term.end_date)
    return f"{paper.agreement.short_title}: extension of the agreement to {ends} (decision report)"


KINDS: dict[str, PaperKind] = {
    "jmg": PaperKind(
        _jmg_title,
        [
            narrative.JMG_SUMMARY,
            budget.SECTION,
            staffing.SECTION,
            caseload.SECTION,
            s117.SECTION,
            kpis.SECTION,
            action_plan.SECTION,
            narrative.DECISIONS,
        ],
    ),
    "scrutiny": PaperKind(
        _scrutiny_title,
        [
            narrative.BACKGROUND,
            agreement.SECTION,
            budget.SECTION,
            staffing.SECTION_BY_FUNDER,
            caseload.SECTION,
            s117.SECTION,
            narrative.CONCLUSIONS,
        ],
    ),
    "decision": PaperKind(
        _decision_title,
        [
            extension.REASON,
            extension.RECOMMENDATIONS,
            commentary.SECTION,
            finance.SECTION,
            approval.SECTION,
            legal.SECTION,
        ],
    ),
}


def kind_of(kind: str) -> PaperKind:
    if kind not in KINDS:
        raise ReportUnavailable(f"There is no report kind {kind!r}: use jmg, scrutiny or decision.")
    return KINDS[kind]


def narrative_titles(kind: str) -> dict[str, str]:
    """The narrative sections of a kind of paper: {slug: title}."""
    return kind_of(kind).narrative_titles()


def build(
    agreement: Agreement,
    kind: str,
    quarter: Quarter,
    *,
    narrative: dict[str, list[str]] | None = None,
    draft: bool = True,
) -> Paper:
    """The paper of `kind` for the partnership and quarter, from its figures as they stand
    and the officer's narrative."""
    paper_kind = kind_of(kind)
    rule = disclosure.rule_for(kind, getattr(settings, "REPORT_DISCLOSURE", None))
    context = PaperContext(agreement, kind, quarter, narrative or {}, rule, draft)
    title = paper_kind.title(context)  # first: a decision report without an extension stops
    sections = [section.build(context) for section in paper_kind.sections]
    return Paper(
        kind=kind,
        title=title,
        partnership=agreement.title,
        short_title=agreement.short_title,
        slug=agreement.slug,
        period=quarter.label,
        period_text=f"{quarter.financial_year.label} quarter {quarter.number}, to "
        f"{long_date(quarter.end_date)}",
        as_at=quarter.end_date,
        draft=draft,
        rule=rule,
        sections=numbered(sections),
        prepared=timezone.localdate(),
    )


def numbered(sections: list[Section]) -> list[Section]:
    """Paragraphs numbered within their section (3.2), tables and figures through the paper."""
    tables = figures = 0
    result = []
    for index, section in enumerate(sections, start=1):
        paragraphs, blocks = 0, []
        for block in section.blocks:
            if isinstance(block, Para):
                paragraphs += 1
                block = replace(block, number=f"{index}.{paragraphs}")
            elif isinstance(block, Table):
                tables += 1
                block = replace(block, number=tables)
            elif isinstance(block, Chart):
                figures += 1
                block = replace(block, number=figures)
            blocks.append(block)
        result.append(replace(section, blocks=blocks))
    return result
