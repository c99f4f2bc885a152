"""The return as a task list: a page a section, saved and come back to, each section's
status, 'nothing to report', and a check of the whole return before it is submitted."""

from decimal import Decimal

import pytest
from django.test import Client

from partnerships.models import KPIValue, Quarter
from returns.models import QuarterlyReturn, SectionState

pytestmark = pytest.mark.django_db

PAGE = "/partnerships/bromley-oxleas-mh/returns/2022-23-Q4/"


def signed_in(django_user_model, username):
    client = Client()
    client.force_login(django_user_model.objects.get(username=username))
    return client


@pytest.fixture
def commissioner(django_user_model):
    return signed_in(django_user_model, "commissioner")


def status_of(page: str, section: str) -> str:
    return page.split(f'id="task-{section}-status">')[1].split("</div>")[0]


def test_the_return_page_lists_its_sections_with_their_status(commissioner):
    page = commissioner.get(PAGE).content.decode()

    assert '<ul class="govuk-task-list">' in page
    assert f'href="{PAGE}sections/kpi/"' in page
    assert "Not started" in status_of(page, "contribution")  # no outturn yet
    assert "In progress" in status_of(page, "budget")  # the year's budget is set
    assert "In progress" in status_of(page, "kpi")  # the demo holds the quarter's KPIs
    assert "0 of 8 sections done" in page


def test_a_section_is_saved_with_its_figures_and_comes_back_in_progress(commissioner, bromley):
    response = commissioner.post(
        f"{PAGE}sections/kpi/",
        {"figure:kpi:KPI 1:value": "70", "state": "in_progress", "version": "1"},
    )

    assert response.status_code == 302
    quarter = Quarter.objects.get(financial_year__start_year=2022, number=4)
    value = KPIValue.objects.get(kpi__agreement=bromley, kpi__code="KPI 1", quarter=quarter)
    assert value.value == Decimal("70.00")
    assert value.history.latest().history_user.username == "commissioner"
    page = commissioner.get(PAGE).content.decode()
    assert "In progress" in status_of(page, "kpi")
    again = commissioner.get(f"{PAGE}sections/kpi/").content.decode()
    assert 'value="70.00"' in again and 'value="in_progress" checked' in again


def test_a_section_marked_completed_or_nothing_to_report_is_done(commissioner):
    commissioner.post(f"{PAGE}sections/action/", {"state": "nothing", "version": "1"})
    commissioner.post(
        f"{PAGE}sections/kpi/",
        {"figure:kpi:KPI 1:value": "70", "state": "completed", "version": "1"},
    )

    page = commissioner.get(PAGE).content.decode()
    assert "Nothing to report" in status_of(page, "action")
    assert "Completed" in status_of(page, "kpi")
    assert "2 of 8 sections done" in page
    states = dict(SectionState.objects.values_list("section", "state"))
    assert states == {"action": "nothing", "kpi": "completed"}


def test_nothing_to_report_is_refused_where_there_are_figures(commissioner):
    response = commissioner.post(
        f"{PAGE}sections/kpi/",
        {"figure:kpi:KPI 1:value": "70", "state": "nothing", "version": "1"},
    )

    assert "There is a problem" in response.content.decode()
    assert "there is something to report" in response.content.decode()
    kpi_1 = KPIValue.objects.get(
        kpi__code="KPI 1", quarter__number=4, quarter__financial_year__start_year=2022
    )
    assert kpi_1.value == Decimal("72.00")  # as it was
    assert not SectionState.objects.exists()


def test_a_section_saved_from_an_old_page_is_refused(commissioner):
    commissioner.post(
        f"{PAGE}sections/kpi/",
        {"figure:kpi:KPI 1:value": "70", "state": "in_progress", "version": "1"},
    )

    stale = commissioner.post(
        f"{PAGE}sections/kpi/",
        {"figure:kpi:KPI 1:value": "71", "state": "completed", "version": "1"},
    )

    assert "Someone else saved" in stale.content.decode()
    assert (
        KPIValue.objects.get(
            kpi__code="KPI 1", quarter__number=4, quarter__financial_year__start_year=2022
        ).value
        == 70
    )


def test_the_check_page_shows_the_whole_return_then_submits_it(commissioner):
    commissioner.post(
        f"{PAGE}sections/kpi/",
        {"figure:kpi:KPI 1:value": "70", "state": "completed", "version": "1"},
    )

    check = commissioner.get(f"{PAGE}check/").content.decode()
    assert "KPI 1 Care Act assessments completed within 28 days</th>" in check
    assert "Submit for sign-off" in check
    commissioner.post(f"{PAGE}status/", {"step": "submit"})
    assert QuarterlyReturn.objects.get().status == "submitted"
    locked = commissioner.get(f"{PAGE}sections/kpi/", follow=True).content.decode()
    assert "This return is locked" in locked


def test_an_unknown_section_is_not_found(commissioner):
    assert commissioner.get(f"{PAGE}sections/widgets/").status_code == 404


def test_the_jmg_paper_says_whether_its_return_is_signed_off_with_the_comment(
    commissioner, bromley, django_user_model
):
    from reports.actions import quarter_of
    from reports.papers import build
    from reports.render import render_html

    before = render_html(build(bromley, "jmg", quarter_of("2022/23-Q4")))
    assert "The 2022/23 Q4 return has not been submitted yet: its figures may change." in before

    commissioner.post(
        f"{PAGE}sections/kpi/",
        {"figure:kpi:KPI 1:value": "70", "state": "completed", "version": "1"},
    )
    commissioner.post(f"{PAGE}status/", {"step": "submit"})
    jmg = signed_in(django_user_model, "jmg.member")
    jmg.post(f"{PAGE}sign-off/", {"comment": "Agreed at the JMG, subject to the Q1 restatement."})

    after = render_html(build(bromley, "jmg", quarter_of("2022/23-Q4")))
    assert "The 2022/23 Q4 return was signed off by a JMG member on 3 December 2026." in after
    assert "Comment at sign-off: Agreed at the JMG, subject to the Q1 restatement." in after
