"""KPIs: each indicator's value for the quarter, a percentage from 0 to 100 where the KPI
is measured in per cent."""

from partnerships.models import KPI, KPIValue
from returns.sections.base import Change, Figure, Kind, Refused, Section, Source

# A KPI's value is any number to 2 decimal places (a count, days, a unit cost), and from 0
# to 100 when it is a percentage.
KINDS = {KPI.Unit.PERCENT: Kind.PERCENT}


def _named(kpi) -> str:
    return f"{kpi.code} {kpi.name}"


def _history_labels(row) -> list[tuple[str, object]]:
    return [(_named(row.kpi), row.value)]


class KPIs(Section):
    name = "kpi"
    title = "KPIs"
    history = (
        Source(
            KPIValue,
            ("kpi",),
            _history_labels,
            lambda agreement, quarter: {"kpi__agreement": agreement, "quarter": quarter},
        ),
    )

    def __init__(self, context):
        super().__init__(context)
        self.kpis = {k.code: k for k in KPI.objects.filter(agreement=context.agreement).order_by()}
        self.values = {
            v.kpi_id: v
            for v in KPIValue.objects.filter(
                kpi__agreement=context.agreement, quarter=context.quarter
            ).order_by()
        }

    def _figure(self, code: str) -> Figure:
        kpi = self.kpis[code]
        row = self.values.get(kpi.pk)
        kind = KINDS.get(kpi.unit, Kind.NUMBER)
        value = row.value if row else None
        return Figure(self.name, code, "value", _named(kpi), kind, value)

    def figures(self) -> list[Figure]:
        return [self._figure(code) for code in sorted(self.kpis)]

    def cannot_start_because(self) -> str:
        return "The agreement has no KPIs."

    def find(self, item: str, measure: str) -> Figure:
        self.pick(self.kpis, item, "a KPI code")
        if measure != "value":
            raise Refused("measure", "should be value.")
        return self._figure(item)

    def write(self, writer, change: Change) -> None:
        kpi = self.kpis[change.item]
        row = writer.held(
            self.values, kpi.pk, lambda: KPIValue(kpi=kpi, quarter=self.context.quarter)
        )
        row.value = change.value
        writer.touch(row, kpi.pk, "value")
