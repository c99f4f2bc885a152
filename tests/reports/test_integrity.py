"""A published version is served only if its stored bytes still have the SHA-256 recorded
when it was published. The stored copies are altered here as a fault or a hand on the
database would alter them: with raw SQL, past the trigger that refuses it, which is dropped
inside the test's transaction (both databases roll the drop back with the test)."""

import logging

import pytest
from django.db import connection
from django.test import Client

from reports.models import PublishedVersion

pytestmark = pytest.mark.django_db

FAILED = "failed its integrity check"


@pytest.fixture
def version():
    return PublishedVersion.objects.select_related("report__agreement").get(
        report__agreement__slug="bromley-oxleas-mh", report__kind="decision", number=1
    )


@pytest.fixture
def scrutiny_officer(django_user_model):
    client = Client()
    client.force_login(django_user_model.objects.get(username="scrutiny.officer"))
    return client


def url(version: PublishedVersion) -> str:
    return f"/partnerships/{version.report.agreement.slug}/reports/{version.report_id}/v1"


def alter_stored(version: PublishedVersion, column: str, value) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "DROP TRIGGER reports_published_version_frozen ON reports_publishedversion"
            )
        else:
            cursor.execute("DROP TRIGGER reports_published_version_frozen")
        cursor.execute(
            f"UPDATE reports_publishedversion SET {column} = %s WHERE id = %s",  # noqa: S608
            [value, version.pk],
        )


def assert_refused_and_logged(response, caplog, version, document: str) -> None:
    page = response.content.decode()
    assert response.status_code == 500
    assert response["Content-Type"].startswith("text/html")
    assert "Content-Disposition" not in response
    assert f"The stored copy of the {document} of version 1 of" in page and FAILED in page
    assert "Contact your administrator" in page
    errors = [r for r in caplog.records if r.levelno == logging.ERROR and r.name == "reports.views"]
    assert [r.getMessage() for r in errors] == [
        f"Published {document} of report {version.report_id} (bromley-oxleas-mh, decision, "
        "2023/24-Q3) version 1 does not match its SHA-256: not served"
    ]


def test_a_pdf_whose_stored_bytes_changed_is_not_served(version, scrutiny_officer, caplog):
    pdf = bytearray(version.pdf)
    pdf[len(pdf) // 2] ^= 0x01  # one bit, somewhere in the middle
    alter_stored(version, "pdf", bytes(pdf))

    response = scrutiny_officer.get(f"{url(version)}.pdf")

    assert_refused_and_logged(response, caplog, version, "PDF")
    assert b"%PDF" not in response.content


def test_html_whose_stored_text_changed_is_not_served(version, scrutiny_officer, caplog):
    assert "£1,824,951" in version.html
    alter_stored(version, "html", version.html.replace("£1,824,951", "£1,024,951"))

    response = scrutiny_officer.get(f"{url(version)}/")

    assert_refused_and_logged(response, caplog, version, "HTML")
    assert "£1,024,951" not in response.content.decode()
    caplog.clear()
    downloaded = scrutiny_officer.get(f"{url(version)}/", {"download": "1"})
    assert_refused_and_logged(downloaded, caplog, version, "HTML")


def test_a_version_whose_stored_copies_are_intact_is_served(version, scrutiny_officer, caplog):
    pdf = scrutiny_officer.get(f"{url(version)}.pdf")
    html = scrutiny_officer.get(f"{url(version)}/")

    assert pdf.status_code == html.status_code == 200
    assert pdf.content == bytes(version.pdf) and html.content.decode() == version.html
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
