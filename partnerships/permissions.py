"""Who may do what in which partnership: the one access module.

ACCESS below is the table in docs/access.md (a test keeps the two identical). Every view
that shows or changes something owned by a partnership gets the agreement through
`get_agreement_for`, which answers 404, not 403, outside the user's partnerships, so that
nobody learns which partnerships exist.
"""

from collections.abc import Iterable
from functools import wraps

import rules
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from partnerships.models import Agreement, Membership, Role

# Plain strings: an enum member hashes by its name, so it would not match a value read
# from the database in a set.
JMG, COMMISSIONER, SCRUTINY, S117 = (
    Role.JMG_MEMBER.value,
    Role.COMMISSIONER.value,
    Role.SCRUTINY_OFFICER.value,
    Role.S117_OFFICER.value,
)

# action: the roles that may take it, in a partnership where the user holds the role
ACCESS: dict[str, frozenset[str]] = {
    "view_partnership": frozenset({JMG, COMMISSIONER, SCRUTINY, S117}),
    "view_dashboard": frozenset({JMG, COMMISSIONER}),
    "view_s117_counts": frozenset({JMG, COMMISSIONER, S117}),
    "view_s117_personal_data": frozenset({S117}),
    "edit_s117_register": frozenset({S117}),
    "enter_figures": frozenset({COMMISSIONER}),
    "sign_off_return": frozenset({JMG}),
    "set_return_schedule": frozenset({JMG}),
    "set_budget": frozenset({COMMISSIONER}),
    "keep_staffing": frozenset({COMMISSIONER}),
    "keep_kpis": frozenset({COMMISSIONER}),
    "keep_action_plan": frozenset({JMG, COMMISSIONER}),
    "keep_agreement_terms": frozenset({COMMISSIONER}),
    "view_draft_reports": frozenset({JMG, COMMISSIONER}),
    "draft_reports": frozenset({COMMISSIONER}),
    "publish_reports": frozenset({COMMISSIONER}),
    "view_published_reports": frozenset({JMG, COMMISSIONER, SCRUTINY, S117}),
}


def roles_in(user, agreement: Agreement) -> frozenset[str]:
    """The user's roles in a partnership. Loads all the user's memberships in one query,
    once per user object (so once per request)."""
    if not (user.is_authenticated and user.is_active):
        return frozenset()
    cache = getattr(user, "_partnership_roles", None)
    if cache is None:
        cache = {}
        for agreement_id, role in Membership.objects.filter(user=user).values_list(
            "agreement_id", "role"
        ):
            cache.setdefault(agreement_id, set()).add(role)
        user._partnership_roles = cache
    return frozenset(cache.get(agreement.pk, ()))


def can(user, action: str, agreement: Agreement) -> bool:
    try:
        allowed = ACCESS[action]
    except KeyError:
        raise ValueError(
            f"{action!r} is not an action in partnerships.permissions.ACCESS"
        ) from None
    return bool(roles_in(user, agreement) & allowed)


def agreements_for(user, action: str) -> QuerySet[Agreement]:
    """The partnerships in which the user may take `action`."""
    if not (user.is_authenticated and user.is_active):
        return Agreement.objects.none()
    return Agreement.objects.filter(
        memberships__user=user, memberships__role__in=ACCESS[action]
    ).distinct()


def get_agreement_for(user, slug: str, *, action: str) -> Agreement:
    """The partnership named by `slug`, if the user may take `action` in it.

    404 if the user is not a member (or there is no such partnership), so that nobody can
    learn which partnerships exist; 403 if a member's roles don't allow the action."""
    agreement = Agreement.objects.filter(slug=slug).first()
    if agreement is None or not roles_in(user, agreement):
        raise Http404("No such partnership.")
    if not can(user, action, agreement):
        raise PermissionDenied(f"Your roles in {agreement} don't allow this.")
    return agreement


def partnership_view(action: str):
    """Decorate a view of one partnership: sign-in required, then the partnership named by
    the URL's `slug`, checked for `action`, is passed to the view in place of the slug."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapped(request, slug, *args, **kwargs):
            agreement = get_agreement_for(request.user, slug, action=action)
            return view(request, agreement, *args, **kwargs)

        return wrapped

    return decorator


def roles_with(action: str) -> Iterable[str]:
    return sorted(ACCESS[action])


def _predicate(action: str):
    @rules.predicate(name=f"may_{action}")
    def may(user, agreement) -> bool:
        return isinstance(agreement, Agreement) and can(user, action, agreement)

    return may


# The same table as Django permissions (user.has_perm("partnerships.view_dashboard",
# agreement)). Views use can() / get_agreement_for() instead: Django answers yes to any
# has_perm for a superuser, and a site administrator has no partnership role by default.
for _action in ACCESS:
    rules.add_perm(f"partnerships.{_action}", _predicate(_action))
