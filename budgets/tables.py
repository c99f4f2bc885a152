import django_tables2 as tables

from core.formatting import NOT_REPORTED, whole_pounds
from partnerships.tables import GovukTable, MoneyColumn, PercentColumn

NOT_YET_KNOWN = "Not yet known"  # a risk share, until every partner has a forecast


def total_of(field, *, missing=""):
    def footer(table):
        return whole_pounds(table.totals.get(field), missing=missing)

    return footer


def reported_total_of(field):
    """A total of reported figures, saying which partners it leaves out (not reported)."""

    def footer(table):
        value, leaves_out = table.totals.get(field), table.totals.get("leaves_out")
        if value is None:
            return NOT_REPORTED if table.totals else ""
        return f"{whole_pounds(value)} ({leaves_out})" if leaves_out else whole_pounds(value)

    return footer


class PositionTable(GovukTable):
    """Each partner's contribution to the pool as at the chosen quarter."""

    partner = tables.Column(footer="Total")
    planned = MoneyColumn(whole_pounds=True, footer=total_of("planned"))
    share = PercentColumn(verbose_name="Share of pool")
    forecast = MoneyColumn(
        whole_pounds=True,
        verbose_name="Forecast outturn",
        default=NOT_REPORTED,
        footer=reported_total_of("forecast"),
    )
    as_at = tables.Column(verbose_name="Forecast reported in", default=NOT_REPORTED)
    actual_to_date = MoneyColumn(
        whole_pounds=True, verbose_name="Spent to date", default=NOT_REPORTED
    )
    variance = MoneyColumn(
        whole_pounds=True,
        verbose_name="Variance (forecast less plan)",
        default=NOT_REPORTED,
        footer=reported_total_of("variance"),
    )
    risk_share = MoneyColumn(
        whole_pounds=True,
        verbose_name="Bears of the variance",
        default=NOT_YET_KNOWN,
        footer=total_of("risk_share", missing=NOT_YET_KNOWN),
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
