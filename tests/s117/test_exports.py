"""The register's downloads for s117 officers: the people found as CSV or XLSX, with typed
cells in XLSX, and the breakdowns to the penny by who pays; each download written to the
export log with who took it, the search and the format."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.db import DatabaseError, connection, transaction
from openpyxl import load_workbook

from caseload.models import Team
from s117.breakdowns import breakdowns
from s117.exports import BREAKDOWN_COLUMNS, MONEY_FORMAT, REGISTER_COLUMNS
from s117.models import AccessLog, ExportLog, RegisterEntry

pytestmark = pytest.mark.django_db

D = Decimal
TODAY = datetime.date(2026, 12, 3)


@pytest.fixture
def officer(client, django_user_model):
    user = django_user_model.objects.get(username="s117.officer")
    client.force_login(user)
    return user


def register_url(agreement, query):
    return f"/partnerships/{agreement.slug}/s117/?{query}"


def breakdowns_url(agreement, export_format):
    return f"/partnerships/{agreement.slug}/s117/breakdowns/export/?export={export_format}"


def sheet_rows(response) -> list[dict]:
    """The first sheet's rows under its header, as cells (their values and formats)."""
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    header, *rows = sheet.iter_rows()
    names = [cell.value for cell in header]
    return [dict(zip(names, row, strict=True)) for row in rows]


def test_the_xlsx_download_gives_the_people_found_with_dates_as_dates_and_the_share_a_number(
    client, officer, bromley
):
    response = client.get(register_url(bromley, "cto=on&export=xlsx"))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Content-Disposition"].endswith('-s117-register-2026-12-03.xlsx"')
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert [cell.value for cell in next(sheet.iter_rows())] == list(REGISTER_COLUMNS)
    rows = {row["person_reference"].value: row for row in sheet_rows(response)}
    ctos = RegisterEntry.objects.filter(agreement=bromley, cto_in_force=True).select_related("team")
    assert set(rows) == {e.person_reference for e in ctos}
    for entry in ctos:
        row = rows[entry.person_reference]
        assert row["cto_in_force"].value == "yes"
        assert row["team"].value == (entry.team.name if entry.team else None)
        assert row["discharged_on"].is_date
        assert row["discharged_on"].value.date() == entry.discharged_on
        assert row["council_share_percent"].data_type == "n"
        assert D(str(row["council_share_percent"].value)) == entry.council_share_percent


def test_the_csv_and_xlsx_downloads_hold_the_same_people_and_cells(client, officer, bromley):
    as_csv = client.get(register_url(bromley, "overdue=on&export=csv")).content.decode()
    as_xlsx = client.get(register_url(bromley, "overdue=on&export=xlsx"))

    csv_rows = list(csv.DictReader(io.StringIO(as_csv)))
    xlsx_rows = sheet_rows(as_xlsx)
    assert len(csv_rows) == len(xlsx_rows) > 0
    for text, typed in zip(csv_rows, xlsx_rows, strict=True):
        assert text["person_reference"] == typed["person_reference"].value
        assert text["review_due"] == f"{typed['review_due'].value:%Y-%m-%d}"
        assert text["review_overdue"] == typed["review_overdue"].value == "yes"


def test_text_like_a_formula_is_written_as_text_in_both_formats(client, officer, bromley):
    entry = RegisterEntry.objects.filter(agreement=bromley, team__isnull=False).first()
    Team.objects.filter(pk=entry.team_id).update(name='=HYPERLINK("http://x","y")')
    query = f"q={entry.person_reference}"

    as_csv = client.get(register_url(bromley, f"{query}&export=csv")).content.decode()
    as_xlsx = client.get(register_url(bromley, f"{query}&export=xlsx"))

    assert next(csv.DictReader(io.StringIO(as_csv)))["team"] == '\'=HYPERLINK("http://x","y")'
    team = sheet_rows(as_xlsx)[0]["team"]
    assert team.data_type == "s"  # text, not a formula
    assert team.value == '\'=HYPERLINK("http://x","y")'


def test_a_register_download_is_logged_with_who_the_search_and_the_format(client, officer, bromley):
    client.get(register_url(bromley, "cto=on&page=2&export=xlsx"))

    log = ExportLog.objects.get()
    ctos = RegisterEntry.objects.filter(agreement=bromley, cto_in_force=True).count()
    assert (log.user, log.username, log.agreement) == (officer, "s117.officer", bromley)
    assert log.user_full_name == officer.get_full_name()
    assert (log.what, log.file_format, log.query, log.rows) == ("register", "xlsx", "cto=on", ctos)
    people = AccessLog.objects.filter(action="export", user=officer)
    assert people.count() == ctos
    assert all("cto=on" in access.path for access in people)


def test_the_breakdowns_download_reads_back_each_funders_spend_to_the_penny(
    client, officer, bromley, costed
):
    as_csv = client.get(breakdowns_url(bromley, "csv"))
    as_xlsx = client.get(breakdowns_url(bromley, "xlsx"))

    assert as_csv["Content-Disposition"].endswith('-s117-breakdowns-2026-12-03.csv"')
    csv_rows = list(csv.DictReader(io.StringIO(as_csv.content.decode())))
    assert tuple(csv_rows[0]) == BREAKDOWN_COLUMNS
    xlsx_rows = sheet_rows(as_xlsx)
    # Every line of every table the register page shows, then the table's total.
    shown = breakdowns(bromley, TODAY)
    lines = [(t.title, line) for t in shown["tables"] for line in [*t.lines, t.total]]
    assert len(csv_rows) == len(xlsx_rows) == len(lines)
    for (title, line), text, typed in zip(lines, csv_rows, xlsx_rows, strict=True):
        assert text["table"] == typed["table"].value == title
        assert text["label"] == typed["label"].value == line.label
        assert int(text["people"]) == typed["people"].value == line.count
        for column, spend in (
            ("spend_to_date_council", line.to_date.council),
            ("spend_to_date_icb", line.to_date.icb),
            ("spend_to_date", line.to_date.total),
            ("full_year_council", line.full_year.council),
            ("full_year_icb", line.full_year.icb),
            ("full_year_spend", line.full_year.total),
        ):
            assert text[column] == f"{spend:.2f}", (title, line.label, column)
            assert typed[column].data_type == "n"
            assert typed[column].number_format == MONEY_FORMAT
            assert D(str(typed[column].value)).quantize(D("0.01")) == spend
        assert text["financial_year"] == "2026/27"
    # The totals worked by hand (tests/s117/test_breakdowns.py), as the files have them.
    total = next(row for row in csv_rows if row["table"] == "By team" and row["label"] == "Total")
    assert (total["spend_to_date_council"], total["spend_to_date_icb"]) == ("14600.00", "13850.00")
    assert total["full_year_spend"] == "43790.00"


def test_a_breakdowns_download_is_logged_with_who_and_the_format(client, officer, bromley):
    response = client.get(breakdowns_url(bromley, "xlsx"))

    log = ExportLog.objects.get()
    assert (log.username, log.agreement, log.what, log.file_format) == (
        "s117.officer",
        bromley,
        "breakdowns",
        "xlsx",
    )
    assert log.query == "export=xlsx"
    assert log.rows == len(sheet_rows(response))
    assert not AccessLog.objects.filter(action="export").exists()  # it names no one


def test_a_format_not_offered_is_not_found(client, officer, bromley):
    assert client.get(breakdowns_url(bromley, "pdf")).status_code == 404
    assert not ExportLog.objects.exists()


@pytest.mark.parametrize("username", ["jmg.member", "commissioner", "scrutiny.officer"])
def test_only_s117_officers_download_the_register_or_its_breakdowns(
    client, django_user_model, bromley, username
):
    client.force_login(django_user_model.objects.get(username=username))

    for url in (
        register_url(bromley, "export=csv"),
        register_url(bromley, "cto=on&export=xlsx"),
        breakdowns_url(bromley, "csv"),
        breakdowns_url(bromley, "xlsx"),
    ):
        assert client.get(url).status_code == 403, url
    assert not ExportLog.objects.exists()
    assert not AccessLog.objects.filter(action="export").exists()


def test_the_history_page_lists_the_latest_downloads(client, officer, bromley):
    client.get(register_url(bromley, "cto=on&export=csv"))
    client.get(breakdowns_url(bromley, "xlsx"))

    html = client.get(f"/partnerships/{bromley.slug}/s117/history/").content.decode()

    assert "Downloads from the register" in html
    assert "The register&#x27;s people" in html and "The register&#x27;s breakdowns" in html
    assert "<code>cto=on</code>" in html


def test_the_export_log_can_be_neither_changed_nor_deleted(client, officer, bromley):
    client.get(breakdowns_url(bromley, "csv"))
    log = ExportLog.objects.get()

    with pytest.raises(PermissionError):
        log.save()
    with pytest.raises(PermissionError):
        log.delete()
    with pytest.raises(PermissionError):
        ExportLog.objects.update(rows=0)
    with pytest.raises(PermissionError):
        ExportLog.objects.all().delete()
    assert ExportLog.objects.get().rows == log.rows


def test_the_database_refuses_to_change_or_delete_an_export_log_row(client, officer, bromley):
    client.get(breakdowns_url(bromley, "csv"))
    log = ExportLog.objects.get()

    for statement in (
        "UPDATE s117_exportlog SET rows = 0 WHERE id = %s",
        "DELETE FROM s117_exportlog WHERE id = %s",
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement, [log.pk])
    assert ExportLog.objects.get().rows == log.rows
