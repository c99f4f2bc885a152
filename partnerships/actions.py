"""Writes to agreements that span several models. Each is atomic and says who did it."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

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
    decision = Decision.objects.create(
        agreement=agreement,
        kind=Decision.Kind.EXTENSION,
        decided_on=decided_on,
        body=body,
        summary=summary,
        reference=reference,
        value=value,
    )
    term = AgreementTerm(
        agreement=agreement,
        kind=AgreementTerm.Kind.EXTENSION,
        start_date=agreement.end_date + datetime.timedelta(days=1),
        end_date=new_end,
        authorised_by=decision,
    )
    term._history_user = by
    term.save()
    agreement.end_date = new_end
    agreement._history_user = by
    agreement.save(update_fields=["end_date"])
    return term
