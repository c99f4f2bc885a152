"""The pooled budgets' pages on the demo seed: the year-by-year list, setting next year's
budget, revising a year with a reason, refusals, and who may do what."""

from decimal import Decimal

import pytest

from budgets.models import Contribution, PooledBudget
from partnerships.models import FinancialYear, Membership, Organisation

pytestmark = pytest.mark.django_db

LIST = "/partnerships/bromley-oxleas-mh/records/budgets/"
SET = "/partnerships/bromley-oxleas-mh/records/budgets/set/"
REVISE = "/partnerships/bromley-oxleas-mh/records/budgets/2022-23/revise/"


@pytest.fixture
def as_user(client, django_user_model):
    def sign_in(username):
        client.force_login(django_user_model.objects.get(username=username))
        return client

    return sign_in


def ids():
    return {
        o.short_name: o.pk
        for o in Organisation.objects.filter(short_name__in=["LBB", "Oxleas", "SEL ICB"])
    }


def budget_post(year="2023", rule="own", **figures):
    """A form as a commissioner would send it: LBB and Oxleas contributing, the ICB not."""
    org = ids()
    data = {
        "financial_year": year,
        "risk_share_rule": rule,
        "scope": "Adult mental health services",
        "notes": "",
        f"planned_{org['LBB']}": "1,658,873.33",
        f"planned_{org['Oxleas']}": "£16,828,651",
        f"planned_{org['SEL ICB']}": "",
    }
    for key, value in figures.items():
        partner, _, field = key.partition("__")
        pk = org[partner.replace("_", " ")]
        if field.startswith("agreed_"):
            data[f"agreed_{pk}_{field.removeprefix('agreed_')}"] = value
        else:
            data[f"{field}_{pk}"] = value
    return data


def test_commissioner_sets_next_years_budget_and_the_dashboard_shows_it(as_user, bromley):
    client = as_user("commissioner")
    form = client.get(LIST).content.decode()
    assert "Set the budget for 2023/24" in form
    opened = client.get(SET + "?year=2023").content.decode()
    assert 'value="1618413.00"' in opened  # LBB's 2022/23 figure, to change if it moved
    assert "Prefilled from 2022/23&#x27;s planned £1,618,413.00" in opened

    response = client.post(
        SET,
        budget_post(LBB__agreed_day="3", LBB__agreed_month="3", LBB__agreed_year="2023"),
        follow=True,
    )

    assert "The 2023/24 pooled budget is set." in response.content.decode()
    pool = PooledBudget.objects.get(agreement=bromley, financial_year__start_year=2023)
    assert dict(pool.contributions.values_list("partner__short_name", "planned")) == {
        "LBB": Decimal("1658873.33"),
        "Oxleas": Decimal("16828651.00"),
    }
    assert pool.contributions.get(partner__short_name="LBB").agreed_on.isoformat() == "2023-03-03"
    dashboard = client.get("/partnerships/bromley-oxleas-mh/budget/?period=2023/24-Q1")
    page = dashboard.content.decode()
    assert "£18,487,524" in page  # the planned pool of the year just set
    assert "planned pool, 2023/24" in page


def test_the_list_shows_each_partners_planned_contribution_and_share(as_user, bromley):
    page = as_user("jmg.member").get(LIST).content.decode()

    assert "£1,618,413.00" in page
    assert "8.8% of the pool" in page  # LBB's £1.6m of £18.4m
    assert "£18,447,064.00" in page
    assert "Set the budget" not in page  # a JMG member may look, not set
    assert "Revise" not in page


def test_only_commissioners_see_the_link_from_the_budget_dashboard(as_user, bromley):
    link = "Set or revise each year's pooled budget"

    assert (
        link
        in as_user("commissioner").get("/partnerships/bromley-oxleas-mh/budget/").content.decode()
    )
    assert (
        link
        not in as_user("jmg.member").get("/partnerships/bromley-oxleas-mh/budget/").content.decode()
    )


def test_a_jmg_member_may_not_set_or_revise(as_user, bromley):
    client = as_user("jmg.member")

    assert client.get(SET).status_code == 403
    assert client.post(SET, budget_post()).status_code == 403
    assert client.get(REVISE).status_code == 403
    assert not PooledBudget.objects.filter(financial_year__start_year=2023).exists()


def test_an_outsider_gets_not_found(client, bromley, django_user_model, oxfordshire):
    outsider = django_user_model.objects.create_user("outsider")
    Membership.objects.create(user=outsider, agreement=oxfordshire, role="commissioner")
    client.force_login(outsider)

    for url in (LIST, SET, REVISE):
        assert client.get(url).status_code == 404
    assert client.post(SET, budget_post()).status_code == 404


def test_a_year_without_a_budget_has_nothing_to_revise(as_user, bromley):
    client = as_user("commissioner")

    assert (
        client.get("/partnerships/bromley-oxleas-mh/records/budgets/2023-24/revise/").status_code
        == 404
    )
    assert (
        client.get("/partnerships/bromley-oxleas-mh/records/budgets/2023-25/revise/").status_code
        == 404
    )


@pytest.mark.parametrize(
    ("figures", "message"),
    [
        ({"LBB__planned": "-5"}, "LBB&#x27;s planned contribution can&#x27;t be negative"),
        (
            {"LBB__planned": "lots"},
            "Enter LBB&#x27;s planned contribution as a number, like 1618413.50",
        ),
        (
            {"LBB__planned": "12.345"},
            "Enter LBB&#x27;s planned contribution to 2 decimal places at most",
        ),
        (
            {"LBB__agreed_day": "31", "LBB__agreed_month": "2", "LBB__agreed_year": "2023"},
            "The date LBB agreed its contribution must be a real date",
        ),
        (
            {"LBB__agreed_day": "1", "LBB__agreed_month": "1", "LBB__agreed_year": "2027"},
            "The date LBB agreed its contribution must be today or in the past",
        ),
        ({"year": "2030"}, "2030/31 is outside the agreement&#x27;s term"),
        ({"year": "2022"}, "2022/23 already has a pooled budget"),
        (
            {"rule": "fixed", "LBB__share": "10", "Oxleas__share": "80"},
            "The fixed risk shares add up to 90.00%: they must add up to 100.00%",
        ),
        (
            {"rule": "fixed", "LBB__share": "10"},
            "Enter Oxleas&#x27;s fixed risk share, as a percentage",
        ),
    ],
)
def test_bad_input_is_named_in_the_summary_and_by_its_field_and_nothing_is_saved(
    as_user, bromley, figures, message
):
    year, rule = figures.pop("year", "2023"), figures.pop("rule", "own")
    before = (PooledBudget.objects.count(), Contribution.objects.count())

    response = as_user("commissioner").post(SET, budget_post(year=year, rule=rule, **figures))

    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert page.count(message) == 2  # in the error summary and by the field
    assert "<title>Error: " in page
    assert (PooledBudget.objects.count(), Contribution.objects.count()) == before


def test_fixed_shares_that_add_up_are_kept(as_user, bromley):
    response = as_user("commissioner").post(
        SET, budget_post(rule="fixed", LBB__share="8.77", Oxleas__share="91.23")
    )

    assert response.status_code == 302
    pool = PooledBudget.objects.get(agreement=bromley, financial_year__start_year=2023)
    assert dict(pool.contributions.values_list("partner__short_name", "risk_share_percent")) == {
        "LBB": Decimal("8.77"),
        "Oxleas": Decimal("91.23"),
    }


def test_commissioner_revises_a_year_with_a_reason_and_sees_the_history(as_user, bromley):
    client = as_user("commissioner")
    data = budget_post(LBB__planned="1618500.00")
    del data["financial_year"]

    refused = client.post(REVISE, data | {"reason": ""})
    response = client.post(
        REVISE, data | {"reason": "Uplift agreed at JMG, 12 October"}, follow=True
    )

    assert "Say why the budget is being revised" in refused.content.decode()
    page = response.content.decode()
    assert "The 2022/23 pooled budget is revised." in page
    assert PooledBudget.objects.get(
        agreement=bromley, financial_year__start_year=2022
    ).contributions.get(partner__short_name="LBB").planned == Decimal("1618500.00")
    row = page[page.index("LBB&#x27;s planned contribution</td>") :]
    row = row[: row.index("</tr>")]
    assert "£1,618,413.00" in row and "£1,618,500.00" in row
    assert "Uplift agreed at JMG, 12 October" in row
    assert "commissioner" in page[page.index("Changes to the 2022/23 budget") :]


def test_a_revision_that_changes_nothing_saves_nothing(as_user, bromley):
    data = budget_post(LBB__planned="1618413.00", Oxleas__planned="16828651.00")
    del data["financial_year"]
    before = Contribution.history.count()

    response = as_user("commissioner").post(REVISE, data | {"reason": "Checking"})

    assert "Nothing was changed, so nothing was saved" in response.content.decode()
    assert Contribution.history.count() == before


def test_a_revision_cannot_blank_a_partners_contribution(as_user, bromley):
    data = budget_post(LBB__planned="")
    del data["financial_year"]

    response = as_user("commissioner").post(REVISE, data | {"reason": "LBB withdraws"})

    assert (
        response.content.decode().count(
            "Enter LBB&#x27;s planned contribution: enter 0 if it puts nothing in this year"
        )
        == 2
    )


# Query counts: the same however many years, partners' figures and changes there are.

SIGNED_IN = 3  # session, user, memberships


def more_years(agreement, count):
    oxleas, lbb = (
        Organisation.objects.get(short_name="Oxleas"),
        Organisation.objects.get(short_name="LBB"),
    )
    for start_year in range(2005, 2005 + count):
        year, _ = FinancialYear.objects.get_or_create(start_year=start_year)
        pool = PooledBudget.objects.create(agreement=agreement, financial_year=year)
        Contribution.objects.create(pooled_budget=pool, partner=lbb, planned=Decimal(start_year))
        Contribution.objects.create(
            pooled_budget=pool, partner=oxleas, planned=Decimal(2 * start_year)
        )


@pytest.mark.parametrize("extra_years", [0, 8])
def test_list_queries_stay_the_same_as_years_grow(
    as_user, bromley, extra_years, django_assert_num_queries
):
    more_years(bromley, extra_years)
    client = as_user("commissioner")

    with django_assert_num_queries(
        SIGNED_IN + 1 + 3 + 1
    ):  # agreement; budgets, their contributions and pots; partners
        response = client.get(LIST)

    assert response.status_code == 200


@pytest.mark.parametrize("extra_years", [0, 8])
def test_set_form_queries_stay_the_same_as_years_grow(
    as_user, bromley, extra_years, django_assert_num_queries
):
    more_years(bromley, extra_years)
    client = as_user("commissioner")

    # agreement; years taken; partners; the year before and its contributions
    with django_assert_num_queries(SIGNED_IN + 1 + 1 + 1 + 2):
        response = client.get(SET + "?year=2023")

    assert response.status_code == 200


@pytest.mark.parametrize("revisions", [1, 6])
def test_revise_page_queries_stay_the_same_as_history_grows(
    as_user, bromley, revisions, django_assert_num_queries
):
    client = as_user("commissioner")
    data = budget_post()
    del data["financial_year"]
    for number in range(revisions):
        client.post(
            REVISE,
            data
            | {f"planned_{ids()['LBB']}": f"{1618414 + number}.00", "reason": f"Revision {number}"},
        )

    # agreement; the year's budget and contributions; partners; the budget's history and
    # its contributions' history
    # ... and one to tell that the year is one fund of one pot
    with django_assert_num_queries(SIGNED_IN + 1 + 2 + 1 + 2 + 1):
        response = client.get(REVISE)

    assert response.content.decode().count("Revision ") == revisions


def test_a_revision_made_meanwhile_is_not_overwritten(as_user, bromley, django_user_model):
    client = as_user("commissioner")
    opened = client.get(REVISE).content.decode()
    seen = opened.split('name="seen" value="')[1].split('"')[0]
    data = budget_post(LBB__planned="1700000.00")
    del data["financial_year"]
    other = django_user_model.objects.create_user("other.commissioner")
    Membership.objects.create(user=other, agreement=bromley, role="commissioner")
    as_user("other.commissioner").post(
        REVISE, data | {"seen": seen, f"planned_{ids()['Oxleas']}": "17000000", "reason": "First"}
    )

    client = as_user("commissioner")
    response = client.post(REVISE, data | {"seen": seen, "reason": "Second"}, follow=True)

    page = response.content.decode()
    assert "Someone else changed the 2022/23 budget after you opened this page" in page
    pool = PooledBudget.objects.get(agreement=bromley, financial_year__start_year=2022)
    assert pool.contributions.get(partner__short_name="Oxleas").planned == Decimal("17000000.00")
    assert not Contribution.history.filter(history_change_reason="Second").exists()
    assert 'value="17000000.00"' in page  # the form now shows the budget as it stands
