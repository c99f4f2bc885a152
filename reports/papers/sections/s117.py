"""Section 117 aftercare: the counts teams report; the register's people whose aftercare is
in force, with overdue reviews and Community Treatment Orders; what aftercare cost this
year and last, by funder; and the people and spend by primary support reason, placement,
team and responsible body. Counts pass through disclosure control, the breakdowns as
tables of one population (`disclosure.protect_breakdowns`), and spend is hidden with the
people it was spent on (`disclosure.protect_amounts`).

Spend is to the penny, as the register keeps it: the section is where a committee reads
what aftercare costs each body, and the figures must agree with the officers' export.
"""

import datetime

from core.formatting import long_date, money
from reports import disclosure
from reports.papers.blocks import Block, Para, Table
from reports.papers.context import PaperContext
from reports.papers.section import PaperSection
from reports.papers.values import HiddenMoney, Money, Scale, Text
from s117 import selectors as s117_selectors
from s117.breakdowns import breakdowns

HEADINGS = {
    "reason": "Primary support reason",
    "placement": "Placement",
    "team": "Team",
    "body": "Responsible council and ICB",
}
SPEND_HEADINGS = ["Council, to date", "ICB, to date", "Projected for the year"]


def figures(paper: PaperContext) -> list[Block]:
    day = paper.quarter.end_date
    reported = s117_selectors.reported_by_kind(paper.agreement, day)
    register = paper.once("s117_breakdowns", lambda: breakdowns(paper.agreement, day))
    if not register["tables"][0].lines and not reported:
        return [Para(f"No one is recorded on the s117 aftercare register at {long_date(day)}.")]
    blocks: list[Block] = []
    if reported:
        blocks += _reported(paper, reported, day)
    if register["tables"][0].lines:
        blocks += _register(paper, register, day)
    return blocks


def _reported(paper: PaperContext, reported: dict[str, int], day: datetime.date) -> list[Block]:
    return paper.people_table(
        f"People entitled to s117 aftercare, latest counts reported by {long_date(day)}",
        list(reported),
        ["People"],
        [[n] for n in reported.values()],
        label_heading="Teams",
        intro=lambda table: (
            "The latest counts reported by the teams of people entitled to aftercare under "
            "section 117 of the Mental Health Act 1983: "
            + "; ".join(
                f"{kind}, {paper.spoken(row[0])}"
                for kind, row in zip(reported, table.cells, strict=True)
            )
            + "."
        ),
    )


def _register(paper: PaperContext, register: dict, day: datetime.date):
    tables = register["tables"]
    people = tables[0].total.count
    protected = disclosure.protect_breakdowns(
        [[line.count for line in table.lines] for table in tables],
        people,
        paper.rule,
        overlapping=frozenset(i for i, table in enumerate(tables) if table.name == "placement"),
    )
    total = protected[0].column_totals[0]
    overdue = s117_selectors.reviews_overdue(paper.agreement, day)
    ctos = s117_selectors.ctos_in_force(paper.agreement, day)
    blocks: list[Block] = [
        Para(
            f"The register held {paper.spoken(total)} open entitlements at {long_date(day)}; "
            f"reviews were overdue for {paper.people_text(overdue)} and a Community Treatment "
            f"Order was in force for {paper.people_text(ctos)}."
        )
    ]
    costed = any(table.total.full_year.total for table in tables)
    if costed:
        blocks += _spend(paper, register, total, day)
    else:
        blocks.append(
            Para("No aftercare packages with their costs are recorded, so no spend is shown.")
        )
    for table, counts in zip(tables, protected, strict=True):
        blocks.append(_breakdown(paper, table, counts, register["year_label"], day, costed))
    return blocks


def _spend(paper: PaperContext, register: dict, total: disclosure.Cell, day: datetime.date):
    year = register["year_label"]
    spend = register["tables"][0].total
    last_year_end = datetime.date(int(year[:4]), 3, 31)
    # Read whether or not it is published, so that a paper's queries don't depend on its
    # figures.
    last = paper.once("s117_last_year", lambda: breakdowns(paper.agreement, last_year_end))
    if total.value is None:
        return [
            Para(
                f"Aftercare spend in {year} is not published: the register holds too few "
                "people for it to be shown without telling what one person's care costs."
            )
        ]
    paragraphs = [
        Para(
            f"Aftercare packages cost {money(spend.to_date.total)} in {year} to "
            f"{long_date(day)}: {money(spend.to_date.council)} paid by the council and "
            f"{money(spend.to_date.icb)} by the ICB. The packages as they stand are projected "
            f"to cost {money(spend.full_year.total)} for the year "
            f"({money(spend.full_year.council)} and {money(spend.full_year.icb)})."
        )
    ]
    last_spend = last["tables"][0].total
    if last_spend.to_date.total:
        if disclosure.protect_count(last_spend.count, paper.rule).value is None:
            paragraphs.append(
                Para(
                    f"Spend in {last['year_label']} is not published: too few people's "
                    f"aftercare was in force at {long_date(last_year_end)}."
                )
            )
        else:
            paragraphs.append(
                Para(
                    f"In {last['year_label']} aftercare cost {money(last_spend.to_date.total)}: "
                    f"{money(last_spend.to_date.council)} paid by the council and "
                    f"{money(last_spend.to_date.icb)} by the ICB."
                )
            )
    return paragraphs


def _breakdown(paper, table, counts: disclosure.ProtectedTable, year: str, day, costed: bool):
    amounts = [_amounts(line) for line in table.lines]
    hiding = disclosure.protect_amounts(amounts, counts)

    def spend(values, hidden: bool):
        if hidden:
            return [HiddenMoney(v, scale=Scale.PENCE, draft=paper.draft) for v in values]
        return [Money(v, scale=Scale.PENCE) for v in values]

    rows = []
    for index, (line, cells) in enumerate(zip(table.lines, counts.cells, strict=True)):
        row = [Text(line.label, header=True), paper.people(cells[0])]
        if costed:
            row += spend(amounts[index], index in hiding.rows)
        rows.append(row)
    foot = [Text("Total", header=True), paper.people(counts.column_totals[0])]
    if costed:
        foot += spend(_amounts(table.total), hiding.totals)
    caption = f"People at {long_date(day)}"
    caption += f" and aftercare spend in {year}, " if costed else ", "
    caption += table.title[0].lower() + table.title[1:]
    note = " ".join(
        part
        for part in (
            table.note,
            paper.hidden_note(counts.suppressed_count() + len(hiding.rows), spend=costed),
            "Spend is to the penny." if costed else "",
        )
        if part
    )
    head = [HEADINGS.get(table.name, table.title), "People"]
    return Table(caption, head + (SPEND_HEADINGS if costed else []), rows, foot=[foot], note=note)


def _amounts(line) -> list:
    return [line.to_date.council, line.to_date.icb, line.full_year.total]


SECTION = PaperSection("s117", "Section 117 aftercare", figures=figures)
