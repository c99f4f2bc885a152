"""The three layers of the suite, told apart by where a test lives and what it uses, so that
no test has to say which it is and a new file lands in one by itself.

- unit: no browser and no demo seed. It touches no database, or it builds the few rows it
  needs with tests/factories.py (its module imports it) and asks for no page. It runs on an
  empty database, in a full run as in `pytest -m unit`: unit tests run first, before the
  seed is loaded, so one that leans on the seed fails in both.
- integration: the demo seed (seed/demo.py, loaded once, the first time a test needs it)
  and pages through the test client. Any test using the database that isn't unit is here.
- browser: real Chromium against a live server (the `browser` marker its modules set).

A module that names a layer in its pytestmark is in that one.

Registered in pyproject.toml under --strict-markers; select one with `pytest -m unit`.
"""

import pytest

LAYERS = ("unit", "integration", "browser")

# Fixtures that make a test an integration test whatever its module: the seed (and, through
# it, conftest's `oxfordshire` and `bromley`), and the test client's pages.
INTEGRATION_FIXTURES = frozenset({"demo", "client", "admin_client"})
DATABASE_FIXTURES = frozenset(
    {"db", "transactional_db", "django_db_reset_sequences", "django_db_serialized_rollback"}
)
FACTORIES = "tests.factories"


def uses_database(item) -> bool:
    return bool(item.get_closest_marker("django_db")) or bool(
        DATABASE_FIXTURES & set(item.fixturenames)
    )


def builds_own_rows(item) -> bool:
    """The module imports tests/factories.py, or something from it."""
    module = getattr(item, "module", None)
    return module is not None and any(
        getattr(value, "__name__", None) == FACTORIES
        or getattr(value, "__module__", None) == FACTORIES
        for value in vars(module).values()
    )


def layer_of(item) -> str:
    """A module may name its layer (pytestmark) where the rule would place it wrongly: a
    test that builds eight thousand rows of its own is not a unit test."""
    named = [layer for layer in LAYERS if item.get_closest_marker(layer)]
    if len(named) > 1:
        raise pytest.UsageError(f"{item.nodeid} is marked with two layers: {named}")
    if named:
        return named[0]
    if INTEGRATION_FIXTURES & set(item.fixturenames):
        return "integration"
    if not uses_database(item) or builds_own_rows(item):
        return "unit"
    return "integration"


def pytest_collection_modifyitems(config, items):
    """Marks each test with its layer before `-m` selects, gives every integration test the
    seed, and runs unit tests first (keeping pytest-django's order of the rest: tests that
    commit, and so empty the database afterwards, still come after those that don't)."""
    for item in items:
        layer = layer_of(item)
        if not item.get_closest_marker(layer):
            item.add_marker(getattr(pytest.mark, layer))
        if layer == "integration" and "demo" not in item.fixturenames:
            # Session fixtures set up before the test's transaction opens, so the seed is
            # committed once rather than rolled back with the first test that wanted it.
            item.fixturenames.insert(0, "demo")
    items.sort(key=lambda item: 0 if item.get_closest_marker("unit") else 1)


@pytest.fixture(scope="session")
def django_db_use_migrations(request):
    """A run of unit tests alone builds its tables from the models, in a second, instead of
    replaying every migration (half a minute): they need the schema, not its history. The
    migrations' only lasting effect besides tables, the s117 access log's trigger, comes
    from post_migrate (s117/apps.py), which runs either way. Any other run migrates, so
    the migrations are still tested by every `make test`."""
    if request.config.getvalue("nomigrations"):
        return False
    return not all(item.get_closest_marker("unit") for item in request.session.items)
