"""A review is overdue when the entitlement is in force (discharged, not yet ended) and its
review was due before the day: the same in Python (`RegisterEntry.review_overdue`) and in
the database (`RegisterEntry.overdue_for_review`), which the register's counts, its list of
people, the home page and the papers use."""

import datetime
import itertools

import pytest

from partnerships.models import Organisation
from s117 import selectors
from s117.models import RegisterEntry

pytestmark = pytest.mark.django_db

DAY = datetime.date(2025, 6, 30)
ONE = datetime.timedelta(days=1)
DISCHARGED = [None, DAY - 400 * ONE, DAY, DAY + ONE]
ENDED = [None, DAY - ONE, DAY, DAY + ONE]
DUE = [None, DAY - ONE, DAY, DAY + ONE]


@pytest.fixture
def every_edge(bromley):
    council = Organisation.objects.filter(kind="council").first()
    icb = Organisation.objects.filter(kind="icb").first()
    entries = []
    for n, (discharged, ended, due) in enumerate(itertools.product(DISCHARGED, ENDED, DUE)):
        if ended is not None and (discharged is None or ended < discharged):
            continue  # the database refuses an end before discharge
        entries.append(
            RegisterEntry.objects.create(
                agreement=bromley,
                person_reference=f"EDGE-{n:03d}",
                qualifying_section="3",
                detained_on=datetime.date(2020, 1, 1),
                discharged_on=discharged,
                responsible_council=council,
                responsible_icb=icb,
                review_due=due,
                ended_on=ended,
                end_agreed_by_council_on=ended,
                end_agreed_by_icb_on=ended,
                end_reason="Joint decision" if ended else "",
            )
        )
    return entries


def test_the_database_finds_the_overdue_reviews_that_python_does(bromley, every_edge):
    edges = RegisterEntry.objects.filter(person_reference__startswith="EDGE-")

    found = set(
        edges.filter(RegisterEntry.overdue_for_review(DAY)).values_list(
            "person_reference", flat=True
        )
    )

    expected = {e.person_reference for e in every_edge if e.review_overdue(DAY)}
    assert found == expected
    # Discharged a while ago or today, not ended or ending after the day, due yesterday.
    assert len(expected) == 4


def test_the_register_list_marks_the_same_people_overdue(bromley, every_edge):
    listed = {
        entry.person_reference: entry.overdue
        for entry in selectors.people(bromley, DAY).filter(person_reference__startswith="EDGE-")
    }

    assert listed == {e.person_reference: e.review_overdue(DAY) for e in every_edge}


def test_a_review_due_today_or_for_someone_not_yet_discharged_is_not_overdue(every_edge):
    not_overdue = [e for e in every_edge if e.review_due == DAY or e.discharged_on is None]

    assert not_overdue and not any(e.review_overdue(DAY) for e in not_overdue)
