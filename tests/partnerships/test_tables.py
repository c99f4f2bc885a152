import csv
import io
from decimal import Decimal

import django_tables2 as tables
import openpyxl
import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Case, DecimalField, Value, When
from django.http import HttpResponse
from django.template import engines
from django.test.html import Element, parse_html
from django.urls import path
from django.utils import timezone
from django_tables2 import RequestConfig

from partnerships.models import Organisation
from partnerships.tables import (
    GovukTable,
    MoneyColumn,
    NumberColumn,
    PercentColumn,
    export_response,
)

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]

PER_PAGE = 3
BUDGETS = {
    "Aardvark Borough Council": Decimal("1618413.00"),
    "Aardvark NHS Trust": Decimal("-1234.00"),
}


class OrganisationTable(GovukTable):
    name = tables.Column()
    # Its own th attrs replace the table's: GovukTable must still give it scope="col".
    short_name = tables.Column(verbose_name="Short name", attrs={"th": {"class": "app-narrow"}})
    kind = tables.Column(orderable=False)
    budget = MoneyColumn()
    reference = tables.Column(accessor="pk", verbose_name="Reference", exclude_from_export=True)

    class Meta(GovukTable.Meta):
        model = Organisation
        fields = ("name", "short_name", "kind")


def organisations(request):
    budget = Case(
        *[When(name=name, then=Value(amount)) for name, amount in BUDGETS.items()],
        output_field=DecimalField(max_digits=14, decimal_places=2),
    )
    rows = Organisation.objects.annotate(budget=budget)
    if kind := request.GET.get("kind"):
        rows = rows.filter(kind=kind)
    table = OrganisationTable(rows, caption="Partner organisations")
    RequestConfig(request, paginate={"per_page": PER_PAGE}).configure(table)
    if response := export_response(request, table, filename="Partner organisations"):
        return response
    page = engines["django"].from_string("{% load django_tables2 %}{% render_table table %}")
    return HttpResponse(page.render({"table": table}, request))


urlpatterns = [path("organisations/", organisations)]


@pytest.fixture
def partners(db):
    """Three organisations of our own next to the seven from the demo data."""
    return [
        Organisation.objects.create(
            name="Aardvark Borough Council", short_name="ABC", kind="council"
        ),
        Organisation.objects.create(name="Aardvark NHS Trust", short_name="ANT", kind="nhs_trust"),
        Organisation.objects.create(name="Aardvark ICB", short_name="AICB", kind="icb"),
    ]


def find_all(node, tag, **attrs):
    """Elements named `tag` under `node` whose attributes include `attrs` (class_ for class)."""
    wanted = {key.rstrip("_"): value for key, value in attrs.items()}
    found = []
    for child in getattr(node, "children", []):
        if not isinstance(child, Element):
            continue
        own = dict(child.attributes)
        if child.name == tag and all(own.get(key) == value for key, value in wanted.items()):
            found.append(child)
        found.extend(find_all(child, tag, **attrs))
    return found


def text(node) -> str:
    if isinstance(node, str):
        return node
    return "".join(text(child) for child in node.children).strip()


def headers(response) -> dict[str, dict]:
    """Each header cell's attributes, by the text of the header (without any sort arrow)."""
    page = parse_html(response.content.decode())
    return {text(th).rstrip(" \u00a0▲▼"): dict(th.attributes) for th in find_all(page, "th")}


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode())))


# Header cells and sorting


def test_headers_have_col_scope_including_columns_with_own_attrs(client, partners):
    response = client.get("/organisations/")

    cells = headers(response)
    assert set(cells) == {"Name", "Short name", "Kind", "Budget", "Reference"}
    assert {attrs.get("scope") for attrs in cells.values()} == {"col"}
    assert "govuk-table__header" in cells["Short name"]["class"].split()
    assert "app-narrow" in cells["Short name"]["class"].split()


def test_sortable_headers_are_aria_sort_none_when_unsorted(client, partners):
    cells = headers(client.get("/organisations/"))

    assert cells["Name"]["aria-sort"] == "none"
    assert cells["Budget"]["aria-sort"] == "none"
    assert "aria-sort" not in cells["Kind"]  # not sortable, so no sort state to announce


def test_sorted_column_aria_sort_ascending_others_none(client, partners):
    cells = headers(client.get("/organisations/?sort=name"))

    assert cells["Name"]["aria-sort"] == "ascending"
    assert cells["Short name"]["aria-sort"] == "none"
    assert cells["Budget"]["aria-sort"] == "none"
    assert "aria-sort" not in cells["Kind"]


def test_sorted_column_aria_sort_descending_when_reversed(client, partners):
    response = client.get("/organisations/?sort=-budget")

    cells = headers(response)
    assert cells["Budget"]["aria-sort"] == "descending"
    assert cells["Name"]["aria-sort"] == "none"
    assert '<span aria-hidden="true">&nbsp;&#9660;</span>' in response.content.decode()


def test_sort_links_keep_other_query_parameters_and_go_to_first_page(client, partners):
    response = client.get("/organisations/?kind=council&sort=name&page=2")

    page = parse_html(response.content.decode())
    name_header = next(th for th in find_all(page, "th") if text(th).startswith("Name"))
    (link,) = find_all(name_header, "a", class_="govuk-link")
    href = dict(link.attributes)["href"]
    assert href.startswith("?")
    assert "kind=council" in href
    assert "sort=-name" in href  # ascending now, so the link reverses it
    assert "page=" not in href


def test_sorted_by_budget_orders_the_rows(client, partners):
    response = client.get("/organisations/?sort=-budget")

    page = parse_html(response.content.decode())
    first_row = find_all(page, "tbody")[0]
    assert text(find_all(first_row, "td")[0]) == "Aardvark Borough Council"


# Money and number columns


def test_money_column_cells_have_numeric_classes(client, partners):
    response = client.get("/organisations/")

    page = parse_html(response.content.decode())
    budget_header = headers(response)["Budget"]
    assert set(budget_header["class"].split()) >= {
        "govuk-table__header",
        "govuk-table__header--numeric",
    }
    budget_cells = find_all(page, "td", class_="govuk-table__cell govuk-table__cell--numeric")
    assert len(budget_cells) == PER_PAGE


def test_money_column_formats_pounds_negative_and_not_recorded(client, partners):
    response = client.get("/organisations/?sort=name&per_page=50")

    page = parse_html(response.content.decode())
    cells = [
        text(td)
        for td in find_all(page, "td", class_="govuk-table__cell govuk-table__cell--numeric")
    ]
    assert "£1,618,413.00" in cells
    assert "\N{MINUS SIGN}£1,234.00" in cells
    assert "Not recorded" in cells


@pytest.mark.parametrize(
    ("amount", "whole_pounds", "expected"),
    [
        (Decimal("1618413"), False, "£1,618,413.00"),
        (Decimal("1618413.00"), True, "£1,618,413"),
        (Decimal("1870574.775"), True, "£1,870,575"),  # whole pounds half up (ADR 0003)
        (Decimal("0.5"), True, "£1"),
        (Decimal("1234.565"), False, "£1,234.57"),
        (Decimal("-1234"), True, "\N{MINUS SIGN}£1,234"),
        (Decimal("-0.004"), False, "£0.00"),  # rounds to nothing: no minus before zero
        (0, False, "£0.00"),
    ],
)
def test_money_column_shows_pounds_when_amount_is(amount, whole_pounds, expected):
    assert MoneyColumn(whole_pounds=whole_pounds).render(amount) == expected


@pytest.mark.parametrize(
    ("number", "decimal_places", "expected"),
    [
        (12345, None, "12,345"),
        (Decimal("12345.678"), 1, "12,345.7"),
        (Decimal("1234.50"), None, "1,234.50"),
        (-1500, None, "\N{MINUS SIGN}1,500"),
        (2.5, 0, "3"),
        (Decimal("41.5"), 2, "41.50"),
    ],
)
def test_number_column_shows_the_number_when_it_is(number, decimal_places, expected):
    assert NumberColumn(decimal_places=decimal_places).render(number) == expected


class FiguresTable(GovukTable):
    label = tables.Column()
    count = NumberColumn()
    share = PercentColumn()
    spend = MoneyColumn(whole_pounds=True)


def test_number_and_percent_columns_when_values_and_none():
    table = FiguresTable(
        [
            {"label": "A", "count": 12345, "share": Decimal("8.75"), "spend": Decimal("99.5")},
            {"label": "B", "count": None, "share": 8.8, "spend": None},
        ]
    )

    first, second = table.rows
    assert [first.get_cell(name) for name in ("count", "share", "spend")] == [
        "12,345",
        "8.8%",
        "£100",
    ]
    assert [second.get_cell(name) for name in ("count", "share", "spend")] == [
        "Not recorded",
        "8.8%",
        "Not recorded",
    ]
    assert table.columns["share"].attrs["td"]["class"] == (
        "govuk-table__cell govuk-table__cell--numeric"
    )
    assert table.columns["count"].attrs["th"]["scope"] == "col"


# Exports


def test_csv_export_has_every_row_with_plain_money(client, partners):
    response = client.get("/organisations/?export=csv&page=2&sort=name")

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    today = timezone.localdate()
    assert response["Content-Disposition"] == (
        f'attachment; filename="partner-organisations-{today:%Y-%m-%d}.csv"'
    )
    header, *rows = csv_rows(response)
    assert header == ["Name", "Short name", "Kind", "Budget"]  # Reference is not exported
    assert len(rows) == Organisation.objects.count()  # every page, demo rows included
    by_name = {row[0]: row for row in rows}
    assert by_name["Aardvark Borough Council"] == [
        "Aardvark Borough Council",
        "ABC",
        "Council",
        "1618413.00",
    ]
    assert by_name["Aardvark NHS Trust"][3] == "-1234.00"
    assert by_name["Aardvark ICB"][3] == ""
    assert [row[0] for row in rows] == sorted(row[0] for row in rows)


@pytest.mark.urls("config.urls")
def test_csv_export_of_the_budget_table_has_money_as_numbers_to_the_penny(
    client, django_user_model
):
    client.force_login(django_user_model.objects.get(username="jmg.member"))
    budget = "/partnerships/bromley-oxleas-mh/budget/?period=2022/23-Q4"

    shown = client.get(budget).content.decode()
    header, *rows = csv_rows(client.get(f"{budget}&position-export=csv"))

    assert "£1,618,413</td>" in shown  # the page shows whole pounds
    lbb = next(row for row in rows if row[0] == "LBB")
    assert lbb[header.index("Planned")] == "1618413.00"  # the download, the number itself
    assert not any("£" in cell or "\N{MINUS SIGN}" in cell for row in rows for cell in row)


def test_csv_export_keeps_the_filter(client, partners):
    response = client.get("/organisations/?export=csv&kind=icb")

    _, *rows = csv_rows(response)
    assert len(rows) == Organisation.objects.filter(kind="icb").count()
    assert {row[2] for row in rows} == {"Integrated care board"}


def test_csv_export_defuses_text_a_spreadsheet_would_run(client, partners):
    Organisation.objects.create(name='=HYPERLINK("http://x.invalid")', short_name="X", kind="icb")

    _, *rows = csv_rows(client.get("/organisations/?export=csv"))

    names = [row[0] for row in rows]
    assert '\'=HYPERLINK("http://x.invalid")' in names
    assert '=HYPERLINK("http://x.invalid")' not in names


def test_xlsx_export_opens_in_openpyxl(client, partners):
    response = client.get("/organisations/?export=xlsx")

    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"].endswith('.xlsx"')
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    header, *rows = list(sheet.values)
    assert header == ("Name", "Short name", "Kind", "Budget")
    assert len(rows) == Organisation.objects.count()
    budgets = {row[0]: row[3] for row in rows}
    assert budgets["Aardvark Borough Council"] == 1618413  # a number the sheet can add up
    assert budgets["Aardvark ICB"] is None


def test_unknown_export_value_renders_the_page(client, partners):
    response = client.get("/organisations/?export=pdf")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert "govuk-table" in response.content.decode()


def test_export_links_keep_the_query_string(client, partners):
    response = client.get("/organisations/?kind=council&sort=name")

    page = parse_html(response.content.decode())
    links = {text(a): dict(a.attributes)["href"] for a in find_all(page, "a", class_="govuk-link")}
    csv_link = links["Download as CSV: Partner organisations"]
    xlsx_link = links["Download as spreadsheet (XLSX): Partner organisations"]
    assert {"kind=council", "sort=name", "export=csv"} <= set(csv_link[1:].split("&"))
    assert {"kind=council", "sort=name", "export=xlsx"} <= set(xlsx_link[1:].split("&"))


class UnexportableTable(OrganisationTable):
    export_formats = ()


def test_export_response_when_table_offers_no_formats_is_none(rf, partners):
    request = rf.get("/organisations/", {"export": "csv"})
    table = UnexportableTable(Organisation.objects.all())

    assert export_response(request, table, filename="organisations") is None
    html = engines["django"].from_string("{% load django_tables2 %}{% render_table table %}")
    assert "Download as" not in html.render({"table": table}, request)


def test_export_response_when_no_export_asked_is_none(rf, partners):
    table = OrganisationTable(Organisation.objects.all())

    assert export_response(rf.get("/organisations/"), table, filename="organisations") is None


# Pagination and the empty table


def test_pagination_absent_when_one_page(client, partners):
    response = client.get("/organisations/?per_page=50")

    assert "govuk-pagination" not in response.content.decode()


def test_pagination_marks_the_current_page_when_several(client, partners):
    response = client.get("/organisations/?page=2")

    page = parse_html(response.content.decode())
    (nav,) = find_all(page, "nav", class_="govuk-pagination")
    assert dict(nav.attributes)["aria-label"] == "Pagination"
    (current,) = find_all(nav, "a", **{"aria-current": "page"})
    assert text(current) == "2"
    assert dict(current.attributes)["aria-label"] == "Page 2"
    pages = [
        a for a in find_all(nav, "a") if dict(a.attributes).get("aria-label", "")[:5] == "Page "
    ]
    assert len(pages) == -(-Organisation.objects.count() // PER_PAGE)
    assert len(find_all(nav, "a", rel="prev")) == 1
    assert len(find_all(nav, "a", rel="next")) == 1


def test_page_renders_in_two_queries(client, partners, django_assert_num_queries):
    with django_assert_num_queries(2):  # the paginator's count, then the rows of the page
        client.get("/organisations/?page=2")


def test_empty_table_shows_empty_text_across_every_column(rf):
    request = rf.get("/organisations/")
    table = OrganisationTable(Organisation.objects.none())

    html = engines["django"].from_string("{% load django_tables2 %}{% render_table table %}")
    page = parse_html(html.render({"table": table}, request))

    (cell,) = find_all(page, "td")
    assert dict(cell.attributes)["colspan"] == "5"
    assert text(cell) == "There is nothing to show."
    assert not find_all(page, "caption")


def test_caption_when_given(client, partners):
    page = parse_html(client.get("/organisations/").content.decode())

    (caption,) = find_all(page, "caption")
    assert text(caption) == "Partner organisations"
    assert dict(caption.attributes)["class"] == "govuk-table__caption govuk-table__caption--m"


# Subclassing


def test_subclass_without_meta_keeps_govuk_markup():
    class PlainTable(FiguresTable):
        pass

    table = PlainTable([])
    assert table.template_name == "tables/govuk_table.html"
    assert table.attrs["class"] == "govuk-table"


def test_subclass_with_meta_not_from_govuk_table_refused():
    with pytest.raises(ImproperlyConfigured, match=r"GovukTable\.Meta"):

        class StrayTable(GovukTable):
            name = tables.Column()

            class Meta:
                model = Organisation


def test_export_filename_carries_the_date(rf, partners):
    table = OrganisationTable(Organisation.objects.all())
    request = rf.get("/organisations/", {"export": "csv"})

    response = export_response(request, table, filename="Partners / 2025")

    stem = f"partners-2025-{timezone.localdate():%Y-%m-%d}.csv"
    assert response["Content-Disposition"] == f'attachment; filename="{stem}"'
