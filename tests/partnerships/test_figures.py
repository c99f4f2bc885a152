from decimal import Decimal

import pytest

from partnerships.templatetags.figures import wte


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (Decimal("41.50"), "41.5"),
        (Decimal("4.70"), "4.7"),
        (Decimal("0.25"), "0.25"),
        (35, "35"),
        (None, "Not recorded"),
    ],
)
def test_wte_written_as_the_papers_write_it(value, shown):
    assert wte(value) == shown
