
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('caseload', '0002_snapshot_team_latest_index'),
        ('partnerships', '0005_periods_move_from_budgets'),
    ]

    operations = [
        # Quarters moved to partnerships (partnerships 0005): the columns stay.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='careactactivity',
                    name='quarter',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='partnerships.quarter'),
                ),
                migrations.AlterField(
                    model_name='historicalcareactactivity',
                    name='quarter',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='partnerships.quarter'),
                ),
            ],
            database_operations=[],
        ),
    ]
