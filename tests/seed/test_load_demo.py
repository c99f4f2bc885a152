import datetime
import shutil
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

from partnerships.models import Agreement, Membership
from seed import demo

pytestmark = pytest.mark.django_db

PROJECT_APPS = ("partnerships", "budgets", "caseload", "s117", "reports")


def row_counts():
    return {
        model._meta.label: model.objects.count()
        for app in PROJECT_APPS
        for model in apps.get_app_config(app).get_models()
    }


def test_loading_again_changes_nothing_and_writes_no_history():
    before = row_counts()  # includes the Historical* tables

    stats = demo.load()

    assert stats.created == 0
    assert stats.updated == 0
    assert row_counts() == before


def test_loading_puts_back_a_figure_someone_changed(bromley):
    contribution = bromley.pooled_budgets.get().contributions.get(partner__short_name="LBB")
    contribution.planned = 1
    contribution.save()

    stats = demo.load()

    contribution.refresh_from_db()
    assert stats.updated == 1
    assert str(contribution.planned) == "1618413.00"
    assert contribution.history.count() == 3  # loaded, changed, put back


def test_command_prints_a_password_for_each_demo_user(django_user_model):
    out = StringIO()

    call_command("load_demo", stdout=out, reset_passwords=True)

    printed = out.getvalue()
    for username in ("admin", "jmg.member", "commissioner", "scrutiny.officer", "s117.officer"):
        line = next(line for line in printed.splitlines() if line.strip().startswith(username))
        password = line.split()[1]
        assert django_user_model.objects.get(username=username).check_password(password)


def test_demo_users_belong_to_both_partnerships_in_their_role(django_user_model):
    member = django_user_model.objects.get(username="s117.officer")

    roles = set(member.memberships.values_list("agreement__slug", "role"))

    assert roles == {
        ("oxfordshire-mh-social-work", "s117_officer"),
        ("bromley-oxleas-mh", "s117_officer"),
    }


def test_command_refuses_a_production_database(settings):
    settings.PRODUCTION = True

    with pytest.raises(CommandError, match="production"):
        call_command("load_demo", stdout=StringIO())


def test_bad_money_in_source_file_named_with_file_and_entry(tmp_path, monkeypatch):
    shutil.copytree(demo.DEMO_DIR, tmp_path, dirs_exist_ok=True)
    bromley = tmp_path / "bromley.toml"
    bromley.write_text(
        bromley.read_text().replace('planned = "1618413.00"', "planned = 1618413.00")
    )
    monkeypatch.setattr(demo, "DEMO_DIR", tmp_path)

    with pytest.raises(CommandError, match=r"bromley\.toml|pooled budget 2022/23, LBB"):
        call_command("load_demo", stdout=StringIO(), passwords=False)


def test_failed_load_leaves_nothing_half_saved(tmp_path, monkeypatch):
    shutil.copytree(demo.DEMO_DIR, tmp_path, dirs_exist_ok=True)
    oxfordshire = tmp_path / "oxfordshire.toml"
    oxfordshire.write_text(
        oxfordshire.read_text()
        .replace('team = "OA"', 'team = "NW"', 1)
        .replace('short_title = "Oxfordshire', 'short_title = "Renamed Oxfordshire')
    )
    bromley = tmp_path / "bromley.toml"
    bromley.write_text(
        bromley.read_text().replace('organisation = "SEL ICB"', 'organisation = "XX"')
    )
    monkeypatch.setattr(demo, "DEMO_DIR", tmp_path)
    before = row_counts()

    with pytest.raises(CommandError, match="XX"):
        call_command("load_demo", stdout=StringIO(), passwords=False)

    assert row_counts() == before
    assert (
        not apps.get_model("partnerships", "Agreement")
        .objects.filter(short_title__startswith="Renamed")
        .exists()
    )


def test_second_load_keeps_passwords_and_says_how_to_reset(django_user_model):
    first = StringIO()
    call_command("load_demo", stdout=first, reset_passwords=True)
    line = next(line for line in first.getvalue().splitlines() if "jmg.member" in line)
    password = line.split()[1]
    again = StringIO()

    call_command("load_demo", stdout=again)

    assert django_user_model.objects.get(username="jmg.member").check_password(password)
    assert "--reset-passwords" in again.getvalue()
    assert password not in again.getvalue()


def test_existing_admin_account_is_not_promoted(django_user_model):
    django_user_model.objects.filter(username="admin").delete()
    ordinary = django_user_model.objects.create_user("admin", password="x" * 20)

    call_command("load_demo", stdout=StringIO())

    ordinary.refresh_from_db()
    assert not ordinary.is_superuser
    assert ordinary.check_password("x" * 20)


def test_demo_users_join_only_the_demo_partnerships(bromley, django_user_model):
    other = Agreement.objects.create(
        slug="real-partnership",
        title="A real partnership",
        short_title="Real",
        legal_basis="s75",
        start_date=datetime.date(2024, 4, 1),
        end_date=datetime.date(2029, 3, 31),
    )

    call_command("load_demo", stdout=StringIO(), passwords=False)

    assert not Membership.objects.filter(agreement=other).exists()
