"""The list of people whose review is overdue or due within a few weeks (4, 8 or 13), the
soonest due first, for those who may see the register's people."""

import datetime
import re

import pytest

from s117.models import AccessLog, RegisterEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(client, django_user_model):
    user = django_user_model.objects.get(username="s117.officer")
    client.force_login(user)
    return user


def url(agreement, query=""):
    return f"/partnerships/{agreement.slug}/s117/reviews/{query}"


def references(response) -> list[str]:
    return re.findall(r'people/(BR-S117-\d+)/">', response.content.decode())


def test_overdue_and_due_within_eight_weeks_are_listed_soonest_first(client, officer, bromley):
    response = client.get(url(bromley))

    # Today is 3 December 2026 (tests/today.py): B4 was due 12 February, B1 14 May and B2
    # 30 November; B6 is due 8 January 2027, within 8 weeks; B3 (4 March 2027) is not,
    # and B5's aftercare has ended.
    assert references(response) == ["BR-S117-0004", "BR-S117-0001", "BR-S117-0002", "BR-S117-0006"]
    page = re.sub(r"\s+", " ", response.content.decode())
    assert "3 reviews are overdue; 4 people are listed." in page
    row = page[page.index("BR-S117-0002/") :]
    assert re.match(r'.*?30 Nov 2026.*?1 Dec 2025.*?numeric">3</td>', row)


@pytest.mark.parametrize(
    ("weeks", "also"), [("4", []), ("13", ["BR-S117-0003"]), ("52", []), ("x", [])]
)
def test_the_window_is_four_eight_or_thirteen_weeks(client, officer, bromley, weeks, also):
    listed = references(client.get(url(bromley, f"?weeks={weeks}")))

    overdue = ["BR-S117-0004", "BR-S117-0001", "BR-S117-0002"]
    if weeks == "4":
        assert listed == overdue  # B6's review, 8 January, is 5 weeks off
    else:  # 13, or 8 for anything not offered
        assert listed == [*overdue, "BR-S117-0006", *also]


def test_listing_is_not_logged_as_opening_anyones_record(client, officer, bromley):
    before = AccessLog.objects.count()

    client.get(url(bromley))

    assert AccessLog.objects.count() == before


def test_the_register_links_to_the_list(client, officer, bromley):
    page = client.get(f"/partnerships/{bromley.slug}/s117/").content.decode()

    assert f'href="{url(bromley)}">Reviews due and overdue</a>' in page


def test_a_jmg_member_may_not_see_who_is_due(client, django_user_model, bromley):
    client.force_login(django_user_model.objects.get(username="jmg.member"))

    assert client.get(url(bromley)).status_code == 403
    assert (
        "Reviews due and overdue"
        not in client.get(f"/partnerships/{bromley.slug}/s117/").content.decode()
    )


def test_a_long_list_is_paged(client, officer, bromley):
    template = RegisterEntry.objects.get(agreement=bromley, person_reference="BR-S117-0004")
    RegisterEntry.objects.bulk_create(
        RegisterEntry(
            agreement=bromley,
            person_reference=f"BULK-{n:04d}",
            qualifying_section="3",
            detained_on=datetime.date(2022, 1, 1),
            discharged_on=datetime.date(2022, 3, 1),
            review_due=datetime.date(2026, 12, 20),
            responsible_council_id=template.responsible_council_id,
            responsible_icb_id=template.responsible_icb_id,
        )
        for n in range(120)
    )

    second = client.get(url(bromley, "?weeks=8&page=2")).content.decode()

    assert "BULK-0" in second
    assert 'href="?weeks=8&amp;page=1"' in second
