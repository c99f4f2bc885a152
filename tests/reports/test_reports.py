"""Reports: the seed papers rebuilt from the data, tagged PDFs, publishing frozen versions,
disclosure control in what is published, and the report pages."""

import io
import re
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.test import Client
from pypdf import PdfReader

from budgets.models import ValueProjection
from reports.actions import ReportRefused, publish, save_narrative, start_report
from reports.models import Paragraph, PublishedVersion, Report

pytestmark = pytest.mark.django_db

BROMLEY = "/partnerships/bromley-oxleas-mh/reports/"
OXFORDSHIRE = "/partnerships/oxfordshire-mh-social-work/reports/"


def signed_in(django_user_model, username):
    client = Client()
    client.force_login(django_user_model.objects.get(username=username))
    return client


@pytest.fixture
def commissioner(django_user_model):
    return django_user_model.objects.get(username="commissioner")


def pdf_text(pdf: bytes) -> str:
    """The PDF's words with line breaks and hyphenation smoothed out, as a reader hears it."""
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    return re.sub(r"\s+", " ", text)


def structure(pdf: bytes) -> list[tuple[str, str | None]]:
    """Every element of the PDF's structure tree, as (type, alternative text)."""
    reader = PdfReader(io.BytesIO(pdf))
    found = []

    def walk(node):
        node = node.get_object()
        if isinstance(node, list):
            for child in node:
                walk(child)
            return
        if not hasattr(node, "get"):
            return
        if "/S" in node:
            found.append((str(node["/S"]), str(node["/Alt"]) if "/Alt" in node else None))
        if "/K" in node:
            walk(node["/K"])

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    return found


def published(slug: str, kind: str) -> PublishedVersion:
    return PublishedVersion.objects.get(report__agreement__slug=slug, report__kind=kind, number=1)


def test_oxfordshire_scrutiny_report_pdf_carries_the_seed_figures():
    text = pdf_text(bytes(published("oxfordshire-mh-social-work", "scrutiny").pdf))

    for figure in [
        "OCC £1,800,000",  # planned contributions 2018/19
        "OHFT £5,800,000",
        "OCC's contribution funds 41.5 WTE posts",
        "4.7 WTE are held by staff seconded",
        "580 open cases",
        "an average of 24 per case-holding WTE",
        "Older Adults team, 302",
        "1,664",
        "Mental Health Provider Joint Management Group",
    ]:
        assert figure in text, figure


def test_bromley_decision_report_pdf_carries_the_seed_figures():
    text = pdf_text(bytes(published("bromley-oxleas-mh", "decision").pdf))

    for figure in [
        "£1,780,440 a year",
        "uplifted by 2.5% a year",
        "£1,824,951",
        "£1,870,575",
        "£1,917,339",
        "estimated cost of £3,787,914",
        "is over £1,000,000",
        "approval of the Executive",
        "35 posts, 6 of them vacant",
        "3 staff were TUPE transferred and 32 seconded",
        "364 referrals",
        "212 Care Act assessments",
        "section 31 of the Health Act 1999",
        "approved on 21 July 2004 for 20 years",
    ]:
        assert figure in text, figure


@pytest.mark.parametrize("kind", ["scrutiny", "decision"])
def test_published_pdfs_are_tagged_for_assistive_technology(kind):
    slug = "oxfordshire-mh-social-work" if kind == "scrutiny" else "bromley-oxleas-mh"
    pdf = bytes(published(slug, kind).pdf)
    reader = PdfReader(io.BytesIO(pdf))
    root = reader.trailer["/Root"]

    elements = structure(pdf)
    types = {kind for kind, _ in elements}
    assert root["/MarkInfo"]["/Marked"]
    assert str(root["/Lang"]) == "en-GB"
    assert reader.metadata.title.startswith(published(slug, kind).report.agreement.short_title)
    assert {"/H1", "/H2", "/Table", "/TH", "/TD", "/P"} <= types
    if kind == "decision":  # it has a chart
        figures = [alt for element, alt in elements if element == "/Figure"]
        assert figures and all(alt and alt.startswith("Bar chart") for alt in figures)
    xmp = root["/Metadata"].get_object().get_data()
    assert b'pdfuaid:part="1"' in xmp  # it claims PDF/UA-1


def test_a_published_report_is_byte_identical_after_its_figures_change(django_user_model):
    jmg = signed_in(django_user_model, "scrutiny.officer")
    version = published("bromley-oxleas-mh", "decision")
    url = f"{BROMLEY}{version.report_id}/v1"
    pdf_before = jmg.get(f"{url}.pdf").content
    html_before = jmg.get(f"{url}/").content

    projection = ValueProjection.objects.get(agreement__slug="bromley-oxleas-mh")
    projection.base_value = Decimal("2000000.00")
    projection.save()

    assert jmg.get(f"{url}.pdf").content == pdf_before
    assert jmg.get(f"{url}/").content == html_before
    assert "£3,787,914" in pdf_text(pdf_before)
    draft = signed_in(django_user_model, "commissioner").get(f"{BROMLEY}{version.report_id}/")
    assert "£1,824,951" in html_before.decode()
    assert "£1,824,951" not in draft.content.decode()  # the draft follows the new figures
    assert "£2,050,000" in draft.content.decode()


def test_a_correction_is_a_new_version_that_says_what_changed(commissioner):
    report = published("bromley-oxleas-mh", "decision").report
    first = bytes(published("bromley-oxleas-mh", "decision").pdf)

    projection = ValueProjection.objects.get(agreement=report.agreement)
    projection.uplift_rate = Decimal("0.0300")
    projection.save()

    with pytest.raises(ReportRefused, match="say what this version corrects"):
        publish(by=commissioner, report=report, latest_seen=1)
    second = publish(
        by=commissioner, report=report, latest_seen=1, change_note="Table 1 now shows 3%."
    )

    assert second.number == 2
    assert "This version corrects version 1: Table 1 now shows 3%." in pdf_text(bytes(second.pdf))
    assert bytes(published("bromley-oxleas-mh", "decision").pdf) == first
    assert report.versions.count() == 2


def test_a_published_version_cannot_be_changed_by_any_route():
    version = published("bromley-oxleas-mh", "decision")

    with pytest.raises(PermissionError):
        version.save()
    with pytest.raises(PermissionError):
        PublishedVersion.objects.filter(pk=version.pk).update(change_note="edited")
    with pytest.raises(PermissionError):
        version.delete()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE reports_publishedversion SET html = 'edited' WHERE id = %s", [version.pk]
        )
    assert PublishedVersion.objects.get(pk=version.pk).html == version.html


def test_a_report_cannot_be_published_without_its_narrative(commissioner, oxfordshire):
    report = start_report(
        by=commissioner, agreement=oxfordshire, kind="scrutiny", period="2018/19-Q4"
    )

    with pytest.raises(ReportRefused, match="Write the narrative for Background, Conclusions"):
        publish(by=commissioner, report=report)

    assert not report.versions.exists()


def test_small_counts_are_hidden_in_what_is_published_and_shown_to_officers_in_the_draft(
    commissioner, bromley, django_user_model
):
    report = start_report(by=commissioner, agreement=bromley, kind="jmg", period="2022/23-Q4")
    open_on_register = 5  # the demo register has five open entitlements at 31 March 2023

    version = publish(by=commissioner, report=report)
    draft = signed_in(django_user_model, "jmg.member").get(f"{BROMLEY}{report.pk}/")

    s117_table = version.html.split(
        "People at 31 March 2023 and aftercare spend in 2022/23, by team"
    )[1]
    s117_table = s117_table.split("</table>")[0]
    assert re.findall(r"<td[^>]*>([^<]*)</td>", s117_table) == ["*"] * 8  # people and spend
    assert "The register held fewer than 8 open entitlements" in version.html
    assert '"true"' not in str(version.data)
    text = draft.content.decode()
    # Five people: every count of them in the register's breakdowns is hidden, and the
    # draft lists each figure that the published paper shows as *.
    stars = re.findall(r"<td[^>]*>\*</td>", version.html)
    assert len(stars) >= 8
    assert f"Figures that will be hidden ({len(stars)})" in text
    assert f'<span class="hidden-true">{open_on_register}: a small count</span>' in text


def test_narrative_is_saved_by_paragraph_with_who_wrote_it(commissioner, oxfordshire):
    report = start_report(
        by=commissioner, agreement=oxfordshire, kind="scrutiny", period="2018/19-Q4"
    )

    save_narrative(
        by=commissioner, report=report, section="background", text="First.\n\n\nSecond\nline."
    )
    save_narrative(by=commissioner, report=report, section="background", text="First.")

    paragraphs = list(report.paragraphs.values_list("section", "position", "text"))
    assert paragraphs == [("background", 1, "First.")]
    history = Paragraph.history.filter(report=report).order_by("history_id")
    assert [(h.history_type, h.text) for h in history] == [
        ("+", "First."),
        ("+", "Second line."),
        ("-", "Second line."),
    ]
    assert {h.history_user for h in history} == {commissioner}


def test_render_report_writes_a_pdf_and_refuses_what_it_cannot_render(tmp_path, bromley):
    output = tmp_path / "decision.pdf"

    call_command(
        "render_report", "decision", "bromley-oxleas-mh", "--period", "2023/24-Q3", "-o", output
    )

    assert "£3,787,914" in pdf_text(output.read_bytes())
    with pytest.raises(CommandError, match="no partnership 'nowhere'"):
        call_command("render_report", "jmg", "nowhere", "--period", "2023/24-Q3", "-o", output)
    with pytest.raises(CommandError, match="not a period with figures"):
        call_command(
            "render_report", "jmg", "bromley-oxleas-mh", "--period", "1999/00", "-o", output
        )
    with pytest.raises(CommandError, match="has no extension recorded"):
        call_command(
            "render_report",
            "decision",
            "oxfordshire-mh-social-work",
            "--period",
            "2019/20-Q4",
            "-o",
            output,
        )


def test_render_report_html_is_a_whole_accessible_document(tmp_path):
    output = tmp_path / "scrutiny.html"

    call_command(
        "render_report",
        "scrutiny",
        "oxfordshire-mh-social-work",
        "--period",
        "2019/20-Q4",
        "--format",
        "html",
        "-o",
        output,
    )

    html = output.read_text()
    assert html.startswith('<!DOCTYPE html>\n<html lang="en-GB">')
    assert "<title>Oxfordshire mental health social work (s75): report to scrutiny" in html
    assert '<th scope="col"' in html and "<caption>Table 1:" in html


def test_library_lists_published_reports_by_partnership_and_period(django_user_model):
    scrutiny = signed_in(django_user_model, "scrutiny.officer")

    everything = scrutiny.get("/reports/").content.decode()
    oxfordshire = scrutiny.get(
        "/reports/", {"partnership": "oxfordshire-mh-social-work"}
    ).content.decode()
    by_period = scrutiny.get("/reports/", {"period": "2023/24"}).content.decode()
    bad = scrutiny.get("/reports/", {"period": "2023/25"})

    assert "report to scrutiny, 2019/20" in everything and "(decision report)" in everything
    assert "report to scrutiny" in oxfordshire and "(decision report)" not in oxfordshire
    assert "(decision report)" in by_period and "report to scrutiny" not in by_period
    assert bad.status_code == 200 and "is not a financial year" in bad.content.decode()


def test_library_finds_reports_by_kind_and_by_words_in_their_title_or_text(django_user_model):
    scrutiny = signed_in(django_user_model, "scrutiny.officer")

    def titles(**query) -> str:
        page = scrutiny.get("/reports/", query).content.decode()
        return page.split("<tbody")[1].split("</tbody>")[0]

    decisions = titles(kind="decision")
    assert "(decision report)" in decisions and "report to scrutiny" not in decisions
    # Every word must be found, in the title or the text: 'lead' (provider) is in the text.
    in_text = titles(q="oxleas lead")
    assert "(decision report)" in in_text and "report to scrutiny" not in in_text
    assert "report to scrutiny" in titles(q="SCRUTINY")
    assert "No published report matches." in titles(q="oxleas", kind="scrutiny")
    assert "No published report matches." in titles(q="nothing-like-this-anywhere")
    assert titles(kind="not-a-kind") == titles()  # an unknown kind filters nothing


def test_library_shows_nothing_from_partnerships_the_user_is_not_in(django_user_model, bromley):
    from partnerships.models import Membership

    scrutiny_user = django_user_model.objects.get(username="scrutiny.officer")
    Membership.objects.filter(user=scrutiny_user, agreement=bromley).delete()

    page = signed_in(django_user_model, "scrutiny.officer").get("/reports/").content.decode()

    assert "report to scrutiny" in page
    assert "(decision report)" not in page


def test_published_html_is_served_with_a_policy_that_allows_only_its_own_style(
    django_user_model,
):
    version = published("bromley-oxleas-mh", "decision")

    response = signed_in(django_user_model, "scrutiny.officer").get(
        f"{BROMLEY}{version.report_id}/v1/"
    )

    policy = response["Content-Security-Policy"]
    assert policy.startswith("default-src 'none'; style-src 'sha256-")
    assert "script-src" not in policy and "img-src data:" in policy
    assert response["ETag"] == f'"{version.html_sha256}"'


def test_starting_a_report_for_an_unknown_period_says_what_is_expected(django_user_model):
    page = signed_in(django_user_model, "commissioner").post(
        f"{BROMLEY}start/", {"kind": "jmg", "period": "next year"}
    )

    assert page.status_code == 200
    assert "is not a period with figures" in page.content.decode()
    assert not Report.objects.filter(period="next year").exists()


def test_commissioner_drafts_and_publishes_through_the_pages(django_user_model, bromley):
    client = signed_in(django_user_model, "commissioner")

    started = client.post(f"{BROMLEY}start/", {"kind": "jmg", "period": "2022/23-Q4"})
    url = started["Location"]
    client.post(f"{url}narrative/", {"section": "summary", "text": "A quiet quarter."})
    client.post(f"{url}publish/")
    refused = client.post(f"{url}publish/", {"note": "", "latest": "1"})

    report = Report.objects.get(agreement=bromley, kind="jmg", period="2022/23-Q4")
    assert report.versions.count() == 1
    assert "1.1 A quiet quarter." in pdf_text(bytes(report.versions.get().pdf))
    assert "say what this version corrects" in refused.content.decode()


@pytest.mark.parametrize("extra", [0, 12])
def test_report_list_queries_do_not_grow(
    django_user_model, bromley, commissioner, extra, django_assert_num_queries
):
    for n in range(extra):
        report = Report.objects.create(
            agreement=bromley, kind="jmg", period=f"20{10 + n}/{11 + n}-Q1", title=f"Paper {n}"
        )
        PublishedVersion.objects.create(
            report=report,
            number=1,
            published_at=report.created_at,
            published_by=commissioner,
            data={},
            html="",
            pdf=b"",
            sha256="",
            html_sha256="",
        )
    client = signed_in(django_user_model, "commissioner")

    # session, user, agreement, memberships (the section links); the published versions;
    # the drafts
    with django_assert_num_queries(4 + 1 + 1):
        assert client.get(BROMLEY).status_code == 200
    # session, user; the partnerships the user may read reports of; the count and the page
    # of versions
    with django_assert_num_queries(2 + 1 + 2):
        assert client.get("/reports/").status_code == 200
