"""Reading an s117 packages file (CSV or XLSX) and saving it: one aftercare package a row,
for people already on the partnership's register, with the joint funding panel's decision
on who pays where the row gives one (docs/import-formats.md).

A package is named by the person's reference and its own (`package_reference`): a row for
a package not yet recorded adds it, a row for one recorded changes what differs. A panel
decision is named by the day its split applies from: a new day records a new decision (a
change of split), the same day with the same split changes nothing, and the same day with
another split is refused (a decision, once recorded, is changed only by a later one).

Every problem is reported at once by row and column; if there is any, nothing is saved;
otherwise the file is saved in one transaction, each change with its history and the
access log naming the people whose records changed.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import transaction

from core import tabular
from core.tabular import Problem
from partnerships.models import Agreement
from s117.actions import record_accesses
from s117.models import AccessLog, AftercarePackage, FundingDecision, RegisterEntry

COLUMNS = (
    "person_reference",
    "package_reference",
    "description",
    "placement",
    "provider",
    "weekly_cost",
    "annual_cost",
    "start_date",
    "end_date",
    "review_due",
    "panel_decided_on",
    "applies_from",
    "council_share_percent",
    "agreed_by",
)
REQUIRED = ("person_reference", "package_reference", "description", "start_date")
PACKAGE_FIELDS = (
    "description",
    "placement",
    "provider",
    "weekly_cost",
    "annual_cost",
    "start_date",
    "end_date",
    "review_due",
)
LIMITS = tabular.Limits(
    max_rows=500_000, max_bytes=100 * 1024 * 1024, max_unpacked_bytes=600 * 1024 * 1024
)
MAX_MONEY = Decimal("99999999.99")
PENNY = Decimal("0.01")


@dataclass
class PackageChange:
    """What one row does: a package added or changed, and a funding decision recorded."""

    row: int
    person: str
    reference: str
    values: dict
    before: dict | None  # None: a new package
    decision: dict | None = None  # a new funding decision's values

    @property
    def kind(self) -> str:
        if self.before is None:
            return "new"
        if self.changed_fields or self.decision:
            return "changed"
        return "unchanged"

    @property
    def changed_fields(self) -> list[str]:
        if self.before is None:
            return list(self.values)
        return [name for name, value in self.values.items() if self.before.get(name) != value]


@dataclass
class PackagesFile:
    problems: list[Problem] = field(default_factory=list)
    changes: list[PackageChange] = field(default_factory=list)

    def count(self, kind: str) -> int:
        return sum(1 for change in self.changes if change.kind == kind)


def read_packages(
    content: bytes, filename: str, agreement: Agreement, *, today: datetime.date
) -> PackagesFile:
    """Check a packages file against the partnership's register and its packages."""
    result = PackagesFile()
    entries = {e.person_reference: e for e in agreement.s117_entries.order_by()}
    packages = {
        (p.entry_id, p.reference): p
        for p in AftercarePackage.objects.filter(entry__agreement=agreement)
        .exclude(reference="")
        .order_by()
    }
    decisions = {
        (d.package_id, d.applies_from): d
        for d in FundingDecision.objects.filter(package__entry__agreement=agreement).order_by()
    }
    seen: dict[tuple[str, str, str], int] = {}
    firsts: dict[tuple[str, str], dict] = {}  # each package's values, as its first row gives
    try:
        for row in tabular.read_table(content, filename, COLUMNS, LIMITS):
            if tabular.enough(result.problems):
                break
            change = _change(
                row, entries, packages, decisions, seen, firsts, today, result.problems
            )
            if change is not None:
                result.changes.append(change)
    except tabular.Unreadable as error:
        result.problems.append(error.problem)
    if result.problems:
        result.changes = []
    return result


def _change(
    row, entries, packages, decisions, seen, firsts, today, problems
) -> PackageChange | None:
    number, cells = row.number, row.cells
    before = len(problems)
    if not any(cells.values()):
        problems.append(Problem(number, None, "", "is blank: delete it, or fill it in."))
        return None
    for column in REQUIRED:
        if not cells[column]:
            problems.append(Problem(number, column, "", "is required."))
    for column in ("package_reference", "description", "provider", "agreed_by"):
        if cells[column].startswith(tabular.FORMULA_PREFIXES):
            problems.append(
                Problem(number, column, cells[column][:40], tabular.STARTS_LIKE_A_FORMULA)
            )
    entry = entries.get(cells["person_reference"])
    if cells["person_reference"] and entry is None:
        problems.append(
            Problem(
                number,
                "person_reference",
                cells["person_reference"][:40],
                "is not on this partnership's register: add the person with the register "
                "file first.",
            )
        )
    key = (cells["person_reference"], cells["package_reference"], cells["applies_from"])
    if key in seen and all(key[:2]):
        problems.append(
            Problem(
                number,
                "package_reference",
                cells["package_reference"],
                f"is given twice for {key[0]} with the same applies_from (rows {seen[key]} "
                f"and {number}): give each package once for each funding decision.",
            )
        )
    seen.setdefault(key, number)
    values = {
        "description": cells["description"],
        "placement": _placement(number, cells["placement"], problems),
        "provider": cells["provider"],
        "weekly_cost": _money(number, "weekly_cost", cells["weekly_cost"], problems),
        "annual_cost": _money(number, "annual_cost", cells["annual_cost"], problems),
        "start_date": _date(number, "start_date", cells["start_date"], problems),
        "end_date": _date(number, "end_date", cells["end_date"], problems),
        "review_due": _date(number, "review_due", cells["review_due"], problems),
    }
    for column, most in (("description", 200), ("provider", 200), ("package_reference", 60)):
        if len(cells[column]) > most:
            problems.append(
                Problem(number, column, cells[column][:40], f"is longer than {most} characters.")
            )
    if cells["weekly_cost"] and cells["annual_cost"]:
        problems.append(
            Problem(
                number,
                "annual_cost",
                cells["annual_cost"],
                "is given with a weekly cost: give the cost a week or a year, not both.",
            )
        )
    elif not cells["weekly_cost"] and not cells["annual_cost"]:
        problems.append(
            Problem(number, "weekly_cost", "", "is blank: give the cost a week or a year.")
        )
    if values["start_date"] and values["end_date"] and values["end_date"] < values["start_date"]:
        problems.append(
            Problem(number, "end_date", cells["end_date"], "is before the package's start_date.")
        )
    decision = _decision(number, cells, values, today, problems)
    first = firsts.setdefault((cells["person_reference"], cells["package_reference"]), values)
    if first is not values and first != values:
        problems.append(
            Problem(
                number,
                "package_reference",
                cells["package_reference"],
                "is on an earlier row with other details: a package's rows (one for each "
                "funding decision) give the same description, placement, provider, cost "
                "and dates.",
            )
        )
    if len(problems) > before:
        return None
    package = packages.get((entry.pk, cells["package_reference"]))
    stored = None
    if package is not None:
        stored = {name: getattr(package, name) for name in PACKAGE_FIELDS}
    if decision is not None and package is not None:
        held = decisions.get((package.pk, decision["applies_from"]))
        if held is not None:
            if held.council_share_percent != decision["council_share_percent"]:
                problems.append(
                    Problem(
                        number,
                        "council_share_percent",
                        cells["council_share_percent"],
                        f"differs from the decision recorded from {decision['applies_from']} "
                        f"({held.council_share_percent}%): a change of split is a new "
                        "decision, from a later applies_from.",
                    )
                )
                return None
            decision = None  # recorded already
    return PackageChange(
        number, entry.person_reference, cells["package_reference"], values, stored, decision
    )


def _decision(number, cells, values, today, problems) -> dict | None:
    """The row's panel decision, where it gives a split: the day it was decided and who
    agreed it are needed with it."""
    given = [c for c in ("panel_decided_on", "applies_from", "agreed_by") if cells[c]]
    if not cells["council_share_percent"]:
        if given:
            problems.append(
                Problem(
                    number,
                    "council_share_percent",
                    "",
                    f"is blank, but {', '.join(given)} {'is' if len(given) == 1 else 'are'} "
                    "given: give the council's share the panel agreed.",
                )
            )
        return None
    try:
        percent = Decimal(cells["council_share_percent"].rstrip("%").strip())
        if not 0 <= percent <= 100 or percent != percent.quantize(PENNY):
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        problems.append(
            Problem(
                number,
                "council_share_percent",
                cells["council_share_percent"][:40],
                "should be a percentage from 0 to 100, to at most 2 decimal places.",
            )
        )
        return None
    for column in ("panel_decided_on", "agreed_by"):
        if not cells[column]:
            problems.append(
                Problem(number, column, "", "is required with a council_share_percent.")
            )
    decided = _date(number, "panel_decided_on", cells["panel_decided_on"], problems)
    if decided and decided > today:
        problems.append(
            Problem(number, "panel_decided_on", cells["panel_decided_on"], "is in the future.")
        )
    applies = _date(number, "applies_from", cells["applies_from"], problems)
    applies = applies or values["start_date"]
    start, end = values["start_date"], values["end_date"]
    in_order = not (start and end and end < start)  # else the end date is the problem
    if in_order and applies and start and (applies < start or (end and applies > end)):
        problems.append(
            Problem(
                number,
                "applies_from",
                cells["applies_from"],
                "should be a day the package runs: on or after its start_date, not after its "
                "end_date.",
            )
        )
    return {
        "decided_on": decided,
        "applies_from": applies,
        "council_share_percent": percent.quantize(PENNY),
        "agreed_by": cells["agreed_by"],
    }


def _placement(number, text, problems) -> str:
    if not text:
        return AftercarePackage.Placement.OTHER
    wanted = " ".join(text.lower().replace("_", " ").split())
    for code, label in AftercarePackage.Placement.choices:
        if wanted in (code.replace("_", " "), label.lower()):
            return code
    known = ", ".join(code for code, _ in AftercarePackage.Placement.choices)
    problems.append(Problem(number, "placement", text[:40], f"should be one of {known}."))
    return ""


def _money(number, column, text, problems) -> Decimal | None:
    if not text:
        return None
    plain = text.replace(",", "").replace("£", "").strip()
    try:
        amount = Decimal(plain)
        if amount < 0 or amount != amount.quantize(PENNY) or amount > MAX_MONEY:
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        problems.append(
            Problem(
                number,
                column,
                text[:40],
                "should be an amount in pounds of 0 or more, to the penny at most, such as "
                "1250.00.",
            )
        )
        return None
    return amount.quantize(PENNY)


def _date(number, column, text, problems) -> datetime.date | None:
    if not text:
        return None
    plain = text.strip().removesuffix(" 00:00:00")
    for layout in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.datetime.strptime(plain, layout).date()
        except ValueError:
            continue
    problems.append(
        Problem(number, column, text[:40], "should be a date, such as 2026-04-01 or 01/04/2026.")
    )
    return None


@transaction.atomic
def save_packages(*, by, agreement: Agreement, result: PackagesFile, path: str = "") -> int:
    """Save a checked file's changes, all or none; returns how many rows changed something."""
    if result.problems:
        raise ValueError("A file with problems saves nothing.")
    entries = {
        e.person_reference: e
        for e in RegisterEntry.objects.select_for_update().filter(agreement=agreement)
    }
    packages = {
        (p.entry_id, p.reference): p
        for p in AftercarePackage.objects.filter(entry__agreement=agreement).exclude(reference="")
    }
    touched, saved = {}, set()
    for change in result.changes:
        if change.kind == "unchanged":
            continue
        entry = entries[change.person]
        package = packages.get((entry.pk, change.reference))
        if package is None:
            package = AftercarePackage(entry=entry, reference=change.reference)
            packages[(entry.pk, change.reference)] = package
        if (entry.pk, change.reference) not in saved and (
            change.before is None or change.changed_fields
        ):
            saved.add((entry.pk, change.reference))
            for name, value in change.values.items():
                setattr(package, name, value)
            package._history_user = by
            package.full_clean()
            package.save()
        if change.decision:
            decision = FundingDecision(package=package, **change.decision)
            decision._history_user = by
            decision.full_clean()
            decision.save()
        touched[entry.pk] = entry
    record_accesses(
        by=by, entries=touched.values(), action=AccessLog.Action.CHANGE, path=path[:300]
    )
    return len(touched)
