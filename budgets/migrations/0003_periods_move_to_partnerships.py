
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('budgets', '0002_initial'),
        ('caseload', '0003_quarters_in_partnerships'),
        ('partnerships', '0005_periods_move_from_budgets'),
        ('returns', '0002_quarters_in_partnerships'),
    ]

    operations = [
        # Financial years and quarters move to partnerships (partnerships 0005): tables and
        # columns stay, only Django's picture of which app holds them changes.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='pooledbudget',
                    name='financial_year',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='pooled_budgets', to='partnerships.financialyear'),
                ),
                migrations.RemoveField(
                    model_name='quarter',
                    name='financial_year',
                ),
                migrations.AlterField(
                    model_name='historicalpooledbudget',
                    name='financial_year',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='partnerships.financialyear'),
                ),
                migrations.AlterField(
                    model_name='historicalcontributionoutturn',
                    name='quarter',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='partnerships.quarter'),
                ),
                migrations.AlterField(
                    model_name='contributionoutturn',
                    name='quarter',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='partnerships.quarter'),
                ),
                migrations.DeleteModel(
                    name='FinancialYear',
                ),
                migrations.DeleteModel(
                    name='Quarter',
                ),
            ],
            database_operations=[],
        ),
    ]
