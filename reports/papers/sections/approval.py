"""Approval required (decision report): who must approve an extension of this value under
the council partners' rules (partnerships.approvals). An extension with an option year is
judged on its value including the option, as councils' contract rules count a contract's
options in its value; the paper gives both figures and says which the route applies to."""

from budgets.selectors import extension_approval, extension_thresholds
from reports.papers.blocks import Block, Para
from reports.papers.context import PaperContext
from reports.papers.section import PaperSection
from reports.papers.sections.extension import extension_of


def figures(paper: PaperContext) -> list[Block]:
    extension = extension_of(paper)
    said = extension.money
    with_option = extension.option is not None
    value = extension.cost_with_option if with_option else extension.cost
    if with_option:
        what = (
            f"The extension's value is {said(extension.cost)}, and "
            f"{said(extension.cost_with_option)} including the option period. The approval "
            "route applies to the value including the option"
        )
        subject = f"at {said(value)} including the option, the extension"
        over = f"The value including the option, {said(value)},"
    else:
        what = f"The extension's value is {said(value)}"
        subject = f"at {said(value)} the extension"
        over = f"The extension's value, {said(value)},"
    thresholds = extension_thresholds(paper.agreement)
    if not thresholds:
        return [
            Para(
                f"{what}. No approval threshold for extensions is recorded for the council "
                "partners: the approval it needs is as their own scheme of delegation sets out."
            )
        ]
    threshold = extension_approval(extension.term, value, thresholds)
    lead = f"{what}. " if with_option else ""
    if threshold is None:
        return [
            Para(
                f"{lead}{subject[0].upper()}{subject[1:]} is within the delegated authority of "
                "the officers named in the agreement: no further approval is required."
            )
        ]
    also = f", after {threshold.also_required}" if threshold.also_required else ""
    under = f"under {threshold.rule}, " if threshold.rule else ""
    return [
        Para(
            f"{lead}{over} is over {said(threshold.exceeds)}: {under}it needs the approval of "
            f"the {threshold.approver}{also}."
        )
    ]


SECTION = PaperSection("approval", "Approval required", figures=figures)
