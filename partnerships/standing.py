"""Where an agreement stands on a day, worked out once from its dates, its recorded status
and its terms: every page, paper and flag says it the same way.

The recorded status says what people decided (a draft not yet signed, an agreement ended
early); the dates say the rest. An agreement whose end date has passed has ended, whatever
its recorded status still says.
"""

import datetime
from dataclasses import dataclass

from core.formatting import long_date
from partnerships.models import Agreement

ENDING_SOON_DAYS = 365  # "ending within 12 months"


@dataclass(frozen=True)
class AgreementStanding:
    code: str  # draft, not_started, in_force, ending, ended, terminated
    text: str
    colour: str  # a GOV.UK tag colour

    @property
    def in_force(self) -> bool:
        return self.code in ("in_force", "ending")


def agreement_standing(
    agreement: Agreement, today: datetime.date, *, extended: bool = False
) -> AgreementStanding:
    """`extended`: the agreement's current term is an extension (`AgreementTerm`), which the
    caller knows from the terms it has read."""
    end = long_date(agreement.end_date)
    if agreement.status == Agreement.Status.DRAFT:
        return AgreementStanding("draft", "Draft: not yet in force", "grey")
    if agreement.status == Agreement.Status.TERMINATED:
        return AgreementStanding("terminated", f"Ended early, on {end}", "red")
    if agreement.end_date < today or agreement.status == Agreement.Status.ENDED:
        return AgreementStanding("ended", f"Ended on {end}", "red")
    if agreement.start_date > today:
        return AgreementStanding(
            "not_started", f"Starts on {long_date(agreement.start_date)}", "blue"
        )
    if agreement.end_date <= today + datetime.timedelta(days=ENDING_SOON_DAYS):
        extension = " (as extended)" if extended else ""
        return AgreementStanding("ending", f"Ends within 12 months, on {end}{extension}", "yellow")
    until = f"extended to {end}" if extended else f"until {end}"
    return AgreementStanding("in_force", f"In force {until}", "green")


def covers_quarter(agreement: Agreement, quarter) -> bool:
    """Whether any of the quarter falls within the agreement's term: returns are for these."""
    return quarter.start_date <= agreement.end_date and quarter.end_date >= agreement.start_date
