"""JMG members and commissioners keep the action plan: reviews, their recommendations,
each action's owner, due date and status, and its progress; with history, bad input named
per field with nothing saved, and who may open the pages."""

import datetime

import pytest

from partnerships.models import ProgressNote, Recommendation, Review
from records.actions.action_plan import (
    add_progress_note,
    add_recommendation,
    add_review,
    change_action,
)

pytestmark = pytest.mark.django_db

BROMLEY = "/partnerships/bromley-oxleas-mh/records/action-plan"
SIGNED_IN = 4  # session, user, the agreement, the user's memberships
TODAY = datetime.date(2026, 12, 3)


@pytest.fixture
def jmg(client, django_user_model):
    client.force_login(django_user_model.objects.get(username="jmg.member"))
    return client


def _user(django_user_model, name="jmg.member"):
    return django_user_model.objects.get(username=name)


def _review(agreement):
    return agreement.reviews.get(title="Section 31 Review 2021")


def _open_action(agreement):
    return Recommendation.objects.get(review__agreement=agreement, reference="3.8.4")


def _date(prefix, day):
    return {f"{prefix}_day": day.day, f"{prefix}_month": day.month, f"{prefix}_year": day.year}


# Actions


def test_marking_an_action_complete_records_today_and_reopening_clears_it(
    bromley, django_user_model
):
    user = _user(django_user_model)
    action = _open_action(bromley)

    done = change_action(
        by=user,
        recommendation=action,
        owner=action.owner,
        due_date=None,
        status="complete",
        today=TODAY,
    )
    again = change_action(
        by=user,
        recommendation=done,
        owner="Director of Adult Services",
        due_date=None,
        status="complete",
        today=TODAY + datetime.timedelta(days=1),
    )
    reopened = change_action(
        by=user,
        recommendation=again,
        owner=again.owner,
        due_date=None,
        status="in_progress",
        today=TODAY,
    )

    assert done.completed_on == TODAY and again.completed_on == TODAY
    assert reopened.completed_on is None
    assert reopened.history.first().history_user == user


def test_a_progress_note_keeps_its_author_status_and_quarter(bromley, django_user_model):
    user = _user(django_user_model)
    action = _open_action(bromley)

    note = add_progress_note(
        by=user, recommendation=action, written_on=datetime.date(2026, 11, 30), note="Audit done."
    )

    assert note.author == user and note.status_after == action.status
    assert note.quarter.label == "2026/27-Q3"


def test_a_review_and_its_recommendation_are_added_with_history(bromley, django_user_model):
    user = _user(django_user_model, "commissioner")

    review = add_review(by=user, agreement=bromley, title="Review 2026", carried_out="2026")
    recommendation = add_recommendation(
        by=user, review=review, reference="2.10", text="Do it.", owner="Head of service"
    )

    assert review.history.get().history_user == user
    assert recommendation.status == "not_started" and recommendation.sort_key == "0002.0010"


# Pages


def test_plan_lists_the_review_and_its_recommendations(jmg, bromley):
    text = jmg.get(f"{BROMLEY}/").content.decode()

    assert "Section 31 Review 2021" in text and "Add a review" in text
    assert text.index(">3.8.9<") < text.index(">3.8.10<")
    assert f"/reviews/{_review(bromley).pk}/recommendations/add/" in text


def test_adding_a_review(jmg, bromley):
    response = jmg.post(
        f"{BROMLEY}/reviews/add/",
        {
            "title": "Section 75 Review 2026",
            "carried_out": "Autumn 2026",
            **_date("reported_on", datetime.date(2026, 11, 20)),
            "reported_to": "Health Scrutiny Sub-Committee",
            "reference": "ACH26-001",
        },
        follow=True,
    )

    review = bromley.reviews.get(title="Section 75 Review 2026")
    assert review.reported_on == datetime.date(2026, 11, 20)
    text = response.content.decode()
    assert "Added the review Section 75 Review 2026" in text
    assert "jmg.member, 3 December 2026" in text


def test_adding_a_recommendation(jmg, bromley):
    review = _review(bromley)

    jmg.post(
        f"{BROMLEY}/reviews/{review.pk}/recommendations/add/",
        {
            "reference": "3.8.11",
            "text": "Publish the action plan.",
            "owner": "Head of Service",
            **_date("due_date", datetime.date(2027, 3, 31)),
        },
    )

    added = review.recommendations.get(reference="3.8.11")
    assert added.due_date == datetime.date(2027, 3, 31) and added.status == "not_started"


def test_changing_an_action_shows_in_its_history(jmg, bromley):
    action = _open_action(bromley)

    response = jmg.post(
        f"{BROMLEY}/actions/{action.pk}/",
        {"owner": "Director of Adult Services", **_date("due_date", TODAY), "status": "complete"},
        follow=True,
    )

    text = response.content.decode()
    saved = Recommendation.objects.get(pk=action.pk)
    assert saved.status == "complete" and saved.completed_on == TODAY
    assert "Changes to this action" in text
    assert "Director of Adult Services" in text and "jmg.member" in text
    assert ">Closed without completion</option>" in text  # the statuses' readable labels


def test_adding_a_progress_note_shows_it_on_the_action(jmg, bromley):
    action = _open_action(bromley)

    response = jmg.post(
        f"{BROMLEY}/actions/{action.pk}/progress/add/",
        {**_date("written_on", TODAY), "note": "Safeguarding audit completed."},
        follow=True,
    )

    assert "Safeguarding audit completed." in response.content.decode()
    assert action.progress_notes.get(note="Safeguarding audit completed.").author.username == (
        "jmg.member"
    )


@pytest.mark.parametrize(
    ("path", "data", "field", "message"),
    [
        ("reviews/add/", {"carried_out": "2026"}, "title", "Enter the review&#x27;s title"),
        (
            "reviews/add/",
            {"title": "Section 31 Review 2021", "carried_out": "2026"},
            "title",
            "already has a review called",
        ),
        ("reviews/add/", {"title": "T"}, "carried_out", "Enter when the review was carried out"),
        (
            "reviews/add/",
            {
                "title": "T",
                "carried_out": "2026",
                "reported_on_day": "31",
                "reported_on_month": "2",
                "reported_on_year": "2026",
            },
            "reported_on",
            "must be a real date",
        ),
        (
            "reviews/{review}/recommendations/add/",
            {"reference": "3.8.1", "text": "x", "owner": "Head"},
            "reference",
            "already has a recommendation 3.8.1",
        ),
        (
            "reviews/{review}/recommendations/add/",
            {"reference": "3.8.12", "text": "x"},
            "owner",
            "Enter the role that owns the action",
        ),
        ("actions/{action}/", {"owner": "Head", "status": "finished"}, "status", "Select one"),
        ("actions/{action}/", {"owner": "", "status": "complete"}, "owner", "Enter the role"),
        (
            "actions/{action}/",
            {"owner": "Head", "status": "complete", "due_date_day": "1", "due_date_year": "2027"},
            "due_date",
            "must be a real date",
        ),
        ("actions/{action}/progress/add/", {"note": "Done"}, "written_on", "Enter the date"),
        (
            "actions/{action}/progress/add/",
            {"note": "Done", **_date("written_on", TODAY + datetime.timedelta(days=1))},
            "written_on",
            "today or in the past",
        ),
        (
            "actions/{action}/progress/add/",
            {**_date("written_on", TODAY), "note": "=HYPERLINK(1)"},
            "note",
            "",
        ),
    ],
)
def test_bad_input_is_named_on_its_field_and_nothing_is_saved(
    jmg, bromley, path, data, field, message
):
    action = _open_action(bromley)
    counts = (Review.objects.count(), Recommendation.objects.count(), ProgressNote.objects.count())
    history = action.history.count()
    url = f"{BROMLEY}/{path.format(review=_review(bromley).pk, action=action.pk)}"

    response = jmg.post(url, data)

    text = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in text
    assert message in text
    assert list(response.context["form"].errors) == [field]
    assert f'href="#id_{field}' in text
    assert (
        Review.objects.count(),
        Recommendation.objects.count(),
        ProgressNote.objects.count(),
    ) == counts
    assert action.history.count() == history


@pytest.mark.parametrize("username", ["scrutiny.officer", "s117.officer"])
def test_other_roles_are_refused(client, bromley, django_user_model, username):
    client.force_login(_user(django_user_model, username))
    action = _open_action(bromley)

    for path in ("", "reviews/add/", f"actions/{action.pk}/", f"actions/{action.pk}/progress/add/"):
        assert client.get(f"{BROMLEY}/{path}").status_code == 403
    assert client.post(f"{BROMLEY}/actions/{action.pk}/", {"owner": "X"}).status_code == 403
    assert Recommendation.objects.get(pk=action.pk).owner == action.owner


def test_a_commissioner_may_keep_the_plan_too(client, bromley, django_user_model):
    client.force_login(_user(django_user_model, "commissioner"))

    assert client.get(f"{BROMLEY}/").status_code == 200


def test_an_outsider_gets_404(client, bromley, django_user_model):
    client.force_login(django_user_model.objects.create_user("outsider", password="x-1"))

    assert client.get(f"{BROMLEY}/").status_code == 404
    assert client.post(f"{BROMLEY}/reviews/add/", {"title": "T"}).status_code == 404
    assert not bromley.reviews.filter(title="T").exists()


def test_another_partnerships_review_or_action_is_not_found_here(jmg, bromley, oxfordshire):
    user = Review.objects.create(agreement=oxfordshire, title="Theirs", carried_out="2020")
    theirs = Recommendation.objects.create(review=user, reference="1", text="x", owner="y")

    assert jmg.get(f"{BROMLEY}/reviews/{user.pk}/recommendations/add/").status_code == 404
    assert jmg.get(f"{BROMLEY}/actions/{theirs.pk}/").status_code == 404
    assert jmg.get(f"{BROMLEY}/actions/{theirs.pk}/progress/add/").status_code == 404


# Query counts: the same however many reviews, actions, notes and changes there are.


def _more(agreement, user, extra):
    for n in range(extra):
        review = add_review(by=user, agreement=agreement, title=f"Review {n}", carried_out="2025")
        for m in range(3):
            add_recommendation(by=user, review=review, reference=f"{m}", text="x", owner="y")
    action = _open_action(agreement)
    for n in range(extra):
        add_progress_note(by=user, recommendation=action, written_on=TODAY, note=f"Note {n}")
        action = change_action(
            by=user,
            recommendation=action,
            owner=f"Owner {n}",
            due_date=None,
            status="in_progress",
            today=TODAY,
        )


@pytest.mark.parametrize("extra", [0, 8])
@pytest.mark.parametrize(
    ("path", "queries"),
    [
        # the reviews; their recommendations; who added each
        ("", 3),
        ("reviews/add/", 0),
        # the review
        ("reviews/{review}/recommendations/add/", 1),
        # the action with its review; its notes with their authors; its history with who
        ("actions/{action}/", 3),
        # the action with its review
        ("actions/{action}/progress/add/", 1),
    ],
)
def test_page_queries_do_not_grow(
    jmg, bromley, django_user_model, extra, path, queries, django_assert_num_queries
):
    _more(bromley, _user(django_user_model), extra)
    url = f"{BROMLEY}/{path.format(review=_review(bromley).pk, action=_open_action(bromley).pk)}"

    with django_assert_num_queries(SIGNED_IN + queries):
        assert jmg.get(url).status_code == 200
