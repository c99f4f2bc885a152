"""``{% table_scroll %}<table>…</table>{% endtable_scroll %}``: a table wider than a phone
scrolls in its own region, not the page, as the GOV.UK Design System advises for tables
that can't be narrowed. The region takes the table's caption as its name and is focusable,
so it can be scrolled from the keyboard (axe: scrollable-region-focusable)."""

import html
import re

from django import template
from django.utils.html import format_html, strip_tags

register = template.Library()

CAPTION = re.compile(r"<caption\b[^>]*>(.*?)</caption>", re.DOTALL)


@register.tag
def table_scroll(parser, token):
    nodelist = parser.parse(("endtable_scroll",))
    parser.delete_first_token()
    return TableScrollNode(nodelist)


class TableScrollNode(template.Node):
    def __init__(self, nodelist):
        self.nodelist = nodelist

    def render(self, context):
        table = self.nodelist.render(context)
        label = caption_text(table)
        if not label:
            return table  # a region nobody can name would be a tab stop heard as nothing
        return format_html(
            '<div class="app-table-scroll" role="region" aria-label="{}" tabindex="0">{}</div>',
            label,
            table,
        )


def caption_text(table_html: str) -> str:
    """The caption as a reader hears it: its text without tags or entities, spaces collapsed
    (format_html escapes it again for the attribute)."""
    caption = CAPTION.search(table_html)
    return " ".join(html.unescape(strip_tags(caption.group(1))).split()) if caption else ""
