"""One row's cells read into the values of a register entry, each cell checked on its own
and then against the others. A row's problems are added in the order of its columns, so a
file's problems read from left to right; the values keep that order too (a preview lists a
change's fields in it)."""

import datetime
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from caseload.models import Team
from core.tabular import Problem
from partnerships.models import Organisation
from s117 import nhs_number
from s117.models import QUALIFYING_SECTIONS, RegisterEntry, SupportReason
from s117.register_file.columns import (
    DATE_FORMATS,
    DATES,
    MAX_NAME,
    MAX_REASON,
    PAST_DATES,
    REQUIRED,
)
from s117.validators import reference_problem


@dataclass(frozen=True)
class Known:
    """What a row's names are looked up in, read once a file: the councils, ICBs and
    CCGs, the partnership's teams, and its register by reference."""

    councils: dict[str, Organisation]
    icbs: dict[str, Organisation]
    teams: dict[str, Team]
    existing: dict[str, RegisterEntry]


def row_values(number: int, row: dict, problems: list, known: Known, today: datetime.date):
    """The row's values, or None where it has problems (added to `problems`). The checks
    between cells are made only once every cell reads: a date compared with one that
    didn't read would only repeat its problem."""
    before = len(problems)
    values = _person(number, row, problems, known.existing)
    values |= _dates(number, row, problems, today)
    values |= _bodies(number, row, problems, known)
    values |= _terms(number, row, problems)
    if len(problems) > before:
        return None
    _check_dates_in_order(number, row, values, problems)
    _check_ending(number, row, values, problems)
    return None if len(problems) > before else values


def _person(number, row, problems, existing) -> dict:
    """The required cells, then who the person is and why they are entitled: reference,
    NHS number, name and qualifying section."""
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
    _check_length(number, row, "full_name", MAX_NAME, problems)
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
    return values


def _check_length(number, row, column, most, problems) -> None:
    """Typed text longer than its field holds is refused, not cut: a cut name or reason
    would be saved as something nobody wrote."""
    if len(row[column]) > most:
        problems.append(
            Problem(
                number,
                column,
                row[column][:40] + "…",
                f"is {len(row[column])} characters long; at most {most} can be kept: shorten it.",
            )
        )


def _dates(number, row, problems, today) -> dict:
    return {
        column: _date(number, column, row[column], problems, today, past=column in PAST_DATES)
        for column in DATES
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


def _bodies(number, row, problems, known: Known) -> dict:
    """The council and ICB responsible, and the team, each one this service knows."""
    values = {}
    for column, choices, kind in (
        ("responsible_council", known.councils, "a council"),
        ("responsible_icb", known.icbs, "an ICB or CCG"),
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
    if row["team"] and row["team"] not in known.teams:
        problems.append(Problem(number, "team", row["team"], "is not a team of this partnership."))
    values["team"] = known.teams.get(row["team"])
    return values


def _terms(number, row, problems) -> dict:
    """How the aftercare is shared and held: the council's share (half when blank), a CTO,
    and the reason it ended."""
    values = {}
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
    if row["primary_support_reason"]:  # blank: the reason recorded stays as it is
        reason = support_reason(row["primary_support_reason"])
        if reason is None:
            problems.append(
                Problem(
                    number,
                    "primary_support_reason",
                    row["primary_support_reason"][:40],
                    "should be a primary support reason, by its code or name, such as "
                    "mental_health or Sensory support: support for dual impairment "
                    "(docs/import-formats.md lists them).",
                )
            )
        else:
            values["primary_support_reason"] = reason
    values["end_reason"] = row["end_reason"]
    _check_length(number, row, "end_reason", MAX_REASON, problems)
    return values


def support_reason(text: str) -> str | None:
    """A primary support reason by its code or its name, in any case; a category of one
    reason (mental_health, Learning disability support) by the category too."""
    wanted = " ".join(text.lower().split())
    for code, label in SupportReason.choices:
        if wanted in (code, label.lower()):
            return code
    return None


def _check_dates_in_order(number, row, values, problems) -> None:
    """Discharge and birth against detention: a person is detained before they are
    discharged, and born before either."""
    if values["discharged_on"] and values["discharged_on"] < values["detained_on"]:
        problems.append(
            Problem(number, "discharged_on", row["discharged_on"], "is before detained_on.")
        )
    if values["date_of_birth"] and values["date_of_birth"] > values["detained_on"]:
        problems.append(
            Problem(number, "date_of_birth", row["date_of_birth"], "is after detained_on.")
        )


def _check_ending(number, row, values, problems) -> None:
    """An end date ends an entitlement only as the law allows: never under a CTO, only by
    both bodies' decision, with a reason, and not before discharge."""
    if not values["ended_on"]:
        return
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
        problems.append(Problem(number, "end_reason", "", "is required when the entitlement ends."))
    if not values["discharged_on"] or values["ended_on"] < values["discharged_on"]:
        problems.append(
            Problem(number, "ended_on", row["ended_on"], "should be on or after discharged_on.")
        )
