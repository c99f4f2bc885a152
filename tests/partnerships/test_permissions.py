from pathlib import Path

import pytest
from django.http import Http404

from partnerships import permissions
from partnerships.models import Membership, Role

pytestmark = pytest.mark.django_db

ACCESS_DOC = Path(__file__).resolve().parents[2] / "docs" / "access.md"
ROLE_COLUMNS = {
    "JMG member": Role.JMG_MEMBER.value,
    "commissioner": Role.COMMISSIONER.value,
    "scrutiny officer": Role.SCRUTINY_OFFICER.value,
    "s117 officer": Role.S117_OFFICER.value,
}
DEMO_USER = {
    Role.JMG_MEMBER.value: "jmg.member",
    Role.COMMISSIONER.value: "commissioner",
    Role.SCRUTINY_OFFICER.value: "scrutiny.officer",
    Role.S117_OFFICER.value: "s117.officer",
}


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
@pytest.mark.parametrize("role", sorted(DEMO_USER))
def test_role_may_act_in_own_partnership_only_as_documented(
    action, role, bromley, django_user_model
):
    user = django_user_model.objects.get(username=DEMO_USER[role])

    allowed = permissions.can(user, action, bromley)

    assert allowed == (role in permissions.ACCESS[action])
    assert user.has_perm(f"partnerships.{action}", bromley) == allowed


@pytest.mark.parametrize("action", sorted(permissions.ACCESS))
def test_role_in_one_partnership_gives_nothing_in_another(
    action, bromley, oxfordshire, django_user_model
):
    outsider = django_user_model.objects.create_user("oxon.only")
    for role in Role.values:
        Membership.objects.create(user=outsider, agreement=oxfordshire, role=role)

    assert not permissions.can(outsider, action, bromley)
    with pytest.raises(Http404):
        permissions.get_agreement_for(outsider, bromley.slug, action=action)
    assert list(permissions.agreements_for(outsider, action)) == [oxfordshire]


def test_unknown_partnership_is_404_like_a_forbidden_one(django_user_model):
    user = django_user_model.objects.get(username="jmg.member")

    with pytest.raises(Http404):
        permissions.get_agreement_for(user, "no-such-partnership", action="view_partnership")


def test_deactivated_user_can_do_nothing(bromley, django_user_model):
    user = django_user_model.objects.get(username="jmg.member")
    user.is_active = False

    assert not permissions.can(user, "view_dashboard", bromley)
    assert not permissions.agreements_for(user, "view_dashboard").exists()


def test_signed_out_visitor_can_do_nothing(bromley):
    from django.contrib.auth.models import AnonymousUser

    assert not permissions.can(AnonymousUser(), "view_partnership", bromley)


def test_superuser_without_membership_has_no_partnership_role(bromley, django_user_model):
    admin = django_user_model.objects.get(username="admin")

    assert not permissions.can(admin, "view_s117_personal_data", bromley)


def test_roles_are_loaded_once_per_user(
    bromley, oxfordshire, django_user_model, django_assert_num_queries
):
    user = django_user_model.objects.get(username="commissioner")

    with django_assert_num_queries(1):  # the user's memberships, all partnerships at once
        for agreement in (bromley, oxfordshire, bromley):
            for action in permissions.ACCESS:
                permissions.can(user, action, agreement)


def test_unknown_action_is_a_programming_error(bromley, django_user_model):
    user = django_user_model.objects.get(username="commissioner")

    with pytest.raises(ValueError, match="not an action"):
        permissions.can(user, "view_everything", bromley)


def test_member_without_the_role_is_forbidden_not_told_it_is_missing(bromley, django_user_model):
    from django.core.exceptions import PermissionDenied

    scrutiny = django_user_model.objects.get(username="scrutiny.officer")

    with pytest.raises(PermissionDenied):
        permissions.get_agreement_for(scrutiny, bromley.slug, action="view_s117_personal_data")
