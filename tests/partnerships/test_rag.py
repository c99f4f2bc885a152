from decimal import Decimal

import pytest

from partnerships.rag import RAG, Direction, rag_status
from tests.factories import AgreementFactory, QuarterFactory


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


# The rule in the database ------------------------------------------------------------------

# (direction, target, amber threshold): each with values on, either side of and far past
# each bound, to the penny.
RULES = [
    (Direction.HIGHER, "85", "75"),
    (Direction.HIGHER, "85", "85"),  # no amber band: short of the target is red
    (Direction.LOWER, "25", "28"),
    (Direction.LOWER, "0", "0"),
]
EDGES = ["-0.01", "0", "0.01", "1", "-1", "-5000"]


def values_around(target: str, amber: str) -> list[Decimal]:
    around = {Decimal(bound) + Decimal(edge) for bound in (target, amber) for edge in EDGES}
    return sorted(around | {Decimal(0), Decimal("9999999.99"), Decimal("-9999999.99")})


@pytest.fixture
def partnership(db):
    return AgreementFactory()


@pytest.fixture
def rated_values(partnership):
    """A KPI per rule and value, each with that one value in one quarter, and a KPI with no
    value: {KPIValue pk: the rating rag_status gives it}."""
    from partnerships.models import KPI, KPIValue

    quarter = QuarterFactory()
    expected = {}
    for number, (direction, target, amber) in enumerate(RULES):
        for index, value in enumerate(values_around(target, amber)):
            kpi = KPI.objects.create(
                agreement=partnership,
                code=f"T{number}.{index}",
                name="Edge case",
                definition="",
                unit=KPI.Unit.COUNT,
                direction=direction,
                target=Decimal(target),
                amber_threshold=Decimal(amber),
            )
            kpi_value = KPIValue.objects.create(kpi=kpi, quarter=quarter, value=value)
            expected[kpi_value.pk] = rag_status(
                value, target=kpi.target, amber_threshold=kpi.amber_threshold, direction=direction
            )
    KPI.objects.create(
        agreement=partnership,
        code="NONE",
        name="Never reported",
        definition="",
        unit=KPI.Unit.COUNT,
        direction=Direction.HIGHER,
        target=Decimal(85),
        amber_threshold=Decimal(75),
    )
    return expected


@pytest.mark.django_db
@pytest.mark.parametrize("rag", list(RAG))
def test_the_database_rates_each_value_as_rag_status_does(rated_values, rag):
    from partnerships.models import KPIValue
    from partnerships.rag import rag_condition

    condition = rag_condition(
        rag,
        target="kpi__target",
        amber_threshold="kpi__amber_threshold",
        direction="kpi__direction",
    )
    found = set(
        KPIValue.objects.filter(pk__in=rated_values).filter(condition).values_list("pk", flat=True)
    )

    assert found == {pk for pk, rated in rated_values.items() if rated == rag}
    assert found  # every rating has edge cases that reach it


@pytest.mark.django_db
@pytest.mark.parametrize("rag", list(RAG))
def test_a_kpi_rated_on_its_latest_value_in_the_database_as_in_python(
    rated_values, rag, partnership
):
    from partnerships.models import KPI
    from partnerships.rag import rag_condition
    from partnerships.selectors import with_latest_value

    kpis = with_latest_value(KPI.objects.filter(agreement=partnership, code__regex=r"^(T|NONE)"))

    found = set(
        kpis.filter(rag_condition(rag, value="latest_value")).values_list("code", flat=True)
    )

    assert found == {
        kpi.code
        for kpi in kpis
        if kpi.latest_value is not None and kpi.rag(kpi.latest_value) == rag
    }
    assert "NONE" not in found  # no value, no rating
