"""A commissioner adds a fund of several pots and sets its agreed shares through the records
pages, and reads them back from the budget page to the penny; bad input is named in the
error summary and nothing is saved; only the partnership's commissioners may do either."""

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from budgets.funds import PotPlan, add_fund
from budgets.models import AgreedShare, Contribution, PooledBudget, Pot
from partnerships.models import Role
from tests.factories import AgreementFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

D = Decimal


@pytest.fixture
def agreement():
    return AgreementFactory()  # 1 April 2020 to 31 March 2027


@pytest.fixture
def partners(agreement):
    council, trust = (p.organisation for p in agreement.partners.order_by("-is_host"))
    return council, trust


@pytest.fixture
def commissioner(client, agreement):
    user = UserFactory()
    MembershipFactory(user=user, agreement=agreement, role=Role.COMMISSIONER)
    client.force_login(user)
    return client


def add_url(agreement):
    return f"/partnerships/{agreement.slug}/records/budgets/funds/add/"


def shares_url(agreement, fund):
    return f"/partnerships/{agreement.slug}/records/budgets/funds/{fund.pk}/shares/"


def budget_page(agreement):
    return f"/partnerships/{agreement.slug}/budget/?period=2026/27-Q3"


def text(response) -> str:
    assert response.status_code == 200
    return re.sub(r"\s+", " ", response.content.decode()).replace("&#x27;", "'")


def fund_post(partners, **fields):
    """Two pots, the second aligned, with pennies, and agreed shares of 71.43/28.57."""
    council, trust = partners
    return {
        "financial_year": "2026",
        "name": "Better Care Fund",
        "scope": "Adults and older people",
        "risk_share_rule": "proportional",
        "pot_1_name": "NHS minimum contribution",
        "pot_1_arrangement": "pooled",
        f"pot_1_{council.pk}": "£1,000,000.01",
        f"pot_1_{trust.pk}": "3,100,000.49",
        "pot_2_name": "Council social care",
        "pot_2_arrangement": "aligned",
        f"pot_2_{council.pk}": "900,000.50",
        f"pot_2_{trust.pk}": "",
        f"share_{council.pk}": "28.57",
        f"share_{trust.pk}": "71.43%",
        **fields,
    }


@pytest.fixture
def mental_health(agreement, partners):
    council, trust = partners
    return add_fund(
        by=UserFactory(),
        agreement=agreement,
        start_year=2026,
        name="Mental health",
        pots=[PotPlan("Mental health", {council: D("2000000.00"), trust: D("5204118.39")})],
    )


def test_a_commissioner_adds_a_fund_of_two_pots_and_reads_it_back_to_the_penny(
    commissioner, agreement, partners, mental_health
):
    council, trust = partners
    form = text(commissioner.get(add_url(agreement)))
    assert "Pot 6" in form and f"{trust.short_name}'s contribution" in form
    assert '<option value="2026" selected>2026/27</option>' in form  # today's year

    response = commissioner.post(add_url(agreement), fund_post(partners))

    assert response.status_code == 302
    assert response["Location"] == budget_page(agreement)
    fund = PooledBudget.objects.get(agreement=agreement, name="Better Care Fund")
    by_pot = {
        (c.pot.name, c.partner): c for c in fund.contributions.select_related("pot", "partner")
    }
    assert by_pot[("NHS minimum contribution", council)].original == D("1000000.01")
    assert by_pot[("NHS minimum contribution", trust)].planned == D("3100000.49")
    assert by_pot[("Council social care", council)].planned == D("900000.50")
    assert len(by_pot) == 3  # the trust's blank box is no contribution
    assert fund.pots.get(name="Council social care").arrangement == Pot.Arrangement.ALIGNED
    assert fund.scope == "Adults and older people"
    html = text(commissioner.get(response["Location"]))
    assert "Better Care Fund 2026/27 is added." in html
    assert "Pots in Better Care Fund" in html
    assert "£5,000,001.00" in html  # the new fund: 1,000,000.01 + 3,100,000.49 + 900,000.50
    assert "£12,204,119.39" in html  # with the mental health fund's 7,204,118.39
    assert "£900,000.50" in html
    assert "Aligned (jointly managed, not pooled)" in html
    assert "71.43%" in html and "28.57%" in html
    assert "Agreed shares of Better Care Fund" in html
    listed = text(commissioner.get(f"/partnerships/{agreement.slug}/records/budgets/"))
    assert f'href="{add_url(agreement)}"' in listed
    assert f'href="{shares_url(agreement, fund)}"' in listed


def test_a_fund_added_by_form_is_in_the_export_and_the_jmg_paper_to_the_penny(
    commissioner, agreement, partners, mental_health
):
    import csv
    import io

    from pypdf import PdfReader

    from reports.actions import quarter_of
    from reports.papers import build
    from reports.render import render_html, render_pdf

    council, _ = partners
    commissioner.post(add_url(agreement), fund_post(partners))

    exported = commissioner.get(budget_page(agreement) + "&fund2-export=csv").content.decode()
    rows = {row["Partner"]: row for row in csv.DictReader(io.StringIO(exported))}
    assert rows[council.short_name]["Planned"] == "1900000.51"  # both its pots
    assert rows[council.short_name]["Agreed share"] == "28.57"
    paper = render_html(build(agreement, "jmg", quarter_of("2026/27-Q3")))
    pdf = PdfReader(io.BytesIO(render_pdf(paper)))
    for shown in (
        re.sub(r"\s+", " ", paper).replace("&#x27;", "'"),
        re.sub(r"\s+", " ", " ".join(page.extract_text() for page in pdf.pages)),
    ):
        assert "Better Care Fund" in shown and "Council social care" in shown
        assert "900,000.50" in shown or "900,001" in shown  # to the penny, or rounded and said
        assert "28.57%" in shown


def refused(commissioner, agreement, post) -> str:
    before = (
        PooledBudget.objects.count(),
        Pot.objects.count(),
        Contribution.objects.count(),
        AgreedShare.objects.count(),
    )
    html = text(commissioner.post(add_url(agreement), post))
    assert "There is a problem" in html
    after = (
        PooledBudget.objects.count(),
        Pot.objects.count(),
        Contribution.objects.count(),
        AgreedShare.objects.count(),
    )
    assert after == before
    return html


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {"pot_2_{council}": "-5"},
            "Pot 2: {short}'s contribution can't be negative",
        ),
        (
            {"pot_2_{council}": "900,000.505"},
            "Pot 2: {short}'s contribution should be to the penny (2 decimal places at most)",
        ),
        (
            {"pot_2_{council}": "lots"},
            "Pot 2: {short}'s contribution should be an amount in pounds, like 250,000.00",
        ),
        (
            {"share_{council}": "28.56"},
            "The agreed shares add up to 99.99%: they must add up to exactly 100.00%",
        ),
        (
            {"share_{council}": "28.567"},
            "{short}'s agreed share should be to 2 decimal places at most",
        ),
        (
            {"pot_2_name": "nhs minimum contribution"},
            "Pot 2: pot 1 is already called nhs minimum contribution: give each pot its own name",
        ),
        ({"pot_2_name": ""}, "Pot 2: enter the pot's name"),
        ({"name": ""}, "Enter the fund's name"),
        ({"financial_year": "2027"}, "Choose a financial year of the agreement's term"),
        (
            {"pot_1_{council}": "", "pot_2_name": "", "pot_2_{council}": ""},
            "{short} puts nothing into the fund: leave its agreed share blank",
        ),
    ],
)
def test_bad_input_is_named_and_nothing_is_saved(
    commissioner, agreement, partners, change, message
):
    council, _ = partners
    post = fund_post(partners)
    post |= {key.format(council=council.pk): value for key, value in change.items()}

    html = refused(commissioner, agreement, post)

    assert message.format(short=council.short_name) in html
    assert 'class="govuk-error-summary"' in html


def test_a_fund_name_the_year_already_has_is_refused_by_the_action_and_named(
    commissioner, agreement, partners, mental_health
):
    html = refused(commissioner, agreement, fund_post(partners, name="Mental health"))

    assert "already has a fund called Mental health in 2026/27" in html
    assert '<a href="#id_name">' in html  # the summary links to the name box


def test_a_member_who_is_not_a_commissioner_may_not_add_a_fund_or_set_shares(
    client, agreement, partners, mental_health
):
    member = UserFactory()
    MembershipFactory(user=member, agreement=agreement, role=Role.JMG_MEMBER)
    client.force_login(member)

    assert client.get(add_url(agreement)).status_code == 403
    assert client.post(add_url(agreement), fund_post(partners)).status_code == 403
    assert client.get(shares_url(agreement, mental_health)).status_code == 403
    assert not agreement.pooled_budgets.filter(name="Better Care Fund").exists()

    outsider = UserFactory()
    MembershipFactory(user=outsider, agreement=AgreementFactory(), role=Role.COMMISSIONER)
    client.force_login(outsider)
    assert client.get(add_url(agreement)).status_code == 404
    assert client.get(shares_url(agreement, mental_health)).status_code == 404


def test_a_fund_of_another_partnership_is_not_found(commissioner, agreement, partners):
    elsewhere = AgreementFactory()
    theirs = add_fund(
        by=UserFactory(),
        agreement=elsewhere,
        start_year=2026,
        name="Theirs",
        pots=[PotPlan("Theirs", {p.organisation: D(1) for p in elsewhere.partners.all()})],
    )

    assert commissioner.get(shares_url(agreement, theirs)).status_code == 404


def test_the_agreed_shares_page_sets_changes_and_clears_a_funds_shares(
    commissioner, agreement, partners, mental_health
):
    council, trust = partners
    url = shares_url(agreement, mental_health)
    assert f"{council.short_name}'s agreed share" in text(commissioner.get(url))

    response = commissioner.post(
        url, {f"share_{council.pk}": "28.57", f"share_{trust.pk}": "71.43"}
    )

    assert response.status_code == 302
    html = text(commissioner.get(response["Location"]))
    assert "The agreed shares of Mental health 2026/27 are saved." in html
    assert "71.43%" in html and "28.57%" in html
    form = text(commissioner.get(url))
    assert 'value="71.43"' in form and 'value="28.57"' in form  # prefilled

    html = text(
        commissioner.post(url, {f"share_{council.pk}": "28.57", f"share_{trust.pk}": "71.42"})
    )
    assert "The agreed shares add up to 99.99%: they must add up to exactly 100.00%" in html
    assert {s.percent for s in mental_health.agreed_shares.all()} == {D("28.57"), D("71.43")}

    response = commissioner.post(url, {f"share_{council.pk}": "", f"share_{trust.pk}": ""})

    assert response.status_code == 302
    assert "are cleared" in text(commissioner.get(response["Location"]))
    assert not mental_health.agreed_shares.exists()
    history = AgreedShare.history.filter(pooled_budget_id=mental_health.pk)
    assert {h.history_type for h in history} == {"+", "-"}  # set, then cleared: both kept


def queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_new_pages_read_the_same_number_of_queries_however_many_funds(
    commissioner, agreement, partners, mental_health
):
    council, trust = partners
    add_before = queries_for(commissioner, add_url(agreement))
    shares_before = queries_for(commissioner, shares_url(agreement, mental_health))

    for name in ("Better Care Fund", "Integrated community equipment"):
        add_fund(
            by=UserFactory(),
            agreement=agreement,
            start_year=2026,
            name=name,
            pots=[
                PotPlan("First", {council: D("800000.00"), trust: D("200000.00")}),
                PotPlan("Second", {council: D("90000.00")}),
            ],
            agreed_shares={council: D("80.00"), trust: D("20.00")},
        )

    assert queries_for(commissioner, add_url(agreement)) == add_before
    assert queries_for(commissioner, shares_url(agreement, mental_health)) == shares_before
