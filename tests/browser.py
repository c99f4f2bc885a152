"""Helpers for browser tests: sign in, and check a page with axe-core."""

from axe_playwright_python.sync_playwright import Axe

WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
_axe = Axe()


def assert_accessible(page) -> None:
    """No WCAG 2.2 A or AA violation that axe-core can find on the page as it is now, once
    it has loaded: a click that opens a page doesn't wait for its stylesheets, and axe run
    on a page not yet styled finds the unstyled header's links too small to tap (seen when
    the machine was busy)."""
    page.wait_for_load_state("load")
    results = _axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_22_AA}})
    assert results.violations_count == 0, f"{page.url}\\n{results.generate_report()}"


def sign_in(page, base_url: str, username: str, password: str) -> None:
    page.goto(f"{base_url}/sign-in/")
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
