"""When returns are due: the partnership's timetable in working days, and each return's
standing against it (due, overdue, late) on the returns page and the return's page."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from partnerships.models import Quarter
from returns.actions import ReturnRefused, apply_return_changes, submit_return
from returns.file import Lookups
from returns.models import QuarterlyReturn, ReturnSchedule
from returns.schedule import deadlines, standing
from returns.selectors import returns_to_show

pytestmark = pytest.mark.django_db
D = datetime.date


def signed_in(django_user_model, username):
    client = Client()
    client.force_login(django_user_model.objects.get(username=username))
    return client


@pytest.fixture
def q4():
    return Quarter.objects.get(financial_year__start_year=2022, number=4)


def test_default_timetable_counts_working_days_past_easter(q4):
    due = deadlines(None, q4)

    # Q4 2022/23 ended on Friday 31 March 2023; Good Friday was 7 April, Easter Monday 10.
    assert due.return_due == D(2023, 5, 3)  # 20 working days on, past the 1 May holiday
    # 10 more, past 8 May 2023, the one-off bank holiday for the coronation.
    assert due.sign_off_due == D(2023, 5, 18)
    assert not due.set_by_partnership


def test_a_return_is_due_then_overdue_then_late_when_submitted(q4, bromley, django_user_model):
    schedule = ReturnSchedule(agreement=bromley, return_working_days=5, sign_off_working_days=3)
    due = deadlines(schedule, q4)
    assert due.return_due == D(2023, 4, 11) and due.sign_off_due == D(2023, 4, 14)

    assert standing(due, q4, None, D(2023, 3, 31)).code == "not_due"
    assert standing(due, q4, None, D(2023, 4, 11)).text == "Due by 11 April 2023"
    assert standing(due, q4, None, D(2023, 4, 12)).code == "overdue"

    submitted = QuarterlyReturn(
        agreement=bromley,
        quarter=q4,
        status=QuarterlyReturn.Status.SUBMITTED,
        submitted_at=timezone.make_aware(datetime.datetime(2023, 4, 13, 10)),
    )
    on_time = standing(due, q4, submitted, D(2023, 4, 13))
    assert on_time.text == "Submitted late; sign-off due by 14 April 2023"
    assert standing(due, q4, submitted, D(2023, 4, 17)).code == "sign_off_overdue"


def test_returns_page_shows_each_quarter_due_or_overdue(django_user_model):
    page = signed_in(django_user_model, "commissioner").get(
        "/partnerships/bromley-oxleas-mh/returns/"
    )

    text = page.content.decode()
    assert "the service's default is 20 working days after the quarter ends" in text
    assert "Overdue: it was due by" in text or "Signed off" in text
    assert "Change when returns are due" not in text  # only a JMG member sets it


def test_a_jmg_member_sets_the_timetable_and_the_pages_follow_it(django_user_model, bromley):
    jmg = signed_in(django_user_model, "jmg.member")

    refused = jmg.post(
        "/partnerships/bromley-oxleas-mh/returns/schedule/",
        {"return_working_days": "0", "sign_off_working_days": "x"},
    )
    assert "Enter a whole number of working days from 1 to 130" in refused.content.decode()
    assert "Enter a whole number of working days" in refused.content.decode()
    assert not ReturnSchedule.objects.filter(agreement=bromley).exists()

    saved = jmg.post(
        "/partnerships/bromley-oxleas-mh/returns/schedule/",
        {"return_working_days": "15", "sign_off_working_days": "5"},
    )
    assert saved.status_code == 302
    schedule = ReturnSchedule.objects.get(agreement=bromley)
    assert schedule.history.latest().history_user.username == "jmg.member"
    page = jmg.get("/partnerships/bromley-oxleas-mh/returns/2022-23-Q4/").content.decode()
    assert "Return due by 25 April 2023; sign-off due by 3 May 2023" in page
    listed = jmg.get("/partnerships/bromley-oxleas-mh/returns/").content.decode()
    assert "Returns are due 15 working days after the quarter ends" in listed


def test_a_commissioner_may_not_set_the_timetable(django_user_model):
    commissioner = signed_in(django_user_model, "commissioner")

    response = commissioner.post(
        "/partnerships/bromley-oxleas-mh/returns/schedule/",
        {"return_working_days": "15", "sign_off_working_days": "5"},
    )

    assert response.status_code == 403
    assert not ReturnSchedule.objects.exists()


def test_a_return_with_nothing_entered_cant_be_submitted(bromley, django_user_model):
    quarter = Quarter.objects.get(financial_year__start_year=2026, number=3)
    # The last quarter of the agreement's term holds no figures yet.
    assert not Lookups(bromley, quarter).anything_recorded()
    empty = QuarterlyReturn.objects.create(agreement=bromley, quarter=quarter)

    with pytest.raises(ReturnRefused, match=f"Nothing has been entered for {quarter.name}"):
        submit_return(
            by=django_user_model.objects.get(username="commissioner"), quarterly_return=empty
        )

    empty.refresh_from_db()
    assert empty.status == QuarterlyReturn.Status.DRAFT


def test_no_return_is_offered_or_taken_after_the_agreement_ends(bromley, django_user_model):
    # Bromley's agreement, as extended, ends on 30 November 2026.
    commissioner = signed_in(django_user_model, "commissioner")
    listed = returns_to_show(bromley, D(2027, 6, 1))
    assert listed[0]["quarter"].name == "2026/27 Q3"

    after = Quarter.objects.get(financial_year__start_year=2026, number=4)
    with pytest.raises(ReturnRefused, match="there is no return for 2026/27 Q4"):
        apply_return_changes(
            by=django_user_model.objects.get(username="commissioner"),
            agreement=bromley,
            quarter=after,
            changes=[],
        )
    form = commissioner.get(
        "/partnerships/bromley-oxleas-mh/returns/2026-27-Q4/enter/", follow=True
    )
    assert "there is no return for 2026/27 Q4" in form.content.decode()


def test_a_return_marked_nothing_to_report_can_be_submitted(bromley, django_user_model):
    from returns.models import SectionState

    by = django_user_model.objects.get(username="commissioner")
    quarter = Quarter.objects.get(financial_year__start_year=2026, number=3)
    empty = QuarterlyReturn.objects.create(agreement=bromley, quarter=quarter)
    SectionState.objects.create(
        quarterly_return=empty,
        section="kpi",
        state="nothing",
        marked_by=by,
        marked_at=timezone.now(),
    )

    assert submit_return(by=by, quarterly_return=empty).status == "submitted"
