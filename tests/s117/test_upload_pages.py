"""The s117 register upload and history pages, as an s117 officer uses them."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from s117.actions import record_export
from s117.models import AccessLog, RegisterEntry
from tests.pages import held_token
from tests.s117.test_register_file import EXAMPLE, file_with

pytestmark = pytest.mark.django_db

REGISTER = "/partnerships/bromley-oxleas-mh/s117/"


@pytest.fixture
def officer(django_user_model):
    client = Client()
    client.force_login(django_user_model.objects.get(username="s117.officer"))
    client.user = django_user_model.objects.get(username="s117.officer")
    return client


def upload(client, content: bytes, name="register.csv"):
    return client.post(f"{REGISTER}upload/", {"file": SimpleUploadedFile(name, content)})


def confirm(client, preview, **kwargs):
    """Save what `preview` showed, as its button does."""
    return client.post(f"{REGISTER}upload/confirm/", {"token": held_token(preview)}, **kwargs)


def register_rows() -> list:
    return list(RegisterEntry.objects.order_by("pk").values())


def test_upload_is_previewed_then_saved_and_logged(officer):
    before = register_rows()

    response = upload(officer, EXAMPLE.read_bytes())
    preview = response.content.decode()

    assert "Saving it would add 1 person to the register and change 1 entry" in preview
    assert "BR-S117-0007" in preview
    assert register_rows() == before, "nothing is saved before the user confirms"
    # The preview compared the file with the record of everyone on the register it names,
    # changed or not ("unchanged" tells the uploader the record matches their row).
    named = {row[0] for row in csv.reader(io.StringIO(EXAMPLE.read_text()))} - {"person_reference"}
    on_register = set(RegisterEntry.objects.values_list("person_reference", flat=True))
    viewed = AccessLog.objects.filter(user=officer.user, action="view")
    assert sorted(viewed.values_list("person_reference", flat=True)) == sorted(named & on_register)

    saved = confirm(officer, response, follow=True).content.decode()

    assert "Saved register.csv: 1 new and 1 changed entries" in saved
    assert RegisterEntry.objects.get(person_reference="BR-S117-0007").nhs_number == "9990000077"
    changed = AccessLog.objects.filter(user=officer.user, action="change")
    assert list(changed.values_list("entry__person_reference", flat=True)) == ["BR-S117-0001"]
    added = RegisterEntry.objects.get(person_reference="BR-S117-0007").history.get()
    assert (added.history_type, added.history_user) == ("+", officer.user)
    history = saved.split("<tbody")[1]
    assert "BR-S117-0007" in history and "Added to the register" in history
    assert "Review due, Last reviewed" in history


def test_preview_shows_the_values_before_and_after(officer):
    entry = RegisterEntry.objects.get(person_reference="BR-S117-0001")

    preview = upload(officer, EXAMPLE.read_bytes()).content.decode()

    assert f"Review due: {entry.review_due:%-d %B %Y} → 14 May 2027" in preview


def test_a_refused_file_names_row_and_column_and_saves_nothing(officer):
    before = register_rows()

    page = upload(officer, file_with((3, "nhs_number", "9990000027"), (4, "detained_on", "soon")))

    text = page.content.decode()
    assert page.status_code == 200
    assert "Error: Upload the s117 register" in text
    assert "Row 3, column nhs_number" in text and "Row 4, column detained_on" in text
    assert register_rows() == before
    assert officer.post(f"{REGISTER}upload/confirm/").status_code == 302  # nothing waiting
    assert register_rows() == before


def test_a_person_left_out_stays_entitled_and_the_page_says_so(officer):
    response = upload(officer, file_with(drop=5))
    confirm(officer, response)

    assert "is not in the file. They stay on the register as they are" in response.content.decode()
    assert RegisterEntry.objects.get(person_reference="BR-S117-0004").ended_on is None


def test_the_register_is_checked_again_when_the_upload_is_saved(officer):
    preview = upload(officer, file_with((2, "nhs_number", "9990000123")))
    # meanwhile someone records that number against another open entry
    other = RegisterEntry.objects.get(person_reference="BR-S117-0003")
    other.nhs_number = "9990000123"
    other.save()
    before = register_rows()

    page = confirm(officer, preview)

    assert "already has an open entitlement on the register as BR-S117-0003" in (
        page.content.decode()
    )
    assert register_rows() == before


def test_a_persons_history_shows_each_change_and_is_logged(officer):
    confirm(officer, upload(officer, EXAMPLE.read_bytes()))

    page = officer.get(f"{REGISTER}people/BR-S117-0001/history/").content.decode()

    newest = page.split("<table")[1]
    assert "s117.officer: changed" in newest
    assert '<td class="govuk-table__cell">14 May 2027</td>' in newest
    assert AccessLog.objects.filter(
        user=officer.user, action="history", entry__person_reference="BR-S117-0001"
    ).exists()


@pytest.mark.parametrize("extra_versions", [0, 30])
def test_history_queries_do_not_grow(officer, bromley, extra_versions, django_assert_num_queries):
    entries = list(RegisterEntry.objects.filter(agreement=bromley))
    for n in range(extra_versions):
        entry = entries[n % len(entries)]
        entry.end_reason = f"note {n}"
        entry.save()
        record_export(
            by=officer.user,
            agreement=bromley,
            what="breakdowns",
            file_format="csv",
            query="",
            rows=n,
        )

    # session, user, agreement, memberships; the count and the page of changes; the earlier
    # versions of the page's entries; organisation and team names; the latest downloads
    with django_assert_num_queries(4 + 2 + 1 + 2 + 1):
        assert officer.get(f"{REGISTER}history/").status_code == 200


def test_only_s117_officers_may_upload(django_user_model):
    client = Client()
    client.force_login(django_user_model.objects.get(username="commissioner"))

    assert upload(client, EXAMPLE.read_bytes()).status_code == 403
    assert client.post(f"{REGISTER}upload/confirm/").status_code == 403
    assert client.post(f"{REGISTER}upload/cancel/").status_code == 403


def test_outsiders_may_not_upload_confirm_or_cancel(django_user_model):
    client = Client()
    client.force_login(django_user_model.objects.create_user("outsider"))

    for step in ("", "confirm/", "cancel/"):
        assert client.post(f"{REGISTER}upload/{step}").status_code == 404
        assert Client().post(f"{REGISTER}upload/{step}").status_code == 302  # to sign in
