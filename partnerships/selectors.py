"""Reads about agreements that span relations."""

from partnerships.approvals import Threshold, approval_route
from partnerships.models import AgreementPartner, AgreementTerm, ApprovalThreshold, Decision


def extension_approval(term: AgreementTerm) -> Threshold | None:
    """The approval that an extension's projected cost requires under the rules of the
    agreement's council partners (the strictest that applies)."""
    from budgets.selectors import term_cost

    councils = AgreementPartner.objects.filter(
        agreement=term.agreement, organisation__kind="council"
    ).values("organisation")
    thresholds = [
        Threshold(row.exceeds, row.approver, row.also_required, row.rule)
        for row in ApprovalThreshold.objects.filter(
            organisation__in=councils, decision_kind=Decision.Kind.EXTENSION
        )
    ]
    return approval_route(term_cost(term), thresholds)


def overview(agreement) -> dict:
    """What a member sees first: partners, term and extensions with their decisions,
    governance. A fixed number of queries whatever the agreement's size."""
    from budgets.selectors import term_cost

    terms = list(agreement.terms.select_related("authorised_by").order_by("start_date"))
    extensions = [
        {"term": term, "cost": term_cost(term)}
        for term in terms
        if term.kind == AgreementTerm.Kind.EXTENSION
    ]
    return {
        "partners": list(agreement.partners.select_related("organisation")),
        "terms": terms,
        "extensions": extensions,
        "decisions": list(agreement.decisions.order_by("decided_on")),
        "governance_bodies": list(agreement.governance_bodies.order_by("-active", "name")),
    }
