"""A body passing its agreements to its successor (a CCG to its ICB on 1 July 2022): who is
a partner when, and what stays with the body that signed it."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from budgets.models import Contribution
from partnerships.actions import pass_to_successor
from partnerships.models import AgreementPartner, Organisation
from partnerships.selectors import partner_of_year, partners_of_year, partners_on
from records.actions.budgets import PlannedContribution, set_pooled_budget
from tests.factories import (
    AgreementFactory,
    ContributionFactory,
    CouncilFactory,
    FinancialYearFactory,
    ICBFactory,
    OrganisationFactory,
    PooledBudgetFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

JULY_2022 = datetime.date(2022, 7, 1)
JUNE_2022 = datetime.date(2022, 6, 30)


@pytest.fixture
def ccg():
    return OrganisationFactory(
        name="NHS Test Clinical Commissioning Group",
        short_name="TCCG",
        kind=Organisation.Kind.CCG,
        established_on=datetime.date(2013, 4, 1),
    )


@pytest.fixture
def icb():
    return ICBFactory(name="NHS Test Integrated Care Board", short_name="TICB")


@pytest.fixture
def agreement(ccg):
    """A council, and a CCG that hosts the pool: 1 April 2020 to 31 March 2027."""
    return AgreementFactory(
        partners=[
            (CouncilFactory(short_name="TC"), AgreementPartner.Role.COMMISSIONER, False),
            (ccg, AgreementPartner.Role.COMMISSIONER, True),
        ]
    )


def names(partners):
    return [p.organisation.short_name for p in partners]


def test_passing_to_successor_closes_the_ccg_and_opens_the_icb_in_the_same_role(
    agreement, ccg, icb
):
    officer = UserFactory()

    pass_to_successor(by=officer, organisation=ccg, successor=icb, on_date=JULY_2022)

    ccg.refresh_from_db()
    assert (ccg.dissolved_on, ccg.successor) == (JUNE_2022, icb)
    old = agreement.partners.get(organisation=ccg)
    new = agreement.partners.get(organisation=icb)
    assert (old.from_date, old.to_date) == (None, JUNE_2022)
    assert (new.from_date, new.to_date, new.role, new.is_host) == (
        JULY_2022,
        None,
        AgreementPartner.Role.COMMISSIONER,
        True,
    )


def test_partners_on_a_date_are_the_body_of_that_day(agreement, ccg, icb):
    pass_to_successor(by=UserFactory(), organisation=ccg, successor=icb, on_date=JULY_2022)

    assert names(partners_on(agreement, JUNE_2022)) == ["TCCG", "TC"]
    assert names(partners_on(agreement, JULY_2022)) == ["TICB", "TC"]


def test_the_year_of_the_change_has_both_and_the_years_around_it_one(agreement, ccg, icb):
    pass_to_successor(by=UserFactory(), organisation=ccg, successor=icb, on_date=JULY_2022)

    assert set(names(partners_of_year(agreement, 2022))) == {"TCCG", "TICB", "TC"}
    assert partner_of_year(agreement, ccg.pk, 2021)
    assert not partner_of_year(agreement, icb.pk, 2021)
    assert not partner_of_year(agreement, ccg.pk, 2023)
    assert partner_of_year(agreement, icb.pk, 2023)


def test_older_contributions_stay_with_the_body_that_signed_them(agreement, ccg, icb):
    earlier = ContributionFactory(
        pooled_budget=PooledBudgetFactory(
            agreement=agreement, financial_year=FinancialYearFactory(start_year=2021)
        ),
        partner=ccg,
        planned=Decimal("250000.00"),
    )

    pass_to_successor(by=UserFactory(), organisation=ccg, successor=icb, on_date=JULY_2022)

    earlier.refresh_from_db()
    assert (earlier.partner, earlier.planned) == (ccg, Decimal("250000.00"))
    assert not Contribution.objects.filter(partner=icb).exists()


def test_passing_to_successor_writes_history_naming_who(agreement, ccg, icb):
    officer = UserFactory()

    pass_to_successor(by=officer, organisation=ccg, successor=icb, on_date=JULY_2022)

    dissolved = ccg.history.latest()
    assert (dissolved.history_type, dissolved.history_user, dissolved.dissolved_on) == (
        "~",
        officer,
        JUNE_2022,
    )
    closed = agreement.partners.get(organisation=ccg).history.latest()
    opened = agreement.partners.get(organisation=icb).history.latest()
    assert (closed.history_type, closed.to_date, closed.history_user) == ("~", JUNE_2022, officer)
    assert (opened.history_type, opened.from_date, opened.history_user) == ("+", JULY_2022, officer)


def test_a_partner_of_an_earlier_year_is_accepted_for_that_years_figures(agreement, ccg, icb):
    pass_to_successor(by=UserFactory(), organisation=ccg, successor=icb, on_date=JULY_2022)
    council = agreement.partners.get(organisation__short_name="TC").organisation

    pool = set_pooled_budget(
        by=UserFactory(),
        agreement=agreement,
        start_year=2021,
        risk_share_rule="proportional",
        scope="Adults of working age",
        notes="",
        contributions=[
            PlannedContribution(council, Decimal("100.00")),
            PlannedContribution(ccg, Decimal("300.00")),
        ],
    )

    assert {c.partner.short_name for c in pool.contributions.all()} == {"TC", "TCCG"}


def test_a_body_gone_before_the_year_is_refused_for_its_figures(agreement, ccg, icb):
    pass_to_successor(by=UserFactory(), organisation=ccg, successor=icb, on_date=JULY_2022)
    council = agreement.partners.get(organisation__short_name="TC").organisation

    with pytest.raises(ValidationError, match=r"TCCG is not a partner in .* in 2023/24"):
        set_pooled_budget(
            by=UserFactory(),
            agreement=agreement,
            start_year=2023,
            risk_share_rule="proportional",
            scope="",
            notes="",
            contributions=[
                PlannedContribution(council, Decimal("100.00")),
                PlannedContribution(ccg, Decimal("300.00")),
            ],
        )

    assert not agreement.pooled_budgets.exists()


def test_a_body_cannot_succeed_itself_and_nothing_is_saved(agreement, ccg):
    with pytest.raises(ValidationError, match="can't succeed itself"):
        pass_to_successor(by=UserFactory(), organisation=ccg, successor=ccg, on_date=JULY_2022)

    ccg.refresh_from_db()
    assert ccg.dissolved_on is None
    assert agreement.partners.get(organisation=ccg).to_date is None


def test_a_body_already_succeeded_is_refused(agreement, ccg, icb):
    pass_to_successor(by=UserFactory(), organisation=ccg, successor=icb, on_date=JULY_2022)

    with pytest.raises(ValidationError, match="has already passed to NHS Test Integrated"):
        pass_to_successor(
            by=UserFactory(), organisation=ccg, successor=ICBFactory(), on_date=JULY_2022
        )


def test_a_successor_already_in_the_agreement_keeps_its_own_row(agreement, ccg, icb):
    AgreementPartner.objects.create(
        agreement=agreement, organisation=icb, role=AgreementPartner.Role.CONSENTING
    )

    pass_to_successor(by=UserFactory(), organisation=ccg, successor=icb, on_date=JULY_2022)

    row = agreement.partners.get(organisation=icb)
    assert (row.role, row.from_date) == (AgreementPartner.Role.CONSENTING, None)
    assert agreement.partners.get(organisation=ccg).to_date == JUNE_2022


def test_a_past_partner_says_when_it_ended_and_who_succeeded_it(agreement, ccg, icb):
    pass_to_successor(by=UserFactory(), organisation=ccg, successor=icb, on_date=JULY_2022)

    old = agreement.partners.select_related("organisation__successor").get(organisation=ccg)
    new = agreement.partners.get(organisation=icb)

    assert old.time_in_agreement() == (
        "To 30 June 2022, succeeded by NHS Test Integrated Care Board"
    )
    assert new.time_in_agreement() == "From 1 July 2022"
    assert ccg.kind_label == "Clinical commissioning group"


def test_a_council_is_described_by_its_type_where_known():
    borough = CouncilFactory(council_type=Organisation.CouncilType.LONDON_BOROUGH)
    city = CouncilFactory(council_type=Organisation.CouncilType.OTHER)

    assert (borough.kind_label, city.kind_label, CouncilFactory().kind_label) == (
        "London borough",
        "Council",
        "Council",
    )


def test_a_successor_without_a_dissolved_date_is_refused_by_validation(ccg, icb):
    ccg.successor = icb

    with pytest.raises(ValidationError) as error:
        ccg.full_clean()

    assert "dissolved_on" in error.value.message_dict
