import pytest

from partnerships.models import Membership
from s117.models import AccessLog, RegisterEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry(bromley):
    return RegisterEntry.objects.filter(agreement=bromley).first()


@pytest.fixture
def site_admin(client, django_user_model):
    admin = django_user_model.objects.get(username="admin")
    client.force_login(admin)
    return admin


def test_opening_a_record_in_admin_is_logged_with_who_and_which(client, site_admin, entry):
    response = client.get(f"/admin/s117/registerentry/{entry.pk}/change/")

    assert response.status_code == 200
    log = AccessLog.objects.get()
    assert (log.user, log.entry, log.action) == (site_admin, entry, "view")
    assert log.path == f"/admin/s117/registerentry/{entry.pk}/change/"


def test_opening_a_records_history_is_logged(client, site_admin, entry):
    Membership.objects.create(user=site_admin, agreement=entry.agreement, role="s117_officer")

    client.get(f"/admin/s117/registerentry/{entry.pk}/history/")

    assert AccessLog.objects.get().action == "history"


def test_listing_the_register_is_not_a_view_of_anyone(client, site_admin):
    client.get("/admin/s117/registerentry/")

    assert not AccessLog.objects.exists()


def test_administrators_can_read_the_log(client, site_admin, entry):
    client.get(f"/admin/s117/registerentry/{entry.pk}/change/")

    response = client.get("/admin/s117/accesslog/")

    assert response.status_code == 200
    assert entry.person_reference in response.content.decode()


def test_log_cannot_be_added_changed_or_deleted_in_admin(client, site_admin, entry):
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
    log = AccessLog.objects.create(user=site_admin, entry=entry, action="view")

    with pytest.raises(PermissionError):
        log.save()
    with pytest.raises(PermissionError):
        log.delete()
    with pytest.raises(PermissionError):
        AccessLog.objects.filter(pk=log.pk).update(action="export")
    with pytest.raises(PermissionError):
        AccessLog.objects.all().delete()
    assert AccessLog.objects.count() == 1


def test_site_administrator_does_not_see_personal_data_in_admin(client, site_admin, entry):
    response = client.get(f"/admin/s117/registerentry/{entry.pk}/change/")

    page = response.content.decode()
    assert response.status_code == 200
    assert entry.nhs_number not in page
    assert entry.full_name not in page
    assert client.get(f"/admin/s117/registerentry/{entry.pk}/history/").status_code == 403


def test_administrator_who_is_the_partnerships_s117_officer_sees_it(client, site_admin, entry):
    Membership.objects.create(user=site_admin, agreement=entry.agreement, role="s117_officer")

    page = client.get(f"/admin/s117/registerentry/{entry.pk}/change/").content.decode()

    assert entry.nhs_number in page
    assert client.get(f"/admin/s117/registerentry/{entry.pk}/history/").status_code == 200


def test_saving_without_the_role_leaves_personal_data_untouched(client, site_admin, entry):
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

    entry.refresh_from_db()
    assert str(entry.council_share_percent) == "55.00"
    assert entry.nhs_number == "9990000018"


def test_database_refuses_to_change_a_log_row_by_any_route(site_admin, entry):
    from django.db import DatabaseError, connection, transaction

    log = AccessLog.objects.create(user=site_admin, entry=entry, action="view")

    with pytest.raises(PermissionError):
        AccessLog._base_manager.filter(pk=log.pk).update(action="export")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE s117_accesslog SET action = 'export' WHERE id = %s", [log.pk])
    log.refresh_from_db()
    assert log.action == "view"


def test_log_row_cannot_be_deleted(site_admin, entry):
    from django.db import DatabaseError, connection, transaction

    log = AccessLog.objects.create(user=site_admin, entry=entry, action="view")

    with pytest.raises(PermissionError):
        AccessLog._base_manager.filter(pk=log.pk).delete()
    if connection.vendor == "postgresql":  # SQLite keeps DELETE to empty test databases
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("DELETE FROM s117_accesslog WHERE id = %s", [log.pk])
    assert AccessLog.objects.filter(pk=log.pk).exists()


@pytest.mark.parametrize(
    "lookup",
    ["nhs_number__startswith=999", "full_name__icontains=Demo", "date_of_birth=1979-02-11"],
)
def test_register_list_cannot_be_filtered_by_personal_data(client, site_admin, lookup):
    response = client.get(f"/admin/s117/registerentry/?{lookup}")

    # The admin refuses a disallowed lookup outright (400 Bad Request), listing nobody.
    assert response.status_code == 400


def test_entry_cannot_be_moved_to_another_partnership(client, site_admin, entry):
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
