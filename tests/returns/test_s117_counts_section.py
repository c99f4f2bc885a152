"""s117 register counts in the quarterly return: teams that report a total give it as at
the quarter's end, in the file and the task list, with history; a partnership that keeps its
register person by person has nothing to give."""

import datetime
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from s117.models import RegisterCount
from tests.pages import held_token

pytestmark = pytest.mark.django_db

EXAMPLE = (
    Path(__file__).resolve().parents[2]
    / "fixtures/examples/return-oxfordshire-mh-social-work-2022-23-Q4-s117.csv"
)
OXFORDSHIRE = "/partnerships/oxfordshire-mh-social-work/returns/2022-23-Q4/"
BROMLEY = "/partnerships/bromley-oxleas-mh/returns/2022-23-Q4/"
QUARTER_END = datetime.date(2023, 3, 31)


@pytest.fixture
def commissioner(django_user_model):
    client = Client()
    client.force_login(django_user_model.objects.get(username="commissioner"))
    return client


def upload(client, content: bytes):
    return client.post(f"{OXFORDSHIRE}upload/", {"file": SimpleUploadedFile("r.csv", content)})


def test_the_template_lists_the_teams_that_report_counts(commissioner):
    template = commissioner.get(f"{OXFORDSHIRE}template/").content.decode()

    rows = [line for line in template.splitlines() if ",s117," in line]
    teams = sorted(line.split(",")[3] for line in rows)
    # Oxfordshire keeps no register of people, so every team in the agreement gives a count;
    # the Older Adults team, which gave one in 2020, left the agreement in 2019.
    assert teams == [
        "Early Intervention Service",
        "Forensic Service",
        "North and West Oxfordshire AMHT",
        "Oxford City and North East AMHT",
        "S75 Social Work Management",
        "South and Vale IMHT",
    ]
    assert all(line.endswith(",people,") for line in rows)  # nothing recorded at 31 March


def test_a_count_uploaded_is_kept_as_at_the_quarter_end_with_who_gave_it(commissioner):
    preview = upload(commissioner, EXAMPLE.read_bytes())
    assert "add 3 new figures" in preview.content.decode()
    assert "North and West Oxfordshire AMHT: people entitled to s117 aftercare" in (
        preview.content.decode()
    )

    commissioner.post(f"{OXFORDSHIRE}confirm/", {"token": held_token(preview)})

    count = RegisterCount.objects.get(
        team__name="North and West Oxfordshire AMHT", as_at=QUARTER_END
    )
    assert count.people == 604
    assert count.source == "Quarterly return for 2022/23 Q4"
    assert count.history.latest().history_user.username == "commissioner"
    register = commissioner.get("/partnerships/oxfordshire-mh-social-work/s117/").content.decode()
    assert "604" in register  # the latest count is the register's


def test_a_bad_count_names_its_row_and_figure_and_saves_nothing(commissioner):
    bad = (
        EXAMPLE.read_bytes().replace(b",604", b",lots").replace(b"South and Vale IMHT", b"Nowhere")
    )

    text = upload(commissioner, bad).content.decode()

    assert (
        "Row 2, column value (North and West Oxfordshire AMHT: people entitled to s117 "
        "aftercare) &#x27;lots&#x27;: should be a whole number"
    ) in text
    assert "Row 4, column item &#x27;Nowhere&#x27;: is not a team that reports s117 counts" in text
    assert not RegisterCount.objects.filter(as_at=QUARTER_END).exists()


def test_a_partnership_keeping_its_register_by_person_cannot_start_the_section(commissioner):
    page = commissioner.get(BROMLEY).content.decode()

    status = page.split('id="task-s117-status">')[1].split("</div>")[0]
    assert "Cannot start yet" in status
    assert "keeps its s117 register person by person" in page
