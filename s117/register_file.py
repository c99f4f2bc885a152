"""Reading an s117 register file (CSV or XLSX) and saying what it would change.

One row per person (docs/import-formats.md). Every problem is reported at once by row and
column. Entitlements are never ended by leaving a person out of the file: only a row with
an end date and both bodies' agreement ends one, and never while a CTO is in force.
"""

import datetime
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

import pandas as pd

from caseload.models import Team
from partnerships.models import Agreement, Organisation
from partnerships.return_file import MAX_BYTES, Problem, clean
from s117 import nhs_number
from s117.models import QUALIFYING_SECTIONS, RegisterEntry

COLUMNS = (
    "person_reference",
    "nhs_number",
    "full_name",
    "date_of_birth",
    "qualifying_section",
    "detained_on",
    "discharged_on",
    "responsible_council",
    "responsible_icb",
    "team",
    "council_share_percent",
    "review_due",
    "last_reviewed",
    "cto_in_force",
    "ended_on",
    "end_agreed_by_council_on",
    "end_agreed_by_icb_on",
    "end_reason",
)
REQUIRED = (
    "person_reference",
    "qualifying_section",
    "detained_on",
    "responsible_council",
    "responsible_icb",
)
PAST_DATES = (
    "date_of_birth",
    "detained_on",
    "discharged_on",
    "last_reviewed",
    "ended_on",
    "end_agreed_by_council_on",
    "end_agreed_by_icb_on",
)
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y")
MAX_ROWS = 300_000


@dataclass(frozen=True)
class EntryChange:
    row: int
    reference: str
    values: dict
    before: dict | None  # None: a new entry

    @property
    def kind(self) -> str:
        if self.before is None:
            return "new"
        return (
            "unchanged" if all(self.before[k] == v for k, v in self.values.items()) else "changed"
        )

    @property
    def changed_fields(self) -> list[str]:
        if self.before is None:
            return []
        return [k for k, v in self.values.items() if self.before[k] != v]


@dataclass
class RegisterFile:
    changes: list[EntryChange] = field(default_factory=list)
    not_listed: list[str] = field(default_factory=list)  # open entries the file leaves out
    problems: list[Problem] = field(default_factory=list)

    def count(self, kind: str) -> int:
        return sum(1 for change in self.changes if change.kind == kind)


def read_register(
    content: bytes, filename: str, agreement: Agreement, *, today: datetime.date
) -> RegisterFile:
    result = RegisterFile()
    frame = _frame(content, filename, result.problems)
    if frame is None:
        return result
    header = [str(c).strip().lower() for c in frame.columns]
    missing = [c for c in COLUMNS if c not in header]
    extra = [c for c in header if c not in COLUMNS]
    twice = sorted({c for c in header if header.count(c) > 1})
    if missing or extra or twice:
        said = "; ".join(
            part
            for part in (
                f"missing {', '.join(missing)}" if missing else "",
                f"unexpected {', '.join(extra)}" if extra else "",
                f"{', '.join(twice)} appears twice" if twice else "",
            )
            if part
        )
        result.problems.append(
            Problem(1, None, "", f"{said}. See docs/import-formats.md for the columns.")
        )
        return result
    frame.columns = header
    if len(frame) > MAX_ROWS:
        result.problems.append(
            Problem(None, None, "", f"has {len(frame)} rows; at most {MAX_ROWS} are read.")
        )
        return result
    councils = {o.short_name: o for o in Organisation.objects.filter(kind="council")}
    icbs = {o.short_name: o for o in Organisation.objects.filter(kind__in=["icb", "ccg"])}
    teams = {t.name: t for t in Team.objects.filter(agreement=agreement)}
    existing = {e.person_reference: e for e in RegisterEntry.objects.filter(agreement=agreement)}
    open_numbers = {
        e.nhs_number: e.person_reference
        for e in existing.values()
        if e.nhs_number and e.ended_on is None
    }
    seen_references: dict[str, int] = {}
    seen_numbers: dict[str, int] = {}
    # Every cell as trimmed text, a column at a time (a register can have 300,000 rows).
    cells = zip(*(_cleaned(frame[column]) for column in COLUMNS), strict=True)
    for index, values in enumerate(cells):
        number = index + 2
        row = dict(zip(COLUMNS, values, strict=True))
        if not any(row.values()):
            result.problems.append(Problem(number, None, "", "is blank: delete it or fill it in."))
            continue
        formulas = [c for c, v in row.items() if v.startswith("=")]
        for column in formulas:
            result.problems.append(
                Problem(number, column, row[column], "is a formula: type the value itself.")
            )
        if formulas:
            continue
        values = _values(number, row, result.problems, councils, icbs, teams, today)
        if values is None:
            continue
        reference = values["person_reference"]
        if reference in seen_references:
            result.problems.append(
                Problem(
                    number,
                    "person_reference",
                    reference,
                    f"repeats row {seen_references[reference]}.",
                )
            )
            continue
        seen_references[reference] = number
        if values["nhs_number"] and values["ended_on"] is None:
            if values["nhs_number"] in seen_numbers:
                result.problems.append(
                    Problem(
                        number,
                        "nhs_number",
                        values["nhs_number"],
                        "has an open entitlement on row "
                        f"{seen_numbers[values['nhs_number']]} already.",
                    )
                )
                continue
            seen_numbers[values["nhs_number"]] = number
            held_by = open_numbers.get(values["nhs_number"])
            if held_by is not None and held_by != reference:
                result.problems.append(
                    Problem(
                        number,
                        "nhs_number",
                        values["nhs_number"],
                        f"already has an open entitlement on the register as {held_by}: "
                        "use that reference.",
                    )
                )
                continue
        entry = existing.get(reference)
        before = None
        if entry is not None:
            before = {key: getattr(entry, FIELD_OF.get(key, key)) for key in values}
            if entry.ended_on is not None and values["ended_on"] is None:
                result.problems.append(
                    Problem(
                        number,
                        "ended_on",
                        "",
                        f"is blank, but {reference}'s entitlement ended on "
                        f"{entry.ended_on:%-d %B %Y}: an ended entitlement isn't reopened "
                        "by a file.",
                    )
                )
                continue
        result.changes.append(EntryChange(number, reference, _keyed(values), before))
    listed = set(seen_references)
    result.not_listed = sorted(
        ref for ref, entry in existing.items() if ref not in listed and entry.ended_on is None
    )
    if result.problems:
        result.changes = []
    return result


FIELD_OF = {
    "responsible_council": "responsible_council_id",
    "responsible_icb": "responsible_icb_id",
    "team": "team_id",
}


def _cleaned(column: pd.Series) -> list[str]:
    """A column's cells as `clean` gives them: text, trimmed, empty for a missing cell."""
    return [value.strip() if type(value) is str else clean(value) for value in column.tolist()]


def _keyed(values: dict) -> dict:
    """Foreign keys as ids, so that a row compares with what is stored."""
    return {
        key: (value.pk if value is not None else None) if key in FIELD_OF else value
        for key, value in values.items()
    }


def _frame(content: bytes, filename: str, problems: list[Problem]):
    if len(content) > MAX_BYTES * 20:
        problems.append(Problem(None, None, "", "is larger than 100 MB."))
        return None
    name = filename.lower()
    try:
        if name.endswith(".csv"):
            try:
                text = content.decode("utf-8-sig")
            except UnicodeDecodeError as error:
                problems.append(
                    Problem(
                        None,
                        None,
                        "",
                        f"is not UTF-8 text (byte {error.start}). Save it as CSV UTF-8.",
                    )
                )
                return None
            if "\x00" in text:  # PostgreSQL can't store it, and no real register has one
                problems.append(
                    Problem(None, None, "", "contains binary data: is it really a CSV file?")
                )
                return None
            return pd.read_csv(
                io.StringIO(text), dtype=str, keep_default_na=False, skip_blank_lines=False
            )
        if name.endswith(".xlsx"):
            return pd.read_excel(
                io.BytesIO(content), dtype=str, keep_default_na=False, engine="openpyxl"
            )
        problems.append(Problem(None, None, filename, "is not a .csv or .xlsx file."))
    except Exception as error:
        problems.append(
            Problem(None, None, "", f"could not be read ({error}). Save it as CSV (UTF-8) or XLSX.")
        )
    return None


def _date(number, column, text, problems, today, *, past: bool):
    if not text:
        return None
    plain = text.split(" ")[0]  # spreadsheets add 00:00:00
    day = None
    if len(plain) == 10 and plain[4] == plain[7] == "-" and plain.replace("-", "").isdigit():
        # 2024-03-31, the common case, parsed in C
        try:
            day = datetime.date.fromisoformat(plain)
        except ValueError:
            day = None
    for pattern in DATE_FORMATS if day is None else ():
        try:
            day = datetime.datetime.strptime(plain, pattern).date()
            break
        except ValueError:
            continue
    if day is None:
        problems.append(
            Problem(number, column, text, "should be a date such as 2024-03-31 or 31/03/2024.")
        )
        return None
    if past and day > today:
        problems.append(Problem(number, column, text, "is in the future."))
        return None
    if day.year < 1900:
        problems.append(Problem(number, column, text, "is before 1900: check it."))
        return None
    return day


def _values(number, row, problems, councils, icbs, teams, today):
    before = len(problems)
    for column in REQUIRED:
        if not row[column]:
            problems.append(Problem(number, column, "", "is required."))
    values: dict = {"person_reference": row["person_reference"][:30]}
    if len(row["person_reference"]) > 30:
        problems.append(
            Problem(
                number, "person_reference", row["person_reference"], "is longer than 30 characters."
            )
        )
    number_text = nhs_number.normalise(row["nhs_number"])
    if number_text:
        problem = nhs_number.problem(number_text)
        if problem:
            problems.append(Problem(number, "nhs_number", row["nhs_number"], problem))
    values["nhs_number"] = number_text
    values["full_name"] = row["full_name"][:200]
    section = row["qualifying_section"].upper().removeprefix("S").removeprefix("ECTION ").strip()
    if row["qualifying_section"] and section not in QUALIFYING_SECTIONS:
        problems.append(
            Problem(
                number,
                "qualifying_section",
                row["qualifying_section"],
                "is not a qualifying section for s117 aftercare: one of "
                f"{', '.join(QUALIFYING_SECTIONS)}.",
            )
        )
    values["qualifying_section"] = section
    for column in (
        "date_of_birth",
        "detained_on",
        "discharged_on",
        "review_due",
        "last_reviewed",
        "ended_on",
        "end_agreed_by_council_on",
        "end_agreed_by_icb_on",
    ):
        values[column] = _date(
            number, column, row[column], problems, today, past=column in PAST_DATES
        )
    for column, choices, kind in (
        ("responsible_council", councils, "a council"),
        ("responsible_icb", icbs, "an ICB or CCG"),
    ):
        if row[column] and row[column] not in choices:
            problems.append(
                Problem(
                    number,
                    column,
                    row[column],
                    f"is not {kind} this service knows (known: {', '.join(sorted(choices))}).",
                )
            )
        values[column] = choices.get(row[column])
    if row["team"] and row["team"] not in teams:
        problems.append(Problem(number, "team", row["team"], "is not a team of this partnership."))
    values["team"] = teams.get(row["team"])
    share = row["council_share_percent"] or "50"
    try:
        values["council_share_percent"] = Decimal(share.rstrip("%")).quantize(Decimal("0.01"))
        if not (0 <= values["council_share_percent"] <= 100):
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        problems.append(
            Problem(number, "council_share_percent", share, "should be a percentage from 0 to 100.")
        )
    cto = row["cto_in_force"].lower()
    if cto not in ("", "yes", "no", "y", "n", "true", "false"):
        problems.append(
            Problem(number, "cto_in_force", row["cto_in_force"], "should be yes or no.")
        )
    values["cto_in_force"] = cto in ("yes", "y", "true")
    values["end_reason"] = row["end_reason"][:2000]
    if len(problems) > before:
        return None
    if values["discharged_on"] and values["discharged_on"] < values["detained_on"]:
        problems.append(
            Problem(number, "discharged_on", row["discharged_on"], "is before detained_on.")
        )
    if values["ended_on"]:
        if values["cto_in_force"]:
            problems.append(
                Problem(
                    number,
                    "ended_on",
                    row["ended_on"],
                    "can't be set while a Community Treatment Order is in force.",
                )
            )
        if not (values["end_agreed_by_council_on"] and values["end_agreed_by_icb_on"]):
            problems.append(
                Problem(
                    number,
                    "ended_on",
                    row["ended_on"],
                    "needs both end_agreed_by_council_on and end_agreed_by_icb_on: "
                    "aftercare ends only by a joint decision.",
                )
            )
        if not values["end_reason"]:
            problems.append(
                Problem(number, "end_reason", "", "is required when the entitlement ends.")
            )
        if not values["discharged_on"] or values["ended_on"] < values["discharged_on"]:
            problems.append(
                Problem(number, "ended_on", row["ended_on"], "should be on or after discharged_on.")
            )
    return None if len(problems) > before else values
