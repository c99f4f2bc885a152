"""Writes to an agreement's terms: proposing an extension (perhaps with an option of more)
or variation, and recording the decision on it, which for an approved extension adds the
new term, and its option, and moves the agreement's end date; exercising an option, which
adds the term it gives and moves the end date again, or recording it lapsed. Each is one
transaction: nothing is half saved.

Errors are `ValidationError`s keyed by these functions' own keyword names (the forms'
field names), or NON_FIELD_ERRORS for what belongs to no one field.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction

from core.formatting import long_date
from partnerships.models import Agreement, AgreementTerm, Decision, ExtensionOption, Proposal

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
    option_end_date: datetime.date | None = None,
    option_exercise_by: datetime.date | None = None,
    option_value: Decimal | None = None,
) -> Proposal:
    """A proposed extension (to a new end date, perhaps with an option to extend to a later
    one, exercised by a date) or variation of the agreement. One proposal awaits a decision
    at a time."""
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
        if option_end_date is not None:
            errors |= _option_errors(
                proposed_end_date, option_end_date, option_exercise_by, option_value
            )
    else:
        proposed_end_date = None  # a variation keeps the term as it is
        option_end_date = option_exercise_by = option_value = None
    if option_end_date is None:
        option_exercise_by = option_value = None
    if errors:
        raise ValidationError(errors)
    return Proposal.objects.create(
        agreement=agreement,
        kind=kind,
        proposed_end_date=proposed_end_date,
        value=value,
        summary=summary,
        option_end_date=option_end_date,
        option_exercise_by=option_exercise_by,
        option_value=option_value,
    )


def _option_errors(extension_end, option_end, exercise_by, option_value) -> dict:
    errors = {}
    if extension_end is not None and option_end <= extension_end:
        errors["option_years"] = "The option must run on after the extension ends."
    if exercise_by is None:
        errors["option_exercise_by"] = "Enter the date by which the option must be exercised."
    elif extension_end is not None and exercise_by > extension_end:
        errors["option_exercise_by"] = (
            "The option must be exercised by the day the extension ends, "
            f"{long_date(extension_end)}, or earlier."
        )
    if option_value is None:
        errors["option_value"] = "Enter the value of the option period in pounds."
    return errors


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
        term = _extend(agreement, decision, end_date)
        if proposal.has_option:
            _grant_option(proposal, term)
    proposal.decision = decision
    proposal.save(update_fields=["decision"])
    return decision


def _grant_option(proposal: Proposal, term: AgreementTerm) -> ExtensionOption:
    """The option approved with the extension, from the day after it ends to the end date
    proposed. An extension approved to a later end than proposed may leave no room for it:
    then it is refused rather than changed."""
    start = term.end_date + datetime.timedelta(days=1)
    if proposal.option_end_date <= start or proposal.option_exercise_by >= start:
        raise ValidationError(
            {
                "end_date": "The proposal's option runs to "
                f"{long_date(proposal.option_end_date)}, to be exercised by "
                f"{long_date(proposal.option_exercise_by)}: approve the extension to end "
                "before both, or refuse this proposal and propose again."
            }
        )
    option = ExtensionOption(
        agreement_id=term.agreement_id,
        extension=term,
        start_date=start,
        end_date=proposal.option_end_date,
        exercise_by=proposal.option_exercise_by,
    )
    option.full_clean()
    option.save()
    return option


@transaction.atomic
def exercise_option(
    *,
    option: ExtensionOption,
    decided_on: datetime.date,
    body: str,
    reference: str,
    value: Decimal | None,
    summary: str,
    today: datetime.date,
) -> Decision:
    """The partners exercise an available option by a decision (a letter between them, an
    officer's decision): the term it gives is added, from the day after the extension, and
    the agreement's end date moves to the option's end."""
    option = ExtensionOption.objects.select_for_update().get(pk=option.pk)
    agreement = Agreement.objects.select_for_update().get(pk=option.agreement_id)
    _refuse_unless_available(option)
    if decided_on > today:
        raise ValidationError({"decided_on": "The decision date can't be in the future."})
    if decided_on > option.exercise_by:
        raise ValidationError(
            {
                "decided_on": "The option had to be exercised by "
                f"{long_date(option.exercise_by)}: a later decision can't exercise it. "
                "Record it lapsed, and propose an extension instead."
            }
        )
    if agreement.end_date + datetime.timedelta(days=1) != option.start_date:
        raise ValidationError(
            {
                NON_FIELD_ERRORS: f"The agreement now ends on {long_date(agreement.end_date)}, "
                f"not the day before the option starts ({long_date(option.start_date)}): "
                "the option can't be exercised."
            }
        )
    decision = Decision.objects.create(
        agreement=agreement,
        kind=Decision.Kind.EXTENSION,
        decided_on=decided_on,
        body=body,
        reference=reference,
        summary=summary,
        value=value,
    )
    option.term = _extend(agreement, decision, option.end_date)
    option.exercised_by = decision
    option.status = ExtensionOption.Status.EXERCISED
    option.save(update_fields=["term", "exercised_by", "status"])
    return decision


@transaction.atomic
def record_option_lapsed(
    *, option: ExtensionOption, lapsed_on: datetime.date, today: datetime.date
) -> ExtensionOption:
    """The partners let an available option lapse: the agreement ends as the extension
    left it."""
    option = ExtensionOption.objects.select_for_update().get(pk=option.pk)
    _refuse_unless_available(option)
    if lapsed_on > today:
        raise ValidationError({"lapsed_on": "The date it lapsed can't be in the future."})
    option.status = ExtensionOption.Status.LAPSED
    option.lapsed_on = lapsed_on
    option.save(update_fields=["status", "lapsed_on"])
    return option


def _refuse_unless_available(option: ExtensionOption) -> None:
    if not option.is_available:
        raise ValidationError(
            {NON_FIELD_ERRORS: f"This option has been {option.get_status_display().lower()}."}
        )


def _extend(agreement: Agreement, decision: Decision, end_date: datetime.date) -> AgreementTerm:
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
    return term
