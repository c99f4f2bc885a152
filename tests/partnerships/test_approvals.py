from decimal import Decimal

import pytest

from partnerships.approvals import Threshold, approval_route

RULES = [
    Threshold(Decimal("100000"), "Chief Officer"),
    Threshold(Decimal("1000000"), "Executive", rule="CPR 13.1"),
]


@pytest.mark.parametrize(
    ("value", "approver"),
    [
        ("99999.99", None),
        ("100000.00", None),  # "over" is strictly more
        ("100000.01", "Chief Officer"),
        ("1000000.00", "Chief Officer"),
        ("1000000.01", "Executive"),
        ("3787914", "Executive"),
    ],
)
def test_route_is_the_highest_threshold_exceeded(value, approver):
    route = approval_route(Decimal(value), RULES)

    assert (route.approver if route else None) == approver


def test_negative_value_rejected():
    with pytest.raises(ValueError, match="negative"):
        approval_route(Decimal(-1), RULES)
