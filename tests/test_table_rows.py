"""Every dashboard table's rows are django-tables2's own cells (BoundRow.items), written by
templates/tables/govuk_table.html with each column's td attrs (GovukTable.td_attrs_html works
them out once per column). They must be exactly what django-tables2's template loop writes:
the same cells, attrs, localization and escaping, on every table of every page, with the demo
partnerships' real figures."""

import re

import pytest
from django.template import engines
from django.test import RequestFactory

from partnerships.tables import GovukTable

pytestmark = pytest.mark.django_db

# django-tables2's own loop (its templates/django_tables2/table.html), without whitespace.
LOOP = engines["django"].from_string(
    "{% load l10n %}"
    "{% for row in table.paginated_rows %}<tr {{ row.attrs.as_html }}>"
    "{% for column, cell in row.items %}<td {{ column.attrs.td.as_html }}>"
    "{% if column.localize == None %}{{ cell }}{% elif column.localize %}{{ cell|localize }}"
    "{% else %}{{ cell|unlocalize }}{% endif %}</td>{% endfor %}</tr>{% endfor %}"
)
TABLE = engines["django"].from_string("{% load django_tables2 %}{% render_table table %}")

OXFORDSHIRE = "/partnerships/oxfordshire-mh-social-work"
BROMLEY = "/partnerships/bromley-oxleas-mh"
PAGES = [
    ("jmg.member", "/compare/"),
    ("jmg.member", f"{OXFORDSHIRE}/staffing/?period=2019/20-Q2"),
    ("jmg.member", f"{OXFORDSHIRE}/staffing/?period=2019/20-Q2&sort=-wte"),
    ("jmg.member", f"{OXFORDSHIRE}/caseload/?period=2019/20-Q2"),
    ("jmg.member", f"{BROMLEY}/budget/?period=2022/23-Q4"),
    ("jmg.member", f"{BROMLEY}/kpis/?period=2022/23-Q4"),
    ("jmg.member", f"{BROMLEY}/actions/"),
    ("s117.officer", f"{OXFORDSHIRE}/s117/"),
]


def _tight(html: str) -> str:
    """Without the whitespace between tags, nor the row's "even" or "odd" class: the table
    counts its rows across renders, and here it is rendered twice."""
    return re.sub(r" (even|odd)\"", '"', re.sub(r">\s+<", "><", html)).strip()


def body_rows(table, request=None) -> str:
    """The rows of the table's body as `{% render_table %}` writes them (the GOV.UK template),
    or "" when it says it has none."""
    html = TABLE.render({"table": table}, request or RequestFactory().get("/"))
    (body,) = re.findall(r"<tbody[^>]*>(.*?)</tbody>", html, re.S)
    return "" if table.empty_text in body and not table.paginated_rows else body.strip()


@pytest.mark.parametrize(("username", "path"), PAGES)
def test_rows_are_what_the_template_loop_wrote(client, django_user_model, username, path):
    client.force_login(django_user_model.objects.get(username=username))
    response = client.get(path)
    assert response.status_code == 200
    tables = {
        id(value): value
        for context in response.context
        for value in context.flatten().values()
        if isinstance(value, GovukTable)
    }
    assert tables, f"{path} has no dashboard table"

    drawn = 0
    for table in tables.values():
        rows = body_rows(table, response.wsgi_request)
        assert rows.count("<tr ") == len(table.paginated_rows)
        drawn += len(table.paginated_rows)
        assert _tight(rows) == _tight(LOOP.render({"table": table}))
        assert _tight(rows) in _tight(response.content.decode())  # as the page shows them
    assert drawn > 0


def test_a_table_without_rows_says_so(client, django_user_model):
    from partnerships.models import Recommendation

    Recommendation.objects.filter(status=Recommendation.Status.DROPPED).delete()
    client.force_login(django_user_model.objects.get(username="jmg.member"))

    response = client.get(f"{BROMLEY}/actions/", {"status": "dropped"})

    table = response.context["table"]
    assert body_rows(table, response.wsgi_request) == ""
    page = _tight(response.content.decode())
    cell = f'<td class="govuk-table__cell" colspan="{len(table.columns)}">{table.empty_text}</td>'
    assert cell in page


def test_cells_from_models_and_dicts_are_as_django_tables2_reads_them():
    """Every way a dashboard table reads a record, on real posts: a plain field; a choice
    field (its label); a get_FOO_display accessor; a relation followed, and one that is
    empty (the column's default); a method; a dict of values, a dict holding a model to
    follow, and a dict without the key; and a method that alters data, which is never
    called."""
    import datetime

    import django_tables2 as tables
    from django.db.models import F
    from django_tables2.utils import Accessor

    from caseload.models import StaffPost

    class Posts(GovukTable):
        reference = tables.Column()
        role = tables.Column()
        basis = tables.Column(accessor="get_basis_display")
        team = tables.Column(accessor="team__name")
        employer = tables.Column(accessor="employer__short_name", default="Vacant")
        employer_kind = tables.Column(accessor="employer__kind")
        text = tables.Column(accessor="__str__")
        saved = tables.Column(accessor="save", default="not called")
        # a method called with the accessor's own arguments
        in_team = tables.Column(
            accessor=Accessor("team__in_agreement_on", callable_args=[datetime.date(2019, 8, 31)])
        )

        class Meta(GovukTable.Meta):
            pass

    class Dicts(GovukTable):
        value = tables.Column(accessor="post__wte")
        role = tables.Column(accessor="post__role")  # a dict's model: no choice label
        missing = tables.Column(accessor="nothing__here", default="none")
        flat = tables.Column(accessor="post__team__name")
        guarded = tables.Column(accessor="actions__delete", default="not called")
        called = tables.Column(accessor="actions__describe")

        class Meta(GovukTable.Meta):
            pass

    calls = []

    def delete():
        calls.append("delete")
        return "deleted"

    delete.alters_data = True

    def describe():
        calls.append("describe")
        return "described"

    posts = list(
        StaffPost.objects.select_related("team", "employer").order_by(
            F("employer").asc(nulls_first=True), "pk"
        )[:40]
    )
    assert {post.employer is None for post in posts} == {True, False}  # vacant ones too
    dicts = [
        {
            "post": post,
            "post__team__name": f"<{post.team.name}>",
            "actions": {"delete": delete, "describe": describe},
        }
        for post in posts
    ]

    for table in (Posts(posts), Dicts(dicts)):
        rows = body_rows(table)
        assert _tight(rows) == _tight(LOOP.render({"table": table}))
    drawn = body_rows(Posts(posts))
    assert "Vacant" in drawn and "not called" in drawn and "True" in drawn
    assert posts[0].get_role_display() in drawn
    calls.clear()
    drawn = body_rows(Dicts(dicts))
    assert "&lt;" in drawn  # a dict's text is escaped
    assert "not called" in drawn and "described" in drawn
    assert calls == ["describe"] * len(dicts)


def test_td_attrs_computed_from_the_row_are_worked_out_for_each_row():
    import django_tables2 as tables

    class Flagged(GovukTable):
        name = tables.Column(attrs={"td": {"data-name": lambda value: f"n-{value}"}})
        plain = tables.Column(attrs={"td": {"class": "app-plain"}})

        class Meta(GovukTable.Meta):
            pass

    table = Flagged([{"name": "a", "plain": 1}, {"name": "b", "plain": 2}])

    rows = body_rows(table)
    assert 'data-name="n-a"' in rows and 'data-name="n-b"' in rows
    assert rows.count('class="app-plain govuk-table__cell"') == 2
    assert _tight(rows) == _tight(LOOP.render({"table": table}))


def test_a_column_that_says_how_to_localize_is_localized_so():
    import datetime
    from decimal import Decimal

    import django_tables2 as tables
    from django.test import override_settings
    from django.utils.safestring import mark_safe

    class Localized(GovukTable):
        plain = tables.Column()
        on = tables.Column(localize=True)
        off = tables.Column(localize=False)
        safe = tables.Column(localize=True)

        class Meta(GovukTable.Meta):
            pass

    day = datetime.datetime(2024, 4, 1, 9, 30, tzinfo=datetime.UTC)
    records = [
        {
            "plain": Decimal("1234.5"),
            "on": Decimal("1234.5"),
            "off": 12345,
            "safe": mark_safe("<b>x</b>"),
        },
        {"plain": day, "on": day, "off": day, "safe": "<i>"},
    ]
    with override_settings(USE_THOUSAND_SEPARATOR=True):
        rows = body_rows(Localized(records))
        assert _tight(rows) == _tight(LOOP.render({"table": Localized(records)}))
    assert ">12345<" in rows and ">1,234.5<" in rows  # unlocalized, localized
    assert "<b>x</b>" in rows and "&lt;i&gt;" in rows  # safe text kept, other text escaped
