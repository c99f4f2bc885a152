from django.template import Context, Template
from django.utils.safestring import mark_safe

SCROLLING = "{% load table_scroll %}{% table_scroll %}{{ table }}{% endtable_scroll %}"


def render(table: str) -> str:
    return Template(SCROLLING).render(Context({"table": mark_safe(table)}))  # noqa: S308


def labelled_by(html: str) -> str:
    return html.split('aria-labelledby="')[1].split('"')[0]


def test_table_scroll_names_its_region_by_the_caption():
    html = render('<table><caption class="c">Spend <span>by</span>\n  funder</caption></table>')

    assert html.startswith(
        '<div class="app-table-scroll" role="region" aria-labelledby="table-caption-'
    )
    assert f'<caption id="{labelled_by(html)}" class="c">Spend' in html
    assert html.endswith("</table></div>")


def test_table_scroll_uses_an_id_the_caption_has():
    html = render('<table><caption class="c" id="mine">Spend</caption></table>')

    assert 'aria-labelledby="mine"' in html and html.count('id="mine"') == 1


def test_table_scroll_gives_different_captions_different_ids():
    first, second = (render(f"<table><caption>{words}</caption></table>") for words in "AB")

    assert labelled_by(first) != labelled_by(second)


def test_table_scroll_leaves_a_table_without_a_caption_as_it_is():
    assert render("<table><tr><td>1</td></tr></table>") == "<table><tr><td>1</td></tr></table>"
    assert render("<table><caption> </caption></table>") == "<table><caption> </caption></table>"
