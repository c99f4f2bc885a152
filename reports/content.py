"""What each kind of report says: its sections, numbered paragraphs, tables and charts, built
from the partnership's figures for a period.

A paper is plain data (strings, lists and dicts) so that publishing can freeze exactly what a
version was made from, and the same data always renders to the same HTML. Counts of people
pass through disclosure control for the report's kind (`reports.disclosure`); money and
staffing figures don't. In a draft, a hidden count keeps its true value and the reason it is
hidden, so officers can see what publishing will suppress; a published paper keeps neither.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from budgets import selectors as budget_selectors
from budgets.selectors import extension_approval
from caseload import selectors as caseload_selectors
from caseload.models import StaffPost
from core.charts import count, percent, pounds
from core.periods import financial_year_label
from partnerships.models import Agreement, AgreementTerm, Quarter
from partnerships.selectors import action_plan_section, kpi_section, recent_quarters
from reports import disclosure
from s117 import selectors as s117_selectors

LEGAL_BASIS = {
    "s75": (
        "section 75 of the National Health Service Act 2006 and the NHS Bodies and Local "
        "Authorities Partnership Arrangements Regulations 2000"
    ),
    "s31": (
        "section 31 of the Health Act 1999, continued in force by section 75 of the National "
        "Health Service Act 2006 and the NHS Bodies and Local Authorities Partnership "
        "Arrangements Regulations 2000"
    ),
}

# Where the officer's own paragraphs go in each kind of paper, and what each section is
# called. Sections with figures come from the data; the rest are the officer's words alone.
NARRATIVE = {
    "jmg": {
        "summary": "Summary",
        "decisions": "Items for decision",
    },
    "scrutiny": {
        "background": "Background",
        "conclusions": "Conclusions",
    },
    "decision": {
        "reason": "Reason for report",
        "recommendations": "Recommendations",
        "commentary": "Commentary",
        "legal": "Legal considerations",
    },
}


class ReportUnavailable(Exception):
    """The partnership has nothing this kind of report could be made from for the period."""


def _day(value: datetime.date) -> str:
    return f"{value:%-d %B %Y}"


def _wte(value: Decimal) -> str:
    return f"{value.normalize():f}" if value == value.to_integral() else f"{value:.1f}"


@dataclass
class Builder:
    """Collects a paper's sections; each section's paragraphs are numbered when rendered."""

    agreement: Agreement
    kind: str
    quarter: Quarter
    narrative: dict[str, list[str]]
    rule: disclosure.Rule
    draft: bool

    def __post_init__(self):
        self.sections: list[dict] = []
        self.tables = 0
        self.figures = 0

    # blocks ------------------------------------------------------------------------------

    def section(self, slug: str, title: str) -> dict:
        section = {"slug": slug, "title": title, "blocks": []}
        self.sections.append(section)
        return section

    def narrative_section(self, slug: str, default: str = "") -> dict:
        section = self.section(slug, NARRATIVE[self.kind][slug])
        written = self.narrative.get(slug) or []
        for text in written:
            section["blocks"].append({"type": "para", "text": text, "narrative": True})
        if not written and default:
            section["blocks"].append({"type": "para", "text": default})
        if not section["blocks"]:
            section["blocks"].append(
                {
                    "type": "para",
                    "text": "No narrative has been written for this section yet.",
                    "placeholder": True,
                }
            )
            section["missing"] = True
        return section

    def para(self, section: dict, text: str) -> None:
        section["blocks"].append({"type": "para", "text": text})

    def table(
        self,
        section: dict,
        caption: str,
        head: list[str],
        rows: list[list],
        *,
        foot: list[list] | None = None,
        note: str = "",
    ) -> None:
        self.tables += 1

        def cells(row):
            return [c if isinstance(c, dict) else {"text": str(c)} for c in row]

        section["blocks"].append(
            {
                "type": "table",
                "number": self.tables,
                "caption": caption,
                "head": head,
                "rows": [cells(row) for row in rows],
                "foot": [cells(row) for row in foot or []],
                "note": note,
            }
        )

    def chart(self, section: dict, kind: str, title: str, labels, series, value_format, **kw):
        self.figures += 1
        section["blocks"].append(
            {
                "type": "chart",
                "number": self.figures,
                "chart": kind,
                "title": title,
                "labels": list(labels),
                "series": {
                    name: [None if v is None else str(v) for v in values]
                    for name, values in series.items()
                },
                "format": value_format,
                **kw,
            }
        )

    # counts of people --------------------------------------------------------------------

    def _cell(self, cell: disclosure.Cell) -> dict:
        shown = {"text": cell.shown}
        if cell.reason in ("small", "secondary"):
            shown["hidden"] = cell.reason
            if self.draft:
                shown["true"] = count(cell.true_value)
        elif cell.reason == "rounded" and self.draft:
            shown["rounded_from"] = count(cell.true_value)
        return shown

    def people_count(self, value: int) -> dict:
        return self._cell(disclosure.protect_count(value, self.rule))

    def spoken(self, cell: disclosure.Cell) -> str:
        """A protected count in a sentence: its published figure, or words for a hidden one."""
        if cell.value is None:
            return (
                f"fewer than {self.rule.highest_hidden + 1}"
                if cell.reason == "small"
                else ("a number not shown")
            )
        return cell.shown

    def people_text(self, value: int) -> str:
        """A count of people that appears in a sentence only, in no table."""
        return self.spoken(disclosure.protect_count(value, self.rule))

    def people_table(
        self,
        section,
        caption,
        row_labels,
        column_names,
        counts,
        *,
        label_heading,
        total=True,
        intro=None,
    ) -> disclosure.ProtectedTable | None:
        """A table of counts of people with row and column totals, protected as one table.
        `intro(protected)` writes the paragraph before it, quoting only published figures, so
        a sentence can never give back a count that the table hides."""
        if not row_labels:
            return None
        protected = disclosure.protect_table(
            counts, self.rule, row_totals=total and len(column_names) > 1, column_totals=total
        )
        if intro is not None:
            self.para(section, intro(protected))
        rows = []
        for label, row, row_total in zip(
            row_labels,
            protected.cells,
            protected.row_totals or [None] * len(row_labels),
            strict=True,
        ):
            cells = [{"text": label, "header": True}] + [self._cell(c) for c in row]
            if row_total is not None:
                cells.append(self._cell(row_total))
            rows.append(cells)
        head = [label_heading, *column_names]
        if protected.row_totals:
            head.append("Total")
        foot = []
        if protected.column_totals:
            totals = [self._cell(c) for c in protected.column_totals]
            if protected.grand_total is not None:
                totals.append(self._cell(protected.grand_total))
            foot = [[{"text": "Total", "header": True}, *totals]]
        hidden = protected.suppressed_count()
        self.table(section, caption, head, rows, foot=foot, note=self._note(hidden))
        return protected

    def _note(self, hidden: int) -> str:
        parts = []
        if hidden:
            low, high = self.rule.lowest_hidden, self.rule.highest_hidden
            parts.append(
                f"* A count from {low} to {high}, or a count hidden so that one can't be worked "
                "out from the totals."
            )
        if self.rule.round_to:
            parts.append(f"Other counts of people are rounded to the nearest {self.rule.round_to}.")
        return " ".join(parts)

    # the paper ---------------------------------------------------------------------------

    def paper(self, title: str) -> dict:
        quarter = self.quarter
        return {
            "kind": self.kind,
            "title": title,
            "partnership": self.agreement.title,
            "short_title": self.agreement.short_title,
            "slug": self.agreement.slug,
            "period": quarter.label,
            "period_text": f"{quarter.financial_year.label} quarter {quarter.number}, to "
            f"{_day(quarter.end_date)}",
            "as_at": quarter.end_date.isoformat(),
            "draft": self.draft,
            "rule": {
                "lowest_hidden": self.rule.lowest_hidden,
                "highest_hidden": self.rule.highest_hidden,
                "round_to": self.rule.round_to,
            },
            "sections": self.sections,
        }


# The sections that more than one kind of paper has ----------------------------------------


def _budget(b: Builder, *, number: int | None = None) -> None:
    agreement, quarter = b.agreement, b.quarter
    section = b.section("budget", "Pooled budget")
    data = budget_selectors.budget_section(agreement, quarter)
    pool = data["pool"]
    if pool is None or not data["positions"]:
        earlier = [year for year in data["trend"] if year <= quarter.financial_year.start_year]
        if not earlier:
            b.para(section, "No pooled budget is recorded for this partnership.")
            return
        year = max(earlier)
        planned = data["trend"][year]
        label = financial_year_label(year)
        b.para(
            section,
            f"In {label} the planned contributions to the pooled budget were "
            + ", ".join(f"{partner} {pounds(value)}" for partner, value in planned.items())
            + f": {pounds(sum(planned.values()))} in all. No pooled budget is recorded for "
            f"{quarter.financial_year.label}.",
        )
        b.table(
            section,
            f"Planned contributions to the pooled budget, {label}",
            ["Partner", "Planned contribution"],
            [[{"text": p, "header": True}, pounds(v)] for p, v in planned.items()],
            foot=[[{"text": "Total", "header": True}, pounds(sum(planned.values()))]],
        )
        return
    total = data["total"]
    year = quarter.financial_year.label
    b.para(
        section,
        f"The pooled budget for {year} is {pounds(total.planned)}: "
        + ", ".join(f"{p.partner} {pounds(p.planned)}" for p in data["positions"])
        + ".",
    )
    if total.variance is None:
        missing = [p.partner for p in data["positions"] if p.forecast is None]
        b.para(
            section,
            f"Not every partner has reported a forecast for {year} by quarter {quarter.number} "
            f"(none yet from {', '.join(missing)}), so the variance and its risk share are not "
            "yet known.",
        )
    else:
        direction = "overspend" if total.variance > 0 else "underspend"
        if total.variance == 0:
            b.para(section, f"The partners forecast spending the pool as planned in {year}.")
        else:
            b.para(
                section,
                f"The partners forecast an {direction} of {pounds(abs(total.variance))} against "
                f"the plan for {year}. Under the agreement's risk share "
                f"({pool.get_risk_share_rule_display().lower()}), it falls "
                + ", ".join(
                    f"{pounds(abs(p.risk_share))} to {p.partner}" for p in data["positions"]
                )
                + ".",
            )
    rows = [
        [
            {"text": p.partner, "header": True},
            pounds(p.planned),
            pounds(p.forecast) if p.forecast is not None else "Not reported",
            pounds(p.variance) if p.variance is not None else "–",
            pounds(p.risk_share) if p.risk_share is not None else "–",
        ]
        for p in data["positions"]
    ]
    foot = [
        [
            {"text": "Total", "header": True},
            pounds(total.planned),
            pounds(total.forecast) if total.forecast is not None else "–",
            pounds(total.variance) if total.variance is not None else "–",
            pounds(total.risk_share) if total.risk_share is not None else "–",
        ]
    ]
    b.table(
        section,
        f"Pooled budget {year}: plan, forecast outturn and risk share at quarter {quarter.number}",
        ["Partner", "Planned", "Forecast outturn", "Variance", "Risk share of variance"],
        rows,
        foot=foot,
        note="A positive variance is an overspend.",
    )
    b.chart(
        section,
        "bar",
        f"Planned contribution and forecast outturn by partner, {year}",
        [p.partner for p in data["positions"]],
        {
            "Planned": [p.planned for p in data["positions"]],
            "Forecast outturn": [p.forecast for p in data["positions"]],
        },
        "pounds",
    )


def _staffing(b: Builder, *, by_funder: bool = False) -> None:
    day = b.quarter.end_date
    section = b.section("staffing", "Staffing")
    data = caseload_selectors.staffing_section(b.agreement, day)
    summary = data["summary"]
    if not summary.posts:
        b.para(section, f"No posts funded by the agreement are recorded on {_day(day)}.")
        return
    vacancies = (
        f"{summary.vacant_posts} of them vacant, a vacancy rate of "
        f"{percent(summary.vacancy_rate * 100)}"
        if summary.vacant_posts
        else "none of them vacant"
    )
    b.para(
        section,
        f"On {_day(day)} the agreement funds {summary.posts} posts ({_wte(summary.wte)} WTE), "
        f"{vacancies}. {_wte(summary.seconded_wte)} WTE are seconded and "
        f"{_wte(summary.tupe_wte)} WTE were TUPE transferred.",
    )
    if summary.seconded_at_start or summary.tupe_at_start:
        b.para(
            section,
            f"At the start of the partnership {summary.tupe_at_start} staff were TUPE "
            f"transferred and {summary.seconded_at_start} seconded.",
        )
    if by_funder:
        # Each partner's posts, from the funder, employer and basis rows already read.
        funded: dict[int, dict] = {}
        for row in data["by_employment"]:
            totals = funded.setdefault(row["funder"], {"wte": Decimal(0), "seconded": Decimal(0)})
            totals["wte"] += row["total_wte"]
            if row["basis"] == StaffPost.Basis.SECONDED:
                totals["seconded"] += row["total_wte"]
        for partner in b.agreement.partners.select_related("organisation").order_by(
            "organisation__short_name"
        ):
            totals = funded.get(partner.organisation_id)
            if totals:
                b.para(
                    section,
                    f"{partner.organisation.short_name}'s contribution funds "
                    f"{_wte(totals['wte'])} WTE posts; of these, {_wte(totals['seconded'])} WTE "
                    "are held by staff seconded from their employer.",
                )
    b.table(
        section,
        f"Posts by team and role on {_day(day)}",
        ["Team", "Role", "Posts", "WTE", "Vacant posts"],
        [
            [
                {"text": row["team__name"], "header": True},
                row["role_label"],
                row["posts"],
                _wte(row["total_wte"]),
                row["vacant_posts"],
            ]
            for row in data["by_team_role"]
        ],
        foot=[
            [
                {"text": "Total", "header": True},
                "",
                summary.posts,
                _wte(summary.wte),
                summary.vacant_posts,
            ]
        ],
    )


def _caseload(b: Builder, *, activity_over_year: bool = False) -> dict:
    agreement, quarter = b.agreement, b.quarter
    section = b.section("caseload", "Caseload and Care Act activity")
    as_at = caseload_selectors.latest_snapshot_date(agreement, quarter.end_date)
    data = caseload_selectors.caseload_section(agreement, as_at)
    if as_at is None:
        b.para(section, f"No caseload is recorded on or before {_day(quarter.end_date)}.")
    else:
        systems = " and ".join(data["systems"])
        per_wte = (
            f", an average of {data['per_wte']:.0f} per case-holding WTE" if data["per_wte"] else ""
        )
        b.people_table(
            section,
            f"Open cases by team at {_day(as_at)}, each case counted once",
            [row["team"] for row in data["rows"]],
            ["Open cases"],
            [[row["combined"]] for row in data["rows"]],
            label_heading="Team",
            intro=lambda table: (
                f"At {_day(as_at)} the teams held {b.spoken(table.column_totals[0])} open "
                f"cases, recorded across {systems}, each case counted once{per_wte}."
            ),
        )
    quarters = (
        recent_quarters(quarter, 4)
        if activity_over_year
        else recent_quarters(quarter, quarter.number)
    )
    totals = caseload_selectors.activity_totals(agreement, quarters)
    if not any(totals.values()):
        b.para(section, "No Care Act activity is recorded for the period.")
        return data
    span = (
        f"the 12 months to {_day(quarter.end_date)}"
        if activity_over_year
        else f"{quarter.financial_year.label} to quarter {quarter.number}"
    )
    labels = [
        ("referrals", "Referrals"),
        ("assessments", "Care Act assessments"),
        ("reviews", "Reviews"),
        ("carers_assessments", "Carers' assessments"),
        ("safeguarding_enquiries", "Safeguarding enquiries"),
    ]
    b.people_table(
        section,
        f"Care Act activity in {span}",
        [label for _, label in labels],
        ["Count"],
        [[totals[name] or 0] for name, _ in labels],
        label_heading="Activity",
        total=False,
        intro=lambda table: (
            f"In {span} the teams received {b.spoken(table.cells[0][0])} referrals and "
            f"completed {b.spoken(table.cells[1][0])} Care Act assessments and "
            f"{b.spoken(table.cells[2][0])} reviews."
        ),
    )
    return data


def _s117(b: Builder) -> None:
    day = b.quarter.end_date
    section = b.section("s117", "Section 117 aftercare")
    summary = s117_selectors.register_summary(b.agreement, day)
    reported = summary["reported_by_kind"]
    if not summary["by_team"] and not reported:
        b.para(section, f"No one is recorded on the s117 aftercare register at {_day(day)}.")
        return
    if reported:
        b.people_table(
            section,
            f"People entitled to s117 aftercare, latest counts reported by {_day(day)}",
            list(reported),
            ["People"],
            [[n] for n in reported.values()],
            label_heading="Teams",
            intro=lambda table: (
                "The latest counts reported by the teams of people entitled to aftercare under "
                "section 117 of the Mental Health Act 1983: "
                + "; ".join(
                    f"{kind}, {b.spoken(row[0])}"
                    for kind, row in zip(reported, table.cells, strict=True)
                )
                + "."
            ),
        )
    if summary["by_team"]:
        b.people_table(
            section,
            f"Open entitlements on the register by team at {_day(day)}",
            [row["team__name"] or "No team recorded" for row in summary["by_team"]],
            ["People"],
            [[row["people"]] for row in summary["by_team"]],
            label_heading="Team",
            intro=lambda table: (
                f"The register held {b.spoken(table.column_totals[0])} open entitlements at "
                f"{_day(day)}; reviews were overdue for "
                f"{b.people_text(summary['reviews_overdue'])} and a Community Treatment Order "
                f"was in force for {b.people_text(summary['ctos_in_force'])}."
            ),
        )


def _kpis(b: Builder) -> None:
    section = b.section("kpis", "Key performance indicators")
    data = kpi_section(b.agreement, b.quarter)
    if not data["rows"]:
        b.para(section, "The agreement has no KPIs recorded.")
        return
    rags = [row["rag"] for row in data["rows"] if row["rag"]]
    b.para(
        section,
        f"Of the agreement's {len(data['rows'])} KPIs this quarter, red: {rags.count('red')}, "
        f"amber: {rags.count('amber')}, green: {rags.count('green')}, no value reported: "
        f"{len(data['rows']) - len(rags)}.",
    )

    def shown(kpi, value):
        if value is None:
            return "Not reported"
        return percent(value) if kpi.unit == "percent" else count(value)

    b.table(
        section,
        f"KPIs at quarter {b.quarter.number} {b.quarter.financial_year.label}",
        ["KPI", "Measure", "Value", "Target", "Rating"],
        [
            [
                {"text": row["kpi"].code, "header": True},
                row["kpi"].name,
                shown(row["kpi"], row["value"]),
                shown(row["kpi"], row["kpi"].target) if row["kpi"].target is not None else "–",
                (row["rag"] or "none").capitalize(),
            ]
            for row in data["rows"]
        ],
    )


def _action_plan(b: Builder) -> None:
    section = b.section("actions", "Review action plan")
    data = action_plan_section(b.agreement, b.quarter.end_date)
    if not data["rows"]:
        b.para(section, "There is no review action plan.")
        return
    b.para(
        section,
        f"The action plan holds {len(data['rows'])} recommendations: "
        + ", ".join(f"{n} {status.lower()}" for status, n in data["by_status"].items())
        + f". Past their due date and not complete: {data['overdue']}.",
    )
    b.table(
        section,
        "Recommendations and their progress",
        ["Ref", "Recommendation", "Owner", "Due", "Status"],
        [
            [
                {"text": row["recommendation"].reference, "header": True},
                row["recommendation"].text,
                row["recommendation"].owner,
                _day(row["recommendation"].due_date) if row["recommendation"].due_date else "–",
                row["recommendation"].get_status_display()
                + (" (overdue)" if row["overdue"] else ""),
            ]
            for row in data["rows"]
        ],
    )


def _agreement(b: Builder) -> None:
    agreement = b.agreement
    section = b.section("agreement", "The agreement")
    partners = list(agreement.partners.select_related("organisation").order_by("-is_host"))
    host = next((p for p in partners if p.is_host), None)
    b.para(
        section,
        f"The {agreement.title} is made under {LEGAL_BASIS[agreement.legal_basis]}, between "
        + " and ".join(p.organisation.name for p in partners)
        + (f". {host.organisation.name} hosts it" if host else "")
        + (" and its pooled fund" if agreement.pooled_fund and host else "")
        + ".",
    )
    if agreement.functions:
        b.para(section, f"It covers {agreement.functions.rstrip('.')}.")
    terms = list(agreement.terms.select_related("authorised_by").order_by("start_date"))
    for term in terms:
        decision = term.authorised_by
        authorised = (
            f", authorised by {decision.body} on {_day(decision.decided_on)}" if decision else ""
        )
        b.para(
            section,
            f"{term.get_kind_display()}: {_day(term.start_date)} to {_day(term.end_date)}"
            f"{authorised}.",
        )
    bodies = list(agreement.governance_bodies.filter(active=True).order_by("name"))
    if bodies:
        b.para(
            section,
            "It is governed by the " + " and the ".join(body.name for body in bodies) + ".",
        )


# The three kinds -------------------------------------------------------------------------


def _jmg(b: Builder) -> str:
    q = b.quarter
    b.narrative_section(
        "summary",
        default=(
            f"This paper reports the position of the partnership at the end of quarter "
            f"{q.number} of {q.financial_year.label}: the pooled budget, staffing, caseload and "
            "activity, the s117 aftercare register, the KPIs and the review action plan."
        ),
    )
    _budget(b)
    _staffing(b)
    _caseload(b)
    _s117(b)
    _kpis(b)
    _action_plan(b)
    b.narrative_section("decisions", default="There are no items for decision this quarter.")
    return f"{b.agreement.short_title}: JMG quarterly report, {q.financial_year.label} Q{q.number}"


def _scrutiny(b: Builder) -> str:
    b.narrative_section("background")
    _agreement(b)
    _budget(b)
    _staffing(b, by_funder=True)
    _caseload(b)
    _s117(b)
    b.narrative_section("conclusions")
    return f"{b.agreement.short_title}: report to scrutiny, {b.quarter.financial_year.label}"


def extension_for(agreement: Agreement, quarter: Quarter) -> AgreementTerm:
    """The extension a decision report in `quarter` is about: the latest decided by the end
    of the quarter, or else the latest proposed."""
    extensions = agreement.terms.filter(kind=AgreementTerm.Kind.EXTENSION).select_related(
        "authorised_by"
    )
    decided = (
        extensions.filter(authorised_by__decided_on__lte=quarter.end_date)
        .order_by("-authorised_by__decided_on")
        .first()
    )
    term = decided or extensions.order_by("-start_date").first()
    if term is None:
        raise ReportUnavailable(
            f"{agreement.short_title} has no extension recorded: a decision report is about "
            "an extension or variation of the agreement."
        )
    return term


def _latest_activity_quarter(agreement: Agreement, quarter: Quarter) -> Quarter | None:
    """The latest quarter up to `quarter` with Care Act activity recorded: a decision paper
    quotes the last 12 months reported, which may end before the paper's own quarter."""
    from caseload.models import CareActActivity

    start_year = quarter.financial_year.start_year
    recorded = (
        CareActActivity.objects.filter(team__agreement=agreement)
        .filter(
            Q(quarter__financial_year__start_year__lt=start_year)
            | Q(quarter__financial_year__start_year=start_year, quarter__number__lte=quarter.number)
        )
        .order_by("-quarter__financial_year__start_year", "-quarter__number")
        .values_list("quarter", flat=True)
        .first()
    )
    return Quarter.objects.select_related("financial_year").get(pk=recorded) if recorded else None


def _decision(b: Builder) -> str:
    agreement = b.agreement
    term = extension_for(agreement, b.quarter)
    years = budget_selectors.term_values(term)
    cost = sum((y.value for y in years), Decimal(0))
    length = term.length_in_years()
    b.narrative_section(
        "reason",
        default=(
            f"The {agreement.title} ends on {_day(term.start_date - datetime.timedelta(days=1))}."
            f" This report asks for approval to extend it by {length.normalize():f} years, to "
            f"{_day(term.end_date)}, at an estimated cost of {pounds(cost)}."
        ),
    )
    b.narrative_section(
        "recommendations",
        default=(
            f"To approve the extension of the agreement from {_day(term.start_date)} to "
            f"{_day(term.end_date)} at an estimated cost of {pounds(cost)}."
        ),
    )
    commentary = b.narrative_section("commentary")
    if commentary.get("missing"):
        commentary["blocks"].clear()
        commentary.pop("missing")
    first = agreement.terms.order_by("start_date").select_related("authorised_by").first()
    if first is not None:
        approved = (
            f"approved on {_day(first.authorised_by.decided_on)} " if first.authorised_by else ""
        )
        b.para(
            commentary,
            f"The agreement was {approved}for {first.length_in_years().normalize():f} years from "
            f"{_day(first.start_date)} to {_day(first.end_date)}.",
        )
    staffing = caseload_selectors.staffing(agreement, b.quarter.end_date)
    if staffing.posts:
        b.para(
            commentary,
            f"It funds {staffing.posts} posts, {staffing.vacant_posts} of them vacant. At its "
            f"start {staffing.tupe_at_start} staff were TUPE transferred and "
            f"{staffing.seconded_at_start} seconded.",
        )
    last = _latest_activity_quarter(agreement, b.quarter)
    totals = caseload_selectors.activity_totals(agreement, recent_quarters(last, 4)) if last else {}
    if any(totals.values()):
        b.para(
            commentary,
            f"Over the 12 months to {_day(last.end_date)} the service received "
            f"{b.people_text(totals['referrals'])} referrals and completed "
            f"{b.people_text(totals['assessments'])} Care Act assessments.",
        )
    finance = b.section("finance", "Financial considerations")
    projection = (
        agreement.value_projections.filter(base_year_ending__lt=term.start_date)
        .order_by("-base_year_ending")
        .first()
    )
    if projection is None or not years:
        b.para(finance, "No value projection is recorded for the extension.")
    else:
        b.para(
            finance,
            f"The agreement's value is {pounds(projection.base_value)} a year "
            f"(the year to {_day(projection.base_year_ending)}), uplifted by "
            f"{percent(projection.uplift_rate * 100)} a year. The extension would cost an "
            f"estimated {pounds(cost)}.",
        )
        all_years = projection.years_to(term.end_date)
        in_term = {y.year_ending for y in years}
        b.table(
            finance,
            "The agreement's value by year, with uplift",
            ["Year ending", "Value", "In the extension"],
            [
                [
                    {"text": _day(y.year_ending), "header": True},
                    pounds(y.value),
                    "Yes" if y.year_ending in in_term else "No",
                ]
                for y in all_years
            ],
            foot=[[{"text": "Cost of the extension", "header": True}, pounds(cost), ""]],
        )
        b.chart(
            finance,
            "bar",
            "The agreement's value by year, with uplift",
            [y.label for y in all_years],
            {"Value": [y.value for y in all_years]},
            "pounds",
        )
    route = b.section("approval", "Approval required")
    threshold = extension_approval(term)
    if threshold is None:
        b.para(
            route,
            f"At {pounds(cost)} the extension is within the delegated authority of the "
            "officers named in the agreement: no further approval is required.",
        )
    else:
        also = f", after {threshold.also_required}" if threshold.also_required else ""
        rule = f" under {threshold.rule}" if threshold.rule else ""
        b.para(
            route,
            f"The extension's value, {pounds(cost)}, is over {pounds(threshold.exceeds)}: "
            f"{rule.strip() + ', ' if rule else ''}it needs the approval of the "
            f"{threshold.approver}{also}.",
        )
    legal = b.narrative_section("legal", default="")
    if legal.get("missing"):
        legal["blocks"].clear()
        legal.pop("missing")
    b.para(
        legal,
        f"The agreement is made under {LEGAL_BASIS[agreement.legal_basis]}, which allow an NHS "
        "body and a local authority to pool funds and to delegate functions to one another "
        "where this is likely to improve the way those functions are exercised.",
    )
    return (
        f"{agreement.short_title}: extension of the agreement to {_day(term.end_date)} "
        "(decision report)"
    )


KINDS = {"jmg": _jmg, "scrutiny": _scrutiny, "decision": _decision}


def build(
    agreement: Agreement,
    kind: str,
    quarter: Quarter,
    *,
    narrative: dict[str, list[str]] | None = None,
    draft: bool = True,
) -> dict:
    """The paper of `kind` for the partnership and quarter, as plain data."""
    if kind not in KINDS:
        raise ReportUnavailable(f"There is no report kind {kind!r}: use jmg, scrutiny or decision.")
    rule = disclosure.rule_for(kind, getattr(settings, "REPORT_DISCLOSURE", None))
    builder = Builder(agreement, kind, quarter, narrative or {}, rule, draft)
    title = KINDS[kind](builder)
    paper = builder.paper(title)
    paper["prepared"] = timezone.localdate().isoformat()
    return paper
