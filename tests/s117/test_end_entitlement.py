"""Ending a person's aftercare by the joint decision of the council and the ICB, on its
page: refused, on the field at fault and with nothing saved, while a Community Treatment
Order is in force, before discharge, without both bodies' agreement by the end, or on a
day to come."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError

from s117 import lifecycle
from s117.models import AccessLog, RegisterEntry

pytestmark = pytest.mark.django_db

DAY = datetime.date


@pytest.fixture
def officer(client, django_user_model):
    user = django_user_model.objects.get(username="s117.officer")
    client.force_login(user)
    return user


def entry_of(agreement, reference="BR-S117-0004"):
    return RegisterEntry.objects.get(agreement=agreement, person_reference=reference)


def end_url(entry):
    return f"/partnerships/{entry.agreement.slug}/s117/people/{entry.person_reference}/end/"


def dated(name, day):
    return {f"{name}_day": day.day, f"{name}_month": day.month, f"{name}_year": day.year}


ENDS, COUNCIL_AGREED, ICB_AGREED = DAY(2026, 11, 30), DAY(2026, 11, 20), DAY(2026, 11, 24)


def ending(ended_on=ENDS, council=COUNCIL_AGREED, icb=ICB_AGREED):
    data = {"end_reason": "Needs arising from the mental disorder are met."}
    data |= dated("ended_on", ended_on)
    if council:
        data |= dated("end_agreed_by_council_on", council)
    if icb:
        data |= dated("end_agreed_by_icb_on", icb)
    return data


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode()).replace("&#x27;", "'")


def test_an_officer_ends_aftercare_and_the_person_page_shows_the_joint_decision(
    client, officer, bromley
):
    entry = entry_of(bromley)

    response = client.post(end_url(entry), ending())

    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.ended_on, entry.end_agreed_by_council_on, entry.end_agreed_by_icb_on) == (
        DAY(2026, 11, 30),
        DAY(2026, 11, 20),
        DAY(2026, 11, 24),
    )
    assert entry.end_reason == "Needs arising from the mental disorder are met."
    assert entry.history.latest().history_user == officer
    assert AccessLog.objects.filter(entry=entry, action="change", path=end_url(entry)).exists()
    page = text(client.get(response["Location"]))
    assert "Aftercare ended on 30 November 2026 by joint decision" in page
    assert (
        'Agreed by the council</dt><dd class="govuk-summary-list__value">20 November 2026' in page
    )
    assert 'Agreed by the ICB</dt><dd class="govuk-summary-list__value">24 November 2026' in page
    assert "Needs arising from the mental disorder are met." in page
    assert "End aftercare by joint decision</a>" not in page  # already ended


def test_the_person_page_links_to_ending_aftercare(client, officer, bromley):
    entry = entry_of(bromley)

    page = text(client.get(f"/partnerships/{bromley.slug}/s117/people/BR-S117-0004/"))

    assert f'href="{end_url(entry)}">End aftercare by joint decision</a>' in page


def test_ending_while_a_cto_is_in_force_is_refused_on_the_end_date(client, officer, bromley):
    entry = entry_of(bromley, "BR-S117-0002")  # a CTO in force

    page = text(client.post(end_url(entry), ending()))

    assert "Aftercare can't end while a Community Treatment Order is in force" in page
    assert 'href="#id_ended_on' in page  # the error summary links to the field
    entry.refresh_from_db()
    assert entry.ended_on is None


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            ending(ended_on=DAY(2021, 1, 1), council=DAY(2020, 12, 1), icb=DAY(2020, 12, 1)),
            "ended_on",
            "on or after the person's discharge, 12 February 2021",
        ),
        (ending(ended_on=DAY(2026, 12, 4)), "ended_on", "can't be in the future"),
        (ending(council=None), "end_agreed_by_council_on", "Enter the date the council agreed"),
        (ending(icb=None), "end_agreed_by_icb_on", "Enter the date the ICB agreed"),
        (
            ending(council=DAY(2026, 12, 1)),
            "end_agreed_by_council_on",
            "The council must have agreed by the day aftercare ends",
        ),
        (
            ending(ended_on=DAY(2026, 12, 1), icb=DAY(2026, 12, 5)),
            "end_agreed_by_icb_on",
            "The date the ICB agreed can't be in the future",
        ),
        (ending() | {"end_reason": " "}, "end_reason", "Give the reason for ending aftercare"),
    ],
)
def test_an_ending_the_rules_refuse_is_shown_on_its_field_and_nothing_is_saved(
    client, officer, bromley, data, field, message
):
    entry = entry_of(bromley)

    response = client.post(end_url(entry), data)

    assert response.status_code == 200
    assert message in text(response)
    assert field in response.context["form"].errors
    entry.refresh_from_db()
    assert entry.ended_on is None
    assert not AccessLog.objects.filter(entry=entry, action="change").exists()


def test_the_action_refuses_an_entry_not_yet_discharged_and_one_already_ended(bromley, officer):
    undischarged = entry_of(bromley)
    undischarged.discharged_on = None
    undischarged.save()
    ended = entry_of(bromley, "BR-S117-0005")
    kwargs = {
        "ended_on": DAY(2026, 11, 30),
        "end_agreed_by_council_on": DAY(2026, 11, 20),
        "end_agreed_by_icb_on": DAY(2026, 11, 24),
        "end_reason": "Met.",
    }

    with pytest.raises(ValidationError) as not_begun:
        lifecycle.end_entitlement(officer, undischarged, **kwargs)
    with pytest.raises(ValidationError) as again:
        lifecycle.end_entitlement(officer, ended, **kwargs)

    assert "has not been discharged" in not_begun.value.message_dict["ended_on"][0]
    assert "already ended on 30 September 2024" in again.value.message_dict["ended_on"][0]


def test_a_jmg_member_may_not_end_aftercare(client, django_user_model, bromley):
    client.force_login(django_user_model.objects.get(username="jmg.member"))

    assert client.post(end_url(entry_of(bromley)), ending()).status_code == 403
    assert entry_of(bromley).ended_on is None
