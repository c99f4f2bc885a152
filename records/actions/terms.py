"""Writes to an agreement's terms: proposing an extension or variation, and recording the
decision on it, which for an approved extension adds the new term and moves the
agreement's end date. Each is one transaction: nothing is half saved.

Errors are `ValidationError`s keyed by these functions' own keyword names (the forms'
field names), or NON_FIELD_ERRORS for what belongs to no one field.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction

from partnerships.models import Agreement, AgreementTerm, Decision, Proposal

# An AgreementTerm's own errors, as the decision form's fields name them: the term's end is
# the end date the decision approves; its start and kind follow from the agreement.
TERM_FIELDS = {"end_date": "end_date"}


@transaction.atomic
def propose_change(
    *,
    agreement: Agreement,
    kind: str,
    proposed_end_date: datetime.date | None,
    value: Decimal,
    summary: str,
) -> Proposal:
    """A proposed extension (to a new end date) or variation of the agreement. One proposal
    awaits a decision at a time."""
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    errors = {}
    if agreement.status in (Agreement.Status.TERMINATED, Agreement.Status.ENDED):
        errors[NON_FIELD_ERRORS] = (
            f"The agreement is recorded as {agreement.get_status_display().lower()}: "
            "it can't be extended or varied."
        )
    if Proposal.objects.filter(agreement=agreement, decision__isnull=True).exists():
        errors[NON_FIELD_ERRORS] = (
            "A proposal already awaits a decision: record the decision on it first."
        )
    if kind == Proposal.Kind.EXTENSION:
        if proposed_end_date is None:
            errors["proposed_end_date"] = "Enter the new end date the extension would give."
        elif proposed_end_date <= agreement.end_date:
            errors["proposed_end_date"] = (
                "The new end date must be after the agreement's current end, "
                f"{agreement.end_date:%-d %B %Y}."
            )
    else:
        proposed_end_date = None  # a variation keeps the term as it is
    if errors:
        raise ValidationError(errors)
    return Proposal.objects.create(
        agreement=agreement,
        kind=kind,
        proposed_end_date=proposed_end_date,
        value=value,
        summary=summary,
    )


@transaction.atomic
def record_decision(
    *,
    proposal: Proposal,
    outcome: str,
    decided_on: datetime.date,
    body: str,
    reference: str,
    value: Decimal | None,
    summary: str,
    end_date: datetime.date | None = None,
    today: datetime.date,
) -> Decision:
    """The decision on an open proposal. An approved extension adds the term it authorises,
    from the day after the agreement's current end to `end_date` (the proposal's, unless
    the decision approved another), and moves the agreement's end date to it."""
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    agreement = Agreement.objects.select_for_update().get(pk=proposal.agreement_id)
    if not proposal.is_open:
        raise ValidationError({NON_FIELD_ERRORS: "This proposal has been decided already."})
    if decided_on > today:
        raise ValidationError({"decided_on": "The decision date can't be in the future."})
    extends = proposal.kind == Proposal.Kind.EXTENSION and outcome == Decision.Outcome.APPROVED
    decision = Decision.objects.create(
        agreement=agreement,
        kind=proposal.kind,
        outcome=outcome,
        decided_on=decided_on,
        body=body,
        reference=reference,
        summary=summary,
        value=value,
    )
    if extends:
        end_date = end_date or proposal.proposed_end_date
        if end_date <= agreement.end_date:
            raise ValidationError(
                {
                    "end_date": "The approved end date must be after the agreement's current "
                    f"end, {agreement.end_date:%-d %B %Y}."
                }
            )
        _extend(agreement, decision, end_date)
    proposal.decision = decision
    proposal.save(update_fields=["decision"])
    return decision


def _extend(agreement: Agreement, decision: Decision, end_date: datetime.date) -> None:
    term = AgreementTerm(
        agreement=agreement,
        kind=AgreementTerm.Kind.EXTENSION,
        start_date=agreement.end_date + datetime.timedelta(days=1),
        end_date=end_date,
        authorised_by=decision,
    )
    try:
        term.full_clean()
    except ValidationError as error:
        raise ValidationError(
            {
                TERM_FIELDS.get(field, NON_FIELD_ERRORS): messages
                for field, messages in error.message_dict.items()
            }
        ) from None
    term.save()
    agreement.end_date = end_date
    agreement.save(update_fields=["end_date"])
