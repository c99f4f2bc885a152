"""Malformed return files, by the thousand: each ends in a clear problem or a clean save.

Never an exception from reading, never a half-saved file, and never a file the reader
accepts that the database then refuses (the reader must catch everything first).
"""

import csv
import io
from pathlib import Path

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from partnerships.models import Agreement
from returns.actions import apply_return_changes
from returns.file import COLUMNS
from returns.file import read_return as read_for

pytestmark = pytest.mark.django_db


def read_return(content: bytes, name: str):
    """A file read for someone who enters figures for every partnership: these tests are
    about reading it (tests/partnerships/test_return_pages.py checks whose it may be)."""
    return read_for(content, name, within=Agreement.objects.all())


EXAMPLE = (
    Path(__file__).resolve().parents[2]
    / "fixtures/examples/return-bromley-oxleas-mh-2022-23-Q4.csv"
)
ROWS = list(csv.reader(io.StringIO(EXAMPLE.read_text())))

NASTY = [
    "",
    " ",
    "-5",
    "-0.01",
    "1e309",
    "NaN",
    "inf",
    "=1+1",
    '=HYPERLINK("x")',
    "+1",
    "@SUM(A1)",
    "£1,000.00",
    "1,000",
    "9" * 40,
    "0.001",
    "١٢٣",
    "\x00",
    "…",
    "12.0",
    "1 000",
    "TRUE",
    "2023-04-01",
    "KPI 1",
    "LBB",
    "las",
    "complete",
    "Complete",
    "in_more_than_one_system",
    "bromley-oxleas-mh",
    "oxfordshire-mh-social-work",
    "2022/23-Q4",
    "2022/23-Q5",
    "2023/24-Q1",
    "contribution",
    "caseload",
    "activity",
    "kpi",
    "action",
    "referrals",
    "x" * 3000,
]
cells = st.one_of(st.sampled_from(NASTY), st.text(max_size=12))


class Rollback(Exception):
    pass


def to_csv(rows) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue().encode()


@st.composite
def malformed(draw):
    rows = [list(row) for row in ROWS]
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(
            st.sampled_from(
                [
                    "cell",
                    "cell",
                    "cell",
                    "drop_column",
                    "add_column",
                    "blank_row",
                    "duplicate_row",
                    "short_row",
                    "header",
                    "shuffle",
                ]
            )
        )
        row = draw(st.integers(0, len(rows) - 1))
        if kind == "cell":
            rows[row][draw(st.integers(0, len(rows[row]) - 1)) if rows[row] else 0 :][:1] = [
                draw(cells)
            ]
        elif kind == "drop_column":
            column = draw(st.integers(0, len(COLUMNS) - 1))
            rows = [r[:column] + r[column + 1 :] for r in rows]
        elif kind == "add_column":
            rows = [[*r, draw(cells)] for r in rows]
        elif kind == "blank_row":
            rows.insert(max(1, row), [""] * len(rows[0]))
        elif kind == "duplicate_row" and row > 0:
            rows.insert(row, list(rows[row]))
        elif kind == "short_row" and row > 0:
            rows[row] = rows[row][: draw(st.integers(0, len(rows[row])))]
        elif kind == "header":
            rows[0] = [draw(cells) for _ in rows[0]]
        elif kind == "shuffle":
            body = rows[1:]
            rows = [rows[0], *draw(st.permutations(body))]
    content = to_csv(rows)
    encoding = draw(st.sampled_from(["utf-8", "utf-8", "utf-8", "latin-1", "utf-16", "truncate"]))
    if encoding == "truncate":
        return content[: draw(st.integers(0, len(content)))]
    return content.decode().encode(encoding, errors="replace")


def check(content: bytes, name: str, by) -> None:
    result = read_return(content, name)
    for problem in result.problems:
        assert str(problem)  # every problem can be said in words
    if not result.ok:
        assert result.problems
        assert result.changes == []
        return
    try:
        with transaction.atomic():
            apply_return_changes(
                by=by, agreement=result.agreement, quarter=result.quarter, changes=result.changes
            )
            raise Rollback
    except Rollback:
        pass


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(content=malformed())
def test_malformed_csv_ends_in_clear_problems_or_a_clean_save(content, django_user_model):
    check(content, "return.csv", django_user_model.objects.get(username="commissioner"))


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(
    values=st.lists(
        st.one_of(cells, st.integers(-(10**15), 10**15), st.floats(allow_nan=True), st.booleans()),
        min_size=1,
        max_size=6,
    ),
    row=st.integers(1, len(ROWS) - 1),
)
def test_malformed_spreadsheet_ends_in_clear_problems_or_a_clean_save(
    values, row, django_user_model
):
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    # A real spreadsheet can't hold control characters, so neither does this one.
    values = [ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v for v in values]
    book = Workbook()
    sheet = book.active
    for number, line in enumerate(ROWS):
        if number == row:
            line = [*line[: 6 - len(values)], *values][:6]
        sheet.append(line)
    buffer = io.BytesIO()
    book.save(buffer)

    check(buffer.getvalue(), "return.xlsx", django_user_model.objects.get(username="commissioner"))
