"""Writes to agreements that span several models. Each is atomic and says who did it."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Min

from partnerships.models import Agreement, AgreementTerm, Decision, QuarterlyReturn


@transaction.atomic
def extend_agreement(
    *,
    by,
    agreement: Agreement,
    new_end: datetime.date,
    decided_on: datetime.date,
    body: str,
    summary: str,
    reference: str = "",
    value: Decimal | None = None,
) -> AgreementTerm:
    """Record the decision to extend, the extension term from the day after the current
    end, and the agreement's new end date, together or not at all."""
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if new_end <= agreement.end_date:
        raise ValidationError(
            {
                "new_end": f"An extension must end after the current end date, "
                f"{agreement.end_date:%d %B %Y}."
            }
        )
    if decided_on > agreement.end_date:
        raise ValidationError(
            {
                "decided_on": "An agreement can't be extended after it has ended "
                f"({agreement.end_date:%d %B %Y}); a new agreement is needed."
            }
        )
    decision = Decision(
        agreement=agreement,
        kind=Decision.Kind.EXTENSION,
        decided_on=decided_on,
        body=body,
        summary=summary,
        reference=reference,
        value=value,
    )
    decision._history_user = by
    decision.full_clean()
    decision.save()
    term = AgreementTerm(
        agreement=agreement,
        kind=AgreementTerm.Kind.EXTENSION,
        start_date=agreement.end_date + datetime.timedelta(days=1),
        end_date=new_end,
        authorised_by=decision,
    )
    term._history_user = by
    term.full_clean()
    term.save()
    sync_term_dates(agreement, by=by)
    return term


@transaction.atomic
def sync_term_dates(agreement: Agreement, *, by) -> Agreement:
    """Set the agreement's start and end from its terms: the terms are the record, the
    dates on the agreement a copy kept for lists and filters."""
    dates = agreement.terms.aggregate(start=Min("start_date"), end=Max("end_date"))
    if dates["start"] is None:
        return agreement
    changed = [
        name
        for name, value in (("start_date", dates["start"]), ("end_date", dates["end"]))
        if getattr(agreement, name) != value
    ]
    if changed:
        agreement.start_date, agreement.end_date = dates["start"], dates["end"]
        agreement._history_user = by
        agreement.save(update_fields=changed)
    return agreement


# Quarterly returns


class ReturnRefused(Exception):
    """A change to a quarterly return that may not be made now; the message says why."""


def _save(obj, by) -> None:
    obj._history_user = by
    obj.full_clean()
    obj.save()


def _return_for_update(agreement: Agreement, quarter) -> QuarterlyReturn:
    QuarterlyReturn.objects.get_or_create(agreement=agreement, quarter=quarter)
    return QuarterlyReturn.objects.select_for_update().get(agreement=agreement, quarter=quarter)


@transaction.atomic
def apply_return_changes(
    *, by, agreement: Agreement, quarter, changes, expected_version: int | None = None
) -> QuarterlyReturn:
    """Save a return's changed figures, all or none. Refused while the return is submitted
    or signed off, and when someone else saved it since `expected_version` was read."""
    quarterly_return = _return_for_update(agreement, quarter)
    if not quarterly_return.editable:
        raise ReturnRefused(
            f"The {quarter.label} return for {agreement} is "
            f"{quarterly_return.get_status_display().lower()}: it must be reopened, with a "
            "reason, before its figures can change."
        )
    if expected_version is not None and quarterly_return.version != expected_version:
        raise ReturnRefused(
            f"Someone else saved the {quarter.label} return while you were working on it "
            f"(it is now at version {quarterly_return.version}, you started from "
            f"{expected_version}). Nothing of yours was saved: look at their figures, then "
            "make your changes again."
        )
    to_write = [change for change in changes if change.kind != "unchanged"]
    if not to_write:
        return quarterly_return
    writer = _ReturnWriter(by, agreement, quarter)
    # A partner's forecast and spend to date are one row: set both, whatever their order in
    # the file, before saving it.
    by_partner: dict[str, list] = {}
    for change in to_write:
        if change.section == "contribution":
            by_partner.setdefault(change.item, []).append(change)
        else:
            writer.write(change)
    for partner, partner_changes in by_partner.items():
        writer.contribution(partner, partner_changes)
    quarterly_return.version += 1
    _save(quarterly_return, by)
    return quarterly_return


class _ReturnWriter:
    def __init__(self, by, agreement: Agreement, quarter):
        self.by, self.agreement, self.quarter = by, agreement, quarter

    def write(self, change) -> None:
        getattr(self, f"_{change.section}")(change)

    def contribution(self, partner: str, changes) -> None:
        from budgets.models import Contribution, ContributionOutturn

        contribution = Contribution.objects.get(
            pooled_budget__agreement=self.agreement,
            pooled_budget__financial_year_id=self.quarter.financial_year_id,
            partner__short_name=partner,
        )
        outturn = ContributionOutturn.objects.filter(
            contribution=contribution, quarter=self.quarter
        ).first() or ContributionOutturn(contribution=contribution, quarter=self.quarter)
        for change in changes:
            setattr(outturn, change.measure, change.value)
        _save(outturn, self.by)

    def _caseload(self, change) -> None:
        from caseload.models import CaseloadOverlap, CaseloadSnapshot, SourceSystem

        team = self.agreement.teams.get(name=change.item)
        as_at = self.quarter.end_date
        if change.measure == "in_more_than_one_system":
            row = CaseloadOverlap.objects.filter(team=team, as_at=as_at).first() or CaseloadOverlap(
                team=team, as_at=as_at
            )
            row.cases_in_more_than_one_system = change.value
        else:
            system = SourceSystem.objects.get(code=change.measure)
            row = CaseloadSnapshot.objects.filter(
                team=team, source_system=system, as_at=as_at
            ).first() or CaseloadSnapshot(team=team, source_system=system, as_at=as_at)
            row.open_cases = change.value
        _save(row, self.by)

    def _activity(self, change) -> None:
        from caseload.models import CareActActivity

        team = self.agreement.teams.get(name=change.item)
        row = CareActActivity.objects.filter(team=team, quarter=self.quarter).first() or (
            CareActActivity(team=team, quarter=self.quarter)
        )
        setattr(row, change.measure, change.value)
        _save(row, self.by)

    def _kpi(self, change) -> None:
        from partnerships.models import KPIValue

        kpi = self.agreement.kpis.get(code=change.item)
        row = KPIValue.objects.filter(kpi=kpi, quarter=self.quarter).first() or KPIValue(
            kpi=kpi, quarter=self.quarter
        )
        row.value = change.value
        _save(row, self.by)

    def _action(self, change) -> None:
        from django.utils import timezone

        from partnerships.models import ProgressNote, Recommendation

        recommendation = Recommendation.objects.get(
            review__agreement=self.agreement, reference=change.item
        )
        today = timezone.localdate()
        if change.measure == "status":
            recommendation.status = change.value
            complete = change.value == Recommendation.Status.COMPLETE
            recommendation.completed_on = (
                (recommendation.completed_on or today) if complete else None
            )
            _save(recommendation, self.by)
            return
        note = ProgressNote.objects.filter(
            recommendation=recommendation, quarter=self.quarter
        ).first() or ProgressNote(recommendation=recommendation, quarter=self.quarter)
        note.note = change.value
        note.written_on = today
        note.author = self.by
        note.status_after = recommendation.status
        _save(note, self.by)


@transaction.atomic
def submit_return(*, by, quarterly_return: QuarterlyReturn) -> QuarterlyReturn:
    from django.utils import timezone

    locked = QuarterlyReturn.objects.select_for_update().get(pk=quarterly_return.pk)
    if not locked.editable:
        raise ReturnRefused(
            f"The return is {locked.get_status_display().lower()}: it can't be submitted again."
        )
    locked.status = QuarterlyReturn.Status.SUBMITTED
    locked.submitted_by, locked.submitted_at = by, timezone.now()
    _save(locked, by)
    return locked


@transaction.atomic
def sign_off_return(*, by, quarterly_return: QuarterlyReturn) -> QuarterlyReturn:
    from django.utils import timezone

    from partnerships.permissions import can

    locked = QuarterlyReturn.objects.select_for_update().get(pk=quarterly_return.pk)
    if not can(by, "sign_off_return", locked.agreement):
        raise ReturnRefused("Only a JMG member of the partnership can sign off its returns.")
    if locked.status != QuarterlyReturn.Status.SUBMITTED:
        raise ReturnRefused(
            "Only a submitted return can be signed off; this one is "
            f"{locked.get_status_display().lower()}."
        )
    locked.status = QuarterlyReturn.Status.SIGNED_OFF
    locked.signed_off_by, locked.signed_off_at = by, timezone.now()
    _save(locked, by)
    return locked


@transaction.atomic
def reopen_return(*, by, quarterly_return: QuarterlyReturn, reason: str) -> QuarterlyReturn:
    locked = QuarterlyReturn.objects.select_for_update().get(pk=quarterly_return.pk)
    if locked.editable:
        raise ReturnRefused("The return is already open for changes.")
    if not reason.strip():
        raise ReturnRefused("Say why the return is being reopened: the reason is kept with it.")
    locked.status = QuarterlyReturn.Status.REOPENED
    locked.reopened_reason = reason.strip()
    _save(locked, by)
    return locked
