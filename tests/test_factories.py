"""Each factory of tests/factories.py makes a row its model accepts (full_clean and the
database's constraints), and a second one beside it, so a unit test can make two."""

import pytest

from partnerships import permissions
from partnerships.models import Role
from tests import factories

pytestmark = pytest.mark.django_db

FACTORIES = [
    factories.CouncilFactory,
    factories.TrustFactory,
    factories.ICBFactory,
    factories.AgreementFactory,
    factories.DecisionFactory,
    factories.AgreementTermFactory,
    factories.FinancialYearFactory,
    factories.QuarterFactory,
    factories.TeamFactory,
    factories.StaffPostFactory,
    factories.PooledBudgetFactory,
    factories.ContributionFactory,
    factories.KPIFactory,
    factories.ReviewFactory,
    factories.RecommendationFactory,
    factories.UserFactory,
    factories.MembershipFactory,
]


@pytest.mark.parametrize("factory", FACTORIES, ids=lambda factory: factory.__name__)
def test_a_factory_makes_valid_rows_side_by_side(factory):
    rows = [factory(), factory()]

    for row in rows:
        row.full_clean()


def test_an_agreement_has_a_council_hosting_and_a_trust_providing():
    agreement = factories.AgreementFactory()

    partners = {p.organisation.kind: (p.role, p.is_host) for p in agreement.partners.all()}

    assert partners == {"council": ("commissioner", True), "nhs_trust": ("lead_provider", False)}


def test_a_user_made_with_a_role_holds_it_in_the_partnership():
    agreement = factories.AgreementFactory()
    user = factories.UserFactory(roles={agreement: [Role.COMMISSIONER]})

    assert permissions.roles_in(user, agreement) == {Role.COMMISSIONER.value}
    assert user.check_password(factories.PASSWORD)
