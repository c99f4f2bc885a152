"""Statistical disclosure control for counts of people in published reports.

Counts of people (the s117 register by team, caseloads of small teams, referrals and
assessments) can identify someone when they are small, so published output shows them as `*`
(1–7 by default; zero stays 0 unless a rule hides it too). Hiding a cell is not enough when a
total or a difference gives it back, so further cells are hidden as *secondary* suppressions
until no hidden value can be worked out from what is shown. Optionally (NHS Digital's
convention for record-level statistics) every shown count is rounded to the nearest 5, half
up, with totals rounded from the true totals. The default rule keeps counts of 8 and over
exact, as the seed papers do.

Money and staffing figures (WTE, posts) are not about identifiable people and are never
suppressed: callers simply don't pass them through this module.

What "can't be worked out" means here: an attacker knows every shown cell and total exactly,
knows every hidden count is a whole number of at least 0, and knows the rule and which `*`
are small counts, so those lie in its range (1–7). For every hidden cell and total, at least
two values are consistent with all of that, unless the rule's range alone gives a count away,
which no amount of hiding can prevent (seven hidden counts of at least 1 whose hidden total is
at most 7 are all 1); everything is then hidden. Rounding only blurs what the attacker knows,
so it is applied after suppression and never weakens it. Not guaranteed: a wide range (a
hidden 5 may be known to be 5 or 6), or protection from an attacker who also reasons about
*which* cells this algorithm chose as secondary suppressions.

The check is exact and cheap because of the shape of a table with totals: lay the totals out
as an extra row and column with a minus sign, and every row and column sums to zero. The
hidden entries are then the edges of a bipartite graph between rows and columns, and a hidden
value can change, keeping everything shown the same, exactly when it lies on a cycle of hidden
entries that can be walked while keeping every count within what the attacker knows of it (a
count at its lowest possible value can only go up). Such a table's constraint matrix is
totally unimodular, so a change possible in fractions is possible in whole numbers too.
"""

import dataclasses
import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

SUPPRESSED = "*"

Position = tuple[int, int]  # (row, column); totals are row `rows` and column `columns`
Node = tuple[str, int]  # ("row", i) or ("column", j) of the table with its totals


def _is_count(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


@dataclass(frozen=True)
class Rule:
    """How one kind of report protects counts of people."""

    lowest_hidden: int = 1  # the smallest count shown as `*` (zero is governed by hide_zero)
    highest_hidden: int = 7  # the largest count shown as `*`
    round_to: int | None = None  # round every shown count to a multiple of this, half up
    hide_zero: bool = False  # also show zero as `*` ("none" can be as telling as "one")

    def __post_init__(self) -> None:
        for name in ("lowest_hidden", "highest_hidden"):
            if not _is_count(getattr(self, name)):
                raise ValueError(f"{name} must be a whole number (got {getattr(self, name)!r}).")
        if not 1 <= self.lowest_hidden <= self.highest_hidden:
            raise ValueError(
                f"Hidden counts must run from at least 1 upwards "
                f"(got {self.lowest_hidden}–{self.highest_hidden}); use hide_zero for zero."
            )
        if self.lowest_hidden == self.highest_hidden and not self.hide_zero:
            # A `*` that can only mean one number tells the reader that number.
            raise ValueError(f"A rule that hides only {self.lowest_hidden} would disclose it.")
        if self.round_to is not None and not (_is_count(self.round_to) and self.round_to >= 1):
            raise ValueError(f"round_to must be a positive whole number (got {self.round_to!r}).")
        if not isinstance(self.hide_zero, bool):
            raise ValueError(f"hide_zero must be True or False (got {self.hide_zero!r}).")

    def is_small(self, count: int) -> bool:
        return self.lowest_hidden <= count <= self.highest_hidden or (count == 0 and self.hide_zero)

    def small_range(self) -> tuple[int, int]:
        """What an attacker who knows this rule knows of a count hidden as small.

        With hide_zero and lowest_hidden above 1 that knowledge ({0} and 2–7, say) has a gap;
        the check uses the range without the gap, which is slightly weaker.
        """
        return (0 if self.hide_zero else self.lowest_hidden, self.highest_hidden)


# Read-only: the defaults are shared by every request; a setting overrides them via rule_for.
RULES: Mapping[str, Rule] = MappingProxyType(
    {"jmg": Rule(), "scrutiny": Rule(), "decision": Rule()}
)


def rule_for(kind: str, overrides: Mapping[str, Mapping[str, object]] | None = None) -> Rule:
    """The rule for a report kind, with any overrides from a setting applied.

    `overrides` is keyed by report kind, e.g. `{"scrutiny": {"round_to": 5}}`. A misspelt
    kind or field fails loudly: a typo must not quietly publish small counts.
    """
    overrides = overrides or {}
    for name in [kind, *overrides]:
        if name not in RULES:
            raise ValueError(f"No disclosure rule for report kind {name!r}; kinds: {list(RULES)}.")
    fields = {field.name for field in dataclasses.fields(Rule)}
    changes = dict(overrides.get(kind, {}))
    if unknown := sorted(set(changes) - fields):
        raise ValueError(
            f"Unknown disclosure rule setting(s) {unknown}; settings: {sorted(fields)}."
        )
    return dataclasses.replace(RULES[kind], **changes)


@dataclass(frozen=True)
class Cell:
    """One published figure, with what the draft view needs to explain it to officers."""

    value: int | None  # the number shown, or None when suppressed
    shown: str  # "*" or the formatted number, e.g. "1,664"
    reason: str  # "" | "small" (primary) | "secondary" | "rounded" (shown differs from true)
    true_value: int  # the real count: for officers' draft view, never published


@dataclass(frozen=True)
class ProtectedTable:
    cells: list[list[Cell]]  # rows x columns
    row_totals: list[Cell] | None
    column_totals: list[Cell] | None
    grand_total: Cell | None

    def all_cells(self) -> Iterator[Cell]:
        """Every published figure: cells, then row totals, column totals and the grand total."""
        for row in self.cells:
            yield from row
        yield from self.row_totals or []
        yield from self.column_totals or []
        if self.grand_total is not None:
            yield self.grand_total

    def suppressed_count(self) -> int:
        return sum(1 for cell in self.all_cells() if cell.value is None)


def protect_count(count: int, rule: Rule) -> Cell:
    """A single figure quoted in prose: nothing adds up to it, so only its own size matters."""
    if not _is_count(count) or count < 0:
        raise ValueError(f"A count must be a whole number of at least 0 (got {count!r}).")
    return _publish(count, "small" if rule.is_small(count) else "", rule)


def protect_list(counts: Sequence[int], rule: Rule, *, total: bool = True) -> ProtectedTable:
    """Counts with an optional total, e.g. people on the register by team: a one-column table."""
    rows = [[count] for count in counts]
    return _protect(rows, rule, columns=1, row_totals=False, column_totals=total)


def protect_table(
    counts: Sequence[Sequence[int]],
    rule: Rule,
    *,
    row_totals: bool = True,
    column_totals: bool = True,
) -> ProtectedTable:
    """Counts of people by row and column, with totals computed here from the counts.

    The grand total is published only when both row and column totals are.
    """
    columns = len(counts[0]) if counts else 0
    return _protect(
        counts, rule, columns=columns, row_totals=row_totals, column_totals=column_totals
    )


def _protect(
    counts: Sequence[Sequence[int]],
    rule: Rule,
    *,
    columns: int,  # given, not read from the first row: an empty list still has one column
    row_totals: bool,
    column_totals: bool,
) -> ProtectedTable:
    rows = _check_shape(counts, columns)
    true: dict[Position, int] = {(i, j): counts[i][j] for i in range(rows) for j in range(columns)}
    if row_totals:
        true |= {(i, columns): sum(counts[i]) for i in range(rows)}
    if column_totals:
        true |= {(rows, j): sum(row[j] for row in counts) for j in range(columns)}
    if row_totals and column_totals:
        true[rows, columns] = sum(map(sum, counts))

    reasons = {position: "small" for position, count in true.items() if rule.is_small(count)}
    _add_secondary_suppressions(true, reasons, rule, rows, columns)

    def cell(position: Position) -> Cell:
        return _publish(true[position], reasons.get(position, ""), rule)

    return ProtectedTable(
        cells=[[cell((i, j)) for j in range(columns)] for i in range(rows)],
        row_totals=[cell((i, columns)) for i in range(rows)] if row_totals else None,
        column_totals=[cell((rows, j)) for j in range(columns)] if column_totals else None,
        grand_total=cell((rows, columns)) if row_totals and column_totals else None,
    )


def _check_shape(counts: Sequence[Sequence[int]], columns: int) -> int:
    for i, row in enumerate(counts, start=1):
        if len(row) != columns:
            raise ValueError(f"Row {i} has {len(row)} counts; row 1 has {columns}.")
        for j, count in enumerate(row, start=1):
            if not _is_count(count) or count < 0:
                raise ValueError(
                    f"The count in row {i}, column {j} must be a whole number of at least 0 "
                    f"(got {count!r})."
                )
    return len(counts)


def _publish(true_value: int, reason: str, rule: Rule) -> Cell:
    if reason:
        return Cell(None, SUPPRESSED, reason, true_value)
    shown = true_value
    if rule.round_to is not None:
        # Half up in whole numbers (no floats): 302 -> 300, 1,664 -> 1,665, 15 -> 20 to 10s.
        shown = (2 * true_value + rule.round_to) // (2 * rule.round_to) * rule.round_to
    return Cell(shown, f"{shown:,}", "rounded" if shown != true_value else "", true_value)


def _add_secondary_suppressions(
    true: dict[Position, int], reasons: dict[Position, str], rule: Rule, rows: int, columns: int
) -> None:
    """Hide more entries, one at a time, until no hidden value can be worked out.

    First the classic case: a published row or column with one hidden entry gives it away by
    subtraction. Then anything still pinned (by a chain of differences, or by zero as a lower
    bound). Each suppression can expose another, hence the loop; each step hides one more
    entry, so it ends, at worst with everything hidden.
    """
    table = _Table(true, reasons, rows, columns)
    while True:
        lines = [line for line in table.published_lines() if table.unknowns(line) == 1]
        if not lines:
            pinned = _first_pinned(table, rule)
            if pinned is None:
                return
            lines = sorted(table.published_lines_through(pinned), key=table.unknowns)
        choice = _choose_secondary(table, lines)
        if choice is None:  # nothing left to hide
            return
        reasons[choice] = "secondary"


@dataclass(frozen=True)
class _Table:
    """The counts with their totals as an extra row and column, and which entries are hidden.

    A line is a row or a column ("row", i) / ("column", j), totals included; its last entry is
    its total. Entries not in `true` are totals the caller didn't ask for: unknown to readers.
    """

    true: dict[Position, int]
    reasons: dict[Position, str]  # the hidden entries and why
    rows: int
    columns: int

    def entries(self, line: Node) -> list[Position]:
        kind, k = line
        if kind == "row":
            return [(k, j) for j in range(self.columns + 1)]
        return [(i, k) for i in range(self.rows + 1)]

    def is_unknown(self, position: Position) -> bool:
        return position not in self.true or position in self.reasons

    def unknowns(self, line: Node) -> int:
        return sum(1 for position in self.entries(line) if self.is_unknown(position))

    def published_lines(self) -> list[Node]:
        lines = [("row", i) for i in range(self.rows + 1)]
        lines += [("column", j) for j in range(self.columns + 1)]
        return [line for line in lines if self.entries(line)[-1] in self.true]

    def published_lines_through(self, position: Position) -> list[Node]:
        lines = [("row", position[0]), ("column", position[1])]
        return [line for line in lines if self.entries(line)[-1] in self.true]

    def is_total(self, position: Position) -> bool:
        return position[0] == self.rows or position[1] == self.columns


def _choose_secondary(table: _Table, lines: list[Node]) -> Position | None:
    """The entry to hide next: in the first of `lines` with anything shown, else anywhere."""
    for line in lines:
        entries = table.entries(line)
        shown = [p for p in entries if not table.is_unknown(p)]
        if shown:
            return min(shown, key=lambda p: _preference(table, p, line, is_total=p == entries[-1]))
    shown = [p for p in table.true if p not in table.reasons]
    if not shown:
        return None
    return min(shown, key=lambda p: _preference(table, p, None, is_total=table.is_total(p)))


def _preference(table: _Table, position: Position, line: Node | None, *, is_total: bool) -> tuple:
    """Order secondary candidates, best first.

    A non-zero cell, which can move either way; then a zero (it can only move up, but that is
    often enough); the total only when the line has no other cell, as readers lose most by it.
    Then one whose other line already has something unknown, so hiding it closes a loop rather
    than giving away a new line; then the smallest; then the earliest, to be deterministic.
    """
    rank = 2 if is_total else 0 if table.true[position] > 0 else 1
    cross = ("column", position[1]) if line is None or line[0] == "row" else ("row", position[0])
    opens_a_line = table.unknowns(cross) == 0
    return rank, opens_a_line, table.true[position], position


def _first_pinned(table: _Table, rule: Rule) -> Position | None:
    """The first hidden entry that an attacker could work out exactly, if any."""
    arcs = list(_arcs(table, rule))
    for position in sorted(table.reasons):
        if not any(
            _reachable(arcs, start=end, goal=start, without=position)
            for start, end, entry in arcs
            if entry == position
        ):
            return position
    return None


def _arcs(table: _Table, rule: Rule) -> Iterator[tuple[Node, Node, Position]]:
    """The steps a cycle of unknown entries may take, keeping each within what is known of it.

    Stepping along an entry from its row to its column adds one to it in the table where
    totals carry a minus sign, so it adds one to a cell or the grand total and takes one from
    a row or column total. Totals left out of the table are unknown and unbounded.
    """
    small_low, small_high = rule.small_range()
    for i in range(table.rows + 1):
        for j in range(table.columns + 1):
            if (i, j) not in table.true:
                low, high, value = -math.inf, math.inf, 0
            elif (i, j) in table.reasons:
                value = table.true[i, j]
                small = table.reasons[i, j] == "small"
                low, high = (small_low, small_high) if small else (0, math.inf)
            else:
                continue  # shown: fixed
            can_rise, can_fall = value < high, value > low
            # Row and column totals carry the minus sign; the grand total, a sum of them, doesn't.
            minus = (i == table.rows) != (j == table.columns)
            if can_fall if minus else can_rise:
                yield ("row", i), ("column", j), (i, j)
            if can_rise if minus else can_fall:
                yield ("column", j), ("row", i), (i, j)


def _reachable(
    arcs: list[tuple[Node, Node, Position]], *, start: Node, goal: Node, without: Position
) -> bool:
    seen, frontier = {start}, [start]
    while frontier:
        node = frontier.pop()
        if node == goal:
            return True
        for tail, head, entry in arcs:
            if tail == node and entry != without and head not in seen:
                seen.add(head)
                frontier.append(head)
    return False


def protect_breakdowns(
    breakdowns: Sequence[Sequence[int]],
    people: int,
    rule: Rule,
    *,
    overlapping: frozenset[int] = frozenset(),
) -> list[ProtectedTable]:
    """Several breakdowns of the same `people` in one paper (by reason, by team, ...), each a
    one-column table whose total is `people`.

    A breakdown's rows add up to `people`, unless its index is in `overlapping` (a person
    may be in more than one of its rows, so its rows add up to at least `people`). Each is
    protected on its own, as `protect_list` does; its total is published as the one figure
    it is in every table. A difference between two of these tables is a difference of their
    totals, which is nought, so while the total is shown no table gives away what another
    hides. When the total must be hidden (it is small, or one table needs it hidden) it is
    hidden in every table, and then so is every count in them: a total hidden in one table
    and worked out from the rows of another would give the first table's hidden counts
    back. With everything hidden, a reader knows only what the rule says of each count.
    """
    if not _is_count(people) or people < 0:
        raise ValueError(f"The number of people must be a whole number of at least 0 ({people!r}).")
    tables = []
    for index, counts in enumerate(breakdowns):
        added = sum(counts)
        if index in overlapping and added < people:
            raise ValueError(
                f"Breakdown {index + 1} counts {added} people in its rows, fewer than {people}."
            )
        if index not in overlapping and added != people:
            raise ValueError(
                f"Breakdown {index + 1} adds up to {added} people, not {people}: every breakdown "
                "must count the same people once."
            )
        tables.append(protect_list(counts, rule))
    total = protect_count(people, rule)
    if total.value is None or any(table.column_totals[0].value is None for table in tables):
        return [_everything_hidden(table, people, rule) for table in tables]
    return [dataclasses.replace(table, column_totals=[total]) for table in tables]


def _everything_hidden(table: ProtectedTable, people: int, rule: Rule) -> ProtectedTable:
    def hidden(true_value: int) -> Cell:
        reason = "small" if rule.is_small(true_value) else "secondary"
        return Cell(None, SUPPRESSED, reason, true_value)

    return dataclasses.replace(
        table,
        cells=[[hidden(cell.true_value) for cell in row] for row in table.cells],
        column_totals=[hidden(people)],
    )


@dataclass(frozen=True)
class AmountsHidden:
    """Which rows' amounts (spend) a breakdown of people hides, and whether its totals too."""

    rows: frozenset[int]
    totals: bool


def protect_amounts(amounts: Sequence[Sequence[object]], people: ProtectedTable) -> AmountsHidden:
    """What a table of counts of people with amounts beside them (the spend on those people)
    must hide of the amounts, given how its counts are protected (`protect_breakdowns`).

    An amount is about the people it is spent on, so it is hidden where their count is
    hidden, and where no one is counted but something was spent (on someone whose aftercare
    has ended). A lone hidden amount in a column whose total is shown would be that total
    less the rest, so a second is hidden with it: the smallest shown amount that is not
    nought. Amounts are not bounded as counts are, so two hidden amounts that add up to more
    than nought can each be anything up to that sum. When the count of everyone is hidden,
    every amount and total is.

    `amounts` are the rows' amounts, a sequence per row (spend to date, for the year, ...),
    in the order of the counts' rows.
    """
    if len(amounts) != len(people.cells):
        raise ValueError(f"{len(amounts)} rows of amounts for {len(people.cells)} rows of people.")
    if people.column_totals and people.column_totals[0].value is None:
        return AmountsHidden(frozenset(range(len(amounts))), totals=True)
    hidden = {
        index
        for index, (row, count) in enumerate(zip(amounts, people.cells, strict=True))
        if count[0].value is None or (count[0].true_value == 0 and any(row))
    }
    if len(hidden) == 1:
        others = [index for index, row in enumerate(amounts) if index not in hidden and any(row)]
        if not others:
            return AmountsHidden(frozenset(range(len(amounts))), totals=True)
        hidden.add(min(others, key=lambda index: (max(amounts[index]), index)))
    return AmountsHidden(frozenset(hidden), totals=False)
