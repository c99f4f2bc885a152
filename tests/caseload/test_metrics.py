from decimal import Decimal

import pytest

from caseload.metrics import caseload_per_wte, rounded, vacancy_rate


def test_caseload_per_wte_of_oxfordshire_rounds_to_24():
    assert rounded(caseload_per_wte(580, Decimal("24.2"))) == 24


def test_caseload_with_no_case_holding_staff_rejected():
    with pytest.raises(ValueError, match="no case-holding"):
        caseload_per_wte(10, Decimal(0))


def test_vacancy_rate_of_bromley_is_17_1_percent():
    assert rounded(vacancy_rate(Decimal(6), Decimal(35)) * 100, 1) == Decimal("17.1")


def test_more_vacancies_than_posts_rejected():
    with pytest.raises(ValueError, match="exceed"):
        vacancy_rate(Decimal(7), Decimal(6))
