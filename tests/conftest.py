import os
from pathlib import Path

import pytest
from django.core.management import call_command

# The layers (unit, integration, browser) and the fixed day every test runs on.
pytest_plugins = ["tests.layers", "tests.today"]

# Playwright's sync API runs an event loop in the test thread; Django would otherwise refuse
# database access from it (see shared/BUILDING-BLOCKS.md).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
ASSETS = Path(__file__).resolve().parent.parent / "static" / "govuk" / "govuk-frontend.min.css"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-dev-shm-usage",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-default-apps",
    "--disable-sync",
    "--no-first-run",
]
# Property-based tests: 500 examples each locally, thousands in CI (HYPOTHESIS_PROFILE=ci).
from hypothesis import settings as hypothesis_settings  # noqa: E402

hypothesis_settings.register_profile("dev", max_examples=500, deadline=None)
hypothesis_settings.register_profile("ci", max_examples=3000, deadline=None)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))

BROWSER_PASSWORD = "browser-test-password-1"


@pytest.fixture(scope="session")
def demo(django_db_setup, django_db_blocker):
    """Both seed partnerships, loaded once per run on the fixed day, the first time an
    integration test needs them (tests/layers.py gives it to each); each test then runs in
    a rolled-back transaction. Unit tests run before it, on an empty database."""
    from tests.today import SEEDED, on_the_fixed_day

    with django_db_blocker.unblock(), on_the_fixed_day(SEEDED):
        call_command("load_demo", verbosity=0, passwords=False)


@pytest.fixture(autouse=True)
def access_log_can_be_emptied_after_a_committing_test(request):
    """After a test that commits, Django empties the database (its flush), with DELETE on
    SQLite, which the s117 access and export logs' triggers refuse (s117/append_only.py).
    The triggers are lifted for the flush alone: the flush ends with post_migrate, which
    makes them again."""
    yield
    marker = request.node.get_closest_marker("django_db")
    commits = "transactional_db" in request.fixturenames or bool(
        marker and marker.kwargs.get("transaction")
    )
    if not commits:
        return
    from django.db import connection

    from s117.append_only import SQLITE_DELETE_TRIGGERS

    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            for trigger in SQLITE_DELETE_TRIGGERS:
                cursor.execute(f"DROP TRIGGER IF EXISTS {trigger}")


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Deliberately slow hashing protects real passwords; tests only need it to work."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def session_clock_stands_still(monkeypatch):
    """A signed-in session is saved again when a request comes in a later minute than its
    last renewal (config/sessions.py). Tests count each request's queries, so the minute
    stands still unless a test moves it; otherwise a minute turning over between signing
    in and the request would add the renewal's queries to the count."""
    monkeypatch.setattr("config.sessions._minute", lambda: 29_000_000)


def bromley_end_flag() -> str:
    """The home page's flag on Bromley's agreement, which the demo extends to 30 November
    2026: ending within twelve months until then, ended since. On the fixed day of
    tests/today.py it has ended; the flag follows if that day moves."""
    import datetime

    from django.utils import timezone

    if timezone.localdate() > datetime.date(2026, 11, 30):
        return "Ended on 30 November 2026"
    return "Ends within 12 months, on 30 November 2026"


@pytest.fixture
def oxfordshire(demo, db):
    from partnerships.models import Agreement

    return Agreement.objects.get(slug="oxfordshire-mh-social-work")


@pytest.fixture
def bromley(demo, db):
    from partnerships.models import Agreement

    return Agreement.objects.get(slug="bromley-oxleas-mh")


def pytest_sessionfinish(session, exitstatus):
    """In CI every test must run: a skipped test fails the run, naming itself."""
    import os

    if os.environ.get("PARTNERSHIPS_REQUIRE_ALL_TESTS") != "1":
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter else []
    if skipped:
        reporter.write_line(
            f"PARTNERSHIPS_REQUIRE_ALL_TESTS=1 but {len(skipped)} test(s) were skipped:", red=True
        )
        for report in skipped:
            reporter.write_line(f"  {report.nodeid}: {report.longrepr}", red=True)
        session.exitstatus = 1


# Browser tests: real headless Chromium driven by Playwright against a live server.


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(f"Chromium is not at {CHROMIUM}: install it with `apt-get install chromium`.")
    if not ASSETS.exists():
        pytest.skip("GOV.UK Frontend assets are not built: run `make assets`.")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    """A fresh browser tab. Anything the browser logs as an error (a script or style the
    Content Security Policy blocked, a missing file) fails the test."""
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    tab = context.new_page()
    errors = []
    tab.on("console", lambda message: message.type == "error" and errors.append(message.text))
    tab.on("pageerror", lambda error: errors.append(str(error)))
    yield tab
    context.close()
    assert errors == [], f"The browser reported errors: {errors}"


@pytest.fixture
def live_demo(live_server, django_user_model):
    """The demo data committed for the live server (browser tests use transactions that
    are flushed afterwards), with a known password for each demo user."""
    call_command("load_demo", verbosity=0, passwords=False)
    for user in django_user_model.objects.all():
        user.set_password(BROWSER_PASSWORD)
        user.save()
    return live_server
