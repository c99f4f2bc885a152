"""Bad input on the staffing forms: the page says what was expected, next to the field at
fault and in the error summary linking to it, and nothing is saved."""

import datetime

import pytest
from django.urls import reverse

from caseload.models import StaffPost

pytestmark = pytest.mark.django_db

Basis = StaffPost.Basis


@pytest.fixture
def commissioner(client, django_user_model):
    client.force_login(django_user_model.objects.get(username="commissioner"))
    return client


def date_parts(name, day):
    return {f"{name}_day": day.day, f"{name}_month": day.month, f"{name}_year": day.year}


def new_post(bromley, **changes):
    team = bromley.teams.get(name__contains="Community")
    council = bromley.partners.get(organisation__short_name="LBB").organisation
    return {
        "team": team.pk,
        "reference": "CMHT-SW-98",
        "role": "social_worker",
        "wte": "1.00",
        "case_holding": "yes",
        "funder": council.pk,
        "employer": council.pk,
        "basis": "seconded",
        "origin": "created",
        **date_parts("valid_from", datetime.date(2026, 4, 1)),
    } | changes


def add(client, bromley, data):
    before = StaffPost.history.count()
    response = client.post(reverse("add_staff_post", args=[bromley.slug]), data)
    assert response.status_code == 200  # shown again, not redirected
    assert StaffPost.history.count() == before  # nothing saved
    assert "There is a problem" in response.text
    assert response.context["form"].errors
    return response


def errors_of(response) -> dict:
    return {name: list(errors) for name, errors in response.context["form"].errors.items()}


def test_an_employer_for_a_vacant_post_is_refused(commissioner, bromley):
    response = add(commissioner, bromley, new_post(bromley, basis="vacant"))

    assert list(errors_of(response)) == ["employer"]
    assert "A vacant post has no employer" in errors_of(response)["employer"][0]
    assert 'href="#id_employer"' in response.text
    assert "govuk-select--error" in response.text


def test_a_filled_post_needs_an_employer(commissioner, bromley):
    response = add(commissioner, bromley, new_post(bromley, employer=""))

    assert errors_of(response) == {
        "employer": ["Choose the employer of the post's holder: a filled post must have one."]
    }


def test_a_wte_over_full_time_is_refused(commissioner, bromley):
    response = add(commissioner, bromley, new_post(bromley, wte="1.5"))

    assert errors_of(response) == {"wte": ["The WTE must be from 0.01 to 1.00: 1.5 is not."]}
    assert 'href="#id_wte"' in response.text
    assert 'value="1.5"' in response.text  # what was typed is kept


def test_a_reference_the_team_has_already_is_refused(commissioner, bromley):
    taken = StaffPost.objects.filter(team__agreement=bromley, team__name__contains="Community")
    reference = taken.first().reference

    response = add(commissioner, bromley, new_post(bromley, reference=reference))

    assert list(errors_of(response)) == ["reference"]
    assert f"already has a post {reference}" in errors_of(response)["reference"][0]


def test_an_amhp_employed_by_a_trust_is_refused(commissioner, bromley):
    trust = bromley.partners.get(organisation__short_name="Oxleas").organisation

    response = add(
        commissioner, bromley, new_post(bromley, role="amhp", employer=trust.pk, basis="tupe")
    )

    assert errors_of(response) == {
        "employer": ["An Approved Mental Health Professional must be employed by a council."]
    }


def test_an_organisation_outside_the_partnership_is_refused(commissioner, bromley, oxfordshire):
    theirs = oxfordshire.partners.get(is_host=True).organisation

    response = add(commissioner, bromley, new_post(bromley, funder=theirs.pk))

    assert errors_of(response) == {
        "funder": ["Choose one of the agreement's partners from the list."]
    }


def test_a_date_that_is_not_a_date_names_its_part(commissioner, bromley):
    data = new_post(bromley, valid_from_day="31", valid_from_month="2", valid_from_year="2026")
    response = add(commissioner, bromley, data)
    assert errors_of(response) == {
        "valid_from": ["The start date must be a real date, such as 27 3 2026."]
    }
    assert 'href="#id_valid_from_day"' in response.text

    response = add(commissioner, bromley, new_post(bromley, valid_from_month=""))
    assert errors_of(response) == {"valid_from": ["The start date must include a month."]}


def test_everything_missing_says_what_each_field_needs(commissioner, bromley):
    response = add(commissioner, bromley, {})

    assert set(errors_of(response)) == {
        "team",
        "reference",
        "role",
        "wte",
        "case_holding",
        "funder",
        "basis",
        "origin",
        "valid_from",
    }
    assert 'href="#id_case_holding_0"' in response.text


def a_filled_post(bromley):
    return (
        StaffPost.objects.filter(team__agreement=bromley)
        .exclude(basis=Basis.VACANT)
        .exclude(role="amhp")
        .order_by("pk")
        .first()
    )


def change(client, bromley, post, data):
    before = post.history.count()
    response = client.post(reverse("change_staff_post", args=[bromley.slug, post.pk]), data)
    assert response.status_code == 200
    assert post.history.count() == before
    return errors_of(response)


def test_a_change_must_say_what_changed(commissioner, bromley):
    post = a_filled_post(bromley)

    errors = change(commissioner, bromley, post, date_parts("on", datetime.date(2026, 11, 1)))

    assert errors == {"change": ["Choose what has changed about the post."]}


def test_a_vacancy_from_a_day_to_come_is_refused(commissioner, bromley):
    post = a_filled_post(bromley)

    errors = change(
        commissioner,
        bromley,
        post,
        {"change": "vacant", **date_parts("on", datetime.date(2027, 1, 4))},
    )

    assert errors == {
        "on": ["The date must be today or earlier: record a change once it has happened."]
    }


def test_a_change_before_the_post_began_is_refused(commissioner, bromley):
    post = a_filled_post(bromley)

    errors = change(
        commissioner,
        bromley,
        post,
        {"change": "vacant", **date_parts("on", datetime.date(2001, 1, 1))},
    )

    assert errors == {"on": ["The date must be on or after 1 December 2004, when the post began."]}


def test_filling_an_amhp_post_with_a_trust_employee_is_refused(commissioner, bromley):
    post = StaffPost.objects.filter(
        team__agreement=bromley, role="amhp", basis=Basis.VACANT
    ).first()
    trust = bromley.partners.get(organisation__short_name="Oxleas").organisation

    errors = change(
        commissioner,
        bromley,
        post,
        {
            "change": "filled",
            "employer": trust.pk,
            "basis": "direct",
            **date_parts("on", datetime.date(2026, 11, 1)),
        },
    )

    assert errors == {
        "employer": ["An Approved Mental Health Professional must be employed by a council."]
    }


def test_filling_needs_an_employer_and_a_basis(commissioner, bromley):
    post = StaffPost.objects.filter(team__agreement=bromley, basis=Basis.VACANT).first()

    errors = change(
        commissioner,
        bromley,
        post,
        {"change": "filled", **date_parts("on", datetime.date(2026, 11, 1))},
    )

    assert set(errors) == {"employer", "basis"}


def test_a_new_wte_must_differ_and_be_in_range(commissioner, bromley):
    post = a_filled_post(bromley)
    on = date_parts("on", datetime.date(2026, 11, 1))

    assert change(commissioner, bromley, post, {"change": "wte", "wte": "1.00", **on}) == {
        "wte": ["The post is 1 WTE already: enter its new WTE."]
    }
    assert change(commissioner, bromley, post, {"change": "wte", "wte": "0", **on}) == {
        "wte": ["The WTE must be from 0.01 to 1.00: 0 is not."]
    }


def test_an_employment_change_that_changes_nothing_is_refused(commissioner, bromley):
    post = a_filled_post(bromley)

    errors = change(
        commissioner,
        bromley,
        post,
        {
            "change": "employment",
            "funder": post.funder_id,
            "employer": post.employer_id,
            "basis": post.basis,
            **date_parts("on", datetime.date(2026, 11, 1)),
        },
    )

    assert list(errors) == ["funder"]
    assert errors["funder"][0].startswith("Nothing has changed")


def test_an_establishment_that_is_not_a_number_is_refused(commissioner, bromley):
    team = bromley.teams.get(name__contains="Community")
    before = team.history.count()

    response = commissioner.post(
        reverse("change_team_establishment", args=[bromley.slug, team.pk]),
        {"establishment": "lots"},
    )

    assert errors_of(response) == {
        "establishment": ["Enter the establishment as a number, such as 52.50."]
    }
    assert team.history.count() == before


def test_a_change_someone_else_has_made_already_is_not_made_twice(commissioner, bromley):
    post = StaffPost.objects.filter(team__agreement=bromley, basis=Basis.VACANT).first()

    errors = change(
        commissioner,
        bromley,
        post,
        {"change": "vacant", **date_parts("on", datetime.date(2026, 11, 1))},
    )

    assert errors == {
        "change": [
            "That no longer applies: the post has changed since this page was shown. "
            "Check it and choose again."
        ]
    }
