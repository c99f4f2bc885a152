"""An action is overdue when it is still to do and was due before today: the same in Python
(`Recommendation.is_overdue`) and in the database (`Recommendation.overdue_on`)."""

import datetime
import itertools

import pytest

from partnerships.models import Recommendation, Review
from tests.factories import AgreementFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2024, 3, 31)
DUE = [
    None,
    TODAY - datetime.timedelta(days=365),
    TODAY - datetime.timedelta(days=1),
    TODAY,
    TODAY + datetime.timedelta(days=1),
]


@pytest.fixture
def every_status_and_due_date():
    review = Review.objects.create(
        agreement=AgreementFactory(), title="Edge cases", carried_out="2024"
    )
    recommendations = []
    for number, (status, due) in enumerate(itertools.product(Recommendation.Status, DUE)):
        recommendations.append(
            Recommendation.objects.create(
                review=review,
                reference=f"9.{number}",
                text="An edge case.",
                owner="Head of service",
                due_date=due,
                status=status,
                completed_on=TODAY if status == Recommendation.Status.COMPLETE else None,
            )
        )
    return review, recommendations


def test_the_database_finds_the_overdue_actions_that_python_does(every_status_and_due_date):
    review, recommendations = every_status_and_due_date

    found = set(
        review.recommendations.filter(Recommendation.overdue_on(TODAY)).values_list(
            "reference", flat=True
        )
    )

    assert found == {r.reference for r in recommendations if r.is_overdue(TODAY)}
    assert len(found) == 4  # not started or in progress, due a year or a day ago


def test_an_action_due_today_is_not_yet_overdue(every_status_and_due_date):
    _, recommendations = every_status_and_due_date

    due_today = [r for r in recommendations if r.due_date == TODAY]

    assert due_today and not any(r.is_overdue(TODAY) for r in due_today)
    assert not Recommendation.objects.filter(
        Recommendation.overdue_on(TODAY), pk__in=[r.pk for r in due_today]
    ).exists()


def test_an_action_with_no_due_date_is_never_overdue(every_status_and_due_date):
    review, _ = every_status_and_due_date

    undated = review.recommendations.filter(due_date__isnull=True)

    assert undated.count() == len(Recommendation.Status)
    assert not undated.filter(Recommendation.overdue_on(datetime.date(2100, 1, 1))).exists()
