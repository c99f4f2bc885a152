"""The access log names who looked and at whom as they were at the time, and is
append-only against DELETE on SQLite too (s117.append_only).

The log's own triggers refuse the UPDATE that fills the new columns of rows already
written, so they are lifted for that alone, inside this migration's transaction, and put
back (now refusing DELETE on SQLite as well). Rows written before this migration are named
as their user and entry are named now: the best that can be known of them.
"""

import core.tabular
import django.core.validators
from django.conf import settings
from django.db import migrations, models

from s117 import append_only

FILL = """
UPDATE s117_accesslog SET
    username = (SELECT username FROM auth_user WHERE auth_user.id = s117_accesslog.user_id),
    user_full_name = (
        SELECT TRIM(first_name || ' ' || last_name) FROM auth_user
        WHERE auth_user.id = s117_accesslog.user_id
    ),
    person_reference = (
        SELECT person_reference FROM s117_registerentry
        WHERE s117_registerentry.id = s117_accesslog.entry_id
    )
"""


def lift_triggers(apps, schema_editor):
    append_only.remove(schema_editor.connection)


def fill_names(apps, schema_editor):
    schema_editor.execute(FILL)


def born_before_detention(apps, schema_editor):
    """The constraint below refuses a birth after detention: say which entries break it,
    rather than fail with the database's bare refusal."""
    entries = apps.get_model("s117", "RegisterEntry").objects.filter(
        date_of_birth__gt=models.F("detained_on")
    )
    found = list(entries.values_list("person_reference", flat=True)[:20])
    if found:
        raise RuntimeError(
            f"{entries.count()} s117 register entries have a date of birth after their "
            f"detention date ({', '.join(found)}{', …' if entries.count() > 20 else ''}). "
            "Correct their dates, then run migrate again: nothing has been changed."
        )


def put_back_triggers(apps, schema_editor):
    append_only.install(schema_editor.connection)


class Migration(migrations.Migration):

    dependencies = [
        ('caseload', '0002_snapshot_team_latest_index'),
        ('partnerships', '0003_pending_upload_and_note_text'),
        ('s117', '0003_access_log_base_manager'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(lift_triggers, put_back_triggers),
        migrations.AddField(
            model_name='accesslog',
            name='person_reference',
            field=models.CharField(default='', help_text="The person's reference on the register at the time.", max_length=30),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='accesslog',
            name='user_full_name',
            field=models.CharField(blank=True, help_text="The user's name at the time.", max_length=300),
        ),
        migrations.AddField(
            model_name='accesslog',
            name='username',
            field=models.CharField(default='', help_text="The user's user name at the time.", max_length=150),
            preserve_default=False,
        ),
        migrations.RunPython(fill_names, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='historicalregisterentry',
            name='end_reason',
            field=models.TextField(blank=True, validators=[django.core.validators.MaxLengthValidator(2000), core.tabular.validate_not_formula]),
        ),
        migrations.AlterField(
            model_name='historicalregisterentry',
            name='full_name',
            field=models.CharField(blank=True, max_length=200, validators=[core.tabular.validate_not_formula]),
        ),
        migrations.AlterField(
            model_name='historicalregisterentry',
            name='person_reference',
            field=models.CharField(help_text="The register's own reference for the person: letters, digits, hyphens, full stops and underscores, such as BR-S117-0002.", max_length=30),
        ),
        migrations.AlterField(
            model_name='registerentry',
            name='end_reason',
            field=models.TextField(blank=True, validators=[django.core.validators.MaxLengthValidator(2000), core.tabular.validate_not_formula]),
        ),
        migrations.AlterField(
            model_name='registerentry',
            name='full_name',
            field=models.CharField(blank=True, max_length=200, validators=[core.tabular.validate_not_formula]),
        ),
        migrations.AlterField(
            model_name='registerentry',
            name='person_reference',
            field=models.CharField(help_text="The register's own reference for the person: letters, digits, hyphens, full stops and underscores, such as BR-S117-0002.", max_length=30),
        ),
        migrations.AddConstraint(
            model_name='accesslog',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('username', ''), _negated=True), models.Q(('person_reference', ''), _negated=True)), name='s117_access_log_names_who_and_whom'),
        ),
        migrations.RunPython(born_before_detention, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='registerentry',
            constraint=models.CheckConstraint(condition=models.Q(('date_of_birth__isnull', True), ('date_of_birth__lte', models.F('detained_on')), _connector='OR'), name='s117_entry_born_before_detention'),
        ),
        migrations.RunPython(put_back_triggers, lift_triggers),
    ]
