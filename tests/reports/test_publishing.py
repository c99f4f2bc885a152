"""Publishing applies to what the publisher saw: a version published since they opened the
page, or a correction that changes nothing, is refused with a message saying why, and two
people publishing at once make one version."""

import re
import threading
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection, connections
from django.test import Client
from django.utils import timezone

from budgets.models import ValueProjection
from partnerships.models import Membership, Role
from reports.actions import ReportRefused, publish, save_narrative, start_report
from reports.models import PublishedVersion, Report

pytestmark = pytest.mark.django_db

LATEST = re.compile(r'<input type="hidden" name="latest" value="(\d+)">')


@pytest.fixture
def commissioner(django_user_model):
    return django_user_model.objects.get(username="commissioner")


@pytest.fixture
def second_commissioner(django_user_model, bromley):
    """Another of Bromley's commissioners, who may publish its reports too."""
    user = django_user_model.objects.create_user(username="commissioner.two")
    Membership.objects.create(user=user, agreement=bromley, role=Role.COMMISSIONER)
    return user


def decision_report() -> Report:
    """The demo's decision report for Bromley, published once."""
    return Report.objects.get(agreement__slug="bromley-oxleas-mh", kind="decision")


def change_the_figures() -> None:
    projection = ValueProjection.objects.get(agreement__slug="bromley-oxleas-mh")
    projection.uplift_rate = Decimal("0.0300")
    projection.save()


def as_published(version: PublishedVersion) -> str:
    return f"{timezone.localtime(version.published_at):%H:%M}"


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def draft_url(report: Report) -> str:
    return f"/partnerships/{report.agreement.slug}/reports/{report.pk}/"


def latest_shown(page) -> str:
    """The latest version number the draft page's publish form carries ('' for none)."""
    found = LATEST.search(page.content.decode())
    return found.group(1) if found else ""


# Sequentially, on both databases ---------------------------------------------------------


def test_a_correction_from_a_page_opened_before_another_was_published_is_refused(
    commissioner, second_commissioner
):
    report = decision_report()
    change_the_figures()
    second = publish(
        by=second_commissioner, report=report, latest_seen=1, change_note="Uplift is 3%."
    )

    with pytest.raises(ReportRefused) as refused:
        publish(by=commissioner, report=report, latest_seen=1, change_note="Uplift is 3%.")

    assert str(refused.value) == (
        f"Version 2 was published at {as_published(second)} by commissioner.two since you "
        "opened this page: check it before publishing another."
    )
    assert report.versions.count() == 2


def test_a_first_publish_is_refused_if_someone_published_first(commissioner, bromley):
    report = start_report(by=commissioner, agreement=bromley, kind="jmg", period="2022/23-Q4")
    save_narrative(by=commissioner, report=report, section="summary", text="A quiet quarter.")
    first = publish(by=commissioner, report=report, latest_seen=None)

    with pytest.raises(ReportRefused, match=r"^Version 1 was published at ") as refused:
        publish(by=commissioner, report=report, latest_seen=None, change_note="Again.")

    assert as_published(first) in str(refused.value)
    assert report.versions.count() == 1


def test_a_correction_that_changes_nothing_is_refused(commissioner):
    report = decision_report()

    with pytest.raises(ReportRefused) as refused:
        publish(by=commissioner, report=report, latest_seen=1, change_note="Nothing, really.")

    assert str(refused.value).startswith("Nothing has changed since version 1:")
    assert report.versions.count() == 1


def test_a_correction_of_the_narrative_alone_is_published(commissioner):
    report = decision_report()
    save_narrative(by=commissioner, report=report, section="legal", text="Counsel agrees.")

    version = publish(by=commissioner, report=report, latest_seen=1, change_note="Legal advice.")

    assert version.number == 2


def test_refusals_show_on_the_draft_page_as_an_error_summary_keeping_the_note(
    commissioner, second_commissioner
):
    report = decision_report()
    change_the_figures()
    mine, theirs = client_for(commissioner), client_for(second_commissioner)
    my_page, their_page = mine.get(draft_url(report)), theirs.get(draft_url(report))

    published = theirs.post(
        f"{draft_url(report)}publish/",
        {"latest": latest_shown(their_page), "note": "Uplift is 3%."},
    )
    refused = mine.post(
        f"{draft_url(report)}publish/",
        {"latest": latest_shown(my_page), "note": "The uplift is now 3%."},
    )
    unchanged = theirs.post(
        f"{draft_url(report)}publish/",
        {"latest": latest_shown(refused), "note": "Once more."},
    )

    assert latest_shown(my_page) == latest_shown(their_page) == "1"
    assert published.status_code == 302
    assert refused.status_code == unchanged.status_code == 200
    page = refused.content.decode()
    summary = page.split('class="govuk-error-summary"')[1].split("</div>")[0]
    assert "Version 2 was published at" in summary and "since you opened this page" in summary
    assert "<title>Error: " in page
    assert ">The uplift is now 3%.</textarea>" in page  # what was typed is kept
    assert latest_shown(refused) == "2"  # the page now shows version 2 as the latest
    assert "Nothing has changed since version 2:" in unchanged.content.decode()
    assert report.versions.count() == 2


# At once, on PostgreSQL ------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_people_publishing_at_once_make_one_version(django_user_model):
    """Each publisher has their own connection, as two web workers would. On PostgreSQL they
    publish at the same moment; SQLite lets one connection write at a time and its in-memory
    test database refuses a second writer rather than waiting, so there they go in turn."""
    call_command("load_demo", verbosity=0, passwords=False)  # committed, for both threads
    report = decision_report()
    user = django_user_model.objects.create_user(username="commissioner.two")
    Membership.objects.create(user=user, agreement=report.agreement, role=Role.COMMISSIONER)
    change_the_figures()
    clients = [client_for(django_user_model.objects.get(username="commissioner")), client_for(user)]
    pages = [client.get(draft_url(report)) for client in clients]
    at_once = connection.vendor == "postgresql"
    start = threading.Barrier(2 if at_once else 1)
    answers = []

    def publish_from(client, page):
        try:
            start.wait()
            answers.append(
                client.post(
                    f"{draft_url(report)}publish/",
                    {"latest": latest_shown(page), "note": "Uplift is 3%."},
                )
            )
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=publish_from, args=pair)
        for pair in zip(clients, pages, strict=True)
    ]
    for thread in threads:
        thread.start()
        if not at_once:
            thread.join()
    for thread in threads:
        thread.join()

    assert sorted(answer.status_code for answer in answers) == [200, 302]
    refused = next(answer for answer in answers if answer.status_code == 200)
    assert "since you opened this page" in refused.content.decode()
    assert list(report.versions.values_list("number", flat=True)) == [2, 1]
