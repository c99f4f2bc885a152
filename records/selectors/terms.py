"""Reads for an agreement's terms pages: its terms and decisions, the proposal awaiting a
decision, the approval route a proposal's value needs from each partner's rules, and the
history of the agreement's end date, its decisions and its proposals."""

from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from budgets.selectors import term_rows
from core.formatting import long_date, money
from partnerships.approvals import Threshold, approval_route
from partnerships.models import Agreement, ApprovalThreshold, Decision, Proposal
from partnerships.standing import agreement_standing, is_extended

NO_USER = "no user recorded (a script or the demo loader)"


@dataclass(frozen=True)
class PartnerRoute:
    """What one partner's rules ask of a decision of this kind and value."""

    partner: str
    threshold: Threshold | None  # the highest the value is over
    lowest: Decimal | None  # the lowest threshold the partner has recorded, if any

    @property
    def text(self) -> str:
        if self.threshold is not None:
            t = self.threshold
            rule = f", {t.rule}" if t.rule else ""
            also = f"; also required: {t.also_required}" if t.also_required else ""
            return f"over {money(t.exceeds)}: {t.approver}{rule}{also}"
        if self.lowest is None:
            return "no approval threshold is recorded"
        return f"not over its lowest recorded threshold, {money(self.lowest)}"


def approval_routes(agreement: Agreement, kind: str, value: Decimal) -> list[PartnerRoute]:
    """Each partner's route for a decision of `kind` committing `value`, hosts first. Two
    queries. A partner with no threshold recorded is said to have none: nothing here
    claims a decision is within anyone's delegated authority."""
    # A decision now is for the partners now: a CCG that passed to its ICB has no say.
    partners = list(agreement.partners.on(timezone.localdate()).select_related("organisation"))
    by_org: dict[int, list[Threshold]] = {}
    for row in ApprovalThreshold.objects.filter(
        organisation__in=[p.organisation_id for p in partners], decision_kind=kind
    ):
        by_org.setdefault(row.organisation_id, []).append(
            Threshold(row.exceeds, row.approver, row.also_required, row.rule)
        )
    routes = []
    for partner in partners:
        thresholds = by_org.get(partner.organisation_id, [])
        routes.append(
            PartnerRoute(
                partner.organisation.name,
                approval_route(value, thresholds),
                min((t.exceeds for t in thresholds), default=None),
            )
        )
    return routes


def approvers(routes: list[PartnerRoute]) -> str:
    """The bodies the routes name, to start the decision's "body" with."""
    named = [r.threshold.approver for r in routes if r.threshold is not None]
    return " and ".join(dict.fromkeys(named))


def terms_page(agreement: Agreement, today) -> dict:
    """Everything the terms page shows, in a fixed number of queries."""
    terms = list(
        agreement.terms.select_related("authorised_by", "option__exercised_by").order_by(
            "start_date"
        )
    )
    proposals = list(agreement.proposals.select_related("decision").order_by("-pk"))
    open_proposal = next((p for p in proposals if p.is_open), None)
    return {
        "standing": agreement_standing(agreement, today, extended=is_extended(agreement, terms)),
        "terms": terms,
        "term_rows": term_rows(terms, list(agreement.value_projections.all())),
        "decisions": list(agreement.decisions.order_by("decided_on", "pk")),
        "open_proposal": open_proposal,
        "decided_proposals": [p for p in proposals if not p.is_open],
        "changes": changes(agreement),
    }


@dataclass(frozen=True)
class Change:
    when: object
    who: str
    figure: str
    before: object
    after: object


def _who(record) -> str:
    return record.history_user.get_username() if record.history_user else NO_USER


def _diff(records, name, fields) -> list[Change]:
    """Each history row against the one before it of the same object: a new object is one
    change, its summary; a changed one, a change per field. `records` ordered by object,
    then time."""
    found, previous = [], {}
    for record in records:
        now = fields(record)
        before = previous.get(record.id)
        if before is None:
            summary = "; ".join(f"{k}: {v}" for k, v in now.items() if v is not None)
            found.append(Change(record.history_date, _who(record), name(record), None, summary))
        else:
            found += [
                Change(record.history_date, _who(record), f"{name(record)}: {k}", before[k], v)
                for k, v in now.items()
                if before[k] != v
            ]
        previous[record.id] = now
    return found


def _decision_fields(row) -> dict:
    return {
        "outcome": Decision.Outcome(row.outcome).label,
        "decided on": long_date(row.decided_on),
        "body": row.body,
        "reference": row.reference or None,
        "value": money(row.value) if row.value is not None else None,
        "summary": row.summary,
    }


def _proposal_fields(row) -> dict:
    return {
        "new end date": long_date(row.proposed_end_date) if row.proposed_end_date else None,
        "value": money(row.value),
        "summary": row.summary,
        "decision": "Recorded" if row.decision_id else "Awaited",
    }


def changes(agreement: Agreement) -> list[Change]:
    """Who changed the agreement's end date, its decisions and its proposals, when, from
    what to what; newest first. Three queries."""
    ordered = ("id", "history_date", "history_id")
    found = _diff(
        Agreement.history.filter(id=agreement.pk).select_related("history_user").order_by(*ordered),
        lambda row: "The agreement",
        lambda row: {"end date": long_date(row.end_date)},
    )
    found += _diff(
        Decision.history.filter(agreement_id=agreement.pk)
        .select_related("history_user")
        .order_by(*ordered),
        lambda row: f"Decision: {Decision.Kind(row.kind).label.lower()}",
        _decision_fields,
    )
    found += _diff(
        Proposal.history.filter(agreement_id=agreement.pk)
        .select_related("history_user")
        .order_by(*ordered),
        lambda row: f"Proposed {Proposal.Kind(row.kind).label.lower()}",
        _proposal_fields,
    )
    return sorted(found, key=lambda change: change.when, reverse=True)
