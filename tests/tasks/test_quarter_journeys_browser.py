"""One quarter's work from the home page, in real Chromium with axe-core on every page: the
commissioner finds the return due, fills it in by task list and by file and sees it done;
the JMG member signs it off from home, seeing its figures; the s117 officer finds the
reviews due; the scrutiny officer finds only the published papers."""

import pytest
from playwright.sync_api import expect

from returns.models import QuarterlyReturn
from tests.browser import assert_accessible, sign_in
from tests.conftest import BROWSER_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OXFORDSHIRE = "Oxfordshire mental health social work (s75)"
DUE = "The 2026/27 Q2 return is overdue: it was due by 28 October 2026"
CASELOAD = (
    "partnership,period,section,item,measure,value\n"
    "oxfordshire-mh-social-work,2026/27-Q2,caseload,North and West Oxfordshire AMHT,las,412\n"
    "oxfordshire-mh-social-work,2026/27-Q2,caseload,North and West Oxfordshire AMHT,carenotes,398\n"
)


def needs_of(page, partnership):
    return page.get_by_role("list", name=partnership)


def test_commissioner_fills_in_the_return_due_and_a_jmg_member_signs_it_off_from_home(
    live_demo, browser, page, tmp_path
):
    sign_in(page, live_demo.url, "commissioner", BROWSER_PASSWORD)
    expect(needs_of(page, OXFORDSHIRE).get_by_role("link", name=DUE)).to_be_visible()
    assert_accessible(page)

    needs_of(page, OXFORDSHIRE).get_by_role("link", name=DUE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Return for 2026/27 Q2")
    page.locator(".govuk-task-list").get_by_role("link", name="s117 register counts").click()
    assert_accessible(page)
    page.get_by_label("North and West Oxfordshire AMHT: people entitled to s117 aftercare").fill(
        "600"
    )
    page.get_by_label("Yes, I've completed this section").check()
    page.get_by_role("button", name="Save and return to the task list").click()
    expect(page.locator("#task-s117-status")).to_have_text("Completed")
    assert_accessible(page)

    upload = tmp_path / "caseload.csv"
    upload.write_text(CASELOAD)
    page.get_by_label("Upload the filled-in return").set_input_files(str(upload))
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_text("add 2 new figures")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Save these figures").click()
    expect(page.get_by_text("Saved: 2 new and 0 changed figures")).to_be_visible()
    expect(page.locator("#task-caseload-status")).to_have_text("In progress")

    page.get_by_role("button", name="Check the return and submit it").click()
    assert_accessible(page)
    page.get_by_role("button", name="Submit for sign-off").click()
    expect(page.get_by_text("Submitted for sign-off by the JMG.")).to_be_visible()
    page.get_by_role("link", name="Your partnerships").first.click()
    # Bromley's and the illustrative Riverside partnership's are still due
    expect(page.get_by_role("link", name=DUE)).to_have_count(2)
    expect(needs_of(page, OXFORDSHIRE).get_by_role("link", name=DUE)).to_have_count(0)
    assert_accessible(page)

    jmg = browser.new_context().new_page()
    sign_in(jmg, live_demo.url, "jmg.member", BROWSER_PASSWORD)
    waiting = needs_of(jmg, OXFORDSHIRE).get_by_role("link", name="The 2026/27 Q2 return waits")
    expect(waiting).to_be_visible()
    assert_accessible(jmg)
    waiting.click()
    jmg.get_by_role("button", name="Check the figures and sign off").click()
    expect(
        jmg.get_by_text("North and West Oxfordshire AMHT: people entitled to s117")
    ).to_be_visible()
    expect(jmg.get_by_role("cell", name="600", exact=True)).to_be_visible()
    assert_accessible(jmg)
    jmg.get_by_label("Comment (optional)").fill("Counts agreed with OHFT.")
    jmg.get_by_role("button", name="Confirm and sign off").click()
    expect(jmg.get_by_text("Signed off.")).to_be_visible()
    jmg.get_by_role("link", name="Your partnerships").first.click()
    expect(
        needs_of(jmg, OXFORDSHIRE).get_by_role("link", name="The 2026/27 Q2 return")
    ).to_have_count(0)
    signed = QuarterlyReturn.objects.get(
        agreement__slug="oxfordshire-mh-social-work",
        quarter__financial_year__start_year=2026,
        quarter__number=2,
    )
    assert (signed.status, signed.sign_off_comment) == ("signed_off", "Counts agreed with OHFT.")


def test_s117_officer_finds_the_reviews_due_from_home(live_demo, page):
    sign_in(page, live_demo.url, "s117.officer", BROWSER_PASSWORD)
    reviews = page.get_by_role("link", name="s117 register: 3 people overdue for review")
    expect(reviews).to_be_visible()
    assert_accessible(page)

    reviews.click()
    expect(page.get_by_role("heading", name="Section 117 aftercare register")).to_be_visible()
    people = page.get_by_role("table", name="People on the register, page 1 of 1")
    expect(people.get_by_role("row").filter(has_text="Overdue")).to_have_count(3)
    assert_accessible(page)


def test_scrutiny_officer_finds_only_the_published_papers(live_demo, page):
    sign_in(page, live_demo.url, "scrutiny.officer", BROWSER_PASSWORD)
    new_papers = page.locator(".app-needs-me").get_by_role("link", name="was published on")
    expect(new_papers).to_have_count(2)  # the demo's two papers, each linked to its version
    expect(page.get_by_text("Forecast overspend")).to_have_count(0)
    expect(page.get_by_text("KPI at red")).to_have_count(0)
    expect(page.get_by_text("reviews overdue")).to_have_count(0)
    assert_accessible(page)
    new_papers.first.click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert "/v1/" in page.url
    page.go_back()  # the published paper is the paper alone, as it was frozen

    page.get_by_role("link", name="Report library").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Your partnerships").first.click()
    page.get_by_role("link", name=OXFORDSHIRE).last.click()
    expect(
        page.get_by_role("navigation", name="Partnership sections").get_by_role(
            "link", name="Reports"
        )
    ).to_be_visible()
    for hidden in ("Pooled budget", "Staffing", "KPIs", "s117 aftercare", "Quarterly returns"):
        expect(page.get_by_role("link", name=hidden, exact=True)).to_have_count(0)
    assert_accessible(page)
