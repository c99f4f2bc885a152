"""When a quarter's return is due and where it stands against that: due, overdue, late.

A partnership's JMG sets its timetable (`ReturnSchedule`); one that hasn't uses the
service's default, and the pages say so. Days are working days in England and Wales.
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from core.formatting import long_date
from core.workdays import add_working_days
from returns.models import QuarterlyReturn, ReturnSchedule


@dataclass(frozen=True)
class Deadlines:
    return_due: datetime.date
    sign_off_due: datetime.date
    set_by_partnership: bool  # False: the service's default timetable


@dataclass(frozen=True)
class Standing:
    """Where a return stands on a day: a code for the code, words and a tag for people."""

    code: str
    text: str
    colour: str = ""  # a GOV.UK tag colour; "" for no tag

    @property
    def needs_action(self) -> bool:
        return self.code in ("due", "overdue", "sign_off_due", "sign_off_overdue")


def deadlines(schedule: ReturnSchedule | None, quarter) -> Deadlines:
    """`schedule` is the partnership's timetable, or None for the service's default."""
    return_days = schedule.return_working_days if schedule else ReturnSchedule.DEFAULT_RETURN_DAYS
    sign_off_days = (
        schedule.sign_off_working_days if schedule else ReturnSchedule.DEFAULT_SIGN_OFF_DAYS
    )
    return_due = add_working_days(quarter.end_date, return_days)
    return Deadlines(return_due, add_working_days(return_due, sign_off_days), schedule is not None)


def schedule_for(agreement) -> ReturnSchedule | None:
    return ReturnSchedule.objects.filter(agreement=agreement).first()


def standing(due: Deadlines, quarter, quarterly_return, today: datetime.date) -> Standing:
    """A draft or reopened return is due once its quarter has ended, and overdue after its
    due date; a submitted one waits for sign-off, which is overdue after its own date; a
    return submitted or signed off after its date says it was late."""
    status = quarterly_return.status if quarterly_return else QuarterlyReturn.Status.DRAFT
    if status == QuarterlyReturn.Status.SIGNED_OFF:
        late = timezone.localdate(quarterly_return.signed_off_at) > due.sign_off_due
        text = "Signed off late" if late else "Signed off"
        return Standing("signed_off_late" if late else "signed_off", text)
    if status == QuarterlyReturn.Status.SUBMITTED:
        late = timezone.localdate(quarterly_return.submitted_at) > due.return_due
        submitted = "Submitted late" if late else "Submitted"
        if today > due.sign_off_due:
            return Standing(
                "sign_off_overdue",
                f"{submitted}; sign-off overdue since {long_date(due.sign_off_due)}",
                "red",
            )
        return Standing(
            "sign_off_due", f"{submitted}; sign-off due by {long_date(due.sign_off_due)}", "blue"
        )
    if today <= quarter.end_date:
        return Standing("not_due", f"Due by {long_date(due.return_due)}, after the quarter ends")
    if today > due.return_due:
        return Standing("overdue", f"Overdue: it was due by {long_date(due.return_due)}", "red")
    return Standing("due", f"Due by {long_date(due.return_due)}", "yellow")
