"""The staffing pages on the demo seed, as each role sees them."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from caseload.models import StaffPost
from records.actions import staffing as actions

pytestmark = pytest.mark.django_db

Basis = StaffPost.Basis


@pytest.fixture
def as_user(client, django_user_model):
    def sign_in(username):
        client.force_login(django_user_model.objects.get(username=username))
        return client

    return sign_in


def filled_post(agreement):
    return (
        StaffPost.objects.filter(team__agreement=agreement, valid_to__isnull=True)
        .exclude(basis=Basis.VACANT)
        .exclude(role="amhp")
        .order_by("pk")
        .first()
    )


def dashboard_vacancies(client, agreement) -> int:
    return client.get(reverse("staffing", args=[agreement.slug])).context["summary"].vacant_posts


def date_parts(name, day):
    return {f"{name}_day": day.day, f"{name}_month": day.month, f"{name}_year": day.year}


def test_commissioner_records_a_vacancy_and_the_dashboard_counts_it(as_user, bromley):
    client = as_user("commissioner")
    vacancies = dashboard_vacancies(client, bromley)
    post = filled_post(bromley)

    response = client.post(
        reverse("change_staff_post", args=[bromley.slug, post.pk]),
        {"change": "vacant", **date_parts("on", datetime.date(2026, 11, 30))},
        follow=True,
    )

    assert response.status_code == 200
    assert f"Post {post.reference} recorded as vacant from 30 November 2026." in response.text
    assert dashboard_vacancies(client, bromley) == vacancies + 1
    post.refresh_from_db()
    assert post.vacant and post.employer is None


def test_the_post_page_shows_who_changed_what_from_what(as_user, bromley):
    client = as_user("commissioner")
    post = filled_post(bromley)
    client.post(
        reverse("change_staff_post", args=[bromley.slug, post.pk]),
        {"change": "wte", "wte": "0.60", **date_parts("on", datetime.date(2026, 10, 1))},
    )

    response = as_user("jmg.member").get(reverse("staff_post", args=[bromley.slug, post.pk]))

    changes = response.context["changes"]
    assert [(c.who, c.figure, c.before, c.after) for c in changes[:2]] == [
        ("commissioner", "WTE", "1", "0.6"),
        ("commissioner", "Latest change took effect", "None since it began", "1 October 2026"),
    ]
    assert "Record a change to this post" not in response.text  # a JMG member only reads


def test_adding_a_post_puts_it_on_the_posts_page(as_user, bromley):
    client = as_user("commissioner")
    team = bromley.teams.get(name__contains="Community")
    council = bromley.partners.get(organisation__short_name="LBB").organisation

    response = client.post(
        reverse("add_staff_post", args=[bromley.slug]),
        {
            "team": team.pk,
            "reference": "CMHT-SW-99",
            "role": "social_worker",
            "wte": "0.5",
            "case_holding": "yes",
            "funder": council.pk,
            "employer": "",
            "basis": "vacant",
            "origin": "created",
            **date_parts("valid_from", datetime.date(2026, 12, 1)),
        },
        follow=True,
    )

    post = StaffPost.objects.get(team=team, reference="CMHT-SW-99")
    assert (post.wte, post.vacant, post.case_holding) == (Decimal("0.50"), True, True)
    assert response.redirect_chain[-1][0] == reverse("staff_post", args=[bromley.slug, post.pk])
    listed = client.get(reverse("staff_posts", args=[bromley.slug]))
    assert "CMHT-SW-99" in listed.text


def test_a_new_post_may_be_funded_by_todays_partners_not_the_bodies_before_them(as_user, bromley):
    page = as_user("commissioner").get(reverse("add_staff_post", args=[bromley.slug]))
    text = page.content.decode()

    assert "NHS South East London Integrated Care Board" in text
    assert "Clinical Commissioning Group" not in text and "Primary Care Trust" not in text


def test_filling_a_vacancy_with_a_council_secondment(as_user, bromley):
    client = as_user("commissioner")
    post = StaffPost.objects.filter(team__agreement=bromley, basis=Basis.VACANT).first()
    council = bromley.partners.get(organisation__short_name="LBB").organisation

    client.post(
        reverse("change_staff_post", args=[bromley.slug, post.pk]),
        {
            "change": "filled",
            "employer": council.pk,
            "basis": "seconded",
            **date_parts("on", datetime.date(2026, 12, 1)),
        },
    )

    post.refresh_from_db()
    assert (post.employer, post.basis, post.changed_on) == (
        council,
        Basis.SECONDED,
        datetime.date(2026, 12, 1),
    )


def test_an_ended_post_is_listed_apart(as_user, bromley):
    client = as_user("commissioner")
    post = filled_post(bromley)
    client.post(
        reverse("change_staff_post", args=[bromley.slug, post.pk]),
        {"change": "ended", **date_parts("on", datetime.date(2026, 11, 30))},
    )

    response = client.get(reverse("staff_posts", args=[bromley.slug]))

    assert [p.pk for p in response.context["ended"]] == [post.pk]
    assert all(post not in team.current for team in response.context["teams"])


def test_changing_the_establishment_keeps_its_history(as_user, bromley):
    client = as_user("commissioner")
    team = bromley.teams.get(name__contains="Community")
    before = team.establishment_wte

    client.post(
        reverse("change_team_establishment", args=[bromley.slug, team.pk]),
        {"establishment": "61.25"},
    )

    response = client.get(reverse("change_team_establishment", args=[bromley.slug, team.pk]))
    team.refresh_from_db()
    assert team.establishment_wte == Decimal("61.25")
    latest = response.context["changes"][0]
    assert (latest.who, latest.after) == ("commissioner", "61.25")
    assert latest.before != latest.after and before != team.establishment_wte


def test_posts_page_shows_each_team_with_its_figures(as_user, bromley):
    response = as_user("jmg.member").get(reverse("staff_posts", args=[bromley.slug]))

    teams = response.context["teams"]
    assert sum(team.vacant_posts for team in teams) == 6  # seed: 35 posts with 6 vacancies
    assert sum(team.filled_posts + team.vacant_posts for team in teams) == 35
    assert "Add a post" not in response.text
    assert ">Change<" not in response.text


def test_commissioner_sees_change_and_add_links(as_user, bromley):
    response = as_user("commissioner").get(reverse("staff_posts", args=[bromley.slug]))

    assert "Add a post" in response.text
    assert reverse("add_staff_post", args=[bromley.slug]) in response.text


def test_the_staffing_dashboard_links_to_the_posts_only_for_those_who_keep_them(as_user, bromley):
    link = reverse("staff_posts", args=[bromley.slug])

    assert link in as_user("commissioner").get(reverse("staffing", args=[bromley.slug])).text
    assert link not in as_user("jmg.member").get(reverse("staffing", args=[bromley.slug])).text


@pytest.mark.parametrize(
    "page", ["add_staff_post", "change_staff_post", "change_team_establishment"]
)
def test_a_jmg_member_may_not_open_or_post_the_forms(as_user, bromley, page):
    client = as_user("jmg.member")
    post = filled_post(bromley)
    args = {
        "add_staff_post": [bromley.slug],
        "change_staff_post": [bromley.slug, post.pk],
        "change_team_establishment": [bromley.slug, post.team_id],
    }[page]

    assert client.get(reverse(page, args=args)).status_code == 403
    response = client.post(
        reverse(page, args=args),
        {"change": "vacant", **date_parts("on", datetime.date(2026, 11, 30))},
    )
    assert response.status_code == 403
    post.refresh_from_db()
    assert not post.vacant


def test_an_outsider_is_told_nothing_exists(client, django_user_model, bromley):
    client.force_login(django_user_model.objects.create_user("outsider"))
    post = filled_post(bromley)

    for url in (
        reverse("staff_posts", args=[bromley.slug]),
        reverse("staff_post", args=[bromley.slug, post.pk]),
        reverse("change_staff_post", args=[bromley.slug, post.pk]),
    ):
        assert client.get(url).status_code == 404


def test_another_partnerships_post_is_not_found_through_ours(as_user, bromley, oxfordshire):
    client = as_user("commissioner")
    theirs = filled_post(oxfordshire)

    assert client.get(reverse("staff_post", args=[bromley.slug, theirs.pk])).status_code == 404
    assert (
        client.get(reverse("change_staff_post", args=[bromley.slug, theirs.pk])).status_code == 404
    )
    team = theirs.team
    url = reverse("change_team_establishment", args=[bromley.slug, team.pk])
    assert client.get(url).status_code == 404


# Query counts: session, user, the partnership, the user's memberships (as every page of a
# partnership), then the page's own.
SIGNED_IN = 4


def more_posts(agreement, count):
    template = filled_post(agreement)
    StaffPost.objects.bulk_create(
        StaffPost(
            team=template.team,
            reference=f"BULK-{number:03d}",
            role=template.role,
            wte=Decimal("0.50"),
            funder=template.funder,
            employer=template.employer if number % 2 else None,
            basis=template.basis if number % 2 else Basis.VACANT,
            origin=template.origin,
            valid_from=template.valid_from,
            valid_to=datetime.date(2025, 3, 31) if number % 5 == 0 else None,
        )
        for number in range(count)
    )


def more_history(post, user, count):
    for number in range(count):
        actions.change_wte(
            by=user,
            post=post,
            wte=Decimal("0.50") if number % 2 else Decimal("0.60"),
            on=datetime.date(2026, 1, 1) + datetime.timedelta(days=number),
        )


@pytest.mark.parametrize("extra", [0, 30])
def test_posts_page_queries_do_not_grow_with_posts(
    as_user, bromley, django_assert_num_queries, extra
):
    more_posts(bromley, extra)
    client = as_user("commissioner")

    # teams, then every post with its funder and employer
    with django_assert_num_queries(SIGNED_IN + 2):
        response = client.get(reverse("staff_posts", args=[bromley.slug]))

    assert response.status_code == 200


@pytest.mark.parametrize("extra", [0, 12])
def test_post_page_queries_do_not_grow_with_history(
    as_user, bromley, django_assert_num_queries, django_user_model, extra
):
    post = filled_post(bromley)
    more_history(post, django_user_model.objects.get(username="commissioner"), extra)
    client = as_user("commissioner")

    # the post with its team, funder and employer; its history with who and organisations
    with django_assert_num_queries(SIGNED_IN + 2):
        response = client.get(reverse("staff_post", args=[bromley.slug, post.pk]))

    assert response.status_code == 200


@pytest.mark.parametrize("extra", [0, 30])
def test_form_pages_queries_do_not_grow_with_posts(
    as_user, bromley, django_assert_num_queries, extra
):
    more_posts(bromley, extra)
    client = as_user("commissioner")
    post = filled_post(bromley)

    with django_assert_num_queries(SIGNED_IN + 2):  # teams, partners
        assert client.get(reverse("add_staff_post", args=[bromley.slug])).status_code == 200
    with django_assert_num_queries(SIGNED_IN + 2):  # the post, partners
        url = reverse("change_staff_post", args=[bromley.slug, post.pk])
        assert client.get(url).status_code == 200
    with django_assert_num_queries(SIGNED_IN + 2):  # the team, its history
        url = reverse("change_team_establishment", args=[bromley.slug, post.team_id])
        assert client.get(url).status_code == 200


def test_fields_of_another_kind_of_change_are_left_alone(as_user, bromley):
    client = as_user("commissioner")
    post = filled_post(bromley)

    response = client.post(
        reverse("change_staff_post", args=[bromley.slug, post.pk]),
        {"change": "vacant", "wte": "lots", **date_parts("on", datetime.date(2026, 11, 30))},
    )

    assert response.status_code == 302
    post.refresh_from_db()
    assert post.vacant and post.wte == Decimal("1.00")
