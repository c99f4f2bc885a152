from django.core.exceptions import ValidationError

from s117 import nhs_number


def validate_nhs_number(value: str) -> None:
    message = nhs_number.problem(value)
    if message:
        raise ValidationError(message, code="invalid_nhs_number")
