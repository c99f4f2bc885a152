"""The extension a decision report is about, read once for every section that quotes it,
and the report's reason and recommendations, whose standard wording names it."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from budgets.models import ValueProjection
from budgets.selectors import projection_before, term_values
from budgets.uplift import YearValue, years_ending_within
from core.formatting import long_date, money
from core.formatting import whole_pounds as pounds
from partnerships.models import AgreementTerm, ExtensionOption
from partnerships.selectors import extension_as_at
from reports.papers.context import PaperContext, ReportUnavailable
from reports.papers.section import PaperSection


@dataclass(frozen=True)
class Extension:
    term: AgreementTerm
    projection: ValueProjection | None  # the latest made before the extension began
    years: list[YearValue]  # the agreement years ending within the extension, with values
    cost: Decimal
    option: ExtensionOption | None = None  # an option to extend again that came with it
    option_years: tuple[YearValue, ...] = ()  # the years the option would add, with values
    option_cost: Decimal = Decimal(0)

    @property
    def length(self) -> str:
        return f"{self.term.length_in_years().normalize():f}"

    @property
    def option_length(self) -> str:
        return f"{_years(self.option.start_date, self.option.end_date).normalize():f}"

    @property
    def cost_with_option(self) -> Decimal:
        return self.cost + self.option_cost

    @property
    def flat(self) -> bool:
        """At the same value as the year before it: no uplift."""
        return self.projection is not None and self.projection.uplift_rate == 0

    @property
    def in_pence(self) -> bool:
        """A figure has pence (a flat value carried on as it is): the paper then writes its
        money to the penny rather than round it away."""
        values = [y.value for y in (*self.years, *self.option_years)]
        return any(value != value.to_integral_value() for value in values)

    def money(self, amount: Decimal) -> str:
        return money(amount) if self.in_pence else pounds(amount)


def _years(start: datetime.date, end: datetime.date) -> Decimal:
    """As AgreementTerm.length_in_years counts them."""
    return (Decimal((end - start).days + 1) / Decimal("365.25")).quantize(Decimal("0.1"))


def extension_of(paper: PaperContext) -> Extension:
    """The extension decided by the end of the paper's quarter, or else the latest proposed."""
    return paper.once("extension", lambda: _read(paper))


def _read(paper: PaperContext) -> Extension:
    term = extension_as_at(paper.agreement, paper.quarter.end_date)
    if term is None:
        raise ReportUnavailable(
            f"{paper.agreement.short_title} has no extension recorded: a decision report is "
            "about an extension or variation of the agreement."
        )
    projection = projection_before(term)
    years = term_values(term, [projection] if projection else [])
    option = getattr(term, "option", None)
    option_years: list[YearValue] = []
    if option is not None and projection is not None:
        option_years = years_ending_within(
            projection.years_to(option.end_date), option.start_date, option.end_date
        )
    return Extension(
        term,
        projection,
        years,
        sum((y.value for y in years), Decimal(0)),
        option,
        tuple(option_years),
        sum((y.value for y in option_years), Decimal(0)),
    )


def option_sentence(extension: Extension) -> str:
    """ "With an option to extend by a further 1 year, to 30 November 2028 (to be exercised
    by 31 May 2028)", as the paper says it; "" without an option."""
    option = extension.option
    if option is None:
        return ""
    years = extension.option_length
    return (
        f"with an option to extend by a further {years} year{'' if years == '1' else 's'}, "
        f"to {long_date(option.end_date)} (to be exercised by {long_date(option.exercise_by)})"
    )


def _costs(extension: Extension) -> str:
    """The cost of the extension, and with its option, each said apart."""
    said = f"at an estimated cost of {extension.money(extension.cost)}"
    if extension.flat:
        said = f"at the same value, with no uplift (flat), {said}"
    if extension.option is not None:
        said += (
            f"; {extension.money(extension.cost_with_option)} including the option period, "
            f"if it is exercised"
        )
    return said


def _reason(paper: PaperContext) -> str:
    extension = extension_of(paper)
    term = extension.term
    ends = term.start_date - datetime.timedelta(days=1)
    option = option_sentence(extension)
    option = f", {option}," if option else ","
    return (
        f"The {paper.agreement.title} ends on {long_date(ends)}. This report asks for approval "
        f"to extend it by {extension.length} years, to {long_date(term.end_date)}{option} "
        f"{_costs(extension)}."
    )


def _recommendations(paper: PaperContext) -> str:
    extension = extension_of(paper)
    option = option_sentence(extension)
    option = f", {option}," if option else ""
    return (
        f"To approve the extension of the agreement from {long_date(extension.term.start_date)} "
        f"to {long_date(extension.term.end_date)}{option} {_costs(extension)}."
    )


REASON = PaperSection("reason", "Reason for report", narrative=True, default=_reason)
RECOMMENDATIONS = PaperSection(
    "recommendations", "Recommendations", narrative=True, default=_recommendations
)
