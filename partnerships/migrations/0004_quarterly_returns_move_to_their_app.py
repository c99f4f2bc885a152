
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('partnerships', '0003_pending_upload_and_note_text'),
        ('returns', '0001_initial'),
    ]

    operations = [
        # Quarterly returns are now the returns app's (returns 0001): the tables stay.
        migrations.SeparateDatabaseAndState(
            state_operations=[
            migrations.RemoveField(
                model_name='quarterlyreturn',
                name='agreement',
            ),
            migrations.RemoveField(
                model_name='quarterlyreturn',
                name='quarter',
            ),
            migrations.RemoveField(
                model_name='quarterlyreturn',
                name='signed_off_by',
            ),
            migrations.RemoveField(
                model_name='quarterlyreturn',
                name='submitted_by',
            ),
            migrations.DeleteModel(
                name='HistoricalQuarterlyReturn',
            ),
            migrations.DeleteModel(
                name='QuarterlyReturn',
            ),
            ],
            database_operations=[],
        ),
    ]
