"""Returns late: a quarter's return not submitted, or not signed off, by the dates its
partnership's timetable sets (returns.quality.return_late, registered with the dashboards'
checks from the returns app)."""

import datetime

import pytest
from django.utils import timezone

from dashboards.quality import CHECKS
from returns.models import QuarterlyReturn, ReturnSchedule
from tests.dashboards.quality_helpers import found
from tests.factories import QuarterFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def jmg(django_user_model):
    return django_user_model.objects.get(username="jmg.member")


@pytest.fixture
def q2():
    # 2026/27 Q2 ended on 30 September 2026; its return was due 20 working days later, on
    # 28 October, and its sign-off 10 after that, on 11 November (the default timetable).
    return QuarterFactory(financial_year__start_year=2026, number=2)


def at(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def test_the_returns_check_is_registered_from_the_returns_app():
    assert "return_late" in [check.code for check in CHECKS]


def test_a_return_not_submitted_by_its_date_is_flagged(bromley, q2, jmg):
    assert found(jmg, bromley, q2, "return_late") == [
        "The 2026/27 Q2 return was due by 28 October 2026 and has not been submitted"
    ]


def test_a_return_not_yet_due_is_not_flagged(bromley, jmg):
    q3 = QuarterFactory(financial_year__start_year=2026, number=3)

    assert found(jmg, bromley, q3, "return_late") == []


def test_the_partnerships_own_timetable_sets_the_dates(bromley, q2, jmg):
    ReturnSchedule.objects.create(agreement=bromley, return_working_days=60)

    assert found(jmg, bromley, q2, "return_late") == []


def test_a_return_submitted_on_time_but_not_signed_off_by_its_date_is_flagged(bromley, q2, jmg):
    QuarterlyReturn.objects.create(
        agreement=bromley,
        quarter=q2,
        status="submitted",
        submitted_by=jmg,
        submitted_at=at(datetime.date(2026, 10, 20)),
    )

    assert found(jmg, bromley, q2, "return_late") == [
        "The 2026/27 Q2 return has not been signed off: sign-off was due by 11 November 2026"
    ]


def test_a_return_submitted_and_signed_off_late_says_both(bromley, q2, jmg):
    QuarterlyReturn.objects.create(
        agreement=bromley,
        quarter=q2,
        status="signed_off",
        submitted_by=jmg,
        submitted_at=at(datetime.date(2026, 11, 2)),
        signed_off_by=jmg,
        signed_off_at=at(datetime.date(2026, 11, 20)),
    )

    assert found(jmg, bromley, q2, "return_late") == [
        "The 2026/27 Q2 return was submitted on 2 November 2026, after it was due by "
        "28 October 2026",
        "The 2026/27 Q2 return was signed off on 20 November 2026, after sign-off was due by "
        "11 November 2026",
    ]


def test_a_return_signed_off_on_time_is_not_flagged(bromley, q2, jmg):
    QuarterlyReturn.objects.create(
        agreement=bromley,
        quarter=q2,
        status="signed_off",
        submitted_by=jmg,
        submitted_at=at(datetime.date(2026, 10, 20)),
        signed_off_by=jmg,
        signed_off_at=at(datetime.date(2026, 11, 5)),
    )

    assert found(jmg, bromley, q2, "return_late") == []


def test_a_late_return_explained_on_the_check_page_is_shown_explained(
    bromley, q2, django_user_model
):
    from django.test import Client

    commissioner = Client()
    commissioner.force_login(django_user_model.objects.get(username="commissioner"))
    page = f"/partnerships/{bromley.slug}/returns/{q2.slug}/"

    commissioner.post(
        f"{page}explain/",
        {"check": "return_late", "key": "submission", "text": "The JMG agreed a later date."},
    )

    check = commissioner.get(f"{page}check/").content.decode()
    assert "The 2026/27 Q2 return was due by 28 October 2026 and has not been submitted." in check
    assert "The JMG agreed a later date." in check
