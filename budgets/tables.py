import django_tables2 as tables

from core.formatting import whole_pounds
from partnerships.tables import GovukTable, MoneyColumn, PercentColumn


def total_of(field):
    def footer(table):
        return whole_pounds(table.totals.get(field), missing="")

    return footer


class PositionTable(GovukTable):
    """Each partner's contribution to the pool as at the chosen quarter."""

    partner = tables.Column(footer="Total")
    planned = MoneyColumn(whole_pounds=True, footer=total_of("planned"))
    share = PercentColumn(verbose_name="Share of pool")
    forecast = MoneyColumn(
        whole_pounds=True, verbose_name="Forecast outturn", footer=total_of("forecast")
    )
    as_at = tables.Column(verbose_name="Forecast reported in", default="No forecast yet")
    actual_to_date = MoneyColumn(whole_pounds=True, verbose_name="Spent to date")
    variance = MoneyColumn(
        whole_pounds=True, verbose_name="Variance (forecast less plan)", footer=total_of("variance")
    )
    risk_share = MoneyColumn(
        whole_pounds=True, verbose_name="Bears of the variance", footer=total_of("risk_share")
    )

    class Meta(GovukTable.Meta):
        orderable = True

    def __init__(self, data, *, totals, **kwargs):
        self.totals = totals
        super().__init__(data, **kwargs)


class TrendTable(GovukTable):
    year = tables.Column(verbose_name="Financial year")
    partner = tables.Column()
    planned = MoneyColumn(whole_pounds=True, verbose_name="Planned contribution")

    class Meta(GovukTable.Meta):
        pass


class ProjectionTable(GovukTable):
    year = tables.Column(verbose_name="Agreement year ending")
    value = MoneyColumn(whole_pounds=True, verbose_name="Projected value")
    in_term = tables.Column(verbose_name="Term", orderable=False)

    class Meta(GovukTable.Meta):
        pass
