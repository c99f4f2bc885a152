"""Reads for the staffing pages: the agreement's teams and posts, the partners that may
fund or employ them, and each post's and team's history as people read it."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q

from caseload.models import StaffPost, Team
from core.formatting import NOTHING, long_date, wte
from partnerships.models import Agreement, Organisation

ZERO = Decimal(0)
NO_USER = "no user recorded (a script or the demo loader)"


@dataclass
class TeamPosts:
    team: Team
    current: list[StaffPost] = field(default_factory=list)
    filled_posts: int = 0
    filled_wte: Decimal = ZERO
    vacant_posts: int = 0
    vacant_wte: Decimal = ZERO

    @property
    def in_agreement(self) -> bool:
        return self.team.left_agreement_on is None


def partners(agreement: Agreement, day: datetime.date, also=()) -> list[Organisation]:
    """The organisations that may fund or employ the agreement's posts: its partners on
    `day` (not a CCG its ICB took over from), and `also` those a post already names."""
    named = [org.pk for org in also if org is not None]
    return list(
        Organisation.objects.filter(
            Q(pk__in=agreement.partners.on(day).values("organisation")) | Q(pk__in=named)
        ).order_by("name")
    )


def teams_in(agreement: Agreement, today: datetime.date) -> list[Team]:
    """Teams a new post may join: those still in the agreement."""
    return [team for team in agreement.teams.order_by("name") if team.in_agreement_on(today)]


def posts_page(agreement: Agreement, today: datetime.date) -> tuple[list[TeamPosts], list]:
    """Each team with its current posts (those not ended by today, including any yet to
    start) and its posts in post and vacancies today; and the posts that have ended. Two
    queries, however many posts."""
    teams = {team.pk: TeamPosts(team) for team in agreement.teams.order_by("name")}
    ended = []
    posts = (
        StaffPost.objects.filter(team__agreement=agreement)
        .select_related("funder", "employer")
        .order_by("reference")
    )
    for post in posts:
        entry = teams[post.team_id]
        post.team = entry.team
        if post.ended_by(today):
            ended.append(post)
            continue
        entry.current.append(post)
        if post.valid_from > today or not entry.team.in_agreement_on(today):
            continue  # counted once it starts, and only while its team is in the agreement
        if post.vacant:
            entry.vacant_posts += 1
            entry.vacant_wte += post.wte
        else:
            entry.filled_posts += 1
            entry.filled_wte += post.wte
    ended.sort(key=lambda post: (post.team.name, post.reference))
    return list(teams.values()), ended


@dataclass(frozen=True)
class Change:
    when: datetime.datetime
    who: str
    figure: str
    before: str
    after: str


def _who(record) -> str:
    return record.history_user.get_username() if record.history_user else NO_USER


def _post_values(record) -> dict[str, str]:
    return {
        "Reference": record.reference,
        "Role": record.get_role_display(),
        "WTE": wte(record.wte),
        "Holds cases": "Yes" if record.case_holding else "No",
        "Funder": record.funder.name if record.funder else "None",
        "Employer": record.employer.name if record.employer else "None: vacant",
        "Basis": record.get_basis_display(),
        "How it came in": record.get_origin_display(),
        "Start date": long_date(record.valid_from),
        "Last day": long_date(record.valid_to, missing="None: the post goes on"),
        "Latest change took effect": long_date(record.changed_on, missing="None since it began"),
    }


def _diff(records, values, created) -> list[Change]:
    """Each history row against the one before it: newest first, each row's details in
    the order the page lists them."""
    found, before = [], None
    for record in records:
        now = values(record)
        if before is None:
            changes = [
                Change(record.history_date, _who(record), created, NOTHING, created_summary(now))
            ]
        else:
            changes = [
                Change(record.history_date, _who(record), name, before[name], value)
                for name, value in now.items()
                if before[name] != value
            ]
        found.append(changes)
        before = now
    return [change for changes in reversed(found) for change in changes]


def created_summary(values: dict[str, str]) -> str:
    return "; ".join(f"{name}: {value}" for name, value in values.items())


def post_changes(post: StaffPost) -> list[Change]:
    """Who changed the post, when, and each detail before and after. One query."""
    records = post.history.select_related("history_user", "funder", "employer").order_by(
        "history_date", "history_id"
    )
    return _diff(records, _post_values, "Post added")


def _team_values(record) -> dict[str, str]:
    return {"Establishment (WTE)": wte(record.establishment_wte)}


def team_changes(team: Team) -> list[Change]:
    """Changes to the team's establishment, newest first. One query."""
    records = team.history.select_related("history_user").order_by("history_date", "history_id")
    return _diff(records, _team_values, "Establishment when its history began")
