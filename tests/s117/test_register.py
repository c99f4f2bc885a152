import datetime

import pytest
from django.core.exceptions import ValidationError

from caseload.models import StaffPost
from partnerships.models import Membership, Organisation
from s117 import selectors
from s117.actions import record_review
from s117.models import AccessLog, RegisterEntry

pytestmark = pytest.mark.django_db


def test_entitlement_counts_from_discharge_not_detention(bromley):
    entry = RegisterEntry.objects.get(person_reference="BR-S117-0006")  # discharged 8 Jan 2024
    still_detained = datetime.date(2023, 12, 31)

    assert entry not in selectors.open_entries(bromley, still_detained)
    assert entry in selectors.open_entries(bromley, datetime.date(2024, 1, 8))


def test_ended_entitlement_no_longer_counts(bromley):
    ended = RegisterEntry.objects.get(person_reference="BR-S117-0005")

    assert ended in selectors.open_entries(bromley, datetime.date(2024, 9, 29))
    assert ended not in selectors.open_entries(bromley, datetime.date(2024, 9, 30))


def test_review_updates_the_register_and_keeps_the_history(bromley, django_user_model):
    officer = django_user_model.objects.get(username="s117.officer")
    entry = RegisterEntry.objects.get(person_reference="BR-S117-0001")

    record_review(
        by=officer,
        entry=entry,
        reviewed_on=datetime.date(2026, 11, 20),
        outcome="continue",
        next_review_due=datetime.date(2027, 11, 20),
    )

    entry.refresh_from_db()
    assert entry.last_reviewed == datetime.date(2026, 11, 20)
    assert entry.review_due == datetime.date(2027, 11, 20)
    assert list(entry.reviews.values_list("reviewed_on", flat=True)) == [
        datetime.date(2026, 11, 20),
        datetime.date(2025, 5, 10),
    ]
    assert entry.history.latest().history_user == officer


def test_overdue_reviews_are_counted(bromley):
    # BR-S117-0001 (due 14 May 2026) and BR-S117-0004 (due 12 February 2026) are overdue.
    assert selectors.reviews_overdue(bromley, datetime.date(2026, 11, 23)) == 2


def test_responsible_icb_must_be_an_icb(bromley):
    entry = RegisterEntry.objects.get(person_reference="BR-S117-0001")
    entry.responsible_icb = Organisation.objects.get(short_name="Oxleas")

    with pytest.raises(ValidationError, match="integrated care board"):
        entry.full_clean()


def test_amhp_employed_by_a_trust_is_invalid(bromley):
    post = (
        StaffPost.objects.filter(team__agreement=bromley, role="amhp")
        .exclude(basis="vacant")
        .first()
    )
    post.employer = Organisation.objects.get(short_name="Oxleas")

    with pytest.raises(ValidationError, match="employed by a council"):
        post.full_clean()


def test_s117_officer_of_one_partnership_cannot_see_anothers_people(
    client, bromley, oxfordshire, django_user_model
):
    officer = django_user_model.objects.create_user("oxon.s117")
    Membership.objects.create(user=officer, agreement=oxfordshire, role="s117_officer")
    client.force_login(officer)
    someone = RegisterEntry.objects.filter(agreement=bromley).first()

    person = client.get(f"/partnerships/{bromley.slug}/s117/people/{someone.person_reference}/")
    register = client.get(f"/partnerships/{bromley.slug}/s117/")

    assert person.status_code == 404
    assert register.status_code == 404
    assert someone.nhs_number not in person.content.decode()
    assert not AccessLog.objects.filter(user=officer).exists()


def test_person_reference_of_another_partnership_is_not_found_in_yours(
    client, bromley, oxfordshire, django_user_model
):
    client.force_login(django_user_model.objects.get(username="s117.officer"))
    someone = RegisterEntry.objects.filter(agreement=bromley).first()

    response = client.get(
        f"/partnerships/{oxfordshire.slug}/s117/people/{someone.person_reference}/"
    )

    assert response.status_code == 404
