"""A register file that gives someone another responsible council or ICB records it as a
change of responsibility from the day it is saved, so that the person's history and their
entry's current bodies agree: in the same transaction as the entry, with a fixed few queries
however many people the file moves."""

import datetime
import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from partnerships.models import Organisation
from s117 import lifecycle
from s117.lifecycle import FIRST_PERIOD_REASON
from s117.models import RegisterEntry, Responsibility
from tests.s117.test_register_file import file_with
from tests.s117.test_upload_pages import confirm, upload

pytestmark = pytest.mark.django_db

DAY = datetime.date
TODAY = DAY(2026, 12, 3)  # tests/today.py
PERSON = "/partnerships/bromley-oxleas-mh/s117/people/"
# The example file's rows: 2 is BR-S117-0001, … 5 is BR-S117-0004 (detained 1 June 2020).
B4_ROW = 5


@pytest.fixture
def lambeth(db):
    return Organisation.objects.create(
        name="London Borough of Lambeth", short_name="LBL", kind="council"
    )


@pytest.fixture
def officer(client, django_user_model):
    client.force_login(django_user_model.objects.get(username="s117.officer"))
    return client


def b4() -> RegisterEntry:
    return RegisterEntry.objects.get(person_reference="BR-S117-0004")


def periods(entry) -> list[tuple]:
    return list(
        Responsibility.objects.filter(entry=entry)
        .order_by("starts_on")
        .values_list("starts_on", "responsible_council__short_name", "reason")
    )


def import_file(tmp_path, content: bytes, name="moved.csv"):
    path = tmp_path / name
    path.write_bytes(content)
    call_command(
        "import_s117",
        str(path),
        partnership="bromley-oxleas-mh",
        by="s117.officer",
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode()).replace("&#x27;", "'")


def test_an_import_that_moves_someone_writes_the_period_before_and_the_one_from_today(
    tmp_path, lambeth, officer
):
    import_file(tmp_path, file_with((B4_ROW, "responsible_council", "LBL")))

    entry = b4()
    assert entry.responsible_council == lambeth
    assert periods(entry) == [
        (DAY(2020, 6, 1), "LBB", FIRST_PERIOD_REASON),
        (TODAY, "LBL", "Changed by the register file moved.csv."),
    ]
    recorded = Responsibility.history.filter(entry_id=entry.pk)
    assert {(h.history_type, h.history_user.username) for h in recorded} == {("+", "s117.officer")}
    page = text(officer.get(f"{PERSON}BR-S117-0004/"))
    first, second = page.index("1 June 2020</td>"), page.index("3 December 2026</td>")
    assert first < second  # oldest first
    assert "2 December 2026</td>" in page[first:second]  # the first period's last day
    assert "London Borough of Lambeth" in page[second:]
    assert "Changed by the register file moved.csv." in page


def test_a_move_after_one_recorded_on_the_persons_page_adds_only_its_own_period(
    tmp_path, lambeth, django_user_model
):
    entry = b4()
    council, icb = entry.responsible_council, entry.responsible_icb
    southwark = Organisation.objects.create(
        name="London Borough of Southwark", short_name="LBS", kind="council"
    )
    lifecycle.change_responsibility(
        django_user_model.objects.get(username="s117.officer"),
        entry,
        starts_on=DAY(2026, 11, 1),
        responsible_council=southwark,
        responsible_icb=icb,
        reason="Moved to Southwark.",
    )

    import_file(tmp_path, file_with((B4_ROW, "responsible_council", "LBL")))

    assert council.short_name == "LBB"
    assert periods(b4()) == [
        (DAY(2020, 6, 1), "LBB", FIRST_PERIOD_REASON),
        (DAY(2026, 11, 1), "LBS", "Moved to Southwark."),
        (TODAY, "LBL", "Changed by the register file moved.csv."),
    ]


def test_a_move_on_the_day_of_one_recorded_on_the_persons_page_takes_its_place(
    tmp_path, lambeth, django_user_model
):
    entry = b4()
    southwark = Organisation.objects.create(
        name="London Borough of Southwark", short_name="LBS", kind="council"
    )
    lifecycle.change_responsibility(
        django_user_model.objects.get(username="s117.officer"),
        entry,
        starts_on=TODAY,
        responsible_council=southwark,
        responsible_icb=entry.responsible_icb,
        reason="Moved to Southwark.",
    )

    import_file(tmp_path, file_with((B4_ROW, "responsible_council", "LBL")))

    assert b4().responsible_council == lambeth
    assert periods(b4()) == [
        (DAY(2020, 6, 1), "LBB", FIRST_PERIOD_REASON),
        (TODAY, "LBL", "Changed by the register file moved.csv."),
    ]
    replaced = Responsibility.objects.get(entry=entry, starts_on=TODAY)
    # What the person's page recorded stays in the period's own history.
    assert [h.reason for h in replaced.history.order_by("history_id")] == [
        "Moved to Southwark.",
        "Changed by the register file moved.csv.",
    ]


def test_an_import_that_changes_no_ones_bodies_writes_no_period(tmp_path):
    import_file(tmp_path, file_with((B4_ROW, "review_due", "2027-06-01")))

    assert b4().review_due == DAY(2027, 6, 1)
    assert not Responsibility.objects.exists()


def test_a_new_person_added_by_a_file_has_no_period_recorded(tmp_path, lambeth):
    new_row = 7  # BR-S117-0007, not on the register yet
    import_file(tmp_path, file_with((new_row, "responsible_council", "LBL")))

    added = RegisterEntry.objects.get(person_reference="BR-S117-0007")
    assert added.responsible_council == lambeth
    assert not Responsibility.objects.filter(entry=added).exists()


def test_a_file_refused_for_a_bad_row_elsewhere_writes_no_period(tmp_path, lambeth):
    with pytest.raises(CommandError, match="1 problem"):
        import_file(
            tmp_path,
            file_with((B4_ROW, "responsible_council", "LBL"), (3, "qualifying_section", "2")),
        )

    assert b4().responsible_council.short_name == "LBB"
    assert not Responsibility.objects.exists()


def test_an_upload_previews_the_move_and_saving_it_records_the_period(officer, lambeth):
    entry = b4()

    preview = upload(officer, file_with((B4_ROW, "responsible_council", "LBL")), "moves.csv")

    shown = text(preview)
    assert "Responsible council: LBB → LBL" in shown
    assert (
        "1 person is given another responsible council or ICB: saving records it as a change "
        "of who is responsible from today, 3 December 2026"
    ) in shown
    assert not Responsibility.objects.exists(), "nothing is saved before the user confirms"
    assert confirm(officer, preview).status_code == 302
    assert periods(entry) == [
        (DAY(2020, 6, 1), "LBB", FIRST_PERIOD_REASON),
        (TODAY, "LBL", "Changed by the register file moves.csv."),
    ]


def queries_to_import(tmp_path, content: bytes) -> int:
    with CaptureQueriesContext(connection) as queries:
        import_file(tmp_path, content)
    return len(queries)


@pytest.mark.parametrize("moved", [1, 4])
def test_the_queries_of_an_import_do_not_grow_with_the_people_it_moves(tmp_path, lambeth, moved):
    rows = range(2, 2 + moved)  # BR-S117-0001 onwards
    content = file_with(*((row, "responsible_council", "LBL") for row in rows))

    # Reading: the partnership, the user, their roles; councils, ICBs, teams, the register.
    # Saving, in a savepoint (and its release): the partnership's lock, the register's
    # entries; the new entry and its history; the changed entries and their history; the
    # periods' latest days, the periods and their history; the access log.
    assert queries_to_import(tmp_path, content) == 7 + 2 + 2 + 2 + 2 + 3 + 1
    assert Responsibility.objects.count() == 2 * moved


def test_an_import_that_moves_no_one_reads_no_periods(tmp_path):
    # As above, without the periods' three.
    assert queries_to_import(tmp_path, file_with()) == 7 + 2 + 2 + 2 + 2 + 1
