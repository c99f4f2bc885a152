"""The extension a decision report is about, read once for every section that quotes it,
and the report's reason and recommendations, whose standard wording names it."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from budgets.models import ValueProjection
from budgets.selectors import projection_before, term_values
from budgets.uplift import YearValue
from core.formatting import long_date
from core.formatting import whole_pounds as pounds
from partnerships.models import AgreementTerm
from partnerships.selectors import extension_as_at
from reports.papers.context import PaperContext, ReportUnavailable
from reports.papers.section import PaperSection


@dataclass(frozen=True)
class Extension:
    term: AgreementTerm
    projection: ValueProjection | None  # the latest made before the extension began
    years: list[YearValue]  # the agreement years ending within the extension, with values
    cost: Decimal

    @property
    def length(self) -> str:
        return f"{self.term.length_in_years().normalize():f}"


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
    return Extension(term, projection, years, sum((y.value for y in years), Decimal(0)))


def _reason(paper: PaperContext) -> str:
    extension = extension_of(paper)
    term = extension.term
    ends = term.start_date - datetime.timedelta(days=1)
    return (
        f"The {paper.agreement.title} ends on {long_date(ends)}. This report asks for approval "
        f"to extend it by {extension.length} years, to {long_date(term.end_date)}, at an "
        f"estimated cost of {pounds(extension.cost)}."
    )


def _recommendations(paper: PaperContext) -> str:
    extension = extension_of(paper)
    return (
        f"To approve the extension of the agreement from {long_date(extension.term.start_date)} "
        f"to {long_date(extension.term.end_date)} at an estimated cost of "
        f"{pounds(extension.cost)}."
    )


REASON = PaperSection("reason", "Reason for report", narrative=True, default=_reason)
RECOMMENDATIONS = PaperSection(
    "recommendations", "Recommendations", narrative=True, default=_recommendations
)
