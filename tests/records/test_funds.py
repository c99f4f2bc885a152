"""An agreement running several funds in a year, one of them of several pots, revised in
year with a change and a virement, with agreed percentage shares and a month-9 position
that one partner has not yet reported: written through the product's own actions and read
back from the budget page and its downloads, to the penny."""

import csv
import datetime
import io
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from budgets.actions import record_outturn
from budgets.funds import Change, Move, PotPlan, add_fund, revise_fund, set_agreed_shares
from budgets.models import Contribution, Pot, RevisionChange, Virement
from partnerships.models import Quarter, Role
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
def officer():
    return UserFactory()


@pytest.fixture
def funds(agreement, partners, officer):
    council, trust = partners
    mental_health = add_fund(
        by=officer,
        agreement=agreement,
        start_year=2026,
        name="Mental health",
        pots=[PotPlan("Mental health", {council: D("2000000.00"), trust: D("5204118.39")})],
        agreed_shares={council: D("28.57"), trust: D("71.43")},
    )
    bcf = add_fund(
        by=officer,
        agreement=agreement,
        start_year=2026,
        name="Better Care Fund",
        pots=[
            PotPlan("NHS minimum contribution", {trust: D("3100000.00")}),
            PotPlan("Disabled facilities grant", {council: D("1200000.50")}),
            PotPlan(
                "Council social care",
                {council: D("900000.00")},
                arrangement=Pot.Arrangement.ALIGNED,
            ),
        ],
    )
    return mental_health, bcf


def quarter(number):
    return Quarter.objects.get(financial_year__start_year=2026, number=number)


def test_two_funds_in_one_year_each_with_its_own_pots(agreement, funds):
    _, bcf = funds

    assert list(agreement.pooled_budgets.values_list("name", flat=True)) == [
        "Mental health",
        "Better Care Fund",
    ]
    assert bcf.pots.count() == 3
    assert bcf.contributions.get(pot__name="Disabled facilities grant").planned == D("1200000.50")


def test_a_revision_changes_a_contribution_and_moves_money_between_pots(funds, partners, officer):
    council, trust = partners
    _, bcf = funds
    dfg = bcf.pots.get(name="Disabled facilities grant")
    social_care = bcf.pots.get(name="Council social care")

    revision = revise_fund(
        by=officer,
        fund=bcf,
        made_on=datetime.date(2026, 11, 12),
        reason="Discharge pressures agreed at the JMG",
        changes=[Change(bcf.pots.get(name="NHS minimum contribution"), trust, D("-500000.00"))],
        virements=[Move(council, dfg, social_care, D("200000.25"))],
    )

    by_pot = {c.pot.name: c for c in bcf.contributions.select_related("pot")}
    assert by_pot["NHS minimum contribution"].original == D("3100000.00")
    assert by_pot["NHS minimum contribution"].planned == D("2600000.00")
    assert by_pot["Disabled facilities grant"].planned == D("1000000.25")
    assert by_pot["Council social care"].planned == D("1100000.25")
    assert sum(c.planned for c in by_pot.values()) == D("5200000.50") - D("500000.00")
    assert RevisionChange.objects.get(revision=revision).amount == D("-500000.00")
    assert Virement.objects.get(revision=revision).amount == D("200000.25")
    latest = by_pot["Council social care"].history.first()
    assert latest.history_user == officer
    assert latest.history_change_reason == "Discharge pressures agreed at the JMG"


def test_a_revision_that_would_leave_a_contribution_negative_saves_nothing(
    funds, partners, officer
):
    council, _ = partners
    _, bcf = funds
    dfg = bcf.pots.get(name="Disabled facilities grant")
    social_care = bcf.pots.get(name="Council social care")

    with pytest.raises(
        ValidationError, match=re.escape("Disabled facilities grant would fall to −£0.50")
    ):
        revise_fund(
            by=officer,
            fund=bcf,
            made_on=datetime.date(2026, 11, 12),
            reason="Too much",
            virements=[Move(council, dfg, social_care, D("1200001.00"))],
        )

    assert bcf.revisions.count() == 0
    assert Contribution.objects.get(pot=dfg).planned == D("1200000.50")


def test_agreed_shares_must_add_up_to_100(funds, partners, officer):
    council, trust = partners
    mental_health, _ = funds

    with pytest.raises(ValidationError, match=re.escape("add up to 99.99%")):
        set_agreed_shares(
            by=officer, fund=mental_health, percents={council: D("28.56"), trust: D("71.43")}
        )

    assert {s.percent for s in mental_health.agreed_shares.all()} == {D("28.57"), D("71.43")}


@pytest.fixture
def page(client, agreement):
    user = UserFactory()
    MembershipFactory(user=user, agreement=agreement, role=Role.JMG_MEMBER)
    client.force_login(user)
    return f"/partnerships/{agreement.slug}/budget/?period=2026/27-Q3"


def text(response) -> str:
    assert response.status_code == 200
    return re.sub(r"\s+", " ", response.content.decode())


def test_the_budget_page_shows_every_fund_and_pot_to_the_penny(client, page, funds, officer):
    _, bcf = funds
    revise_fund(
        by=officer,
        fund=bcf,
        made_on=datetime.date(2026, 11, 12),
        reason="Discharge pressures agreed at the JMG",
        virements=[
            Move(
                bcf.pots.get(name="Disabled facilities grant").contributions.get().partner,
                bcf.pots.get(name="Disabled facilities grant"),
                bcf.pots.get(name="Council social care"),
                D("200000.25"),
            )
        ],
    )

    html = text(client.get(page))

    assert "Funds in 2026/27" in html
    assert "£7,204,118.39" in html  # the mental health fund's total, as entered
    assert "£12,404,118.89" in html  # across both funds
    assert "71.43%" in html and "28.57%" in html
    assert "Pots in Better Care Fund" in html
    assert "Aligned (jointly managed, not pooled)" in html
    assert "£200,000.25 of" in html and "moved from Disabled facilities grant to Council" in html


def test_a_month_9_position_with_one_partner_not_yet_reported(
    client, page, funds, partners, officer
):
    council, trust = partners
    mental_health, _ = funds
    by_partner = {c.partner: c for c in mental_health.contributions.all()}
    record_outturn(
        by=officer, contribution=by_partner[council], quarter=quarter(2), forecast=D("2100000")
    )
    record_outturn(
        by=officer, contribution=by_partner[trust], quarter=quarter(2), forecast=D("5204118.39")
    )
    record_outturn(
        by=officer,
        contribution=by_partner[trust],
        quarter=quarter(3),
        month=9,
        forecast=D("5704118.39"),
    )

    html = text(client.get(page))

    assert "2026/27 Q3" in html and "2026/27 Q2" in html
    assert (
        f"excludes {council.short_name} (last reported at 2026/27 Q2): not yet reported at "
        "2026/27 Q3"
    ) in html
    rows = list(
        csv.DictReader(io.StringIO(client.get(page + "&fund1-export=csv").content.decode()))
    )
    trust_row = next(row for row in rows if row["Partner"] == trust.short_name)
    assert trust_row["Forecast outturn"] == "5704118.39"
    assert trust_row["Forecast reported in"] == "2026/27 Q3"
    assert trust_row["Agreed share"] == "71.43"


def paper_of(agreement, quarter_slug="2026/27-Q3", pdf=False) -> str:
    from reports.actions import quarter_of
    from reports.papers import build
    from reports.render import render_html, render_pdf

    html = render_html(build(agreement, "jmg", quarter_of(quarter_slug)))
    if pdf:
        from pypdf import PdfReader

        reader = PdfReader(io.BytesIO(render_pdf(html)))
        return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))
    return re.sub(r"\s+", " ", html).replace("&#x27;", "'")


def test_the_jmg_paper_gives_every_fund_its_pots_and_the_revision(
    agreement, funds, partners, officer
):
    council, trust = partners
    _, bcf = funds
    revise_fund(
        by=officer,
        fund=bcf,
        made_on=datetime.date(2026, 11, 12),
        reason="Discharge pressures agreed at the JMG",
        changes=[Change(bcf.pots.get(name="NHS minimum contribution"), trust, D("-500000.00"))],
        virements=[
            Move(
                council,
                bcf.pots.get(name="Disabled facilities grant"),
                bcf.pots.get(name="Council social care"),
                D("200000.25"),
            )
        ],
    )

    for text in (paper_of(agreement), paper_of(agreement, pdf=True)):
        assert "The agreement runs 2 funds in 2026/27, with a budget of £11,904,119" in text
        assert "set at £12,404,119, then revised" in text
        assert "Better Care Fund: contributions to each pot" in text
        assert "Aligned (jointly managed, not pooled)" in text
        assert "On 12 November 2026 the Better Care Fund budget was revised" in text
        assert f"£200,000 of {council.short_name}'s contribution moved from Disabled" in text
        assert "71.43%" in text and "28.57%" in text
        assert "Amounts are rounded to the nearest pound" in text


@pytest.fixture
def commissioner(client, agreement):
    user = UserFactory()
    MembershipFactory(user=user, agreement=agreement, role=Role.COMMISSIONER)
    client.force_login(user)
    return client


def revise_url(agreement, fund):
    return f"/partnerships/{agreement.slug}/records/budgets/funds/{fund.pk}/revise/"


def revision_post(**fields):
    return {
        "made_on_day": "12",
        "made_on_month": "11",
        "made_on_year": "2026",
        "reason": "Discharge pressures agreed at the JMG",
        "decision": "",
        **fields,
    }


def test_a_commissioner_revises_a_fund_by_form_and_reads_it_back(
    commissioner, agreement, funds, partners
):
    council, trust = partners
    _, bcf = funds
    nhs = bcf.contributions.get(pot__name="NHS minimum contribution")
    dfg, social_care = (
        bcf.pots.get(name="Disabled facilities grant"),
        bcf.pots.get(name="Council social care"),
    )
    form = commissioner.get(revise_url(agreement, bcf)).content.decode()
    assert f"{trust.short_name} into NHS minimum contribution" in form

    response = commissioner.post(
        revise_url(agreement, bcf),
        revision_post(
            **{
                f"change_{nhs.pk}": "-500,000.00",
                "move_1_partner": str(council.pk),
                "move_1_from": str(dfg.pk),
                "move_1_to": str(social_care.pk),
                "move_1_amount": "£200,000.25",
            }
        ),
    )

    assert response.status_code == 302
    page = text(commissioner.get(response["Location"]))
    assert "£2,600,000.00" in page  # the NHS minimum contribution, revised
    assert "£1,100,000.25" in page  # council social care, after the virement in
    assert "£200,000.25 of" in page
    assert "stands at" not in page  # every revised figure is explained by the revision
    rows = list(
        csv.DictReader(
            io.StringIO(
                commissioner.get(
                    f"/partnerships/{agreement.slug}/budget/?period=2026/27-Q3&fund2-pots-export=csv"
                ).content.decode()
            )
        )
    )
    by_pot = {row["Pot"]: row for row in rows}
    assert by_pot["Disabled facilities grant"]["Budget as set"] == "1200000.50"
    assert by_pot["Disabled facilities grant"]["Revised budget"] == "1000000.25"


def test_a_revision_form_with_a_half_given_virement_names_what_is_missing(
    commissioner, agreement, funds, partners
):
    council, _ = partners
    _, bcf = funds

    response = commissioner.post(
        revise_url(agreement, bcf),
        revision_post(move_1_partner=str(council.pk), move_1_amount="10"),
    )

    html = text(response)
    assert "Virement 1: choose the pot it comes from" in html
    assert "Virement 1: choose the pot it goes to" in html
    assert bcf.revisions.count() == 0


def test_a_revision_outside_the_funds_year_is_refused_and_nothing_saved(
    commissioner, agreement, funds
):
    _, bcf = funds
    nhs = bcf.contributions.get(pot__name="NHS minimum contribution")

    response = commissioner.post(
        revise_url(agreement, bcf),
        revision_post(made_on_year="2025", **{f"change_{nhs.pk}": "100"}),
    )

    assert "A revision of the 2026/27 budget is made within 2026/27" in text(response)
    assert bcf.revisions.count() == 0
    assert Contribution.objects.get(pk=nhs.pk).planned == D("3100000.00")


def queries_for(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_budget_and_revision_pages_read_the_same_number_of_queries_however_many_funds(
    commissioner, agreement, funds, partners, officer
):
    council, trust = partners
    page = f"/partnerships/{agreement.slug}/budget/?period=2026/27-Q3"
    before = queries_for(commissioner, page)
    revise_before = queries_for(commissioner, revise_url(agreement, funds[1]))

    add_fund(
        by=officer,
        agreement=agreement,
        start_year=2026,
        name="Integrated community equipment",
        pots=[
            PotPlan("Equipment", {council: D("800000.00"), trust: D("200000.00")}),
            PotPlan("Minor adaptations", {council: D("90000.00")}),
        ],
        agreed_shares={council: D("80.00"), trust: D("20.00")},
    )

    assert queries_for(commissioner, page) == before
    assert queries_for(commissioner, revise_url(agreement, funds[1])) == revise_before


def test_a_figure_changed_without_a_revision_is_flagged_to_the_commissioner(
    commissioner, agreement, funds
):
    dfg = funds[1].contributions.get(pot__name="Disabled facilities grant")
    Contribution.objects.filter(pk=dfg.pk).update(planned=D("1250000.50"))  # as the admin might

    html = text(commissioner.get(f"/partnerships/{agreement.slug}/budget/?period=2026/27-Q3"))

    assert (
        f"{dfg.partner.short_name}'s contribution to Disabled facilities grant (Better Care "
        "Fund, 2026/27) stands at £1,250,000.50, but the budget as set and its recorded "
        "revisions give £1,200,000.50"
    ) in html.replace("&#x27;", "'")


def test_home_flags_an_overspend_at_the_latest_month_without_mixing_in_an_older_forecast(
    client, page, funds, partners, officer
):
    council, trust = partners
    mental_health, _ = funds
    by_partner = {c.partner: c for c in mental_health.contributions.all()}
    record_outturn(
        by=officer, contribution=by_partner[council], quarter=quarter(2), forecast=D("1000000")
    )
    record_outturn(
        by=officer,
        contribution=by_partner[trust],
        quarter=quarter(3),
        month=9,
        forecast=D("5704118.39"),
    )

    html = text(client.get("/"))

    # The council's £1,000,000 underspend at Q2 is not netted off the trust's month-9
    # figure; the Better Care Fund, where nobody has reported, is left out too.
    assert (
        f"Forecast overspend of £500,000 (excludes {council.short_name} and "
        f"{trust.short_name}: not reported; and {council.short_name} (last reported at "
        "2026/27 Q2): not yet reported at the latest month)"
    ) in html


def test_compare_gives_the_year_across_every_fund_as_the_budget_page_totals_it(client, page, funds):
    html = text(client.get(page))
    assert "£12,404,118.89" in html  # the total, all funds

    compare = text(client.get("/compare/"))

    assert "£12,404,118.89 (2 funds; £900,000 aligned)" in compare  # to the penny


def test_a_fixed_risk_share_is_borne_as_the_agreed_shares_say(
    client, page, agreement, partners, officer
):
    council, trust = partners
    fund = add_fund(
        by=officer,
        agreement=agreement,
        start_year=2026,
        name="Equipment",
        pots=[PotPlan("Equipment", {council: D("600000.00"), trust: D("400000.00")})],
        risk_share_rule="fixed",
        agreed_shares={council: D("71.43"), trust: D("28.57")},
    )
    by_partner = {c.partner: c for c in fund.contributions.all()}
    record_outturn(
        by=officer, contribution=by_partner[council], quarter=quarter(3), forecast=D("650000")
    )
    record_outturn(
        by=officer, contribution=by_partner[trust], quarter=quarter(3), forecast=D("450000")
    )

    rows = list(
        csv.DictReader(io.StringIO(client.get(page + "&fund1-export=csv").content.decode()))
    )

    # £100,000.00 over: the council bears 71.43% of it, the trust 28.57%.
    bears = {row["Partner"]: row["Bears of the variance"] for row in rows}
    assert bears == {council.short_name: "71430.00", trust.short_name: "28570.00"}
