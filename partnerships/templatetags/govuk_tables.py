"""What templates/tables/govuk_table.html asks of a GovukTable for each body cell, in one
filter call each: a page of posts has hundreds of cells, and each tag or lookup the template
makes for a cell is paid for every one of them."""

from django import template
from django.utils import formats

register = template.Library()


@register.filter
def td_attrs(table, bound_column):
    """A body cell's attributes, as ``{{ column.attrs.td.as_html }}`` writes them
    (GovukTable.td_attrs_html says why they are asked of the table)."""
    return table.td_attrs_html(bound_column)


@register.filter(is_safe=False)
def localized(cell, bound_column):
    """A cell localized as its column says (`BoundColumn.localize`), as django-tables2's
    template writes it: as the page localizes (None), or as the ``localize`` (True) or
    ``unlocalize`` (False) filter would."""
    if bound_column.localize is None:
        return cell
    return str(formats.localize(cell, use_l10n=bound_column.localize))
