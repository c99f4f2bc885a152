"""Who looked at whose s117 record: written for every opening, in the product and in the
admin, naming both as they were at the time, and kept unchanged by every route."""

import datetime
from decimal import Decimal

import pytest
from django.db import DatabaseError, connection, transaction

from partnerships.models import Membership
from s117.actions import record_access
from s117.models import AccessLog, AftercarePackage, RegisterEntry, Review

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry(bromley):
    return RegisterEntry.objects.filter(agreement=bromley).first()


@pytest.fixture
def site_admin(client, django_user_model):
    admin = django_user_model.objects.get(username="admin")
    client.force_login(admin)
    return admin


@pytest.fixture
def s117_admin(site_admin, entry):
    """A site administrator who is also the partnership's s117 officer."""
    Membership.objects.create(user=site_admin, agreement=entry.agreement, role="s117_officer")
    return site_admin


@pytest.fixture
def review(entry):
    return Review.objects.create(
        entry=entry,
        reviewed_on=datetime.date(2026, 5, 1),
        outcome="continue",
        next_review_due=datetime.date(2027, 5, 1),
    )


@pytest.fixture
def package(entry):
    return AftercarePackage.objects.create(
        entry=entry,
        description="Supported accommodation",
        weekly_cost=Decimal("1250.00"),
        start_date=datetime.date(2026, 4, 1),
    )


def test_opening_a_record_in_admin_is_logged_with_who_and_which(client, s117_admin, entry):
    response = client.get(f"/admin/s117/registerentry/{entry.pk}/change/")

    assert response.status_code == 200
    log = AccessLog.objects.get()
    assert (log.user, log.entry, log.action) == (s117_admin, entry, "view")
    assert (log.username, log.person_reference) == ("admin", entry.person_reference)
    assert log.path == f"/admin/s117/registerentry/{entry.pk}/change/"


def test_opening_a_records_history_is_logged(client, s117_admin, entry):
    client.get(f"/admin/s117/registerentry/{entry.pk}/history/")

    assert AccessLog.objects.get().action == "history"


@pytest.mark.parametrize("kind", ["review", "package"])
def test_opening_a_review_or_package_in_admin_is_logged_against_the_person(
    client, s117_admin, entry, review, package, kind
):
    obj, url = {
        "review": (review, "review"),
        "package": (package, "aftercarepackage"),
    }[kind]

    assert client.get(f"/admin/s117/{url}/{obj.pk}/change/").status_code == 200
    assert client.get(f"/admin/s117/{url}/{obj.pk}/history/").status_code == 200

    logged = list(AccessLog.objects.order_by("at", "pk").values_list("entry", "action", "path"))
    assert logged == [
        (entry.pk, "view", f"/admin/s117/{url}/{obj.pk}/change/"),
        (entry.pk, "history", f"/admin/s117/{url}/{obj.pk}/history/"),
    ]


def test_listing_the_register_is_not_a_view_of_anyone(client, s117_admin):
    client.get("/admin/s117/registerentry/")

    assert not AccessLog.objects.exists()


@pytest.mark.parametrize("model", ["registerentry", "review", "aftercarepackage"])
def test_an_administrator_without_the_role_sees_nobodys_s117_data(
    client, site_admin, entry, review, package, model
):
    obj = {"registerentry": entry, "review": review, "aftercarepackage": package}[model]

    listing = client.get(f"/admin/s117/{model}/").content.decode()
    opened = client.get(f"/admin/s117/{model}/{obj.pk}/change/")
    history = client.get(f"/admin/s117/{model}/{obj.pk}/history/")

    assert f"/admin/s117/{model}/{obj.pk}/change/" not in listing
    assert str(entry.detained_on.year) not in listing.split('id="result_list"')[-1]
    assert opened.status_code == 302  # the admin's "doesn't exist": nothing is shown
    assert history.status_code == 403
    assert not AccessLog.objects.exists()


def test_administrators_can_read_the_log(client, s117_admin, entry):
    client.get(f"/admin/s117/registerentry/{entry.pk}/change/")

    response = client.get("/admin/s117/accesslog/")

    assert response.status_code == 200
    assert entry.person_reference in response.content.decode()


def test_log_cannot_be_added_changed_or_deleted_in_admin(client, s117_admin, entry):
    client.get(f"/admin/s117/registerentry/{entry.pk}/change/")
    log = AccessLog.objects.get()

    assert client.get("/admin/s117/accesslog/add/").status_code == 403
    assert (
        client.post(f"/admin/s117/accesslog/{log.pk}/change/", {"action": "export"}).status_code
        == 403
    )
    assert (
        client.post(f"/admin/s117/accesslog/{log.pk}/delete/", {"post": "yes"}).status_code == 403
    )
    log.refresh_from_db()
    assert log.action == "view"


def test_log_cannot_be_altered_through_the_orm(site_admin, entry):
    log = record_access(by=site_admin, entry=entry, action="view")

    with pytest.raises(PermissionError):
        log.save()
    with pytest.raises(PermissionError):
        log.delete()
    with pytest.raises(PermissionError):
        AccessLog.objects.filter(pk=log.pk).update(action="export")
    with pytest.raises(PermissionError):
        AccessLog.objects.all().delete()
    assert AccessLog.objects.count() == 1


def test_a_log_row_names_who_and_whom_as_they_were_at_the_time(site_admin, entry):
    record_access(by=site_admin, entry=entry, action="view")
    named = entry.person_reference

    site_admin.username, site_admin.first_name = "renamed.admin", "Someone else"
    site_admin.save()
    RegisterEntry.objects.filter(pk=entry.pk).update(person_reference="BR-S117-RENAMED")

    log = AccessLog.objects.get()
    assert (log.username, log.person_reference) == ("admin", named)
    assert str(log).startswith(f"admin viewed the record {named} at ")


def test_an_administrator_without_the_role_changes_nothing_by_posting(client, site_admin, entry):
    client.post(
        f"/admin/s117/registerentry/{entry.pk}/change/",
        {
            "agreement": entry.agreement_id,
            "person_reference": entry.person_reference,
            "qualifying_section": entry.qualifying_section,
            "detained_on": entry.detained_on,
            "discharged_on": entry.discharged_on,
            "responsible_council": entry.responsible_council_id,
            "responsible_icb": entry.responsible_icb_id,
            "council_share_percent": "55",
            "reviews-TOTAL_FORMS": 0,
            "reviews-INITIAL_FORMS": 0,
            "packages-TOTAL_FORMS": 0,
            "packages-INITIAL_FORMS": 0,
        },
    )

    before = entry.council_share_percent
    entry.refresh_from_db()
    assert entry.council_share_percent == before


def test_the_partnerships_s117_officer_sees_personal_data_in_admin(client, s117_admin, entry):
    page = client.get(f"/admin/s117/registerentry/{entry.pk}/change/").content.decode()

    assert entry.nhs_number in page
    assert client.get(f"/admin/s117/registerentry/{entry.pk}/history/").status_code == 200


def test_database_refuses_to_change_a_log_row_by_any_route(site_admin, entry):
    log = record_access(by=site_admin, entry=entry, action="view")

    with pytest.raises(PermissionError):
        AccessLog._base_manager.filter(pk=log.pk).update(action="export")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE s117_accesslog SET action = 'export' WHERE id = %s", [log.pk])
    log.refresh_from_db()
    assert log.action == "view"


def test_database_refuses_to_delete_a_log_row_on_every_engine(site_admin, entry):
    log = record_access(by=site_admin, entry=entry, action="view")

    with pytest.raises(PermissionError):
        AccessLog._base_manager.filter(pk=log.pk).delete()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM s117_accesslog WHERE id = %s", [log.pk])
    assert AccessLog.objects.filter(pk=log.pk).exists()


@pytest.mark.parametrize(
    "lookup",
    ["nhs_number__startswith=999", "full_name__icontains=Demo", "date_of_birth=1979-02-11"],
)
def test_register_list_cannot_be_filtered_by_personal_data(client, s117_admin, lookup):
    response = client.get(f"/admin/s117/registerentry/?{lookup}")

    # The admin refuses a disallowed lookup outright (400 Bad Request), listing nobody.
    assert response.status_code == 400


def test_entry_cannot_be_moved_to_another_partnership(client, s117_admin, entry):
    page = client.get(f"/admin/s117/registerentry/{entry.pk}/change/").content.decode()

    assert 'name="agreement"' not in page


def test_person_pages_are_not_cached(client, entry, django_user_model):
    client.force_login(django_user_model.objects.get(username="s117.officer"))
    slug = entry.agreement.slug

    for url in (
        f"/partnerships/{slug}/s117/",
        f"/partnerships/{slug}/s117/people/{entry.person_reference}/",
    ):
        assert "no-store" in client.get(url)["Cache-Control"]
