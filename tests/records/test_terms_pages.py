"""The terms pages with the demo seed: a commissioner proposes an extension, sees the
approval its value needs, records the decision, and every page then says the agreement is
extended; bad input names its field and saves nothing; others may look but not change."""

import datetime

import pytest

from partnerships.models import Agreement, AgreementTerm, Decision, Proposal

pytestmark = pytest.mark.django_db

D = datetime.date
SIGNED_IN = 3  # session, user, the user's memberships


@pytest.fixture
def signed_in(client, django_user_model):
    def sign_in(username):
        client.force_login(django_user_model.objects.get(username=username))
        return client

    return sign_in


def terms_url(agreement, *rest):
    return f"/partnerships/{agreement.slug}/records/terms/" + "".join(f"{r}/" for r in rest)


DATES = ("proposed_end_date", "decided_on", "end_date")


def as_posted(data: dict) -> dict:
    """A date as a person types it into GOV.UK's day, month and year boxes."""
    posted = {}
    for name, value in data.items():
        if name in DATES:
            day, month, year = [*value.split("/"), "", "", ""][:3] if value else ("", "", "")
            posted |= {f"{name}_day": day, f"{name}_month": month, f"{name}_year": year}
        else:
            posted[name] = value
    return posted


def propose(client, agreement, **overrides):
    data = {
        "kind": "extension",
        "proposed_end_date": "30/11/2027",
        "value": "£1,917,339.00",
        "summary": "Extend by a year, to 30 November 2027, while services are recommissioned.",
    } | overrides
    return client.post(terms_url(agreement, "propose"), as_posted(data))


def decision_data(**overrides):
    return as_posted(
        {
            "outcome": "approved",
            "decided_on": "01/12/2026",
            "body": "Executive",
            "reference": "ACH2026-041",
            "value": "1917339.00",
            "summary": "Approved a one-year extension to 30 November 2027.",
            "end_date": "30/11/2027",
        }
        | overrides
    )


def test_a_commissioner_extends_bromleys_agreement_by_a_year(signed_in, bromley):
    client = signed_in("commissioner")

    response = propose(client, bromley)
    proposal = Proposal.objects.get(agreement=bromley)
    assert response.status_code == 302
    assert response["Location"] == terms_url(bromley, "proposals", proposal.pk)

    page = client.get(response["Location"]).content.decode()
    assert "London Borough of Bromley" in page
    assert "Over £1,000,000.00: Executive, CPR 13.1; also required: Chief Officer" in page
    assert "delegated authority" not in page
    assert "Record the decision" in page

    form = client.get(terms_url(bromley, "proposals", proposal.pk, "decision")).content.decode()
    assert 'name="body" value="Executive"' in form  # from the route
    assert 'name="value" value="1917339.00"' in form

    response = client.post(
        terms_url(bromley, "proposals", proposal.pk, "decision"), decision_data()
    )
    assert response.status_code == 302
    bromley.refresh_from_db()
    assert bromley.end_date == D(2027, 11, 30)
    term = bromley.terms.order_by("start_date").last()
    assert (term.kind, term.start_date, term.authorised_by.reference) == (
        "extension",
        D(2026, 12, 1),
        "ACH2026-041",
    )

    terms_page = client.get(terms_url(bromley)).content.decode()
    assert "Extension approved: the agreement now ends on 30 November 2027" in terms_page
    assert "Executive (ACH2026-041)" in terms_page and "Extension: refused" not in terms_page
    # the history: who moved the end date, from what to what
    assert "The agreement: end date" in terms_page
    assert '<td class="govuk-table__cell">30 November 2026</td>' in terms_page
    assert "commissioner" in terms_page
    standing = "Extended to 30 November 2027: ends within 12 months"
    assert standing in terms_page
    assert standing in client.get(f"/partnerships/{bromley.slug}/").content.decode()
    assert standing in client.get("/").content.decode()


def test_oxfordshire_extended_a_year_is_in_force_as_extended_on_every_page(signed_in, oxfordshire):
    client = signed_in("commissioner")
    propose(client, oxfordshire, proposed_end_date="31/03/2028", value="0")
    proposal = Proposal.objects.get(agreement=oxfordshire)

    page = client.get(terms_url(oxfordshire, "proposals", proposal.pk)).content.decode()
    # Oxfordshire's partners (OHFT, OCC and, since July 2022, the ICB; not the CCG before
    # it) have recorded no thresholds: the page says so and claims nothing
    assert page.count("No approval threshold is recorded") == 3
    assert "Clinical Commissioning Group" not in page
    assert "delegated authority" not in page
    client.post(
        terms_url(oxfordshire, "proposals", proposal.pk, "decision"),
        decision_data(body="Cabinet", end_date="31/03/2028", value="0"),
    )

    for url in (f"/partnerships/{oxfordshire.slug}/", "/", terms_url(oxfordshire)):
        assert "In force extended to 31 March 2028" in client.get(url).content.decode()


def test_a_refusal_changes_no_term(signed_in, oxfordshire):
    client = signed_in("commissioner")
    propose(client, oxfordshire, proposed_end_date="31/03/2028")
    proposal = Proposal.objects.get(agreement=oxfordshire)

    client.post(
        terms_url(oxfordshire, "proposals", proposal.pk, "decision"),
        decision_data(outcome="refused", end_date=""),
    )

    oxfordshire.refresh_from_db()
    assert oxfordshire.end_date == D(2027, 3, 31)
    page = client.get(terms_url(oxfordshire)).content.decode()
    assert "Extension: refused" in page
    assert "Propose an extension or variation" in page


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        (
            {"kind": "", "proposed_end_date": "", "value": "", "summary": ""},
            [
                "Choose whether this is an extension or a variation",
                "Enter the value in pounds, for example 1917339.00",
                "Enter a summary of what is proposed",
            ],
        ),
        ({"proposed_end_date": ""}, ["Enter the new end date the extension would give"]),
        (
            {"proposed_end_date": "31/02/2027"},
            ["The new end date must be a real date, like 31 3 2027"],
        ),
        ({"value": "lots"}, ["Enter the value in pounds, for example 1917339.00"]),
        ({"value": "-5"}, ["The value can&#x27;t be negative"]),
        ({"value": "10.005"}, ["Enter the value to the penny: at most 2 decimal places"]),
        (
            {"proposed_end_date": "30/11/2026"},
            ["The new end date must be after the agreement&#x27;s current end, 30 November 2026."],
        ),
    ],
)
def test_a_bad_proposal_names_its_field_and_saves_nothing(signed_in, bromley, data, errors):
    response = propose(signed_in("commissioner"), bromley, **data)

    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    for error in errors:
        assert page.count(error) == 2  # in the summary and by its field
    assert not Proposal.objects.exists()


@pytest.mark.parametrize(
    ("data", "field", "error"),
    [
        (
            {"decided_on": "04/12/2026"},
            "decided_on",
            "The decision date can&#x27;t be in the future.",
        ),
        ({"decided_on": ""}, "decided_on", "Enter the date of the decision"),
        ({"outcome": ""}, "outcome", "Choose whether the proposal was approved or refused"),
        ({"body": ""}, "body", "Enter the body that decided, for example Executive"),
        ({"end_date": ""}, "end_date", "Enter the end date the extension was approved to"),
        ({"value": "1.2.3"}, "value", "Enter the value in pounds, for example 1917339.00"),
    ],
)
def test_a_bad_decision_names_its_field_and_saves_nothing(signed_in, bromley, data, field, error):
    client = signed_in("commissioner")
    propose(client, bromley)
    proposal = Proposal.objects.get()
    decisions = Decision.objects.count()

    response = client.post(
        terms_url(bromley, "proposals", proposal.pk, "decision"), decision_data(**data)
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert f'<p class="govuk-error-message" id="id_{field}-error">' in page
    anchor = f"id_{field}_0" if field in DATES else f"id_{field}"  # a date's first box
    assert f'href="#{anchor}">{error}</a>' in page
    assert Decision.objects.count() == decisions
    assert Agreement.objects.get(pk=bromley.pk).end_date == D(2026, 11, 30)
    assert Proposal.objects.get().is_open


def test_a_second_proposal_waits_for_the_first(signed_in, bromley):
    client = signed_in("commissioner")
    propose(client, bromley)

    page = client.get(terms_url(bromley)).content.decode()
    assert "Awaiting a decision" in page
    assert "Propose an extension or variation" not in page
    response = propose(client, bromley, kind="variation")
    assert "A proposal already awaits a decision" in response.content.decode()
    assert Proposal.objects.count() == 1


@pytest.mark.parametrize("username", ["jmg.member", "scrutiny.officer", "s117.officer"])
def test_others_see_the_terms_but_change_nothing(signed_in, bromley, username):
    proposal = Proposal.objects.create(
        agreement=bromley,
        kind="extension",
        proposed_end_date=D(2027, 11, 30),
        value=1,
        summary="A proposal.",
    )
    client = signed_in(username)

    page = client.get(terms_url(bromley)).content.decode()
    assert "Initial term" in page and "Executive" in page
    assert "Record the decision" not in page
    assert client.get(terms_url(bromley, "proposals", proposal.pk)).status_code == 200
    assert propose(client, bromley).status_code == 403
    decision = terms_url(bromley, "proposals", proposal.pk, "decision")
    assert client.post(decision, decision_data()).status_code == 403
    assert Proposal.objects.count() == 1 and proposal.decision_id is None


def test_a_proposal_of_another_partnership_is_not_found(signed_in, bromley, oxfordshire):
    theirs = Proposal.objects.create(
        agreement=oxfordshire, kind="variation", value=0, summary="Oxfordshire's."
    )
    client = signed_in("commissioner")

    assert client.get(terms_url(bromley, "proposals", theirs.pk)).status_code == 404
    response = client.post(terms_url(bromley, "proposals", theirs.pk, "decision"), decision_data())
    assert response.status_code == 404
    assert Proposal.objects.get(pk=theirs.pk).is_open


def test_a_decided_proposal_sends_you_back_to_it(signed_in, bromley):
    client = signed_in("commissioner")
    propose(client, bromley)
    proposal = Proposal.objects.get()
    client.post(
        terms_url(bromley, "proposals", proposal.pk, "decision"), decision_data(outcome="refused")
    )

    response = client.get(terms_url(bromley, "proposals", proposal.pk, "decision"))

    assert response.status_code == 302
    assert response["Location"] == terms_url(bromley, "proposals", proposal.pk)


def past_decisions(agreement, count):
    """Proposals decided and refused, with their decisions and history."""
    for number in range(count):
        decision = Decision.objects.create(
            agreement=agreement,
            kind="variation",
            outcome="refused",
            decided_on=D(2025, 1, 1) + datetime.timedelta(days=number),
            body="Executive",
            summary=f"Refused variation {number}",
        )
        Proposal.objects.create(
            agreement=agreement, kind="variation", value=number, summary="x", decision=decision
        )


def more_terms(agreement, count):
    last = agreement.terms.order_by("-end_date").first()
    for _ in range(count):
        start = last.end_date + datetime.timedelta(days=1)
        last = AgreementTerm.objects.create(
            agreement=agreement,
            kind="extension",
            start_date=start,
            end_date=start + datetime.timedelta(days=364),
            authorised_by=last.authorised_by,
        )
    agreement.end_date = last.end_date
    agreement.save()


@pytest.mark.parametrize("more", [0, 6])
def test_the_terms_page_queries_stay_the_same(signed_in, bromley, more, django_assert_num_queries):
    past_decisions(bromley, more)
    more_terms(bromley, more)
    Proposal.objects.create(agreement=bromley, kind="variation", value=0, summary="Open")
    client = signed_in("commissioner")

    # the partnership; terms with their decisions and options; the value projections (each
    # extension's cost); proposals with their decisions; decisions; the history of the
    # agreement, its decisions and its proposals
    with django_assert_num_queries(SIGNED_IN + 1 + 4 + 3):
        response = client.get(terms_url(bromley))
    assert response.status_code == 200


@pytest.mark.parametrize("more", [0, 6])
def test_the_proposal_and_decision_pages_queries_stay_the_same(
    signed_in, bromley, more, django_assert_num_queries
):
    past_decisions(bromley, more)
    proposal = Proposal.objects.create(
        agreement=bromley,
        kind="extension",
        proposed_end_date=D(2027, 11, 30),
        value=2_000_000,
        summary="Open",
    )
    client = signed_in("commissioner")

    # the partnership; the proposal; its partners and their thresholds
    with django_assert_num_queries(SIGNED_IN + 1 + 1 + 2):
        assert client.get(terms_url(bromley, "proposals", proposal.pk)).status_code == 200
    with django_assert_num_queries(SIGNED_IN + 1 + 1 + 2):
        page = client.get(terms_url(bromley, "proposals", proposal.pk, "decision"))
        assert page.status_code == 200
    # the partnership only
    with django_assert_num_queries(SIGNED_IN + 1):
        assert client.get(terms_url(bromley, "propose")).status_code == 200
