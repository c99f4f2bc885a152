"""A commissioner extends Bromley's agreement by a year in real Chromium, with axe-core on
every page: propose, see the approval its value needs, record the decision."""

import pytest
from playwright.sync_api import expect

from partnerships.models import Agreement
from tests.browser import assert_accessible, sign_in
from tests.conftest import BROWSER_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_commissioner_proposes_and_records_a_one_year_extension(live_demo, page):
    sign_in(page, live_demo.url, "commissioner", BROWSER_PASSWORD)
    page.get_by_role("link", name="Bromley and Oxleas mental health (s31)").click()
    page.get_by_role("link", name="See the terms, the decisions on them").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Terms and decisions")
    assert_accessible(page)

    page.get_by_role("link", name="Propose an extension or variation").click()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(page).to_have_title(
        "Error: Propose an extension or variation – Bromley and Oxleas mental health (s31)"
        " – Partnership governance"
    )
    assert_accessible(page)

    page.get_by_label("What is proposed").select_option("extension")
    fill_date(page, "New end date", "30", "11", "2027")
    page.get_by_label("Value", exact=True).fill("1,917,339.00")
    page.get_by_label("Summary").fill("Extend by a year while the service is recommissioned.")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Proposed extension")
    expect(page.get_by_text("Over £1,000,000.00: Executive, CPR 13.1")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Record the decision").click()
    expect(page.get_by_label("Decided by")).to_have_value("Executive")
    page.get_by_label("Decision", exact=True).select_option("approved")
    fill_date(page, "Date of the decision", "1", "12", "2026")
    page.get_by_label("Reference").fill("ACH2026-041")
    assert_accessible(page)
    page.get_by_role("button", name="Save").click()

    expect(
        page.get_by_text("Extension approved: the agreement now ends on 30 November 2027")
    ).to_be_visible()
    expect(
        page.get_by_text("Extended to 30 November 2027: ends within 12 months").first
    ).to_be_visible()
    assert_accessible(page)
    assert Agreement.objects.get(slug="bromley-oxleas-mh").end_date.isoformat() == "2027-11-30"


def fill_date(page, legend: str, day: str, month: str, year: str) -> None:
    """GOV.UK's date input: three boxes in a group named by its legend."""
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(day)
    group.get_by_label("Month").fill(month)
    group.get_by_label("Year").fill(year)
