"""A report with published versions keeps the partnership, kind and period it was published
for, by every route: the admin shows them read-only, and the database refuses a change from
the shell or raw SQL. Its own fields' changes are kept in history."""

import datetime

import pytest
from django.db import IntegrityError, connection, transaction
from django.test import Client

from partnerships.models import Agreement, Membership, Role
from reports.models import PublishedVersion, Report

pytestmark = pytest.mark.django_db

FIXED = ["agreement", "kind", "period"]


@pytest.fixture
def decision():
    """The demo's decision report, published once for Bromley."""
    return PublishedVersion.objects.get(
        report__agreement__slug="bromley-oxleas-mh", report__kind="decision", number=1
    ).report


@pytest.fixture
def elsewhere(django_user_model):
    """Another partnership, with a scrutiny officer of its own who has no role in Bromley."""
    agreement = Agreement.objects.create(
        slug="elsewhere-mh",
        title="Elsewhere mental health partnership agreement",
        short_title="Elsewhere (s75)",
        legal_basis="s75",
        start_date=datetime.date(2020, 4, 1),
        end_date=datetime.date(2030, 3, 31),
    )
    officer = django_user_model.objects.create_user(username="elsewhere.scrutiny")
    Membership.objects.create(user=officer, agreement=agreement, role=Role.SCRUTINY_OFFICER)
    return agreement


@pytest.fixture
def admin_client(django_user_model):
    client = Client()
    client.force_login(
        django_user_model.objects.create_superuser(username="site.admin", password="unused-1")
    )
    return client


def change_url(report: Report) -> str:
    return f"/admin/reports/report/{report.pk}/change/"


def form_data(response) -> dict:
    """What the admin change form would post back unchanged: its fields and its inlines."""
    data = {}
    form = response.context["adminform"].form
    for name in form.fields:
        value = form[name].value()
        if value is not None:
            data[name] = value
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for form in [formset.management_form, *formset.forms]:
            for name in form.fields:
                value = form[name].value()
                if value is not None:
                    data[form.add_prefix(name)] = value
    return data


def assert_still_bromleys(report: Report, client_of_elsewhere: Client) -> None:
    report.refresh_from_db()
    assert report.agreement.slug == "bromley-oxleas-mh"
    assert (report.kind, report.period) == ("decision", "2023/24-Q3")
    for url in (
        f"/partnerships/elsewhere-mh/reports/{report.pk}/v1.pdf",
        f"/partnerships/elsewhere-mh/reports/{report.pk}/v1/",
    ):
        assert client_of_elsewhere.get(url).status_code == 404
    assert "(decision report)" not in client_of_elsewhere.get("/reports/").content.decode()


@pytest.fixture
def elsewhere_officer(elsewhere, django_user_model):
    client = Client()
    client.force_login(django_user_model.objects.get(username="elsewhere.scrutiny"))
    return client


def test_admin_shows_a_published_reports_partnership_kind_and_period_read_only(
    admin_client, decision
):
    page = admin_client.get(change_url(decision)).content.decode()

    for name in FIXED:
        assert f'name="{name}"' not in page, name
    assert 'name="title"' in page
    assert "Bromley and Oxleas" in page  # shown, not editable


def test_admin_can_still_change_a_drafts_partnership(admin_client, bromley):
    draft = Report.objects.create(
        agreement=bromley, kind="jmg", period="2022/23-Q4", title="JMG paper"
    )

    page = admin_client.get(change_url(draft)).content.decode()

    for name in FIXED:
        assert f'name="{name}"' in page, name


def test_a_forged_admin_post_moves_nothing_and_the_title_change_is_in_history(
    admin_client, decision, elsewhere, elsewhere_officer
):
    old_title = decision.title
    data = form_data(admin_client.get(change_url(decision)))
    data |= {
        "agreement": str(elsewhere.pk),
        "kind": "jmg",
        "period": "2022/23-Q4",
        "title": "Extension to 2026: decision report",
    }

    response = admin_client.post(change_url(decision), data)

    assert response.status_code == 302  # saved: the fields it may change
    assert_still_bromleys(decision, elsewhere_officer)
    assert decision.title == "Extension to 2026: decision report"
    latest, before = decision.history.order_by("-history_id")[:2]
    assert latest.history_user.username == "site.admin"
    assert [change.field for change in latest.diff_against(before).changes] == ["title"]
    assert before.title == old_title


@pytest.mark.parametrize(
    "field, value",
    [("agreement", "elsewhere"), ("kind", "jmg"), ("period", "2022/23-Q4")],
)
def test_database_refuses_to_move_a_published_report_from_the_shell(
    decision, elsewhere, elsewhere_officer, field, value
):
    value = elsewhere if value == "elsewhere" else value

    with refused(), transaction.atomic():
        Report.objects.filter(pk=decision.pk).update(**{field: value})
    setattr(decision, field, value)
    with refused(), transaction.atomic():
        decision.save()
    column = "agreement_id" if field == "agreement" else field
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE reports_report SET {column} = %s WHERE id = %s",  # noqa: S608
            [getattr(value, "pk", value), decision.pk],
        )

    assert_still_bromleys(decision, elsewhere_officer)


def refused():
    return pytest.raises(IntegrityError, match="keeps its partnership, kind and period")


def test_database_lets_a_published_reports_title_change(decision):
    Report.objects.filter(pk=decision.pk).update(title="Retitled")

    decision.refresh_from_db()
    assert decision.title == "Retitled"


def test_database_lets_a_draft_move_before_it_is_published(bromley, elsewhere):
    draft = Report.objects.create(
        agreement=bromley, kind="jmg", period="2022/23-Q4", title="JMG paper"
    )

    Report.objects.filter(pk=draft.pk).update(agreement=elsewhere, period="2022/23-Q3")

    draft.refresh_from_db()
    assert (draft.agreement, draft.period) == (elsewhere, "2022/23-Q3")


def test_starting_a_report_records_who_started_it_in_its_history(bromley, django_user_model):
    from reports.actions import start_report

    commissioner = django_user_model.objects.get(username="commissioner")

    report = start_report(by=commissioner, agreement=bromley, kind="jmg", period="2022/23-Q4")

    assert [(h.history_type, h.history_user) for h in report.history.all()] == [("+", commissioner)]
