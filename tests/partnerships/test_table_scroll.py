from django.template import Context, Template
from django.utils.safestring import mark_safe

SCROLLING = "{% load table_scroll %}{% table_scroll %}{{ table }}{% endtable_scroll %}"


def render(table: str) -> str:
    return Template(SCROLLING).render(Context({"table": mark_safe(table)}))  # noqa: S308


def test_table_scroll_names_its_region_after_the_caption():
    html = render('<table><caption class="c">Spend <span>by</span>\n  funder</caption></table>')

    assert html.startswith(
        '<div class="app-table-scroll" role="region" aria-label="Spend by funder" tabindex="0">'
    )


def test_table_scroll_escapes_the_caption_in_its_label():
    html = Template(
        "{% load table_scroll %}{% table_scroll %}<table><caption>{{ name }}</caption></table>"
        "{% endtable_scroll %}"
    ).render(Context({"name": 'Smith & "Jones"'}))

    assert 'aria-label="Smith &amp; &quot;Jones&quot;"' in html


def test_table_scroll_leaves_a_table_without_a_caption_as_it_is():
    assert render("<table><tr><td>1</td></tr></table>") == "<table><tr><td>1</td></tr></table>"
