"""One person's s117 history, a report's draft (as a page and as a PDF) and its published
versions each make a fixed number of queries, however many changes, paragraphs, versions,
people, posts or partners there are.

Each test renders a page once with the demo data and once with more rows, and asserts the
same count both times. The counts are for the view and its template together, listed query
by query in their comments.
"""

import datetime

import pytest
from django.test import Client
from django.utils.html import escape

from caseload.models import Team, TeamKind
from partnerships.models import Agreement, AgreementPartner, Organisation
from reports import papers
from reports.actions import narrative_of, save_narrative, start_report
from reports.models import PublishedVersion, Report
from s117.models import AccessLog, RegisterCount, RegisterEntry
from tests.reports.test_reports import pdf_text
from tests.test_dashboards import more_posts
from tests.test_page_queries import more_people

pytestmark = pytest.mark.django_db

# session, user, the agreement, the user's memberships (the access check). The session is
# renewed at most once a minute (config/sessions.py), so not within these requests: each
# test signs in just before its request.
SIGNED_IN = 4


def signed_in(django_user_model, username):
    client = Client()
    client.force_login(django_user_model.objects.get(username=username))
    return client


# One person's history ---------------------------------------------------------------------

PERSON = "BR-S117-0001"
PERSON_HISTORY_URL = f"/partnerships/bromley-oxleas-mh/s117/people/{PERSON}/history/"
PERSON_HISTORY = (
    SIGNED_IN
    + 1  # the person's entry
    + 3  # the access log row, inserted inside a savepoint pair
    + 2  # the count and the page of the person's versions, with who saved each
    + 1  # the earlier versions of the page's entry, to compare each version with
    + 2  # organisation and team names
)


@pytest.mark.parametrize("extra_changes", [0, 60])  # 60 is more than a page of 50
def test_person_history_queries_do_not_grow_with_changes(
    django_user_model, extra_changes, django_assert_num_queries
):
    officer = django_user_model.objects.get(username="s117.officer")
    deputy = django_user_model.objects.create_user("s117.deputy")
    entry = RegisterEntry.objects.get(agreement__slug="bromley-oxleas-mh", person_reference=PERSON)
    for number in range(extra_changes):
        entry.review_due = datetime.date(2027, 1, 1) + datetime.timedelta(days=number)
        entry._history_user = (officer, deputy)[number % 2]
        entry.save()
    client = signed_in(django_user_model, "s117.officer")

    with django_assert_num_queries(PERSON_HISTORY):
        response = client.get(PERSON_HISTORY_URL)

    assert response.status_code == 200
    page = response.content.decode()
    versions = entry.history.count()
    assert page.count('<table class="govuk-table">') == min(versions, 50)
    newest = page.split("<table")[1]
    if extra_changes:
        assert "s117.deputy: changed" in newest
        assert '<td class="govuk-table__cell">1 March 2027</td>' in newest  # the 60th date
        assert 'rel="next"' in page
    else:
        assert "added to the register" in page
    assert AccessLog.objects.filter(
        user=officer, action="history", entry__person_reference=PERSON
    ).exists()


# A report's draft -------------------------------------------------------------------------

DRAFT_BASE = (
    SIGNED_IN
    + 1  # the report
    + 1  # the quarter its period names
    + 1  # its narrative paragraphs, for the paper
)
PAPER = {
    # the extension decided by the quarter's end; the value projection before it (read
    # once, for its value table and cost); the agreement's terms (the first of them); posts
    # on the day; the latest quarter with Care Act activity; the four quarters to it; their
    # activity, and (they are one financial year) the year's figures as reported; the
    # council partners' approval thresholds
    "decision": 9,
    # the pool; planned by partner; outturns to the quarter; planned by year; the value
    # projection; posts by team and role; by funder, employer and basis; the posts summary;
    # the latest caseload snapshot date (none for this quarter); the four quarters to it;
    # their activity; the year's activity as reported (the paper is of Q4); reported
    # totals by kind of team; the register's entries, their packages and the funding
    # panel's decisions (s117.breakdowns), and again for last year's spend; reviews
    # overdue; CTOs in force; the KPIs' four quarters; their values; the KPIs;
    # recommendations with their reviews; their progress notes; the quarter's return, for
    # whether it is signed off; the funds' agreed shares and their revisions
    "jmg": 29,
    # partners with their organisations; terms with their decisions; governance bodies;
    # the pool; planned by year; the value projection; posts by team and role; by funder,
    # employer and basis (which also gives each partner's funded posts); the posts summary
    # (the paragraph on what each partner's contribution funds uses the partners read
    # already); the latest snapshot date; its counts by team and system (its systems read
    # from them); cases in two systems; case-holding WTE by team; the four quarters; their
    # activity; the year's activity as reported (the paper is of Q4); reported totals by
    # kind; the register's entries (none: so no packages, and nothing overdue to count)
    "scrutiny": 18,
}
DRAFT_PAGE_EXTRA = (
    1  # the narrative paragraphs again, for the forms that edit them
    + 1  # the published versions with who published them
)
REPORTS = {
    "decision": ("bromley-oxleas-mh", "2023/24-Q3"),
    "jmg": ("bromley-oxleas-mh", "2022/23-Q4"),
    "scrutiny": ("oxfordshire-mh-social-work", "2019/20-Q4"),
}


def report_of(kind: str, django_user_model) -> Report:
    """The demo's published decision and scrutiny reports, and a new JMG paper."""
    slug, period = REPORTS[kind]
    return start_report(
        by=django_user_model.objects.get(username="commissioner"),
        agreement=Agreement.objects.get(slug=slug),
        kind=kind,
        period=period,
    )


def more_of_everything(report: Report, django_user_model, count: int) -> None:
    """`count` more paragraphs in every narrative section, people on the register, posts,
    and a few more partners and published versions."""
    commissioner = django_user_model.objects.get(username="commissioner")
    for section, title in papers.narrative_titles(report.kind).items():
        text = "\n\n".join(f"{title} point {number}." for number in range(1, count + 1))
        save_narrative(by=commissioner, report=report, section=section, text=text)
    if report.agreement.s117_entries.exists():
        more_people(report.agreement, count)
    else:  # a register of reported totals only, as Oxfordshire's
        more_reporting_teams(report.agreement, count)
    more_posts(report.agreement, count)
    for number in range(3):
        organisation = Organisation.objects.create(
            name=f"Extra NHS trust {number}", short_name=f"XT{number}", kind="nhs_trust"
        )
        AgreementPartner.objects.create(
            agreement=report.agreement, organisation=organisation, role="partner"
        )
    more_versions(report, 5, django_user_model)


def more_reporting_teams(agreement, count: int) -> None:
    """Teams that report only a total of people entitled to s117 aftercare."""
    operator = agreement.partners.get(is_host=True).organisation
    teams = Team.objects.bulk_create(
        Team(agreement=agreement, name=f"Extra team {n}", kind=TeamKind.CMHT, operated_by=operator)
        for n in range(count)
    )
    RegisterCount.objects.bulk_create(
        RegisterCount(team=team, as_at=datetime.date(2019, 3, 31), people=20) for team in teams
    )


def more_versions(report: Report, count: int, django_user_model) -> None:
    """Corrections published by different people: rows only, as rendering real PDFs is slow."""
    publishers = list(django_user_model.objects.filter(username__in=["commissioner", "jmg.member"]))
    latest = report.versions.order_by("-number").first()
    start = latest.number + 1 if latest else 1
    for number in range(start, start + count):
        PublishedVersion.objects.create(
            report=report,
            number=number,
            published_at=report.created_at,
            published_by=publishers[number % len(publishers)],
            change_note=f"Correction {number}." if number > 1 else "",
            data={},
            html=f"<p>Version {number}</p>",
            pdf=b"",
            sha256="",
            html_sha256="",
        )


def draft_url(report: Report) -> str:
    return f"/partnerships/{report.agreement.slug}/reports/{report.pk}/"


@pytest.mark.parametrize("extra", [0, 15])
@pytest.mark.parametrize("kind", ["decision", "jmg", "scrutiny"])
def test_draft_page_queries_do_not_grow(django_user_model, kind, extra, django_assert_num_queries):
    report = report_of(kind, django_user_model)
    if extra:
        more_of_everything(report, django_user_model, extra)
    url = draft_url(report)
    client = signed_in(django_user_model, "commissioner")

    with django_assert_num_queries(DRAFT_BASE + PAPER[kind] + DRAFT_PAGE_EXTRA):
        response = client.get(url)

    assert response.status_code == 200
    page = response.content.decode()
    assert escape(report.title) in page
    for paragraphs in narrative_of(report).values():
        for paragraph in paragraphs:
            assert escape(paragraph) in page.split("The draft</h2>")[1]  # in the preview
    if extra:
        assert "point 15." in page
        latest = report.versions.order_by("-number").first()
        assert f"Version {latest.number}</a>" in page


@pytest.mark.parametrize("extra", [0, 15])
@pytest.mark.parametrize("kind", ["decision", "jmg", "scrutiny"])
def test_draft_pdf_queries_do_not_grow(django_user_model, kind, extra, django_assert_num_queries):
    report = report_of(kind, django_user_model)
    if extra:
        more_of_everything(report, django_user_model, extra)
    url = f"{draft_url(report)}draft.pdf"
    client = signed_in(django_user_model, "commissioner")

    with django_assert_num_queries(DRAFT_BASE + PAPER[kind]):
        response = client.get(url)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="DRAFT ')
    text = pdf_text(response.content)
    assert "Draft prepared" in text
    if extra:
        last_section = list(papers.narrative_titles(kind).values())[-1]
        assert f"{last_section} point 15." in text


# Published versions -----------------------------------------------------------------------

VERSION = SIGNED_IN + 1  # the version with its report
# the report's agreement again, for the file name: the version is fetched with its report
# but not the report's agreement, though the view has that agreement already
FILE_NAME = 1


def demo_decision_report() -> Report:
    return Report.objects.get(agreement__slug="bromley-oxleas-mh", kind="decision")


@pytest.mark.parametrize("extra_versions", [0, 10])
def test_published_html_queries_do_not_grow_with_versions(
    django_user_model, extra_versions, django_assert_num_queries
):
    report = demo_decision_report()
    more_versions(report, extra_versions, django_user_model)
    first = report.versions.get(number=1)
    url = f"{draft_url(report)}v1/"
    client = signed_in(django_user_model, "scrutiny.officer")

    with django_assert_num_queries(VERSION):
        shown = client.get(url)
    with django_assert_num_queries(VERSION + FILE_NAME):
        downloaded = client.get(url, {"download": "1"})

    assert shown.status_code == downloaded.status_code == 200
    assert shown.content.decode() == first.html  # exactly as frozen
    assert "£1,824,951" in shown.content.decode()
    assert downloaded["Content-Disposition"] == (
        'attachment; filename="bromley-oxleas-mh decision 2023-24-Q3 v1.html"'
    )


@pytest.mark.parametrize("extra_versions", [0, 10])
def test_published_pdf_queries_do_not_grow_with_versions(
    django_user_model, extra_versions, django_assert_num_queries
):
    report = demo_decision_report()
    more_versions(report, extra_versions, django_user_model)
    first = report.versions.get(number=1)
    url = f"{draft_url(report)}v1.pdf"
    client = signed_in(django_user_model, "scrutiny.officer")

    with django_assert_num_queries(VERSION + FILE_NAME):
        response = client.get(url)

    assert response.status_code == 200
    assert response.content == bytes(first.pdf)  # byte for byte as frozen
    assert response["ETag"] == f'"{first.sha256}"'
    assert response["Content-Disposition"] == (
        'attachment; filename="bromley-oxleas-mh decision 2023-24-Q3 v1.pdf"'
    )
    assert "£1,824,951" in pdf_text(response.content)
