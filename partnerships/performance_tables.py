import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html

from core.formatting import NOT_REPORTED, measure, money, whole_pounds
from partnerships.rag import NO_TARGET
from partnerships.tables import GovukTable, MoneyColumn, NumberColumn, PercentColumn

RAG_TAGS = {"red": "govuk-tag--red", "amber": "govuk-tag--orange", "green": "govuk-tag--green"}


def rag_tag(rag) -> str:
    """A rating as a coloured tag; "No target" (partnerships.rag.NO_TARGET) as a grey one."""
    if rag is None:
        return NOT_REPORTED  # no value, so no colour either
    if rag == NO_TARGET:
        return format_html('<strong class="govuk-tag govuk-tag--grey">{}</strong>', NO_TARGET)
    return format_html('<strong class="govuk-tag {}">{}</strong>', RAG_TAGS[rag], rag.capitalize())


def with_unit(value, unit: str) -> str:
    """A KPI's figure in its unit: 8.5%, £1,234, 12 days, or 3.5 (to one place, half up)."""
    if unit == "pounds":
        return whole_pounds(value)
    shown = measure(value, places=1)
    if unit == "percent":
        return f"{shown}%"
    if unit == "days":
        return f"{shown} days"
    return shown


class KPITable(GovukTable):
    code = tables.Column(verbose_name="KPI")
    name = tables.Column(verbose_name="Indicator")
    value = NumberColumn(decimal_places=1, default=NOT_REPORTED)
    target = NumberColumn(decimal_places=1, default=NO_TARGET)
    direction = tables.Column(verbose_name="Better when")
    rag = tables.Column(verbose_name="RAG", default=NOT_REPORTED)  # no value: no colour

    class Meta(GovukTable.Meta):
        pass

    def render_value(self, value, record):
        return with_unit(value, record["unit"])

    def render_target(self, value, record):
        return with_unit(value, record["unit"])

    def render_rag(self, value):
        return rag_tag(value)

    def value_rag(self, value):
        if value == NO_TARGET:
            return NO_TARGET
        return value.capitalize() if value else ""


class ActionPlanTable(GovukTable):
    reference = tables.Column(
        accessor="recommendation__reference", order_by="recommendation__sort_key"
    )
    text = tables.Column(
        accessor="recommendation__text", verbose_name="Recommendation", orderable=False
    )
    owner = tables.Column(accessor="recommendation__owner")
    due_date = tables.DateColumn(
        accessor="recommendation__due_date", format="j M Y", verbose_name="Due"
    )
    status = tables.Column(accessor="recommendation__get_status_display", verbose_name="Status")
    latest = tables.Column(
        accessor="latest_note__note", verbose_name="Latest progress", orderable=False, default=""
    )

    class Meta(GovukTable.Meta):
        pass

    def render_status(self, value, record):
        if record["overdue"]:
            return format_html(
                '{} <strong class="govuk-tag govuk-tag--red">Overdue</strong>', value
            )
        return value

    def value_status(self, value, record):
        return f"{value} (overdue)" if record["overdue"] else value


def exact_pounds(value) -> str:
    """Whole pounds where the figure is, to the penny where it isn't: never rounded."""
    return money(value) if value != value.to_integral_value() else whole_pounds(value)


class ComparisonTable(GovukTable):
    partnership = tables.Column(accessor="agreement__short_title", verbose_name="Partnership")
    pool_year = tables.Column(verbose_name="Latest pool", default="None recorded")
    pooled_budget = MoneyColumn(whole_pounds=True, verbose_name="Budget, all funds")
    council_share = PercentColumn(verbose_name="Council share")
    wte = NumberColumn(decimal_places=1, verbose_name="WTE today")
    vacancy_rate = PercentColumn(verbose_name="Vacancy rate")
    per_wte = NumberColumn(decimal_places=1, verbose_name="Cases per case-holding WTE")
    s117 = NumberColumn(verbose_name="s117 register")
    kpis = tables.Column(
        verbose_name="KPIs at latest value", default="None recorded", orderable=False
    )

    class Meta(GovukTable.Meta):
        pass

    def render_pooled_budget(self, value, record):
        """The year's budget across its funds, as the budget page totals it, saying how
        many funds it is and how much of it is aligned rather than pooled."""
        shown = exact_pounds(value)
        notes = []
        if record.get("funds", 1) > 1:
            notes.append(f"{record['funds']} funds")
        if record.get("aligned"):
            notes.append(f"{exact_pounds(record['aligned'])} aligned")
        return f"{shown} ({'; '.join(notes)})" if notes else shown

    def render_per_wte(self, value, record):
        shown = self.columns["per_wte"].column.render(value)
        leaves_out = record.get("caseload_leaves_out")
        return f"{shown} ({leaves_out})" if leaves_out else shown

    def render_partnership(self, value, record):
        url = reverse("partnership", args=[record["agreement"].slug])
        return format_html('<a class="govuk-link" href="{}">{}</a>', url, value)
