"""The year's budget through the quarterly return's file: set at the start of a year,
revised during it with a decision, a virement between pots, a fund of several pots added,
agreed shares to two decimal places, to the penny; refused with row, column and figure
where it can't be taken, and nothing half-saved."""

import csv
import datetime
import io
import re
from decimal import Decimal
from pathlib import Path

import pytest
from pypdf import PdfReader

from budgets.funds import PotPlan, add_fund, year_with_quarters
from budgets.models import AgreedShare, BudgetRevision, Contribution, RevisionChange, Virement
from partnerships.models import Agreement, Quarter, Role
from reports.actions import quarter_of
from reports.papers import build
from reports.render import render_html, render_pdf
from returns.actions import apply_return_changes
from returns.file import read_return, template_bytes, template_rows
from tests.factories import AgreementFactory, DecisionFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

D = Decimal
HEADER = "partnership,period,section,item,measure,value\n"


@pytest.fixture
def agreement():
    year_with_quarters(2026)
    return AgreementFactory()  # 1 April 2020 to 31 March 2027


@pytest.fixture
def names(agreement):
    council, trust = (p.organisation for p in agreement.partners.order_by("-is_host"))
    return council.short_name, trust.short_name


@pytest.fixture
def officer():
    return UserFactory()


def upload(agreement, period: str, *rows: str, by=None):
    """Read a return file of these rows; save it if it has no problems. Returns the
    problems, as the page and the command list them."""
    content = HEADER + "".join(f"{agreement.slug},{period},{row}\n" for row in rows)
    result = read_return(content.encode(), "return.csv", within=Agreement.objects.all())
    if not result.problems:
        apply_return_changes(
            by=by or UserFactory(),
            agreement=result.agreement,
            quarter=result.quarter,
            changes=result.changes,
            lookups=result.lookups,
        )
    return [str(problem) for problem in result.problems]


def budget_of(agreement, item_filter=None):
    return {
        (c.pooled_budget.name, c.pot.name, c.partner.short_name): (c.original, c.planned)
        for c in Contribution.objects.filter(pooled_budget__agreement=agreement).select_related(
            "pooled_budget", "pot", "partner"
        )
    }


def test_a_year_with_no_budget_is_set_from_the_template_to_the_penny(agreement, names, officer):
    council, trust = names
    quarter = Quarter.objects.get(financial_year__start_year=2026, number=1)
    rows = [r for r in template_rows(agreement, quarter) if r["section"] == "budget"]
    assert [(r["item"], r["measure"], r["value"]) for r in rows] == [
        (name, measure, "")
        for measure in ("budget", "agreed_share")
        for name in sorted([council, trust])
    ]

    problems = upload(
        agreement,
        "2026/27-Q1",
        f'budget,{council},budget,"2,000,000.00"',
        f"budget,{trust},budget,7204118.39",
        f"budget,{council},agreed_share,28.57",
        f"budget,{trust},agreed_share,71.43",
        by=officer,
    )

    assert problems == []
    assert budget_of(agreement) == {
        ("Pooled budget", "Pooled budget", council): (D("2000000.00"), D("2000000.00")),
        ("Pooled budget", "Pooled budget", trust): (D("7204118.39"), D("7204118.39")),
    }
    shares = {s.partner.short_name: s.percent for s in AgreedShare.objects.all()}
    assert shares == {council: D("28.57"), trust: D("71.43")}
    contribution = Contribution.objects.get(partner__short_name=trust)
    assert contribution.history.latest().history_user == officer
    assert not BudgetRevision.objects.exists()  # the budget as set is no revision


def test_the_template_of_a_set_budget_uploaded_unchanged_changes_nothing(agreement, names):
    council, trust = names
    upload(agreement, "2026/27-Q1", f"budget,{council},budget,100.10", f"budget,{trust},budget,5")
    quarter = Quarter.objects.get(financial_year__start_year=2026, number=2)
    content = template_bytes(template_rows(agreement, quarter), xlsx=True)

    result = read_return(content, "return.xlsx", within=Agreement.objects.all())

    assert result.problems == []
    assert [c for c in result.changes if c.kind != "unchanged"] == []
    planned = {c.item: c.value for c in result.changes if c.measure == "budget"}
    assert planned == {council: D("100.10"), trust: D("5.00")}


def test_a_revision_needs_its_reason_and_is_saved_with_its_decision(agreement, names, officer):
    council, trust = names
    upload(
        agreement, "2026/27-Q1", f"budget,{council},budget,1000.00", f"budget,{trust},budget,500"
    )
    decision = DecisionFactory(agreement=agreement, reference="EX/2026/14", body="Executive")

    refused = upload(agreement, "2026/27-Q2", f"budget,{trust},budget,750.25")

    assert refused == [
        f"Row 2, column measure ({trust} budget) 'budget': revises a budget already set: "
        "give the revision's reason (a row with item revision, measure reason)."
    ]
    assert budget_of(agreement)[("Pooled budget", "Pooled budget", trust)] == (D(500), D(500))

    problems = upload(
        agreement,
        "2026/27-Q2",
        f"budget,{trust},budget,750.25",
        "budget,revision,reason,Winter pressures agreed by both partners",
        "budget,revision,made_on,15/09/2026",
        "budget,revision,decision,ex/2026/14",
        by=officer,
    )

    assert problems == []
    assert budget_of(agreement)[("Pooled budget", "Pooled budget", trust)] == (D(500), D("750.25"))
    revision = BudgetRevision.objects.get()
    assert (revision.made_on, revision.decision, revision.reason) == (
        datetime.date(2026, 9, 15),
        decision,
        "Winter pressures agreed by both partners",
    )
    assert [c.amount for c in RevisionChange.objects.all()] == [D("250.25")]


@pytest.fixture
def bcf(agreement, officer):
    council, trust = (p.organisation for p in agreement.partners.order_by("-is_host"))
    return add_fund(
        by=officer,
        agreement=agreement,
        start_year=2026,
        name="Better Care Fund",
        pots=[
            PotPlan("Discharge funding", {council: D("300000.00"), trust: D("100000.00")}),
            PotPlan("Disabled facilities grant", {council: D("1200000.50")}),
        ],
    )


def test_a_virement_moves_money_between_pots_and_is_taken_once(agreement, names, bcf, officer):
    council, _ = names
    rows = (
        f"budget,Better Care Fund / Discharge funding / {council},budget,250000.00",
        f"budget,Better Care Fund / Disabled facilities grant / {council},budget,1250000.50",
        f"budget,Better Care Fund / Discharge funding -> Disabled facilities grant / {council},"
        "virement,50000",
        "budget,revision,reason,Adaptations backlog",
        "budget,revision,made_on,2026-10-01",
    )

    assert upload(agreement, "2026/27-Q3", *rows, by=officer) == []
    assert upload(agreement, "2026/27-Q3", *rows, by=officer) == []  # the same file again

    virement = Virement.objects.get()
    assert (virement.from_pot.name, virement.to_pot.name, virement.amount) == (
        "Discharge funding",
        "Disabled facilities grant",
        D("50000.00"),
    )
    assert not RevisionChange.objects.exists()  # the move alone: no other change
    assert BudgetRevision.objects.count() == 1
    budgets = budget_of(agreement)
    assert budgets[("Better Care Fund", "Discharge funding", council)][1] == D("250000.00")
    assert budgets[("Better Care Fund", "Disabled facilities grant", council)][1] == D("1250000.50")


def test_a_virement_whose_pots_are_not_given_as_they_stand_after_it_is_refused(
    agreement, names, bcf
):
    council, _ = names
    problems = upload(
        agreement,
        "2026/27-Q3",
        f"budget,Better Care Fund / Discharge funding -> Disabled facilities grant / {council},"
        "virement,50000",
        "budget,revision,reason,Adaptations backlog",
    )

    assert len(problems) == 2
    assert problems[0].startswith("Row 2, column measure")
    assert f"so {council}'s budget for Discharge funding changes too" in problems[0]
    assert not Virement.objects.exists()


def test_a_new_fund_of_several_pots_is_set_by_file_beside_one_already_set(agreement, names, bcf):
    council, trust = names
    problems = upload(
        agreement,
        "2026/27-Q3",
        f"budget,Integrated care / Pooled / {council},budget,7204118.39",
        f"budget,Integrated care / Pooled aligned / {trust},budget,300.01",
        f"budget,Integrated care / {council},agreed_share,71.43",
        f"budget,Integrated care / {trust},agreed_share,28.57",
    )

    assert problems == []
    budgets = budget_of(agreement)
    assert budgets[("Integrated care", "Pooled", council)] == (D("7204118.39"),) * 2
    assert budgets[("Integrated care", "Pooled aligned", trust)] == (D("300.01"),) * 2
    assert not BudgetRevision.objects.exists()


def test_agreed_shares_that_do_not_add_up_to_100_are_refused_naming_each(agreement, names, bcf):
    council, trust = names
    problems = upload(
        agreement,
        "2026/27-Q3",
        f"budget,Better Care Fund / {council},agreed_share,71.43",
        f"budget,Better Care Fund / {trust},agreed_share,28.56",
    )

    assert problems == [
        f"Row {n}, column measure (Better Care Fund / {who} agreed share) 'agreed_share': "
        "makes the agreed shares of Better Care Fund add up to 99.99%: they must add up to "
        "100.00%."
        for n, who in ((2, council), (3, trust))
    ]
    assert not AgreedShare.objects.exists()


@pytest.mark.parametrize(
    ("row", "says"),
    [
        ("budget,Better Care Fund / Nowhere -> Discharge funding / {council},virement,5",
         "column item"),
        ("budget,{council},budget,10", "several funds or pots: give Fund / Pot / Partner"),
        ("budget,Better Care Fund / Discharge funding / Nobody,budget,10", "a partner of"),
        ("budget,Better Care Fund / Discharge funding / {council},budget,-1", "can't be below"),
        ("budget,revision,made_on,2027-04-01", "a day within 2026/27"),
        ("budget,revision,decision,NOPE", "a decision about this agreement"),
    ],
)  # fmt: skip
def test_each_bad_budget_row_is_named(agreement, names, bcf, row, says):
    council, _ = names
    problems = upload(agreement, "2026/27-Q3", row.format(council=council))

    assert len(problems) == 1
    assert problems[0].startswith("Row 2, column")
    assert says in problems[0]


EXAMPLE = (
    Path(__file__).resolve().parents[2]
    / "fixtures/examples/return-riverside-integrated-care-illustrative-2026-27-Q3-budget.csv"
)


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text).replace("&#x27;", "'")


def test_the_example_revision_is_read_back_from_the_page_the_export_and_the_paper(client):
    riverside = Agreement.objects.get(slug="riverside-integrated-care-illustrative")
    commissioner = riverside.memberships.get(role=Role.COMMISSIONER).user
    result = read_return(EXAMPLE.read_bytes(), EXAMPLE.name, within=Agreement.objects.all())
    assert result.problems == []
    apply_return_changes(
        by=commissioner,
        agreement=result.agreement,
        quarter=result.quarter,
        changes=result.changes,
        lookups=result.lookups,
    )
    carers = riverside.pooled_budgets.get(name="Carers' services", financial_year__start_year=2026)
    revision = carers.revisions.get()
    assert revision.made_on == datetime.date(2026, 11, 26)
    assert revision.changes.get().amount == D("12500.00")
    bcf = riverside.pooled_budgets.get(name="Better Care Fund", financial_year__start_year=2026)
    assert bcf.revisions.get(made_on=datetime.date(2026, 11, 26)).virements.get().amount == D(
        "25000.00"
    )

    client.force_login(commissioner)
    page = f"/partnerships/{riverside.slug}/budget/?period=2026/27-Q3"
    html = flat(client.get(page).content.decode())
    assert "£410,720.17" in html  # the council's carers' contribution as revised
    assert "£398,220.17" in html  # and as set
    assert "49.11%" in html and "50.89%" in html
    assert "£25,000.00 of" in html
    exported = client.get(page + "&fund2-export=csv").content.decode()
    row = next(r for r in csv.DictReader(io.StringIO(exported)) if r["Partner"] == "RC")
    assert (row["Budget as set"], row["Revised budget"], row["Agreed share"]) == (
        "398220.17",
        "410720.17",
        "49.11",
    )
    paper = render_html(build(riverside, "jmg", quarter_of("2026/27-Q3")))
    pdf = PdfReader(io.BytesIO(render_pdf(paper)))
    for text in (flat(paper), flat(" ".join(p.extract_text() for p in pdf.pages))):
        assert "410,720" in text
        assert "49.11%" in text
        assert "winter pressures" in text.lower()


def test_a_month_8_position_is_given_by_file_beside_the_quarters(agreement, names, client):
    council, trust = names
    upload(
        agreement, "2026/27-Q1", f"budget,{council},budget,1000.00", f"budget,{trust},budget,500"
    )
    problems = upload(
        agreement,
        "2026/27-Q3",
        f"contribution,{trust},2026-11:forecast,612.34",
        f"contribution,{trust},2026-11:actual_to_date,400.01",
    )
    assert problems == []
    assert upload(agreement, "2026/27-Q3", f"contribution,{trust},2027-01:forecast,1") == [
        "Row 2, column measure '2027-01:forecast': should be forecast or actual_to_date, "
        "for a month of the quarter given first (2026-10, 2026-11, 2026-12), such as "
        "2026-10:forecast."
    ]

    quarter = Quarter.objects.get(financial_year__start_year=2026, number=3)
    rows = {(r["item"], r["measure"]): r["value"] for r in template_rows(agreement, quarter)}
    assert rows[(trust, "2026-11:forecast")] == "612.34"
    assert rows[(trust, "forecast")] == ""  # the quarter's own position is still to give

    user = UserFactory()
    MembershipFactory(user=user, agreement=agreement, role=Role.JMG_MEMBER)
    client.force_login(user)
    html = flat(
        client.get(f"/partnerships/{agreement.slug}/budget/?period=2026/27-Q3").content.decode()
    )
    assert "£612" in html and "month 8 (November 2026)" in html
    exported = client.get(
        f"/partnerships/{agreement.slug}/budget/?period=2026/27-Q3&fund1-export=csv"
    ).content.decode()
    row = next(r for r in csv.DictReader(io.StringIO(exported)) if r["Partner"] == trust)
    assert (row["Forecast outturn"], row["Forecast reported in"]) == (
        "612.34",
        "2026/27 month 8 (November 2026)",
    )
    paper = render_html(build(agreement, "jmg", quarter_of("2026/27-Q3")))
    pdf = PdfReader(io.BytesIO(render_pdf(paper)))
    for text in (flat(paper), flat(" ".join(p.extract_text() for p in pdf.pages))):
        assert "month 8 (November 2026)" in text


@pytest.fixture
def commissioner(client, agreement):
    user = UserFactory()
    MembershipFactory(user=user, agreement=agreement, role=Role.COMMISSIONER)
    client.force_login(user)
    return client


def section_url(agreement, period: str, section: str) -> str:
    return f"/partnerships/{agreement.slug}/returns/{period}/sections/{section}/"


def test_a_commissioner_sets_the_years_budget_on_the_task_list(commissioner, agreement, names):
    council, trust = names
    url = section_url(agreement, "2026-27-Q1", "budget")
    form = commissioner.get(url).content.decode()
    assert f"{council} budget" in form and f"{trust} agreed share" in form

    refused = commissioner.post(
        url,
        {
            f"figure:budget:{council}:budget": "£2,000,000.00",
            f"figure:budget:{trust}:budget": "7204118.39",
            f"figure:budget:{council}:agreed_share": "28.57",
            f"figure:budget:{trust}:agreed_share": "71.42",
            "state": "completed",
            "version": "1",
        },
    )
    assert "they must add up to 100.00%" in flat(refused.content.decode())
    assert not Contribution.objects.filter(pooled_budget__agreement=agreement).exists()

    saved = commissioner.post(
        url,
        {
            f"figure:budget:{council}:budget": "£2,000,000.00",
            f"figure:budget:{trust}:budget": "7204118.39",
            f"figure:budget:{council}:agreed_share": "28.57",
            f"figure:budget:{trust}:agreed_share": "71.43",
            "state": "completed",
            "version": "1",
        },
    )
    assert saved.status_code == 302
    page = flat(
        commissioner.get(
            f"/partnerships/{agreement.slug}/budget/?period=2026/27-Q1"
        ).content.decode()
    )
    assert "£7,204,118.39" in page and "71.43%" in page


def test_a_commissioner_gives_a_month_8_position_on_the_task_list(commissioner, agreement, names):
    council, trust = names
    upload(
        agreement, "2026/27-Q1", f"budget,{council},budget,1000.00", f"budget,{trust},budget,500"
    )
    url = section_url(agreement, "2026-27-Q3", "contribution")
    form = commissioner.get(url).content.decode()
    assert f"{trust} forecast outturn, month 8 (November 2026)" in form

    saved = commissioner.post(
        url,
        {
            f"figure:contribution:{trust}:2026-11:forecast": "612.34",
            "state": "in_progress",
            "version": "1",
        },
    )

    assert saved.status_code == 302
    page = flat(
        commissioner.get(
            f"/partnerships/{agreement.slug}/budget/?period=2026/27-Q3"
        ).content.decode()
    )
    assert "month 8 (November 2026)" in page
