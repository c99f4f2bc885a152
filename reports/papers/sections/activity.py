"""Care Act activity: referrals, assessments, reviews, carers' assessments and safeguarding
enquiries, counts of people under disclosure control. Part of the caseload section."""

from caseload import selectors as caseload_selectors
from core.formatting import listed
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
IN_A_SENTENCE = {"Care Act assessments": "Care Act assessments"}  # the rest lower-cased


def year_to_date(paper: PaperContext) -> list[Block]:
    """The financial year's activity to the paper's quarter, with the main counts in words.
    A count nobody reported is said to be not reported, never given as 0."""
    quarter = paper.quarter
    quarters = recent_quarters(quarter, quarter.number)
    # In Q4 a count reported for the whole year is quoted as reported (caseload.activity_periods).
    activity = caseload_selectors.activity_for_year_or_quarters(paper.agreement, quarters)
    totals = activity["totals"]
    reported = [(name, label) for name, label in ACTIVITIES if totals[name] is not None]
    if not reported:
        return [Para("No Care Act activity is recorded for the period.")]
    span = f"{quarter.financial_year.label} to quarter {quarter.number}"
    missing = [label for name, label in ACTIVITIES if totals[name] is None]
    blocks = paper.people_table(
        f"Care Act activity in {span}",
        [label for _, label in reported],
        ["Count"],
        [[totals[name]] for name, _ in reported],
        label_heading="Activity",
        total=False,
        intro=lambda table: _in_words(paper, span, reported, table),
    )
    if missing:
        named = [IN_A_SENTENCE.get(label, label.lower()) for label in missing]
        blocks.append(Para(f"Not reported for {span}: {listed(named)}."))
    partly = [
        f"{IN_A_SENTENCE.get(label, label.lower())} in {listed(activity['left_out'][name])}"
        for name, label in reported
        if activity["left_out"][name]
    ]
    if partly:
        blocks.append(Para(f"The counts leave out quarters not reported: {'; '.join(partly)}."))
    if activity["from_year"]:
        named = [
            IN_A_SENTENCE.get(label, label.lower())
            for n, label in ACTIVITIES
            if n in activity["from_year"]
        ]
        blocks.append(Para(f"The counts of {listed(named)} are as reported for the whole year."))
    return blocks


def _in_words(paper: PaperContext, span: str, reported, table) -> str:
    """Referrals received, and assessments and reviews completed, in a sentence, as the
    table publishes them; a count not reported is left out of it."""
    cells = {name: table.cells[index][0] for index, (name, _) in enumerate(reported)}
    received = (
        [f"received {paper.spoken(cells['referrals'])} referrals"] if "referrals" in cells else []
    )
    completed = [
        f"{paper.spoken(cells[name])} {noun}"
        for name, noun in (("assessments", "Care Act assessments"), ("reviews", "reviews"))
        if name in cells
    ]
    said = received + ([f"completed {' and '.join(completed)}"] if completed else [])
    if not said:
        return f"Care Act activity in {span} is below."
    return f"In {span} the teams {' and '.join(said)}."
