"""A narrative section holds at most so many characters and paragraphs, so that the largest
report still renders as a PDF well inside a web worker's time-out. Longer text is refused
with the section and the limit named, and the form keeps what was typed."""

import pytest
from django.test import Client
from django.utils.html import escape

from reports.actions import ReportRefused, publish, save_narrative, start_report
from reports.models import Paragraph, Report
from reports.narrative import MOST_CHARACTERS, MOST_PARAGRAPHS

pytestmark = pytest.mark.django_db


@pytest.fixture
def commissioner(django_user_model):
    return django_user_model.objects.get(username="commissioner")


@pytest.fixture
def scrutiny(commissioner, oxfordshire) -> Report:
    """A new scrutiny report, its conclusions written."""
    report = start_report(
        by=commissioner, agreement=oxfordshire, kind="scrutiny", period="2018/19-Q4"
    )
    save_narrative(by=commissioner, report=report, section="conclusions", text="All well.")
    return report


@pytest.fixture
def page_client(commissioner):
    client = Client()
    client.force_login(commissioner)
    return client


def text_of(characters: int, paragraphs: int = 4) -> str:
    """`paragraphs` paragraphs of words that, as saved, are `characters` long."""
    each = (characters - 2 * (paragraphs - 1)) // paragraphs
    blocks = [("word " * each)[:each].rstrip().ljust(each, "x") for _ in range(paragraphs)]
    blocks[-1] += "x" * (characters - len("\n\n".join(blocks)))
    return "\n\n".join(blocks)


def url(report: Report) -> str:
    return f"/partnerships/{report.agreement.slug}/reports/{report.pk}/"


def test_text_at_the_limits_is_saved(commissioner, scrutiny):
    at_limit = text_of(MOST_CHARACTERS)
    most_paragraphs = "\n\n".join(["A point."] * MOST_PARAGRAPHS)

    save_narrative(by=commissioner, report=scrutiny, section="background", text=at_limit)
    saved = save_narrative(
        by=commissioner, report=scrutiny, section="conclusions", text=most_paragraphs
    )

    assert len(at_limit) == MOST_CHARACTERS
    background = scrutiny.paragraphs.filter(section="background").order_by("position")
    assert "\n\n".join(p.text for p in background) == at_limit
    assert saved == MOST_PARAGRAPHS


def test_a_section_longer_than_the_limit_is_refused_naming_it(commissioner, scrutiny):
    save_narrative(by=commissioner, report=scrutiny, section="background", text="As before.")

    with pytest.raises(ReportRefused) as refused:
        save_narrative(
            by=commissioner,
            report=scrutiny,
            section="background",
            text=text_of(MOST_CHARACTERS + 1),
        )

    assert str(refused.value) == (
        "Background is 10,001 characters long: a section can have at most 10,000. "
        "Shorten it and save again."
    )
    assert list(scrutiny.paragraphs.filter(section="background").values_list("text")) == [
        ("As before.",)
    ]


def test_a_section_with_more_paragraphs_than_the_limit_is_refused(commissioner, scrutiny):
    with pytest.raises(ReportRefused) as refused:
        save_narrative(
            by=commissioner,
            report=scrutiny,
            section="conclusions",
            text="\n\n".join(["A point."] * (MOST_PARAGRAPHS + 1)),
        )

    assert str(refused.value) == (
        "Conclusions has 101 paragraphs: a section can have at most 100. "
        "Join some of them and save again."
    )
    assert scrutiny.paragraphs.get(section="conclusions").text == "All well."


def test_the_draft_page_shows_the_refusal_and_keeps_what_was_typed(page_client, scrutiny):
    typed = text_of(MOST_CHARACTERS + 500)

    response = page_client.post(
        f"{url(scrutiny)}narrative/", {"section": "background", "text": typed}
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: " in page
    summary = page.split('class="govuk-error-summary"')[1].split("</ul>")[0]
    assert '<a href="#text-background">Background is 10,500 characters long' in summary
    assert 'id="text-background-error"' in page
    assert f">{escape(typed)}</textarea>" in page  # nothing typed is lost
    assert ">All well.</textarea>" in page  # the other section as saved
    assert not scrutiny.paragraphs.filter(section="background").exists()


def test_the_draft_page_says_how_much_a_section_may_hold(page_client, scrutiny):
    page = page_client.get(url(scrutiny)).content.decode()

    assert 'data-module="govuk-character-count" data-maxlength="10000"' in page
    assert "You can enter up to 10,000 characters" in page
    assert "a section can have up to 100 paragraphs" in page


def test_a_narrative_saved_before_the_limits_is_neither_rendered_nor_published(
    commissioner, page_client, scrutiny
):
    Paragraph.objects.create(report=scrutiny, section="background", position=1, text="x" * 20_000)

    pdf = page_client.get(f"{url(scrutiny)}draft.pdf")
    with pytest.raises(ReportRefused, match=r"^Background is 20,000 characters long"):
        publish(by=commissioner, report=scrutiny)

    assert pdf.status_code == 200 and pdf["Content-Type"].startswith("text/html")
    assert '<a href="#text-background">Background is 20,000 characters long' in (
        pdf.content.decode()
    )
    assert not scrutiny.versions.exists()


# One form, one save ------------------------------------------------------------------


def test_one_save_keeps_every_section_typed(page_client, scrutiny):
    response = page_client.post(
        f"{url(scrutiny)}narrative/",
        {"text-background": "Why we report.\n\nWhat changed.", "text-conclusions": "Steady."},
    )

    assert response.status_code == 302
    assert [p.text for p in scrutiny.paragraphs.filter(section="background")] == [
        "Why we report.",
        "What changed.",
    ]
    assert [p.text for p in scrutiny.paragraphs.filter(section="conclusions")] == ["Steady."]
    page = page_client.get(response["Location"]).content.decode()
    assert "Narrative saved: Background, 2 paragraphs; Conclusions, 1 paragraph." in page


def test_one_section_too_long_saves_neither_and_keeps_both_as_typed(page_client, scrutiny):
    typed = text_of(MOST_CHARACTERS + 1)

    response = page_client.post(
        f"{url(scrutiny)}narrative/",
        {"text-background": "Written first.", "text-conclusions": typed},
    )

    page = response.content.decode()
    assert response.status_code == 200
    summary = page.split('class="govuk-error-summary"')[1].split("</ul>")[0]
    assert '<a href="#text-conclusions">Conclusions is 10,001 characters long' in summary
    assert ">Written first.</textarea>" in page  # typed in the other section: not lost
    assert f">{escape(typed)}</textarea>" in page
    assert not scrutiny.paragraphs.filter(section="background").exists()
    assert scrutiny.paragraphs.get(section="conclusions").text == "All well."  # as saved


def test_the_draft_page_has_one_form_for_every_section_and_warns_before_leaving(
    page_client, scrutiny
):
    page = page_client.get(url(scrutiny)).content.decode()

    narrative = page.split('id="narrative"')[1].split("</form>")[0]
    assert narrative.count("<textarea") == 2
    assert narrative.count('type="submit"') == 1
    assert "data-warn-unsaved" in narrative
