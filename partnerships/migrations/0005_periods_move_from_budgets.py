
import django.db.models.deletion
from django.db import migrations, models


MODELS = ["financialyear", "quarter"]


def move_content_types(apps, schema_editor, old="budgets", new="partnerships"):
    """Permissions and admin log entries point at a content type: move it with the model."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label=old, model__in=MODELS).update(app_label=new)


def move_content_types_back(apps, schema_editor):
    move_content_types(apps, schema_editor, old="partnerships", new="budgets")


class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('budgets', '0002_initial'),
        ('partnerships', '0004_quarterly_returns_move_to_their_app'),
    ]

    operations = [
        # Financial years and quarters were budgets'; every app's figures are kept by them, so
        # they are the base's now. The tables (budgets_financialyear, budgets_quarter) stay.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='FinancialYear',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('start_year', models.PositiveSmallIntegerField(unique=True)),
                    ],
                    options={
                        'db_table': 'budgets_financialyear',
                        'ordering': ['start_year'],
                        'constraints': [models.CheckConstraint(condition=models.Q(('start_year__gte', 1990), ('start_year__lte', 2100)), name='financial_year_in_range')],
                    },
                ),
                migrations.CreateModel(
                    name='Quarter',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('number', models.PositiveSmallIntegerField()),
                        ('financial_year', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='quarters', to='partnerships.financialyear')),
                    ],
                    options={
                        'db_table': 'budgets_quarter',
                        'ordering': ['financial_year__start_year', 'number'],
                    },
                ),
                migrations.AlterField(
                    model_name='historicalkpivalue',
                    name='quarter',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='partnerships.quarter'),
                ),
                migrations.AlterField(
                    model_name='kpivalue',
                    name='quarter',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='partnerships.quarter'),
                ),
                migrations.AlterField(
                    model_name='meeting',
                    name='quarter',
                    field=models.ForeignKey(blank=True, help_text='The quarter whose figures the meeting considers.', null=True, on_delete=django.db.models.deletion.PROTECT, to='partnerships.quarter'),
                ),
                migrations.AlterField(
                    model_name='pendingupload',
                    name='quarter',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='partnerships.quarter'),
                ),
                migrations.AlterField(
                    model_name='progressnote',
                    name='quarter',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='partnerships.quarter'),
                ),
                migrations.AddConstraint(
                    model_name='quarter',
                    constraint=models.UniqueConstraint(fields=('financial_year', 'number'), name='quarter_unique'),
                ),
                migrations.AddConstraint(
                    model_name='quarter',
                    constraint=models.CheckConstraint(condition=models.Q(('number__gte', 1), ('number__lte', 4)), name='quarter_number_1_to_4'),
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_types, move_content_types_back),
    ]
