import re

from django.core.exceptions import ValidationError

from s117 import nhs_number

# A person's reference on the register: what the register's own system calls them, such as
# BR-S117-0002. It names their record in addresses and files, so it is kept to characters
# that mean nothing else in either (docs/import-formats.md).
REFERENCE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
REFERENCE_MAX = 30
REFERENCE_RULE = (
    f"should be 1 to {REFERENCE_MAX} letters, digits, hyphens (-), full stops (.) or "
    "underscores (_), starting with a letter or a digit, such as BR-S117-0002"
)


def validate_nhs_number(value: str) -> None:
    message = nhs_number.problem(value)
    if message:
        raise ValidationError(message, code="invalid_nhs_number")


def reference_problem(value: str) -> str | None:
    if len(value) > REFERENCE_MAX or not REFERENCE.fullmatch(value):
        return f"{REFERENCE_RULE}."
    return None


def validate_person_reference(value: str) -> None:
    problem = reference_problem(value)
    if problem:
        raise ValidationError(f"A reference {problem}", code="invalid_reference")
