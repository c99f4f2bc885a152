"""Commentary (decision report): the officer's words, then the agreement's first term, the
posts it funds, and the last 12 months of Care Act activity reported."""

from caseload import selectors as caseload_selectors
from core.formatting import NOT_REPORTED, count, listed, long_date
from partnerships.selectors import recent_quarters, terms_of
from reports.papers.blocks import Block, Para
from reports.papers.context import PaperContext
from reports.papers.section import PaperSection
from reports.papers.sections.agreement import standing_para


def figures(paper: PaperContext) -> list[Block]:
    agreement = paper.agreement
    blocks = []
    terms = terms_of(agreement)
    if terms:
        first = terms[0]
        approved = (
            f"approved on {long_date(first.authorised_by.decided_on)} "
            if first.authorised_by
            else ""
        )
        blocks.append(
            Para(
                f"The agreement was {approved}for {first.length_in_years().normalize():f} years "
                f"from {long_date(first.start_date)} to {long_date(first.end_date)}."
            )
        )
        blocks.append(standing_para(paper, terms))
    staffing = caseload_selectors.staffing(agreement, paper.quarter.end_date)
    if staffing.posts:
        blocks.append(
            Para(
                f"It funds {count(staffing.posts)} posts, {count(staffing.vacant_posts)} of them "
                f"vacant. At its start {count(staffing.tupe_at_start)} staff were TUPE "
                f"transferred and {count(staffing.seconded_at_start)} seconded."
            )
        )
    return blocks + _activity_over_a_year(paper)


def _activity_over_a_year(paper: PaperContext) -> list[Block]:
    """Referrals and assessments over the last 12 months reported. A count nobody reported
    is left unsaid, not 0, and one reported for only some quarters says which it leaves out."""
    last = caseload_selectors.latest_activity_quarter(paper.agreement, paper.quarter)
    if last is None:
        return []
    activity = caseload_selectors.activity_for_year_or_quarters(
        paper.agreement, recent_quarters(last, 4)
    )
    totals, left_out = activity["totals"], activity["left_out"]
    said = [
        f"{verb} {paper.people_text(totals[name])} {noun}"
        + (f" ({NOT_REPORTED.lower()} for {listed(left_out[name])})" if left_out[name] else "")
        for name, verb, noun in (
            ("referrals", "received", "referrals"),
            ("assessments", "completed", "Care Act assessments"),
        )
        if totals[name] is not None
    ]
    if not said:
        return []
    return [
        Para(f"Over the 12 months to {long_date(last.end_date)} the service {' and '.join(said)}.")
    ]


SECTION = PaperSection("commentary", "Commentary", figures=figures, narrative=True)
