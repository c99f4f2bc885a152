"""Section 117 aftercare: the counts teams report, and the register's open entitlements by
team with its overdue reviews and Community Treatment Orders, all under disclosure control."""

from core.formatting import long_date
from reports.papers.blocks import Block, Para
from reports.papers.context import PaperContext
from reports.papers.section import PaperSection
from s117 import selectors as s117_selectors


def figures(paper: PaperContext) -> list[Block]:
    day = paper.quarter.end_date
    summary = s117_selectors.register_summary(paper.agreement, day)
    reported = summary["reported_by_kind"]
    if not summary["by_team"] and not reported:
        return [Para(f"No one is recorded on the s117 aftercare register at {long_date(day)}.")]
    blocks: list[Block] = []
    if reported:
        blocks += paper.people_table(
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
    if summary["by_team"]:
        blocks += paper.people_table(
            f"Open entitlements on the register by team at {long_date(day)}",
            [row["team__name"] or "No team recorded" for row in summary["by_team"]],
            ["People"],
            [[row["people"]] for row in summary["by_team"]],
            label_heading="Team",
            intro=lambda table: (
                f"The register held {paper.spoken(table.column_totals[0])} open entitlements at "
                f"{long_date(day)}; reviews were overdue for "
                f"{paper.people_text(summary['reviews_overdue'])} and a Community Treatment "
                f"Order was in force for {paper.people_text(summary['ctos_in_force'])}."
            ),
        )
    return blocks


SECTION = PaperSection("s117", "Section 117 aftercare", figures=figures)
