"""Proposing an extension or variation, and recording the decision on it: one atomic write
each, the agreement's own rules enforced, nothing half saved."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction

from partnerships.models import AgreementTerm, ApprovalThreshold, Decision, Proposal
from records.actions.terms import propose_change, record_decision
from records.selectors.terms import approval_routes, approvers
from tests.factories import (
    AgreementFactory,
    AgreementTermFactory,
    CouncilFactory,
    DecisionFactory,
    TrustFactory,
)

pytestmark = pytest.mark.django_db

D = datetime.date
TODAY = D(2026, 12, 3)


@pytest.fixture
def agreement():
    """In force 1 April 2020 to 31 March 2027, with its initial term."""
    return AgreementTermFactory().agreement


def propose(agreement, **overrides):
    values = {
        "agreement": agreement,
        "kind": Proposal.Kind.EXTENSION,
        "proposed_end_date": D(2028, 3, 31),
        "value": Decimal("1500000.00"),
        "summary": "Extend by a year while services are recommissioned.",
    } | overrides
    return propose_change(**values)


def decide(proposal, **overrides):
    values = {
        "proposal": proposal,
        "outcome": Decision.Outcome.APPROVED,
        "decided_on": D(2026, 11, 25),
        "body": "Executive",
        "reference": "EX-2026-11",
        "value": Decimal("1500000.00"),
        "summary": "Approved a one-year extension.",
        "end_date": proposal.proposed_end_date,
        "today": TODAY,
    } | overrides
    return record_decision(**values)


def errors_of(raised) -> dict:
    return raised.value.message_dict


def test_an_extension_is_proposed_with_its_new_end_and_value(agreement):
    proposal = propose(agreement)

    assert proposal.is_open
    assert (proposal.proposed_end_date, proposal.value) == (D(2028, 3, 31), Decimal("1500000"))
    assert proposal.history.count() == 1


def test_a_variation_keeps_the_term_as_it_is(agreement):
    proposal = propose(agreement, kind=Proposal.Kind.VARIATION, proposed_end_date=D(2029, 1, 1))

    assert proposal.proposed_end_date is None


def test_an_extension_must_end_after_the_current_end(agreement):
    with pytest.raises(ValidationError) as raised:
        propose(agreement, proposed_end_date=D(2027, 3, 31))

    assert errors_of(raised) == {
        "proposed_end_date": [
            "The new end date must be after the agreement's current end, 31 March 2027."
        ]
    }
    assert not Proposal.objects.exists()


@pytest.mark.parametrize(
    ("status", "said"), [("ended", "ended"), ("terminated", "terminated early")]
)
def test_an_agreement_recorded_as_ended_is_not_extended(agreement, status, said):
    agreement.status = status
    agreement.save()

    with pytest.raises(ValidationError) as raised:
        propose(agreement)

    assert errors_of(raised) == {
        NON_FIELD_ERRORS: [f"The agreement is recorded as {said}: it can't be extended or varied."]
    }


def test_only_one_proposal_awaits_a_decision_at_a_time(agreement):
    propose(agreement)

    with pytest.raises(ValidationError) as raised:
        propose(agreement, kind=Proposal.Kind.VARIATION)

    assert "already awaits a decision" in errors_of(raised)[NON_FIELD_ERRORS][0]
    assert Proposal.objects.count() == 1


def test_an_approved_extension_adds_its_term_and_moves_the_end_date(agreement):
    proposal = propose(agreement)

    decision = decide(proposal)

    agreement.refresh_from_db()
    term = AgreementTerm.objects.get(agreement=agreement, kind=AgreementTerm.Kind.EXTENSION)
    assert (term.start_date, term.end_date, term.authorised_by) == (
        D(2027, 4, 1),
        D(2028, 3, 31),
        decision,
    )
    assert agreement.end_date == D(2028, 3, 31)
    assert (decision.kind, decision.outcome, decision.value) == (
        "extension",
        "approved",
        Decimal("1500000.00"),
    )
    proposal.refresh_from_db()
    assert proposal.decision == decision and not proposal.is_open
    before, after = agreement.history.order_by("history_date")[:2]
    assert (before.end_date, after.end_date) == (D(2027, 3, 31), D(2028, 3, 31))


def test_the_decision_may_approve_another_end_date(agreement):
    decide(propose(agreement), end_date=D(2027, 9, 30))

    agreement.refresh_from_db()
    assert agreement.end_date == D(2027, 9, 30)


def test_a_refusal_is_recorded_and_changes_no_term(agreement):
    proposal = propose(agreement)

    decision = decide(proposal, outcome=Decision.Outcome.REFUSED)

    agreement.refresh_from_db()
    assert decision.outcome == "refused"
    assert agreement.end_date == D(2027, 3, 31)
    assert not AgreementTerm.objects.filter(kind=AgreementTerm.Kind.EXTENSION).exists()
    # and a new proposal may follow it
    assert propose(agreement).is_open


def test_an_approved_variation_adds_no_term(agreement):
    decide(propose(agreement, kind=Proposal.Kind.VARIATION))

    assert agreement.terms.count() == 1
    assert Decision.objects.filter(kind="variation", outcome="approved").count() == 1


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"decided_on": D(2026, 12, 4)}, "decided_on", "The decision date can't be in the future."),
        (
            {"end_date": D(2027, 3, 31)},
            "end_date",
            "The approved end date must be after the agreement's current end, 31 March 2027.",
        ),
    ],
)
def test_a_bad_decision_saves_nothing(agreement, overrides, field, message):
    proposal = propose(agreement)

    with pytest.raises(ValidationError) as raised:
        decide(proposal, **overrides)

    assert errors_of(raised) == {field: [message]}
    assert Decision.objects.filter(kind="extension").count() == 0
    proposal.refresh_from_db()
    agreement.refresh_from_db()
    assert proposal.is_open and agreement.end_date == D(2027, 3, 31)


def test_the_terms_own_rules_hold_and_nothing_is_saved(agreement):
    """The agreement's end date and its last term disagree (as an edit in the admin could
    leave them): the new term would not start the day after the term before it."""
    agreement.terms.update(end_date=D(2026, 12, 31))
    proposal = propose(agreement)

    with pytest.raises(ValidationError) as raised:
        decide(proposal)

    assert errors_of(raised) == {
        NON_FIELD_ERRORS: [
            "An extension starts the day after the term before it ends: 1 January 2027."
        ]
    }
    assert not Decision.objects.filter(kind="extension").exists()
    proposal.refresh_from_db()
    assert proposal.is_open


def test_an_extension_must_follow_a_term(agreement):
    agreement.terms.all().delete()
    proposal = propose(agreement)

    with pytest.raises(ValidationError) as raised:
        decide(proposal)

    assert errors_of(raised) == {NON_FIELD_ERRORS: ["An extension must follow an earlier term."]}


def test_a_proposal_is_decided_once(agreement):
    proposal = propose(agreement)
    decide(proposal, outcome=Decision.Outcome.REFUSED)

    with pytest.raises(ValidationError) as raised:
        decide(proposal)

    assert errors_of(raised) == {NON_FIELD_ERRORS: ["This proposal has been decided already."]}
    assert Decision.objects.filter(kind="extension").count() == 1


def test_a_refused_decision_authorises_no_term(agreement):
    refused = DecisionFactory(agreement=agreement, kind="extension", outcome="refused")
    term = AgreementTerm(
        agreement=agreement,
        kind=AgreementTerm.Kind.EXTENSION,
        start_date=D(2027, 4, 1),
        end_date=D(2028, 3, 31),
        authorised_by=refused,
    )

    with pytest.raises(ValidationError) as raised:
        term.full_clean()

    assert raised.value.message_dict == {
        "authorised_by": ["A refused decision authorises no term."]
    }


@pytest.mark.parametrize(
    ("values", "constraint"),
    [
        ({"kind": "extension", "proposed_end_date": None}, "proposal_extension_has_end_date"),
        ({"kind": "variation", "proposed_end_date": D(2028, 1, 1)}, "proposal_variation_keeps"),
        ({"kind": "extension", "value": Decimal("-1")}, "proposal_value_not_negative"),
        ({"kind": "renewal"}, "proposal_kind_valid"),
    ],
)
def test_the_database_refuses_a_proposal_that_breaks_its_rules(agreement, values, constraint):
    row = {"proposed_end_date": D(2028, 3, 31), "value": 0, "summary": "x"} | values

    with pytest.raises(IntegrityError, match=constraint), transaction.atomic():
        Proposal.objects.create(agreement=agreement, **row)


def test_the_database_keeps_one_open_proposal_an_agreement(agreement):
    Proposal.objects.create(agreement=agreement, kind="variation", value=0, summary="x")

    with (
        pytest.raises(
            IntegrityError, match=r"proposal_one_open|UNIQUE.*partnerships_proposal.agreement_id"
        ),
        transaction.atomic(),
    ):
        Proposal.objects.create(agreement=agreement, kind="variation", value=0, summary="y")


def test_the_database_refuses_an_unknown_outcome(agreement):
    with pytest.raises(IntegrityError, match="decision_outcome_valid"), transaction.atomic():
        DecisionFactory(agreement=agreement, outcome="deferred")


def routed(value, *thresholds):
    council, trust = CouncilFactory(name="Test Borough"), TrustFactory(name="Test Trust")
    agreement = AgreementFactory(
        partners=[(council, "commissioner", True), (trust, "lead_provider", False)]
    )
    for exceeds, approver, rule in thresholds:
        ApprovalThreshold.objects.create(
            organisation=council,
            decision_kind="extension",
            exceeds=exceeds,
            approver=approver,
            rule=rule,
        )
    return {r.partner: r.text for r in approval_routes(agreement, "extension", value)}


def test_the_route_is_the_highest_threshold_the_value_is_over():
    routes = routed(
        Decimal("1000000.01"),
        (Decimal("100000"), "Portfolio Holder", ""),
        (Decimal("1000000"), "Executive", "CPR 13.1"),
    )

    assert routes == {
        "Test Borough": "over £1,000,000.00: Executive, CPR 13.1",
        "Test Trust": "no approval threshold is recorded",
    }


def test_a_value_under_every_threshold_claims_no_delegated_authority():
    routes = routed(Decimal("1000000.00"), (Decimal("1000000"), "Executive", "CPR 13.1"))

    assert routes["Test Borough"] == "not over its lowest recorded threshold, £1,000,000.00"
    assert not any("delegated" in text for text in routes.values())


def test_the_decision_body_starts_as_the_route_names_it():
    council = CouncilFactory()
    agreement = AgreementFactory(partners=[(council, "commissioner", True)])
    ApprovalThreshold.objects.create(
        organisation=council, decision_kind="extension", exceeds=0, approver="Executive"
    )

    assert approvers(approval_routes(agreement, "extension", Decimal(5))) == "Executive"
    assert approvers(approval_routes(agreement, "variation", Decimal(5))) == ""
