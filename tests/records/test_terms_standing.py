"""One agreement standing (partnerships.standing) in what needs the user and in the papers,
and a proposal awaiting its decision is a decision needed, linked to the terms page."""

import datetime

import pytest
from django.contrib.auth import get_user_model

from partnerships.models import Proposal, Quarter
from reports.papers.blocks import Para
from reports.papers.kinds import build
from tasks.needs import needs_for

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 12, 3)


def ending_of(username):
    user = get_user_model().objects.get(username=username)
    return [n for n in needs_for(user, TODAY) if n.kind == "ending"]


def test_a_proposal_awaiting_its_decision_is_a_decision_needed(oxfordshire):
    Proposal.objects.create(
        agreement=oxfordshire,
        kind="extension",
        proposed_end_date=datetime.date(2028, 3, 31),
        value=0,
        summary="A year more.",
    )

    [ending] = ending_of("jmg.member")

    assert ending.text == (
        "The agreement ends on 31 March 2027, within 6 months; "
        "an extension is proposed: a decision is needed"
    )
    assert ending.url == f"/partnerships/{oxfordshire.slug}/records/terms/"
    assert ending.key == f"agreement-ending:{oxfordshire.pk}:6:proposed"


def test_a_proposed_variation_is_no_extension_decision(oxfordshire):
    Proposal.objects.create(agreement=oxfordshire, kind="variation", value=0, summary="Scope.")

    [ending] = ending_of("jmg.member")

    assert ending.text.endswith("no decision to extend it is recorded")
    assert ending.url == f"/partnerships/{oxfordshire.slug}/records/terms/"


@pytest.mark.parametrize(
    ("end", "months"),
    [
        (datetime.date(2027, 3, 3), 3),
        (datetime.date(2027, 3, 4), 6),
        (datetime.date(2027, 6, 3), 6),
        (datetime.date(2027, 6, 4), 12),
        (datetime.date(2027, 12, 3), 12),
    ],
)
def test_the_band_is_the_standings(oxfordshire, end, months):
    """needs and the agreement page read the same band: calendar months, from today."""
    oxfordshire.end_date = end
    oxfordshire.save()
    oxfordshire.terms.filter(kind="initial").update(end_date=end)

    [ending] = ending_of("jmg.member")

    assert f"within {months} months" in ending.text


def test_an_agreement_ending_after_twelve_months_needs_nothing(oxfordshire):
    oxfordshire.end_date = datetime.date(2027, 12, 4)
    oxfordshire.save()

    assert ending_of("jmg.member") == []


def paras(paper, slug):
    section = next(s for s in paper.sections if s.slug == slug)
    return [b.text for b in section.blocks if isinstance(b, Para)]


def test_the_scrutiny_report_states_the_agreements_standing(oxfordshire):
    quarter = Quarter.objects.get(financial_year__start_year=2019, number=3)

    paper = build(oxfordshire, "scrutiny", quarter)

    assert (
        "Its standing on 3 December 2026, when this report was prepared: ends within 6 "
        "months, on 31 March 2027."
    ) in paras(paper, "agreement")


def test_the_decision_report_states_the_standing_and_claims_no_unrecorded_authority(
    bromley, oxfordshire
):
    quarter = Quarter.objects.get(financial_year__start_year=2023, number=3)
    paper = build(bromley, "decision", quarter)
    assert (
        "Its standing on 3 December 2026, when this report was prepared: ended on 30 November 2026."
    ) in paras(paper, "commentary")

    # Oxfordshire's council has recorded no approval thresholds.
    from partnerships.models import AgreementTerm, Decision

    decision = Decision.objects.create(
        agreement=oxfordshire,
        kind="extension",
        decided_on=datetime.date(2026, 11, 30),
        body="Cabinet",
        summary="A year more.",
    )
    AgreementTerm.objects.create(
        agreement=oxfordshire,
        kind="extension",
        start_date=datetime.date(2027, 4, 1),
        end_date=datetime.date(2028, 3, 31),
        authorised_by=decision,
    )
    oxfordshire.end_date = datetime.date(2028, 3, 31)
    oxfordshire.save()
    paper = build(
        oxfordshire, "decision", Quarter.objects.get(financial_year__start_year=2026, number=3)
    )
    [approval] = paras(paper, "approval")
    assert "delegated authority" not in approval
    assert "No approval threshold for extensions is recorded" in approval
    assert (
        "Its standing on 3 December 2026, when this report was prepared: in force extended "
        "to 31 March 2028."
    ) in paras(paper, "commentary")
