"""One benchmark measurement against one database, printed as JSON on stdout.

Run by bench/run.py in a fresh process per measurement, with DATABASE_URL pointing at a
database that holds the demo and `generate_national` data:

    python bench/measure.py pages --repeat 7
    python bench/measure.py import-s117 --rows 250000 [--baseline]
    python bench/measure.py import-return [--baseline]
    python bench/measure.py pdf --repeat 3

Times are wall-clock medians of repeated runs after one warm-up run; they are measured
here and never asserted in the test suite (these machines are shared and noisy).
"""

import argparse
import csv
import datetime
import io
import json
import os
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def setup():
    import django

    django.setup()


def peak_memory_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# Pages --------------------------------------------------------------------------------------


def national_partnership():
    """The national partnership the page timings open: the one with the most posts, so that
    its pages are the heaviest of the set."""
    from django.db.models import Count

    from partnerships.models import Agreement

    return (
        Agreement.objects.filter(slug__startswith="national-")
        .annotate(posts=Count("teams__posts"))
        .order_by("-posts", "slug")
        .first()
    )


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
    """(page, user, path): every dashboard, list and report page."""
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


FLOOR = "floor: a signed-in request"
ORM_FLOOR = "floor: one ORM query"  # as bench/run.py names them


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


def measure_pages(repeat: int) -> list[dict]:
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


# Imports ------------------------------------------------------------------------------------


def register_file(agreement, rows: int) -> bytes:
    """A register file of `rows` new people for the partnership, valid in every cell."""
    from s117.nhs_number import check_digit
    from s117.register_file import COLUMNS

    partner_councils = agreement.partners.filter(organisation__kind="council")
    council = partner_councils.values_list("organisation__short_name", flat=True).first()
    icb = (
        agreement.partners.filter(organisation__kind__in=["icb", "ccg"])
        .values_list("organisation__short_name", flat=True)
        .first()
    )
    if icb is None:
        from partnerships.models import Organisation

        icb = Organisation.objects.filter(kind="icb").values_list("short_name", flat=True).first()
    teams = list(agreement.teams.values_list("name", flat=True))
    taken = set(agreement.s117_entries.values_list("nhs_number", flat=True))
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    number, written = 600_000_000, 0
    while written < rows:
        number += 1
        candidate = f"{number:09d}"
        check = check_digit(candidate)
        if check is None or f"{candidate}{check}" in taken:
            continue
        written += 1
        detained = datetime.date(2010, 1, 1) + datetime.timedelta(days=written % 5000)
        writer.writerow(
            [
                f"BENCH-{written:07d}",
                f"{candidate}{check}",
                f"Bench Person {written}",
                "1970-01-01",
                "3",
                detained.isoformat(),
                (detained + datetime.timedelta(days=60)).isoformat(),
                council,
                icb,
                teams[written % len(teams)],
                "50",
                "2027-01-31",
                "",
                "no",
                "",
                "",
                "",
                "",
            ]
        )
    return buffer.getvalue().encode()


def import_s117(rows: int, baseline: bool) -> dict:
    """Our import (check every cell, then save all or nothing) or the baseline (pandas reads
    the same file, the rows are bulk-inserted unchecked). Rolled back either way."""
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.utils import timezone

    agreement = national_partnership()
    content = register_file(agreement, rows)
    user = get_user_model().objects.get(username="national.s117")
    started = time.perf_counter()
    with transaction.atomic():
        if baseline:
            import pandas as pd

            from caseload.models import Team
            from partnerships.models import Organisation
            from s117.models import RegisterEntry

            frame = pd.read_csv(io.BytesIO(content), dtype=str, keep_default_na=False)
            organisations = dict(Organisation.objects.values_list("short_name", "pk"))
            teams = dict(Team.objects.filter(agreement=agreement).values_list("name", "pk"))
            RegisterEntry.objects.bulk_create(
                (
                    RegisterEntry(
                        agreement=agreement,
                        person_reference=row.person_reference,
                        nhs_number=row.nhs_number,
                        full_name=row.full_name,
                        date_of_birth=row.date_of_birth,
                        qualifying_section=row.qualifying_section,
                        detained_on=row.detained_on,
                        discharged_on=row.discharged_on,
                        responsible_council_id=organisations[row.responsible_council],
                        responsible_icb_id=organisations[row.responsible_icb],
                        team_id=teams[row.team],
                        council_share_percent=row.council_share_percent,
                        review_due=row.review_due,
                    )
                    for row in frame.itertuples(index=False)
                ),
                batch_size=2000,
            )
            saved = len(frame)
        else:
            from s117.actions import apply_register_changes
            from s117.register_file import read_register

            result = read_register(content, "bench.csv", agreement, today=timezone.localdate())
            if result.problems:
                raise SystemExit(f"the bench file was refused: {result.problems[:3]}")
            saved = apply_register_changes(by=user, agreement=agreement, changes=result.changes)
        elapsed = time.perf_counter() - started
        transaction.set_rollback(True)
    return {
        "import": "s117 register",
        "method": "baseline" if baseline else "product",
        "rows": saved,
        "seconds": round(elapsed, 3),
        "rows_per_second": round(saved / elapsed, 1),
        "peak_mb": round(peak_memory_mb(), 1),
    }


def return_baseline(agreement, quarter, content: bytes) -> int:
    """pandas reads the return, and its figures are bulk-written to the tables they belong
    in (an upsert per table: outturns, snapshots, overlaps, activity, KPI values), unchecked
    and with no history: the least any import of a return must do."""
    import pandas as pd

    from budgets.models import Contribution, ContributionOutturn
    from caseload.models import CareActActivity, CaseloadOverlap, CaseloadSnapshot, SourceSystem
    from partnerships.models import KPIValue

    frame = pd.read_csv(io.BytesIO(content), dtype=str, keep_default_na=False)
    teams = dict(agreement.teams.values_list("name", "pk"))
    systems = dict(SourceSystem.objects.values_list("code", "pk"))
    kpis = dict(agreement.kpis.values_list("code", "pk"))
    contributions = dict(
        Contribution.objects.filter(
            pooled_budget__agreement=agreement,
            pooled_budget__financial_year_id=quarter.financial_year_id,
        ).values_list("partner__short_name", "pk")
    )
    as_at = quarter.end_date
    outturns, snapshots, overlaps, activity, values = {}, [], [], {}, []
    for row in frame.itertuples(index=False):
        if row.value == "":
            continue
        if row.section == "contribution":
            outturn = outturns.setdefault(
                row.item,
                ContributionOutturn(
                    contribution_id=contributions[row.item], quarter=quarter, forecast=0
                ),
            )
            setattr(outturn, row.measure, row.value)
        elif row.section == "caseload" and row.measure == "in_more_than_one_system":
            overlaps.append(
                CaseloadOverlap(
                    team_id=teams[row.item], as_at=as_at, cases_in_more_than_one_system=row.value
                )
            )
        elif row.section == "caseload":
            snapshots.append(
                CaseloadSnapshot(
                    team_id=teams[row.item],
                    source_system_id=systems[row.measure],
                    as_at=as_at,
                    open_cases=row.value,
                )
            )
        elif row.section == "activity":
            counts = activity.setdefault(
                row.item, CareActActivity(team_id=teams[row.item], quarter=quarter)
            )
            setattr(counts, row.measure, row.value)
        elif row.section == "kpi":
            values.append(KPIValue(kpi_id=kpis[row.item], quarter=quarter, value=row.value))
    for model, rows, unique, fields in (
        (
            ContributionOutturn,
            list(outturns.values()),
            ["contribution", "quarter"],
            ["forecast", "actual_to_date"],
        ),
        (CaseloadSnapshot, snapshots, ["team", "source_system", "as_at"], ["open_cases"]),
        (CaseloadOverlap, overlaps, ["team", "as_at"], ["cases_in_more_than_one_system"]),
        (
            CareActActivity,
            list(activity.values()),
            ["team", "quarter"],
            ["referrals", "assessments", "reviews", "carers_assessments", "safeguarding_enquiries"],
        ),
        (KPIValue, values, ["kpi", "quarter"], ["value"]),
    ):
        model.objects.bulk_create(
            rows, update_conflicts=True, unique_fields=unique, update_fields=fields
        )
    return len(frame)


def import_return(baseline: bool, repeat: int) -> dict:
    """A quarterly return with every figure changed: our reader and atomic save, or the
    baseline (`return_baseline`). A return is small, so one upload is a few milliseconds:
    as for pages, the median of `repeat` uploads after a warm-up, each rolled back."""
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from dashboards.quarter import latest_quarter_with_figures
    from returns.actions import apply_return_changes
    from returns.file import read_return, template_bytes, template_rows

    agreement = national_partnership()
    quarter = latest_quarter_with_figures(agreement)
    rows = template_rows(agreement, quarter)
    for row in rows:
        if row["section"] in ("contribution", "caseload", "activity") and row["value"] != "":
            row["value"] = str(int(float(row["value"])) + 1)
        elif row["section"] in ("contribution", "caseload", "activity"):
            row["value"] = "10"
        elif row["section"] == "kpi":
            row["value"] = "50"
        elif row["measure"] == "progress_note":
            row["value"] = "Bench progress note."
    content = template_bytes(rows, xlsx=False)
    user = get_user_model().objects.get(username="national.commissioner")
    this_partnership = type(agreement).objects.filter(pk=agreement.pk)  # as the page reads it

    def upload() -> tuple[int, float]:
        started = time.perf_counter()
        with transaction.atomic():
            if baseline:
                saved = return_baseline(agreement, quarter, content)
            else:
                result = read_return(content, "bench.csv", within=this_partnership)
                if result.problems:
                    raise SystemExit(f"the bench return was refused: {result.problems[:3]}")
                apply_return_changes(
                    by=user,
                    agreement=agreement,
                    quarter=quarter,
                    changes=result.changes,
                    lookups=result.lookups,  # refused if the return was saved since they were read
                )
                saved = len(result.changes)
            elapsed = time.perf_counter() - started
            transaction.set_rollback(True)
        return saved, elapsed

    upload()
    timings = [upload() for _ in range(repeat)]
    saved = timings[0][0]
    elapsed = statistics.median(seconds for _, seconds in timings)
    return {
        "import": "quarterly return",
        "method": "baseline" if baseline else "product",
        "rows": saved,
        "seconds": round(elapsed, 4),
        "rows_per_second": round(saved / elapsed, 1),
        "peak_mb": round(peak_memory_mb(), 1),
    }


# PDFs ---------------------------------------------------------------------------------------


def measure_pdf(repeat: int) -> list[dict]:
    """Each kind of report for the national partnership: the product's render (build the
    paper from the data, draw the charts, render the HTML, make the PDF) against WeasyPrint
    making the PDF from the same saved HTML."""
    from weasyprint import HTML

    from dashboards.quarter import latest_quarter_with_figures
    from partnerships.models import AgreementTerm
    from reports.papers import build
    from reports.render import render_html, render_pdf

    agreement = national_partnership()
    extended = (
        AgreementTerm.objects.filter(
            kind=AgreementTerm.Kind.EXTENSION, agreement__slug__startswith="national-"
        )
        .select_related("agreement")
        .order_by("agreement__slug")
        .first()
    )
    results = []
    for kind in ("jmg", "scrutiny", "decision"):
        subject = extended.agreement if kind == "decision" else agreement
        quarter = latest_quarter_with_figures(subject)

        def ours(subject=subject, quarter=quarter, kind=kind):
            return render_pdf(render_html(build(subject, kind, quarter, draft=False)))

        ours()
        html = render_html(build(subject, kind, quarter, draft=False))
        product, plain = [], []
        for _ in range(repeat):
            started = time.perf_counter()
            ours()
            product.append(time.perf_counter() - started)
            started = time.perf_counter()
            HTML(string=html).write_pdf(pdf_variant="pdf/ua-1")
            plain.append(time.perf_counter() - started)
        results.append(
            {
                "kind": kind,
                "partnership": subject.slug,
                "product_ms": round(statistics.median(product) * 1000, 1),
                "weasyprint_ms": round(statistics.median(plain) * 1000, 1),
            }
        )
    return results


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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("what", choices=["pages", "import-s117", "import-return", "pdf"])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--rows", type=int, default=250_000)
    parser.add_argument("--baseline", action="store_true")
    args = parser.parse_args()
    setup()
    if args.what == "pages":
        publish_for_pages()
        result = measure_pages(args.repeat)
    elif args.what == "import-s117":
        result = import_s117(args.rows, args.baseline)
    elif args.what == "import-return":
        result = import_return(args.baseline, args.repeat)
    else:
        result = measure_pdf(args.repeat)
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
