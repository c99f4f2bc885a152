
import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


MODELS = ["quarterlyreturn", "historicalquarterlyreturn"]


def move_content_types(apps, schema_editor, old="partnerships", new="returns"):
    """Permissions and admin log entries point at a content type: move it with the model."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label=old, model__in=MODELS).update(app_label=new)


def move_content_types_back(apps, schema_editor):
    move_content_types(apps, schema_editor, old="returns", new="partnerships")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('budgets', '0002_initial'),
        ('partnerships', '0003_pending_upload_and_note_text'),
        ('contenttypes', '0002_remove_content_type_name'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # The tables stay where they are (and keep their names): only Django's picture of
        # which app holds the model moves, so every row is kept.
        migrations.SeparateDatabaseAndState(
            state_operations=[
            migrations.CreateModel(
                name='HistoricalQuarterlyReturn',
                fields=[
                    ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                    ('status', models.CharField(choices=[('draft', 'Draft'), ('submitted', 'Submitted'), ('signed_off', 'Signed off'), ('reopened', 'Reopened')], default='draft', max_length=12)),
                    ('version', models.PositiveIntegerField(default=1, help_text='Goes up with every saved change; a save based on an older one is refused.')),
                    ('submitted_at', models.DateTimeField(blank=True, null=True)),
                    ('signed_off_at', models.DateTimeField(blank=True, null=True)),
                    ('reopened_reason', models.TextField(blank=True)),
                    ('history_id', models.AutoField(primary_key=True, serialize=False)),
                    ('history_date', models.DateTimeField(db_index=True)),
                    ('history_change_reason', models.CharField(max_length=100, null=True)),
                    ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                    ('agreement', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='partnerships.agreement')),
                    ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('quarter', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='budgets.quarter')),
                    ('signed_off_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('submitted_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
                ],
                options={
                    'verbose_name': 'historical quarterly return',
                    'verbose_name_plural': 'historical quarterly returns',
                    'db_table': 'partnerships_historicalquarterlyreturn',
                    'ordering': ('-history_date', '-history_id'),
                    'get_latest_by': ('history_date', 'history_id'),
                },
                bases=(simple_history.models.HistoricalChanges, models.Model),
            ),
            migrations.CreateModel(
                name='QuarterlyReturn',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('status', models.CharField(choices=[('draft', 'Draft'), ('submitted', 'Submitted'), ('signed_off', 'Signed off'), ('reopened', 'Reopened')], default='draft', max_length=12)),
                    ('version', models.PositiveIntegerField(default=1, help_text='Goes up with every saved change; a save based on an older one is refused.')),
                    ('submitted_at', models.DateTimeField(blank=True, null=True)),
                    ('signed_off_at', models.DateTimeField(blank=True, null=True)),
                    ('reopened_reason', models.TextField(blank=True)),
                    ('agreement', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='returns', to='partnerships.agreement')),
                    ('quarter', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='budgets.quarter')),
                    ('signed_off_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('submitted_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ],
                options={
                    'db_table': 'partnerships_quarterlyreturn',
                    'ordering': ['agreement', '-quarter__financial_year__start_year', '-quarter__number'],
                    'constraints': [models.UniqueConstraint(fields=('agreement', 'quarter'), name='quarterly_return_once'), models.CheckConstraint(condition=models.Q(('status__in', ['draft', 'submitted', 'signed_off', 'reopened'])), name='quarterly_return_status_valid'), models.CheckConstraint(condition=models.Q(models.Q(('status', 'signed_off'), _negated=True), models.Q(('signed_off_at__isnull', False), ('signed_off_by__isnull', False)), _connector='OR'), name='quarterly_return_sign_off_says_who_and_when'), models.CheckConstraint(condition=models.Q(models.Q(('status', 'reopened'), _negated=True), models.Q(('reopened_reason', ''), _negated=True), _connector='OR'), name='quarterly_return_reopened_with_reason')],
                },
            ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_types, move_content_types_back),
    ]
