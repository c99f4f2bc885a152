"""Setting and revising a year's pooled budget: all or nothing, with history and reasons."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from budgets.history import budget_changes
from budgets.models import Contribution, PooledBudget
from partnerships.models import Quarter
from records.actions.budgets import (
    PlannedContribution,
    revise_pooled_budget,
    set_pooled_budget,
)
from tests.factories import (
    AgreementFactory,
    ContributionFactory,
    CouncilFactory,
    PooledBudgetFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def agreement():
    return AgreementFactory()  # 1 April 2020 to 31 March 2027: 2020/21 to 2026/27


def partners(agreement):
    council, trust = (p.organisation for p in agreement.partners.order_by("-is_host"))
    return council, trust


def plan(agreement, council_amount="100.00", trust_amount="300.00", **shares):
    council, trust = partners(agreement)
    return [
        PlannedContribution(council, Decimal(council_amount), shares.get("council")),
        PlannedContribution(trust, Decimal(trust_amount), shares.get("trust")),
    ]


def set_year(agreement, by, start_year=2024, rule="proportional", contributions=None):
    return set_pooled_budget(
        by=by,
        agreement=agreement,
        start_year=start_year,
        risk_share_rule=rule,
        scope="Adults of working age",
        notes="",
        contributions=contributions or plan(agreement),
    )


def test_set_writes_the_budget_and_every_contribution_with_who(agreement):
    commissioner = UserFactory()

    pool = set_year(agreement, commissioner)

    assert pool.financial_year.start_year == 2024
    assert sorted(pool.contributions.values_list("planned", flat=True)) == [
        Decimal("100.00"),
        Decimal("300.00"),
    ]
    assert {row.history_user for row in Contribution.history.all()} == {commissioner}
    assert PooledBudget.history.get().history_user == commissioner
    assert Quarter.objects.filter(financial_year=pool.financial_year).count() == 4


def test_set_refuses_a_year_outside_the_term(agreement):
    with pytest.raises(ValidationError) as refused:
        set_year(agreement, UserFactory(), start_year=2027)

    assert (
        "2027/28 is outside the agreement's term" in refused.value.message_dict["financial_year"][0]
    )
    assert not PooledBudget.objects.exists()


def test_set_refuses_a_year_that_has_a_budget(agreement):
    PooledBudgetFactory(agreement=agreement, financial_year__start_year=2024)

    with pytest.raises(ValidationError) as refused:
        set_year(agreement, UserFactory())

    assert "2024/25 already has a pooled budget" in refused.value.message_dict["financial_year"][0]
    assert PooledBudget.objects.count() == 1


def test_set_refuses_fixed_shares_that_do_not_add_up_and_saves_nothing(agreement):
    contributions = plan(agreement, council=Decimal("40"), trust=Decimal("50"))

    with pytest.raises(ValidationError, match=r"add up to 90\.00%"):
        set_year(agreement, UserFactory(), rule="fixed", contributions=contributions)

    assert not PooledBudget.objects.exists()
    assert not Contribution.objects.exists()


def test_set_keeps_fixed_shares_only_under_the_fixed_rule(agreement):
    fixed = set_year(
        agreement,
        UserFactory(),
        rule="fixed",
        contributions=plan(agreement, council=Decimal("25"), trust=Decimal("75")),
    )
    proportional = set_year(
        agreement,
        UserFactory(),
        start_year=2025,
        contributions=plan(agreement, council=Decimal("25"), trust=Decimal("75")),
    )

    assert sorted(fixed.contributions.values_list("risk_share_percent", flat=True)) == [25, 75]
    assert set(proportional.contributions.values_list("risk_share_percent", flat=True)) == {None}


def test_set_refuses_a_contribution_from_an_organisation_outside_the_agreement(agreement):
    stranger = CouncilFactory(short_name="XYZ")

    with pytest.raises(ValidationError, match="XYZ is not a partner"):
        set_year(
            agreement,
            UserFactory(),
            contributions=[PlannedContribution(stranger, Decimal("1.00"))],
        )

    assert not PooledBudget.objects.exists()


def test_revise_saves_only_what_changed_with_the_reason(agreement):
    pool = set_year(agreement, UserFactory())
    finance = UserFactory(username="finance.lead")

    changed = revise_pooled_budget(
        by=finance,
        pooled_budget=pool,
        risk_share_rule="proportional",
        scope="Adults of working age",
        notes="",
        contributions=plan(agreement, council_amount="150.00"),
        reason="Council budget meeting of 24 February",
    )

    assert changed == 1
    latest = Contribution.history.order_by("-history_id").first()
    assert latest.history_user == finance
    assert latest.history_change_reason == "Council budget meeting of 24 February"
    assert PooledBudget.history.count() == 1  # the budget itself did not change
    change = budget_changes(pool)[0]
    assert (change.who, change.before, change.after) == ("finance.lead", "£100.00", "£150.00")
    assert change.reason == "Council budget meeting of 24 February"


def test_revise_needs_a_reason(agreement):
    pool = set_year(agreement, UserFactory())

    with pytest.raises(ValidationError, match="Say why"):
        revise_pooled_budget(
            by=UserFactory(),
            pooled_budget=pool,
            risk_share_rule="own",
            scope="",
            notes="",
            contributions=plan(agreement),
            reason="  ",
        )

    assert PooledBudget.objects.get().risk_share_rule == "proportional"


def test_revise_with_bad_fixed_shares_changes_nothing(agreement):
    pool = set_year(agreement, UserFactory())

    with pytest.raises(ValidationError, match=r"add up to 110\.00%"):
        revise_pooled_budget(
            by=UserFactory(),
            pooled_budget=pool,
            risk_share_rule="fixed",
            scope="Changed",
            notes="",
            contributions=plan(
                agreement, council_amount="1.00", council=Decimal("60"), trust=Decimal("50")
            ),
            reason="New shares",
        )

    pool.refresh_from_db()
    assert (pool.risk_share_rule, pool.scope) == ("proportional", "Adults of working age")
    assert sorted(pool.contributions.values_list("planned", flat=True))[0] == Decimal("100.00")


def test_revise_refuses_to_drop_a_partner(agreement):
    pool = set_year(agreement, UserFactory())
    council, _ = partners(agreement)

    with pytest.raises(ValidationError, match="can't be removed"):
        revise_pooled_budget(
            by=UserFactory(),
            pooled_budget=pool,
            risk_share_rule="proportional",
            scope="",
            notes="",
            contributions=[PlannedContribution(council, Decimal("5.00"))],
            reason="Trust leaves",
        )

    assert pool.contributions.count() == 2


def test_history_names_a_new_contribution_and_the_budget_being_set(agreement):
    pool = PooledBudgetFactory(agreement=agreement, financial_year__start_year=2023)
    ContributionFactory(
        pooled_budget=pool, planned=Decimal("12.50"), agreed_on=datetime.date(2023, 3, 1)
    )

    changes = budget_changes(pool)

    assert {change.what for change in changes} >= {"Budget set"}
    added = next(change for change in changes if change.what.endswith("planned contribution"))
    assert added.before is None
    assert added.after == "£12.50, agreed on 1 March 2023"
