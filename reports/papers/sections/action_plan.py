"""The review action plan: each recommendation with its owner, due date and status, and how
many are overdue (Recommendation.is_overdue)."""

from partnerships.selectors import action_plan_section
from reports.papers.blocks import Block, Para, Table
from reports.papers.context import PaperContext
from reports.papers.section import PaperSection
from reports.papers.values import Date, Text


def figures(paper: PaperContext) -> list[Block]:
    data = action_plan_section(paper.agreement, paper.quarter.end_date)
    if not data["rows"]:
        return [Para("There is no review action plan.")]
    return [
        Para(
            f"The action plan holds {len(data['rows'])} recommendations: "
            + ", ".join(f"{n} {status.lower()}" for status, n in data["by_status"].items())
            + f". Past their due date and not complete: {data['overdue']}."
        ),
        Table(
            "Recommendations and their progress",
            ["Ref", "Recommendation", "Owner", "Due", "Status"],
            [
                [
                    Text(row["recommendation"].reference, header=True),
                    Text(row["recommendation"].text),
                    Text(row["recommendation"].owner),
                    Date(row["recommendation"].due_date),
                    Text(
                        row["recommendation"].get_status_display()
                        + (" (overdue)" if row["overdue"] else "")
                    ),
                ]
                for row in data["rows"]
            ],
        ),
    ]


SECTION = PaperSection("actions", "Review action plan", figures=figures)
