"""Reviews that schedule themselves: the next review the partnership's interval after the
last, or sooner where a package's own review comes first, recorded by an s117 officer on
the person's record."""

import datetime
import re
from decimal import Decimal

import pytest

from s117.models import AccessLog, AftercarePackage, RegisterEntry, Review
from s117.reviews import next_review_due

pytestmark = pytest.mark.django_db

DAY = datetime.date


def package(review_due=None, end=None):
    return AftercarePackage(
        description="Home care",
        weekly_cost=Decimal("100.00"),
        start_date=DAY(2026, 1, 1),
        end_date=end,
        review_due=review_due,
    )


def test_the_next_review_is_the_interval_on_or_a_packages_own_review_if_sooner():
    assert next_review_due(DAY(2026, 11, 30), 12) == DAY(2027, 11, 30)
    assert next_review_due(DAY(2026, 8, 31), 6) == DAY(2027, 2, 28)  # February is shorter
    assert next_review_due(DAY(2026, 12, 1), 12, [package(DAY(2027, 4, 1))]) == DAY(2027, 4, 1)
    # A package ended by then, or whose review is past, doesn't bring the review forward.
    ended = package(DAY(2027, 4, 1), end=DAY(2026, 11, 1))
    assert next_review_due(DAY(2026, 12, 1), 12, [ended, package(DAY(2026, 6, 1))]) == DAY(
        2027, 12, 1
    )


@pytest.fixture
def officer(client, django_user_model):
    user = django_user_model.objects.get(username="s117.officer")
    client.force_login(user)
    return user


def review_url(entry):
    return f"/partnerships/{entry.agreement.slug}/s117/people/{entry.person_reference}/reviews/add/"


def test_an_officer_records_a_review_and_the_next_is_scheduled_from_the_interval(
    client, officer, bromley
):
    bromley.s117_review_months = 6
    bromley.save()
    entry = RegisterEntry.objects.get(agreement=bromley, person_reference="BR-S117-0002")

    response = client.post(
        review_url(entry),
        {
            "reviewed_on_day": "1",
            "reviewed_on_month": "12",
            "reviewed_on_year": "2026",
            "outcome": "continue",
        },
    )

    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.last_reviewed, entry.review_due) == (DAY(2026, 12, 1), DAY(2027, 6, 1))
    assert entry.history.latest().history_user == officer
    assert AccessLog.objects.filter(entry=entry, action="change").exists()
    html = re.sub(r"\s+", " ", client.get(response["Location"]).content.decode())
    assert "the next is due 1 June 2027" in html


def test_a_review_in_the_future_or_a_next_review_before_it_is_refused_and_nothing_saved(
    client, officer, bromley
):
    entry = RegisterEntry.objects.get(agreement=bromley, person_reference="BR-S117-0002")
    before = Review.objects.filter(entry=entry).count()

    future = client.post(
        review_url(entry),
        {
            "reviewed_on_day": "4",
            "reviewed_on_month": "12",
            "reviewed_on_year": "2026",
            "outcome": "continue",
        },
    ).content.decode()
    backwards = client.post(
        review_url(entry),
        {
            "reviewed_on_day": "1",
            "reviewed_on_month": "12",
            "reviewed_on_year": "2026",
            "outcome": "change",
            "next_review_due_day": "1",
            "next_review_due_month": "11",
            "next_review_due_year": "2026",
        },
    ).content.decode()

    assert "can&#x27;t be in the future" in future or "can't be in the future" in future
    assert "The next review must be after this one" in backwards
    assert Review.objects.filter(entry=entry).count() == before


def test_a_jmg_member_may_not_record_a_review(client, django_user_model, bromley):
    client.force_login(django_user_model.objects.get(username="jmg.member"))
    entry = RegisterEntry.objects.get(agreement=bromley, person_reference="BR-S117-0002")

    assert client.get(review_url(entry)).status_code == 403
