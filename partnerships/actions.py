"""Writes to agreements that span several models. Each is atomic and says who did it."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Min

from partnerships.models import Agreement, AgreementTerm, Decision


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
