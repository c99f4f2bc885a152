"""Reading a quarterly return file (CSV or XLSX) and saying what it would change.

The file is long and narrow, one figure a row (docs/import-formats.md):

    partnership,period,section,item,measure,value
    bromley-oxleas-mh,2023/24-Q1,contribution,LBB,forecast,1650000.00

Every problem is reported at once, each naming the row, the column, the value and what
was expected. Nothing here writes to the database: `read_return` returns the changes,
and `returns.actions.apply_return_changes` saves them, all or nothing.
"""

import io
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

import pandas as pd

from budgets.models import Contribution, ContributionOutturn
from caseload.models import CareActActivity, CaseloadOverlap, CaseloadSnapshot, SourceSystem
from core import tabular
from core.periods import parse_period
from core.tabular import Problem
from partnerships import uploads
from partnerships.models import KPI, Agreement, KPIValue, ProgressNote, Quarter, Recommendation
from returns.models import QuarterlyReturn

COLUMNS = ("partnership", "period", "section", "item", "measure", "value")
ACTIVITY = CareActActivity.COUNTS
OVERLAP = "in_more_than_one_system"
MAX_MONEY = Decimal("999999999999.99")
MAX_COUNT = 1_000_000
MAX_NOTE = 2000
MAX_ROWS = 20_000
MAX_BYTES = 5 * 1024 * 1024
# What an XLSX unpacks to bounds the time it takes to read: openpyxl reads about 36,000
# cells a second here, 1-2 MB of a sheet of short cells. A return of MAX_ROWS figures
# unpacks to about 7 MB; one of 16 MB is read in under 10 seconds, whatever it holds.
LIMITS = tabular.Limits(max_rows=MAX_ROWS, max_bytes=MAX_BYTES, max_unpacked_bytes=16 * 1024 * 1024)
_MONEY = re.compile(r"^\d+(\.\d{1,2})?$")
_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


@dataclass(frozen=True)
class Change:
    row: int
    section: str
    item: str
    measure: str
    value: object
    before: object

    @property
    def kind(self) -> str:
        if self.before is None:
            return "new"
        return "unchanged" if self.before == self.value else "changed"


@dataclass
class ReturnFile:
    agreement: Agreement | None = None
    quarter: Quarter | None = None
    changes: list[Change] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    lookups: "Lookups | None" = None  # the rows the changes were read against

    @property
    def ok(self) -> bool:
        return not self.problems and self.agreement is not None

    def count(self, kind: str) -> int:
        return sum(1 for change in self.changes if change.kind == kind)

    def fingerprint(self) -> str:
        """What a preview of this file shows, as a SHA-256 (partnerships.uploads)."""
        return uploads.fingerprint(
            [
                (c.section, c.item, c.measure, c.value, c.before)
                for c in self.changes
                if c.kind != "unchanged"
            ]
        )


def read_return(content: bytes, filename: str, *, within) -> ReturnFile:
    """Check a return file for one of the partnerships `within` (a queryset of agreements:
    the page's own, or those the user may enter figures for). A file naming any other
    partnership, whether or not it exists, is told the same: nothing about another
    partnership is read, let alone said."""
    result = ReturnFile()
    rows = read_rows(content, filename, result.problems)
    if result.problems and not rows:  # unreadable, or the header is wrong: nothing to check
        return result
    if not rows:
        result.problems.append(Problem(None, None, "", "has no rows of figures under the header."))
        return result
    identify(rows, result, within)
    if result.agreement is None or result.quarter is None:
        return result
    lookups = result.lookups = Lookups(result.agreement, result.quarter)
    seen: dict[tuple[str, str, str], int] = {}
    for number, row in rows:
        if tabular.enough(result.problems):
            break
        key = (row["section"].lower(), row["item"], row["measure"].lower())
        if key in seen:
            result.problems.append(
                Problem(
                    number,
                    "measure",
                    row["measure"],
                    f"repeats row {seen[key]}: give each figure once.",
                )
            )
            continue
        seen[key] = number
        change = lookups.change(number, row, result.problems)
        if change is not None:
            result.changes.append(change)
    lookups.check_outturns(result.changes, result.problems)
    if result.problems:
        result.changes = []
    return result


def read_rows(content: bytes, filename: str, problems: list[Problem]) -> list[tuple[int, dict]]:
    """The rows as text, numbered as a spreadsheet numbers them. A cell holding a formula is
    refused; text the product wrote after an apostrophe (`tabular.defuse`) is read without it."""
    rows = []
    try:
        for row in tabular.read_table(content, filename, COLUMNS, LIMITS):
            if tabular.enough(problems):
                return []
            refused = row.problems()
            problems.extend(refused)
            if not refused:
                rows.append((row.number, row.typed()))
    except tabular.Unreadable as error:
        problems.append(error.problem)
        return []
    return rows


def identify(rows, result: ReturnFile, within) -> None:
    """Which partnership and quarter the file is for: the same on every row."""
    first_number, first = rows[0]
    # Slugs and quarters are unique: found without the models' orderings.
    agreement = within.filter(slug=first["partnership"]).order_by().first()
    if agreement is None:
        examples = list(within.order_by("slug").values_list("slug", flat=True)[:2])
        expected = (
            f"this page is for {examples[0]}"
            if len(examples) == 1
            else "give the short name of a partnership whose returns you enter"
        )
        result.problems.append(
            Problem(
                first_number,
                "partnership",
                first["partnership"],
                f"is not a partnership this file can be for: {expected}. Download the "
                "return's template to see how it is written.",
            )
        )
    try:
        period = parse_period(first["period"])
        if period.quarter is None:
            raise ValueError("a quarter is needed, such as 2023/24-Q1.")
        quarter = (
            Quarter.objects.select_related("financial_year")
            .filter(financial_year__start_year=period.start_year, number=period.quarter)
            .order_by()
            .first()
        )
        if quarter is None:
            raise ValueError("is a quarter outside the years this service holds.")
    except ValueError as error:
        result.problems.append(Problem(first_number, "period", first["period"], str(error)))
        quarter = None
    for number, row in rows[1:]:
        for column, expected in (
            ("partnership", first["partnership"]),
            ("period", first["period"]),
        ):
            if row[column] != expected:
                result.problems.append(
                    Problem(
                        number,
                        column,
                        row[column],
                        f"differs from row {first_number} ({expected!r}): "
                        "a file holds one partnership's quarter.",
                    )
                )
    result.agreement, result.quarter = agreement, quarter


class Lookups:
    """What the partnership holds for the quarter, loaded once: each row of a file is
    checked against it, and `apply_return_changes` saves into the same rows. Ordering is
    left out of every query: these are looked up by key, never listed in order."""

    def __init__(self, agreement: Agreement, quarter: Quarter):
        self.agreement, self.quarter = agreement, quarter
        self.as_at = as_at = quarter.end_date
        self.used = False  # saved into by apply_return_changes, which takes them only once
        # The return's version as these rows were read: a save after that refuses a save
        # made from them (1 before the return's first save, as the return starts at 1).
        self.version = (
            QuarterlyReturn.objects.filter(agreement=agreement, quarter=quarter)
            .order_by()  # one row at most: without the model's ordering and its joins
            .values_list("version", flat=True)
            .first()
        ) or 1
        self.contributions = {
            c.partner.short_name: c
            for c in Contribution.objects.filter(
                pooled_budget__agreement=agreement,
                pooled_budget__financial_year_id=quarter.financial_year_id,
            )
            .select_related("partner")
            .order_by()
        }
        self.outturns = {
            o.contribution_id: o
            for o in ContributionOutturn.objects.filter(
                contribution__in=self.contributions.values(), quarter=quarter
            ).order_by()
        }
        self.teams = {team.name: team for team in agreement.teams.order_by()}
        self.systems = {system.code: system for system in SourceSystem.objects.order_by()}
        self.snapshots = {
            (s.team_id, s.source_system_id): s
            for s in CaseloadSnapshot.objects.filter(
                team__agreement=agreement, as_at=as_at
            ).order_by()
        }
        self.overlaps = {
            o.team_id: o
            for o in CaseloadOverlap.objects.filter(
                team__agreement=agreement, as_at=as_at
            ).order_by()
        }
        self.activity = {
            a.team_id: a
            for a in CareActActivity.objects.filter(
                team__agreement=agreement, quarter=quarter
            ).order_by()
        }
        self.kpis = {kpi.code: kpi for kpi in KPI.objects.filter(agreement=agreement).order_by()}
        self.kpi_values = {
            v.kpi_id: v
            for v in KPIValue.objects.filter(kpi__agreement=agreement, quarter=quarter).order_by()
        }
        self.recommendations = {
            r.reference: r
            for r in Recommendation.objects.filter(review__agreement=agreement).order_by()
        }
        self.notes = {
            n.recommendation_id: n
            for n in ProgressNote.objects.filter(
                recommendation__review__agreement=agreement, quarter=quarter
            ).order_by()
        }

    def stored(self, section: str, item: str, measure: str):
        """The value held now for a figure, None if there is none."""
        if section == "contribution":
            row = self.outturns.get(self.contributions[item].pk)
            return getattr(row, measure) if row else None
        if section == "caseload":
            team = self.teams[item]
            if measure == OVERLAP:
                row = self.overlaps.get(team.pk)
                return row.cases_in_more_than_one_system if row else None
            row = self.snapshots.get((team.pk, self.systems[measure].pk))
            return row.open_cases if row else None
        if section == "activity":
            row = self.activity.get(self.teams[item].pk)
            return getattr(row, measure) if row else None
        if section == "kpi":
            row = self.kpi_values.get(self.kpis[item].pk)
            return row.value if row else None
        recommendation = self.recommendations[item]
        if measure == "status":
            return recommendation.status
        row = self.notes.get(recommendation.pk)
        return row.note if row else None

    def change(self, number: int, row: dict, problems: list[Problem]) -> Change | None:
        section = row["section"].lower()
        handler = getattr(self, f"_{section}", None) if section.isidentifier() else None
        if handler is None:
            problems.append(
                Problem(
                    number,
                    "section",
                    row["section"],
                    "is not a section: use contribution, caseload, activity, kpi or action.",
                )
            )
            return None
        return handler(number, row, problems)

    def _pick(self, number, column, value, choices: dict, what: str, problems):
        if value in choices:
            return choices[value]
        known = ", ".join(sorted(choices)) or "none recorded"
        problems.append(
            Problem(number, column, value, f"is not {what} of this partnership (known: {known}).")
        )
        return None

    def _contribution(self, number, row, problems):
        contribution = self._pick(
            number,
            "item",
            row["item"],
            self.contributions,
            "a contributing partner in this year's pool",
            problems,
        )
        measure = row["measure"].lower()
        if measure not in ("forecast", "actual_to_date"):
            problems.append(
                Problem(number, "measure", row["measure"], "should be forecast or actual_to_date.")
            )
            return None
        value = money(number, row["value"], problems)
        if contribution is None or value is None:
            return None
        before = self.stored("contribution", row["item"], measure)
        return Change(number, "contribution", row["item"], measure, value, before)

    def _caseload(self, number, row, problems):
        team = self._pick(number, "item", row["item"], self.teams, "a team", problems)
        measure = row["measure"].lower()
        if measure != OVERLAP and measure not in self.systems:
            known = ", ".join(sorted(self.systems))
            problems.append(
                Problem(
                    number,
                    "measure",
                    row["measure"],
                    f"should be a case-management system ({known}) or {OVERLAP}.",
                )
            )
            return None
        value = count(number, row["value"], problems)
        if team is None or value is None:
            return None
        before = self.stored("caseload", row["item"], measure)
        return Change(number, "caseload", row["item"], measure, value, before)

    def _activity(self, number, row, problems):
        team = self._pick(number, "item", row["item"], self.teams, "a team", problems)
        measure = row["measure"].lower()
        if measure not in ACTIVITY:
            problems.append(
                Problem(
                    number, "measure", row["measure"], f"should be one of {', '.join(ACTIVITY)}."
                )
            )
            return None
        value = count(number, row["value"], problems)
        if team is None or value is None:
            return None
        before = self.stored("activity", row["item"], measure)
        return Change(number, "activity", row["item"], measure, value, before)

    def _kpi(self, number, row, problems):
        kpi = self._pick(number, "item", row["item"], self.kpis, "a KPI code", problems)
        if row["measure"].lower() != "value":
            problems.append(Problem(number, "measure", row["measure"], "should be value."))
            return None
        value = decimal(number, row["value"], problems)
        if kpi is None or value is None:
            return None
        if kpi.unit == "percent" and not (0 <= value <= 100):
            problems.append(
                Problem(
                    number, "value", row["value"], "is a percentage, so it should be from 0 to 100."
                )
            )
            return None
        return Change(number, "kpi", row["item"], "value", value, self.stored("kpi", kpi.code, ""))

    def _action(self, number, row, problems):
        recommendation = self._pick(
            number, "item", row["item"], self.recommendations, "a recommendation", problems
        )
        measure = row["measure"].lower()
        text = row["value"]
        if measure == "status":
            statuses = {code: code for code in Recommendation.Status.values}
            statuses |= {label.lower(): code for code, label in Recommendation.Status.choices}
            status = statuses.get(text.lower())
            if status is None:
                problems.append(
                    Problem(
                        number,
                        "value",
                        text,
                        f"should be a status: {', '.join(Recommendation.Status.values)}.",
                    )
                )
                return None
            if recommendation is None:
                return None
            return Change(number, "action", row["item"], "status", status, recommendation.status)
        if measure == "progress_note":
            if not text or len(text) > MAX_NOTE:
                problems.append(
                    Problem(
                        number,
                        "value",
                        text[:40],
                        f"should be a note of 1 to {MAX_NOTE} characters.",
                    )
                )
                return None
            if recommendation is None:
                return None
            before = self.stored("action", row["item"], "progress_note")
            if text != before and text.startswith(tabular.FORMULA_PREFIXES):
                problems.append(Problem(number, "value", text[:40], tabular.STARTS_LIKE_A_FORMULA))
                return None
            return Change(number, "action", row["item"], "progress_note", text, before)
        problems.append(
            Problem(number, "measure", row["measure"], "should be status or progress_note.")
        )
        return None

    def check_outturns(self, changes: list[Change], problems: list[Problem]) -> None:
        """Spend to date alone can't start an outturn: it needs the year's forecast."""
        forecasts = {
            c.item for c in changes if c.section == "contribution" and c.measure == "forecast"
        }
        for change in changes:
            if change.section == "contribution" and change.measure == "actual_to_date":
                contribution = self.contributions[change.item]
                if change.item not in forecasts and contribution.pk not in self.outturns:
                    problems.append(
                        Problem(
                            change.row,
                            "measure",
                            "actual_to_date",
                            f"needs a forecast row for {change.item} too: "
                            "give the year's forecast outturn.",
                        )
                    )


def money(number: int, text: str, problems: list[Problem]) -> Decimal | None:
    plain = text.replace(",", "").replace("£", "").strip()
    if plain.startswith("-"):
        problems.append(
            Problem(number, "value", text, "is negative: money here can't be below £0.")
        )
        return None
    if not _MONEY.match(plain):
        problems.append(
            Problem(
                number,
                "value",
                text,
                "should be an amount in pounds, such as 1650000.00 (at most 2 decimal places).",
            )
        )
        return None
    amount = Decimal(plain)
    if amount > MAX_MONEY:
        problems.append(Problem(number, "value", text, f"is larger than £{MAX_MONEY:,}: check it."))
        return None
    return amount.quantize(Decimal("0.01"))


def count(number: int, text: str, problems: list[Problem]) -> int | None:
    plain = text.replace(",", "")
    if plain.endswith(".0"):  # spreadsheets store whole numbers as 12.0
        plain = plain[:-2]
    if not plain.isdigit() or not plain.isascii():
        problems.append(
            Problem(number, "value", text, "should be a whole number of 0 or more, such as 140.")
        )
        return None
    value = int(plain)
    if value > MAX_COUNT:
        problems.append(Problem(number, "value", text, f"is more than {MAX_COUNT:,}: check it."))
        return None
    return value


def decimal(number: int, text: str, problems: list[Problem]) -> Decimal | None:
    plain = text.replace(",", "").rstrip("%").strip()
    if not _NUMBER.match(plain):
        problems.append(Problem(number, "value", text, "should be a number, such as 82.5."))
        return None
    try:
        value = Decimal(plain)
    except InvalidOperation:
        problems.append(Problem(number, "value", text, "should be a number, such as 82.5."))
        return None
    if abs(value) >= Decimal("1e10") or value != value.quantize(Decimal("0.01")):
        problems.append(
            Problem(
                number,
                "value",
                text,
                "should have at most 2 decimal places and fewer than 10 digits before them.",
            )
        )
        return None
    return value


def template_rows(agreement: Agreement, quarter: Quarter) -> list[dict[str, str]]:
    """Every figure a return for this partnership and quarter can hold, with the value
    stored now (blank where there is none): the file to fill in and upload."""
    lookups = Lookups(agreement, quarter)
    base = {"partnership": agreement.slug, "period": quarter.label}
    rows = []

    def add(section, item, measure, value):
        shown = "" if value is None else str(value)
        rows.append(base | {"section": section, "item": item, "measure": measure, "value": shown})

    def stored(section, item, measure):
        add(section, item, measure, lookups.stored(section, item, measure))

    for partner in sorted(lookups.contributions):
        stored("contribution", partner, "forecast")
        stored("contribution", partner, "actual_to_date")
    systems = sorted(lookups.systems)
    in_agreement = sorted(
        name for name, team in lookups.teams.items() if team.in_agreement_on(lookups.as_at)
    )
    for name in in_agreement:
        for system in systems:
            stored("caseload", name, system)
        stored("caseload", name, OVERLAP)
    for name in in_agreement:
        for measure in ACTIVITY:
            stored("activity", name, measure)
    for code in sorted(lookups.kpis):
        stored("kpi", code, "value")
    for reference, _ in sorted(lookups.recommendations.items(), key=lambda item: item[1].sort_key):
        stored("action", reference, "status")
        stored("action", reference, "progress_note")
    return rows


def template_bytes(rows: list[dict[str, str]], *, xlsx: bool) -> bytes:
    """The rows as a CSV or XLSX file, each text cell written so that no spreadsheet runs it
    as a formula (read back by `read_rows` as it was)."""
    frame = pd.DataFrame(
        [{column: tabular.defuse(row[column]) for column in COLUMNS} for row in rows],
        columns=list(COLUMNS),
    )
    buffer = io.BytesIO()
    if xlsx:
        frame.to_excel(buffer, index=False, sheet_name="Return")
    else:
        buffer.write(frame.to_csv(index=False).encode("utf-8"))
    return buffer.getvalue()
