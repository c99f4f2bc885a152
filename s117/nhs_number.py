"""NHS number checks: ten digits whose last is a modulus 11 check digit."""

import re

_SEPARATORS = re.compile(r"[\s-]")


def normalise(text: str) -> str:
    """Drop the spaces and hyphens people type: '943 476 5919' → '9434765919'."""
    return _SEPARATORS.sub("", text or "")


def _digits(text: str) -> bool:
    """0-9 only: str.isdigit() also takes other scripts' digits and superscripts."""
    return text.isascii() and text.isdigit()


def check_digit(first_nine: str) -> int | None:
    """The check digit for nine digits, or None where no valid NHS number can follow them."""
    total = sum(
        int(digit) * weight for digit, weight in zip(first_nine, range(10, 1, -1), strict=True)
    )
    remainder = 11 - total % 11
    if remainder == 11:
        return 0
    if remainder == 10:
        return None
    return remainder


def is_valid(nhs_number: str) -> bool:
    if len(nhs_number) != 10 or not _digits(nhs_number):
        return False
    return check_digit(nhs_number[:9]) == int(nhs_number[9])


def problem(nhs_number: str) -> str | None:
    """Why a (normalised) NHS number is invalid, in words for the person who typed it."""
    if not _digits(nhs_number):
        return f"{nhs_number!r} is not an NHS number: it should be 10 digits."
    if len(nhs_number) != 10:
        return f"{nhs_number!r} has {len(nhs_number)} digits; an NHS number has 10."
    if not is_valid(nhs_number):
        return f"{nhs_number} fails the NHS number check digit: check it for a mistyped digit."
    return None
