"""The s117 export log: who downloaded what from the register. Append-only in the database
itself, as the access log is (s117.append_only); undoing this drops the table, and its
triggers with it."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

from s117 import append_only


def install_triggers(apps, schema_editor):
    append_only.install_export_log(schema_editor.connection)


def remove_triggers(apps, schema_editor):
    append_only.remove_export_log(schema_editor.connection)


class Migration(migrations.Migration):

    dependencies = [
        ('partnerships', '0010_s117_review_interval'),
        ('s117', '0007_entitlement_lifecycle'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='ExportLog',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('username', models.CharField(help_text="The user's user name at the time.", max_length=150)),
                ('user_full_name', models.CharField(blank=True, help_text="The user's name at the time.", max_length=300)),
                ('at', models.DateTimeField(db_index=True, default=django.utils.timezone.now)),
                ('what', models.CharField(choices=[('register', "The register's people"), ('breakdowns', "The register's breakdowns")], max_length=10)),
                ('file_format', models.CharField(choices=[('csv', 'CSV'), ('xlsx', 'XLSX')], max_length=4)),
                ('query', models.CharField(blank=True, help_text='The search and filters, as the address had them.', max_length=500)),
                ('rows', models.PositiveIntegerField(help_text='The rows of figures or people in the file.')),
                ('agreement', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='s117_exports', to='partnerships.agreement')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='s117_exports', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 's117 export log entry',
                'verbose_name_plural': 's117 export log',
                'ordering': ['-at'],
                'base_manager_name': 'objects',
                'constraints': [models.CheckConstraint(condition=models.Q(('what__in', ['register', 'breakdowns'])), name='s117_export_log_what_valid'), models.CheckConstraint(condition=models.Q(('file_format__in', ['csv', 'xlsx'])), name='s117_export_log_format_valid'), models.CheckConstraint(condition=models.Q(('username', ''), _negated=True), name='s117_export_log_names_who')],
            },
        ),
        migrations.RunPython(install_triggers, remove_triggers),
    ]
