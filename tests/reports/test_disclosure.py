import copy
import math
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reports.disclosure import (
    RULES,
    SUPPRESSED,
    AmountsHidden,
    Cell,
    ProtectedTable,
    Rule,
    protect_amounts,
    protect_breakdowns,
    protect_count,
    protect_list,
    protect_table,
    rule_for,
)

Position = tuple[int, int]


def shown(table: ProtectedTable) -> list[str]:
    """A one-column table as its figures, top to bottom, then its total."""
    return [row[0].shown for row in table.cells] + [cell.shown for cell in table.column_totals]


# Plain examples


def test_list_hides_a_small_team_and_the_next_smallest_so_the_total_gives_nothing_away():
    # 302 people on the register across four teams, one team with 5 of them.
    table = protect_list([5, 120, 97, 80], Rule())

    assert shown(table) == ["*", "120", "97", "*", "302"]
    assert [row[0].reason for row in table.cells] == ["small", "", "", "secondary"]
    assert table.cells[3][0].true_value == 80  # officers see what is hidden in the draft
    assert table.suppressed_count() == 2


def test_list_counts_of_eight_and_over_are_exact_by_default():
    table = protect_list([8, 9, 1664], Rule())

    assert shown(table) == ["8", "9", "1,664", "1,681"]
    assert table.suppressed_count() == 0


def test_list_zero_is_shown_and_not_chosen_while_a_non_zero_team_can_be():
    table = protect_list([0, 5, 40, 12], Rule())

    assert shown(table) == ["0", "*", "40", "*", "57"]


def test_list_hide_zero_hides_zeros_and_enough_else_that_they_could_be_more():
    # Two hidden zeros beside a shown 10 and a total of 10 would still add up to nothing.
    table = protect_list([0, 0, 10], Rule(hide_zero=True))

    assert shown(table) == ["*", "*", "*", "10"]
    assert [row[0].reason for row in table.cells] == ["small", "small", "secondary"]


def test_table_row_with_one_hidden_cell_and_a_shown_total_gets_a_second():
    table = protect_table([[3, 10, 12], [20, 2, 30]], Rule())

    assert [[cell.shown for cell in row] for row in table.cells] == [
        ["*", "*", "12"],
        ["*", "*", "30"],
    ]
    assert [cell.shown for cell in table.row_totals] == ["25", "52"]
    assert [cell.shown for cell in table.column_totals] == ["23", "12", "42"]
    assert table.grand_total.shown == "77"


def test_table_secondary_suppression_closes_a_loop_rather_than_opening_new_lines():
    # The smallest cell beside the 5 is 20, and below it 9; hiding 50 (not the smaller 12)
    # completes a rectangle, where 12 would leave its row giving it away.
    table = protect_table([[5, 20, 30], [10, 12, 40], [9, 50, 60]], Rule())

    assert [[cell.shown for cell in row] for row in table.cells] == [
        ["*", "*", "30"],
        ["10", "12", "40"],
        ["*", "*", "60"],
    ]
    assert table.suppressed_count() == 4


def test_table_hides_a_zero_cell_before_a_total():
    # Row 2 has its 30 hidden (below the 5), and only a zero besides: the zero is hidden
    # rather than the row total, and the four hidden cells can move together.
    table = protect_table([[5, 20], [30, 0]], Rule())

    assert [[cell.shown for cell in row] for row in table.cells] == [["*", "*"], ["*", "*"]]
    assert table.cells[1][1].reason == "secondary"
    assert [cell.shown for cell in table.row_totals] == ["25", "30"]
    assert [cell.shown for cell in table.column_totals] == ["35", "20"]


def test_table_small_totals_are_hidden_too():
    table = protect_table([[3, 0], [0, 0]], Rule())

    assert table.cells[0][0].reason == "small"
    assert table.row_totals[0].reason == "small"
    assert table.column_totals[0].reason == "small"
    assert table.grand_total.reason == "small"
    assert table.cells[0][1].shown == "0"


def test_table_without_totals_hides_only_small_counts():
    table = protect_table([[5, 40], [30, 9]], Rule(), row_totals=False, column_totals=False)

    assert [[cell.shown for cell in row] for row in table.cells] == [["*", "40"], ["30", "9"]]
    assert table.row_totals is None
    assert table.column_totals is None
    assert table.grand_total is None


def test_count_rounding_to_five_half_up():
    rule = Rule(round_to=5)

    assert protect_count(302, rule) == Cell(300, "300", "rounded", 302)
    assert protect_count(1664, rule) == Cell(1665, "1,665", "rounded", 1664)
    assert protect_count(7, rule) == Cell(None, SUPPRESSED, "small", 7)
    assert protect_count(8, rule).shown == "10"
    assert protect_count(580, rule) == Cell(580, "580", "", 580)


def test_count_rounding_half_up_to_an_even_base():
    assert protect_count(25, Rule(round_to=10)).shown == "30"  # banker's rounding gives 20
    assert protect_count(5, Rule(round_to=10, highest_hidden=2)).shown == "10"


def test_list_rounding_rounds_the_true_total_not_the_sum_of_rounded_cells():
    table = protect_list([5, 120, 97, 80], Rule(round_to=5))

    assert shown(table) == ["*", "120", "95", "*", "300"]  # 302 -> 300; 120 + 95 is 215


def test_count_zero_shown_by_default_and_hidden_when_configured():
    assert protect_count(0, Rule()) == Cell(0, "0", "", 0)
    assert protect_count(0, Rule(hide_zero=True)) == Cell(None, SUPPRESSED, "small", 0)


def test_count_wider_rule():
    assert protect_count(10, Rule(highest_hidden=10)).shown == SUPPRESSED
    assert protect_count(11, Rule(highest_hidden=10)).shown == "11"


# Rules and settings


def test_rules_default_to_hiding_one_to_seven_without_rounding():
    assert set(RULES) == {"jmg", "scrutiny", "decision"}
    assert all(rule == Rule(1, 7, None, False) for rule in RULES.values())


def test_rule_for_applies_a_settings_override_for_that_kind_only():
    overrides = {"scrutiny": {"round_to": 5, "highest_hidden": 9}}

    assert rule_for("scrutiny", overrides) == Rule(highest_hidden=9, round_to=5)
    assert rule_for("jmg", overrides) == Rule()
    assert rule_for("decision") == Rule()


def test_rule_for_rejects_an_unknown_kind_in_the_call_or_the_setting():
    with pytest.raises(ValueError, match="'minutes'"):
        rule_for("minutes")
    with pytest.raises(ValueError, match="'scrutney'"):
        rule_for("jmg", {"scrutney": {"round_to": 5}})


def test_rule_for_rejects_an_unknown_setting():
    with pytest.raises(ValueError, match="round_too"):
        rule_for("jmg", {"jmg": {"round_too": 5}})


@pytest.mark.parametrize(
    "arguments",
    [
        {"lowest_hidden": 0},
        {"lowest_hidden": 8, "highest_hidden": 7},
        {"lowest_hidden": 3, "highest_hidden": 3},
        {"highest_hidden": "7"},
        {"round_to": 0},
        {"round_to": 2.5},
        {"hide_zero": "yes"},
    ],
)
def test_rule_rejects_settings_that_would_not_protect(arguments):
    with pytest.raises(ValueError):
        Rule(**arguments)


def test_rules_are_read_only():
    with pytest.raises(TypeError):
        RULES["jmg"] = Rule()  # type: ignore[index]


# Bad input


@pytest.mark.parametrize("bad", [-1, 2.0, "3", None, True])
def test_table_rejects_a_bad_count_naming_its_row_and_column(bad):
    with pytest.raises(ValueError, match="row 2, column 3"):
        protect_table([[1, 2, 3], [4, 5, bad]], Rule())


def test_table_rejects_ragged_rows():
    with pytest.raises(ValueError, match="Row 2 has 1 counts; row 1 has 2"):
        protect_table([[1, 2], [3]], Rule())


def test_count_rejects_a_negative_count():
    with pytest.raises(ValueError, match="-4"):
        protect_count(-4, Rule())


def test_empty_list_has_a_zero_total():
    assert shown(protect_list([], Rule())) == ["0"]


# Breakdowns of one population, and the money beside them


def test_breakdowns_a_category_list_with_one_small_count_and_its_total_shown():
    # Worked by hand: 28 + 9 + 3 = 40. The 3 is small. Shown alone it would be 40 − 28 − 9,
    # so the next smallest, 9, is hidden too: the reader knows only that the two add to 12
    # and the 3 is 1–7, so the 9 is 5–11 and the 3 is 1–7. The team list, with nothing
    # small, is shown in full, with the same total.
    by_reason, by_team = protect_breakdowns([[28, 9, 3], [20, 12, 8]], 40, Rule())

    assert shown(by_reason) == ["28", "*", "*", "40"]
    assert [row[0].reason for row in by_reason.cells] == ["", "secondary", "small"]
    assert shown(by_team) == ["20", "12", "8", "40"]


def test_breakdowns_a_small_total_hides_every_count_in_every_table():
    # Five people: the total is small, and with it hidden, a table whose rows were shown
    # would give it back (the 0 here: 5 − 0), so everything is hidden in every table.
    tables = protect_breakdowns([[3, 1, 1], [5], [0, 5]], 5, Rule())

    assert [shown(table) for table in tables] == [["*"] * 4, ["*"] * 2, ["*"] * 3]
    assert [row[0].reason for row in tables[2].cells] == ["secondary", "small"]


def test_breakdowns_a_total_one_table_must_hide_is_hidden_in_all():
    # 7 + 7 = 14: two small counts the total pins (each at most 7), so the first list hides
    # its total; the second list, 10 and 4, would show the 14, so it hides everything too.
    first, second = protect_breakdowns([[7, 7], [10, 4]], 14, Rule())

    assert shown(first) == ["*", "*", "*"]
    assert shown(second) == ["*", "*", "*"]


def test_breakdowns_an_overlapping_list_may_count_more_than_the_people():
    # By placement, a person with two placements is in both rows: 14 + 10 + 6 + 2 = 32
    # placements of 30 people. Its total is the people, the same figure as the other list's.
    by_reason, by_placement = protect_breakdowns(
        [[21, 9], [14, 10, 6, 2]], 30, Rule(), overlapping=frozenset({1})
    )

    assert shown(by_placement) == ["14", "10", "*", "*", "30"]
    assert shown(by_reason) == ["21", "9", "30"]


@pytest.mark.parametrize(
    ("breakdowns", "people", "overlapping", "says"),
    [
        ([[20, 9]], 30, frozenset(), "adds up to 29 people, not 30"),
        ([[20, 9]], 30, frozenset({0}), "counts 29 people in its rows, fewer than 30"),
        ([[1]], -1, frozenset(), "at least 0"),
    ],
)
def test_breakdowns_refuse_lists_that_do_not_count_the_people(
    breakdowns, people, overlapping, says
):
    with pytest.raises(ValueError, match=says):
        protect_breakdowns(breakdowns, people, Rule(), overlapping=overlapping)


def test_amounts_are_hidden_with_their_people_and_never_alone():
    D = Decimal
    (people,) = protect_breakdowns([[28, 9, 3]], 40, Rule())
    spend = [[D("1000.00")], [D("300.00")], [D("90.00")]]

    assert protect_amounts(spend, people) == AmountsHidden(frozenset({1, 2}), totals=False)

    # Nobody counted in a row, but money spent there (on someone whose aftercare ended): it
    # is hidden, and with it the smallest other amount that isn't nought.
    (people,) = protect_breakdowns([[20, 12, 0, 8]], 40, Rule())
    spend = [[D("900.00")], [D("0.00")], [D("55.10")], [D("400.00")]]
    assert protect_amounts(spend, people) == AmountsHidden(frozenset({2, 3}), totals=False)

    # Everyone's count hidden: every amount and the totals are hidden.
    (people,) = protect_breakdowns([[3, 2]], 5, Rule())
    assert protect_amounts([[D(1)], [D(2)]], people) == AmountsHidden(
        frozenset({0, 1}), totals=True
    )


# Properties
#
# The attacker below reads the published table, knows it is rows and columns adding up to
# their totals, and knows every hidden count is a whole number of at least 0. With
# `knows_rule` they also know the rule and which `*` are small counts (not secondary ones),
# so those lie in 1–7 (0–7 with hide_zero). For every hidden cell and total, the test
# searches for a second value consistent with all of that.
#
# Guaranteed (and tested): no hidden count is pinned to one value by either attacker, unless,
# for the one who knows the rule, the rule alone gives it away when everything is hidden.
# Not guaranteed: a *wide* range (a hidden 6 may be known to be 6 or 7); an attacker who also
# reasons that secondary cells are 8 or more, or about which cell the algorithm would have
# chosen (the smallest in its line); rules whose small range has a gap (hide_zero with
# lowest_hidden above 1), where the module defends against the range without the gap.
# The attacker is given exact shown values even when they are rounded, which only makes it
# stronger.

counts = st.one_of(st.integers(0, 9), st.integers(0, 40))  # small counts common, as in life
tables = st.integers(1, 4).flatmap(
    lambda columns: st.lists(
        st.lists(counts, min_size=columns, max_size=columns), min_size=1, max_size=4
    )
)


ROUNDING = st.sampled_from([None, 5])


def rules(round_to: st.SearchStrategy = ROUNDING) -> st.SearchStrategy[Rule]:
    return st.builds(
        Rule,
        highest_hidden=st.sampled_from([7, 7, 7, 2, 10]),
        round_to=round_to,
        hide_zero=st.booleans(),
    )


def published_entries(table: ProtectedTable) -> dict[Position, tuple[Cell, list[Position]]]:
    """Every published figure by position (totals in the extra row and column) with the
    cells it adds up."""
    rows, columns = len(table.cells), len(table.cells[0])
    entries = {(i, j): (table.cells[i][j], [(i, j)]) for i in range(rows) for j in range(columns)}
    for i, cell in enumerate(table.row_totals or []):
        entries[i, columns] = (cell, [(i, j) for j in range(columns)])
    for j, cell in enumerate(table.column_totals or []):
        entries[rows, j] = (cell, [(i, j) for i in range(rows)])
    if table.grand_total is not None:
        entries[rows, columns] = (table.grand_total, list(entries)[: rows * columns])
    return entries


def has_solution(
    domains: dict[Position, tuple[float, float]],
    sums: list[tuple[list[Position], float, float]],
) -> bool:
    """Whether whole numbers within `domains` satisfy every `low <= sum(cells) <= high`.

    Narrow each cell's range from the sums until nothing changes, then split the widest
    range in two and try each half: exact, and quick for tables this small.
    """
    domains = dict(domains)
    changed = True
    while changed:
        changed = False
        for cells, low, high in sums:
            lowest = sum(domains[cell][0] for cell in cells)
            highest = sum(domains[cell][1] for cell in cells)
            if lowest > high or highest < low:
                return False
            for cell in cells:
                old_low, old_high = domains[cell]
                new_low = max(old_low, low - (highest - old_high))
                new_high = min(old_high, high - (lowest - old_low))
                if new_low > new_high:
                    return False
                if (new_low, new_high) != (old_low, old_high):
                    domains[cell], changed = (new_low, new_high), True
                    break  # the sums above are stale: start this sum again
    cell = max(domains, key=lambda cell: domains[cell][1] - domains[cell][0], default=None)
    if cell is None or domains[cell][0] == domains[cell][1]:
        return True  # every cell fixed and no sum objected
    low, high = domains[cell]
    middle = (low + high) // 2
    return has_solution(domains | {cell: (low, middle)}, sums) or has_solution(
        domains | {cell: (middle + 1, high)}, sums
    )


def recoverable(table: ProtectedTable, rule: Rule, *, knows_rule: bool) -> list[Position]:
    """The hidden entries for which the attacker finds only one consistent value."""
    entries = published_entries(table)
    small = (0 if rule.hide_zero else rule.lowest_hidden, rule.highest_hidden)

    def knowledge(cell: Cell) -> tuple[float, float]:
        if cell.value is not None:
            return cell.true_value, cell.true_value
        if knows_rule and cell.reason == "small":
            return small
        return 0, math.inf

    rows, columns = len(table.cells), len(table.cells[0])
    totals = [position for position in entries if position[0] == rows or position[1] == columns]
    hidden = {position for position, (cell, _) in entries.items() if cell.value is None}
    hidden_cells = hidden.difference(totals)
    # Search only within 1 of each true count. That can only make a second value harder to
    # find, so it can't make this test pass wrongly; and it loses nothing, because if any other
    # table fits what is published, so does one that differs by 1 around a loop of hidden cells.
    domains = {}
    for position in hidden_cells:
        cell = entries[position][0]
        low, high = knowledge(cell)
        domains[position] = (max(low, cell.true_value - 1), min(high, cell.true_value + 1))
    sums = [
        sum_of_hidden(entries[total][1], entries, hidden_cells, *knowledge(entries[total][0]))
        for total in totals
    ]

    pinned = []
    for position in sorted(hidden):
        cell, cells = entries[position]
        lower = sum_of_hidden(cells, entries, hidden_cells, -math.inf, cell.true_value - 1)
        higher = sum_of_hidden(cells, entries, hidden_cells, cell.true_value + 1, math.inf)
        if not any(has_solution(domains, [*sums, other]) for other in (lower, higher)):
            pinned.append(position)
    return pinned


def sum_of_hidden(cells, entries, hidden, low, high):
    """`low <= sum(cells) <= high` as a condition on the hidden cells alone."""
    known = sum(entries[cell][0].true_value for cell in cells if cell not in hidden)
    return [cell for cell in cells if cell in hidden], low - known, high - known


def published_with(counts: list[list[int]], hidden: set[Position]) -> ProtectedTable:
    """A table as a careless suppressor might publish it: exactly `hidden` cells as `*`,
    reason "small" for counts of 1–7, every total shown."""

    def cell(count: int, position: Position | None = None) -> Cell:
        if position in hidden:
            return Cell(None, SUPPRESSED, "small" if 1 <= count <= 7 else "secondary", count)
        return Cell(count, f"{count:,}", "", count)

    columns = list(zip(*counts, strict=True))
    return ProtectedTable(
        cells=[
            [cell(count, (i, j)) for j, count in enumerate(row)] for i, row in enumerate(counts)
        ],
        row_totals=[cell(sum(row)) for row in counts],
        column_totals=[cell(sum(column)) for column in columns],
        grand_total=cell(sum(map(sum, counts))),
    )


def test_attacker_recovers_a_cell_hidden_alone_and_one_whose_differences_give_it_away():
    # The attacker must be able to win, or the property below would prove nothing.
    alone = published_with([[5, 20], [30, 40]], {(0, 0)})
    # Hidden 1 and 7 on a diagonal: only the rule says 1 can't go down and 7 can't go up.
    diagonal = published_with([[1, 20], [20, 7]], {(0, 0), (0, 1), (1, 0), (1, 1)})

    # In one column, a row's total is its one cell.
    repeated = published_with([[5], [40]], {(0, 0), (1, 0)})

    assert recoverable(alone, Rule(), knows_rule=False) == [(0, 0)]
    assert recoverable(repeated, Rule(), knows_rule=False) == [(0, 0), (1, 0)]
    assert recoverable(diagonal, Rule(), knows_rule=False) == []
    assert recoverable(diagonal, Rule(), knows_rule=True) == [(0, 0), (0, 1), (1, 0), (1, 1)]


def test_table_a_cell_linking_two_hidden_blocks_is_not_given_away():
    # Hiding only until no row or column has a lone `*` leaves the 3 as the one link between
    # two hidden blocks, and the blocks' totals give it back: the first two columns' hidden
    # cells add to (50 - 34) + 46 = 62, less 16 in the third row, so 46 in the second, whose
    # hidden cells add to 77 - 28 = 49: the 3. So the second row's 28 is hidden too.
    counts = [[34, 0, 1, 4], [7, 39, 3, 28], [9, 7, 0, 10]]

    table = protect_table(counts, Rule())

    assert [[cell.shown for cell in row] for row in table.cells] == [
        ["34", "0", "*", "*"],
        ["*", "*", "*", "*"],
        ["*", "*", "0", "10"],
    ]
    assert recoverable(table, Rule(), knows_rule=False) == []
    assert recoverable(table, Rule(), knows_rule=True) == []


@pytest.mark.parametrize("knows_rule", [False, True])
@given(counts=tables, rule=rules(), row_totals=st.booleans(), column_totals=st.booleans())
def test_no_hidden_count_can_be_recovered(counts, rule, row_totals, column_totals, knows_rule):
    table = protect_table(counts, rule, row_totals=row_totals, column_totals=column_totals)

    pinned = recoverable(table, rule, knows_rule=knows_rule)
    # Knowing the rule can give a count away however much is hidden: [[1, 1]] hiding 1–2 is
    # all `*`, but two counts of at least 1 with a total of at most 2 are both 1. Then
    # everything is hidden; short of that, nothing may be pinned.
    everything_hidden = all(cell.value is None for cell in table.all_cells())
    assert pinned == [] or (knows_rule and everything_hidden)


@given(counts=tables, rule=rules(round_to=st.just(5)))
def test_with_rounding_every_shown_count_is_a_multiple_of_five(counts, rule):
    table = protect_table(counts, rule)

    for cell in table.all_cells():
        if cell.value is not None:
            assert cell.value % 5 == 0
            assert abs(cell.value - cell.true_value) <= 2  # the nearest multiple
            assert cell.shown == f"{cell.value:,}"


@given(counts=tables, rule=rules(round_to=st.none()))
def test_without_rounding_small_counts_hidden_and_the_rest_exact(counts, rule):
    table = protect_table(counts, rule)

    entries = published_entries(table)
    for cell, cells in entries.values():
        assert cell.true_value == sum(counts[i][j] for i, j in cells)
        if rule.lowest_hidden <= cell.true_value <= rule.highest_hidden:
            assert (cell.shown, cell.reason) == (SUPPRESSED, "small")
        elif cell.reason != "secondary" and not (cell.true_value == 0 and rule.hide_zero):
            assert (cell.value, cell.reason) == (cell.true_value, "")


@given(counts=tables, rule=rules(), row_totals=st.booleans())
def test_same_input_same_output(counts, rule, row_totals):
    first = protect_table(counts, rule, row_totals=row_totals)
    again = protect_table(copy.deepcopy(counts), rule, row_totals=row_totals)
    as_tuples = protect_table(tuple(map(tuple, counts)), rule, row_totals=row_totals)

    assert first == again == as_tuples
