"""What templates/tables/govuk_table.html asks of a GovukTable for each body cell."""

from django import template

register = template.Library()


@register.filter
def td_attrs(table, bound_column):
    """A body cell's attributes, as ``{{ column.attrs.td.as_html }}`` writes them
    (GovukTable.td_attrs_html says why they are asked of the table)."""
    return table.td_attrs_html(bound_column)
