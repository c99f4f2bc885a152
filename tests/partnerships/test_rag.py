from decimal import Decimal

import pytest

from partnerships.rag import RAG, Direction, rag_status


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("85", RAG.GREEN),
        ("90", RAG.GREEN),
        ("84.99", RAG.AMBER),
        ("75", RAG.AMBER),
        ("74", RAG.RED),
    ],
)
def test_higher_is_better(value, expected):
    rag = rag_status(
        Decimal(value), target=Decimal(85), amber_threshold=Decimal(75), direction=Direction.HIGHER
    )
    assert rag == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [("25", RAG.GREEN), ("20", RAG.GREEN), ("28", RAG.AMBER), ("28.5", RAG.RED)],
)
def test_lower_is_better(value, expected):
    rag = rag_status(
        Decimal(value), target=Decimal(25), amber_threshold=Decimal(28), direction=Direction.LOWER
    )
    assert rag == expected


def test_demo_kpi_values_rate_against_their_kpi(bromley):
    kpi = bromley.kpis.get(code="KPI 1")

    ratings = {v.quarter.label: v.rag for v in kpi.values.select_related("quarter__financial_year")}

    assert ratings == {
        "2022/23-Q1": RAG.AMBER,
        "2022/23-Q2": RAG.AMBER,
        "2022/23-Q3": RAG.GREEN,
        "2022/23-Q4": RAG.RED,
    }
