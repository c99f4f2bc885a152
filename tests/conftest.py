import pytest
from django.core.management import call_command


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load both seed partnerships once per run; each test runs in a rolled-back transaction."""
    with django_db_blocker.unblock():
        call_command("load_demo", verbosity=0, passwords=False)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Deliberately slow hashing protects real passwords; tests only need it to work."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def oxfordshire(db):
    from partnerships.models import Agreement

    return Agreement.objects.get(slug="oxfordshire-mh-social-work")


@pytest.fixture
def bromley(db):
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
