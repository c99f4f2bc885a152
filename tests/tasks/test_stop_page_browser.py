"""The stop link from a reminder email, followed in real Chromium without signing in, with
axe-core on both pages."""

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from tasks.models import ReminderPreference
from tasks.stopping import stop_token
from tests.browser import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_stop_link_stops_reminders_after_one_click(live_demo, page):
    user = get_user_model().objects.get(username="scrutiny.officer")

    page.goto(f"{live_demo.url}/reminders/stop/{stop_token(user)}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Stop reminder emails")
    assert_accessible(page)
    page.get_by_role("button", name="Stop reminder emails").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Reminder emails stopped")
    assert_accessible(page)
    assert ReminderPreference.objects.get(user=user).stopped
