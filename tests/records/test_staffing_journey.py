"""A commissioner keeps the staff posts through the pages, in real Chromium, with axe-core
on every page along the way."""

import re

import pytest
from playwright.sync_api import expect

from caseload.models import StaffPost
from tests.browser import assert_accessible, sign_in
from tests.conftest import BROWSER_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_commissioner_records_a_vacancy_with_no_admin(live_demo, page):
    sign_in(page, live_demo.url, "commissioner", BROWSER_PASSWORD)
    page.get_by_role("link", name="Bromley and Oxleas mental health (s31)").click()
    page.get_by_role("navigation", name="Partnership sections").get_by_role(
        "link", name="Staffing"
    ).click()
    vacancies = page.locator(".app-figure").nth(1).locator(".app-figure__value")
    expect(vacancies).to_have_text("6")
    assert_accessible(page)

    page.get_by_role("link", name=re.compile("Keep the staff posts")).click()
    expect(page.get_by_role("heading", name="Staff posts", level=1)).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Change post CMHT-SW-01").click()
    expect(page.get_by_role("heading", name="Record a change to post CMHT-SW-01")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("The post has fallen vacant").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(page).to_have_title(re.compile("^Error: "))
    assert_accessible(page)

    page.get_by_label("Day").fill("30")
    page.get_by_label("Month").fill("11")
    page.get_by_label("Year").fill("2026")
    page.get_by_role("button", name="Save").click()
    expect(
        page.get_by_text("Post CMHT-SW-01 recorded as vacant from 30 November 2026.")
    ).to_be_visible()
    expect(page.get_by_role("cell", name="Vacant", exact=True)).to_be_visible()
    expect(page.get_by_role("cell", name="commissioner").first).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Staffing", exact=True).first.click()
    expect(vacancies).to_have_text("7")
    post = StaffPost.objects.get(team__agreement__slug="bromley-oxleas-mh", reference="CMHT-SW-01")
    assert post.vacant and post.employer is None
