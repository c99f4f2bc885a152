"""What every section of a paper is built from: the partnership, the quarter, the officer's
narrative and the disclosure rule of the paper's kind.

Counts of people pass through disclosure control here (`reports.disclosure`); money and
staffing figures don't. In a draft, a hidden count keeps its true value and the reason it
is hidden, so officers can see what publishing will suppress; a published paper keeps
neither. Sentences quote only the published figures of their tables (`people_table`'s
`intro`), so prose can't give back a count a table hides.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from partnerships.models import Agreement, Quarter
from reports import disclosure
from reports.papers.blocks import Block, Para, Table
from reports.papers.values import PeopleCount, Text


class ReportUnavailable(Exception):
    """The partnership has nothing this kind of report could be made from for the period."""


@dataclass
class PaperContext:
    agreement: Agreement
    kind: str
    quarter: Quarter
    narrative: dict[str, list[str]]
    rule: disclosure.Rule
    draft: bool
    _kept: dict[str, Any] = field(default_factory=dict, repr=False)

    def once(self, key: str, read: Callable[[], Any]) -> Any:
        """`read()` the first time a paper asks for `key`, and the same answer after: a
        figure two sections quote (the extension, the partners) is read once."""
        if key not in self._kept:
            self._kept[key] = read()
        return self._kept[key]

    # Counts of people ---------------------------------------------------------------------

    def people(self, cell: disclosure.Cell, *, header: bool = False) -> PeopleCount:
        return PeopleCount(cell, draft=self.draft, header=header)

    def spoken(self, cell: disclosure.Cell) -> str:
        """A protected count in a sentence: its published figure, or words for a hidden one."""
        if cell.value is None:
            if cell.reason == "small":
                return f"fewer than {self.rule.highest_hidden + 1}"
            return "a number not shown"
        return cell.shown

    def people_text(self, value: int) -> str:
        """A count of people that appears in a sentence only, in no table."""
        return self.spoken(disclosure.protect_count(value, self.rule))

    def people_table(
        self,
        caption: str,
        row_labels: Sequence[str],
        column_names: Sequence[str],
        counts: Sequence[Sequence[int]],
        *,
        label_heading: str,
        total: bool = True,
        intro: Callable[[disclosure.ProtectedTable], str] | None = None,
    ) -> list[Block]:
        """A table of counts of people with row and column totals, protected as one table,
        after the paragraph `intro(protected)` writes. No rows, no table."""
        if not row_labels:
            return []
        protected = disclosure.protect_table(
            counts, self.rule, row_totals=total and len(column_names) > 1, column_totals=total
        )
        rows = []
        row_totals = protected.row_totals or [None] * len(row_labels)
        for label, row, row_total in zip(row_labels, protected.cells, row_totals, strict=True):
            cells = [Text(label, header=True), *(self.people(c) for c in row)]
            if row_total is not None:
                cells.append(self.people(row_total))
            rows.append(cells)
        head = [label_heading, *column_names]
        if protected.row_totals:
            head.append("Total")
        foot = []
        if protected.column_totals:
            totals = [self.people(c) for c in protected.column_totals]
            if protected.grand_total is not None:
                totals.append(self.people(protected.grand_total))
            foot = [[Text("Total", header=True), *totals]]
        table = Table(
            caption, head, rows, foot=foot, note=self.hidden_note(protected.suppressed_count())
        )
        return ([Para(intro(protected))] if intro is not None else []) + [table]

    def hidden_note(self, hidden: int, *, spend: bool = False) -> str:
        """What a table's `*` mean, when it has any, and how its counts are rounded."""
        parts = []
        if hidden:
            low, high = self.rule.lowest_hidden, self.rule.highest_hidden
            parts.append(
                f"* A count from {low} to {high}, or a count hidden so that one can't be worked "
                "out from the totals"
                + (", or the spend on the people of a hidden count." if spend else ".")
            )
        if self.rule.round_to:
            parts.append(f"Other counts of people are rounded to the nearest {self.rule.round_to}.")
        return " ".join(parts)
