import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.http import HttpResponse
from django.urls import include, path
from django.utils import timezone

from partnerships.models import Agreement, AgreementTerm, Decision, ExtensionOption, Proposal
from reports.models import PublishedVersion, Report
from s117.models import AftercarePackage, RegisterEntry
from tests import access_matrix

pytestmark = pytest.mark.django_db


@pytest.fixture
def places(bromley):
    """Bromley, where the demo users hold their roles, and a partnership they have no role in."""
    elsewhere = Agreement.objects.create(
        slug="elsewhere-mh",
        title="A partnership the demo users are not members of",
        short_title="Elsewhere",
        legal_basis="s75",
        start_date=datetime.date(2020, 4, 1),
        end_date=datetime.date(2030, 3, 31),
    )
    theirs = RegisterEntry.objects.get(person_reference="BR-S117-0003")
    theirs.pk = None
    theirs.agreement = elsewhere
    theirs.team = None
    theirs.person_reference = "EL-S117-0001"
    theirs.nhs_number = "9990000085"
    theirs.save()
    ours = RegisterEntry.objects.filter(agreement=bromley).first()
    our_report = PublishedVersion.objects.get(report__agreement=bromley, number=1).report
    their_report = Report.objects.create(
        agreement=elsewhere, kind="jmg", period="2022/23-Q4", title="Their JMG paper"
    )
    PublishedVersion.objects.create(
        report=their_report,
        number=1,
        published_at=timezone.now(),
        published_by=User.objects.get(username="commissioner"),
        data={},
        html="<!DOCTYPE html><title>Theirs</title>",
        pdf=b"%PDF-1.7",
        sha256="0" * 64,
        html_sha256="0" * 64,
    )
    ours_proposed, theirs_proposed = (
        Proposal.objects.create(
            agreement=agreement, kind="variation", value=0, summary="A proposed variation."
        )
        for agreement in (bromley, elsewhere)
    )
    ours_option, theirs_option = (an_option(agreement) for agreement in (bromley, elsewhere))
    ours_package, theirs_package = (
        AftercarePackage.objects.create(
            entry=entry,
            description="Supported living",
            weekly_cost=Decimal("700.00"),
            start_date=datetime.date(2026, 4, 1),
        )
        for entry in (ours, theirs)
    )
    return (
        access_matrix.Place(
            bromley,
            ours.person_reference,
            our_report.pk,
            proposal_id=ours_proposed.pk,
            option_id=ours_option.pk,
            package_id=ours_package.pk,
        ),
        access_matrix.Place(
            elsewhere,
            theirs.person_reference,
            their_report.pk,
            proposal_id=theirs_proposed.pk,
            option_id=theirs_option.pk,
            package_id=theirs_package.pk,
        ),
    )


def an_option(agreement) -> ExtensionOption:
    """An available option after the agreement's last extension, which is made if it has none."""
    extension = agreement.terms.filter(kind="extension").order_by("-end_date").first()
    if extension is None:
        decision = Decision.objects.create(
            agreement=agreement,
            kind="approval",
            decided_on=agreement.start_date,
            body="Board",
            summary="Approved.",
        )
        middle = agreement.end_date - datetime.timedelta(days=730)
        AgreementTerm.objects.create(
            agreement=agreement,
            kind="initial",
            start_date=agreement.start_date,
            end_date=middle,
            authorised_by=decision,
        )
        extension = AgreementTerm.objects.create(
            agreement=agreement,
            kind="extension",
            start_date=middle + datetime.timedelta(days=1),
            end_date=agreement.end_date,
            authorised_by=decision,
        )
    start = extension.end_date + datetime.timedelta(days=1)
    return ExtensionOption.objects.create(
        agreement=agreement,
        extension=extension,
        start_date=start,
        end_date=start + datetime.timedelta(days=364),
        exercise_by=start - datetime.timedelta(days=1),
    )


def personal():
    return access_matrix.personal_data_markers(RegisterEntry.objects.all())


def test_every_page_answers_every_role_as_documented(places):
    own, other = places

    problems = access_matrix.check(own=own, other=other, personal=personal())

    assert problems == []


def test_every_url_is_in_the_access_table():
    table = access_matrix.documented_pages()

    missing = [
        name
        for name, _ in access_matrix.url_names()
        if access_matrix.covering_entry(name, table) is None
    ]

    assert missing == []


# The matrix itself must catch mistakes: a view that forgets its access check, and a page
# nobody wrote into the table.


def leaky_view(request, slug):
    entry = RegisterEntry.objects.filter(agreement__slug=slug).first()
    return HttpResponse(f"{entry.person_reference} {entry.nhs_number}")


urlpatterns = [
    path("", include("config.urls")),
    path("partnerships/<slug:slug>/leak/", leaky_view, name="leak"),
]


@pytest.mark.urls(__name__)
def test_matrix_catches_a_view_that_forgets_its_access_check(places):
    own, other = places
    table = access_matrix.documented_pages() | {"leak": "view_s117_personal_data"}

    problems = access_matrix.check(own=own, other=other, personal=personal(), table=table)

    assert any(p.startswith("leak as signed out") for p in problems)
    assert any(p.startswith("leak as scrutiny_officer in own") for p in problems)
    assert any("in other partnership: 200, expected 404" in p for p in problems)
    assert any("contains personal data" in p for p in problems)
    assert any("shown unlogged" in p for p in problems)


@pytest.mark.urls(__name__)
def test_matrix_catches_a_page_missing_from_the_table(places):
    own, other = places

    problems = access_matrix.check(own=own, other=other, personal=personal())

    assert "leak: not in the Pages table of docs/access.md" in problems


def test_sign_out_is_a_post_that_ends_the_session(client, django_user_model):
    client.force_login(django_user_model.objects.get(username="jmg.member"))

    assert client.get("/sign-out/").status_code == 405
    assert client.post("/sign-out/").status_code == 302
    assert client.get("/").status_code == 302


@pytest.mark.parametrize("username", list(access_matrix.DEMO_USERS.values()))
def test_administration_is_refused_to_partnership_roles(client, django_user_model, username):
    client.force_login(django_user_model.objects.get(username=username))

    for url in ("/admin/", "/admin/s117/registerentry/", "/admin/s117/accesslog/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")


def test_administration_opens_for_site_administrator(client, django_user_model):
    client.force_login(django_user_model.objects.get(username="admin"))

    assert client.get("/admin/").status_code == 200


def test_staff_who_are_not_site_administrators_are_refused_administration(
    client, django_user_model
):
    from django.contrib.auth.models import Permission

    clerk = django_user_model.objects.create_user("clerk", is_staff=True)
    clerk.user_permissions.set(Permission.objects.filter(codename="view_registerentry"))
    client.force_login(clerk)

    for url in ("/admin/", "/admin/s117/registerentry/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")


def test_roles_held_in_other_partnerships_grant_nothing_here(
    client, bromley, oxfordshire, django_user_model
):
    """Someone who is an s117 officer in Oxfordshire but only a scrutiny officer in Bromley
    sees Oxfordshire's people and none of Bromley's."""
    from partnerships.models import Membership

    mixed = django_user_model.objects.create_user("mixed.roles")
    Membership.objects.create(user=mixed, agreement=oxfordshire, role="s117_officer")
    Membership.objects.create(user=mixed, agreement=bromley, role="scrutiny_officer")
    client.force_login(mixed)
    bromley_person = RegisterEntry.objects.filter(agreement=bromley).first()

    assert client.get(f"/partnerships/{oxfordshire.slug}/s117/").status_code == 200
    assert client.get(f"/partnerships/{bromley.slug}/s117/").status_code == 403
    person = client.get(
        f"/partnerships/{bromley.slug}/s117/people/{bromley_person.person_reference}/"
    )
    assert person.status_code == 403
    assert bromley_person.nhs_number not in person.content.decode()


# The register's download of people is the register page with ?export=: the matrix opens
# each page once, without it, so its access is checked here, role by role, as the matrix's.
@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
def test_the_register_download_is_for_s117_officers_of_the_partnership_alone(
    places, django_user_model, export_format
):
    from django.test import Client

    from s117.models import AccessLog, ExportLog

    own, other = places
    users = {
        role: django_user_model.objects.get(username=name)
        for role, name in access_matrix.DEMO_USERS.items()
    }
    for place_name, place in {"own": own, "other": other}.items():
        url = f"/partnerships/{place.agreement.slug}/s117/?export={export_format}"
        for role in [None, *users]:
            client = Client()
            if role is not None:
                client.force_login(users[role])
            status = client.get(url).status_code
            want = access_matrix.expected("view_s117_personal_data", role, place_name)
            assert status == want, (role, place_name)
    officer = users["s117_officer"]
    assert set(ExportLog.objects.values_list("user", "agreement")) == {
        (officer.pk, own.agreement.pk)
    }
    assert set(AccessLog.objects.filter(action="export").values_list("user", flat=True)) == {
        officer.pk
    }
