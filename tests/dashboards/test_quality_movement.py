"""Whether a figure moved far more than it usually does (dashboards.quality.movement), and
the KPI and caseload checks that ask it (kpi_moved, caseload_moved)."""

from decimal import Decimal

import pytest

from caseload.models import CareActActivity
from dashboards.models import QualitySettings
from dashboards.quality.movement import Move, describe, index, quarter_of, unusual_move
from partnerships.models import KPIValue
from tests.dashboards.quality_helpers import found
from tests.factories import QuarterFactory

D = Decimal


def series(*values, start=100):
    return {start + i: D(v) for i, v in enumerate(values) if v is not None}


def test_quarter_index_runs_on_across_a_years_end():
    assert index(2022, 4) + 1 == index(2023, 1)
    assert quarter_of(index(2023, 1)) == (2023, 1)


def test_a_move_many_times_the_usual_change_is_unusual():
    values = series(50, 52, 50, 52, 50, 60)  # usual change 2; then 10

    assert unusual_move(values, 105, times=3, percent=50) == Move(D(50), D(60), D(2))
    assert unusual_move(values, 105, times=5, percent=50) is None


def test_a_move_within_the_usual_change_is_not_unusual_however_large_in_per_cent():
    values = series(10, 30, 10, 30, 10, 30)

    assert unusual_move(values, 105, times=3, percent=50) is None


def test_with_fewer_than_four_earlier_changes_a_move_is_judged_in_per_cent():
    values = series(100, 102, 104, 160)

    assert unusual_move(values, 103, times=3, percent=50) == Move(D(104), D(160), None)
    assert unusual_move(values, 103, times=3, percent=60) is None


def test_a_quarter_not_reported_breaks_the_changes_around_it():
    # Only two earlier changes are between quarters both reported: judged in per cent.
    values = series(50, 52, None, 52, 50, 60)

    assert unusual_move(values, 105, times=3, percent=50) is None


def test_nothing_to_judge_without_the_quarter_before_or_from_zero():
    assert unusual_move(series(10, None, 90), 102, times=3, percent=50) is None
    assert unusual_move(series(0, 90), 101, times=3, percent=50) is None
    assert unusual_move(series(5, 5), 101, times=3, percent=50) is None


def test_a_move_of_no_more_than_the_least_is_never_unusual():
    assert unusual_move(series(7, 11), 101, times=3, percent=50, at_least=10) is None
    assert unusual_move(series(7, 18), 101, times=3, percent=50, at_least=10) == Move(
        D(7), D(18), None
    )


def test_a_figure_that_never_moved_is_judged_in_per_cent():
    values = series(40, 40, 40, 40, 40, 70)

    assert unusual_move(values, 105, times=3, percent=50) == Move(D(40), D(70), None)


def test_a_move_is_described_in_the_figures_own_format():
    move = Move(D(50), D(60), D(2))

    assert describe(move, str, times=3, percent=50) == (
        "moved from 50 to 60, more than 3 times its usual change of 2"
    )


@pytest.mark.django_db
def test_a_kpi_moving_more_than_the_partnerships_percentage_is_flagged(bromley, django_user_model):
    jmg = django_user_model.objects.get(username="jmg.member")
    q4 = QuarterFactory(financial_year__start_year=2022, number=4)
    KPIValue.objects.filter(kpi__agreement=bromley, kpi__code="KPI 1", quarter=q4).update(
        value=D("20.00")
    )
    name = bromley.kpis.get(code="KPI 1").name

    assert found(jmg, bromley, q4, "kpi_moved") == [
        f"KPI 1 {name} moved from 86.0% to 20.0%, more than 50%"
    ]

    QualitySettings.objects.create(agreement=bromley, movement_percent=80)
    assert found(jmg, bromley, q4, "kpi_moved") == []


@pytest.mark.django_db
def test_a_kpi_with_history_is_judged_by_its_usual_change(bromley, django_user_model):
    jmg = django_user_model.objects.get(username="jmg.member")
    kpi = bromley.kpis.get(code="KPI 2")
    # Two earlier years moving by 1 a quarter, then 2022/23's 84, 88, 91, 92.
    for n, value in enumerate([80, 81, 80, 81, 80, 81, 80, 81]):
        year, number = quarter_of(index(2020, 1) + n)
        KPIValue.objects.create(
            kpi=kpi,
            quarter=QuarterFactory(financial_year__start_year=year, number=number),
            value=D(value),
        )
    q1 = QuarterFactory(financial_year__start_year=2022, number=1)

    # 81 -> 84 is three times the usual change of 1: not more than it.
    assert found(jmg, bromley, q1, "kpi_moved") == []
    KPIValue.objects.filter(kpi=kpi, quarter=q1).update(value=D("85.00"))
    assert found(jmg, bromley, q1, "kpi_moved") == [
        f"KPI 2 {kpi.name} moved from 81.0% to 85.0%, more than 3 times its usual change of 1.0%"
    ]
    QualitySettings.objects.create(agreement=bromley, movement_times_usual=4)
    assert found(jmg, bromley, q1, "kpi_moved") == []


@pytest.mark.django_db
def test_a_teams_care_act_count_moving_far_is_flagged(bromley, django_user_model):
    jmg = django_user_model.objects.get(username="jmg.member")
    q4 = QuarterFactory(financial_year__start_year=2022, number=4)
    team = "Bromley Community Mental Health Social Work Team"
    CareActActivity.objects.filter(team__name=team, quarter=q4).update(referrals=200)

    assert f"{team}'s referrals moved from 90 to 200, more than 50%" in found(
        jmg, bromley, q4, "caseload_moved"
    )
    assert (
        found(
            jmg,
            bromley,
            QuarterFactory(financial_year__start_year=2022, number=3),
            "caseload_moved",
        )
        == []
    )
