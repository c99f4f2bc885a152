"""Care Act activity: referrals, assessments, reviews, carers' assessments and safeguarding
enquiries, counts of people under disclosure control. Part of the caseload section."""

from caseload import selectors as caseload_selectors
from partnerships.selectors import recent_quarters
from reports.papers.blocks import Block, Para
from reports.papers.context import PaperContext

ACTIVITIES = [
    ("referrals", "Referrals"),
    ("assessments", "Care Act assessments"),
    ("reviews", "Reviews"),
    ("carers_assessments", "Carers' assessments"),
    ("safeguarding_enquiries", "Safeguarding enquiries"),
]


def year_to_date(paper: PaperContext) -> list[Block]:
    """The financial year's activity to the paper's quarter, with the main counts in words."""
    quarter = paper.quarter
    quarters = recent_quarters(quarter, quarter.number)
    totals = caseload_selectors.activity_totals(paper.agreement, quarters)
    if not any(totals.values()):
        return [Para("No Care Act activity is recorded for the period.")]
    span = f"{quarter.financial_year.label} to quarter {quarter.number}"
    return paper.people_table(
        f"Care Act activity in {span}",
        [label for _, label in ACTIVITIES],
        ["Count"],
        [[totals[name] or 0] for name, _ in ACTIVITIES],
        label_heading="Activity",
        total=False,
        intro=lambda table: (
            f"In {span} the teams received {paper.spoken(table.cells[0][0])} referrals and "
            f"completed {paper.spoken(table.cells[1][0])} Care Act assessments and "
            f"{paper.spoken(table.cells[2][0])} reviews."
        ),
    )
