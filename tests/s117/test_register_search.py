"""The s117 officer's search of the register: by NHS number or reference, filtered, paged
and downloaded as found, each download written to the access log with the search."""

import csv
import datetime
import io
import re
from decimal import Decimal

import pytest

from s117.models import AccessLog, AftercarePackage, RegisterEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(client, django_user_model):
    user = django_user_model.objects.get(username="s117.officer")
    client.force_login(user)
    return user


def references(html: str) -> list[str]:
    return re.findall(r"/s117/people/([^/]+)/\">", html)


def url(bromley, query=""):
    return f"/partnerships/{bromley.slug}/s117/?{query}"


def test_an_officer_finds_a_person_by_nhs_number_spaced_or_not_or_by_reference(
    client, officer, bromley
):
    entry = RegisterEntry.objects.filter(agreement=bromley).exclude(nhs_number="").first()
    spaced = f"{entry.nhs_number[:3]} {entry.nhs_number[3:6]} {entry.nhs_number[6:]}"

    for query in (f"q={spaced}", f"q={entry.nhs_number}", f"q={entry.person_reference.lower()}"):
        html = client.get(url(bromley, query)).content.decode()
        assert references(html) == [entry.person_reference], query
        assert "1 person found" in html


def test_filters_narrow_the_list_to_overdue_reviews_ctos_reasons_and_placements(
    client, officer, bromley
):
    today = datetime.date(2026, 12, 3)
    entries = RegisterEntry.objects.filter(agreement=bromley)
    overdue = {e.person_reference for e in entries if e.review_overdue(today)}
    ctos = {e.person_reference for e in entries if e.cto_in_force}
    someone = entries.filter(ended_on__isnull=True).first()
    # One person with a reason and a package, so that each filter finds them alone.
    AftercarePackage.objects.filter(entry__agreement=bromley).delete()
    entries.update(primary_support_reason="")
    RegisterEntry.objects.filter(pk=someone.pk).update(primary_support_reason="sensory:dual")
    AftercarePackage.objects.create(
        entry=someone,
        description="Home care",
        placement="home_care",
        weekly_cost=Decimal("300.00"),
        start_date=datetime.date(2026, 6, 1),
    )

    assert set(references(client.get(url(bromley, "overdue=on")).content.decode())) == overdue
    assert set(references(client.get(url(bromley, "cto=on")).content.decode())) == ctos
    for query in ("reason=sensory", "placement=home_care", "reason=sensory&placement=home_care"):
        found = references(client.get(url(bromley, query)).content.decode())
        assert found == [someone.person_reference], query
    assert references(client.get(url(bromley, "reason=mental_health")).content.decode()) == []


def test_the_download_gives_the_people_found_and_logs_each_with_the_search(
    client, officer, bromley
):
    response = client.get(url(bromley, "cto=on&export=csv"))

    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    ctos = RegisterEntry.objects.filter(agreement=bromley, cto_in_force=True)
    assert {row["person_reference"] for row in rows} == {e.person_reference for e in ctos}
    assert all(row["cto_in_force"] == "yes" for row in rows)
    logs = AccessLog.objects.filter(action="export", user=officer)
    assert {log.person_reference for log in logs} == {e.person_reference for e in ctos}
    assert all("cto=on" in log.path for log in logs)


def test_a_jmg_member_has_no_search_and_no_download(client, django_user_model, bromley):
    client.force_login(django_user_model.objects.get(username="jmg.member"))

    html = client.get(url(bromley, "q=BR-S117-0001")).content.decode()
    download = client.get(url(bromley, "q=BR-S117-0001&export=csv"))

    assert "Find people" not in html
    assert references(html) == []  # no one listed, whatever was asked for
    assert download.status_code == 403
    assert not AccessLog.objects.filter(action="export").exists()


def test_the_search_reads_the_same_number_of_queries_however_many_people_match(
    client, officer, bromley
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url(bromley))  # the session's first request reads a little more
    counts = []
    for query in ("", "cto=on", "overdue=on&q=BR-S117-0002&team=&reason=&placement="):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url(bromley, query)).status_code == 200
        counts.append(len(queries))

    assert counts[0] == counts[1] == counts[2]


def test_the_funder_filter_finds_who_pays_today_by_the_panels_split_in_force(
    client, officer, bromley
):
    day = datetime.date
    entries = {e.person_reference[-1]: e for e in RegisterEntry.objects.filter(agreement=bromley)}
    AftercarePackage.objects.filter(entry__agreement=bromley).delete()

    def package(person, *, end=None, splits=()):
        made = AftercarePackage.objects.create(
            entry=entries[person],
            description="Service",
            placement="home_care",
            weekly_cost=Decimal("100.00"),
            start_date=day(2026, 4, 1),
            end_date=end,
        )
        for applies_from, percent in splits:
            made.funding_decisions.create(
                decided_on=day(2026, 3, 1),
                applies_from=applies_from,
                council_share_percent=Decimal(percent),
                agreed_by="Joint funding panel",
            )

    # 1: the council pays all today; the panel's 60% from January is not yet in force.
    package("1", splits=[(day(2026, 4, 1), 100), (day(2027, 1, 1), 60)])
    # 2: a package without a decision, at the register's split: the ICB's alone.
    RegisterEntry.objects.filter(pk=entries["2"].pk).update(council_share_percent=0)
    package("2")
    # 3: one package paid by the council, another by the ICB: both pay.
    package("3", splits=[(day(2026, 4, 1), 100)])
    package("3", splits=[(day(2026, 4, 1), 0)])
    # 4: no package, the register's 50%; 5: no package, the register's 100%.
    RegisterEntry.objects.filter(pk=entries["5"].pk).update(council_share_percent=100)
    # 6: the ICB paid for a package that has ended: the register's 40% now.
    package("6", end=day(2026, 6, 30), splits=[(day(2026, 4, 1), 0)])

    def found(funder):
        html = client.get(url(bromley, f"funder={funder}")).content.decode()
        return {reference[-1] for reference in references(html)}

    assert found("council") == {"1", "5"}
    assert found("icb") == {"2"}
    assert found("joint") == {"3", "4", "6"}
    page = client.get(url(bromley)).content.decode()
    assert "Who pays today" in page and "The ICB alone" in page
