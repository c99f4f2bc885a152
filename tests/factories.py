"""The few rows a unit test needs, built for it, instead of the whole demo seed.

A test that needs one partnership and a role in it should not depend on two partnerships'
worth of figures, nor break when the demo changes: it builds its rows here, says the values
it is about, and leaves the rest to these defaults. A module that imports this one is a
unit test (tests/layers.py) and runs on an empty database, so a name it counts on is one
it made.

Defaults are dull on purpose: a council and an NHS trust in a section 75 agreement running
1 April 2020 to 31 March 2027, in force on the fixed day the tests run on (tests/today.py).
"""

import datetime
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model

from budgets.models import Contribution, PooledBudget
from caseload.models import StaffPost, Team
from partnerships.models import (
    KPI,
    Agreement,
    AgreementPartner,
    AgreementTerm,
    Decision,
    FinancialYear,
    Membership,
    Organisation,
    Quarter,
    Recommendation,
    Review,
    Role,
)

PASSWORD = "factory-test-password-1"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Test Council {n}")
    short_name = factory.Sequence(lambda n: f"TC{n}")
    kind = Organisation.Kind.COUNCIL


class CouncilFactory(OrganisationFactory):
    pass


class TrustFactory(OrganisationFactory):
    name = factory.Sequence(lambda n: f"Test Health NHS Foundation Trust {n}")
    short_name = factory.Sequence(lambda n: f"THT{n}")
    kind = Organisation.Kind.NHS_TRUST


class ICBFactory(OrganisationFactory):
    name = factory.Sequence(lambda n: f"Test Integrated Care Board {n}")
    short_name = factory.Sequence(lambda n: f"TICB{n}")
    kind = Organisation.Kind.ICB


class AgreementFactory(factory.django.DjangoModelFactory):
    """An agreement in force between a council (host) and an NHS trust (lead provider).
    `AgreementFactory(partners=[])` makes one with no partners."""

    class Meta:
        model = Agreement
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"test-partnership-{n}")
    title = factory.LazyAttribute(lambda o: f"Section 75 agreement: {o.short_title}")
    short_title = factory.Sequence(lambda n: f"Test partnership {n}")
    legal_basis = Agreement.LegalBasis.S75
    pooled_fund = True
    start_date = datetime.date(2020, 4, 1)
    end_date = datetime.date(2027, 3, 31)
    status = Agreement.Status.ACTIVE

    @factory.post_generation
    def partners(self, create, extracted, **kwargs):
        if not create:
            return
        if extracted is None:
            extracted = [
                (CouncilFactory(), AgreementPartner.Role.COMMISSIONER, True),
                (TrustFactory(), AgreementPartner.Role.LEAD_PROVIDER, False),
            ]
        for organisation, role, is_host in extracted:
            AgreementPartner.objects.create(
                agreement=self, organisation=organisation, role=role, is_host=is_host
            )


class DecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Decision

    agreement = factory.SubFactory(AgreementFactory)
    kind = Decision.Kind.APPROVAL
    decided_on = factory.LazyAttribute(lambda o: o.agreement.start_date)
    body = "Cabinet"
    summary = "Approval to enter the agreement"


class AgreementTermFactory(factory.django.DjangoModelFactory):
    """The initial term of its agreement, authorised by an approval of it."""

    class Meta:
        model = AgreementTerm

    agreement = factory.SubFactory(AgreementFactory)
    kind = AgreementTerm.Kind.INITIAL
    start_date = factory.LazyAttribute(lambda o: o.agreement.start_date)
    end_date = factory.LazyAttribute(lambda o: o.agreement.end_date)
    authorised_by = factory.SubFactory(
        DecisionFactory, agreement=factory.SelfAttribute("..agreement")
    )


class FinancialYearFactory(factory.django.DjangoModelFactory):
    """Got, not made, when the year exists: there is one row a year."""

    class Meta:
        model = FinancialYear
        django_get_or_create = ("start_year",)

    start_year = 2022


class QuarterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Quarter
        django_get_or_create = ("financial_year", "number")

    financial_year = factory.SubFactory(FinancialYearFactory)
    number = 1


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    agreement = factory.SubFactory(AgreementFactory)
    name = factory.Sequence(lambda n: f"Test Adult Mental Health Team {n}")
    kind = Team.Kind.AMHT
    operated_by = factory.LazyAttribute(lambda o: o.agreement.partners.first().organisation)


class StaffPostFactory(factory.django.DjangoModelFactory):
    """A filled full-time social work post, seconded: funded and employed by the council
    that hosts its team's agreement."""

    class Meta:
        model = StaffPost

    team = factory.SubFactory(TeamFactory)
    reference = factory.Sequence(lambda n: f"SW-{n:02d}")
    role = StaffPost.StaffRole.SOCIAL_WORKER
    wte = Decimal("1.00")
    case_holding = True
    funder = factory.LazyAttribute(lambda o: o.team.agreement.partners.first().organisation)
    employer = factory.LazyAttribute(lambda o: o.funder)
    basis = StaffPost.Basis.SECONDED
    origin = StaffPost.Origin.SECONDED
    valid_from = datetime.date(2020, 4, 1)


class PooledBudgetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PooledBudget

    agreement = factory.SubFactory(AgreementFactory)
    financial_year = factory.SubFactory(FinancialYearFactory)


class ContributionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contribution

    pooled_budget = factory.SubFactory(PooledBudgetFactory)
    partner = factory.LazyAttribute(
        lambda o: o.pooled_budget.agreement.partners.first().organisation
    )
    planned = Decimal("1000000.00")


class KPIFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = KPI

    agreement = factory.SubFactory(AgreementFactory)
    code = factory.Sequence(lambda n: f"KPI {n}")
    name = "Reviews within 12 months"
    definition = "People reviewed in the last 12 months over people open to the team."
    unit = KPI.Unit.PERCENT
    direction = "higher"
    target = Decimal("85")
    amber_threshold = Decimal("75")


class ReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Review

    agreement = factory.SubFactory(AgreementFactory)
    title = factory.Sequence(lambda n: f"Review of the partnership {n}")
    carried_out = "2023"


class RecommendationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Recommendation

    review = factory.SubFactory(ReviewFactory)
    reference = factory.Sequence(lambda n: f"1.{n}")
    text = "A recommendation."
    owner = "Head of service"
    status = Recommendation.Status.NOT_STARTED


class UserFactory(factory.django.DjangoModelFactory):
    """A user with a usable password (PASSWORD); `UserFactory(roles={agreement: [role]})`
    gives them those roles, `UserFactory(role=Role.JMG_MEMBER)` one role in a new agreement."""

    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user.{n}")
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if create and extracted:
            MembershipFactory(user=self, role=extracted)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            for agreement, roles in extracted.items():
                for role in roles:
                    MembershipFactory(user=self, agreement=agreement, role=role)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    agreement = factory.SubFactory(AgreementFactory)
    role = Role.JMG_MEMBER
