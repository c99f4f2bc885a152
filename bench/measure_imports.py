"""The s117 register import and a quarterly return upload, each against a baseline: pandas
reading the same file and bulk-writing its rows unchecked, the least any import must do."""

import csv
import datetime
import io
import resource
import statistics
import time

from national import national_partnership


def peak_memory_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


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

    agreement = national_partnership()
    content = register_file(agreement, rows)
    user = get_user_model().objects.get(username="national.s117")
    started = time.perf_counter()
    with transaction.atomic():
        if baseline:
            saved = register_baseline(agreement, content)
        else:
            saved = register_product(agreement, content, user)
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


def register_product(agreement, content: bytes, user) -> int:
    """What `import_s117` does: read and check the file, then save its changes."""
    from django.utils import timezone

    from s117.actions import apply_register_changes
    from s117.register_file import read_register

    result = read_register(content, "bench.csv", agreement, today=timezone.localdate())
    if result.problems:
        raise SystemExit(f"the bench file was refused: {result.problems[:3]}")
    return apply_register_changes(by=user, agreement=agreement, changes=result.changes)


def register_baseline(agreement, content: bytes) -> int:
    """pandas reads the file and its rows are bulk-inserted, names looked up but nothing
    checked and no history written. Its imports are inside the time, as the product's
    modules are loaded already: pandas's import is part of what pandas costs."""
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
    return len(frame)


def return_baseline(agreement, quarter, content: bytes) -> int:
    """pandas reads the return, and its figures are bulk-written to the tables they belong
    in (an upsert per table: outturns, snapshots, overlaps, activity, KPI values), unchecked
    and with no history: the least any import of a return must do."""
    import pandas as pd

    frame = pd.read_csv(io.BytesIO(content), dtype=str, keep_default_na=False)
    lookups = return_lookups(agreement, quarter)
    for model, rows, unique, fields in return_tables(frame, quarter, lookups):
        model.objects.bulk_create(
            rows, update_conflicts=True, unique_fields=unique, update_fields=fields
        )
    # The rows with a value, as the product counts them: the template lists every figure,
    # most of the months' and the budget's blank, and a blank row records nothing.
    return int((frame["value"] != "").sum())


def return_lookups(agreement, quarter) -> dict[str, dict]:
    """The ids a return's rows name, by the names they give: teams, source systems, KPIs
    and the year's contributions by partner."""
    from budgets.models import Contribution
    from caseload.models import SourceSystem
    from returns.sections.contributions import item_names

    return {
        "teams": dict(agreement.teams.values_list("name", "pk")),
        "systems": dict(SourceSystem.objects.values_list("code", "pk")),
        "kpis": dict(agreement.kpis.values_list("code", "pk")),
        "contributions": {
            name: contribution.pk
            for name, contribution in item_names(
                Contribution.objects.filter(
                    pooled_budget__agreement=agreement,
                    pooled_budget__financial_year_id=quarter.financial_year_id,
                ).select_related("partner", "pot", "pooled_budget")
            ).items()
        },
    }


def return_tables(frame, quarter, lookups: dict[str, dict]) -> list[tuple]:
    """Each row with a value as a row of the table it belongs in, gathered by table with
    what an upsert of it needs: (model, rows, unique fields, fields to update)."""
    from budgets.models import ContributionOutturn
    from caseload.models import CareActActivity, CaseloadOverlap, CaseloadSnapshot
    from partnerships.models import KPIValue

    teams, systems, kpis = lookups["teams"], lookups["systems"], lookups["kpis"]
    contributions = lookups["contributions"]
    as_at = quarter.end_date
    outturns, snapshots, overlaps, activity, values = {}, [], [], {}, []
    for row in frame.itertuples(index=False):
        if row.value == "":
            continue
        if row.section == "contribution":
            # A position at a month of the quarter is `YYYY-MM:measure`; the quarter's is at
            # its last month.
            month, measure = quarter.number * 3, row.measure
            if ":" in measure:
                period, measure = measure.split(":", 1)
                month = (int(period[5:7]) - 4) % 12 + 1
            outturn = outturns.setdefault(
                (row.item, month),
                ContributionOutturn(
                    contribution_id=contributions[row.item],
                    quarter=quarter,
                    month=month,
                    forecast=0,
                ),
            )
            setattr(outturn, measure, row.value)
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
    return upserts(outturns, snapshots, overlaps, activity, values)


def upserts(outturns, snapshots, overlaps, activity, values) -> list[tuple]:
    """Each table's rows with the fields that find an existing row and those updated in
    it: a return's figures replace the quarter's, as the product saves them."""
    from budgets.models import ContributionOutturn
    from caseload.models import CareActActivity, CaseloadOverlap, CaseloadSnapshot
    from partnerships.models import KPIValue

    return [
        (
            ContributionOutturn,
            list(outturns.values()),
            ["contribution", "month"],
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
    ]


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
