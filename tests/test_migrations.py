import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_models_and_migrations_agree():
    # makemigrations --check exits non-zero when a model change has no migration.
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


@pytest.mark.django_db(transaction=True)
def test_the_access_log_migration_names_old_rows_and_refuses_births_after_detention():
    """Run on a database as it stood before: the log's rows get the names of who and whom,
    and entries that would break the new constraint are named, with nothing changed."""
    import datetime

    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    before, after = (
        [("s117", "0003_access_log_base_manager")],
        [("s117", "0004_access_log_names_at_the_time")],
    )
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    Agreement, Organisation = (
        old.get_model("partnerships", m) for m in ("Agreement", "Organisation")
    )
    Entry, Log = old.get_model("s117", "RegisterEntry"), old.get_model("s117", "AccessLog")
    User = old.get_model("auth", "User")
    agreement = Agreement.objects.create(
        slug="migration-test",
        title="Migration test",
        short_title="MT",
        legal_basis="s75",
        start_date=datetime.date(2020, 4, 1),
        end_date=datetime.date(2030, 3, 31),
    )
    council = Organisation.objects.create(name="MT Council", short_name="MTC", kind="council")
    icb = Organisation.objects.create(name="MT ICB", short_name="MTICB", kind="icb")
    entry = Entry.objects.create(
        agreement=agreement,
        person_reference="MT-1",
        qualifying_section="3",
        detained_on=datetime.date(2020, 5, 1),
        date_of_birth=datetime.date(2021, 1, 1),
        responsible_council=council,
        responsible_icb=icb,
    )
    user = User.objects.create(username="mt.officer", first_name="Migration", last_name="Test")
    Log.objects.create(user=user, entry=entry, action="view")

    with pytest.raises(RuntimeError, match=r"1 s117 register entries .* \(MT-1\)"):
        MigrationExecutor(connection).migrate(after)
    Entry.objects.filter(pk=entry.pk).update(date_of_birth=datetime.date(1980, 1, 1))
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT username, user_full_name, person_reference FROM s117_accesslog "
            "WHERE entry_id = %s",
            [entry.pk],
        )
        assert cursor.fetchall() == [("mt.officer", "Migration Test", "MT-1")]


@pytest.mark.django_db(transaction=True)
def test_quarterly_returns_keep_their_rows_and_history_when_they_move_to_their_own_app():
    """A database from before returns had their own app: its returns, their history and the
    content type permissions hang on are all still there, now the returns app's."""
    import datetime

    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    before = [("returns", None), ("partnerships", "0003_pending_upload_and_note_text")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before[1:]).apps
    Agreement = old.get_model("partnerships", "Agreement")
    Return = old.get_model("partnerships", "QuarterlyReturn")
    OldHistory = old.get_model("partnerships", "HistoricalQuarterlyReturn")
    Year, Quarter = (old.get_model("budgets", m) for m in ("FinancialYear", "Quarter"))
    state = executor.loader.project_state(
        [*before[1:], ("contenttypes", "0002_remove_content_type_name")]
    )
    state.apps.get_model("contenttypes", "ContentType").objects.get_or_create(
        app_label="partnerships", model="quarterlyreturn"
    )
    agreement = Agreement.objects.create(
        slug="move-test",
        title="Move test",
        short_title="MV",
        legal_basis="s75",
        start_date=datetime.date(2020, 4, 1),
        end_date=datetime.date(2030, 3, 31),
    )
    year, _ = Year.objects.get_or_create(start_year=2024)
    quarter, _ = Quarter.objects.get_or_create(financial_year=year, number=2)
    kept = Return.objects.create(agreement=agreement, quarter=quarter, status="draft", version=3)
    OldHistory.objects.create(
        id=kept.pk,
        agreement=agreement,
        quarter=quarter,
        status="draft",
        version=3,
        history_date=datetime.datetime(2024, 10, 1, tzinfo=datetime.UTC),
        history_type="+",
    )

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    new = executor.loader.project_state(executor.loader.graph.leaf_nodes()).apps
    moved = new.get_model("returns", "QuarterlyReturn").objects.get()
    assert (moved.pk, moved.agreement_id, moved.quarter_id, moved.version) == (
        kept.pk,
        agreement.pk,
        quarter.pk,
        3,
    )
    history = new.get_model("returns", "HistoricalQuarterlyReturn").objects.get()
    assert (history.id, history.version) == (kept.pk, 3)
    labels = set(
        new.get_model("contenttypes", "ContentType")
        .objects.filter(model="quarterlyreturn")
        .values_list("app_label", flat=True)
    )
    assert labels == {"returns"}


@pytest.mark.django_db(transaction=True)
def test_financial_years_and_quarters_keep_their_rows_when_they_move_to_the_base():
    """Periods were budgets'; a database from before keeps its years, quarters and every
    figure's link to them, and their content types follow them to partnerships."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    before = [
        ("budgets", "0002_initial"),
        ("partnerships", "0004_quarterly_returns_move_to_their_app"),
    ]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    Year, Quarter = (old.get_model("budgets", m) for m in ("FinancialYear", "Quarter"))
    ContentType.objects.get_or_create(app_label="budgets", model="quarter")
    year, _ = Year.objects.get_or_create(start_year=2031)
    quarter, _ = Quarter.objects.get_or_create(financial_year=year, number=3)

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    new = executor.loader.project_state(executor.loader.graph.leaf_nodes()).apps
    moved = new.get_model("partnerships", "Quarter").objects.get(pk=quarter.pk)
    assert (moved.financial_year_id, moved.number) == (year.pk, 3)
    assert new.get_model("partnerships", "FinancialYear").objects.get(pk=year.pk).start_year == 2031
    assert set(ContentType.objects.filter(model="quarter").values_list("app_label", flat=True)) == {
        "partnerships"
    }


@pytest.mark.django_db(transaction=True)
def test_a_ccg_with_a_successor_is_dissolved_on_30_june_2022_and_its_partnerships_kept():
    """A successor now needs the day its predecessor was dissolved: a database from before
    gets every CCG's (the day before ICBs took over), and its partners keep their rows,
    partners for the whole agreement as before."""
    import datetime

    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    before = [("partnerships", "0007_kpi_may_have_no_target")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    Organisation = old.get_model("partnerships", "Organisation")
    Agreement, Partner = (
        old.get_model("partnerships", m) for m in ("Agreement", "AgreementPartner")
    )
    icb = Organisation.objects.create(name="MG ICB", short_name="MGICB", kind="icb")
    ccg = Organisation.objects.create(name="MG CCG", short_name="MGCCG", kind="ccg", successor=icb)
    agreement = Agreement.objects.create(
        slug="migration-bodies",
        title="Migration bodies",
        short_title="MB",
        legal_basis="s75",
        start_date=datetime.date(2015, 4, 1),
        end_date=datetime.date(2030, 3, 31),
    )
    Partner.objects.create(agreement=agreement, organisation=ccg, role="partner", is_host=True)

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    new = executor.loader.project_state(executor.loader.graph.leaf_nodes()).apps

    migrated = new.get_model("partnerships", "Organisation").objects.get(pk=ccg.pk)
    assert (migrated.dissolved_on, migrated.successor_id, migrated.council_type) == (
        datetime.date(2022, 6, 30),
        icb.pk,
        "",
    )
    partner = new.get_model("partnerships", "AgreementPartner").objects.get(organisation=ccg.pk)
    assert (partner.is_host, partner.from_date, partner.to_date) == (True, None, None)
