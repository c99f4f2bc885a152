"""The shared machinery of dashboard tables: GOV.UK markup, money and number columns, exports.

A view uses it like this::

    table = PooledBudgetTable(budgets, caption="Pooled budgets")
    RequestConfig(request, paginate={"per_page": 25}).configure(table)
    if response := export_response(request, table, filename="pooled-budgets"):
        return response
    return render(request, "budgets/dashboard.html", {"table": table})

and the template says ``{% load django_tables2 %}{% render_table table %}``.
"""

from decimal import ROUND_HALF_UP, Decimal

import django_tables2 as tables
from django.core.exceptions import ImproperlyConfigured
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.text import slugify
from django_tables2.export import TableExport
from django_tables2.tables import TableOptions

from core import formatting, tabular
from core.formatting import NOT_RECORDED

EXPORT_FORMATS = ("csv", "xlsx")
PENNY = Decimal("0.01")

HEADER_CLASS = "govuk-table__header"
CELL_CLASS = "govuk-table__cell"
ROW_CLASS = "govuk-table__row"


def _add_classes(existing, *classes: str):
    """The class attribute with `classes` added once each; a computed (callable) class is left
    alone, as its author decides the whole value."""
    if callable(existing):
        return existing
    names = (existing or "").split()
    return " ".join(names + [name for name in classes if name not in names])


class NumericColumn(tables.Column):
    """A right-aligned column whose empty cells say "Not recorded". Subclasses say how to
    write a value in `render`; an export gets the value itself, as a number."""

    def __init__(self, *args, attrs=None, default=NOT_RECORDED, **kwargs):
        # Only the --numeric modifiers: GovukTable adds the base classes and scope="col".
        attrs = {key: dict(value) for key, value in (attrs or {}).items()}
        for key, modifier in [("th", "header"), ("td", "cell"), ("tf", "cell")]:
            cell = attrs.setdefault(key, {})
            cell["class"] = _add_classes(cell.get("class"), f"govuk-table__{modifier}--numeric")
        super().__init__(*args, attrs=attrs, default=default, **kwargs)

    def value(self, value):
        # A Decimal stays a Decimal: the CSV gets "1618413.00" and the spreadsheet a number
        # it can add up, never the "£1,618,413.00" shown on the page.
        return value

    def order(self, queryset, is_descending):
        # "Not recorded" sorts last either way, on PostgreSQL (which puts NULLs first when
        # descending) as on SQLite.
        names = [str(name) for name in self.order_by or (self.accessor.replace(".", "__"),)]
        if not hasattr(queryset, "order_by") or any(name.startswith("-") for name in names):
            return queryset, False  # django-tables2's own ordering handles these
        fields = [F(name) for name in names]
        return queryset.order_by(
            *[
                field.desc(nulls_last=True) if is_descending else field.asc(nulls_last=True)
                for field in fields
            ]
        ), True


class MoneyColumn(NumericColumn):
    """An amount in pounds: £1,618,413.00, or £1,618,413 with whole_pounds=True."""

    def __init__(self, *args, whole_pounds: bool = False, **kwargs):
        self.whole_pounds = whole_pounds
        super().__init__(*args, **kwargs)

    def render(self, value):
        write = formatting.whole_pounds if self.whole_pounds else formatting.money
        return write(_exact(value))

    def value(self, value):
        # To the penny even where the page shows whole pounds, and the same on every database
        # (SQLite hands back a computed Decimal without its trailing zeros).
        return Decimal(value).quantize(PENNY, rounding=ROUND_HALF_UP)


class NumberColumn(NumericColumn):
    """A count or quantity with thousands separators: 12,345 (or 12,345.7 with decimal_places=1)."""

    def __init__(self, *args, decimal_places: int | None = None, **kwargs):
        self.decimal_places = decimal_places
        super().__init__(*args, **kwargs)

    def render(self, value):
        return formatting.number(_exact(value), places=self.decimal_places)

    def value(self, value):
        return _rounded(value, self.decimal_places)


class PercentColumn(NumericColumn):
    """A value that is already a percentage (8.8, not 0.088), shown as 8.8%."""

    def __init__(self, *args, decimal_places: int = 1, **kwargs):
        self.decimal_places = decimal_places
        super().__init__(*args, **kwargs)

    def render(self, value):
        return formatting.percent(_exact(value), self.decimal_places)

    def value(self, value):
        return _rounded(value, self.decimal_places)


def _exact(value):
    """A float (a ratio worked out in Python, or SQLite's AVG) as the Decimal of its shortest
    form, 8.8 not 8.800000000000000710…: core.formatting writes only exact numbers."""
    return Decimal(str(value)) if isinstance(value, float) else value


def _rounded(value, places: int | None):
    """An export gets the figure as shown on the page (8.8, not 8.7732822957…)."""
    if places is None or not isinstance(value, Decimal | int):
        return value
    return Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


class GovukTable(tables.Table):
    """A django-tables2 table drawn as a GOV.UK table (templates/tables/govuk_table.html),
    with sortable headers, GOV.UK pagination and download links.

    Subclasses write ``class Meta(GovukTable.Meta)``: django-tables2 reads only a table's
    own Meta, so a plain ``class Meta`` would silently drop the GOV.UK template and classes.
    """

    caption: str | None = None
    # Formats offered below the table and honoured by export_response; () offers none.
    export_formats: tuple[str, ...] = EXPORT_FORMATS

    class Meta:
        template_name = "tables/govuk_table.html"
        attrs = {
            "class": "govuk-table",
            "thead": {"class": "govuk-table__head"},
            "tbody": {"class": "govuk-table__body"},
            "th": {"class": HEADER_CLASS, "scope": "col"},
            "td": {"class": CELL_CLASS},
        }
        row_attrs = {"class": ROW_CLASS}
        empty_text = "There is nothing to show."

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        own_meta = cls.__dict__.get("Meta")
        if own_meta is None:
            # No Meta of its own: django-tables2 would fall back to its defaults, not the parent's.
            cls._meta = TableOptions(cls.Meta, cls.__name__)
        elif not issubclass(own_meta, GovukTable.Meta):
            raise ImproperlyConfigured(
                f"{cls.__name__}.Meta must subclass GovukTable.Meta "
                f"(write `class Meta(GovukTable.Meta):`), or the GOV.UK markup is lost."
            )

    def __init__(self, *args, caption: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if caption is not None:
            self.caption = caption
        self._td_attrs: dict[str, SafeString] = {}
        self.row_attrs["class"] = _add_classes(self.row_attrs.get("class"), ROW_CLASS)
        for bound_column in self.columns.iterall():
            self._keep_govuk_cell_attrs(bound_column.column)

    @staticmethod
    def _keep_govuk_cell_attrs(column):
        """A column's own th/td attrs replace the table's, so put back what GOV.UK needs:
        every header cell a column header (scope="col") with the header class, every data
        cell the cell class."""
        attrs = dict(column.attrs)
        if "th" in attrs:
            th = dict(attrs["th"])
            attrs["th"] = th | {
                "scope": "col",
                "class": _add_classes(th.get("class"), HEADER_CLASS),
            }
        if "td" in attrs:
            td = dict(attrs["td"])
            attrs["td"] = td | {"class": _add_classes(td.get("class"), CELL_CLASS)}
        # Footer cells take no attrs from the table's Meta, so every column gets the class here.
        tf = dict(attrs.get("tf", {}))
        attrs["tf"] = tf | {"class": _add_classes(tf.get("class"), CELL_CLASS)}
        column.attrs = attrs

    @property
    def prefixed_export_field(self) -> str:
        """The query parameter asking for a download ("export", or "<prefix>export" for a
        table with a prefix, so two tables on one page don't answer each other's links)."""
        return f"{self.prefix}export"

    @property
    def sorted_column_name(self) -> str | None:
        """The column whose ordering is applied first: only that header carries aria-sort
        "ascending" or "descending" (ARIA allows one at a time); other sortable ones say "none"."""
        return self.order_by[0].bare if self.order_by else None

    @property
    def sorted_descending(self) -> bool:
        return bool(self.order_by) and self.order_by[0].is_descending

    def td_attrs_html(self, bound_column) -> SafeString:
        """A column's body-cell attributes as HTML (`BoundColumn.attrs`), worked out once per
        column rather than for each cell: django-tables2 works out every attribute of the
        column (header, cell and footer) each time it is asked, a good part of a page of
        posts' time. A column whose td attrs are computed from the row (a callable) is asked
        again for every cell, as the row's values are set on it (`BoundRow.items`)."""
        name = bound_column.name
        if name not in self._td_attrs:
            html = bound_column.attrs["td"].as_html()
            if _computed(self, bound_column, "td"):
                return html
            self._td_attrs[name] = html
        return self._td_attrs[name]

    def as_values(self, exclude_columns=None):
        for row in super().as_values(exclude_columns=exclude_columns):
            yield [tabular.defuse(value) if isinstance(value, str) else value for value in row]


def _computed(table, bound_column, key: str) -> bool:
    """Whether a column's `key` cell attrs hold a callable, worked out for each row."""
    attrs = dict(table.attrs) | dict(bound_column.column.attrs)
    return any(callable(value) for value in attrs.get(key, attrs.get("cell", {})).values())


def export_response(
    request: HttpRequest, table: GovukTable, *, filename: str
) -> HttpResponse | None:
    """A CSV or XLSX download of every row of `table` (all pages, in the current order, only
    exportable columns) when the query string asks for one of the table's export formats;
    None otherwise, so the view goes on to render the page.

    `filename` is the stem: "Pooled budgets" downloads as pooled-budgets-2025-04-01.csv.
    Call it after RequestConfig(...).configure(table) so the download keeps the sort order.
    """
    export_format = request.GET.get(table.prefixed_export_field)
    if export_format not in EXPORT_FORMATS or export_format not in table.export_formats:
        return None
    exporter = TableExport(export_format, table)
    stem = slugify(filename) or "table"
    return exporter.response(filename=f"{stem}-{timezone.localdate():%Y-%m-%d}.{export_format}")
