"""What needs each demo role, on the fixed day (3 December 2026): only what docs/access.md
lets the role see and act on, in each partnership, and in a constant number of queries."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.template.loader import render_to_string
from django.utils import timezone

from partnerships.models import Decision, Membership, Quarter, Role
from reports.models import Report
from returns.models import QuarterlyReturn
from s117.models import RegisterEntry
from tasks.needs import needs_for

TODAY = datetime.date(2026, 12, 3)


def needs_of(username):
    return needs_for(get_user_model().objects.get(username=username), TODAY)


def kinds(needs):
    return {need.kind for need in needs}


def test_a_commissioner_has_each_overdue_return_to_enter(oxfordshire, bromley):
    needs = needs_of("commissioner")

    texts = {(n.agreement.slug, n.text) for n in needs if n.kind == "return_due"}
    assert (
        oxfordshire.slug,
        "The 2026/27 Q2 return is overdue: it was due by 28 October 2026",
    ) in texts
    q2 = next(n for n in needs if n.key == f"return-due:{oxfordshire.pk}:2026/27-Q2:overdue")
    assert q2.overdue and q2.due == datetime.date(2026, 10, 28)
    assert q2.url == f"/partnerships/{oxfordshire.slug}/returns/2026-27-Q2/"
    # Bromley ended on 30 November 2026: no return for a quarter after that, none not yet due.
    assert not [n for n in needs if "2026/27 Q3" in n.text]
    assert "s117_reviews" not in kinds(needs)


def test_a_submitted_return_waits_for_the_jmg_not_the_commissioner(oxfordshire):
    quarter = Quarter.objects.get(financial_year__start_year=2026, number=2)
    QuarterlyReturn.objects.create(
        agreement=oxfordshire,
        quarter=quarter,
        status=QuarterlyReturn.Status.SUBMITTED,
        submitted_at=timezone.now(),
    )
    label = quarter.label

    jmg = [n for n in needs_of("jmg.member") if n.kind == "return_sign_off"]
    commissioner = needs_of("commissioner")

    assert [n.key.rsplit(":", 1)[0] for n in jmg] == [f"return-sign-off:{oxfordshire.pk}:{label}"]
    assert "waits for sign-off" in jmg[0].text
    assert not [n for n in commissioner if f"{oxfordshire.pk}:{label}" in n.key]
    assert "return_due" not in kinds(needs_of("jmg.member"))


def test_the_s117_officer_has_review_counts_and_never_a_name(bromley):
    needs = needs_of("s117.officer")

    reviews = [n for n in needs if n.kind == "s117_reviews"]
    assert [n.agreement for n in reviews] == [bromley]
    overdue = RegisterEntry.objects.filter(
        RegisterEntry.overdue_for_review(TODAY), agreement=bromley
    ).count()
    assert reviews[0].text.startswith(f"s117 register: {overdue} people overdue for review")
    assert reviews[0].url == f"/partnerships/{bromley.slug}/s117/"
    for entry in RegisterEntry.objects.all():
        for marker in (entry.person_reference, entry.full_name, entry.nhs_number):
            assert not marker or marker not in reviews[0].text
    assert kinds(needs) <= {"s117_reviews", "report_published"}
    assert "s117_reviews" not in kinds(needs_of("jmg.member") + needs_of("commissioner"))


def test_a_scrutiny_officer_gets_none_of_the_budget_kpi_s117_or_term_items(oxfordshire):
    # A scrutiny officer acts on none of them (the agreement's standing is on its card), and
    # hears only of the papers just published, each linked to its version in the library.
    needs = needs_of("scrutiny.officer")
    assert kinds(needs) == {"report_published"}
    assert all("/reports/" in n.url for n in needs)
    assert "ending" in kinds(needs_of("jmg.member")) and "ending" in kinds(needs_of("commissioner"))
    assert "ending" not in kinds(needs_of("s117.officer"))


def test_overdue_actions_are_for_those_who_see_the_dashboards(bromley):
    for name in ("jmg.member", "commissioner"):
        actions = [n for n in needs_of(name) if n.kind == "actions_overdue"]
        assert [(n.agreement, n.url) for n in actions] == [
            (bromley, f"/partnerships/{bromley.slug}/actions/")
        ]
        assert actions[0].text == "1 action in the action plan is overdue"
    assert "actions_overdue" not in kinds(needs_of("s117.officer"))


def test_an_ending_agreement_says_so_when_an_extension_is_decided(oxfordshire):
    Decision.objects.create(
        agreement=oxfordshire,
        kind=Decision.Kind.EXTENSION,
        decided_on=datetime.date(2026, 11, 20),
        body="Cabinet",
        summary="Extend for two years.",
    )

    ending = [n for n in needs_of("jmg.member") if n.kind == "ending"]

    assert ending[0].text.endswith("a decision to extend it is recorded")
    assert ending[0].key == f"agreement-ending:{oxfordshire.pk}:6:decided"


def test_an_unpublished_draft_is_for_whoever_publishes(bromley):
    draft = Report.objects.create(
        agreement=bromley, kind="scrutiny", period="2026/27-Q1", title="Scrutiny report Q1"
    )

    drafts = [n for n in needs_of("commissioner") if n.kind == "report_draft"]

    assert [(n.text, n.key) for n in drafts] == [
        ("Scrutiny report Q1 is drafted but not published", f"report-draft:{draft.pk}")
    ]
    assert drafts[0].url == f"/partnerships/{bromley.slug}/reports/{draft.pk}/"
    assert "report_draft" not in kinds(needs_of("jmg.member"))


def test_nobody_outside_a_partnership_hears_of_it(django_user_model):
    outsider = django_user_model.objects.create_user("outsider", password="x")

    assert needs_for(outsider, TODAY) == []


@pytest.mark.parametrize("role", [r.value for r in Role])
def test_queries_stay_the_same_for_one_partnership_or_two(
    role, oxfordshire, bromley, django_user_model, django_assert_num_queries
):
    one = django_user_model.objects.create_user(f"one.{role}", password="x")
    two = django_user_model.objects.create_user(f"two.{role}", password="x")
    Membership.objects.create(user=one, agreement=oxfordshire, role=role)
    Membership.objects.create(user=two, agreement=oxfordshire, role=role)
    Membership.objects.create(user=two, agreement=bromley, role=role)
    Report.objects.create(agreement=bromley, kind="scrutiny", period="2026/27-Q1", title="Q1")
    Report.objects.create(agreement=oxfordshire, kind="scrutiny", period="2026/27-Q1", title="Q1")

    needs_for(one, TODAY)  # the number of queries, for one partnership
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as for_one:
        needs_for(django_user_model.objects.get(pk=one.pk), TODAY)

    with django_assert_num_queries(len(for_one.captured_queries)):
        found = needs_for(django_user_model.objects.get(pk=two.pk), TODAY)
    assert {n.agreement for n in found} <= {oxfordshire, bromley}
    assert {n.agreement for n in found} >= {oxfordshire}


def test_the_list_renders_each_item_as_a_link_with_overdue_tagged(oxfordshire):
    needs = needs_of("commissioner")

    html = render_to_string("tasks/needs_me.html", {"needs": needs})

    assert '<h2 class="govuk-heading-m" id="needs-me-heading">What needs you</h2>' in html
    assert oxfordshire.short_title in html
    assert (
        f'<a class="govuk-link" href="/partnerships/{oxfordshire.slug}/returns/2026-27-Q2/">'
        "The 2026/27 Q2 return is overdue: it was due by 28 October 2026</a>"
    ) in html
    assert '<strong class="govuk-tag govuk-tag--red">Overdue</strong>' in html
    assert "Nothing needs you today." in render_to_string("tasks/needs_me.html", {"needs": []})


def test_returns_across_partnerships_stand_as_each_returns_page_shows_them(oxfordshire, bromley):
    from returns.selectors import returns_to_show, standings_across

    across = standings_across([oxfordshire, bromley], TODAY)

    for agreement in (oxfordshire, bromley):
        page = [(r["slug"], r["standing"]) for r in returns_to_show(agreement, TODAY)]
        assert [(r["slug"], r["standing"]) for r in across[agreement.pk]] == page


def test_home_lists_what_needs_the_user_and_only_what_their_role_may_see(oxfordshire, client):
    """Home (tasks.views.home) shows the list first; a scrutiny officer has nothing to act
    on, sees each agreement's standing and is shown its published papers, never budgets,
    KPIs or the s117 register."""
    client.force_login(get_user_model().objects.get(username="scrutiny.officer"))

    html = client.get("/").content.decode()

    assert "What needs you" in html and "was published on 3 December 2026" in html
    assert f'href="/partnerships/{oxfordshire.slug}/"' in html
    assert "Ends within" in html.split("Each partnership")[1]
    assert f'href="/partnerships/{oxfordshire.slug}/reports/"' in html
    for hidden in ("overspend", "at red", "s117 review", "No figures yet", "return"):
        assert hidden not in html.split("What needs you")[1], hidden


def test_a_paper_newly_published_is_for_those_who_read_only_what_is_published(bromley):
    from reports.actions import publish

    report = Report.objects.create(
        agreement=bromley, kind="decision", period="2022/23-Q4", title="Extension decision"
    )
    version = publish(by=get_user_model().objects.get(username="commissioner"), report=report)

    for reader in ("scrutiny.officer", "s117.officer"):
        [new] = [n for n in needs_of(reader) if n.key == f"report-published:{version.pk}"]
        assert new.text == "Extension decision was published on 3 December 2026"
        assert new.url == f"/partnerships/{bromley.slug}/reports/{report.pk}/v1/"
        assert new.key == f"report-published:{version.pk}"
    for author in ("commissioner", "jmg.member"):  # they saw it as a draft
        assert "report_published" not in kinds(needs_of(author))

    a_month_on = timezone.localdate() + datetime.timedelta(days=30)
    scrutiny = get_user_model().objects.get(username="scrutiny.officer")
    assert f"report-published:{version.pk}" not in {n.key for n in needs_for(scrutiny, a_month_on)}
