"""A commissioner sets next year's pooled budget in real Chromium, with axe on each page."""

import pytest
from playwright.sync_api import expect

from budgets.models import PooledBudget
from tests.browser import assert_accessible, sign_in
from tests.conftest import BROWSER_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_commissioner_sets_next_years_budget_with_no_admin(live_demo, page):
    sign_in(page, live_demo.url, "commissioner", BROWSER_PASSWORD)
    page.goto(f"{live_demo.url}/partnerships/bromley-oxleas-mh/budget/")
    page.get_by_role("link", name="Set or revise each year's pooled budget").click()
    expect(page.get_by_role("heading", name="Pooled budgets by year")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Set the budget for 2023/24").click()
    expect(page.get_by_role("heading", name="Set a year's pooled budget")).to_be_visible()
    assert_accessible(page)
    lbb = page.get_by_role("group", name="London Borough of Bromley (LBB)")
    expect(lbb.get_by_label("Planned contribution")).to_have_value("1618413.00")

    # A mistake first: a share that is not a number, under the fixed rule.
    page.get_by_label("How any over- or underspend is shared").select_option(
        label="Fixed percentages agreed by the partners"
    )
    lbb.get_by_label("Planned contribution").fill("1658873.33")
    lbb.get_by_label("Fixed risk share").fill("ten")
    page.get_by_role("group", name="Oxleas NHS Foundation Trust (Oxleas)").get_by_label(
        "Fixed risk share"
    ).fill("91.23")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(page).to_have_title(
        "Error: Set a year's pooled budget – Bromley and Oxleas mental health (s31) – "
        "Partnership governance"
    )
    assert_accessible(page)
    page.get_by_role("link", name="Enter LBB's fixed risk share as a number, like 50.00").click()
    expect(lbb.get_by_label("Fixed risk share")).to_be_focused()

    lbb.get_by_label("Fixed risk share").fill("8.77")
    lbb.get_by_label("Day").fill("3")
    lbb.get_by_label("Month").fill("3")
    lbb.get_by_label("Year").fill("2023")
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_text("The 2023/24 pooled budget is set.")).to_be_visible()
    expect(page.get_by_role("rowheader", name="2023/24")).to_be_visible()
    assert_accessible(page)
    page.goto(f"{live_demo.url}/partnerships/bromley-oxleas-mh/budget/?period=2023/24-Q1")
    expect(page.locator(".app-figure", has_text="planned pool, 2023/24")).to_contain_text(
        "£18,487,524"
    )
    assert_accessible(page)
    assert PooledBudget.objects.get(financial_year__start_year=2023).risk_share_rule == "fixed"

    # Revising the year: a reason is asked for, and the change shows in its history.
    page.goto(f"{live_demo.url}/partnerships/bromley-oxleas-mh/records/budgets/")
    page.get_by_role("link", name="Revise the 2023/24 budget").click()
    oxleas = page.get_by_role("group", name="Oxleas NHS Foundation Trust (Oxleas)")
    oxleas.get_by_label("Planned contribution").fill("16900000")
    oxleas.get_by_label("Day").fill("31")
    oxleas.get_by_label("Month").fill("2")
    oxleas.get_by_label("Year").fill("2024")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("link", name="Say why the budget is being revised")).to_be_visible()
    expect(
        page.get_by_role("link", name="The date Oxleas agreed its contribution must be a real date")
    ).to_be_visible()
    assert_accessible(page)

    oxleas.get_by_label("Day").fill("29")
    page.get_by_label("Why is the budget being revised?").fill("Trust board, 29 February")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("The 2023/24 pooled budget is revised.")).to_be_visible()
    change = (
        page.get_by_role("row")
        .filter(has_text="Trust board, 29 February")
        .filter(has_text="Oxleas's planned contribution")
    )
    expect(change).to_contain_text("£16,828,651.00")
    expect(change).to_contain_text("£16,900,000.00")
    expect(change).to_contain_text("commissioner")
    assert_accessible(page)
