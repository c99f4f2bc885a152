"""The s117 access log and export log are append-only in the database itself, so that no
code path (a raw query, the base manager, a shell) can change or remove a row: PostgreSQL
and SQLite each refuse an UPDATE or a DELETE with a trigger.

SQLite drops a table's triggers when Django rebuilds the table (as some migrations do), so
`install` is run again after every migrate, and makes only what is missing. A test
database is emptied between tests that commit (Django's flush) with DELETE on SQLite: the
test suite lifts the DELETE trigger for that alone (tests/conftest.py). PostgreSQL's flush
is a TRUNCATE, which fires no row trigger.
"""

POSTGRES_INSTALL = """
CREATE OR REPLACE FUNCTION s117_access_log_is_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'The s117 access log is append-only: % refused', TG_OP;
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS s117_access_log_append_only ON s117_accesslog;
CREATE TRIGGER s117_access_log_append_only
    BEFORE UPDATE OR DELETE ON s117_accesslog
    FOR EACH ROW EXECUTE FUNCTION s117_access_log_is_append_only();
"""
POSTGRES_REMOVE = "DROP TRIGGER IF EXISTS s117_access_log_append_only ON s117_accesslog;"
SQLITE_INSTALL = [
    """CREATE TRIGGER IF NOT EXISTS s117_access_log_append_only
    BEFORE UPDATE ON s117_accesslog
    BEGIN SELECT RAISE(ABORT, 'The s117 access log is append-only: UPDATE refused'); END;""",
    """CREATE TRIGGER IF NOT EXISTS s117_access_log_no_delete
    BEFORE DELETE ON s117_accesslog
    BEGIN SELECT RAISE(ABORT, 'The s117 access log is append-only: DELETE refused'); END;""",
]
SQLITE_DELETE_TRIGGER = "s117_access_log_no_delete"
SQLITE_REMOVE = [
    "DROP TRIGGER IF EXISTS s117_access_log_append_only;",
    f"DROP TRIGGER IF EXISTS {SQLITE_DELETE_TRIGGER};",
]


# The export log (s117.models.ExportLog), made append-only the same way by its own
# migration. Kept apart from the access log's statements, which older migrations run when
# the export log's table doesn't exist yet.
EXPORT_LOG_POSTGRES_INSTALL = """
CREATE OR REPLACE FUNCTION s117_export_log_is_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'The s117 export log is append-only: % refused', TG_OP;
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS s117_export_log_append_only ON s117_exportlog;
CREATE TRIGGER s117_export_log_append_only
    BEFORE UPDATE OR DELETE ON s117_exportlog
    FOR EACH ROW EXECUTE FUNCTION s117_export_log_is_append_only();
"""
EXPORT_LOG_POSTGRES_REMOVE = """
DROP TRIGGER IF EXISTS s117_export_log_append_only ON s117_exportlog;
DROP FUNCTION IF EXISTS s117_export_log_is_append_only();
"""
EXPORT_LOG_SQLITE_DELETE_TRIGGER = "s117_export_log_no_delete"
EXPORT_LOG_SQLITE_INSTALL = [
    """CREATE TRIGGER IF NOT EXISTS s117_export_log_append_only
    BEFORE UPDATE ON s117_exportlog
    BEGIN SELECT RAISE(ABORT, 'The s117 export log is append-only: UPDATE refused'); END;""",
    f"""CREATE TRIGGER IF NOT EXISTS {EXPORT_LOG_SQLITE_DELETE_TRIGGER}
    BEFORE DELETE ON s117_exportlog
    BEGIN SELECT RAISE(ABORT, 'The s117 export log is append-only: DELETE refused'); END;""",
]
EXPORT_LOG_SQLITE_REMOVE = [
    "DROP TRIGGER IF EXISTS s117_export_log_append_only;",
    f"DROP TRIGGER IF EXISTS {EXPORT_LOG_SQLITE_DELETE_TRIGGER};",
]
# What a test database's flush must lift on SQLite (tests/conftest.py).
SQLITE_DELETE_TRIGGERS = (SQLITE_DELETE_TRIGGER, EXPORT_LOG_SQLITE_DELETE_TRIGGER)


def _run(connection, statements) -> None:
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def install(connection) -> None:
    if connection.vendor == "postgresql":
        _run(connection, [POSTGRES_INSTALL])
    elif connection.vendor == "sqlite":
        _run(connection, SQLITE_INSTALL)


def remove(connection) -> None:
    """Only for a migration that must rewrite the log's rows itself, and puts them back."""
    if connection.vendor == "postgresql":
        _run(connection, [POSTGRES_REMOVE])
    elif connection.vendor == "sqlite":
        _run(connection, SQLITE_REMOVE)


def install_export_log(connection) -> None:
    if connection.vendor == "postgresql":
        _run(connection, [EXPORT_LOG_POSTGRES_INSTALL])
    elif connection.vendor == "sqlite":
        _run(connection, EXPORT_LOG_SQLITE_INSTALL)


def remove_export_log(connection) -> None:
    """Only for undoing the migration that makes the export log."""
    if connection.vendor == "postgresql":
        _run(connection, [EXPORT_LOG_POSTGRES_REMOVE])
    elif connection.vendor == "sqlite":
        _run(connection, EXPORT_LOG_SQLITE_REMOVE)


def installed_after_migrate(sender, using, **kwargs) -> None:
    from django.db import connections

    connection = connections[using]
    tables = connection.introspection.table_names()
    if "s117_accesslog" in tables:
        install(connection)
    if "s117_exportlog" in tables:
        install_export_log(connection)
