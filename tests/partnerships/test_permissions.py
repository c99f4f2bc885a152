from pathlib import Path

import pytest
from django.http import Http404

from partnerships import permissions
from partnerships.models import Membership, Role
from tests.factories import AgreementFactory, UserFactory

pytestmark = pytest.mark.django_db

ACCESS_DOC = Path(__file__).resolve().parents[2] / "docs" / "access.md"
ROLE_COLUMNS = {
    "JMG member": Role.JMG_MEMBER.value,
    "commissioner": Role.COMMISSIONER.value,
    "scrutiny officer": Role.SCRUTINY_OFFICER.value,
    "s117 officer": Role.S117_OFFICER.value,
}
ROLES = sorted(Role.values)


@pytest.fixture
def partnership():
    return AgreementFactory()


@pytest.fixture
def other_partnership():
    return AgreementFactory()


def member(role, *agreements):
    """A user holding one role in each of the partnerships, as each demo user does."""
    return UserFactory(username=role, roles={agreement: [role] for agreement in agreements})


def documented_access() -> dict[str, frozenset[str]]:
    roles_section = ACCESS_DOC.read_text().split("## Pages")[0]
    lines = [line for line in roles_section.splitlines() if line.startswith("|")]
    header = [cell.strip() for cell in lines[0].strip("|").split("|")]
    table = {}
    for line in lines[2:]:
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        table[cells[0]] = frozenset(
            ROLE_COLUMNS[role]
            for role, answer in zip(header[1:], cells[1:], strict=True)
            if answer == "yes"
        )
    return table


def test_code_follows_the_documented_access_table():
    assert documented_access() == permissions.ACCESS


@pytest.mark.parametrize("action", sorted(permissions.ACCESS))
@pytest.mark.parametrize("role", ROLES)
def test_role_may_act_in_own_partnership_only_as_documented(action, role, partnership):
    user = member(role, partnership)

    allowed = permissions.can(user, action, partnership)

    assert allowed == (role in permissions.ACCESS[action])
    assert user.has_perm(f"partnerships.{action}", partnership) == allowed


@pytest.mark.parametrize("action", sorted(permissions.ACCESS))
def test_role_in_one_partnership_gives_nothing_in_another(action, partnership, other_partnership):
    outsider = UserFactory(username="oxon.only")
    for role in Role.values:
        Membership.objects.create(user=outsider, agreement=other_partnership, role=role)

    assert not permissions.can(outsider, action, partnership)
    with pytest.raises(Http404):
        permissions.get_agreement_for(outsider, partnership.slug, action=action)
    assert list(permissions.agreements_for(outsider, action)) == [other_partnership]


def test_unknown_partnership_is_404_like_a_forbidden_one(partnership):
    user = member(Role.JMG_MEMBER.value, partnership)

    with pytest.raises(Http404):
        permissions.get_agreement_for(user, "no-such-partnership", action="view_partnership")


def test_deactivated_user_can_do_nothing(partnership):
    user = member(Role.JMG_MEMBER.value, partnership)
    user.is_active = False

    assert not permissions.can(user, "view_dashboard", partnership)
    assert not permissions.agreements_for(user, "view_dashboard").exists()


def test_signed_out_visitor_can_do_nothing(partnership):
    from django.contrib.auth.models import AnonymousUser

    assert not permissions.can(AnonymousUser(), "view_partnership", partnership)


def test_superuser_without_membership_has_no_partnership_role(partnership):
    admin = UserFactory(username="admin", is_staff=True, is_superuser=True)

    assert not permissions.can(admin, "view_s117_personal_data", partnership)


def test_roles_are_loaded_once_per_user(partnership, other_partnership, django_assert_num_queries):
    user = member(Role.COMMISSIONER.value, partnership, other_partnership)

    with django_assert_num_queries(1):  # the user's memberships, all partnerships at once
        for agreement in (partnership, other_partnership, partnership):
            for action in permissions.ACCESS:
                permissions.can(user, action, agreement)


def test_unknown_action_is_a_programming_error(partnership):
    user = member(Role.COMMISSIONER.value, partnership)

    with pytest.raises(ValueError, match="not an action"):
        permissions.can(user, "view_everything", partnership)


def test_member_without_the_role_is_forbidden_not_told_it_is_missing(partnership):
    from django.core.exceptions import PermissionDenied

    scrutiny = member(Role.SCRUTINY_OFFICER.value, partnership)

    with pytest.raises(PermissionDenied):
        permissions.get_agreement_for(scrutiny, partnership.slug, action="view_s117_personal_data")
