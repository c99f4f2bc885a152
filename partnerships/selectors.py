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
