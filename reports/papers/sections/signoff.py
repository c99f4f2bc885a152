"""Whether the quarter's return, whose figures a JMG paper reports, has been signed off,
and the comment kept with its sign-off. Part of the JMG paper's summary."""

from django.utils import timezone

from core.formatting import long_date
from reports.papers.blocks import Block, Para
from reports.papers.context import PaperContext
from returns.models import QuarterlyReturn


def figures(paper: PaperContext) -> list[Block]:
    quarterly_return = (
        QuarterlyReturn.objects.filter(agreement=paper.agreement, quarter=paper.quarter)
        .order_by()
        .first()
    )
    name = paper.quarter.name
    if quarterly_return is None or quarterly_return.status == QuarterlyReturn.Status.DRAFT:
        return [Para(f"The {name} return has not been submitted yet: its figures may change.")]
    if quarterly_return.status != QuarterlyReturn.Status.SIGNED_OFF:
        state = quarterly_return.get_status_display().lower()
        return [Para(f"The {name} return is {state}, not yet signed off: its figures may change.")]
    signed = long_date(timezone.localdate(quarterly_return.signed_off_at))
    blocks: list[Block] = [Para(f"The {name} return was signed off by a JMG member on {signed}.")]
    if quarterly_return.sign_off_comment:
        blocks.append(Para(f"Comment at sign-off: {quarterly_return.sign_off_comment}"))
    return blocks
