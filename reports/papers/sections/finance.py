"""Financial considerations (decision report): the agreement's value by year with its
uplift (or none: a flat extension), the extension's cost, and with an option year, the
option's cost and the cost including it, each apart."""

from budgets.selectors import uplift_text
from core.formatting import long_date
from reports.papers.blocks import Block, Chart, Para, Table
from reports.papers.context import PaperContext
from reports.papers.section import PaperSection
from reports.papers.sections.extension import Extension, extension_of
from reports.papers.values import Date, Money, Scale, Text

TITLE = "The agreement's value by year, with uplift"
FLAT_TITLE = "The agreement's value by year, with no uplift (flat)"


def figures(paper: PaperContext) -> list[Block]:
    extension = extension_of(paper)
    projection, cost, option = extension.projection, extension.cost, extension.option
    if projection is None or not extension.years:
        return [Para("No value projection is recorded for the extension.")]
    last_day = option.end_date if option is not None else extension.term.end_date
    all_years = projection.years_to(last_day)
    in_term = {year.year_ending for year in extension.years}
    in_option = {year.year_ending for year in extension.option_years}
    scale = Scale.PENCE if extension.in_pence else Scale.POUNDS
    title = FLAT_TITLE if extension.flat else TITLE
    said = extension.money
    value = (
        f"The agreement's value is {said(projection.base_value)} a year "
        f"(the year to {long_date(projection.base_year_ending)}), "
        f"{uplift_text(projection.uplift_rate)}."
    )
    if extension.flat:
        value += " The extension is at the same value, with no uplift."
    blocks = [Para(f"{value} The extension would cost an estimated {said(cost)}.")]
    foot = [[Text("Cost of the extension", header=True), Money(cost, scale), Text("")]]
    if option is not None:
        blocks.append(_option_para(extension))
        foot += [
            [
                Text("Cost of the option period", header=True),
                Money(extension.option_cost, scale),
                Text(""),
            ],
            [
                Text("Cost including the option period", header=True),
                Money(extension.cost_with_option, scale),
                Text(""),
            ],
        ]
    blocks += [
        Table(
            title,
            ["Year ending", "Value", "In the extension"],
            [
                [
                    Date(year.year_ending, header=True),
                    Money(year.value, scale),
                    Text(_in(year.year_ending, in_term, in_option)),
                ]
                for year in all_years
            ],
            foot=foot,
        ),
        Chart(
            "bar",
            title,
            [y.label for y in all_years],
            {"Value": [y.value for y in all_years]},
            "pounds",
        ),
    ]
    return blocks


def _in(year_ending, in_term, in_option) -> str:
    if year_ending in in_term:
        return "Yes"
    if year_ending in in_option:
        return "Option period"
    return "No"


def _option_para(extension: Extension) -> Para:
    option = extension.option
    said = extension.money
    if not extension.option_years:
        cost = "no agreement year of it ends within the projection"
    else:
        cost = f"it would cost an estimated {said(extension.option_cost)}"
    return Para(
        f"The extension comes with an option to extend from {long_date(option.start_date)} "
        f"to {long_date(option.end_date)}, to be exercised by {long_date(option.exercise_by)}. "
        f"If exercised, {cost}, and the extension with the option "
        f"{said(extension.cost_with_option)}. The option gives no term until it is exercised."
    )


SECTION = PaperSection("finance", "Financial considerations", figures=figures)
