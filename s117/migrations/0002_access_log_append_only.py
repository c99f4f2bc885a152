"""Make the s117 access log append-only in the database itself, so that no code path
(a raw query, the base manager, a shell) can change or remove a row.

PostgreSQL refuses UPDATE and DELETE with a trigger (TRUNCATE, used only to empty a test
database, fires no row trigger). SQLite refuses UPDATE; DELETE stays possible there
because Django's test-database flush empties tables with DELETE.
"""

from django.db import migrations

POSTGRES = """
CREATE FUNCTION s117_access_log_is_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'The s117 access log is append-only: % refused', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER s117_access_log_append_only
    BEFORE UPDATE OR DELETE ON s117_accesslog
    FOR EACH ROW EXECUTE FUNCTION s117_access_log_is_append_only();
"""
POSTGRES_UNDO = """
DROP TRIGGER IF EXISTS s117_access_log_append_only ON s117_accesslog;
DROP FUNCTION IF EXISTS s117_access_log_is_append_only();
"""
SQLITE = """
CREATE TRIGGER s117_access_log_append_only BEFORE UPDATE ON s117_accesslog
BEGIN
    SELECT RAISE(ABORT, 'The s117 access log is append-only: UPDATE refused');
END;
"""
SQLITE_UNDO = "DROP TRIGGER IF EXISTS s117_access_log_append_only;"


def forwards(apps, schema_editor):
    sql = {"postgresql": POSTGRES, "sqlite": SQLITE}.get(schema_editor.connection.vendor)
    if sql:
        schema_editor.execute(sql, params=None)  # None: the % in the message is literal


def backwards(apps, schema_editor):
    sql = {"postgresql": POSTGRES_UNDO, "sqlite": SQLITE_UNDO}.get(schema_editor.connection.vendor)
    if sql:
        schema_editor.execute(sql, params=None)  # None: the % in the message is literal


class Migration(migrations.Migration):
    dependencies = [("s117", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
