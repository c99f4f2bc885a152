"""Where an agreement stands on a day, worked out once from its dates, its recorded status
and its terms: every page, paper and flag says it the same way.

The recorded status says what people decided (a draft not yet signed, an agreement ended
early); the dates say the rest. An agreement whose end date has passed has ended, whatever
its recorded status still says. An agreement in force that ends within 12 months is
"ending", and says the nearest band its end falls in: within 3, 6 or 12 calendar months.
"""

import datetime
from dataclasses import dataclass

from core.formatting import long_date
from partnerships.models import Agreement, AgreementTerm

ENDING_MONTHS = (3, 6, 12)  # the nearest band an agreement's end falls in is the one said


@dataclass(frozen=True)
class AgreementStanding:
    code: str  # draft, not_started, in_force, ending, ended, terminated
    text: str
    colour: str  # a GOV.UK tag colour
    months: int | None = None  # ending: within 3, 6 or 12 months
    extended: bool = False  # the current term is an extension

    @property
    def in_force(self) -> bool:
        return self.code in ("in_force", "ending")


def months_later(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` calendar months on, or the month's last day if it is shorter."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def ending_band(end: datetime.date, today: datetime.date) -> int | None:
    """3, 6 or 12: the nearest band of months from today that `end` falls in; None if it
    has passed or is further off."""
    if end < today:
        return None
    return next((m for m in ENDING_MONTHS if end <= months_later(today, m)), None)


def agreement_standing(
    agreement: Agreement, today: datetime.date, *, extended: bool = False
) -> AgreementStanding:
    """`extended`: the agreement's current term is an extension (`AgreementTerm`), which the
    caller knows from the terms it has read (`is_extended`, or `standings` for many)."""
    end = long_date(agreement.end_date)
    if agreement.status == Agreement.Status.DRAFT:
        return AgreementStanding("draft", "Draft: not yet in force", "grey")
    if agreement.status == Agreement.Status.TERMINATED:
        return AgreementStanding("terminated", f"Ended early, on {end}", "red")
    if agreement.end_date < today or agreement.status == Agreement.Status.ENDED:
        return AgreementStanding("ended", f"Ended on {end}", "red", extended=extended)
    if agreement.start_date > today:
        return AgreementStanding(
            "not_started", f"Starts on {long_date(agreement.start_date)}", "blue"
        )
    months = ending_band(agreement.end_date, today)
    if months is not None:
        text = (
            f"Extended to {end}: ends within {months} months"
            if extended
            else f"Ends within {months} months, on {end}"
        )
        return AgreementStanding("ending", text, "yellow", months, extended)
    until = f"extended to {end}" if extended else f"until {end}"
    return AgreementStanding("in_force", f"In force {until}", "green", extended=extended)


def is_extended(agreement: Agreement, terms) -> bool:
    """Whether the term that ends on the agreement's end date is an extension."""
    return any(
        term.kind == AgreementTerm.Kind.EXTENSION and term.end_date == agreement.end_date
        for term in terms
    )


def standings(agreements, today: datetime.date) -> dict[int, AgreementStanding]:
    """Each agreement's standing by its id, in one query however many there are."""
    extensions = set(
        AgreementTerm.objects.filter(
            agreement__in=[a.pk for a in agreements], kind=AgreementTerm.Kind.EXTENSION
        )
        .order_by()
        .values_list("agreement_id", "end_date")
    )
    return {
        a.pk: agreement_standing(a, today, extended=(a.pk, a.end_date) in extensions)
        for a in agreements
    }


def covers_quarter(agreement: Agreement, quarter) -> bool:
    """Whether any of the quarter falls within the agreement's term: returns are for these."""
    return quarter.start_date <= agreement.end_date and quarter.end_date >= agreement.start_date
