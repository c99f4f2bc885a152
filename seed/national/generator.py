"""The entry point, `generate`: refuse or replace national data already there, find or
create the shared financial years, quarters and source systems and the national users, build
the organisations, share teams, posts and s117 entries out between agreements, build each
agreement in turn from one master random generator, and finally give the national users a
membership of every national agreement."""

import random
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import connection, transaction

from caseload.models import SourceSystem
from partnerships.models import FinancialYear, Membership, Quarter, Role
from seed.national.agreements import build_agreement, build_organisations
from seed.national.common import FIRST_YEAR, LAST_YEAR, PREFIX, Context, Sink
from seed.national.plan import plan_for, spread
from seed.national.removal import NationalDataError, delete_national, national_data_exists

USERS = (
    ("national.jmg", "National JMG member", Role.JMG_MEMBER),
    ("national.commissioner", "National commissioner", Role.COMMISSIONER),
    ("national.scrutiny", "National scrutiny officer", Role.SCRUTINY_OFFICER),
    ("national.s117", "National s117 register officer", Role.S117_OFFICER),
)


@transaction.atomic
def generate(*, scale: Decimal, seed: int, replace: bool = False) -> dict[str, dict[str, int]]:
    """Write the national data set; answer the rows deleted and created, by model."""
    deleted = {}
    if national_data_exists():
        if not replace:
            raise NationalDataError(
                f"National data (agreements {PREFIX}…) is in the database already. "
                "Pass --replace to delete it and generate it again."
            )
        deleted = delete_national()
    plan = plan_for(scale)
    master = random.Random(seed)  # noqa: S311 – synthetic data, not security
    context = Context(seed=seed, sink=Sink(), **shared_rows())
    context.nhs_cursor = master.randrange(1_000_000)
    context.users = build_users(context)  # first: they sign off the agreements' returns
    geography = build_organisations(context, plan, master)
    teams_per_agreement = spread(plan.teams, plan.agreements, master, low=1)
    posts_per_team = spread(plan.posts, plan.teams, master, low=1)
    entries_per_agreement = spread(plan.s117_entries, plan.agreements, master, low=1)
    agreement_ids, first_team = [], 0
    for index, teams in enumerate(teams_per_agreement):
        posts = posts_per_team[first_team : first_team + teams]
        agreement = build_agreement(context, geography, index, posts, entries_per_agreement[index])
        agreement_ids.append(agreement.pk)
        first_team += teams
    context.sink.flush()
    build_memberships(context, agreement_ids)
    return {"deleted": deleted, "created": context.sink.counts}


def analyse() -> None:
    """Gather the planner's statistics, as after any bulk load. Without them SQLite, which
    keeps none until asked, reads a partnership's Care Act activity for a quarter through
    every team's activity in that quarter: 3 ms at national scale rather than 0.1."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def shared_rows() -> dict:
    """Financial years, quarters and the two source systems: found, or created."""
    existing = set(FinancialYear.objects.values_list("start_year", flat=True))
    FinancialYear.objects.bulk_create(
        FinancialYear(start_year=start)
        for start in range(FIRST_YEAR, LAST_YEAR + 1)
        if start not in existing
    )
    years = {
        year.start_year: year
        for year in FinancialYear.objects.filter(start_year__range=(FIRST_YEAR, LAST_YEAR))
    }
    existing = set(
        Quarter.objects.filter(financial_year__in=years.values()).values_list(
            "financial_year__start_year", "number"
        )
    )
    Quarter.objects.bulk_create(
        Quarter(financial_year=year, number=number)
        for start, year in sorted(years.items())
        for number in (1, 2, 3, 4)
        if (start, number) not in existing
    )
    quarters = {
        (quarter.financial_year.start_year, quarter.number): quarter
        for quarter in Quarter.objects.select_related("financial_year").filter(
            financial_year__in=years.values()
        )
    }
    las, _ = SourceSystem.objects.get_or_create(code="las", defaults={"name": "LAS"})
    carenotes, _ = SourceSystem.objects.get_or_create(
        code="carenotes", defaults={"name": "Carenotes"}
    )
    return {"years": years, "quarters": quarters, "las": las, "carenotes": carenotes}


def build_users(context: Context) -> dict[str, int]:
    """One user per role, without a usable password: found, or created. Their ids, by name."""
    ids = {}
    for username, title, _ in USERS:
        user, created = get_user_model().objects.get_or_create(
            username=username, defaults={"first_name": title, "last_name": "(benchmark)"}
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
            context.sink.counts["auth.User"] = context.sink.counts.get("auth.User", 0) + 1
        ids[username] = user.pk
    return ids


def build_memberships(context: Context, agreement_ids: list[int]) -> None:
    """Each national user a member of every national agreement, in their role."""
    context.sink.create(
        [
            Membership(user_id=context.users[username], agreement_id=pk, role=role)
            for username, _, role in USERS
            for pk in agreement_ids
        ]
    )
