"""What a paper is made of: sections of numbered paragraphs, tables and charts.

Blocks are built by the sections (`reports.papers.sections`) without numbers; the paper
numbers them when it is put together (`reports.papers.kinds.build`): paragraph 3.2 is the
second paragraph of section 3, and tables and figures are numbered through the paper.
"""

import datetime
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, ClassVar

from reports import disclosure
from reports.papers.values import POUNDS_NOTE, SCALE_NOTES, Money, Scale, Value

ChartValue = Decimal | int | None


@dataclass(frozen=True)
class Para:
    text: str
    narrative: bool = False  # the officer's own words
    placeholder: bool = False  # stands where narrative is still to be written
    number: str = ""  # "3.2", given as the paper is put together
    type: ClassVar[str] = "para"

    def to_data(self) -> dict:
        data: dict = {"type": "para", "text": self.text}
        if self.narrative:
            data["narrative"] = True
        if self.placeholder:
            data["placeholder"] = True
        return data


@dataclass(frozen=True)
class Table:
    """A captioned table: `head` names the columns, each row is typed values, `foot` holds
    totals."""

    caption: str
    head: Sequence[str]
    rows: Sequence[Sequence[Value]]
    foot: Sequence[Sequence[Value]] = ()
    note: str = ""
    number: int = 0
    type: ClassVar[str] = "table"

    def __post_init__(self) -> None:
        for row in [*self.rows, *self.foot]:
            for cell in row:
                if not isinstance(cell, Value):
                    raise TypeError(f"{self.caption}: a cell must be a typed value, not {cell!r}")

    def cells(self) -> Iterator[Value]:
        for row in [*self.rows, *self.foot]:
            yield from row

    @property
    def numeric_columns(self) -> frozenset[int]:
        """The columns whose every figure is numeric (a blank cell aside): their headings are
        right-aligned above them. A row's header cell is never a figure."""
        kinds: dict[int, set[bool]] = {}
        for row in [*self.rows, *self.foot]:
            for column, cell in enumerate(row):
                if not cell.header and (cell.numeric or cell.text):
                    kinds.setdefault(column, set()).add(cell.numeric)
        return frozenset(column for column, numeric in kinds.items() if numeric == {True})

    @property
    def notes(self) -> str:
        """The note, with what any money in £k or £m means, and that amounts entered with
        pence are shown to the nearest pound where the table rounds them so."""
        money = [cell for cell in self.cells() if isinstance(cell, Money)]
        scales = {cell.scale for cell in money}
        extra = [SCALE_NOTES[scale] for scale in SCALE_NOTES if scale in scales]
        if any(
            cell.scale == Scale.POUNDS and cell.amount is not None and cell.amount % 1
            for cell in money
        ):
            extra.append(POUNDS_NOTE)
        return " ".join(part for part in [self.note, *extra] if part)

    def to_data(self) -> dict:
        return {
            "type": "table",
            "number": self.number,
            "caption": self.caption,
            "head": list(self.head),
            "rows": [[cell.to_data() for cell in row] for row in self.rows],
            "foot": [[cell.to_data() for cell in row] for row in self.foot],
            "note": self.notes,
        }


@dataclass(frozen=True)
class Chart:
    """A bar or line chart of series over labels; `value_format` names how its figures are
    written ("pounds", "count" or "percent"). The renderer draws it, and gives its figures
    as a table beside it."""

    style: str  # "bar" or "line"
    title: str
    labels: Sequence[str]
    series: Mapping[str, Sequence[ChartValue]]
    value_format: str
    number: int = 0
    # The drawing (a core.charts.Chart), made by reports.render: not what the paper says.
    rendered: Any = field(default=None, compare=False, repr=False)
    type: ClassVar[str] = "chart"

    def to_data(self) -> dict:
        return {
            "type": "chart",
            "number": self.number,
            "chart": self.style,
            "title": self.title,
            "labels": list(self.labels),
            "series": {
                name: [None if v is None else str(v) for v in values]
                for name, values in self.series.items()
            },
            "format": self.value_format,
        }


Block = Para | Table | Chart


@dataclass(frozen=True)
class Section:
    slug: str
    title: str
    blocks: Sequence[Block]
    missing: bool = False  # its narrative must be written before the paper is published

    def to_data(self) -> dict:
        data: dict = {
            "slug": self.slug,
            "title": self.title,
            "blocks": [block.to_data() for block in self.blocks],
        }
        if self.missing:
            data["missing"] = True
        return data


@dataclass(frozen=True)
class Paper:
    kind: str
    title: str
    partnership: str  # the agreement's title
    short_title: str
    slug: str
    period: str  # 2023/24-Q3
    period_text: str  # 2023/24 quarter 3, to 31 December 2023
    as_at: datetime.date
    draft: bool
    rule: disclosure.Rule
    sections: Sequence[Section]
    prepared: datetime.date

    @property
    def missing_narrative(self) -> list[str]:
        """The sections whose narrative must be written before publishing."""
        return [section.title for section in self.sections if section.missing]

    def hidden_counts(self) -> list[dict]:
        """Each count publishing will hide, by section and table, for the draft page."""
        return [
            {"section": section.title, "caption": block.caption, "cell": cell}
            for section in self.sections
            for block in section.blocks
            if isinstance(block, Table)
            for cell in block.cells()
            if cell.hidden
        ]

    def to_data(self) -> dict:
        """The paper as the plain data a published version freezes (JSON)."""
        return {
            "kind": self.kind,
            "title": self.title,
            "partnership": self.partnership,
            "short_title": self.short_title,
            "slug": self.slug,
            "period": self.period,
            "period_text": self.period_text,
            "as_at": self.as_at.isoformat(),
            "draft": self.draft,
            "rule": {
                "lowest_hidden": self.rule.lowest_hidden,
                "highest_hidden": self.rule.highest_hidden,
                "round_to": self.rule.round_to,
            },
            "sections": [section.to_data() for section in self.sections],
            "prepared": self.prepared.isoformat(),
        }
