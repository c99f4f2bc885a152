"""The KPI and action-plan pages in real headless Chromium, with axe-core on every page."""

import pytest
from playwright.sync_api import expect

from partnerships.models import KPI, ProgressNote
from tests.browser import assert_accessible, sign_in
from tests.conftest import BROWSER_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_commissioner_adds_a_kpi_with_no_target_and_a_jmg_member_records_progress_on_an_action(
    live_demo, page
):
    sign_in(page, live_demo.url, "commissioner", BROWSER_PASSWORD)
    page.goto(f"{live_demo.url}/partnerships/bromley-oxleas-mh/kpis/?period=2022/23-Q4")
    page.get_by_role("link", name="Add or change KPIs, their targets and thresholds").click()
    expect(page.get_by_role("heading", name="Keep the KPIs")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Add a KPI").click()
    page.get_by_label("Code").fill("KPI 9")
    page.get_by_label("Name").fill("Carers' assessments offered")
    page.get_by_label("Definition").fill("Carers offered an assessment over carers known.")
    page.get_by_label("Unit").select_option("Per cent")
    page.get_by_label("Higher is better").check()
    page.get_by_label("Target").fill("90")
    page.get_by_role("button", name="Save").click()
    # a target without a threshold: named on its field, nothing saved
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(page).to_have_title(
        "Error: Add a KPI – Bromley and Oxleas mental health (s31) – Partnership governance"
    )
    assert_accessible(page)
    assert not KPI.objects.filter(code="KPI 9").exists()

    page.get_by_label("Target").fill("")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Added KPI 9 Carers' assessments offered.")).to_be_visible()
    expect(page.get_by_role("row", name="KPI 9")).to_contain_text("No target")
    assert_accessible(page)

    page.get_by_role("link", name="Change KPI 9").click()
    expect(page.get_by_role("table", name="Changes to this KPI")).to_contain_text("commissioner")
    assert_accessible(page)
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, live_demo.url, "jmg.member", BROWSER_PASSWORD)
    page.goto(f"{live_demo.url}/partnerships/bromley-oxleas-mh/actions/")
    page.get_by_role(
        "link", name="Add reviews and recommendations, or record an action's progress"
    ).click()
    expect(page.get_by_role("heading", name="Keep the action plan")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Change recommendation 3.8.4").click()
    expect(page.get_by_role("heading", name="Recommendation 3.8.4")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Status").select_option("Complete")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Saved recommendation 3.8.4.")).to_be_visible()

    page.get_by_role("button", name="Add a progress note").click()
    page.get_by_label("Day").fill("30")
    page.get_by_label("Month").fill("11")
    page.get_by_label("Year").fill("2026")
    page.get_by_label("Progress").fill("Safeguarding audit of Oxleas cases completed.")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Added a progress note to 3.8.4.")).to_be_visible()
    expect(page.get_by_role("table", name="Progress notes, latest first")).to_contain_text(
        "Safeguarding audit of Oxleas cases completed."
    )
    expect(page.get_by_role("table", name="Changes to this action")).to_contain_text("jmg.member")
    assert_accessible(page)
    assert (
        ProgressNote.objects.get(
            note="Safeguarding audit of Oxleas cases completed."
        ).author.username
        == "jmg.member"
    )
