"""Reading an s117 register file (CSV or XLSX) and saying what it would change.

One row per person (docs/import-formats.md). Every problem is reported at once by row and
column. Entitlements are never ended by leaving a person out of the file: only a row with
an end date and both bodies' agreement ends one, and never while a CTO is in force.

`columns` says what a file holds, `cells` reads one row's cells into values, `rows` checks
each row against the others and the register, and `result` is what reading gives back.
"""

import datetime

from core import tabular
from partnerships.models import Agreement
from s117.register_file.columns import (
    COLUMNS,
    FIELD_OF,
    LIMITS,
    MAX_NAME,
    MAX_REASON,
    MAX_ROWS,
    OPTIONAL,
)
from s117.register_file.result import EntryChange, RegisterFile
from s117.register_file.rows import read_rows

__all__ = [
    "COLUMNS",
    "FIELD_OF",
    "LIMITS",
    "MAX_NAME",
    "MAX_REASON",
    "MAX_ROWS",
    "EntryChange",
    "RegisterFile",
    "read_register",
]


def read_register(
    content: bytes,
    filename: str,
    agreement: Agreement,
    *,
    today: datetime.date,
    limits: tabular.Limits = LIMITS,
    keep: bool = False,
) -> RegisterFile:
    """Check a register file against the partnership's register. With `keep`, the rows as
    read are kept too (`RegisterFile.as_read`): a spreadsheet can then be held as the CSV of
    its cells, quick to read again when it is saved."""
    result = RegisterFile()
    try:
        rows = tabular.read_table(content, filename, COLUMNS, limits, optional=OPTIONAL)
        if keep:
            rows = _kept(rows, result.as_read)
        read_rows(rows, agreement, today, result)
    except tabular.Unreadable as error:
        result.problems.append(error.problem)
    if result.problems:
        result.changes = []
    return result


def _kept(rows, kept: list):
    for row in rows:
        kept.append(tuple(row.cells[column] for column in COLUMNS))
        yield row
