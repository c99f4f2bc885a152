"""What an s117 upload keeps, says and logs: a checked file waits on the server, not in the
session, and goes when saved, cancelled, replaced, signed out of or expired; what reading
a file discloses about someone on the register is logged as a view of their record; a
reference that would break an address is refused, and one stored anyway still works."""

import datetime
import io

import pytest
from django.contrib.sessions.models import Session
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from partnerships.models import PendingUpload
from s117.models import AccessLog, RegisterEntry
from s117.register_file import COLUMNS
from tests.pages import held_token
from tests.s117.test_register_file import EXAMPLE, ROWS, file_with, messages

pytestmark = pytest.mark.django_db

REGISTER = "/partnerships/bromley-oxleas-mh/s117/"


@pytest.fixture
def officer(django_user_model):
    client = Client()
    client.user = django_user_model.objects.get(username="s117.officer")
    client.force_login(client.user)
    return client


def upload(client, content: bytes, name="register.csv"):
    return client.post(f"{REGISTER}upload/", {"file": SimpleUploadedFile(name, content)})


def session_text() -> str:
    return " ".join(str(session.get_decoded()) for session in Session.objects.all())


def test_a_checked_file_waits_on_the_server_and_nothing_of_it_is_in_the_session(officer):
    upload(officer, EXAMPLE.read_bytes())

    held = PendingUpload.objects.get()
    assert (held.user, held.kind, held.file_name) == (officer.user, "s117_register", "register.csv")
    assert bytes(held.content) == EXAMPLE.read_bytes()
    stored = session_text()
    for secret in ("9990000077", "Demo Person B7", "1988-04-02", "BR-S117-0007"):
        assert secret not in stored
    assert len(max((s.session_data for s in Session.objects.all()), key=len)) < 1000


def test_a_saved_file_is_no_longer_held(officer):
    officer.post(
        f"{REGISTER}upload/confirm/", {"token": held_token(upload(officer, EXAMPLE.read_bytes()))}
    )

    assert not PendingUpload.objects.exists()


def test_a_cancelled_file_is_forgotten_and_nothing_of_it_saved(officer):
    before = list(RegisterEntry.objects.values())
    upload(officer, EXAMPLE.read_bytes())

    response = officer.post(f"{REGISTER}upload/cancel/", follow=True)

    assert "The checked file was not saved, and has been deleted." in response.content.decode()
    assert not PendingUpload.objects.exists()
    assert list(RegisterEntry.objects.values()) == before


def test_another_upload_replaces_the_waiting_file(officer):
    first = held_token(upload(officer, EXAMPLE.read_bytes()))
    upload(officer, file_with(drop=5))

    assert PendingUpload.objects.get().token != first
    refused = officer.post(f"{REGISTER}upload/confirm/", {"token": first}, follow=True)
    assert "There is no checked file waiting to be saved" in refused.content.decode()


def test_signing_out_forgets_the_waiting_file(officer):
    upload(officer, EXAMPLE.read_bytes())

    officer.post(reverse("logout"))

    assert not PendingUpload.objects.exists()


def test_an_expired_file_cannot_be_saved_and_is_purged_with_expired_sessions(officer):
    token = held_token(upload(officer, EXAMPLE.read_bytes()))
    past = timezone.now() - datetime.timedelta(hours=1)
    PendingUpload.objects.update(created_at=past - datetime.timedelta(hours=1), expires_at=past)
    Session.objects.update(expire_date=past)

    refused = officer.post(f"{REGISTER}upload/confirm/", {"token": token})
    call_command("purge_expired", stdout=io.StringIO())

    assert refused.status_code == 302  # signed out: the session had expired too
    assert not PendingUpload.objects.exists()
    assert not Session.objects.exists()
    assert RegisterEntry.objects.filter(person_reference="BR-S117-0007").exists() is False


def test_someone_elses_token_saves_nothing(officer, django_user_model):
    token = held_token(upload(officer, EXAMPLE.read_bytes()))
    other = Client()
    other_user = django_user_model.objects.create_user("s117.two")
    from partnerships.models import Agreement, Membership

    Membership.objects.create(
        user=other_user,
        agreement=Agreement.objects.get(slug="bromley-oxleas-mh"),
        role="s117_officer",
    )
    other.force_login(other_user)

    refused = other.post(f"{REGISTER}upload/confirm/", {"token": token}, follow=True)

    assert "There is no checked file waiting to be saved" in refused.content.decode()
    assert not RegisterEntry.objects.filter(person_reference="BR-S117-0007").exists()


def test_naming_whose_nhs_number_it_is_is_logged_as_a_view_of_their_record(officer):
    # A new reference with the NHS number of someone on the register the file leaves out.
    content = file_with((7, "nhs_number", "9990000026"), drop=3)

    page = upload(officer, content).content.decode()

    assert "already has an open entitlement on the register as BR-S117-0002" in page
    viewed = AccessLog.objects.filter(user=officer.user, action="view")
    assert "BR-S117-0002" in set(viewed.values_list("person_reference", flat=True))


@pytest.mark.parametrize(
    "reference", ["BR/S117/1", "../admin", "a?b", "#1", "-BR-1", "x" * 31, "BR 1", "Ab%2F"]
)
def test_a_reference_that_would_not_make_an_address_is_refused(bromley, reference):
    found = messages(bromley, file_with((2, "person_reference", reference)))

    assert found == [
        f"Row 2, column person_reference {reference!r}: should be 1 to 30 letters, digits, "
        "hyphens (-), full stops (.) or underscores (_), starting with a letter or a digit, "
        "such as BR-S117-0002."
    ]


def test_a_stored_reference_with_a_slash_still_opens_every_page(officer, bromley):
    entry = RegisterEntry.objects.filter(agreement=bromley).order_by("pk").first()
    RegisterEntry.objects.filter(pk=entry.pk).update(person_reference="LEGACY/0001")

    person = reverse("s117_person", args=[bromley.slug, "LEGACY/0001"])
    pages = [
        officer.get(REGISTER),
        officer.get(f"{REGISTER}history/"),
        officer.get(person),
        officer.get(reverse("s117_person_history", args=[bromley.slug, "LEGACY/0001"])),
    ]

    assert [page.status_code for page in pages] == [200, 200, 200, 200]
    assert "LEGACY/0001" in pages[2].content.decode()
    assert person in pages[0].content.decode()


def test_the_entry_form_refuses_a_new_such_reference_and_keeps_an_old_one(bromley):
    from django.forms.models import model_to_dict

    from s117.forms import RegisterEntryForm

    entry = RegisterEntry.objects.filter(agreement=bromley).first()
    RegisterEntry.objects.filter(pk=entry.pk).update(person_reference="LEGACY/1")
    entry.refresh_from_db()
    data = {k: v for k, v in model_to_dict(entry).items() if v is not None}
    data["seen_version"] = RegisterEntryForm(instance=entry)["seen_version"].initial

    kept = RegisterEntryForm(data=data, instance=entry)
    renamed = RegisterEntryForm(data=data | {"person_reference": "BR/1"}, instance=entry)

    assert "person_reference" not in kept.errors, kept.errors
    assert renamed.errors["person_reference"] == [
        "A reference should be 1 to 30 letters, digits, hyphens (-), full stops (.) or "
        "underscores (_), starting with a letter or a digit, such as BR-S117-0002."
    ]


def test_a_file_may_keep_a_reference_stored_before_the_rule(bromley):
    RegisterEntry.objects.filter(person_reference="BR-S117-0002").update(
        person_reference="LEGACY/2"
    )

    assert messages(bromley, file_with((3, "person_reference", "LEGACY/2"))) == []


def test_a_date_of_birth_after_detention_is_refused(bromley):
    found = messages(bromley, file_with((2, "date_of_birth", "2021-03-03")))

    assert found == ["Row 2, column date_of_birth '2021-03-03': is after detained_on."]


def test_the_database_refuses_a_birth_after_detention_by_any_route(bromley):
    from django.db import IntegrityError, transaction

    entry = RegisterEntry.objects.filter(agreement=bromley).first()
    with pytest.raises(IntegrityError), transaction.atomic():
        RegisterEntry.objects.filter(pk=entry.pk).update(
            date_of_birth=entry.detained_on + datetime.timedelta(days=1)
        )


def test_a_name_too_long_to_keep_is_refused_not_cut(bromley):
    found = messages(bromley, file_with((2, "full_name", "A" * 201)))

    assert found == [
        "Row 2, column full_name '" + "A" * 40 + "…': is 201 characters long; at most 200 "
        "can be kept: shorten it."
    ]


@pytest.mark.parametrize("text", ["+Name", "-Name", "@Name", "=Name"])
def test_a_name_a_spreadsheet_would_run_is_refused(bromley, text):
    found = messages(bromley, file_with((2, "full_name", text)))

    assert len(found) == 1
    assert found[0].startswith(f"Row 2, column full_name {text!r}: ")


def test_a_formula_in_a_register_spreadsheet_is_refused_not_replaced_by_its_value(bromley):
    book = Workbook()
    sheet = book.active
    for row in ROWS:
        sheet.append(row)
    sheet.cell(row=2, column=COLUMNS.index("council_share_percent") + 1, value="=40+10")
    buffer = io.BytesIO()
    book.save(buffer)

    from s117.register_file import read_register
    from tests.s117.test_register_file import TODAY

    result = read_register(buffer.getvalue(), "register.xlsx", bromley, today=TODAY)

    assert [str(p) for p in result.problems] == [
        "Row 2, column council_share_percent '=40+10': is a formula: type the value itself."
    ]


def test_the_page_reads_registers_it_can_check_and_save_within_a_request(officer):
    from s117.views import PAGE_LIMITS

    header, row = ROWS[0], ROWS[1]
    rest = row[2:]  # a new person on every row, without an NHS number
    lines = [",".join(header)] + [
        ",".join([f"BR-L-{n}", "", *rest]) for n in range(PAGE_LIMITS.max_rows + 1)
    ]

    page = upload(officer, "\n".join(lines).encode()).content.decode()

    assert f"has more than {PAGE_LIMITS.max_rows:,} rows under its header" in page
    assert not PendingUpload.objects.exists()


def test_a_file_with_hundreds_of_problems_lists_the_first_and_says_it_stopped(bromley):
    header, row = ROWS[0], ROWS[1]
    bad = [*row[:5], "soon", *row[6:]]  # detained_on isn't a date
    lines = [",".join(header)] + [",".join([f"BR-X-{n}", *bad[1:]]) for n in range(300)]

    found = messages(bromley, "\n".join(lines).encode())

    assert len(found) == 201
    assert (
        found[0]
        == "Row 2, column detained_on 'soon': should be a date such as 2024-03-31 or 31/03/2024."
    )
    assert found[-1] == (
        "The file: has more problems than the 200 listed: it was read no further. Correct "
        "these, then check it again."
    )


def test_a_second_click_on_save_finds_nothing_waiting(officer):
    token = held_token(upload(officer, EXAMPLE.read_bytes()))
    officer.post(f"{REGISTER}upload/confirm/", {"token": token})

    again = officer.post(f"{REGISTER}upload/confirm/", {"token": token}, follow=True)

    assert "There is no checked file waiting to be saved" in again.content.decode()
    assert RegisterEntry.objects.filter(person_reference="BR-S117-0007").count() == 1


def test_whom_a_problem_found_on_saving_names_is_logged_too(officer):
    token = held_token(upload(officer, file_with((2, "nhs_number", "9990000123"))))
    RegisterEntry.objects.filter(person_reference="BR-S117-0003").update(nhs_number="9990000123")

    page = officer.post(f"{REGISTER}upload/confirm/", {"token": token}).content.decode()

    assert "already has an open entitlement on the register as BR-S117-0003" in page
    assert AccessLog.objects.filter(
        user=officer.user, person_reference="BR-S117-0003", path=f"{REGISTER}upload/confirm/"
    ).exists()


def test_a_file_that_changes_nothing_is_not_kept(officer):
    token = held_token(upload(officer, EXAMPLE.read_bytes()))
    officer.post(f"{REGISTER}upload/confirm/", {"token": token})

    page = upload(officer, EXAMPLE.read_bytes()).content.decode()

    assert "There is nothing to save" in page
    assert not PendingUpload.objects.exists()
