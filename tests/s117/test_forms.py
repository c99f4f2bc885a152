import pytest

from partnerships.models import Organisation
from s117.forms import RegisterEntryForm

pytestmark = pytest.mark.django_db


def form_data(bromley, **overrides):
    return {
        "agreement": bromley.pk,
        "person_reference": "BR-S117-0100",
        "qualifying_section": "37",
        "detained_on": "2024-02-01",
        "discharged_on": "2024-05-01",
        "responsible_council": Organisation.objects.get(short_name="LBB").pk,
        "responsible_icb": Organisation.objects.get(short_name="SEL ICB").pk,
        "council_share_percent": "50",
    } | overrides


def test_nhs_number_typed_with_spaces_is_stored_as_ten_digits(bromley):
    form = RegisterEntryForm(data=form_data(bromley, nhs_number="943 476 5919"))

    assert form.is_valid(), form.errors
    assert form.save().nhs_number == "9434765919"


def test_mistyped_nhs_number_explains_the_check_digit(bromley):
    form = RegisterEntryForm(data=form_data(bromley, nhs_number="943 476 5918"))

    assert not form.is_valid()
    assert "check digit" in form.errors["nhs_number"][0]


def test_ending_without_a_reason_is_refused_by_the_form(bromley):
    form = RegisterEntryForm(data=form_data(bromley, ended_on="2024-09-01"))

    assert not form.is_valid()
