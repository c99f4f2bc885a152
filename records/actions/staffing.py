"""Writes to the agreement's staff posts and its teams' establishments.

Each is one transaction, checked by the models' own rules before anything is written
(StaffPost.clean: an AMHP is a council's employee; the named constraints: a vacant post
has no employer, a filled one has; WTE up to 1.00; references unique in a team), and
kept in the post's or team's history with who made it (django-simple-history).

A post is kept as it is now, with the day its latest change took effect (`changed_on`):
its history says what it was before, who recorded the change and when.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from caseload.models import StaffPost, Team
from partnerships.models import Organisation

Basis = StaffPost.Basis


def _save(instance, *, by) -> None:
    instance.full_clean()
    instance._history_user = by
    instance.save()


def _change(post: StaffPost, *, by, on: datetime.date, **values) -> StaffPost:
    post.check_change_on(on, today=timezone.localdate())
    for name, value in values.items():
        setattr(post, name, value)
    post.changed_on = on
    _save(post, by=by)
    return post


@transaction.atomic
def add_post(
    *,
    by,
    team: Team,
    reference: str,
    role: str,
    wte: Decimal,
    case_holding: bool,
    funder: Organisation,
    employer: Organisation | None,
    basis: str,
    origin: str,
    valid_from: datetime.date,
) -> StaffPost:
    """A new post in `team`: vacant (no employer) or filled from `valid_from`."""
    post = StaffPost(
        team=team,
        reference=reference,
        role=role,
        wte=wte,
        case_holding=case_holding,
        funder=funder,
        employer=employer,
        basis=basis,
        origin=origin,
        valid_from=valid_from,
    )
    _save(post, by=by)
    return post


@transaction.atomic
def record_vacancy(*, by, post: StaffPost, on: datetime.date) -> StaffPost:
    """The post's holder has left: it is vacant from `on`, and has no employer."""
    if post.vacant:
        raise ValidationError("The post is vacant already.")
    return _change(post, by=by, on=on, basis=Basis.VACANT, employer=None)


@transaction.atomic
def record_filled(
    *, by, post: StaffPost, employer: Organisation, basis: str, on: datetime.date
) -> StaffPost:
    """A vacant post is filled from `on`, by `employer`'s employee on `basis`."""
    if not post.vacant:
        raise ValidationError("The post is filled already.")
    return _change(post, by=by, on=on, employer=employer, basis=basis)


@transaction.atomic
def change_wte(*, by, post: StaffPost, wte: Decimal, on: datetime.date) -> StaffPost:
    return _change(post, by=by, on=on, wte=wte)


@transaction.atomic
def change_employment(
    *,
    by,
    post: StaffPost,
    funder: Organisation,
    employer: Organisation | None,
    basis: str,
    on: datetime.date,
) -> StaffPost:
    """Who funds the post, who employs its holder, and on what basis, from `on`."""
    return _change(post, by=by, on=on, funder=funder, employer=employer, basis=basis)


@transaction.atomic
def end_post(*, by, post: StaffPost, last_day: datetime.date) -> StaffPost:
    """The post is funded until `last_day` (which may be to come), and not after it."""
    post.check_last_day(last_day)
    post.valid_to = last_day
    _save(post, by=by)
    return post


@transaction.atomic
def set_establishment(*, by, team: Team, wte: Decimal) -> Team:
    """The team's whole establishment in WTE, as its operator reports it."""
    team.establishment_wte = wte
    _save(team, by=by)
    return team
