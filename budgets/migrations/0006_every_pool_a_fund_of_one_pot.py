"""Each pool as it was becomes a fund of one pot holding its contributions; each
contribution's original figure is the first it was given (its earliest history row, where
it was later revised); each quarter's outturn is at the quarter's last month."""

from django.db import migrations


def forwards(apps, schema_editor):
    PooledBudget = apps.get_model("budgets", "PooledBudget")
    Pot = apps.get_model("budgets", "Pot")
    Contribution = apps.get_model("budgets", "Contribution")
    HistoricalContribution = apps.get_model("budgets", "HistoricalContribution")
    ContributionOutturn = apps.get_model("budgets", "ContributionOutturn")
    Quarter = apps.get_model("partnerships", "Quarter")
    pots = {}
    for pool in PooledBudget.objects.filter(pots__isnull=True).iterator():
        pots[pool.pk] = Pot(pooled_budget_id=pool.pk, name=pool.name, position=1)
    Pot.objects.bulk_create(pots.values(), batch_size=2000)
    pot_of = dict(Pot.objects.values_list("pooled_budget_id", "pk"))
    first = {}
    for contribution_id, planned in (
        HistoricalContribution.objects.order_by("id", "history_date", "history_id").values_list(
            "id", "planned"
        )
    ):
        first.setdefault(contribution_id, planned)
    batch = []
    for contribution in Contribution.objects.filter(pot__isnull=True).iterator():
        contribution.pot_id = pot_of[contribution.pooled_budget_id]
        contribution.original = first.get(contribution.pk, contribution.planned)
        batch.append(contribution)
    Contribution.objects.bulk_update(batch, ["pot", "original"], batch_size=2000)
    # History rows hold the figures as they were then: the same pot, the same original.
    pot_of_contribution = dict(Contribution.objects.values_list("pk", "pot_id"))
    batch = []
    for record in HistoricalContribution.objects.filter(original__isnull=True).iterator():
        record.pot_id = pot_of_contribution.get(record.id) or pot_of.get(record.pooled_budget_id)
        record.original = first.get(record.id, record.planned)
        batch.append(record)
    HistoricalContribution.objects.bulk_update(batch, ["pot", "original"], batch_size=2000)
    HistoricalOutturn = apps.get_model("budgets", "HistoricalContributionOutturn")
    for number in (1, 2, 3, 4):
        quarters = Quarter.objects.filter(number=number).values("pk")
        for model in (ContributionOutturn, HistoricalOutturn):
            model.objects.filter(month__isnull=True, quarter_id__in=quarters).update(
                month=number * 3
            )


class Migration(migrations.Migration):
    dependencies = [("budgets", "0005_funds_pots_and_revisions")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
