"""Caseload and Care Act activity: open cases by team at the latest snapshot, each case
counted once however many systems record it, then the year's activity."""

from caseload import selectors as caseload_selectors
from core.formatting import count, listed, long_date
from reports.papers.blocks import Block, Para
from reports.papers.context import PaperContext
from reports.papers.section import PaperSection
from reports.papers.sections import activity


def figures(paper: PaperContext) -> list[Block]:
    return _open_cases(paper) + activity.year_to_date(paper)


def _open_cases(paper: PaperContext) -> list[Block]:
    """Open cases by team. A case-holding team that reported no caseload at the date is left
    out of the table, and its total says so: its cases are not reported, not 0."""
    agreement, day = paper.agreement, paper.quarter.end_date
    as_at = caseload_selectors.latest_snapshot_date(agreement, day)
    data = caseload_selectors.caseload_section(agreement, as_at)
    if as_at is None:
        return [Para(f"No caseload is recorded on or before {long_date(day)}.")]
    systems = " and ".join(data["systems"])
    per_wte = (
        f", an average of {count(data['per_wte'])} per case-holding WTE" if data["per_wte"] else ""
    )
    leaves_out = f" ({data['leaves_out']})" if data["leaves_out"] else ""
    reported = [row for row in data["rows"] if row["combined"] is not None]
    blocks = paper.people_table(
        f"Open cases by team at {long_date(as_at)}, each case counted once",
        [row["team"] for row in reported],
        ["Open cases"],
        [[row["combined"]] for row in reported],
        label_heading="Team",
        intro=lambda table: (
            f"At {long_date(as_at)} the teams held {paper.spoken(table.column_totals[0])} open "
            f"cases, recorded across {systems}, each case counted once{per_wte}{leaves_out}."
        ),
    )
    if data["not_reported"]:
        blocks.append(
            Para(f"Open cases at {long_date(as_at)} not reported: {listed(data['not_reported'])}.")
        )
    return blocks


SECTION = PaperSection("caseload", "Caseload and Care Act activity", figures=figures)
