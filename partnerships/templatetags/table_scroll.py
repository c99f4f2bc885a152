"""``{% table_scroll %}<table>…</table>{% endtable_scroll %}``: a table wider than a phone
scrolls in its own region, not the page, as the GOV.UK Design System advises for tables
that can't be narrowed. The region is named by the table's caption (aria-labelledby, so
the caption's words are written once) and is focusable, so it can be scrolled from the
keyboard (axe: scrollable-region-focusable). docs/adr/0029 says why."""

import hashlib
import re

from django import template
from django.utils.html import strip_tags

register = template.Library()

CAPTION = re.compile(r"<caption\b([^>]*)>(.*?)</caption>", re.DOTALL)
ID = re.compile(r'\bid="([^"]+)"')


@register.tag
def table_scroll(parser, token):
    nodelist = parser.parse(("endtable_scroll",))
    parser.delete_first_token()
    return TableScrollNode(nodelist)


class TableScrollNode(template.Node):
    def __init__(self, nodelist):
        self.nodelist = nodelist

    def render(self, context):
        table, caption_id = with_caption_id(self.nodelist.render(context))
        if caption_id is None:
            return table  # a region nobody can name would be a tab stop heard as nothing
        # A tag's output goes into the page as it is: `table` is the template's own
        # rendering, escaped as it rendered, and the id is the caption's own or a digest.
        return (
            f'<div class="app-table-scroll" role="region" aria-labelledby="{caption_id}" '
            f'tabindex="0">{table}</div>'
        )


def with_caption_id(table_html: str) -> tuple[str, str | None]:
    """The table with an id on its caption, and the id; (the table, None) if it has no
    caption with words. The id is made from the caption's words, so a page's tables (whose
    captions differ) get different ids and the same page renders the same each time."""
    caption = CAPTION.search(table_html)
    if caption is None or not strip_tags(caption.group(2)).strip():
        return table_html, None
    attrs = caption.group(1)
    if own := ID.search(attrs):
        return table_html, own.group(1)
    digest = hashlib.sha256(" ".join(caption.group(2).split()).encode()).hexdigest()[:10]
    caption_id = f"table-caption-{digest}"
    start = caption.start() + len("<caption")
    return f'{table_html[:start]} id="{caption_id}"{table_html[start:]}', caption_id
