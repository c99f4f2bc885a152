import pytest
from hypothesis import given
from hypothesis import strategies as st

from s117.nhs_number import check_digit, is_valid, normalise, problem


def test_published_example_is_valid():
    # The example NHS number used in NHS Digital's own documentation.
    assert is_valid("9434765919")


def test_single_mistyped_digit_is_caught():
    assert not is_valid("9434765918")
    assert "check digit" in problem("9434765918")


def test_spaces_and_hyphens_are_dropped():
    assert normalise("943 476 5919") == "9434765919"
    assert normalise("943-476-5919") == "9434765919"


@pytest.mark.parametrize(("text", "says"), [("12345", "5 digits"), ("94347659AB", "10 digits")])
def test_problem_says_what_is_wrong(text, says):
    assert says in problem(text)


@given(st.text(alphabet="0123456789", min_size=9, max_size=9))
def test_every_number_built_with_its_check_digit_is_valid(first_nine):
    digit = check_digit(first_nine)
    if digit is None:
        assert not any(is_valid(first_nine + str(d)) for d in range(10))
    else:
        assert is_valid(first_nine + str(digit))
        assert not is_valid(first_nine + str((digit + 1) % 10))
