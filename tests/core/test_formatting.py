"""core.formatting: every figure the project writes, to the penny, the place and the sign."""

import ast
import datetime
from decimal import Decimal
from pathlib import Path

import pytest

from core import formatting
from core.formatting import (
    MINUS,
    NOT_RECORDED,
    NOT_REPORTED,
    NOTHING,
    count,
    excludes,
    financial_year_label,
    listed,
    long_date,
    measure,
    millions_of_pounds,
    money,
    number,
    percent,
    quarter_label,
    thousands_of_pounds,
    whole_pounds,
    wte,
    wte_with_unit,
)

EVERY_NUMBER_FORMAT = [
    money,
    whole_pounds,
    thousands_of_pounds,
    millions_of_pounds,
    wte,
    wte_with_unit,
    count,
    measure,
    number,
    percent,
]

# Money in pounds and pence -------------------------------------------------------------------


def test_money_in_pounds_and_pence():
    assert money(Decimal("7204118.39")) == "£7,204,118.39"
    assert money(1618413) == "£1,618,413.00"
    assert money(Decimal("0.01")) == "£0.01"
    assert money(Decimal("12.5")) == "£12.50"


def test_money_rounds_to_the_penny_half_up():
    assert money(Decimal("7204118.385")) == "£7,204,118.39"
    assert money(Decimal("7204118.384")) == "£7,204,118.38"
    assert money(Decimal("0.005")) == "£0.01"  # not banker's rounding to £0.00
    assert money(Decimal("0.015")) == "£0.02"


def test_money_zero():
    assert money(0) == "£0.00"
    assert money(Decimal("0.00")) == "£0.00"


def test_money_negative_has_a_minus_sign_before_the_pound():
    assert money(Decimal("-12.5")) == f"{MINUS}£12.50"
    assert money(Decimal("-1234567.891")) == f"{MINUS}£1,234,567.89"
    assert money(Decimal("-0.005")) == f"{MINUS}£0.01"  # half away from zero


def test_money_negative_that_rounds_to_zero_has_no_sign():
    assert money(Decimal("-0.004")) == "£0.00"
    assert money(Decimal("-0")) == "£0.00"


# Money rounded to the pound, £k and £m -------------------------------------------------------


def test_whole_pounds_with_thousands_separators():
    assert whole_pounds(Decimal("1618413.00")) == "£1,618,413"
    assert whole_pounds(16828651) == "£16,828,651"
    assert whole_pounds(0) == "£0"
    assert whole_pounds(999) == "£999"
    assert whole_pounds(1000) == "£1,000"


def test_whole_pounds_rounds_half_up():
    assert whole_pounds(Decimal("1870574.50")) == "£1,870,575"
    assert whole_pounds(Decimal("1870574.49")) == "£1,870,574"
    assert whole_pounds(Decimal("0.5")) == "£1"
    assert whole_pounds(Decimal("2.5")) == "£3"  # not banker's rounding to £2


def test_whole_pounds_negative_uses_minus_sign_before_pound():
    assert whole_pounds(-1234) == f"{MINUS}£1,234"
    assert whole_pounds(Decimal("-1234.50")) == f"{MINUS}£1,235"  # half away from zero


def test_whole_pounds_negative_rounding_to_zero_has_no_sign():
    assert whole_pounds(Decimal("-0.40")) == "£0"
    assert whole_pounds(Decimal("-0.49")) == "£0"


def test_pennies_round_to_the_nearest_pound():
    assert whole_pounds(Decimal("0.01")) == "£0"
    assert whole_pounds(Decimal("0.49")) == "£0"
    assert whole_pounds(Decimal("0.50")) == "£1"
    assert whole_pounds(Decimal("-0.50")) == f"{MINUS}£1"


def test_thousands_of_pounds():
    assert thousands_of_pounds(Decimal("1618412.50")) == "£1,618k"
    assert thousands_of_pounds(Decimal("1618500")) == "£1,619k"  # half up
    assert thousands_of_pounds(Decimal("1618412.50"), places=1) == "£1,618.4k"
    assert thousands_of_pounds(499) == "£0k"
    assert thousands_of_pounds(500) == "£1k"
    assert thousands_of_pounds(-2500) == f"{MINUS}£3k"
    assert thousands_of_pounds(-499) == "£0k"


def test_millions_of_pounds_as_the_oxfordshire_paper_writes_them():
    assert millions_of_pounds(1800000) == "£1.8m"
    assert millions_of_pounds(Decimal("5800000.00")) == "£5.8m"
    assert millions_of_pounds(Decimal("16828651")) == "£16.8m"
    assert millions_of_pounds(1850000) == "£1.9m"  # half up
    assert millions_of_pounds(1849999) == "£1.8m"
    assert millions_of_pounds(Decimal("1234567.89"), places=2) == "£1.23m"
    assert millions_of_pounds(1234567890, places=0) == "£1,235m"
    assert millions_of_pounds(0) == "£0.0m"
    assert millions_of_pounds(-1800000) == f"{MINUS}£1.8m"
    assert millions_of_pounds(-49999) == "£0.0m"


# Staffing, counts and percentages ------------------------------------------------------------


def test_wte_as_the_papers_write_it():
    assert wte(Decimal("41.50")) == "41.5"
    assert wte(Decimal("4.70")) == "4.7"
    assert wte(Decimal("0.25")) == "0.25"
    assert wte(Decimal("35.00")) == "35"
    assert wte(Decimal("168")) == "168"
    assert wte(Decimal("1234.50")) == "1,234.5"
    assert wte(0) == "0"
    assert wte(Decimal("0.00")) == "0"


def test_wte_to_fewer_places_rounds_half_up():
    assert wte(Decimal("41.50"), places=1) == "41.5"
    assert wte(Decimal("0.25"), places=1) == "0.3"  # not banker's rounding to 0.2
    assert wte(Decimal("1.75"), places=1) == "1.8"
    assert wte(Decimal("0.04"), places=1) == "0"
    assert wte(Decimal("35.96"), places=1) == "36"
    assert wte(Decimal("10.00"), places=1) == "10"  # the zero of ten is kept
    assert wte(Decimal("100"), places=0) == "100"


def test_wte_negative_and_rounding_to_zero():
    assert wte(Decimal("-1.5")) == f"{MINUS}1.5"
    assert wte(Decimal("-0.04"), places=1) == "0"


def test_wte_with_unit_for_chart_axes():
    assert wte_with_unit(Decimal("41.5")) == "41.50 WTE"
    assert wte_with_unit(40) == "40.00 WTE"
    assert wte_with_unit(Decimal("1234.567")) == "1,234.57 WTE"
    assert wte_with_unit(Decimal("-0.5")) == f"{MINUS}0.50 WTE"


def test_count_thousands_separators():
    assert count(1664) == "1,664"
    assert count(Decimal("1234567")) == "1,234,567"
    assert count(-12) == f"{MINUS}12"
    assert count(0) == "0"


def test_count_of_a_decimal_rounds_half_up_to_whole():
    assert count(Decimal("23.5")) == "24"
    assert count(Decimal("24.49")) == "24"
    assert count(Decimal("-0.4")) == "0"


def test_measure_to_one_place_without_trailing_zero():
    assert measure(Decimal("12.50")) == "12.5"
    assert measure(12) == "12"
    assert measure(Decimal("100.0")) == "100"
    assert measure(Decimal("12.25")) == "12.3"
    assert measure(Decimal("1234.56")) == "1,234.6"


def test_number_to_places_keeps_trailing_zeros_so_a_column_lines_up():
    assert number(Decimal("41.5"), places=2) == "41.50"
    assert number(Decimal("12345.678"), places=1) == "12,345.7"
    assert number(Decimal("0.125"), places=2) == "0.13"  # half up
    assert number(7, places=1) == "7.0"
    assert number(Decimal("2.5"), places=0) == "3"


def test_number_without_places_keeps_the_places_it_has():
    assert number(12345) == "12,345"
    assert number(Decimal("1234.50")) == "1,234.50"
    assert number(0) == "0"


def test_number_negative_and_rounding_to_zero():
    assert number(-1500) == f"{MINUS}1,500"
    assert number(Decimal("-0.004"), places=2) == "0.00"


def test_percent_rounds_half_up_to_places():
    assert percent(Decimal("8.75")) == "8.8%"
    assert percent(Decimal("8.749")) == "8.7%"
    assert percent(12, places=0) == "12%"
    assert percent(Decimal("33.3333"), places=2) == "33.33%"
    assert percent(Decimal("-1.25")) == f"{MINUS}1.3%"
    assert percent(Decimal("2.5")) == "2.5%"
    assert percent(0) == "0.0%"
    assert percent(100) == "100.0%"
    assert percent(Decimal("1234.5"), places=0) == "1,235%"


def test_percent_negative_rounding_to_zero_has_no_sign():
    assert percent(Decimal("-0.04")) == "0.0%"


# Missing figures and wrong types -------------------------------------------------------------


@pytest.mark.parametrize("write", EVERY_NUMBER_FORMAT)
def test_a_missing_figure_is_not_recorded_as_the_pages_say(write):
    assert write(None) == NOT_RECORDED


@pytest.mark.parametrize("write", EVERY_NUMBER_FORMAT)
def test_a_paper_says_what_it_writes_for_a_missing_figure(write):
    assert write(None, missing=NOT_REPORTED) == "Not reported"
    assert write(None, missing=NOTHING) == "–"


@pytest.mark.parametrize("write", EVERY_NUMBER_FORMAT)
@pytest.mark.parametrize("value", [1618413.0, "1618413", True])
def test_floats_strings_and_booleans_are_refused(write, value):
    with pytest.raises(TypeError):
        write(value)


@pytest.mark.parametrize("write", EVERY_NUMBER_FORMAT)
@pytest.mark.parametrize("value", [Decimal("NaN"), Decimal("Infinity"), Decimal("-Infinity")])
def test_a_number_that_is_not_finite_is_refused(write, value):
    with pytest.raises(ValueError, match="finite"):
        write(value)


# Dates and periods ---------------------------------------------------------------------------


def test_long_date_as_the_papers_write_it():
    assert long_date(datetime.date(2026, 12, 2)) == "2 December 2026"
    assert long_date(datetime.date(2004, 7, 21)) == "21 July 2004"
    assert long_date(datetime.date(2024, 2, 29)) == "29 February 2024"
    assert long_date(datetime.date(1999, 1, 1)) == "1 January 1999"


def test_long_date_matches_the_format_it_replaces_every_month():
    for month in range(1, 13):
        day = datetime.date(2026, month, 9)
        assert long_date(day) == f"{day:%-d %B %Y}"


def test_long_date_of_a_datetime_is_its_day():
    assert long_date(datetime.datetime(2026, 12, 2, 23, 59)) == "2 December 2026"


def test_long_date_missing_and_refused():
    assert long_date(None) == NOT_RECORDED
    assert long_date(None, missing=NOTHING) == "–"
    with pytest.raises(TypeError):
        long_date("2026-12-02")


def test_financial_year_label_across_the_century():
    assert financial_year_label(2023) == "2023/24"
    assert financial_year_label(2024) == "2024/25"
    assert financial_year_label(1999) == "1999/00"
    assert financial_year_label(2009) == "2009/10"
    assert financial_year_label(2099) == "2099/00"


def test_financial_year_label_refuses_what_is_not_a_year():
    with pytest.raises(TypeError):
        financial_year_label("2023")
    with pytest.raises(TypeError):
        financial_year_label(Decimal(2023))


def test_quarter_label():
    assert quarter_label(2024, 1) == "2024/25 Q1"
    assert quarter_label(2023, 4) == "2023/24 Q4"
    assert quarter_label(1999, 3) == "1999/00 Q3"


@pytest.mark.parametrize("number", [0, 5, -1, True])
def test_quarter_label_refuses_a_quarter_that_is_not_one_to_four(number):
    with pytest.raises(ValueError, match="1 to 4"):
        quarter_label(2024, number)


# Layers --------------------------------------------------------------------------------------

PROJECT_APPS = {"config", "partnerships", "budgets", "caseload", "s117", "reports", "returns"}


def test_formatting_imports_nothing_from_the_project_or_django():
    tree = ast.parse(Path(formatting.__file__).read_text())
    imported = {
        name.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for name in (
            [alias.name for alias in node.names] if isinstance(node, ast.Import) else [node.module]
        )
    }
    assert imported <= {"datetime", "decimal"}, imported - {"datetime", "decimal"}
    assert not imported & PROJECT_APPS


def test_excludes_says_what_a_total_leaves_out():
    assert excludes([]) == ""
    assert excludes(["LBB"]) == "excludes LBB: not reported"
    assert excludes(["A", "B", "C"]) == "excludes A, B and C: not reported"


def test_listed_names_as_a_sentence_lists_them():
    assert listed([]) == ""
    assert listed(["A"]) == "A"
    assert listed(["A", "B"]) == "A and B"
