"""Each row of a register file against the rows before it and against the register: a
person listed once, an open entitlement held once for an NHS number (in the file and on
the register), no ended entitlement reopened, and nothing saved that a spreadsheet would
run as a formula."""

import datetime
from dataclasses import dataclass, field

from caseload.models import Team
from core import tabular
from core.formatting import long_date
from core.tabular import Problem
from partnerships.models import Agreement, Organisation
from s117.models import RegisterEntry
from s117.register_file.cells import Known, row_values
from s117.register_file.columns import FIELD_OF, TEXT
from s117.register_file.result import EntryChange, RegisterFile


@dataclass
class Seen:
    """The rows read so far: the row each reference, and each open NHS number, was on."""

    references: dict[str, int] = field(default_factory=dict)
    numbers: dict[str, int] = field(default_factory=dict)


def read_rows(rows, agreement: Agreement, today: datetime.date, result: RegisterFile) -> None:
    """Every row's change, or its problems, into `result`, until there are as many
    problems as are worth showing; then the open entries the file leaves out."""
    known = _known(agreement)
    open_numbers = {
        e.nhs_number: e.person_reference
        for e in known.existing.values()
        if e.nhs_number and e.ended_on is None
    }
    seen = Seen()
    for source in rows:
        if tabular.enough(result.problems):
            break
        refused = source.problems()
        if refused:
            result.problems.extend(refused)
            continue
        change = _change(source.number, source.typed(), known, open_numbers, seen, today, result)
        if change is not None:
            result.changes.append(change)
    result.not_listed = sorted(
        ref
        for ref, entry in known.existing.items()
        if ref not in seen.references and entry.ended_on is None
    )


def _known(agreement: Agreement) -> Known:
    return Known(
        councils={o.short_name: o for o in Organisation.objects.filter(kind="council")},
        icbs={o.short_name: o for o in Organisation.objects.filter(kind__in=["icb", "ccg"])},
        teams={t.name: t for t in Team.objects.filter(agreement=agreement)},
        existing={e.person_reference: e for e in RegisterEntry.objects.filter(agreement=agreement)},
    )


def _change(number, row, known, open_numbers, seen, today, result) -> EntryChange | None:
    """The row's change to the register, or None where it has a problem: its cells first,
    then the checks that need the rest of the file or the register."""
    values = row_values(number, row, result.problems, known, today)
    if values is None:
        return None
    reference = values["person_reference"]
    if reference in known.existing:
        result.looked_at[reference] = known.existing[reference]  # compared with their record
    if _repeated(number, reference, seen, result.problems):
        return None
    if _number_taken(number, reference, values, known, open_numbers, seen, result):
        return None
    entry = known.existing.get(reference)
    before = None
    if entry is not None:
        before = {key: getattr(entry, FIELD_OF.get(key, key)) for key in values}
        if _reopens(number, reference, entry, values, result.problems):
            return None
    if _like_formulas(number, values, before, result.problems):
        return None
    return EntryChange(number, reference, _keyed(values), before)


def _repeated(number, reference, seen: Seen, problems) -> bool:
    """A person listed twice: which row would win is anyone's guess, so neither does."""
    if reference in seen.references:
        problems.append(
            Problem(
                number, "person_reference", reference, f"repeats row {seen.references[reference]}."
            )
        )
        return True
    seen.references[reference] = number
    return False


def _number_taken(number, reference, values, known, open_numbers, seen, result) -> bool:
    """An open entitlement for an NHS number that another row of the file, or another
    entry on the register, holds already: one person would be on the register twice."""
    held = values["nhs_number"]
    if not held or values["ended_on"] is not None:
        return False
    if held in seen.numbers:
        result.problems.append(
            Problem(
                number,
                "nhs_number",
                held,
                f"has an open entitlement on row {seen.numbers[held]} already.",
            )
        )
        return True
    seen.numbers[held] = number
    held_by = open_numbers.get(held)
    if held_by is not None and held_by != reference:
        result.looked_at[held_by] = known.existing[held_by]  # named as the number's holder
        result.problems.append(
            Problem(
                number,
                "nhs_number",
                held,
                f"already has an open entitlement on the register as {held_by}: "
                "use that reference.",
            )
        )
        return True
    return False


def _reopens(number, reference, entry, values, problems) -> bool:
    """A blank end date for an entitlement that has ended: ending one takes a joint
    decision, and so would reopening it, which a file can't show."""
    if entry.ended_on is not None and values["ended_on"] is None:
        problems.append(
            Problem(
                number,
                "ended_on",
                "",
                f"is blank, but {reference}'s entitlement ended on "
                f"{long_date(entry.ended_on)}: an ended entitlement isn't reopened "
                "by a file.",
            )
        )
        return True
    return False


def _like_formulas(number, values, before, problems) -> bool:
    """Typed text that a spreadsheet would run as a formula, unless it is what is stored
    already (a file downloaded and uploaded again changes nothing)."""
    like_formulas = [
        column
        for column in TEXT
        if values[column].startswith(tabular.FORMULA_PREFIXES)
        and (before is None or values[column] != before[column])
    ]
    for column in like_formulas:
        problems.append(Problem(number, column, values[column][:40], tabular.STARTS_LIKE_A_FORMULA))
    return bool(like_formulas)


def _keyed(values: dict) -> dict:
    """Foreign keys as ids, so that a row compares with what is stored."""
    return {
        key: (value.pk if value is not None else None) if key in FIELD_OF else value
        for key, value in values.items()
    }
