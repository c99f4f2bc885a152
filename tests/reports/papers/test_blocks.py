"""Tables know which of their columns are figures from their cells' kinds, say what a money
scale means, and freeze into the plain data published versions have always held."""

import datetime
from decimal import Decimal

import pytest

from reports import disclosure
from reports.papers.blocks import Chart, Para, Section, Table
from reports.papers.values import WTE, Count, Date, Money, PeopleCount, Scale, Text


def test_a_cell_that_is_not_a_typed_value_is_refused():
    with pytest.raises(TypeError, match="Posts: a cell must be a typed value, not '12'"):
        Table("Posts", ["Team", "Posts"], [[Text("A", header=True), "12"]])


def test_columns_of_figures_are_numeric_whatever_their_text():
    table = Table(
        "Mixed",
        ["Partner", "Planned", "Forecast", "Posts", "Role", "Due"],
        [
            [
                Text("LBB", header=True),
                Money(Decimal("1618413")),
                Money(None, missing="Not reported"),
                Count(12),
                Text("12"),  # a label that looks like a number: left as it is
                Date(None),  # every due date missing: still dates, not figures
            ],
            [
                Text("Oxleas", header=True),
                Money(Decimal("16828651")),
                Money(None),
                Count(3),
                Text("Social worker"),
                Date(None),
            ],
        ],
        foot=[[Text("Total", header=True), Money(1), Money(None), Count(15), Text(""), Text("")]],
    )

    assert table.numeric_columns == {1, 2, 3}


def test_a_column_with_a_label_among_its_figures_is_not_numeric():
    table = Table(
        "KPIs",
        ["KPI", "Value"],
        [[Text("KPI 1", header=True), Count(5)], [Text("KPI 2", header=True), Text("n/a")]],
    )

    assert table.numeric_columns == frozenset()


def test_a_table_in_millions_says_so_in_its_note():
    table = Table(
        "Planned contributions, 2018/19",
        ["Partner", "Planned"],
        [[Text("OCC", header=True), Money(1800000, scale=Scale.MILLIONS)]],
        note="From the partners' budgets.",
    )

    assert table.rows[0][1].text == "£1.8m"
    assert table.notes == (
        "From the partners' budgets. £m is millions of pounds, to one decimal place."
    )
    assert table.to_data()["note"] == table.notes


def test_a_table_in_pounds_has_only_its_own_note():
    table = Table("Plan", ["Partner", "Planned"], [[Text("OCC", header=True), Money(1)]])

    assert table.notes == ""


def test_a_table_freezes_as_published_versions_hold_it():
    hidden = disclosure.protect_count(3, disclosure.Rule())
    table = Table(
        "Posts by team",
        ["Team", "Posts", "WTE", "People"],
        [[Text("AMHT", header=True), Count(35), WTE(Decimal("41.50")), PeopleCount(hidden)]],
        foot=[[Text("Total", header=True), Count(35), WTE(Decimal("41.5")), PeopleCount(hidden)]],
        note="A note.",
        number=4,
    )

    assert table.to_data() == {
        "type": "table",
        "number": 4,
        "caption": "Posts by team",
        "head": ["Team", "Posts", "WTE", "People"],
        "rows": [
            [
                {"text": "AMHT", "header": True},
                {"text": "35"},
                {"text": "41.5"},
                {"text": "*", "hidden": "small"},
            ]
        ],
        "foot": [
            [
                {"text": "Total", "header": True},
                {"text": "35"},
                {"text": "41.5"},
                {"text": "*", "hidden": "small"},
            ]
        ],
        "note": "A note.",
    }


def test_paragraphs_charts_and_sections_freeze_as_before():
    chart = Chart(
        "bar", "Value by year", ["2024", "2025"], {"Value": [Decimal("1.50"), None]}, "pounds"
    )
    section = Section(
        "background",
        "Background",
        [Para("Written.", narrative=True), Para("Not yet.", placeholder=True), chart],
        missing=True,
    )

    assert section.to_data() == {
        "slug": "background",
        "title": "Background",
        "blocks": [
            {"type": "para", "text": "Written.", "narrative": True},
            {"type": "para", "text": "Not yet.", "placeholder": True},
            {
                "type": "chart",
                "number": 0,
                "chart": "bar",
                "title": "Value by year",
                "labels": ["2024", "2025"],
                "series": {"Value": ["1.50", None]},
                "format": "pounds",
            },
        ],
        "missing": True,
    }
    assert Para("Plain.", number="3.2").to_data() == {"type": "para", "text": "Plain."}
    assert Date(datetime.date(2026, 1, 1)).kind == "date"
