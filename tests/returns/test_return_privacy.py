"""What a return upload tells, keeps and writes: nothing about another partnership, no
figure left waiting in the session, no text a spreadsheet would run, and no return
started by a step that was refused."""

import io

import pytest
from django.contrib.sessions.models import Session
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import load_workbook

from partnerships.models import PendingUpload, ProgressNote, Recommendation
from returns.models import QuarterlyReturn
from tests.pages import held_token

pytestmark = pytest.mark.django_db

PAGE = "/partnerships/bromley-oxleas-mh/returns/2022-23-Q4/"
HEADER = "partnership,period,section,item,measure,value\n"


def signed_in(django_user_model, username):
    client = Client()
    client.force_login(django_user_model.objects.get(username=username))
    return client


@pytest.fixture
def commissioner(django_user_model):
    return signed_in(django_user_model, "commissioner")


def upload(client, content: bytes, name="return.csv"):
    return client.post(f"{PAGE}upload/", {"file": SimpleUploadedFile(name, content)})


def errors(response) -> list[str]:
    text = response.content.decode()
    summary = text.split('govuk-error-summary__list">')[1].split("</ul>")[0]
    return [item.split('">', 1)[1].split("</a>")[0] for item in summary.split("<li>")[1:]]


def test_a_file_for_another_partnership_is_told_what_a_file_for_none_is(commissioner, oxfordshire):
    """The commissioner of one partnership learns nothing of the other, on their own page."""
    other = (HEADER + "oxfordshire-mh-social-work,2022/23-Q4,kpi,KPI 1,value,80\n").encode()
    nowhere = (HEADER + "no-such-partnership,2022/23-Q4,kpi,KPI 1,value,80\n").encode()

    about_other = errors(upload(commissioner, other))
    about_nowhere = errors(upload(commissioner, nowhere))
    page = upload(commissioner, other).content.decode()

    assert [e.replace("oxfordshire-mh-social-work", "…") for e in about_other] == [
        e.replace("no-such-partnership", "…") for e in about_nowhere
    ]
    assert about_other == [
        "Row 2, column partnership &#x27;oxfordshire-mh-social-work&#x27;: is not a "
        "partnership this file can be for: this page is for bromley-oxleas-mh. Download "
        "the return&#x27;s template to see how it is written."
    ]
    for of_oxfordshire in [team.name for team in oxfordshire.teams.all()] + ["OCC", "OHFT"]:
        assert of_oxfordshire not in page


def test_a_checked_return_waits_on_the_server_not_in_the_session(commissioner):
    content = (HEADER + "bromley-oxleas-mh,2022/23-Q4,kpi,KPI 1,value,73\n").encode()

    token = held_token(upload(commissioner, content))

    held = PendingUpload.objects.get(token=token)
    assert (held.kind, bytes(held.content)) == ("return", content)
    assert all("content" not in s.get_decoded() for s in Session.objects.all())
    assert "KPI 1" not in " ".join(str(s.get_decoded()) for s in Session.objects.all())


@pytest.mark.parametrize("note", ["+cmd|' /C calc'!A0", "-2+3", "@SUM(1+1)", "=1+1", "\t=1"])
def test_a_progress_note_a_spreadsheet_would_run_is_refused(commissioner, note):
    content = HEADER + f"bromley-oxleas-mh,2022/23-Q4,action,3.8.4,progress_note,{note}\n"

    response = upload(commissioner, content.encode())

    assert "The file was not saved" in response.content.decode()
    assert not ProgressNote.objects.filter(note=note.strip()).exists()


def test_text_in_the_template_is_written_so_no_spreadsheet_runs_it_and_reads_back_unchanged(
    commissioner, bromley
):
    """A note stored before the rule (or by a route that skipped it) is written into the
    template after an apostrophe, and the template uploaded as it is changes nothing."""
    from partnerships.models import Quarter

    recommendation = Recommendation.objects.filter(review__agreement=bromley).first()
    quarter = Quarter.objects.get(financial_year__start_year=2022, number=4)
    ProgressNote.objects.update_or_create(
        recommendation=recommendation,
        quarter=quarter,
        defaults={
            "note": "=HYPERLINK(1)",
            "written_on": quarter.end_date,
            "status_after": recommendation.status,
        },
    )

    csv_template = commissioner.get(f"{PAGE}template/").content
    xlsx_template = commissioner.get(f"{PAGE}template/?format=xlsx").content

    assert b",'=HYPERLINK(1)" in csv_template
    book = load_workbook(io.BytesIO(xlsx_template))
    assert "'=HYPERLINK(1)" in [cell.value for row in book.active.iter_rows() for cell in row]
    # The template's filled-in rows, uploaded as the product wrote them, change nothing.
    # (Its blank rows are figures not yet recorded.)
    filled = b"\n".join(line for line in csv_template.splitlines() if not line.endswith(b","))
    for row in reversed(range(2, book.active.max_row + 1)):
        if book.active.cell(row=row, column=6).value in (None, ""):
            book.active.delete_rows(row)
    filled_xlsx = io.BytesIO()
    book.save(filled_xlsx)
    for content, name in ((filled, "t.csv"), (filled_xlsx.getvalue(), "t.xlsx")):
        preview = upload(commissioner, content, name).content.decode()
        assert "The file was not saved" not in preview, name
        assert "add 0 new figures and change 0;" in preview, name


def test_a_refused_step_starts_no_return(django_user_model):
    jmg = signed_in(django_user_model, "jmg.member")

    response = jmg.post(f"{PAGE}status/", {"step": "submit"})
    signed = jmg.post(f"{PAGE}status/", {"step": "sign_off"})

    assert "Only a commissioner of the partnership can submit it." in response.content.decode()
    assert "No return for 2022/23 Q4 has been submitted yet." in signed.content.decode()
    assert not QuarterlyReturn.objects.exists()
