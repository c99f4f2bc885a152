"""Two officers saving register files at once: each save goes into the register its preview
was checked against, or is refused saying so; nothing anyone saved is put back, and nobody
gets an error page or a log line with an NHS number in it."""

import datetime
import logging
import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection, connections
from django.test import Client

from partnerships.models import Agreement, Membership, PendingUpload
from s117.actions import apply_register_changes
from s117.models import RegisterEntry
from s117.register_file import read_register
from tests.pages import held_token
from tests.s117.test_register_file import EXAMPLE, TODAY, file_with

REGISTER = "/partnerships/bromley-oxleas-mh/s117/"
CHANGED = "The register changed since you checked this file: check it again."


def officer(django_user_model, username: str) -> Client:
    user = django_user_model.objects.filter(username=username).first()
    if user is None:
        user = django_user_model.objects.create_user(username)
        Membership.objects.create(
            user=user,
            agreement=Agreement.objects.get(slug="bromley-oxleas-mh"),
            role="s117_officer",
        )
    client = Client()
    client.force_login(user)
    return client


def preview(client, content: bytes):
    response = client.post(
        f"{REGISTER}upload/", {"file": SimpleUploadedFile("register.csv", content)}
    )
    assert "Check the changes before saving" in response.content.decode()
    return response


def confirm(client, previewed):
    return client.post(f"{REGISTER}upload/confirm/", {"token": held_token(previewed)})


def review_due(reference: str) -> datetime.date:
    return RegisterEntry.objects.get(person_reference=reference).review_due


NEW_PERSON = (
    b"BR-S117-0099,9990000999,New Person,1980-01-01,3,2025-01-01,2025-03-01,LBB,SEL ICB,,50,"
    b"2027-03-01,,no,,,,\n"
)


def register_as_in_the_example(django_user_model) -> None:
    """The register as the example file has it, so that it is the state both officers'
    files start from."""
    agreement = Agreement.objects.get(slug="bromley-oxleas-mh")
    checked = read_register(EXAMPLE.read_bytes(), "r.csv", agreement, today=TODAY)
    user = django_user_model.objects.get(username="s117.officer")
    apply_register_changes(by=user, agreement=agreement, changes=checked.changes)


@pytest.mark.django_db
def test_a_save_after_someone_elses_is_refused_rather_than_putting_theirs_back(
    django_user_model,
):
    """Both officers start from the same register file: A changes one person's review date,
    B another's. B's file still has A's person as they were."""
    register_as_in_the_example(django_user_model)
    a, b = officer(django_user_model, "s117.officer"), officer(django_user_model, "s117.two")
    before = review_due("BR-S117-0002")
    a_preview = preview(a, file_with((3, "review_due", "2027-06-01")))
    b_preview = preview(b, file_with((4, "review_due", "2027-07-01")))
    assert "change 1 entry" in b_preview.content.decode()

    assert confirm(a, a_preview).status_code == 302
    refused = confirm(b, b_preview).content.decode()

    assert CHANGED in refused
    assert review_due("BR-S117-0002") == datetime.date(2027, 6, 1), "A's change stays"
    assert before != datetime.date(2027, 6, 1)
    assert review_due("BR-S117-0003") != datetime.date(2027, 7, 1), "nothing of B's was saved"
    # B checks the same file again: it now shows both changes, and B decides.
    again = b.post(f"{REGISTER}upload/", {"recheck": PendingUpload.objects.get().token})
    assert "change 2 entries" in again.content.decode()


@pytest.mark.django_db
def test_a_save_after_someone_added_the_same_person_is_refused_clearly(django_user_model):
    register_as_in_the_example(django_user_model)
    a, b = officer(django_user_model, "s117.officer"), officer(django_user_model, "s117.two")
    new_person = EXAMPLE.read_bytes() + NEW_PERSON
    a_preview, b_preview = preview(a, new_person), preview(b, new_person)

    confirm(a, a_preview)
    refused = confirm(b, b_preview)

    assert refused.status_code == 200
    assert CHANGED in refused.content.decode()
    assert RegisterEntry.objects.filter(person_reference="BR-S117-0099").count() == 1


@pytest.fixture
def committed_demo(transactional_db):
    """The demo data committed, so that other connections (other threads) see it."""
    call_command("load_demo", verbosity=0, passwords=False)


def at_once(*calls):
    """Run each call in its own thread with its own database connection, all released at
    the same moment; their results, in order."""
    start = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(index, call):
        try:
            start.wait()
            results[index] = call()
        except Exception as error:  # surfaced by the test, not lost in the thread
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


@pytest.mark.django_db(transaction=True)
def test_saves_made_at_the_same_moment_are_made_one_after_the_other(
    committed_demo, django_user_model, caplog
):
    """On PostgreSQL, two officers' saves really run at once: one is saved, the other is
    refused, and no change of either is lost or put back. (SQLite lets one writer in at a
    time, so there they meet one after the other.)"""
    register_as_in_the_example(django_user_model)
    a, b = officer(django_user_model, "s117.officer"), officer(django_user_model, "s117.two")
    a_preview = preview(a, file_with((3, "review_due", "2027-06-01")))
    b_preview = preview(b, file_with((4, "review_due", "2027-07-01")))
    caplog.set_level(logging.INFO)

    if connection.vendor == "postgresql":
        answers = at_once(lambda: confirm(a, a_preview), lambda: confirm(b, b_preview))
    else:
        answers = [confirm(a, a_preview), confirm(b, b_preview)]

    statuses = [answer.status_code for answer in answers]
    assert sorted(statuses) == [200, 302], answers  # one saved (redirected), one refused
    refused = answers[statuses.index(200)].content.decode()
    assert CHANGED in refused
    saved = {"A": review_due("BR-S117-0002"), "B": review_due("BR-S117-0003")}
    wanted = {"A": datetime.date(2027, 6, 1), "B": datetime.date(2027, 7, 1)}
    winner = "A" if statuses[0] == 302 else "B"
    assert {who for who in saved if saved[who] == wanted[who]} == {winner}
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


@pytest.mark.django_db(transaction=True)
def test_the_same_new_person_saved_twice_at_once_is_refused_clearly_and_logged_without_them(
    committed_demo, django_user_model, caplog
):
    register_as_in_the_example(django_user_model)
    a, b = officer(django_user_model, "s117.officer"), officer(django_user_model, "s117.two")
    new_person = EXAMPLE.read_bytes() + NEW_PERSON
    a_preview, b_preview = preview(a, new_person), preview(b, new_person)
    caplog.set_level(logging.DEBUG)

    if connection.vendor == "postgresql":
        answers = at_once(lambda: confirm(a, a_preview), lambda: confirm(b, b_preview))
    else:
        answers = [confirm(a, a_preview), confirm(b, b_preview)]

    assert sorted(answer.status_code for answer in answers) == [200, 302], answers
    refused = next(answer for answer in answers if answer.status_code == 200)
    assert CHANGED in refused.content.decode()
    assert RegisterEntry.objects.filter(nhs_number="9990000999").count() == 1
    logged = "\n".join(record.getMessage() + (record.exc_text or "") for record in caplog.records)
    assert "9990000999" not in logged
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


@pytest.mark.django_db
def test_an_admin_form_opened_before_an_upload_cant_put_back_what_it_saved(
    client, django_user_model
):
    import re

    admin_user = django_user_model.objects.get(username="admin")
    Membership.objects.create(
        user=admin_user,
        agreement=Agreement.objects.get(slug="bromley-oxleas-mh"),
        role="s117_officer",
    )
    client.force_login(admin_user)
    entry = RegisterEntry.objects.get(person_reference="BR-S117-0002")
    url = f"/admin/s117/registerentry/{entry.pk}/change/"
    form = client.get(url).content.decode()
    seen = re.search(r'name="seen_version" value="([^"]*)"', form).group(1)
    # Meanwhile an upload saves a new review date for the person.
    preview_and_save = officer(django_user_model, "s117.officer")
    confirm(preview_and_save, preview(preview_and_save, file_with((3, "review_due", "2027-06-01"))))
    posted = {
        "person_reference": entry.person_reference,
        "seen_version": seen,
        "nhs_number": entry.nhs_number,
        "full_name": entry.full_name,
        "date_of_birth": entry.date_of_birth,
        "qualifying_section": entry.qualifying_section,
        "detained_on": entry.detained_on,
        "discharged_on": entry.discharged_on,
        "responsible_council": entry.responsible_council_id,
        "responsible_icb": entry.responsible_icb_id,
        "team": entry.team_id or "",
        "council_share_percent": "55",
        "review_due": entry.review_due,  # as the form showed it, before the upload
        "cto_in_force": "on" if entry.cto_in_force else "",
        "reviews-TOTAL_FORMS": 0,
        "reviews-INITIAL_FORMS": 0,
        "packages-TOTAL_FORMS": 0,
        "packages-INITIAL_FORMS": 0,
    }

    refused = client.post(url, {k: v for k, v in posted.items() if v is not None})

    assert "This entry has changed since you opened it" in refused.content.decode()
    entry.refresh_from_db()
    assert entry.review_due == datetime.date(2027, 6, 1)
    assert str(entry.council_share_percent) != "55.00"
    # Opened again, the same change saves.
    fresh = client.get(url).content.decode()
    posted["seen_version"] = re.search(r'name="seen_version" value="([^"]*)"', fresh).group(1)
    posted["review_due"] = entry.review_due
    assert client.post(url, {k: v for k, v in posted.items() if v is not None}).status_code == 302
    entry.refresh_from_db()
    assert str(entry.council_share_percent) == "55.00"
