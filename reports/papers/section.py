"""One section of a kind of paper, declared in its own module and listed in
`reports.papers.kinds.KINDS`."""

from collections.abc import Callable
from dataclasses import dataclass

from reports.papers.blocks import Block, Para, Section
from reports.papers.context import PaperContext

PLACEHOLDER = "No narrative has been written for this section yet."


@dataclass(frozen=True)
class PaperSection:
    """A section's slug and title, whether the officer writes narrative for it (on the draft
    page), the standard wording used where they have written none, and the blocks its
    figures make, after any narrative.

    A section of narrative alone, with no standard wording, can't be published until its
    narrative is written: the paper shows a placeholder and names it as missing."""

    slug: str
    title: str
    figures: Callable[[PaperContext], list[Block]] | None = None
    narrative: bool = False
    default: Callable[[PaperContext], str] | str = ""

    @property
    def needs_narrative(self) -> bool:
        return self.narrative and not self.default and self.figures is None

    def build(self, paper: PaperContext) -> Section:
        blocks: list[Block] = []
        if self.narrative:
            written = paper.narrative.get(self.slug) or []
            blocks += [Para(text, narrative=True) for text in written]
            if not written and self.default:
                default = self.default(paper) if callable(self.default) else self.default
                blocks.append(Para(default))
        if self.figures is not None:
            blocks += self.figures(paper)
        if not blocks and self.needs_narrative:
            return Section(self.slug, self.title, [Para(PLACEHOLDER, placeholder=True)], True)
        return Section(self.slug, self.title, blocks)
