"""`make bench`: the product at national scale, on SQLite and on PostgreSQL.

For each database and each scale (0.1 and 1.0 by default) it builds a fresh database (the
demo plus `generate_national --scale S`), then measures, each in a fresh process:

- every dashboard, list and report page, in rounds that take each scale in turn: query
  count, median time, and the time of the same SQL run on its own (our overhead is the
  difference), beside the floor every signed-in request pays;
- the s117 register import (250,000 rows at scale 1.0) and a quarterly return upload,
  against pandas reading the same file and bulk-inserting it (a return's figures are
  upserted into the tables they belong in), with peak memory;
- each kind of report as a PDF, against WeasyPrint rendering the same saved HTML;
- and, at the largest scale, the dashboard served by gunicorn under a bounded load from a
  second process on 127.0.0.1: requests per second and errors.

Results go to bench/results/ as CSV, with summary.md judging them against the targets.
Timings are never asserted in the test suite: these machines are shared and noisy.

Environment: BENCH_DATABASES (sqlite,postgres), BENCH_SCALES (0.1,1.0), BENCH_REPEAT (7 runs
of each page a round), BENCH_ROUNDS (3 rounds of pages, the scales in turn),
BENCH_LOAD_SECONDS (20), BENCH_KEEP=1 to reuse databases built by an earlier run.
"""

import csv
import json
import os
import platform
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
RESULTS = ROOT / "bench" / "results"
DATA = ROOT / "bench" / ".data"
PG = "postgres://postgres@127.0.0.1:5432"
SEED = "1"

TARGET_GROWTH = 1.5  # a page may take at most 1.5x as long at scale 1.0 as at 0.1
TARGET_OVERHEAD = 3.0  # a page may take at most 3x the time of its own SQL
TARGET_IMPORT = 2 / 3  # an import reaches at least 2/3 of the baseline's rows per second
TARGET_PDF = 1.2  # a PDF takes at most 1.2x WeasyPrint's time on the same HTML
FLOOR = "floor: a signed-in request"  # as bench/measure.py names them
ORM_FLOOR = "floor: one ORM query"
FLOORS = (FLOOR, ORM_FLOOR)  # not pages: what every page pays, held to no target


def say(text: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {text}", flush=True)


def database_url(engine: str, scale: str) -> str:
    name = f"bench_{scale.replace('.', '_')}"
    if engine == "sqlite":
        return f"sqlite:///{DATA / (name + '.sqlite3')}"
    return f"{PG}/{name}"


def environment(url: str, **extra) -> dict:
    return (
        os.environ
        | {
            "DATABASE_URL": url,
            "DJANGO_DEBUG": "0",
            "DJANGO_ALLOWED_HOSTS": "testserver,127.0.0.1",
            "PYTHONUNBUFFERED": "1",
        }
        | extra
    )


def manage(url: str, *args: str, env: dict | None = None) -> str:
    done = subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=env or environment(url),
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        raise SystemExit(f"manage.py {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def measure(url: str, *args: str) -> object:
    done = subprocess.run(
        [PYTHON, "bench/measure.py", *args],
        cwd=ROOT,
        env=environment(url),
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        raise SystemExit(f"measure.py {' '.join(args)} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout)


def prepare(engine: str, scale: str) -> float | None:
    """A fresh database with the demo and the national data set, and the seconds that
    generate_national took (with BENCH_KEEP=1, the time recorded when it was built)."""
    url = database_url(engine, scale)
    marker = DATA / f"{engine}-{scale}.ready"
    if os.environ.get("BENCH_KEEP") == "1" and marker.exists():
        say(f"{engine} scale {scale}: keeping the database built earlier")
        recorded = marker.read_text().strip()
        return float(recorded) if recorded else None  # the time it took then
    marker.unlink(missing_ok=True)
    if engine == "sqlite":
        Path(url.removeprefix("sqlite:///")).unlink(missing_ok=True)
    else:
        name = url.rsplit("/", 1)[1]
        for command in (["dropdb", "--if-exists", name], ["createdb", name]):
            subprocess.run([*command, "-h", "127.0.0.1", "-U", "postgres"], check=True)
    say(f"{engine} scale {scale}: migrating and loading the demo")
    manage(url, "migrate", "--noinput", "-v0")
    manage(url, "load_demo", "--no-passwords", "-v0")
    say(f"{engine} scale {scale}: generate_national")
    started = time.perf_counter()
    manage(url, "generate_national", "--scale", scale, "--seed", SEED)
    seconds = time.perf_counter() - started
    if engine == "postgres":
        manage(
            url,
            "shell",
            "-c",
            # As after any bulk load: statistics for the planner, and the visibility map
            # written now rather than by autovacuum in the middle of the measurements.
            "from django.db import connection; connection.cursor().execute('VACUUM ANALYZE')",
        )
    marker.write_text(f"{seconds:.1f}")
    return round(seconds, 1)


def session_cookie(url: str, username: str, env: dict) -> str:
    """A signed-in session made with the server's own settings (its secret key signs the
    session and the user's session hash)."""
    code = (
        "from django.contrib.auth import get_user_model, BACKEND_SESSION_KEY, "
        "HASH_SESSION_KEY, SESSION_KEY\n"
        "from django.contrib.sessions.backends.db import SessionStore\n"
        f"user = get_user_model().objects.get(username={username!r})\n"
        "s = SessionStore()\n"
        "s[SESSION_KEY] = str(user.pk)\n"
        "s[BACKEND_SESSION_KEY] = 'django.contrib.auth.backends.ModelBackend'\n"
        "s[HASH_SESSION_KEY] = user.get_session_auth_hash()\n"
        "s.set_expiry(3600)\n"
        "s.create()\n"
        "print('KEY=' + s.session_key)\n"
    )
    output = manage(url, "shell", "-c", code, env=env)
    return "sessionid=" + output.split("KEY=")[1].strip()


def load_run(engine: str, scale: str, paths: list[str]) -> dict:
    """The dashboard under gunicorn (production settings, two workers) with a bounded load
    from a second process."""
    url = database_url(engine, scale)
    port = "8765"
    static = ROOT / "staticfiles"
    server_env = environment(
        url,
        DJANGO_ENV="production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(40),
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_LOG_LEVEL="WARNING",
    )
    subprocess.run(
        [PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=server_env,
        check=True,
    )
    cookie = session_cookie(url, "national.jmg", server_env)
    server = subprocess.Popen(
        [
            str(Path(PYTHON).parent / "gunicorn"),
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=server_env,
        start_new_session=True,
    )
    try:
        for _ in range(60):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/sign-in/", timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        done = subprocess.run(
            [
                PYTHON,
                "bench/load.py",
                "--base",
                f"http://127.0.0.1:{port}",
                "--cookie",
                cookie,
                "--seconds",
                os.environ.get("BENCH_LOAD_SECONDS", "20"),
                "--clients",
                "4",
                *paths,
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        return json.loads(done.stdout)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        shutil.rmtree(static, ignore_errors=True)


def postgres_available() -> bool:
    return (
        subprocess.run(
            ["pg_isready", "-h", "127.0.0.1", "-p", "5432", "-q"], check=False
        ).returncode
        == 0
    )


def write_csv(name: str, rows: list[dict]) -> None:
    if not rows:
        return
    with (RESULTS / name).open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def main() -> None:
    engines = os.environ.get("BENCH_DATABASES", "sqlite,postgres").split(",")
    scales = os.environ.get("BENCH_SCALES", "0.1,1.0").split(",")
    repeat = os.environ.get("BENCH_REPEAT", "7")
    if "postgres" in engines and not postgres_available():
        raise SystemExit(
            "PostgreSQL at 127.0.0.1:5432 is not running; start it or set BENCH_DATABASES=sqlite."
        )
    DATA.mkdir(parents=True, exist_ok=True)
    RESULTS.mkdir(parents=True, exist_ok=True)
    generation, pages, imports, pdfs, loads = [], [], [], [], []
    for engine in engines:
        for scale in scales:
            seconds = prepare(engine, scale)
            generation.append({"database": engine, "scale": scale, "seconds": seconds})
        # Pages in rounds, each scale in turn, their runs pooled: a shared machine's pace
        # drifts over minutes, and a page's growth from one scale to the next is read from
        # runs made across the same minutes, not from one scale's before the other's.
        rounds: dict[str, list[list[dict]]] = {scale: [] for scale in scales}
        for number in range(1, int(os.environ.get("BENCH_ROUNDS", "3")) + 1):
            for scale in scales:
                say(f"{engine} scale {scale}: pages, round {number}")
                url = database_url(engine, scale)
                rounds[scale].append(measure(url, "pages", "--repeat", repeat))
        for scale in scales:
            pages += [{"database": engine, "scale": scale} | row for row in pooled(rounds[scale])]
        for scale in scales:
            url = database_url(engine, scale)
            say(f"{engine} scale {scale}: imports")
            rows = str(int(250_000 * float(scale)))
            for what, extra in (
                ("import-s117", ["--rows", rows]),
                ("import-return", ["--repeat", "15"]),
            ):
                for baseline in (False, True):
                    flags = [*extra, "--baseline"] if baseline else extra
                    imports.append(
                        {"database": engine, "scale": scale} | measure(url, what, *flags)
                    )
            say(f"{engine} scale {scale}: PDFs")
            for row in measure(url, "pdf", "--repeat", "7"):
                pdfs.append({"database": engine, "scale": scale} | row)
        largest = scales[-1]
        say(f"{engine} scale {largest}: load")
        slug = next(p["path"] for p in pages if p["page"] == "budget").split("/")[2]
        paths = [
            f"/partnerships/{slug}/{section}/"
            for section in ("budget", "staffing", "caseload", "kpis", "actions")
        ] + [f"/partnerships/{slug}/", "/"]
        loads.append({"database": engine, "scale": largest} | load_run(engine, largest, paths))
    write_csv("generation.csv", generation)
    write_csv("pages.csv", pages)
    write_csv("imports.csv", imports)
    write_csv("pdf.csv", pdfs)
    write_csv("load.csv", [{k: v for k, v in row.items() if k != "error_kinds"} for row in loads])
    summary = summarise(scales, generation, pages, imports, pdfs, loads)
    (RESULTS / "summary.md").write_text(summary)
    print(summary)


def pooled(rounds: list[list[dict]]) -> list[dict]:
    """One row a page from several rounds' measurements: the medians of all their runs,
    the most queries any run made."""
    rows = []
    for measured in zip(*rounds, strict=True):
        times = [t for row in measured for t in row["times_ms"]]
        sql_times = [t for row in measured for t in row["sql_times_ms"]]
        places = 3 if measured[0]["page"] == ORM_FLOOR else 2
        rows.append(
            {
                "page": measured[0]["page"],
                "path": measured[0]["path"],
                "queries": max(row["queries"] for row in measured),
                "queries_vary": any(row["queries_vary"] for row in measured)
                or len({row["queries"] for row in measured}) > 1,
                "runs": len(times),
                "median_ms": round(statistics.median(times), places),
                "sql_ms": round(statistics.median(sql_times), places),
            }
        )
    return rows


def verdict(ok: bool) -> str:
    return "yes" if ok else "**no**"


def summarise(scales, generation, pages, imports, pdfs, loads) -> str:
    small, large = scales[0], scales[-1]
    lines = [
        "# Benchmark summary",
        "",
        f"Written by `make bench` on {time.strftime('%Y-%m-%d')} ({platform.node()}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}). Medians of repeated "
        "runs after a warm-up; a page's are pooled from rounds that measure each scale in "
        "turn. Times in milliseconds. The machines are shared, so single numbers wobble: "
        "read the ratios.",
        "",
        "## Building the data set",
        "",
        "| database | scale | generate_national (s), when the database was built |",
        "|---|---|---|",
    ]
    lines += [f"| {g['database']} | {g['scale']} | {g['seconds']} |" for g in generation]
    failures = []
    for engine in sorted({p["database"] for p in pages}):
        lines += [
            "",
            f"## Pages on {engine}",
            "",
            f"| page | queries at {small} | queries at {large} | ms at {small} | "
            f"ms at {large} | growth | SQL ms at {large} | page / SQL | "
            f"page / SQL at best | beyond SQL and the floor, ms at {large} |",
            "|---|---|---|---|---|---|---|---|---|---|",
        ]
        by_scale = {(p["scale"], p["page"]): p for p in pages if p["database"] == engine}
        floor = by_scale.get((large, FLOOR))
        for page in [p["page"] for p in pages if p["database"] == engine and p["scale"] == large]:
            a, b = by_scale.get((small, page)), by_scale[(large, page)]
            growth = b["median_ms"] / a["median_ms"] if a else None
            overhead = b["median_ms"] / b["sql_ms"] if b["sql_ms"] else None
            same_queries = a is not None and a["queries"] == b["queries"]
            every = page.endswith("every partnership")  # grows with the nation by design
            is_page = page not in FLOORS
            beyond = (
                b["median_ms"] - b["sql_ms"] - (floor["median_ms"] - floor["sql_ms"])
                if floor and is_page
                else None
            )
            # The page's own SQL plus the floor, as if its ORM calls and template cost
            # nothing: where even that is over the target, no page could meet it.
            at_best = (
                (b["sql_ms"] + floor["median_ms"] - floor["sql_ms"]) / b["sql_ms"]
                if floor and is_page and b["sql_ms"]
                else None
            )
            if not same_queries and not every:
                failures.append(f"{engine} {page}: queries {a and a['queries']} → {b['queries']}")
            if growth and growth > TARGET_GROWTH and not every and is_page:
                failures.append(f"{engine} {page}: {growth:.2f}x slower at {large}")
            if overhead and overhead > TARGET_OVERHEAD and is_page:
                reach = ""
                if at_best is not None and at_best > TARGET_OVERHEAD:
                    reach = f" (out of reach: {at_best:.1f}x with the floor alone)"
                failures.append(f"{engine} {page}: {overhead:.1f}x its SQL{reach}")
            lines.append(
                f"| {page} | {a['queries'] if a else '–'} | {b['queries']}"
                f"{'' if same_queries else ' ⚠'} | {a['median_ms'] if a else '–'} | "
                f"{b['median_ms']} | {f'{growth:.2f}' if growth else '–'} | {b['sql_ms']} | "
                f"{f'{overhead:.1f}' if overhead else '–'} | "
                f"{f'{at_best:.1f}' if at_best else '–'} | "
                f"{f'{beyond:.1f}' if beyond is not None else '–'} |"
            )
    lines += [
        "",
        "## Imports",
        "",
        "| database | scale | import | rows | product rows/s | baseline rows/s | ratio | "
        "product peak MB | baseline peak MB |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    keyed = {(i["database"], i["scale"], i["import"], i["method"]): i for i in imports}
    for (engine, scale, name, method), row in keyed.items():
        if method != "product":
            continue
        base = keyed[(engine, scale, name, "baseline")]
        ratio = row["rows_per_second"] / base["rows_per_second"]
        if ratio < TARGET_IMPORT:
            failures.append(f"{engine} {scale} {name}: {ratio:.2f} of the baseline's rows/s")
        lines.append(
            f"| {engine} | {scale} | {name} | {row['rows']} | {row['rows_per_second']} | "
            f"{base['rows_per_second']} | {ratio:.2f} | {row['peak_mb']} | {base['peak_mb']} |"
        )
    lines += [
        "",
        "## Report PDFs",
        "",
        "| database | scale | kind | product ms | WeasyPrint on the saved HTML ms | ratio |",
        "|---|---|---|---|---|---|",
    ]
    for row in pdfs:
        ratio = row["product_ms"] / row["weasyprint_ms"]
        if ratio > TARGET_PDF:
            failures.append(f"{row['database']} {row['scale']} {row['kind']} PDF: {ratio:.2f}x")
        lines.append(
            f"| {row['database']} | {row['scale']} | {row['kind']} | {row['product_ms']} | "
            f"{row['weasyprint_ms']} | {ratio:.2f} |"
        )
    lines += [
        "",
        "## Load (gunicorn, 2 workers; 4 clients in a second process)",
        "",
        "| database | scale | seconds | requests | requests/s | errors | median ms | p95 ms |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for row in loads:
        if row["errors"]:
            failures.append(f"{row['database']} load: {row['errors']} errors {row['error_kinds']}")
        lines.append(
            f"| {row['database']} | {row['scale']} | {row['seconds']} | {row['requests']} | "
            f"{row['requests_per_second']} | {row['errors']} | {row['median_ms']} | "
            f"{row['p95_ms']} |"
        )
    lines += [
        "",
        "## Targets",
        "",
        f"Every page's query count is the same at {small} and {large}; a page grows by at most "
        f"{TARGET_GROWTH}x and takes at most {TARGET_OVERHEAD}x its own SQL; imports reach "
        f"{TARGET_IMPORT:.0%} of the baseline's rows per second; a PDF takes at most "
        f"{TARGET_PDF}x WeasyPrint's time; the load run ends with no errors.",
        "",
        "Pages are opened by users who each belong to three national partnerships, as an "
        "officer does. The rows marked *every partnership* are opened by a user who belongs to "
        "all of them: those pages list every partnership, so they grow with the nation by "
        "design and are not held to the growth target.",
        "",
        f"The *{FLOOR}* row is not a page: it is the least any signed-in request costs "
        "(the middleware, reading the session and the user), answered with a redirect and no "
        "template. Every page pays it, whatever its SQL, so where a page's SQL takes well "
        "under a millisecond the floor alone is several times its SQL. *Page / SQL at best* is "
        "what the ratio would be if a page cost nothing beyond its SQL and the floor: where it "
        "is over the target, no page with that SQL could meet it. The last column is what a "
        "page takes beyond its own SQL and the floor: its queries' Python side in the ORM and "
        "its template.",
        "",
        f"The *{ORM_FLOOR}* row is not a page either: one of the simplest queries a page makes "
        "(a partnership by its slug) through the ORM, against the same SQL run on its own. "
        "Building the query and making a model instance of its row costs the ORM that many "
        "times the SQL, on every query of every page.",
        "",
    ]
    if failures:
        lines += ["Missed:", ""] + [f"- {f}" for f in failures]
    else:
        lines.append("All met.")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
