"""Uploaded tables (CSV or XLSX) read with bounded memory and time, whatever a file says
of itself.

A spreadsheet can claim any size: an XLSX sheet's `<dimension>` can say A1:XFD1048576 in a
file of a few kilobytes, and its cells can sit in row 1 and row 1,048,576. Nothing here
trusts such a claim. An XLSX is checked as a zip archive first (how much it unpacks to),
its sheet's claimed dimension is set aside, and rows are read one at a time, as the
reader of the format asks for them, so that a file is refused at its first row past the
format's limit rather than after being laid out in memory. A CSV is read a record at a time.

Every cell comes out as trimmed text: a number as it would be typed (1650000.0 as 1650000),
a date as 2024-03-31, and a formula as its text, starting with "=", so that the format's
reader can refuse it: a formula's last calculated value is not a figure anyone typed.
"""

import csv
import datetime
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError

# A spreadsheet runs a cell starting with one of these as a formula when the file is opened.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
STARTS_LIKE_A_FORMULA = (
    "starts with a character that spreadsheets read as the start of a formula "
    "(=, +, - or @): begin the text with a word or a number."
)
XLSX_MAX_ROWS = 1_048_576  # the most a sheet can have: a file claiming more is not a sheet
MAX_ARCHIVE_MEMBERS = 1_000
# A file with more problems than this is read no further: they are listed, and the rest
# would be found when the file is checked again (a page of 50,000 problems helps nobody).
MAX_PROBLEMS = 200
_PLAIN_NUMBER = re.compile(r"-?\d+(\.\d+)?")
MAX_COLUMNS = 64  # an XLSX row is read this far to the right; no format has half as many


@dataclass(frozen=True)
class Problem:
    """Something wrong with a file, a row or a cell, said so that it can be found and fixed."""

    row: int | None  # the spreadsheet's row number: the header is row 1
    column: str | None
    value: str
    expected: str
    figure: str = ""  # what the row is, as the pages name it, where the format knows

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(f"Row {self.row}")
        if self.column:
            where.append(f"column {self.column}")
        place = ", ".join(where) if where else "The file"
        if self.figure:
            place += f" ({self.figure})"
        shown = f" {self.value!r}:" if self.value != "" else ":"
        return f"{place}{shown} {self.expected}"


def enough(problems: list[Problem]) -> bool:
    """Whether a file has shown problems enough to stop reading it; if so, says so once."""
    if len(problems) < MAX_PROBLEMS:
        return False
    if problems[-1].expected != _STOPPED:
        problems.append(Problem(None, None, "", _STOPPED))
    return True


_STOPPED = (
    f"has more problems than the {MAX_PROBLEMS} listed: it was read no further. Correct "
    "these, then check it again."
)


class Unreadable(Exception):
    """The file can't be read as the table it should be; `problem` says why."""

    def __init__(self, expected: str, *, row: int | None = None):
        self.problem = Problem(row, None, "", expected)
        super().__init__(str(self.problem))


@dataclass(frozen=True)
class Row:
    number: int  # the spreadsheet's row number
    cells: dict[str, str]  # every column of the format, "" for an empty cell
    spill: int | None = None  # the first column past the header with something in it

    @property
    def blank(self) -> bool:
        return self.spill is None and not any(self.cells.values())

    def problems(self) -> list[Problem]:
        """What keeps the row from being read as a row of the format at all: it is blank,
        has something past the format's columns, or holds a formula (each named)."""
        if self.blank:
            return [Problem(self.number, None, "", "is blank: delete it or fill it in.")]
        if self.spill is not None:
            return [
                Problem(
                    self.number,
                    None,
                    "",
                    f"has something in column {column_letter(self.spill)}, past the file's "
                    f"{len(self.cells)} columns: delete it, or put it in a column of the format.",
                )
            ]
        return [
            Problem(self.number, column, value, "is a formula: type the value itself.")
            for column, value in self.cells.items()
            if value.startswith("=")
        ]

    def typed(self) -> dict[str, str]:
        """The cells as typed: text the product wrote after an apostrophe, without it."""
        return {column: undefuse(value) for column, value in self.cells.items()}


@dataclass(frozen=True)
class Limits:
    """The most a file of one format may hold: what a real one needs, with room to spare."""

    max_rows: int  # rows under the header
    max_bytes: int  # the file as uploaded
    max_unpacked_bytes: int  # an XLSX's parts, unpacked

    def describe_bytes(self) -> str:
        return _size(self.max_bytes)


def read_table(
    content: bytes,
    filename: str,
    columns: tuple[str, ...],
    limits: Limits,
    *,
    optional: tuple[str, ...] = (),
):
    """The table's rows under a header that names exactly `columns` (in any order, any case),
    read lazily; of those, the `optional` ones (columns added to a format after files were
    made for it) may be left out, and read as blank cells. Raises Unreadable for the file as
    a whole, at once for what can be seen at once (its kind, size, encoding, header) and,
    while the rows are read, at the first row past `limits.max_rows`."""
    if len(content) > limits.max_bytes:
        raise Unreadable(f"is larger than {_size(limits.max_bytes)}.")
    name = filename.lower()
    if name.endswith(".csv"):
        records = _csv_records(content)
    elif name.endswith(".xlsx"):
        records = _xlsx_records(content, limits)
    else:
        raise Unreadable(f"is not a .csv or .xlsx file ({filename!r}).")
    first = next(records, None)
    if first is None:
        raise Unreadable(f"is empty: it needs a header row ({', '.join(columns)}).")
    positions = _header(first[1], columns, optional)
    absent = [c for c in columns if c not in positions]
    return _rows(records, positions, max(positions.values()) + 1, limits.max_rows, absent)


def _header(cells: list[str], columns: tuple[str, ...], optional=()) -> dict[str, int]:
    header = [cell.strip().lower() for cell in cells]
    while header and header[-1] == "":
        header.pop()
    missing = [c for c in columns if c not in header and c not in optional]
    extra = [c or "(a column with no name)" for c in header if c not in columns]
    twice = sorted({c for c in header if c and header.count(c) > 1})
    if missing or extra or twice:
        said = [
            part
            for part in (
                f"missing {', '.join(missing)}" if missing else "",
                f"unexpected {', '.join(dict.fromkeys(extra))}" if extra else "",
                f"{', '.join(twice)} {'appears' if len(twice) == 1 else 'appear'} twice"
                if twice
                else "",
            )
            if part
        ]
        shown = ", ".join(header[:30]) + (", …" if len(header) > 30 else "")
        may = f"; {', '.join(optional)} may be left out" if optional else ""
        raise Unreadable(
            f"the header has {shown}; {'; '.join(said)}. The columns must be: "
            f"{', '.join(columns)}{may} (docs/import-formats.md).",
            row=1,
        )
    return {column: header.index(column) for column in columns if column in header}


def _rows(
    records, positions: dict[str, int], width: int, max_rows: int, absent=()
) -> Iterator[Row]:
    """Rows with their cells by column. Blank rows at the end of a file are left out (a
    spreadsheet keeps formatted empty rows); blank rows between rows of figures are kept,
    for the format's reader to point out."""
    blanks: list[int] = []  # the numbers of blank rows not yet followed by a row of figures
    for number, cells in records:
        if not any(cells):
            if len(blanks) <= max_rows:  # a longer run ends past the limit: refused below
                blanks.append(number)
            continue
        if number > max_rows + 1:
            raise Unreadable(
                f"has more than {max_rows:,} rows under its header (there is something in "
                f"row {number:,}): split it into smaller files, or delete the rows below "
                "the figures."
            )
        for blank in blanks:
            yield Row(blank, dict.fromkeys([*positions, *absent], ""))
        blanks.clear()
        spill = next((i + 1 for i in range(width, len(cells)) if cells[i]), None)
        yield Row(
            number,
            {c: (cells[i] if i < len(cells) else "") for c, i in positions.items()}
            | dict.fromkeys(absent, ""),
            spill,
        )


def _csv_records(content: bytes) -> Iterator[tuple[int, list[str]]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise Unreadable(f"is not UTF-8 text (byte {error.start}). Save it as CSV UTF-8.") from None
    if "\x00" in text:  # PostgreSQL can't store it, and no real file has one
        raise Unreadable("contains binary data: is it really a CSV file?")
    return _csv_iter(text)


def _csv_iter(text: str) -> Iterator[tuple[int, list[str]]]:
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    number = 0
    while True:
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise Unreadable(f"could not be read as CSV ({error}).", row=number + 1) from None
        number += 1
        yield number, [cell.strip() for cell in record]


def _xlsx_records(content: bytes, limits: Limits) -> Iterator[tuple[int, list[str]]]:
    """The first sheet's rows, each as text, after checking what the archive unpacks to."""
    from openpyxl import load_workbook

    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise Unreadable("is not an XLSX workbook: save it as XLSX or as CSV UTF-8.") from None
    if len(members) > MAX_ARCHIVE_MEMBERS:
        raise Unreadable("holds more parts than a workbook does: save it again as XLSX.")
    unpacked = sum(member.file_size for member in members)
    if unpacked > limits.max_unpacked_bytes:
        raise Unreadable(
            f"unpacks to {_size(unpacked)}, more than the {_size(limits.max_unpacked_bytes)} "
            "a file of this kind may: split it, or save it as CSV UTF-8."
        )
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except Exception as error:  # openpyxl raises many kinds for a broken workbook
        raise Unreadable(f"could not be read as XLSX ({str(error)[:200]}).") from None
    return _xlsx_iter(workbook)


def _xlsx_iter(workbook) -> Iterator[tuple[int, list[str]]]:
    try:
        if not workbook.worksheets:
            raise Unreadable("has no worksheet.")
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # the claimed size is the writer's word: read what is there
        try:
            # Cells further right than MAX_COLUMNS are not read: no format has so many, and
            # a row padded out to column XFD would be 16,384 cells.
            rows = sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS)
            for number, cells in enumerate(rows, start=1):
                if number > XLSX_MAX_ROWS:
                    raise Unreadable("has more rows than a worksheet can hold.")
                if cells.count(None) == len(cells):  # an empty row, or one the sheet skips
                    yield number, []
                else:
                    yield number, [_text(value) for value in cells]
        except Unreadable:
            raise
        except Exception as error:  # XML that isn't, or a cell openpyxl can't make sense of
            # The sheet is parsed a chunk at a time, ahead of the rows handed out, so the
            # row it failed in can't be named: the file as a whole is.
            raise Unreadable(f"could not be read as XLSX ({str(error)[:200]}).") from None
    finally:
        workbook.close()


def _text(value) -> str:
    if value is None:
        return ""
    if type(value) is str:  # most cells: checked before anything slower
        return value.strip()
    return cell_text(value)


def cell_text(value) -> str:
    """A spreadsheet cell's value as the text someone would have typed."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return str(value)
        return format(Decimal(repr(value)).normalize(), "f")
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    formula = getattr(value, "text", None)  # an array or data-table formula
    if isinstance(formula, str):
        return formula if formula.startswith("=") else f"={formula}"
    return str(value).strip()


def _size(count: int) -> str:
    megabytes = count / (1024 * 1024)
    return f"{megabytes:,.0f} MB" if megabytes >= 1 else f"{max(count // 1024, 1):,} KB"


def defuse(text: str) -> str:
    """Text as it is safe to write into a CSV or XLSX cell. A spreadsheet runs a cell that
    starts with a formula prefix, so such text is written after an apostrophe, which
    spreadsheets show as text; a plain number (-3.5) is left as it is."""
    if text.startswith(FORMULA_PREFIXES) and not _PLAIN_NUMBER.fullmatch(text):
        return f"'{text}"
    return text


def undefuse(text: str) -> str:
    """Text as `defuse` had it: a cell read back from a file the product wrote."""
    if text.startswith("'") and text[1:].startswith(FORMULA_PREFIXES):
        return text[1:]
    return text


def column_letter(number: int) -> str:
    """A spreadsheet's name for its `number`th column: 1 is A, 27 is AA."""
    letters = ""
    while number > 0:
        number, remainder = divmod(number - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def validate_not_formula(text: str) -> None:
    """For text people type that the product writes into spreadsheets (notes, names,
    reasons): refused at every entry point, so that no export needs to change it."""
    if text.strip().startswith(FORMULA_PREFIXES):
        raise ValidationError(STARTS_LIKE_A_FORMULA.capitalize(), code="starts_like_formula")


def write_csv(columns: tuple[str, ...], rows) -> bytes:
    """Rows of text cells as a CSV file that `read_table` reads back to the same cells."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(rows)
    return buffer.getvalue().encode()
