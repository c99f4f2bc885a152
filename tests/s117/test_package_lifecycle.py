"""Ending a package and changing its own review date, on their pages: either works the
person's next review out again by the rule a review uses (s117.reviews)."""

import datetime
import re

import pytest

from s117.models import AccessLog, AftercarePackage, RegisterEntry
from s117.reviews import next_review_due

pytestmark = pytest.mark.django_db

DAY = datetime.date


@pytest.fixture
def officer(client, django_user_model):
    user = django_user_model.objects.get(username="s117.officer")
    client.force_login(user)
    return user


@pytest.fixture
def b1(bromley):
    """Last reviewed 10 May 2025; reviews every 12 months; one package, from 2 June 2025,
    itself next to be reviewed on 1 June 2027."""
    bromley.s117_review_months = 12
    bromley.save()
    return RegisterEntry.objects.get(agreement=bromley, person_reference="BR-S117-0001")


def package_url(entry, what):
    package = entry.packages.get()
    return (
        f"/partnerships/{entry.agreement.slug}/s117/people/{entry.person_reference}/"
        f"packages/{package.pk}/{what}/"
    )


def dated(name, day):
    return {f"{name}_day": day.day, f"{name}_month": day.month, f"{name}_year": day.year}


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode()).replace("&#x27;", "'")


def test_a_package_that_ends_before_its_own_review_no_longer_brings_the_review_forward():
    package = AftercarePackage(start_date=DAY(2025, 6, 2), review_due=DAY(2026, 1, 15))

    assert next_review_due(DAY(2025, 5, 10), 12, [package]) == DAY(2026, 1, 15)
    package.end_date = DAY(2026, 1, 15)  # its last day is its review's: still reviewed
    assert next_review_due(DAY(2025, 5, 10), 12, [package]) == DAY(2026, 1, 15)
    package.end_date = DAY(2026, 1, 14)
    assert next_review_due(DAY(2025, 5, 10), 12, [package]) == DAY(2026, 5, 10)


def test_an_earlier_package_review_brings_the_persons_review_forward(client, officer, b1):
    response = client.post(package_url(b1, "review"), dated("review_due", DAY(2026, 1, 15)))

    assert response.status_code == 302
    b1.refresh_from_db()
    assert b1.packages.get().review_due == DAY(2026, 1, 15)
    assert b1.review_due == DAY(2026, 1, 15)
    assert b1.history.latest().history_user == officer
    assert AccessLog.objects.filter(entry=b1, action="change").exists()
    page = text(client.get(response["Location"]))
    assert "the person's next review is due 15 January 2026" in page


def test_a_later_package_review_gives_the_interval_after_the_last_review(client, officer, b1):
    client.post(package_url(b1, "review"), dated("review_due", DAY(2026, 1, 15)))

    blank = {"review_due_day": "", "review_due_month": "", "review_due_year": ""}
    client.post(package_url(b1, "review"), blank)  # none is set

    b1.refresh_from_db()
    assert b1.packages.get().review_due is None
    assert b1.review_due == DAY(2026, 5, 10)


def test_a_package_review_on_or_before_its_start_is_refused(client, officer, b1):
    page = text(client.post(package_url(b1, "review"), dated("review_due", DAY(2025, 6, 2))))

    assert "The package's review must be after its start, 2 June 2025" in page
    assert b1.packages.get().review_due == DAY(2027, 6, 1)


def test_ending_a_package_before_its_review_reschedules_the_persons(client, officer, b1):
    client.post(package_url(b1, "review"), dated("review_due", DAY(2026, 1, 15)))

    response = client.post(package_url(b1, "end"), dated("end_date", DAY(2026, 1, 10)))

    assert response.status_code == 302
    b1.refresh_from_db()
    assert b1.packages.get().end_date == DAY(2026, 1, 10)
    assert b1.review_due == DAY(2026, 5, 10)
    page = text(client.get(response["Location"]))
    assert "ends on 10 January 2026" in page
    assert "From 2 June 2025 to 10 January 2026" in page


def test_a_package_may_be_ended_on_a_day_to_come_but_not_before_it_began(client, officer, b1):
    before = text(client.post(package_url(b1, "end"), dated("end_date", DAY(2025, 6, 1))))
    assert "The end date must be on or after the start date, 2 June 2025" in before
    assert b1.packages.get().end_date is None

    client.post(package_url(b1, "end"), dated("end_date", DAY(2027, 3, 31)))
    assert b1.packages.get().end_date == DAY(2027, 3, 31)


def test_the_person_page_links_to_both_pages(client, officer, b1):
    page = client.get(f"/partnerships/{b1.agreement.slug}/s117/people/BR-S117-0001/")

    html = page.content.decode()
    assert f'href="{package_url(b1, "end")}"' in html
    assert f'href="{package_url(b1, "review")}"' in html


def test_a_jmg_member_may_not_end_a_package(client, django_user_model, b1):
    client.force_login(django_user_model.objects.get(username="jmg.member"))

    response = client.post(package_url(b1, "end"), dated("end_date", DAY(2026, 1, 10)))

    assert response.status_code == 403
    assert b1.packages.get().end_date is None
