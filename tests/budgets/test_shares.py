from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from budgets.shares import RiskShareRule, allocate, as_percent, risk_share, shares, variance


def test_shares_of_bromley_pool():
    fractions = shares({"LBB": Decimal("1618413"), "Oxleas": Decimal("16828651")})

    assert as_percent(fractions["LBB"]) == Decimal("8.8")
    assert as_percent(fractions["Oxleas"]) == Decimal("91.2")


def test_shares_of_nothing_rejected():
    with pytest.raises(ValueError, match="£0"):
        shares({"A": Decimal(0), "B": Decimal(0)})


def test_negative_contribution_rejected():
    with pytest.raises(ValueError, match="negative"):
        shares({"A": Decimal(-1), "B": Decimal(2)})


def test_variance_positive_is_overspend():
    assert variance(Decimal("100"), Decimal("120")) == Decimal("20")
    assert variance(Decimal("100"), Decimal("90")) == Decimal("-10")


def test_allocate_gives_leftover_penny_to_largest_remainder():
    assert allocate(Decimal("0.10"), {"A": Decimal(1), "B": Decimal(1), "C": Decimal(1)}) == {
        "A": Decimal("0.04"),
        "B": Decimal("0.03"),
        "C": Decimal("0.03"),
    }


def test_proportional_risk_share_splits_total_overspend_by_plan():
    bearing = risk_share(
        RiskShareRule.PROPORTIONAL,
        planned={"OCC": Decimal("1800000"), "OHFT": Decimal("5800000")},
        forecast={"OCC": Decimal("1900000"), "OHFT": Decimal("5800000")},
    )

    # 100,000 overspend: OCC 18/76, OHFT 58/76
    assert bearing == {"OCC": Decimal("23684.21"), "OHFT": Decimal("76315.79")}


def test_own_risk_share_leaves_each_partner_its_own_variance():
    bearing = risk_share(
        RiskShareRule.OWN,
        planned={"LBB": Decimal("100"), "Oxleas": Decimal("1000")},
        forecast={"LBB": Decimal("90"), "Oxleas": Decimal("1050")},
    )

    assert bearing == {"LBB": Decimal("-10"), "Oxleas": Decimal("50")}


def test_fixed_risk_share_must_add_up_to_100():
    with pytest.raises(ValueError, match="100"):
        risk_share(
            RiskShareRule.FIXED,
            planned={"A": Decimal(1), "B": Decimal(1)},
            forecast={"A": Decimal(2), "B": Decimal(1)},
            fixed_percent={"A": Decimal(50), "B": Decimal(40)},
        )


def test_fixed_risk_share_uses_agreed_percentages():
    bearing = risk_share(
        RiskShareRule.FIXED,
        planned={"A": Decimal(100), "B": Decimal(300)},
        forecast={"A": Decimal(100), "B": Decimal(340)},
        fixed_percent={"A": Decimal(50), "B": Decimal(50)},
    )

    assert bearing == {"A": Decimal("20.00"), "B": Decimal("20.00")}


money = st.decimals(min_value=0, max_value=10**8, places=2)


@given(
    total=st.decimals(min_value=-(10**7), max_value=10**7, places=2),
    weights=st.dictionaries(st.text(min_size=1, max_size=3), money, min_size=1, max_size=6).filter(
        lambda w: sum(w.values()) > 0
    ),
)
def test_allocation_adds_up_to_the_penny(total, weights):
    parts = allocate(total, weights)

    assert sum(parts.values()) == total
    assert all(part == part.quantize(Decimal("0.01")) for part in parts.values())
