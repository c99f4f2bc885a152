"""Every page a signed-in user reaches in the demo fits a phone (320 and 375 px wide) without
the page scrolling sideways, passes axe there, and prints without navigation or URLs.

The pages come from the URL configuration and docs/access.md, as for the access matrix
(tests/access_matrix.py): a page added to the product is measured without being listed here.
One browser tab walks them all, signed in as a user whose role may open each.
"""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from partnerships.models import Agreement
from partnerships.permissions import ACCESS
from reports.models import Report
from s117.models import AftercarePackage, RegisterEntry
from seed.demo import DEMO_SLUGS
from tests import access_matrix
from tests.browser import assert_accessible, sign_in
from tests.conftest import BROWSER_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Files, not pages: a PDF, a spreadsheet, a CSV.
DOWNLOADS = {"return_template", "s117_breakdowns_export", "report_draft_pdf", "report_version_pdf"}
# A partnership's JMG dashboards, measured in every demo partnership; the other pages in one.
DASHBOARDS = ["partnership", "budget", "staffing", "caseload", "kpis", "actions", "s117_register"]
DASHBOARDS += ["returns", "reports"]
# The pages that were widest at 375 px (700 to 1,215 px) before their tables scrolled in
# their own region (docs/adr/0029).
WIDEST = ["pooled_budgets", "budget", "compare", "staffing", "actions", "staff_posts"]
WIDEST += ["caseload", "partnership", "s117_person", "records_action_plan"]
# Who opens each page: the first of these whose role may.
USERS = ["commissioner", "s117.officer", "jmg.member"]
ROLE_OF = {name: role for role, name in access_matrix.DEMO_USERS.items()}

NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"
LINKS_PRINTING_THEIR_URL = """() => [...document.querySelectorAll('a[href]')]
    .filter(a => getComputedStyle(a, '::after').content.includes('(' + a.getAttribute('href')))
    .map(a => a.getAttribute('href'))"""
VISIBLE_NAVIGATION = """() => [...document.querySelectorAll(
        'nav, .govuk-service-navigation, .govuk-skip-link, .govuk-footer, .govuk-breadcrumbs, '
        + 'main form, main button')]
    .filter(element => element.checkVisibility())
    .map(element => element.outerHTML.slice(0, 80))"""


def place(slug: str) -> access_matrix.Place:
    """The demo partnership's own rows to fill each page's URL with."""
    agreement = Agreement.objects.get(slug=slug)
    entry = RegisterEntry.objects.filter(agreement=agreement).order_by("pk").first()
    package = AftercarePackage.objects.filter(entry=entry).order_by("pk").first()
    report = Report.objects.filter(agreement=agreement).order_by("pk").first()
    return access_matrix.Place(
        agreement,
        entry.person_reference if entry else "none",
        report_id=report.pk if report else 0,
        package_id=package.pk if package else 0,
    )


def signed_in_pages() -> list[tuple[str, str, str]]:
    """(who opens it, URL name, URL) for every GET page of the demo a signed-in user reaches."""
    table = access_matrix.documented_pages()
    places = {slug: place(slug) for slug in DEMO_SLUGS}
    pages = []
    for name, params in access_matrix.url_names():
        entry = access_matrix.covering_entry(name, table)
        needs = table.get(entry)
        if needs is None or entry.endswith(":*") or name in access_matrix.POST_ONLY:
            continue
        if name in DOWNLOADS or needs in {"public", "signed link"}:
            continue
        user = USERS[0] if needs == "signed in" else first_user_who_may(needs)
        if "slug" not in params:
            pages.append((user, name, reverse(name)))
            continue
        slugs = DEMO_SLUGS if name in DASHBOARDS else DEMO_SLUGS[1:2]  # Bromley has them all
        for slug in slugs:
            kwargs = places[slug].kwargs(params)
            if 0 not in kwargs.values():  # the demo has no row for it (a proposal, an option)
                pages.append((user, name, reverse(name, kwargs=kwargs)))
    return sorted(pages, key=lambda page: USERS.index(page[0]))


def first_user_who_may(action: str) -> str:
    return next(user for user in USERS if ROLE_OF[user] in ACCESS[action])


class Walk:
    """One tab, signed in as each user in turn."""

    def __init__(self, page, base_url, media="screen"):
        self.page, self.base_url, self.media, self.user = page, base_url, media, None

    def open(self, user: str, url: str):
        if user != self.user:
            self.page.emulate_media(media="screen")  # the sign-in form isn't printed
            self.page.context.clear_cookies()
            sign_in(self.page, self.base_url, user, BROWSER_PASSWORD)
            self.page.emulate_media(media=self.media)
            self.user = user
        return self.page.goto(f"{self.base_url}{url}")


@pytest.fixture
def demo_users(live_demo):
    assert set(USERS) <= set(get_user_model().objects.values_list("username", flat=True))
    return live_demo


def test_no_page_scrolls_sideways_at_375px(demo_users, page):
    page.set_viewport_size({"width": 375, "height": 800})
    walk = Walk(page, demo_users.url)
    too_wide, opened = [], set()

    for user, name, url in signed_in_pages():
        assert walk.open(user, url).status == 200, url
        opened.add(name)
        if not page.evaluate(NO_SIDEWAYS_SCROLL):
            too_wide.append((url, page.evaluate("document.documentElement.scrollWidth")))
        assert_accessible(page)

    assert too_wide == []
    assert set(DASHBOARDS) | {"compare", "s117_person", "report", "records_kpis"} <= opened


def test_the_widest_pages_fit_320px(demo_users, page):
    page.set_viewport_size({"width": 320, "height": 800})
    walk = Walk(page, demo_users.url)
    too_wide = []

    for user, name, url in signed_in_pages():
        if name not in WIDEST:
            continue
        walk.open(user, url)
        if not page.evaluate(NO_SIDEWAYS_SCROLL):
            too_wide.append((url, page.evaluate("document.documentElement.scrollWidth")))

    assert too_wide == []


def test_dashboards_print_without_navigation_or_urls(demo_users, page):
    walk = Walk(page, demo_users.url, media="print")
    problems = []

    for user, name, url in signed_in_pages():
        if name not in [*DASHBOARDS, "compare", "home"]:
            continue
        walk.open(user, url)
        if visible := page.evaluate(VISIBLE_NAVIGATION):
            problems.append((url, "shows", visible))
        if printed := page.evaluate(LINKS_PRINTING_THEIR_URL):
            problems.append((url, "prints URLs", printed))
        if not page.get_by_role("heading", level=1).is_visible():
            problems.append((url, "hides its heading"))

    assert problems == []
