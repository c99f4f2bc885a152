"""Writes to agreements that span several models. Each is atomic and says who did it."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Min

from core.formatting import long_date
from partnerships.models import Agreement, AgreementPartner, AgreementTerm, Decision, Organisation


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


@transaction.atomic
def pass_to_successor(
    *, by, organisation: Organisation, successor: Organisation, on_date: datetime.date
) -> list[AgreementPartner]:
    """`successor` takes over `organisation`'s duties on `on_date` (a CCG's passing to its
    ICB on 1 July 2022): the predecessor is dissolved the day before, and in each
    agreement it is a partner of on that day its partnership ends the day before and the
    successor's begins on `on_date`, in the same role (host included). Nothing else moves:
    contributions, decisions and posts stay with the body that signed them. Returns the
    successor's partnerships that were opened or carried on."""
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    successor = Organisation.objects.get(pk=successor.pk)
    last_day = on_date - datetime.timedelta(days=1)
    if successor.pk == organisation.pk:
        raise ValidationError({"successor": "A body can't succeed itself."})
    if organisation.successor_id is not None:
        raise ValidationError(
            {
                "organisation": f"{organisation} has already passed to {organisation.successor}"
                f" on {long_date(organisation.succeeded_on)}."
            }
        )
    if organisation.established_on and last_day < organisation.established_on:
        raise ValidationError(
            {
                "on_date": f"{organisation} was established on "
                f"{long_date(organisation.established_on)}; its successor can't take over "
                "before then."
            }
        )
    if successor.dissolved_on and successor.dissolved_on < on_date:
        raise ValidationError(
            {"successor": f"{successor} was dissolved on {long_date(successor.dissolved_on)}."}
        )
    organisation.dissolved_on, organisation.successor = last_day, successor
    organisation._history_user = by
    organisation.full_clean()
    organisation.save(update_fields=["dissolved_on", "successor"])

    carried = []
    current = AgreementPartner.objects.select_for_update().filter(organisation=organisation)
    for partner in current.on(on_date).select_related("agreement").order_by("agreement_id"):
        if partner.from_date is not None and partner.from_date >= on_date:
            raise ValidationError(
                {
                    "on_date": f"{organisation} only joins {partner.agreement} on "
                    f"{long_date(partner.from_date)}, after its successor would take over."
                }
            )
        ends = partner.to_date
        partner.to_date = last_day
        partner._history_user = by
        partner.save(update_fields=["to_date"])
        carried.append(_successor_partnership(by, partner, successor, on_date, ends))
    return carried


def _successor_partnership(
    by, partner: AgreementPartner, successor: Organisation, on_date, ends
) -> AgreementPartner:
    """The successor's partnership in `partner`'s agreement from `on_date`, to where the
    predecessor's would have ended. A successor already in the agreement (two CCGs merging
    into one ICB) keeps its own row and role."""
    existing = AgreementPartner.objects.filter(
        agreement=partner.agreement, organisation=successor
    ).first()
    if existing is not None:
        if not existing.is_partner_on(on_date):
            raise ValidationError(
                {
                    "successor": f"{successor} was a partner in {partner.agreement} before "
                    "and is not now; record its new time in the agreement by hand."
                }
            )
        return existing
    opened = AgreementPartner(
        agreement=partner.agreement,
        organisation=successor,
        role=partner.role,
        is_host=partner.is_host,
        from_date=on_date,
        to_date=ends,
    )
    opened._history_user = by
    opened.full_clean(validate_constraints=False)
    opened.save()
    return opened
