"""Approval required (decision report): who must approve an extension of this value under
the council partners' rules (partnerships.approvals)."""

from budgets.selectors import extension_approval, extension_thresholds
from core.formatting import whole_pounds as pounds
from reports.papers.blocks import Block, Para
from reports.papers.context import PaperContext
from reports.papers.section import PaperSection
from reports.papers.sections.extension import extension_of


def figures(paper: PaperContext) -> list[Block]:
    extension = extension_of(paper)
    cost = pounds(extension.cost)
    thresholds = extension_thresholds(paper.agreement)
    if not thresholds:
        return [
            Para(
                f"The extension's value is {cost}. No approval threshold for extensions is "
                "recorded for the council partners: the approval it needs is as their own "
                "scheme of delegation sets out."
            )
        ]
    threshold = extension_approval(extension.term, extension.cost, thresholds)
    if threshold is None:
        return [
            Para(
                f"At {cost} the extension is within the delegated authority of the officers "
                "named in the agreement: no further approval is required."
            )
        ]
    also = f", after {threshold.also_required}" if threshold.also_required else ""
    under = f"under {threshold.rule}, " if threshold.rule else ""
    return [
        Para(
            f"The extension's value, {cost}, is over {pounds(threshold.exceeds)}: {under}it "
            f"needs the approval of the {threshold.approver}{also}."
        )
    ]


SECTION = PaperSection("approval", "Approval required", figures=figures)
