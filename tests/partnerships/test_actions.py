import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from partnerships.actions import extend_agreement
from partnerships.models import AgreementTerm, Decision, Role
from tests.factories import AgreementFactory, AgreementTermFactory, DecisionFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer():
    return UserFactory(username="commissioner", role=Role.COMMISSIONER)


@pytest.fixture
def partnership():
    """An agreement in its initial term, to 31 March 2027, as Oxfordshire's is."""
    agreement = AgreementFactory(end_date=datetime.date(2027, 3, 31))
    AgreementTermFactory(agreement=agreement)
    return agreement


@pytest.fixture
def extended():
    """An agreement extended once, as Bromley's is: the initial term to 30 November 2024,
    then an extension to 30 November 2026, which has ended by the fixed day."""
    agreement = AgreementFactory(
        start_date=datetime.date(2019, 12, 1), end_date=datetime.date(2026, 11, 30)
    )
    AgreementTermFactory(agreement=agreement, end_date=datetime.date(2024, 11, 30))
    AgreementTermFactory(
        agreement=agreement,
        kind=AgreementTerm.Kind.EXTENSION,
        start_date=datetime.date(2024, 12, 1),
        end_date=datetime.date(2026, 11, 30),
        authorised_by=DecisionFactory(
            agreement=agreement,
            kind=Decision.Kind.EXTENSION,
            decided_on=datetime.date(2024, 9, 1),
            body="Executive",
            summary="Two-year extension",
        ),
    )
    agreement.refresh_from_db()
    return agreement


def test_extension_starts_the_day_after_the_current_end(partnership, officer):
    term = extend_agreement(
        by=officer,
        agreement=partnership,
        new_end=datetime.date(2029, 3, 31),
        decided_on=datetime.date(2026, 12, 10),
        body="Cabinet",
        summary="Two-year extension",
        value=Decimal("3600000"),
    )

    partnership.refresh_from_db()
    assert term.start_date == datetime.date(2027, 4, 1)
    assert partnership.end_date == datetime.date(2029, 3, 31)
    assert term.authorised_by.value == Decimal("3600000")
    assert partnership.history.latest().history_user == officer
    assert partnership.history.latest().prev_record.end_date == datetime.date(2027, 3, 31)


def test_extension_ending_before_current_end_refused_and_nothing_saved(extended, officer):
    decisions = Decision.objects.count()

    with pytest.raises(ValidationError, match="must end after the current end date"):
        extend_agreement(
            by=officer,
            agreement=extended,
            new_end=datetime.date(2026, 6, 30),
            decided_on=datetime.date(2026, 1, 10),
            body="Executive",
            summary="Wrong way round",
        )

    extended.refresh_from_db()
    assert extended.end_date == datetime.date(2026, 11, 30)
    assert Decision.objects.count() == decisions


def test_agreement_that_has_ended_cannot_be_extended(extended, officer):
    with pytest.raises(ValidationError, match="after it has ended"):
        extend_agreement(
            by=officer,
            agreement=extended,
            new_end=datetime.date(2028, 11, 30),
            decided_on=datetime.date(2026, 12, 1),
            body="Executive",
            summary="Too late",
        )


def test_term_authorised_by_another_agreements_decision_is_invalid(extended, partnership):
    term = extended.terms.get(kind="extension")
    term.authorised_by = partnership.decisions.first()

    with pytest.raises(ValidationError, match="decision about this agreement"):
        term.full_clean()


def test_recommendation_sorts_by_number_not_text(bromley):
    references = list(bromley.reviews.get().recommendations.values_list("reference", flat=True))

    assert references[-2:] == ["3.8.9", "3.8.10"]


def test_extension_not_starting_the_day_after_the_last_term_is_invalid(extended):
    term = AgreementTerm(
        agreement=extended,
        kind="extension",
        start_date=datetime.date(2027, 1, 1),
        end_date=datetime.date(2027, 12, 31),
        authorised_by=extended.decisions.get(kind="extension"),
    )

    with pytest.raises(ValidationError, match="1 December 2026"):
        term.full_clean()


def test_overlapping_term_is_invalid(extended):
    term = AgreementTerm(
        agreement=extended,
        kind="extension",
        start_date=datetime.date(2026, 1, 1),
        end_date=datetime.date(2027, 12, 31),
        authorised_by=extended.decisions.get(kind="extension"),
    )

    with pytest.raises(ValidationError, match="overlaps"):
        term.full_clean()


def test_changing_a_term_in_admin_moves_the_agreement_end(client, bromley, django_user_model):
    client.force_login(django_user_model.objects.get(username="admin"))
    extension = bromley.terms.get(kind="extension")

    response = client.post(
        f"/admin/partnerships/agreementterm/{extension.pk}/change/",
        {
            "agreement": bromley.pk,
            "kind": "extension",
            "start_date": "2024-12-01",
            "end_date": "2027-03-31",
            "authorised_by": extension.authorised_by_id,
        },
    )

    assert response.status_code == 302
    bromley.refresh_from_db()
    assert bromley.end_date == datetime.date(2027, 3, 31)
    assert bromley.history.latest().history_user.username == "admin"


def test_agreement_dates_are_those_of_its_terms(bromley, oxfordshire):
    for agreement in (bromley, oxfordshire):
        terms = list(agreement.terms.order_by("start_date"))
        assert agreement.start_date == terms[0].start_date
        assert agreement.end_date == terms[-1].end_date
