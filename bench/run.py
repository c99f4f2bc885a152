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

Beside this file: databases.py builds each database and runs commands against it,
measure.py makes one measurement in a process of its own, serve.py runs the load, and
summary.py writes summary.md.
"""

import csv
import os
import statistics

from databases import DATA, ROOT, database_url, measure, postgres_available, prepare, say
from measure_pages import ORM_FLOOR
from serve import load_run
from summary import summarise

RESULTS = ROOT / "bench" / "results"


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
        pages += page_rounds(engine, scales, repeat)
        for scale in scales:
            imports += import_runs(engine, scale)
            pdfs += pdf_runs(engine, scale)
        loads.append(load(engine, scales[-1], pages))
    write_csv("generation.csv", generation)
    write_csv("pages.csv", pages)
    write_csv("imports.csv", imports)
    write_csv("pdf.csv", pdfs)
    write_csv("load.csv", [{k: v for k, v in row.items() if k != "error_kinds"} for row in loads])
    summary = summarise(scales, generation, pages, imports, pdfs, loads)
    (RESULTS / "summary.md").write_text(summary)
    print(summary)


def page_rounds(engine: str, scales: list[str], repeat: str) -> list[dict]:
    """Pages in rounds, each scale in turn, their runs pooled: a shared machine's pace
    drifts over minutes, and a page's growth from one scale to the next is read from runs
    made across the same minutes, not from one scale's before the other's."""
    rounds: dict[str, list[list[dict]]] = {scale: [] for scale in scales}
    for number in range(1, int(os.environ.get("BENCH_ROUNDS", "3")) + 1):
        for scale in scales:
            say(f"{engine} scale {scale}: pages, round {number}")
            url = database_url(engine, scale)
            rounds[scale].append(measure(url, "pages", "--repeat", repeat))
    pages = []
    for scale in scales:
        pages += [{"database": engine, "scale": scale} | row for row in pooled(rounds[scale])]
    return pages


def import_runs(engine: str, scale: str) -> list[dict]:
    """The register import (250,000 rows at scale 1.0) and a return upload, each by the
    product and by the baseline."""
    url = database_url(engine, scale)
    say(f"{engine} scale {scale}: imports")
    rows = str(int(250_000 * float(scale)))
    imports = []
    for what, extra in (
        ("import-s117", ["--rows", rows]),
        ("import-return", ["--repeat", "15"]),
    ):
        for baseline in (False, True):
            flags = [*extra, "--baseline"] if baseline else extra
            imports.append({"database": engine, "scale": scale} | measure(url, what, *flags))
    return imports


def pdf_runs(engine: str, scale: str) -> list[dict]:
    url = database_url(engine, scale)
    say(f"{engine} scale {scale}: PDFs")
    return [
        {"database": engine, "scale": scale} | row for row in measure(url, "pdf", "--repeat", "7")
    ]


def load(engine: str, largest: str, pages: list[dict]) -> dict:
    """The load run at the largest scale, over the pages of the partnership the page
    timings opened."""
    say(f"{engine} scale {largest}: load")
    slug = next(p["path"] for p in pages if p["page"] == "budget").split("/")[2]
    paths = [
        f"/partnerships/{slug}/{section}/"
        for section in ("budget", "staffing", "caseload", "kpis", "actions")
    ] + [f"/partnerships/{slug}/", "/"]
    return {"database": engine, "scale": largest} | load_run(engine, largest, paths)


def write_csv(name: str, rows: list[dict]) -> None:
    if not rows:
        return
    with (RESULTS / name).open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


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


if __name__ == "__main__":
    main()
