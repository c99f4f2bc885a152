"""A report with published versions keeps its partnership, kind and period, whatever path a
change comes by (the admin, a script, the shell, raw SQL): otherwise a paper published for
one partnership could be moved to another's library, and its scrutiny officers could read it.

The trigger raises an integrity error (SQLSTATE 23001 on PostgreSQL; SQLite's RAISE(ABORT)
is one too), so both databases refuse it as they refuse a broken constraint. Its title and
the draft's narrative can still change: a published version keeps its own copy of both.
"""

from django.db import migrations

MESSAGE = (
    "A report with published versions keeps its partnership, kind and period: "
    "start a new report instead"
)
POSTGRES = f"""
CREATE FUNCTION reports_published_report_stays_put() RETURNS trigger AS $$
BEGIN
    IF (NEW.id, NEW.agreement_id, NEW.kind, NEW.period)
            IS DISTINCT FROM (OLD.id, OLD.agreement_id, OLD.kind, OLD.period)
        AND EXISTS (SELECT 1 FROM reports_publishedversion WHERE report_id = OLD.id)
    THEN
        RAISE EXCEPTION '{MESSAGE} (report %)', OLD.id USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER reports_published_report_stays_put
    BEFORE UPDATE ON reports_report
    FOR EACH ROW EXECUTE FUNCTION reports_published_report_stays_put();
"""
POSTGRES_UNDO = """
DROP TRIGGER IF EXISTS reports_published_report_stays_put ON reports_report;
DROP FUNCTION IF EXISTS reports_published_report_stays_put();
"""
SQLITE = f"""
CREATE TRIGGER reports_published_report_stays_put
BEFORE UPDATE OF id, agreement_id, kind, period ON reports_report
WHEN (
    NEW.id IS NOT OLD.id
    OR NEW.agreement_id IS NOT OLD.agreement_id
    OR NEW.kind IS NOT OLD.kind
    OR NEW.period IS NOT OLD.period
) AND EXISTS (SELECT 1 FROM reports_publishedversion WHERE report_id = OLD.id)
BEGIN
    SELECT RAISE(ABORT, '{MESSAGE}');
END;
"""
SQLITE_UNDO = "DROP TRIGGER IF EXISTS reports_published_report_stays_put;"


def forwards(apps, schema_editor):
    sql = {"postgresql": POSTGRES, "sqlite": SQLITE}.get(schema_editor.connection.vendor)
    if sql:
        schema_editor.execute(sql, params=None)  # None: the % in the message is literal


def backwards(apps, schema_editor):
    sql = {"postgresql": POSTGRES_UNDO, "sqlite": SQLITE_UNDO}.get(schema_editor.connection.vendor)
    if sql:
        schema_editor.execute(sql, params=None)


class Migration(migrations.Migration):
    dependencies = [("reports", "0003_report_history")]
    operations = [migrations.RunPython(forwards, backwards)]
