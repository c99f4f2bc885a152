"""Each page makes a fixed number of queries, however many rows it shows.

The counts are asserted for the view and its template together (the response is rendered
inside the block). Each count is listed query by query in its comment.
"""

import datetime
import math

import pytest
from django.db import connection

from s117.models import AccessLog, RegisterEntry
from tests.conftest import bromley_end_flag

pytestmark = pytest.mark.django_db

# Session, user, memberships (once per request), then the page's own queries. The session
# is renewed at most once a minute (config/sessions.py), so not within these requests.
SIGNED_IN = 3


@pytest.fixture
def signed_in(client, django_user_model):
    def sign_in(username):
        client.force_login(django_user_model.objects.get(username=username))
        return client

    return sign_in


def more_people(agreement, count):
    template = RegisterEntry.objects.filter(agreement=agreement).first()
    RegisterEntry.objects.bulk_create(
        RegisterEntry(
            agreement=agreement,
            person_reference=f"BULK-{number:04d}",
            qualifying_section="3",
            detained_on=datetime.date(2022, 1, 1),
            discharged_on=datetime.date(2022, 3, 1),
            review_due=datetime.date(2026, 1, 1),
            responsible_council_id=template.responsible_council_id,
            responsible_icb_id=template.responsible_icb_id,
            team_id=template.team_id,
        )
        for number in range(count)
    )


# The data-quality checks (dashboards.quality), for every partnership at once: thresholds;
# returns and timetables; pools, contributions, outturns; revised figures no revision
# explains; posts by team; snapshots at the quarter's end; activity and snapshots of the
# quarters before; the years' activity against their quarters and months; s117 reviews
# overdue; KPI values; explanations.
DATA_QUALITY = 1 + 2 + 3 + 1 + 1 + 1 + 2 + 1 + 1 + 1 + 1

HOME = (
    2  # session, user
    + 1  # the user's partnerships
    + 1  # their standing (partnerships.standing): which end on an extension
    + 4  # figures for the last finished quarter: its row, outturns, KPI values, activity
    + 1  # forecast overspend: contributions of each latest pool year, with their forecasts
    + 3  # s117 reviews overdue, KPIs at red, actions overdue
    + 2  # where the user may see the dashboards, and the s117 register's counts
    + 9  # what needs the user (tasks.needs): returns and their timetables, reviews,
    #      actions, agreements ending (their standing, extension decisions not yet in a
    #      term, extensions proposed), drafts to publish
    + 5  # the latest quarter with figures of each partnership (dashboards.quarter): the
    #      latest outturn, KPI value and activity, the latest pool year, the quarters
    + DATA_QUALITY  # and the data-quality checks for those quarters
)


@pytest.mark.parametrize("extra_partnerships", [0, 25])
def test_home_queries_do_not_grow_with_partnerships(
    signed_in, bromley, extra_partnerships, django_user_model, django_assert_num_queries
):
    from partnerships.models import Agreement, Membership

    member = django_user_model.objects.get(username="jmg.member")
    for number in range(extra_partnerships):
        agreement = Agreement.objects.create(
            slug=f"extra-{number}",
            title=f"Extra partnership {number}",
            short_title=f"Extra {number}",
            legal_basis="s75",
            start_date=datetime.date(2020, 4, 1),
            end_date=datetime.date(2030, 3, 31),
        )
        Membership.objects.create(user=member, agreement=agreement, role="jmg_member")
    client = signed_in("jmg.member")

    with django_assert_num_queries(HOME):
        response = client.get("/")
    assert response.status_code == 200
    assert bromley_end_flag() in response.content.decode()


@pytest.mark.parametrize("more_extensions", [0, 3])
def test_partnership_overview_queries(
    signed_in, bromley, more_extensions, django_assert_num_queries
):
    import datetime

    from partnerships.models import AgreementTerm

    last = bromley.terms.order_by("-end_date").first()
    for _ in range(more_extensions):
        start = last.end_date + datetime.timedelta(days=1)
        last = AgreementTerm.objects.create(
            agreement=bromley,
            kind=AgreementTerm.Kind.EXTENSION,
            start_date=start,
            end_date=start.replace(year=start.year + 1) - datetime.timedelta(days=1),
            authorised_by=last.authorised_by,
        )
    client = signed_in("jmg.member")

    # SIGNED_IN + agreement; terms with decisions; the value projections, once for every
    # extension; partners with organisations; decisions; governance bodies; the latest
    # quarter with figures (one query of three subqueries) and its data-quality checks (as
    # home's)
    with django_assert_num_queries(SIGNED_IN + 6 + 1 + DATA_QUALITY):
        assert client.get(f"/partnerships/{bromley.slug}/").status_code == 200


@pytest.mark.parametrize("extra", [0, 120])
def test_s117_register_queries_do_not_grow(signed_in, bromley, extra, django_assert_num_queries):
    more_people(bromley, extra)
    client = signed_in("s117.officer")

    # SIGNED_IN + agreement; people by team; reported counts by team; reported totals by
    # kind of team;
    # reviews overdue; CTOs; new and ended in the last year; people count; one page of
    # people with their teams; the teams to search by; the breakdowns (entries with their
    # teams and bodies, their packages, the packages' panel decisions)
    with django_assert_num_queries(SIGNED_IN + 14):
        response = client.get(f"/partnerships/{bromley.slug}/s117/")
    assert response.status_code == 200


def test_s117_person_queries(signed_in, bromley, django_assert_num_queries):
    client = signed_in("s117.officer")

    # SIGNED_IN + agreement; the entry with its team and bodies; access log insert in a
    # savepoint pair; reviews; the periods of responsibility recorded; aftercare packages
    # and their panel decisions
    with django_assert_num_queries(SIGNED_IN + 9):
        response = client.get(f"/partnerships/{bromley.slug}/s117/people/BR-S117-0001/")
    assert response.status_code == 200


def test_register_counts_people_on_every_page_not_just_the_first(signed_in, bromley):
    more_people(bromley, 120)
    client = signed_in("s117.officer")

    page_two = client.get(f"/partnerships/{bromley.slug}/s117/?page=2").content.decode()

    assert "BULK-0" in page_two
    assert "Next" in page_two or "Previous" in page_two


@pytest.mark.parametrize("extra", [0, 120])
def test_s117_reviews_due_queries_do_not_grow(signed_in, bromley, extra, django_assert_num_queries):
    more_people(bromley, extra)  # all of them overdue
    client = signed_in("s117.officer")

    # SIGNED_IN + agreement; the people listed, counted; how many are overdue; one page of
    # them with their teams
    with django_assert_num_queries(SIGNED_IN + 4):
        response = client.get(f"/partnerships/{bromley.slug}/s117/reviews/?weeks=13")
    assert response.status_code == 200
    assert len(response.context["rows"]) == min(5 + extra, 100)


@pytest.mark.parametrize(
    ("page", "queries"),
    [
        # the entry; the periods recorded (none: the entry's bodies, one query each)
        ("responsibility/", 4),
        ("end/", 1),  # the entry
    ],
)
def test_s117_lifecycle_form_queries(signed_in, bromley, django_assert_num_queries, page, queries):
    client = signed_in("s117.officer")

    # SIGNED_IN + agreement; the page's own; access log insert in a savepoint pair;
    # the choices of council and ICB where the page offers them
    offered = 2 if page == "responsibility/" else 0
    with django_assert_num_queries(SIGNED_IN + 1 + queries + 3 + offered):
        response = client.get(f"/partnerships/{bromley.slug}/s117/people/BR-S117-0001/{page}")
    assert response.status_code == 200


@pytest.mark.parametrize("page", ["end/", "review/"])
def test_s117_package_page_queries(signed_in, bromley, django_assert_num_queries, page):
    client = signed_in("s117.officer")
    entry = RegisterEntry.objects.get(agreement=bromley, person_reference="BR-S117-0001")
    package = entry.packages.get()

    # SIGNED_IN + agreement; the entry; the package; access log insert in a savepoint pair
    with django_assert_num_queries(SIGNED_IN + 6):
        response = client.get(
            f"/partnerships/{bromley.slug}/s117/people/BR-S117-0001/packages/{package.pk}/{page}"
        )
    assert response.status_code == 200


def access_log_inserts(people: int) -> int:
    """The inserts that write `people` rows of the access log in bulk (s117.actions)."""
    fields = [field for field in AccessLog._meta.concrete_fields if not field.primary_key]
    batch = min(2000, connection.ops.bulk_batch_size(fields, [None] * people))
    return math.ceil(people / batch)


@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
@pytest.mark.parametrize("extra", [0, 120])
def test_s117_register_download_queries_do_not_grow(
    signed_in, bromley, extra, export_format, django_assert_num_queries
):
    more_people(bromley, extra)
    client = signed_in("s117.officer")
    people = RegisterEntry.objects.filter(agreement=bromley).count()

    # SIGNED_IN + agreement; the teams to search by; the people found with their teams;
    # in a savepoint pair, the access log's rows, in as few inserts as the database takes
    # them (one for as many as 124 people on SQLite, for its limit on a query's
    # parameters), and the export log's row
    with django_assert_num_queries(SIGNED_IN + 6 + access_log_inserts(people)):
        response = client.get(f"/partnerships/{bromley.slug}/s117/?export={export_format}")
    assert response.status_code == 200


@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
@pytest.mark.parametrize("extra", [0, 120])
def test_s117_breakdowns_download_queries_do_not_grow(
    signed_in, bromley, extra, export_format, django_assert_num_queries
):
    more_people(bromley, extra)
    client = signed_in("s117.officer")

    # SIGNED_IN + agreement; the breakdowns (entries with their teams and bodies, their
    # packages, the packages' panel decisions); the export log's row in a savepoint pair
    with django_assert_num_queries(SIGNED_IN + 7):
        response = client.get(
            f"/partnerships/{bromley.slug}/s117/breakdowns/export/?export={export_format}"
        )
    assert response.status_code == 200
