"""Bulk-loaded rows and their history (partnerships/bulk_history.py) are exactly what
django-simple-history would have written: every row, its values, and one "created" history
row each, by whom and when; all or nothing.

The rows are its own, not the demo's, but thousands of them: an integration test."""

import datetime
from decimal import Decimal

import pytest
from django.db import DataError, IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from partnerships.bulk_history import (
    _runs,
    bulk_create_recording_history,
    bulk_update_recording_history,
)
from partnerships.models import AgreementPartner, Role
from s117.models import RegisterEntry
from tests.factories import AgreementFactory, CouncilFactory, ICBFactory, TeamFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.integration]

TRACKED = [field.attname for field in RegisterEntry._meta.concrete_fields if not field.primary_key]


@pytest.fixture
def partnership():
    """A council and an ICB in partnership, with a team: all that a register entry names."""
    council, icb = CouncilFactory(), ICBFactory()
    agreement = AgreementFactory(
        partners=[
            (council, AgreementPartner.Role.COMMISSIONER, True),
            (icb, AgreementPartner.Role.PARTNER, False),
        ]
    )
    TeamFactory(agreement=agreement, operated_by=council)
    return agreement


def s117_officer(partnership):
    return UserFactory(username="s117.officer", roles={partnership: [Role.S117_OFFICER]})


def people(partnership, count, prefix="BULK"):
    council = partnership.partners.get(organisation__kind="council").organisation
    icb = partnership.partners.get(organisation__kind="icb").organisation
    team = partnership.teams.first()
    return [
        RegisterEntry(
            agreement=partnership,
            person_reference=f"{prefix}-{n:05d}",
            nhs_number="",
            full_name=f"Person {n} O'Brien",
            date_of_birth=datetime.date(1960, 1, 1) + datetime.timedelta(days=n),
            qualifying_section="3" if n % 2 else "37",
            detained_on=datetime.date(2020, 1, 1),
            discharged_on=None if n % 3 else datetime.date(2020, 3, 1),
            responsible_council=council,
            responsible_icb=icb,
            team=team if n % 4 else None,
            council_share_percent=Decimal("62.50") if n % 5 else Decimal("100.00"),
            review_due=datetime.date(2027, 1, 31),
            cto_in_force=bool(n % 2),
            end_reason="",
        )
        for n in range(count)
    ]


def stored(references):
    return {
        entry["person_reference"]: entry
        for entry in RegisterEntry.objects.filter(person_reference__in=references).values(*TRACKED)
    }


def test_rows_and_history_are_what_simple_history_writes(partnership):
    officer = s117_officer(partnership)
    when = timezone.now().replace(microsecond=0)
    # More rows than one statement takes on either database, so several statements run.
    ours = people(partnership, 4_000)
    theirs = people(partnership, 4_000, prefix="SH")

    with CaptureQueriesContext(connection) as statements:
        bulk_create_recording_history(ours, RegisterEntry, by=officer, when=when)
    bulk_create_with_history(theirs, RegisterEntry, default_user=officer, default_date=when)

    ours_stored = stored([entry.person_reference for entry in ours])
    theirs_stored = stored([entry.person_reference for entry in theirs])
    assert len(ours_stored) == 4_000
    for entry in ours:  # each object has its new id, and the row holds its values
        row = ours_stored[entry.person_reference]
        assert RegisterEntry.objects.get(pk=entry.pk).person_reference == entry.person_reference
        twin = theirs_stored[entry.person_reference.replace("BULK", "SH")]
        assert {k: v for k, v in row.items() if k != "person_reference"} == {
            k: v for k, v in twin.items() if k != "person_reference"
        }
    history = RegisterEntry.history.filter(person_reference__startswith="BULK")
    assert history.count() == 4_000
    assert set(history.values_list("history_type", "history_user", "history_date")) == {
        ("+", officer.pk, when)
    }
    assert history.filter(history_change_reason__isnull=False).count() == 0
    # The register takes the fast path: a few large INSERTs, the history copied by SELECT.
    sql = [statement["sql"] for statement in statements.captured_queries]
    assert any("SELECT" in line and line.startswith("INSERT INTO") for line in sql)
    assert len(sql) < 10
    first = ours[1234]
    record = first.history.get()
    assert record.instance.full_name == "Person 1234 O'Brien"
    assert record.council_share_percent == Decimal("62.50")
    assert record.id == first.pk


def test_a_refused_row_leaves_nothing(partnership):
    officer = s117_officer(partnership)
    before = (RegisterEntry.objects.count(), RegisterEntry.history.count())
    rows = people(partnership, 50)
    rows[40].person_reference = rows[3].person_reference  # the register's unique reference

    with pytest.raises(IntegrityError), transaction.atomic():
        bulk_create_recording_history(rows, RegisterEntry, by=officer)

    assert (RegisterEntry.objects.count(), RegisterEntry.history.count()) == before


def test_runs_of_consecutive_ids():
    assert _runs([8, 1, 2, 3, 7, 12]) == [(1, 3), (7, 8), (12, 12)]
    assert _runs([5]) == [(5, 5)]


def changed(entries):
    """Every kind of value changed: text with a quote, dates to and from empty, a
    percentage, a flag and a team (to none)."""
    for n, entry in enumerate(entries):
        entry.full_name = f"Renamed {n} D'Souza"
        entry.discharged_on = datetime.date(2021, 6, 30) if n % 2 else None
        entry.council_share_percent = Decimal("37.25")
        entry.cto_in_force = not entry.cto_in_force
        entry.team = None
        entry.review_due = datetime.date(2028, 2, 29)
    return [
        "full_name",
        "discharged_on",
        "council_share_percent",
        "cto_in_force",
        "team",
        "review_due",
    ]


def test_changed_rows_and_history_are_what_simple_history_writes(partnership):
    officer = s117_officer(partnership)
    when = timezone.now().replace(microsecond=0)
    ours = bulk_create_recording_history(people(partnership, 3_000), RegisterEntry, by=officer)
    theirs = bulk_create_recording_history(
        people(partnership, 3_000, prefix="SH"), RegisterEntry, by=officer
    )
    fields = changed(ours)
    changed(theirs)

    with CaptureQueriesContext(connection) as statements:
        bulk_update_recording_history(ours, RegisterEntry, fields, by=officer, when=when)
    bulk_update_with_history(theirs, RegisterEntry, fields, default_user=officer, default_date=when)

    ours_stored = stored([entry.person_reference for entry in ours])
    theirs_stored = stored([entry.person_reference for entry in theirs])
    for entry in ours:
        row = ours_stored[entry.person_reference]
        twin = theirs_stored[entry.person_reference.replace("BULK", "SH")]
        assert {k: v for k, v in row.items() if k != "person_reference"} == {
            k: v for k, v in twin.items() if k != "person_reference"
        }
    first = RegisterEntry.objects.get(pk=ours[7].pk)
    assert (first.full_name, first.discharged_on, first.team) == (
        "Renamed 7 D'Souza",
        datetime.date(2021, 6, 30),
        None,
    )
    assert first.council_share_percent == Decimal("37.25")
    changes = RegisterEntry.history.filter(person_reference__startswith="BULK", history_type="~")
    assert changes.count() == 3_000
    assert set(changes.values_list("history_user", "history_date")) == {(officer.pk, when)}
    # What each history row holds is the row as changed, as simple-history records it.
    ours_history = {
        record["person_reference"]: record
        for record in changes.values(*TRACKED, "history_change_reason")
    }
    theirs_history = {
        record["person_reference"]: record
        for record in RegisterEntry.history.filter(
            person_reference__startswith="SH", history_type="~"
        ).values(*TRACKED, "history_change_reason")
    }
    for reference, record in ours_history.items():
        twin = theirs_history[reference.replace("BULK", "SH")]
        assert {k: v for k, v in record.items() if k not in ("person_reference", "id")} == {
            k: v for k, v in twin.items() if k not in ("person_reference", "id")
        }
    # One UPDATE from a list of values and one history copy per statement's worth of rows.
    sql = [statement["sql"] for statement in statements.captured_queries]
    assert all("CASE" not in line for line in sql)
    assert len(sql) < 10


def test_a_row_gone_before_the_save_refuses_the_whole_save(partnership):
    officer = s117_officer(partnership)
    entries = bulk_create_recording_history(people(partnership, 20), RegisterEntry, by=officer)
    fields = changed(entries)
    RegisterEntry.objects.filter(pk=entries[12].pk).delete()

    with (
        pytest.raises(RuntimeError, match=r"1 of the 20 .* are no longer there"),
        transaction.atomic(),
    ):
        bulk_update_recording_history(entries, RegisterEntry, fields, by=officer)

    assert not RegisterEntry.objects.filter(full_name__startswith="Renamed").exists()
    assert not RegisterEntry.history.filter(history_type="~").exists()


def test_changed_rows_are_saved_however_many_statements_they_take(partnership, monkeypatch):
    officer = s117_officer(partnership)
    entries = bulk_create_recording_history(people(partnership, 45), RegisterEntry, by=officer)
    fields = changed(entries)
    # The id and six fields are seven parameters a row: ten rows a statement.
    monkeypatch.setattr("partnerships.bulk_history._parameter_limit", lambda: 70)

    with CaptureQueriesContext(connection) as statements:
        bulk_update_recording_history(entries, RegisterEntry, fields, by=officer)

    updates = [q["sql"] for q in statements.captured_queries if q["sql"].startswith("UPDATE")]
    assert len(updates) == 5
    assert RegisterEntry.objects.filter(full_name__startswith="Renamed").count() == 45
    assert RegisterEntry.history.filter(history_type="~").count() == 45


def test_a_value_too_long_for_its_column_is_refused_as_django_refuses_it(partnership):
    """PostgreSQL refuses a name longer than its column; SQLite keeps it, as it does when
    Django's own update stores it. Never cut short."""
    officer = s117_officer(partnership)
    ours, theirs = bulk_create_recording_history(people(partnership, 2), RegisterEntry, by=officer)
    too_long = "N" * (RegisterEntry._meta.get_field("full_name").max_length + 5)

    def outcome(save):
        try:
            with transaction.atomic():
                save()
        except DataError:
            return "refused"
        return "saved"

    ours.full_name = too_long
    ours_outcome = outcome(
        lambda: bulk_update_recording_history([ours], RegisterEntry, ["full_name"], by=officer)
    )
    theirs_outcome = outcome(
        lambda: RegisterEntry.objects.filter(pk=theirs.pk).update(full_name=too_long)
    )

    assert ours_outcome == theirs_outcome
    if ours_outcome == "saved":
        assert RegisterEntry.objects.get(pk=ours.pk).full_name == too_long
    else:
        assert RegisterEntry.objects.get(pk=ours.pk).full_name == "Person 0 O'Brien"
    assert (connection.vendor == "postgresql") == (ours_outcome == "refused")
