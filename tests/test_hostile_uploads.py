"""Hostile files, by the hundred, for both uploads (a quarterly return and the s117
register): sheets that claim to be the whole grid, cells a million rows away or in
column XFD, formulas and formula-like text, broken encodings, empty files and odd
references. Each ends in problems that say where (a row, a column, or the file), with
nothing written, in bounded memory and time, or, if the file is a good one, in a clean
save that the database accepts.

Memory and time are measured around each file with ceilings far above what any of them
needs (reading one takes milliseconds and a few megabytes): they catch a file whose
claims were believed, as when such files took 20-50 s and up to 4 GB.
"""

import csv
import io
import resource
import time

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from partnerships.models import Agreement
from returns.actions import apply_return_changes
from returns.file import read_return
from s117.actions import apply_register_changes
from s117.models import RegisterEntry
from s117.register_file import read_register
from tests.hostile_files import sheet_xml, workbook
from tests.returns.test_return_fuzz import EXAMPLE as RETURN_EXAMPLE
from tests.s117.test_register_file import EXAMPLE as REGISTER_EXAMPLE
from tests.s117.test_register_file import TODAY

pytestmark = pytest.mark.django_db

SECONDS_PER_FILE = 10
MEMORY_GROWTH = 500 * 1024 * 1024
FUZZ = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

FORMULAS = ["=1+1", '=HYPERLINK("http://x")', "+1+1", "-1+1", "@SUM(A1)", "\t=1", "\r=1"]
ODD = [
    "",
    " ",
    "BR/S117/1",
    "../../admin",
    "a?b#c",
    "%2F",
    "x" * 31,
    "x" * 5000,
    "Ünïcödé",
    "١٢٣",
    "\u202e",
    "1e309",
    "NaN",
    "9" * 40,
]


class Rollback(Exception):
    pass


def rows_of(path) -> list[list[str]]:
    return [list(row) for row in csv.reader(io.StringIO(path.read_text()))]


@st.composite
def hostile(draw, base: list[list[str]]):
    """(file content, file name, the (row, column) a formula was put in, if one was)."""
    rows = [list(row) for row in base]
    header = rows[0]
    for _ in range(draw(st.integers(0, 3))):
        row = draw(st.integers(1, len(rows) - 1))
        column = draw(st.integers(0, len(header) - 1))
        kind = draw(st.sampled_from(["odd", "odd", "blank_row", "wide_row"]))
        if kind == "odd":
            rows[row][column] = draw(st.sampled_from(ODD) | st.text(max_size=8))
        elif kind == "blank_row":
            rows.insert(row, [""] * len(header))
        else:
            rows[row] = [*rows[row], draw(st.sampled_from(ODD[2:]))]
    placed = None
    if draw(st.booleans()):  # last, so that no row is moved after it
        row = draw(st.integers(1, len(rows) - 1))
        column = draw(st.integers(0, len(header) - 1))
        while len(rows[row]) < len(header):
            rows[row].append("")
        rows[row][column] = draw(st.sampled_from(FORMULAS))
        placed = (row + 1, header[column])
    if draw(st.booleans()):
        return spreadsheet(draw, rows), "upload.xlsx", placed
    content = "\n".join(",".join(_quoted(cell) for cell in row) for row in rows).encode()
    mangle = draw(st.sampled_from(["none", "none", "latin-1", "utf-16", "truncate", "empty"]))
    if mangle == "latin-1":
        content = content.decode().encode("latin-1", errors="replace") + b"\xe9"
    elif mangle == "utf-16":
        content = content.decode().encode("utf-16")
    elif mangle == "truncate":
        content = content[: draw(st.integers(0, len(content)))]
    elif mangle == "empty":
        content = b""
    return content, "upload.csv", placed if mangle == "none" else None


def _quoted(cell: str) -> str:
    buffer = io.StringIO()  # a cell with a line break in it is quoted, as a spreadsheet does
    csv.writer(buffer, lineterminator="\r\n").writerow([cell])
    return buffer.getvalue().removesuffix("\r\n")


def spreadsheet(draw, rows: list[list[str]]) -> bytes:
    cells = {
        number: {column: value for column, value in enumerate(row, start=1) if value != ""}
        for number, row in enumerate(rows, start=1)
    }
    far = draw(st.sampled_from(["none", "claims", "last_row", "last_column", "both"]))
    dimension = "A1:XFD1048576" if far in ("claims", "both") else None
    if far in ("last_row", "both"):
        cells[1_048_576] = {1: "far away"}
    if far == "last_column":
        cells[2] = {**cells.get(2, {}), 16_384: "far right"}
    return workbook(sheet_xml(cells, dimension=dimension))


def bounded(read):
    """Run `read()` and check it kept within the ceilings; its result."""
    peak_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    started = time.process_time()
    result = read()
    assert time.process_time() - started < SECONDS_PER_FILE
    peak_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    assert peak_after - peak_before < MEMORY_GROWTH
    return result


def assert_said_where(problems, placed) -> None:
    assert problems
    for problem in problems:
        said = str(problem)
        assert said.startswith(("Row ", "The file")), said
    if placed is not None:  # that row is named, unless the whole file was refused first
        row, _ = placed
        assert any(problem.row in (row, None, 1) for problem in problems), (
            placed,
            [str(p) for p in problems],
        )


@FUZZ
@given(upload=hostile(rows_of(RETURN_EXAMPLE)))
def test_a_hostile_return_is_refused_clearly_in_bounded_time_or_saved_cleanly(
    upload, django_user_model
):
    content, name, placed = upload
    everyone = Agreement.objects.all()

    result = bounded(lambda: read_return(content, name, within=everyone))

    if result.problems or result.agreement is None:
        assert_said_where(result.problems, placed)
        assert result.changes == []
        return
    assert placed is None, "a formula was read as a figure"
    by = django_user_model.objects.get(username="commissioner")
    try:
        with transaction.atomic():
            apply_return_changes(
                by=by, agreement=result.agreement, quarter=result.quarter, changes=result.changes
            )
            raise Rollback
    except Rollback:
        pass


@FUZZ
@given(upload=hostile(rows_of(REGISTER_EXAMPLE)))
def test_a_hostile_register_is_refused_clearly_in_bounded_time_or_saved_cleanly(
    upload, bromley, django_user_model
):
    content, name, placed = upload
    before = list(RegisterEntry.objects.order_by("pk").values())

    result = bounded(lambda: read_register(content, name, bromley, today=TODAY))

    if result.problems:
        assert_said_where(result.problems, placed)
        assert result.changes == []
        assert list(RegisterEntry.objects.order_by("pk").values()) == before
        return
    assert placed is None, "a formula was read as a value"
    by = django_user_model.objects.get(username="s117.officer")
    try:
        with transaction.atomic():
            apply_register_changes(by=by, agreement=bromley, changes=result.changes)
            for entry in RegisterEntry.objects.filter(agreement=bromley):
                entry.full_clean()  # what was saved passes every rule of the model
            raise Rollback
    except Rollback:
        pass
    assert list(RegisterEntry.objects.order_by("pk").values()) == before
