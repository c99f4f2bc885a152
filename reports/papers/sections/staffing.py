"""Staffing: the posts the agreement funds on the quarter's last day, their WTE, vacancies
and employment basis, by team and role; the scrutiny paper adds what each partner's
contribution funds."""

from decimal import Decimal
from functools import partial

from caseload import selectors as caseload_selectors
from caseload.models import StaffPost
from core.formatting import count, long_date, percent, wte
from partnerships.selectors import partners_of
from reports.papers.blocks import Block, Para, Table
from reports.papers.context import PaperContext
from reports.papers.section import PaperSection
from reports.papers.values import WTE, Count, Text


def _wte(value: Decimal) -> str:
    return wte(value, places=1)


def figures(paper: PaperContext, *, by_funder: bool = False) -> list[Block]:
    day = paper.quarter.end_date
    data = caseload_selectors.staffing_section(paper.agreement, day)
    summary = data["summary"]
    if not summary.posts:
        return [Para(f"No posts funded by the agreement are recorded on {long_date(day)}.")]
    vacancies = (
        f"{count(summary.vacant_posts)} of them vacant, a vacancy rate of "
        f"{percent(summary.vacancy_rate * 100)}"
        if summary.vacant_posts
        else "none of them vacant"
    )
    blocks: list[Block] = [
        Para(
            f"On {long_date(day)} the agreement funds {count(summary.posts)} posts "
            f"({_wte(summary.wte)} WTE), {vacancies}. {_wte(summary.seconded_wte)} WTE are "
            f"seconded and {_wte(summary.tupe_wte)} WTE were TUPE transferred."
        )
    ]
    if summary.seconded_at_start or summary.tupe_at_start:
        blocks.append(
            Para(
                f"At the start of the partnership {count(summary.tupe_at_start)} staff were "
                f"TUPE transferred and {count(summary.seconded_at_start)} seconded."
            )
        )
    if by_funder:
        blocks += _funded_by_each_partner(paper, data["by_employment"])
    blocks.append(_by_team_and_role(day, data["by_team_role"], summary))
    return blocks


def _funded_by_each_partner(paper: PaperContext, by_employment: list[dict]) -> list[Para]:
    """Each partner's posts, from the funder, employer and basis rows already read."""
    funded: dict[int, dict] = {}
    for row in by_employment:
        totals = funded.setdefault(row["funder"], {"wte": Decimal(0), "seconded": Decimal(0)})
        totals["wte"] += row["total_wte"]
        if row["basis"] == StaffPost.Basis.SECONDED:
            totals["seconded"] += row["total_wte"]
    paragraphs = []
    for partner in paper.once("partners", lambda: partners_of(paper.agreement)):
        totals = funded.get(partner.organisation_id)
        if totals:
            paragraphs.append(
                Para(
                    f"{partner.organisation.short_name}'s contribution funds "
                    f"{_wte(totals['wte'])} WTE posts; of these, {_wte(totals['seconded'])} WTE "
                    "are held by staff seconded from their employer."
                )
            )
    return paragraphs


def _by_team_and_role(day, rows: list[dict], summary) -> Table:
    return Table(
        f"Posts by team and role on {long_date(day)}",
        ["Team", "Role", "Posts", "WTE", "Vacant posts"],
        [
            [
                Text(row["team__name"], header=True),
                Text(row["role_label"]),
                Count(row["posts"]),
                WTE(row["total_wte"]),
                Count(row["vacant_posts"]),
            ]
            for row in rows
        ],
        foot=[
            [
                Text("Total", header=True),
                Text(""),
                Count(summary.posts),
                WTE(summary.wte),
                Count(summary.vacant_posts),
            ]
        ],
    )


SECTION = PaperSection("staffing", "Staffing", figures=figures)
# The scrutiny paper's: with what each partner's contribution funds.
SECTION_BY_FUNDER = PaperSection("staffing", "Staffing", figures=partial(figures, by_funder=True))
