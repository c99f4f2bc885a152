"""Financial considerations (decision report): the agreement's value by year with its
uplift, and the extension's cost."""

from core.formatting import long_date, percent
from core.formatting import whole_pounds as pounds
from reports.papers.blocks import Block, Chart, Para, Table
from reports.papers.context import PaperContext
from reports.papers.section import PaperSection
from reports.papers.sections.extension import extension_of
from reports.papers.values import Date, Money, Text

TITLE = "The agreement's value by year, with uplift"


def figures(paper: PaperContext) -> list[Block]:
    extension = extension_of(paper)
    projection, cost = extension.projection, extension.cost
    if projection is None or not extension.years:
        return [Para("No value projection is recorded for the extension.")]
    all_years = projection.years_to(extension.term.end_date)
    in_term = {year.year_ending for year in extension.years}
    return [
        Para(
            f"The agreement's value is {pounds(projection.base_value)} a year "
            f"(the year to {long_date(projection.base_year_ending)}), uplifted by "
            f"{percent(projection.uplift_rate * 100)} a year. The extension would cost an "
            f"estimated {pounds(cost)}."
        ),
        Table(
            TITLE,
            ["Year ending", "Value", "In the extension"],
            [
                [
                    Date(year.year_ending, header=True),
                    Money(year.value),
                    Text("Yes" if year.year_ending in in_term else "No"),
                ]
                for year in all_years
            ],
            foot=[[Text("Cost of the extension", header=True), Money(cost), Text("")]],
        ),
        Chart(
            "bar",
            TITLE,
            [y.label for y in all_years],
            {"Value": [y.value for y in all_years]},
            "pounds",
        ),
    ]


SECTION = PaperSection("finance", "Financial considerations", figures=figures)
