"""Uploaded tables are read in bounded memory and time, whatever the file says of itself,
and every cell comes out as the text someone typed."""

import datetime
import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from core import tabular
from tests.hostile_files import sheet_xml, table, workbook

COLUMNS = ("partnership", "period", "section", "item", "measure", "value")
ROW = ["bromley-oxleas-mh", "2022/23-Q4", "kpi", "KPI 1", "value", 73]
LIMITS = tabular.Limits(max_rows=20_000, max_bytes=5 * 1024 * 1024, max_unpacked_bytes=16 << 20)
# Far above what reading any of these files needs (a process reading one peaks at about
# 60 MB, in well under a second): they fail only if a file's claims are believed, as they
# were when files like these took 20-50 s and up to 4 GB.
MEMORY_CEILING = 300 * 1024 * 1024
TIME_CEILING = 30


def read(content: bytes, name: str = "r.xlsx", limits=LIMITS) -> list[tabular.Row]:
    return list(tabular.read_table(content, name, COLUMNS, limits))


def refusal(content: bytes, name: str = "r.xlsx", limits=LIMITS) -> str:
    with pytest.raises(tabular.Unreadable) as refused:
        read(content, name, limits)
    return str(refused.value)


def bounded(content: bytes, name: str = "r.xlsx", tmp_path=None):
    """Read `content` in a process of its own, capped and measured: the result's values
    (or the refusal), within the ceilings of memory and processor time."""
    script = f"""
import json, resource, sys, time
resource.setrlimit(resource.RLIMIT_CPU, ({TIME_CEILING}, {TIME_CEILING}))
from core import tabular
limits = tabular.Limits(max_rows={LIMITS.max_rows}, max_bytes={LIMITS.max_bytes},
                        max_unpacked_bytes={LIMITS.max_unpacked_bytes})
started = time.process_time()
try:
    rows = [row.cells["value"] for row in tabular.read_table(
        sys.stdin.buffer.read(), {name!r}, {COLUMNS!r}, limits)]
    outcome = rows
except tabular.Unreadable as refused:
    outcome = str(refused)
# This process's own peak (ru_maxrss would count the test process it was forked from).
with open("/proc/self/status") as status:
    peak_kb = int(next(l for l in status if l.startswith("VmHWM:")).split()[1])
print(json.dumps({{"outcome": outcome, "cpu": time.process_time() - started,
                  "peak_kb": peak_kb}}))
"""
    done = subprocess.run(  # noqa: S603  # our own interpreter, our own script
        [sys.executable, "-c", script],
        input=content,
        capture_output=True,
        cwd=Path(__file__).resolve().parents[2],
        timeout=TIME_CEILING * 2,
        check=True,
    )
    measured = json.loads(done.stdout)
    assert measured["peak_kb"] * 1024 < MEMORY_CEILING, f"{measured['peak_kb'] // 1024} MB"
    assert measured["cpu"] < TIME_CEILING, f"{measured['cpu']:.0f} s of processor time"
    return measured["outcome"]


def test_a_sheet_claiming_the_whole_grid_is_read_as_the_cells_it_has():
    content = workbook(sheet_xml(table([list(COLUMNS), ROW]), dimension="A1:XFD1048576"))

    assert bounded(content) == ["73"]


def test_cells_a_million_rows_apart_are_refused_without_reading_the_rows_between():
    content = workbook(
        sheet_xml({1: dict(enumerate(COLUMNS, 1)), 2: dict(enumerate(ROW, 1)), 1_048_576: {1: "x"}})
    )

    said = bounded(content)

    assert said == (
        "The file: has more than 20,000 rows under its header (there is something in row "
        "1,048,576): split it into smaller files, or delete the rows below the figures."
    )


def test_a_cell_far_to_the_right_of_every_row_costs_nothing():
    rows = {1: dict(enumerate(COLUMNS, 1))}
    rows |= {n: {**dict(enumerate(ROW, 1)), 16_384: "x"} for n in range(2, 2_002)}

    assert len(bounded(workbook(sheet_xml(rows)))) == 2_000


def test_a_cell_just_past_the_header_is_pointed_out():
    rows = read(workbook(sheet_xml(table([list(COLUMNS), [*ROW, "a note"]]))))

    assert (rows[0].number, rows[0].spill) == (2, 7)
    assert tabular.column_letter(rows[0].spill) == "G"


def test_a_workbook_that_unpacks_to_far_more_than_its_size_is_refused_before_reading():
    padding = {"xl/media/padding.bin": b"\0" * (40 * 1024 * 1024)}  # deflates to ~40 KB
    content = workbook(sheet_xml(table([list(COLUMNS), ROW])), extra=padding)
    assert len(content) < 100 * 1024

    said = bounded(content)

    assert said.startswith("The file: unpacks to 40 MB, more than the 16 MB a file of this kind")


@pytest.mark.parametrize(
    ("content", "name", "said"),
    [
        (b"", "r.xlsx", "The file: is not an XLSX workbook: save it as XLSX or as CSV UTF-8."),
        (b"PK\x03\x04 not really", "r.xlsx", "The file: is not an XLSX workbook"),
        (b"", "r.csv", "The file: is empty: it needs a header row (partnership, period,"),
        (b"\xff\xfeoops", "r.csv", "The file: is not UTF-8 text (byte 0). Save it as CSV UTF-8."),
        (b"a\x00b", "r.csv", "The file: contains binary data"),
        (b"x", "r.txt", "The file: is not a .csv or .xlsx file ('r.txt')."),
        (b'"unclosed\n', "r.csv", "Row 1: could not be read as CSV"),
    ],
)
def test_a_file_that_is_not_a_table_says_what_it_is(content, name, said):
    assert refusal(content, name).startswith(said)


def test_a_file_over_its_size_is_refused_unread():
    limits = tabular.Limits(max_rows=10, max_bytes=1024, max_unpacked_bytes=4096)

    assert refusal(b"x" * 1025, "r.csv", limits) == "The file: is larger than 1 KB."


def test_a_csv_with_more_rows_than_the_format_allows_is_refused_at_the_first_row_past_it():
    limits = tabular.Limits(max_rows=3, max_bytes=1 << 20, max_unpacked_bytes=1 << 20)
    lines = [",".join(COLUMNS)] + [",".join(map(str, ROW))] * 5
    content = "\n".join(lines).encode()

    with pytest.raises(tabular.Unreadable, match=r"more than 3 rows .* row 5"):
        list(tabular.read_table(content, "r.csv", COLUMNS, limits))


def test_blank_rows_at_the_end_are_not_rows_but_blank_rows_between_are():
    lines = [",".join(COLUMNS), ",".join(map(str, ROW)), ",,,,,", ",".join(map(str, ROW))]
    lines += [",,,,,"] * 50 + [""] * 3
    rows = read("\n".join(lines).encode(), "r.csv")

    assert [(row.number, row.blank) for row in rows] == [(2, False), (3, True), (4, False)]


def test_columns_can_come_in_any_order_and_any_case():
    content = b"VALUE, Measure ,item,section,period,partnership\n73,value,KPI 1,kpi,2022/23-Q4,b\n"

    (row,) = read(content, "r.csv")

    assert row.cells == {
        "partnership": "b",
        "period": "2022/23-Q4",
        "section": "kpi",
        "item": "KPI 1",
        "measure": "value",
        "value": "73",
    }


def test_spreadsheet_cells_come_out_as_typed_and_formulas_as_formulas():
    book = Workbook()
    sheet = book.active
    sheet.append(list(COLUMNS))
    sheet.append(
        [
            1650000.0,
            datetime.datetime(2024, 3, 31),
            datetime.date(2024, 3, 31),
            82.5,
            True,
            "=SUM(A1:A3)",
        ]
    )
    buffer = io.BytesIO()
    book.save(buffer)

    (row,) = read(buffer.getvalue())

    assert list(row.cells.values()) == [
        "1650000",
        "2024-03-31",
        "2024-03-31",
        "82.5",
        "True",
        "=SUM(A1:A3)",
    ]


def test_too_many_parts_is_not_a_workbook():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for n in range(1_001):
            archive.writestr(f"part{n}.xml", "")

    assert refusal(buffer.getvalue()).startswith("The file: holds more parts than a workbook")


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("=HYPERLINK(1)", "'=HYPERLINK(1)"),
        ("+44 20", "'+44 20"),
        ("-done", "'-done"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("-3.5", "-3.5"),
        ("Plain text", "Plain text"),
    ],
)
def test_text_is_written_so_no_spreadsheet_runs_it_and_read_back_as_it_was(text, written):
    assert tabular.defuse(text) == written
    assert tabular.undefuse(tabular.defuse(text)) == text
