"""Reading an s117 register file (CSV or XLSX) and saying what it would change.

One row per person (docs/import-formats.md). Every problem is reported at once by row and
column. Entitlements are never ended by leaving a person out of the file: only a row with
an end date and both bodies' agreement ends one, and never while a CTO is in force.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from caseload.models import Team
from core import tabular
from core.tabular import Problem
from partnerships import uploads
from partnerships.models import Agreement, Organisation
from s117 import nhs_number
from s117.models import QUALIFYING_SECTIONS, RegisterEntry
from s117.validators import reference_problem

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
TEXT = ("full_name", "end_reason")  # typed text, kept as typed
MAX_ROWS = 300_000
MAX_NAME = 200
MAX_REASON = 2000
# The most a register file may hold, read by `import_s117`. A register of MAX_ROWS people
# is about 45 MB as CSV; as XLSX it unpacks to about 500 MB, which openpyxl takes minutes
# to read. The upload page reads smaller files (s117.views.PAGE_LIMITS).
LIMITS = tabular.Limits(
    max_rows=MAX_ROWS, max_bytes=100 * 1024 * 1024, max_unpacked_bytes=600 * 1024 * 1024
)


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
    # People on the register whose records the file was compared with, or whom a problem
    # names: reading the file tells the uploader something of each (docs/access.md).
    looked_at: dict[str, RegisterEntry] = field(default_factory=dict)
    as_read: list[tuple[str, ...]] = field(default_factory=list)  # with read_register(keep=)

    def count(self, kind: str) -> int:
        return sum(1 for change in self.changes if change.kind == kind)

    def as_csv(self) -> bytes:
        """The rows as read, as a CSV file that reads back to the same rows (numbered the
        same: a file with a blank row among its rows has problems, and is not kept)."""
        return tabular.write_csv(COLUMNS, self.as_read)

    def fingerprint(self) -> str:
        """What a preview of this file shows, as a SHA-256: the same file checked against
        the same register gives the same one, and a change to anyone it changes, or to
        whether it changes them, gives another."""
        return uploads.fingerprint(
            [(c.reference, c.values, c.before) for c in self.changes if c.kind != "unchanged"]
        )


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
        rows = tabular.read_table(content, filename, COLUMNS, limits)
        if keep:
            rows = _kept(rows, result.as_read)
        _read_rows(rows, agreement, today, result)
    except tabular.Unreadable as error:
        result.problems.append(error.problem)
    if result.problems:
        result.changes = []
    return result


def _kept(rows, kept: list):
    for row in rows:
        kept.append(tuple(row.cells[column] for column in COLUMNS))
        yield row


def _read_rows(rows, agreement: Agreement, today: datetime.date, result: RegisterFile) -> None:
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
    for source in rows:
        if tabular.enough(result.problems):
            break
        refused = source.problems()
        if refused:
            result.problems.extend(refused)
            continue
        number, row = source.number, source.typed()
        values = _values(number, row, result.problems, councils, icbs, teams, today, existing)
        if values is None:
            continue
        reference = values["person_reference"]
        if reference in existing:
            result.looked_at[reference] = existing[reference]  # compared with their record
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
                result.looked_at[held_by] = existing[held_by]  # named as the number's holder
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
        like_formulas = [
            column
            for column in TEXT
            if values[column].startswith(tabular.FORMULA_PREFIXES)
            and (before is None or values[column] != before[column])
        ]
        for column in like_formulas:
            result.problems.append(
                Problem(number, column, values[column][:40], tabular.STARTS_LIKE_A_FORMULA)
            )
        if like_formulas:
            continue
        result.changes.append(EntryChange(number, reference, _keyed(values), before))
    listed = set(seen_references)
    result.not_listed = sorted(
        ref for ref, entry in existing.items() if ref not in listed and entry.ended_on is None
    )


FIELD_OF = {
    "responsible_council": "responsible_council_id",
    "responsible_icb": "responsible_icb_id",
    "team": "team_id",
}


def _keyed(values: dict) -> dict:
    """Foreign keys as ids, so that a row compares with what is stored."""
    return {
        key: (value.pk if value is not None else None) if key in FIELD_OF else value
        for key, value in values.items()
    }


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


def _values(number, row, problems, councils, icbs, teams, today, existing):
    before = len(problems)
    for column in REQUIRED:
        if not row[column]:
            problems.append(Problem(number, column, "", "is required."))
    values: dict = {"person_reference": row["person_reference"]}
    # A reference stored before the rule names its entry still: it is the new ones that must
    # keep to it (docs/access.md).
    if row["person_reference"] and row["person_reference"] not in existing:
        problem = reference_problem(row["person_reference"])
        if problem:
            problems.append(Problem(number, "person_reference", row["person_reference"], problem))
    number_text = nhs_number.normalise(row["nhs_number"])
    if number_text:
        problem = nhs_number.problem(number_text)
        if problem:
            problems.append(Problem(number, "nhs_number", row["nhs_number"], problem))
    values["nhs_number"] = number_text
    values["full_name"] = row["full_name"]
    if len(row["full_name"]) > MAX_NAME:
        problems.append(
            Problem(
                number,
                "full_name",
                row["full_name"][:40] + "…",
                f"is {len(row['full_name'])} characters long; at most {MAX_NAME} can be "
                "kept: shorten it.",
            )
        )
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
    values["end_reason"] = row["end_reason"]
    if len(row["end_reason"]) > MAX_REASON:
        problems.append(
            Problem(
                number,
                "end_reason",
                row["end_reason"][:40] + "…",
                f"is {len(row['end_reason'])} characters long; at most {MAX_REASON} can be "
                "kept: shorten it.",
            )
        )
    if len(problems) > before:
        return None
    if values["discharged_on"] and values["discharged_on"] < values["detained_on"]:
        problems.append(
            Problem(number, "discharged_on", row["discharged_on"], "is before detained_on.")
        )
    if values["date_of_birth"] and values["date_of_birth"] > values["detained_on"]:
        problems.append(
            Problem(number, "date_of_birth", row["date_of_birth"], "is after detained_on.")
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
