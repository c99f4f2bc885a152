import django_tables2 as tables

from core.formatting import NOT_REPORTED, money, whole_pounds
from partnerships.tables import GovukTable, MoneyColumn, PercentColumn

NOT_YET_KNOWN = "Not yet known"  # a risk share, until every partner has a forecast


def _write(table):
    return money if getattr(table, "pence", False) else whole_pounds


def total_of(field, *, missing=""):
    def footer(table):
        return _write(table)(table.totals.get(field), missing=missing)

    return footer


def reported_total_of(field):
    """A total of reported figures, saying which partners it leaves out (not reported)."""

    def footer(table):
        value, leaves_out = table.totals.get(field), table.totals.get("leaves_out")
        if value is None:
            return NOT_REPORTED if table.totals else ""
        write = _write(table)
        return f"{write(value)} ({leaves_out})" if leaves_out else write(value)

    return footer


def has_pence(values) -> bool:
    """Whether any of these amounts has pence: then a table shows every amount to the
    penny, as it was entered; otherwise in whole pounds, as the papers write them."""
    return any(value is not None and value % 1 for value in values)


class PenceTable(GovukTable):
    """A table of money whose amounts are shown to the penny where any of them has pence
    (`pence=True`), else in whole pounds; exports are always to the penny."""

    def __init__(self, data, *, pence: bool = False, **kwargs):
        self.pence = pence
        super().__init__(data, **kwargs)
        if pence:
            for bound in self.columns:
                if isinstance(bound.column, MoneyColumn):
                    bound.column.whole_pounds = False


class PositionTable(PenceTable):
    """Each partner's contribution to a fund (or to every fund) as at the chosen quarter."""

    partner = tables.Column(footer="Total")
    original = MoneyColumn(
        whole_pounds=True, verbose_name="Budget as set", footer=total_of("original")
    )
    planned = MoneyColumn(whole_pounds=True, footer=total_of("planned"))
    share = PercentColumn(verbose_name="Share of pool")
    agreed_share = PercentColumn(
        verbose_name="Agreed share", decimal_places=2, default="Not agreed"
    )
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

    def __init__(self, data, *, totals, revised=False, agreed=False, **kwargs):
        """`revised`: the year's budget was revised, so the table gives the budget as set
        beside the budget as it stands; `agreed`: the partners agreed percentage shares."""
        self.totals = totals
        exclude = [*kwargs.pop("exclude", ())]
        if not revised:
            exclude.append("original")
        if not agreed:
            exclude.append("agreed_share")
        super().__init__(data, exclude=exclude, **kwargs)
        if revised:
            self.columns["planned"].column.verbose_name = "Revised budget"


class PotTable(PenceTable):
    """Each partner's contribution to each pot of a fund."""

    pot = tables.Column()
    arrangement = tables.Column(verbose_name="Pooled or aligned")
    partner = tables.Column()
    original = MoneyColumn(whole_pounds=True, verbose_name="Budget as set")
    planned = MoneyColumn(whole_pounds=True, verbose_name="Revised budget")
    forecast = MoneyColumn(whole_pounds=True, verbose_name="Forecast outturn", default=NOT_REPORTED)
    as_at = tables.Column(verbose_name="Forecast reported at", default=NOT_REPORTED)
    variance = MoneyColumn(
        whole_pounds=True, verbose_name="Variance (forecast less budget)", default=NOT_REPORTED
    )

    class Meta(GovukTable.Meta):
        pass


class FundTable(PenceTable):
    """Every fund of the year, with the total across them."""

    fund = tables.Column(footer="Total, all funds")
    original = MoneyColumn(
        whole_pounds=True, verbose_name="Budget as set", footer=total_of("original")
    )
    planned = MoneyColumn(
        whole_pounds=True, verbose_name="Revised budget", footer=total_of("planned")
    )
    forecast = MoneyColumn(
        whole_pounds=True,
        verbose_name="Forecast outturn",
        default=NOT_REPORTED,
        footer=reported_total_of("forecast"),
    )
    as_at = tables.Column(verbose_name="Position at", default=NOT_REPORTED)
    variance = MoneyColumn(
        whole_pounds=True,
        verbose_name="Variance (forecast less budget)",
        default=NOT_REPORTED,
        footer=reported_total_of("variance"),
    )
    leaves_out = tables.Column(verbose_name="Not in the forecast", default="")

    class Meta(GovukTable.Meta):
        pass

    def __init__(self, data, *, totals, **kwargs):
        self.totals = totals
        super().__init__(data, **kwargs)


class QuarterTrendTable(PenceTable):
    """A fund's budget, forecast and spend at each quarter of its year."""

    quarter = tables.Column(verbose_name="Quarter")
    planned = MoneyColumn(whole_pounds=True, verbose_name="Budget")
    forecast = MoneyColumn(whole_pounds=True, verbose_name="Forecast outturn", default=NOT_REPORTED)
    actual_to_date = MoneyColumn(
        whole_pounds=True, verbose_name="Spent to date", default=NOT_REPORTED
    )
    note = tables.Column(verbose_name="Not in the forecast", default="")

    class Meta(GovukTable.Meta):
        pass


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
