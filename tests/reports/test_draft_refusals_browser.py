"""The draft page's refusals in real headless Chromium: a GOV.UK error summary that links to
the field, what was typed still there, and no WCAG failure axe-core can find."""

import re

import pytest
from playwright.sync_api import expect

from reports.models import Report
from reports.narrative import MOST_CHARACTERS
from tests.browser import assert_accessible, sign_in
from tests.conftest import BROWSER_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_too_long_section_and_a_stale_publish_are_explained_on_the_page(live_demo, browser, page):
    report = Report.objects.get(agreement__slug="bromley-oxleas-mh", kind="decision")
    url = f"{live_demo.url}/partnerships/bromley-oxleas-mh/reports/{report.pk}/"
    sign_in(page, live_demo.url, "commissioner", BROWSER_PASSWORD)
    page.goto(url)
    typed = ("Counsel's advice is attached. " * (MOST_CHARACTERS // 30 + 10)).rstrip()

    commentary = page.get_by_role("textbox", name="Commentary")
    commentary.fill(typed)
    expect(page.get_by_text("characters too many")).to_be_visible()  # said before saving
    page.get_by_role("button", name="Save the narrative").click()

    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("There is a problem")
    expect(summary.get_by_role("link")).to_have_text(
        f"Commentary is {len(typed):,} characters long: a section can have at most 10,000. "
        "Shorten it and save again."
    )
    expect(commentary).to_have_value(typed)
    expect(page).to_have_title(re.compile(r"^Error: "))
    assert_accessible(page)

    summary.get_by_role("link").click()
    expect(commentary).to_be_focused()

    # Meanwhile, in another tab, someone publishes a correction.
    other = browser.new_page()
    sign_in(other, live_demo.url, "commissioner", BROWSER_PASSWORD)
    other.goto(url)
    other.get_by_role("textbox", name="Legal considerations").fill("Counsel agrees.")
    other.get_by_role("button", name="Save the narrative").click()
    other.get_by_role("textbox", name="What does this version correct?").fill("Legal advice.")
    other.get_by_role("button", name="Publish version 2").click()
    expect(other.get_by_text("Published version 2.")).to_be_visible()
    other.close()

    page.get_by_role("textbox", name="What does this version correct?").fill("My correction.")
    page.get_by_role("button", name="Publish version 2").click()

    expect(page.get_by_role("alert")).to_contain_text(
        "since you opened this page: check it before publishing another."
    )
    expect(page.get_by_role("textbox", name="What does this version correct?")).to_have_value(
        "My correction."
    )
    expect(page.get_by_role("button", name="Publish version 3")).to_be_visible()
    assert_accessible(page)
    assert list(report.versions.values_list("number", flat=True)) == [2, 1]
