"""A return is made of sections (returns.sections): the template, the file, the form, the
preview, the writer and the history all reach figures through them, so a template
round-trips, a form is keyed by figure, and a new kind of figure is one module."""

import io
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from caseload.models import CareActActivity
from partnerships.models import KPI, Agreement, Quarter
from returns.actions import apply_return_changes
from returns.file import read_return, template_bytes, template_rows
from returns.models import QuarterlyReturn
from returns.sections import SECTIONS, Figure, Kind, Refused, Section
from returns.sections.actions import Actions
from returns.sections.base import Source
from returns.sections.caseload import Caseload
from returns.sections.contributions import Contributions
from returns.sections.kpis import KPIs
from returns.workbook import template_workbook
from tests.pages import held_token

pytestmark = pytest.mark.django_db

PAGE = "/partnerships/bromley-oxleas-mh/returns/2022-23-Q4/"


def signed_in(django_user_model, username):
    client = Client()
    client.force_login(django_user_model.objects.get(username=username))
    return client


@pytest.fixture
def commissioner(django_user_model):
    return signed_in(django_user_model, "commissioner")


def figure_counts():
    return {
        model.__name__: model.objects.count()
        for section in SECTIONS
        for source in section.history
        for model in (source.model, source.model.history.model)
    }


def test_every_template_uploaded_unchanged_is_accepted_and_changes_nothing(django_user_model):
    """Every demo partnership, every quarter it has a pool for, as CSV and XLSX: the
    template as downloaded, blanks and all, is a file the service accepts."""
    by = django_user_model.objects.get(username="commissioner")
    before = figure_counts()
    checked = 0
    demo = ["bromley-oxleas-mh", "oxfordshire-mh-social-work"]
    for agreement in Agreement.objects.filter(slug__in=demo):
        years = agreement.pooled_budgets.values("financial_year")
        for quarter in Quarter.objects.filter(financial_year__in=years):
            rows = template_rows(agreement, quarter)
            for xlsx in (False, True):
                name = "return.xlsx" if xlsx else "return.csv"
                content = (
                    template_workbook(agreement, quarter)
                    if xlsx
                    else template_bytes(rows, xlsx=False)
                )
                result = read_return(content, name, within=Agreement.objects.all())
                assert result.problems == [], (agreement.slug, quarter.label, name)
                assert result.count("new") == result.count("changed") == 0
                saved = apply_return_changes(
                    by=by,
                    agreement=agreement,
                    quarter=quarter,
                    changes=result.changes,
                    lookups=result.lookups,
                )
                assert saved.version == 1  # nothing to save: the version stays
                checked += 1
    assert checked >= 16
    assert figure_counts() == before


def test_a_blank_template_row_records_nothing_but_a_blank_name_is_refused(bromley):
    header = "partnership,period,section,item,measure,value\n"
    row = "bromley-oxleas-mh,2022/23-Q4,"
    content = (
        header
        + row
        + "contribution,LBB,forecast,\n"  # blank value: nothing to record
        + row
        + "kpi,,value,80\n"  # blank item: which KPI?
        + row
        + ",KPI 1,value,80\n"  # blank section
    ).encode()

    result = read_return(content, "return.csv", within=Agreement.objects.filter(pk=bromley.pk))

    found = [str(problem) for problem in result.problems]
    assert len(found) == 2, found
    assert found[0].startswith("Row 3, column item: is blank: give a KPI code (known: KPI 1")
    assert found[1].startswith(
        "Row 4, column section: is blank: use budget, contribution, caseload"
    )
    assert result.changes == []  # a file with problems changes nothing


def test_an_error_names_the_figure_as_the_pages_do(bromley):
    content = (
        b"partnership,period,section,item,measure,value\n"
        b"bromley-oxleas-mh,2022/23-Q4,kpi,KPI 1,value,lots\n"
    )

    result = read_return(content, "return.csv", within=Agreement.objects.filter(pk=bromley.pk))

    assert [str(p) for p in result.problems] == [
        "Row 2, column value (KPI 1 Care Act assessments completed within 28 days) 'lots': "
        "should be a number, such as 82.5."
    ]


def form_page(client) -> str:
    return client.get(f"{PAGE}enter/").content.decode()


def names_on(page: str) -> set[str]:
    return set(re.findall(r'name="(figure:[^"]+)"', page))


def test_form_fields_are_named_by_figure_so_a_new_kpi_moves_nothing(commissioner, bromley):
    page = form_page(commissioner)
    assert "figure:kpi:KPI 2:value" in names_on(page)
    # Someone adds a KPI that sorts before the others while the form is open.
    KPI.objects.create(
        agreement=bromley,
        code="KPI 0",
        name="Carers offered an assessment",
        definition="Carers offered an assessment, as a percentage of carers known.",
        unit="percent",
        direction="higher",
        target=Decimal("80"),
        amber_threshold=Decimal("70"),
    )

    preview = commissioner.post(f"{PAGE}enter/", {"figure:kpi:KPI 2:value": "64.5"})
    commissioner.post(f"{PAGE}confirm/", {"token": held_token(preview)})

    quarter = Quarter.objects.get(financial_year__start_year=2022, number=4)
    kpi_2 = bromley.kpis.get(code="KPI 2").values.get(quarter=quarter)
    assert kpi_2.value == Decimal("64.50")
    assert not bromley.kpis.get(code="KPI 0").values.exists()


def test_a_value_posted_for_a_figure_since_removed_is_refused_naming_it(commissioner, bromley):
    names = names_on(form_page(commissioner))
    assert "figure:kpi:KPI 3:value" in names
    KPI.objects.filter(agreement=bromley, code="KPI 3").delete()
    before = figure_counts()

    response = commissioner.post(
        f"{PAGE}enter/", {"figure:kpi:KPI 3:value": "90", "figure:kpi:KPI 1:value": "70"}
    )

    text = response.content.decode()
    assert "There is a problem" in text
    assert "kpi KPI 3 value is no longer part of it" in text
    assert figure_counts() == before


def test_the_form_and_the_file_refuse_a_value_in_the_same_words(commissioner, bromley):
    text = commissioner.post(f"{PAGE}enter/", {"figure:kpi:KPI 1:value": "140"}).content.decode()
    content = (
        b"partnership,period,section,item,measure,value\n"
        b"bromley-oxleas-mh,2022/23-Q4,kpi,KPI 1,value,140\n"
    )
    filed = read_return(content, "r.csv", within=Agreement.objects.filter(pk=bromley.pk))

    assert filed.problems[0].expected == "is a percentage, so it should be from 0 to 100."
    assert (
        "KPI 1 Care Act assessments completed within 28 days: "
        "is a percentage, so it should be from 0 to 100." in text
    )


def test_form_offers_statuses_by_name_and_money_in_pounds(commissioner):
    page = form_page(commissioner)

    assert '<option value="in_progress"' in page and ">In progress</option>" in page
    assert '<div class="govuk-input__prefix" aria-hidden="true">£</div>' in page


class Referrals(Section):
    """A section that exists only here: each team's referrals in the quarter, kept where
    Care Act activity keeps them."""

    name = "referrals"
    title = "Referrals received"
    history = (
        Source(
            CareActActivity,
            ("team",),
            lambda row: [(f"{row.team.name}: referrals received", row.referrals)],
            lambda agreement, quarter: {"team__agreement": agreement, "quarter": quarter},
        ),
    )

    def __init__(self, context):
        super().__init__(context)
        self.rows = {
            a.team_id: a
            for a in CareActActivity.objects.filter(
                team__agreement=context.agreement, quarter=context.quarter
            )
        }

    def _figure(self, name):
        row = self.rows.get(self.context.teams[name].pk)
        value = row.referrals if row else None
        return Figure(self.name, name, "count", f"{name}: referrals received", Kind.COUNT, value)

    def figures(self):
        return [self._figure(name) for name in sorted(self.context.teams)]

    def find(self, item, measure):
        self.pick(self.context.teams, item, "a team")
        if measure != "count":
            raise Refused("measure", "should be count.")
        return self._figure(item)

    def write(self, writer, change):
        team = self.context.teams[change.item]
        row = writer.held(
            self.rows,
            team.pk,
            lambda: CareActActivity(team=team, quarter=self.context.quarter),
        )
        row.referrals = change.value
        writer.touch(row, team.pk, "referrals")


@pytest.fixture
def with_referrals(monkeypatch):
    monkeypatch.setattr(SECTIONS, "sections", (Contributions, Caseload, Referrals, KPIs, Actions))


TEAM = "Bromley AMHP Service"


def test_a_section_added_in_one_module_is_in_template_file_form_preview_and_history(
    commissioner, bromley, with_referrals
):
    quarter = Quarter.objects.get(financial_year__start_year=2022, number=4)
    rows = template_rows(bromley, quarter)
    assert {"referrals"} <= {row["section"] for row in rows}
    assert "activity" not in {row["section"] for row in rows}

    page = form_page(commissioner)
    assert '<h2 class="govuk-fieldset__heading">Referrals received</h2>' in page
    assert f"figure:referrals:{TEAM}:count" in names_on(page)

    content = (
        "partnership,period,section,item,measure,value\n"
        f"bromley-oxleas-mh,2022/23-Q4,referrals,{TEAM},count,41\n"
        f"bromley-oxleas-mh,2022/23-Q4,referrals,{TEAM},visits,41\n"
    ).encode()
    refused = commissioner.post(
        f"{PAGE}upload/", {"file": SimpleUploadedFile("r.csv", content)}
    ).content.decode()
    assert "Row 3, column measure &#x27;visits&#x27;: should be count." in refused

    preview = commissioner.post(f"{PAGE}enter/", {f"figure:referrals:{TEAM}:count": "41"})
    assert f"{TEAM}: referrals received</th>" in preview.content.decode()
    commissioner.post(f"{PAGE}confirm/", {"token": held_token(preview)})

    saved = CareActActivity.objects.get(team__name=TEAM, quarter=quarter)
    assert saved.referrals == 41
    history = commissioner.get(f"{PAGE}history/").content.decode()
    assert f"{TEAM}: referrals received" in history
    assert QuarterlyReturn.objects.get(agreement=bromley, quarter=quarter).version == 2


def test_the_workbook_locks_the_names_and_formats_the_values(bromley):
    from openpyxl import load_workbook

    quarter = Quarter.objects.get(financial_year__start_year=2022, number=4)
    book = load_workbook(io.BytesIO(template_workbook(bromley, quarter)))

    sheet, guidance = book["Return"], book["Guidance"]
    assert book.sheetnames == ["Return", "Guidance"] and sheet.protection.sheet
    rows = list(sheet.iter_rows(min_row=2))
    forecast = next(r for r in rows if r[2].value == "contribution" and r[4].value == "forecast")
    assert forecast[5].number_format == "#,##0.00" and not forecast[5].protection.locked
    assert forecast[3].protection.locked  # the figure's name can't be typed over
    status = next(r for r in rows if r[4].value == "status")
    assert any(status[5].coordinate in v.sqref for v in sheet.data_validations.dataValidation)
    names = [row[1].value for row in guidance.iter_rows() if row[1].value]
    assert "KPI 1 Care Act assessments completed within 28 days" in names
