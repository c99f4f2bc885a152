import datetime
import shutil
from decimal import Decimal
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import models
from django.db.models import F

from budgets.models import Contribution, ContributionOutturn, Virement
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


def test_demo_users_belong_to_every_demo_partnership_in_their_role(django_user_model):
    member = django_user_model.objects.get(username="s117.officer")

    roles = set(member.memberships.values_list("agreement__slug", "role"))

    assert roles == {
        ("oxfordshire-mh-social-work", "s117_officer"),
        ("bromley-oxleas-mh", "s117_officer"),
        ("riverside-integrated-care-illustrative", "s117_officer"),
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


RIVERSIDE = "riverside-integrated-care-illustrative"


def riverside_funds():
    return Agreement.objects.get(slug=RIVERSIDE).pooled_budgets.filter(
        financial_year__start_year=2026
    )


def test_riverside_is_marked_illustrative_in_its_title_description_and_partners():
    riverside = Agreement.objects.get(slug=RIVERSIDE)

    assert "(illustrative)" in riverside.title
    assert "illustrative" in riverside.short_title
    assert riverside.functions.startswith("ILLUSTRATIVE")
    assert all(
        "(illustrative)" in partner.organisation.name for partner in riverside.partners.all()
    )
    assert {partner.organisation.kind for partner in riverside.partners.all()} == {
        "council",
        "icb",
        "nhs_trust",
    }
    assert riverside.terms.exists() and riverside.governance_bodies.filter(active=True).exists()


def test_riverside_runs_four_funds_in_2026_27_with_the_larger_partner_as_set():
    funds = {fund.name: fund for fund in riverside_funds()}

    assert list(riverside_funds().values_list("name", flat=True)) == [
        "Mental health",
        "Carers' services",
        "Integrated community equipment",
        "Better Care Fund",
    ]

    def by_partner(name):
        return {c.partner.short_name: c.original for c in funds[name].contributions.all()}

    assert by_partner("Mental health") == {
        "RV ICB": Decimal("7204118.39"),
        "RC": Decimal("2881445.08"),
    }
    equipment = by_partner("Integrated community equipment")
    assert equipment["RC"] > equipment["RV ICB"]
    shares = dict(
        funds["Mental health"].agreed_shares.values_list("partner__short_name", "percent")
    )
    assert shares == {"RV ICB": Decimal("71.43"), "RC": Decimal("28.57")}
    assert sum(shares.values()) == Decimal("100.00")
    pots = list(funds["Better Care Fund"].pots.values_list("name", "arrangement"))
    assert pots == [
        ("NHS minimum contribution", "pooled"),
        ("Council contribution", "aligned"),
        ("Disabled facilities grant", "pooled"),
        ("Discharge fund", "pooled"),
    ]


def test_riverside_revision_keeps_planned_at_original_plus_changes_and_virements():
    fund = riverside_funds().get(name="Better Care Fund")
    revision = fund.revisions.get()

    assert revision.made_on == datetime.date(2026, 10, 14)
    assert revision.decision.kind == "variation"
    assert revision.decision.agreement.slug == RIVERSIDE
    virement = revision.virements.get()
    assert (virement.partner.short_name, virement.from_pot.name, virement.to_pot.name) == (
        "RC",
        "Disabled facilities grant",
        "Discharge fund",
    )
    assert virement.amount == Decimal("150000.00")
    change = revision.changes.get()
    assert change.amount == Decimal("84211.63")
    for contribution in Contribution.objects.filter(pooled_budget__agreement__slug=RIVERSIDE):
        moved_in = sum(
            v.amount
            for v in Virement.objects.filter(to_pot=contribution.pot, partner=contribution.partner)
        )
        moved_out = sum(
            v.amount
            for v in Virement.objects.filter(
                from_pot=contribution.pot, partner=contribution.partner
            )
        )
        changes = sum(c.amount for c in contribution.revision_changes.all())
        assert contribution.planned == contribution.original + changes + moved_in - moved_out
    revised = {
        c.pot.name + " " + c.partner.short_name: (c.original, c.planned)
        for c in fund.contributions.exclude(original=F("planned"))
    }
    assert revised == {
        "NHS minimum contribution RV ICB": (Decimal("5112804.16"), Decimal("5197015.79")),
        "Disabled facilities grant RC": (Decimal("1873411.00"), Decimal("1723411.00")),
        "Discharge fund RC": (Decimal("412318.09"), Decimal("562318.09")),
    }


def test_riverside_has_q1_and_q2_from_both_partners_and_month_9_from_the_icb_only():
    outturns = ContributionOutturn.objects.filter(
        contribution__pooled_budget__agreement__slug=RIVERSIDE
    )

    contributions = Contribution.objects.filter(pooled_budget__agreement__slug=RIVERSIDE)
    for month in (3, 6):
        assert outturns.filter(month=month).count() == contributions.count()
    month_9 = outturns.filter(month=9)
    assert set(month_9.values_list("contribution__partner__short_name", flat=True)) == {"RV ICB"}
    assert month_9.count() == contributions.filter(partner__short_name="RV ICB").count()
    assert set(month_9.values_list("quarter__number", flat=True)) == {3}
    assert not month_9.filter(actual_to_date__isnull=False).exists()  # a forecast only


def test_riverside_loads_twice_to_the_same_rows():
    before = row_counts()

    stats = demo.load()
    again = demo.load()

    assert stats.created == stats.updated == 0
    assert again.created == again.updated == 0
    assert row_counts() == before


def test_a_revised_figure_that_does_not_add_up_is_refused(tmp_path, monkeypatch):
    shutil.copytree(demo.DEMO_DIR, tmp_path, dirs_exist_ok=True)
    riverside = tmp_path / "riverside.toml"
    riverside.write_text(
        riverside.read_text().replace('planned = "562318.09"', 'planned = "562318.10"')
    )
    monkeypatch.setattr(demo, "DEMO_DIR", tmp_path)

    with pytest.raises(CommandError, match=r"riverside\.toml, Better Care Fund 2026/27"):
        call_command("load_demo", stdout=StringIO(), passwords=False)

    assert Contribution.objects.filter(planned=Decimal("562318.09")).exists()


def test_no_loaded_text_carries_a_source_note_marker():
    """The data files cite the seed papers' paragraphs (¶3.10) in comments; a value that
    carried one would print it on a page or in a paper."""
    found = []
    for model in apps.get_models():
        fields = [
            field.name
            for field in model._meta.concrete_fields
            if isinstance(field, (models.CharField, models.TextField))
        ]
        for field in fields:
            rows = model._base_manager.filter(**{f"{field}__contains": "¶"})
            found += [
                f"{model._meta.label}.{field}: {value}"
                for value in rows.values_list(field, flat=True)
            ]
    assert found == []
