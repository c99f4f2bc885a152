import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from partnerships.actions import extend_agreement
from partnerships.models import Decision

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(django_user_model):
    return django_user_model.objects.get(username="commissioner")


def test_extension_starts_the_day_after_the_current_end(oxfordshire, officer):
    term = extend_agreement(
        by=officer,
        agreement=oxfordshire,
        new_end=datetime.date(2029, 3, 31),
        decided_on=datetime.date(2026, 12, 10),
        body="Cabinet",
        summary="Two-year extension",
        value=Decimal("3600000"),
    )

    oxfordshire.refresh_from_db()
    assert term.start_date == datetime.date(2027, 4, 1)
    assert oxfordshire.end_date == datetime.date(2029, 3, 31)
    assert term.authorised_by.value == Decimal("3600000")
    assert oxfordshire.history.latest().history_user == officer
    assert oxfordshire.history.latest().prev_record.end_date == datetime.date(2027, 3, 31)


def test_extension_ending_before_current_end_refused_and_nothing_saved(bromley, officer):
    decisions = Decision.objects.count()

    with pytest.raises(ValidationError, match="must end after the current end date"):
        extend_agreement(
            by=officer,
            agreement=bromley,
            new_end=datetime.date(2026, 6, 30),
            decided_on=datetime.date(2026, 1, 10),
            body="Executive",
            summary="Wrong way round",
        )

    bromley.refresh_from_db()
    assert bromley.end_date == datetime.date(2026, 11, 30)
    assert Decision.objects.count() == decisions


def test_agreement_that_has_ended_cannot_be_extended(bromley, officer):
    with pytest.raises(ValidationError, match="after it has ended"):
        extend_agreement(
            by=officer,
            agreement=bromley,
            new_end=datetime.date(2028, 11, 30),
            decided_on=datetime.date(2026, 12, 1),
            body="Executive",
            summary="Too late",
        )


def test_term_authorised_by_another_agreements_decision_is_invalid(bromley, oxfordshire):
    term = bromley.terms.get(kind="extension")
    term.authorised_by = oxfordshire.decisions.first()

    with pytest.raises(ValidationError, match="decision about this agreement"):
        term.full_clean()


def test_recommendation_sorts_by_number_not_text(bromley):
    references = list(bromley.reviews.get().recommendations.values_list("reference", flat=True))

    assert references[-2:] == ["3.8.9", "3.8.10"]
