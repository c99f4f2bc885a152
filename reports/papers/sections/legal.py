"""Legal considerations (decision report): the officer's words, then the statutory basis
that allows the partners to pool funds and delegate functions."""

from reports.papers.blocks import Block, Para
from reports.papers.context import PaperContext
from reports.papers.section import PaperSection

LEGAL_BASIS = {
    "s75": (
        "section 75 of the National Health Service Act 2006 and the NHS Bodies and Local "
        "Authorities Partnership Arrangements Regulations 2000"
    ),
    "s31": (
        "section 31 of the Health Act 1999, continued in force by section 75 of the National "
        "Health Service Act 2006 and the NHS Bodies and Local Authorities Partnership "
        "Arrangements Regulations 2000"
    ),
}


def figures(paper: PaperContext) -> list[Block]:
    return [
        Para(
            f"The agreement is made under {LEGAL_BASIS[paper.agreement.legal_basis]}, which "
            "allow an NHS body and a local authority to pool funds and to delegate functions to "
            "one another where this is likely to improve the way those functions are exercised."
        )
    ]


SECTION = PaperSection("legal", "Legal considerations", figures=figures, narrative=True)
