"""The sections that are the officer's words alone, with the standard wording of those that
have one."""

from reports.papers.context import PaperContext
from reports.papers.section import PaperSection
from reports.papers.sections import signoff


def _summary(paper: PaperContext) -> str:
    quarter = paper.quarter
    return (
        f"This paper reports the position of the partnership at the end of quarter "
        f"{quarter.number} of {quarter.financial_year.label}: the pooled budget, staffing, "
        "caseload and activity, the s117 aftercare register, the KPIs and the review action "
        "plan."
    )


SUMMARY = PaperSection("summary", "Summary", narrative=True, default=_summary)
# The JMG's paper says, after its summary, whether the figures it reports are signed off.
JMG_SUMMARY = PaperSection(
    "summary", "Summary", narrative=True, default=_summary, figures=signoff.figures
)
DECISIONS = PaperSection(
    "decisions",
    "Items for decision",
    narrative=True,
    default="There are no items for decision this quarter.",
)
BACKGROUND = PaperSection("background", "Background", narrative=True)
CONCLUSIONS = PaperSection("conclusions", "Conclusions", narrative=True)
