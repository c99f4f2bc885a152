"""Every dashboard, list and report page, timed against its own SQL run on its own, beside
the floors every page pays: the least a signed-in request costs, and one ORM query. Pages are
opened by users who belong to three national partnerships, as an officer does."""

import statistics
import time

from national import largest_register, national_partnership

# The rows that are not pages, named once here for bench/run.py and bench/summary.py too.
FLOOR = "floor: a signed-in request"
ORM_FLOOR = "floor: one ORM query"
FLOORS = (FLOOR, ORM_FLOOR)  # not pages: what every page pays, held to no target

# The register's search: people with mental health support in residential care today,
# about one in ten on the register (the page still shows the breakdowns of all of it).
S117_SEARCH = "reason=mental_health&placement=residential"
LARGEST = "largest register"

BENCH_USERS = {
    "bench.jmg": "jmg_member",
    "bench.commissioner": "commissioner",
    "bench.scrutiny": "scrutiny_officer",
    "bench.s117": "s117_officer",
}


def bench_users(agreement) -> None:
    """One user per role, each a member of three national partnerships (the measured one
    and the next two), as a council officer is: what a page shows them depends on their
    partnerships' size, never on the nation's, so its time should not grow with the scale.
    The generated national.* users belong to every partnership; the pages that list all of
    a user's partnerships are measured for them too, separately."""
    from django.contrib.auth import get_user_model

    from partnerships.models import Agreement, Membership

    others = Agreement.objects.filter(slug__startswith="national-", slug__gt=agreement.slug)
    theirs = [agreement, *others.order_by("slug")[:2]]
    for username, role in BENCH_USERS.items():
        user, _ = get_user_model().objects.get_or_create(username=username)
        for partnership in theirs:
            Membership.objects.get_or_create(user=user, agreement=partnership, role=role)


def pages(agreement) -> list[tuple[str, str, str]]:
    """(page, user, path): every dashboard, list and report page; and for the largest s117
    register, its page, a search and the CSV export of every person on it (which writes
    each to the access log)."""
    from dashboards.quarter import latest_quarter_with_figures
    from reports.models import PublishedVersion

    slug = agreement.slug
    quarter = latest_quarter_with_figures(agreement)
    period = quarter.slug
    person = agreement.s117_entries.order_by("person_reference").first()
    version = (
        PublishedVersion.objects.filter(report__agreement=agreement)
        .order_by("-pk")
        .only("report_id", "number")
        .first()
    )
    base = f"/partnerships/{slug}"
    register = f"/partnerships/{largest_register().slug}/s117"
    found = [
        # Not a page: the least a signed-in request costs (middleware, the session, the
        # user), answered with a redirect and no template. Every page pays it.
        (FLOOR, "bench.jmg", "/sign-in/"),
        ("home", "bench.jmg", "/"),
        ("compare", "bench.jmg", "/compare/"),
        ("partnership", "bench.jmg", f"{base}/"),
        ("budget", "bench.jmg", f"{base}/budget/"),
        ("staffing", "bench.jmg", f"{base}/staffing/"),
        ("caseload", "bench.jmg", f"{base}/caseload/"),
        ("kpis", "bench.jmg", f"{base}/kpis/"),
        ("actions", "bench.jmg", f"{base}/actions/"),
        ("returns", "bench.jmg", f"{base}/returns/"),
        ("quarterly_return", "bench.jmg", f"{base}/returns/{period}/"),
        ("return_history", "bench.jmg", f"{base}/returns/{period}/history/"),
        ("enter_return", "bench.commissioner", f"{base}/returns/{period}/enter/"),
        ("s117_register", "bench.s117", f"{base}/s117/"),
        ("s117_history", "bench.s117", f"{base}/s117/history/"),
        ("s117_person", "bench.s117", f"{base}/s117/people/{person.person_reference}/"),
        ("reports", "bench.commissioner", f"{base}/reports/"),
        ("report_library", "bench.scrutiny", "/reports/"),
        # The largest register, opened by the national s117 officer (a member of every
        # partnership, which nothing on these pages lists): the breakdowns of every entry
        # and its packages, a search, and the CSV export of everyone on it.
        (f"s117_register, {LARGEST}", "national.s117", f"{register}/"),
        (f"s117_register_search, {LARGEST}", "national.s117", f"{register}/?{S117_SEARCH}"),
        (f"s117_register_export, {LARGEST}", "national.s117", f"{register}/?export=csv"),
        ("home, every partnership", "national.jmg", "/"),
        ("compare, every partnership", "national.jmg", "/compare/"),
        ("report_library, every partnership", "national.scrutiny", "/reports/"),
    ]
    if version is not None:
        found += [
            ("report", "bench.commissioner", f"{base}/reports/{version.report_id}/"),
            (
                "report_version",
                "bench.scrutiny",
                f"{base}/reports/{version.report_id}/v{version.number}/",
            ),
        ]
    return found


class Recorder:
    """Every statement a request runs, with its parameters and time inside the driver."""

    def __init__(self):
        self.statements = []

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.statements.append((sql, params, many, time.perf_counter() - started))


def sql_alone(statements) -> float:
    """The time the page's SQL takes run on its own: each SELECT again, results fetched;
    writes (the session, the access log) as the request timed them."""
    from django.db import connection

    total = 0.0
    with connection.cursor() as cursor:
        for sql, params, many, elapsed in statements:
            if sql.lstrip().upper().startswith("SELECT") and not many:
                started = time.perf_counter()
                cursor.execute(sql, params)
                cursor.fetchall()
                total += time.perf_counter() - started
            else:
                total += elapsed
    return total


def measure_pages(repeat: int, only: tuple[str, ...] = ()) -> list[dict]:
    """Every page, or with `only` the pages whose names start with one of its prefixes (and
    the floors, which the summary reads every page against)."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client

    import config.sessions

    # A signed-in session is renewed, with a write, in the first request of each minute
    # (config/sessions.py). That is the user's, once a minute, not the page's: the minute
    # stands still here so that each page's queries are its own.
    minute = config.sessions._minute()
    config.sessions._minute = lambda: minute
    agreement = national_partnership()
    bench_users(agreement)
    results = []
    clients = {}
    for name, username, path in pages(agreement):
        if only and name not in FLOORS and not name.startswith(only):
            continue
        if username not in clients:
            client = Client()
            client.force_login(get_user_model().objects.get(username=username))
            clients[username] = client
        client = clients[username]
        response = client.get(path)  # warm-up: caches, compiled templates
        if response.status_code != (302 if name == FLOOR else 200):
            raise SystemExit(f"{name} ({path}) answered {response.status_code}")
        times, sql_times, counts = [], [], set()
        for _ in range(repeat):
            recorder = Recorder()
            with connection.execute_wrapper(recorder):
                started = time.perf_counter()
                client.get(path)
                times.append(time.perf_counter() - started)
            counts.add(len(recorder.statements))
            sql_times.append(sql_alone(recorder.statements))
        results.append(
            {
                "page": name,
                "path": path,
                "queries": max(counts),
                "queries_vary": len(counts) > 1,
                "median_ms": round(statistics.median(times) * 1000, 2),
                "sql_ms": round(statistics.median(sql_times) * 1000, 2),
                # every run, so that bench/run.py can pool the runs of several rounds
                "times_ms": [round(t * 1000, 3) for t in times],
                "sql_times_ms": [round(t * 1000, 3) for t in sql_times],
            }
        )
    results.append(one_orm_query(agreement, repeat))
    return results


def one_orm_query(agreement, repeat: int) -> dict:
    """Not a page: one of the simplest queries a page makes (a partnership by its slug, as
    the access check finds it) through the ORM, against the same SQL on its own. What the
    ORM costs to build a query and make model instances of its rows, which every query of
    every page pays."""
    from django.db import connection

    from partnerships.models import Agreement

    def query():
        return Agreement.objects.filter(slug=agreement.slug).first()

    query()
    times, sql_times = [], []
    for _ in range(max(repeat, 25)):  # a fraction of a millisecond: more runs to steady it
        recorder = Recorder()
        with connection.execute_wrapper(recorder):
            started = time.perf_counter()
            query()
            times.append(time.perf_counter() - started)
        sql_times.append(sql_alone(recorder.statements))
    return {
        "page": ORM_FLOOR,
        "path": "",
        "queries": 1,
        "queries_vary": False,
        "median_ms": round(statistics.median(times) * 1000, 3),
        "sql_ms": round(statistics.median(sql_times) * 1000, 3),
        "times_ms": [round(t * 1000, 4) for t in times],
        "sql_times_ms": [round(t * 1000, 4) for t in sql_times],
    }


def publish_for_pages() -> None:
    """A published JMG paper in the national partnership, so the report pages have one."""
    from django.contrib.auth import get_user_model

    from dashboards.quarter import latest_quarter_with_figures
    from reports.actions import publish, start_report

    agreement = national_partnership()
    if agreement.reports.filter(versions__isnull=False).exists():
        return
    user = get_user_model().objects.get(username="national.commissioner")
    quarter = latest_quarter_with_figures(agreement)
    report = start_report(by=user, agreement=agreement, kind="jmg", period=quarter.label)
    publish(by=user, report=report)
