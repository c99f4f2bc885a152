"""Who is responsible for a person's aftercare, with its history: a change is recorded from
a day with its reason, the entry's bodies become the new ones, and the person's record
shows every period, oldest first."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError

from partnerships.models import Membership, Organisation
from s117 import lifecycle
from s117.lifecycle import FIRST_PERIOD_REASON
from s117.models import AccessLog, RegisterEntry, Responsibility

pytestmark = pytest.mark.django_db

DAY = datetime.date
MOVED = "Moved to Lambeth; ordinary residence before detention, Care Act 2014 s39 / 2016 rules."


@pytest.fixture
def officer(client, django_user_model):
    user = django_user_model.objects.get(username="s117.officer")
    client.force_login(user)
    return user


@pytest.fixture
def lambeth(db):
    return Organisation.objects.create(
        name="London Borough of Lambeth", short_name="LBL", kind="council"
    )


@pytest.fixture
def b4(bromley):
    """Detained on 1 June 2020, the responsibility of Bromley and South East London ICB."""
    return RegisterEntry.objects.get(agreement=bromley, person_reference="BR-S117-0004")


def url(entry):
    return (
        f"/partnerships/{entry.agreement.slug}/s117/people/{entry.person_reference}/responsibility/"
    )


FROM = DAY(2026, 11, 1)


def change(council, icb, starts_on=FROM, reason=MOVED):
    return {
        "starts_on_day": starts_on.day,
        "starts_on_month": starts_on.month,
        "starts_on_year": starts_on.year,
        "responsible_council": council.pk,
        "responsible_icb": icb.pk,
        "reason": reason,
    }


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode()).replace("&#x27;", "'")


def test_with_no_change_recorded_the_bodies_are_responsible_since_detention(client, officer, b4):
    page = text(client.get(f"/partnerships/{b4.agreement.slug}/s117/people/BR-S117-0004/"))

    assert "Who is responsible" in page
    assert (
        '1 June 2020</td> <td class="govuk-table__cell">Now</td> '
        '<td class="govuk-table__cell">London Borough of Bromley</td>'
    ) in page
    assert "Responsible since detention; no change recorded" in page
    assert f'href="{url(b4)}">Change who is responsible</a>' in page


def test_an_officer_records_a_change_and_the_history_keeps_who_was_before(
    client, officer, b4, lambeth
):
    bromley_council, icb = b4.responsible_council, b4.responsible_icb

    response = client.post(url(b4), change(lambeth, icb))

    assert response.status_code == 302
    b4.refresh_from_db()
    assert (b4.responsible_council, b4.responsible_icb) == (lambeth, icb)
    assert b4.history.latest().history_user == officer
    periods = list(Responsibility.objects.filter(entry=b4).order_by("starts_on"))
    assert [(p.starts_on, p.responsible_council, p.reason) for p in periods] == [
        (DAY(2020, 6, 1), bromley_council, FIRST_PERIOD_REASON),
        (DAY(2026, 11, 1), lambeth, MOVED),
    ]
    assert AccessLog.objects.filter(entry=b4, action="change", path=url(b4)).exists()
    page = text(client.get(response["Location"]))
    assert "From 1 November 2026, London Borough of Lambeth and" in page
    first, second = page.index("1 June 2020</td>"), page.index("1 November 2026</td>")
    assert first < second  # oldest first
    assert "31 October 2026</td>" in page[first:second]  # the first period's last day
    assert MOVED in page


@pytest.mark.parametrize(
    ("starts_on", "message"),
    [
        (DAY(2026, 12, 4), "can't apply from a day in the future"),
        (DAY(2020, 6, 1), "after the person's detention, 1 June 2020"),
    ],
)
def test_a_change_from_a_day_the_rules_refuse_is_shown_on_the_date(
    client, officer, b4, lambeth, starts_on, message
):
    response = client.post(url(b4), change(lambeth, b4.responsible_icb, starts_on))

    assert message in text(response)
    assert "starts_on" in response.context["form"].errors
    assert not Responsibility.objects.filter(entry=b4).exists()


def test_a_change_before_the_latest_or_to_the_same_bodies_is_refused(officer, b4, lambeth):
    icb, bromley_council = b4.responsible_icb, b4.responsible_council
    lifecycle.change_responsibility(
        officer,
        b4,
        starts_on=DAY(2026, 11, 1),
        responsible_council=lambeth,
        responsible_icb=icb,
        reason=MOVED,
    )
    b4.refresh_from_db()

    with pytest.raises(ValidationError) as earlier:
        lifecycle.change_responsibility(
            officer,
            b4,
            starts_on=DAY(2026, 10, 1),
            responsible_council=bromley_council,
            responsible_icb=icb,
            reason="Back.",
        )
    with pytest.raises(ValidationError) as same:
        lifecycle.change_responsibility(
            officer,
            b4,
            starts_on=DAY(2026, 12, 1),
            responsible_council=lambeth,
            responsible_icb=icb,
            reason="Again.",
        )

    assert (
        "after the latest one, from 1 November 2026" in earlier.value.message_dict["starts_on"][0]
    )
    assert "already responsible" in same.value.message_dict["responsible_council"][0]
    assert Responsibility.objects.filter(entry=b4).count() == 2


def test_a_reason_is_needed(client, officer, b4, lambeth):
    response = client.post(url(b4), change(lambeth, b4.responsible_icb, reason=""))

    assert "Give the reason responsibility changes" in text(response)
    assert not Responsibility.objects.filter(entry=b4).exists()


def test_an_icb_offered_as_the_council_is_not_a_choice(client, officer, b4):
    response = client.post(url(b4), change(b4.responsible_icb, b4.responsible_icb))

    assert "Choose the responsible council" in text(response)


def test_a_jmg_member_may_not_change_who_is_responsible(client, django_user_model, b4, lambeth):
    client.force_login(django_user_model.objects.get(username="jmg.member"))

    assert client.post(url(b4), change(lambeth, b4.responsible_icb)).status_code == 403
    assert not Responsibility.objects.exists()


def test_administrators_read_the_periods_of_their_partnerships_only_and_it_is_logged(
    client, django_user_model, b4, lambeth, officer
):
    period = lifecycle.change_responsibility(
        officer,
        b4,
        starts_on=DAY(2026, 11, 1),
        responsible_council=lambeth,
        responsible_icb=b4.responsible_icb,
        reason=MOVED,
    )
    admin = django_user_model.objects.get(username="admin")
    client.force_login(admin)
    opened = f"/admin/s117/responsibility/{period.pk}/change/"

    assert client.get(opened).status_code == 302  # not their partnership: nothing shown
    Membership.objects.create(user=admin, agreement=b4.agreement, role="s117_officer")
    page = client.get(opened)

    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()  # read only
    assert client.get("/admin/s117/responsibility/add/").status_code == 403
    assert AccessLog.objects.filter(user=admin, entry=b4, action="view", path=opened).exists()
