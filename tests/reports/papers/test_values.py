"""A paper's cells are typed values: each writes itself with core.formatting and says
whether it is a figure to right-align, whatever its text looks like."""

import datetime
from decimal import Decimal

import pytest

from reports import disclosure
from reports.papers.values import WTE, Count, Date, Money, PeopleCount, Percent, Scale, Text

RULE = disclosure.Rule()


def test_money_is_written_to_the_pound_by_default_and_to_its_scale_when_asked():
    assert Money(Decimal("1618412.50")).text == "£1,618,413"
    assert Money(Decimal("7204118.385"), scale=Scale.PENCE).text == "£7,204,118.39"
    assert Money(Decimal("1618412.50"), scale=Scale.THOUSANDS).text == "£1,618k"
    assert Money(1800000, scale=Scale.MILLIONS).text == "£1.8m"
    assert Money(Decimal("-21587.40")).text == "\u2212£21,587"


def test_a_missing_figure_is_a_dash_unless_the_paper_says_not_reported():
    assert Money(None).text == "–"
    assert Money(None, missing="Not reported").text == "Not reported"
    assert Count(None).text == Percent(None).text == WTE(None).text == Date(None).text == "–"


def test_each_kind_writes_its_figure():
    assert Count(1664).text == "1,664"
    assert Percent(Decimal("8.75")).text == "8.8%"
    assert Percent(Decimal("33.333"), places=2).text == "33.33%"
    assert WTE(Decimal("41.50")).text == "41.5"
    assert WTE(Decimal("35.00")).text == "35"
    assert WTE(Decimal("0.25"), places=2).text == "0.25"
    assert Date(datetime.date(2026, 11, 30)).text == "30 November 2026"
    assert Text("Team A").text == "Team A"


def test_figures_are_numeric_by_their_kind_not_their_text():
    assert all(value.numeric for value in [Money(1), Money(None), Count(2), Percent(3), WTE(4)])
    assert not Text("1,234").numeric  # looks like a number, is a label
    assert not Text("–").numeric
    assert not Date(None).numeric  # a missing date is still a date


def test_a_row_header_is_any_kind_of_value():
    assert Text("Total", header=True).to_data() == {"text": "Total", "header": True}
    day = Date(datetime.date(2024, 11, 30), header=True)
    assert day.to_data() == {"text": "30 November 2024", "header": True}
    assert Money(5).to_data() == {"text": "£5"}


def test_a_hidden_count_keeps_its_true_value_in_a_draft_only():
    small = disclosure.protect_count(5, RULE)

    draft, published = PeopleCount(small, draft=True), PeopleCount(small)

    assert draft.text == published.text == "*"
    assert draft.hidden == published.hidden == "small"
    assert (draft.true, published.true) == ("5", "")
    assert draft.to_data() == {"text": "*", "hidden": "small", "true": "5"}
    assert published.to_data() == {"text": "*", "hidden": "small"}


def test_a_rounded_count_says_what_it_was_rounded_from_in_a_draft_only():
    rounded = disclosure.protect_count(1664, disclosure.Rule(round_to=5))

    draft, published = PeopleCount(rounded, draft=True), PeopleCount(rounded)

    assert draft.text == published.text == "1,665"
    assert (draft.rounded_from, published.rounded_from) == ("1,664", "")
    assert draft.hidden == "" and draft.true == ""
    assert published.to_data() == {"text": "1,665"}


def test_a_count_shown_as_it_is_has_nothing_to_explain():
    shown = PeopleCount(disclosure.protect_count(580, RULE), draft=True)

    assert shown.to_data() == {"text": "580"}
    assert shown.numeric and shown.kind == "people"


def test_values_are_frozen():
    with pytest.raises(AttributeError):
        Money(1).amount = 2
