"""Care Act activity for a whole year and for months, beside the quarters: entered through
the return file, shown as reported on the caseload page with the quarters and months added
up only as far as they were reported, an average a month labelled as derived, and a flag
where a complete set of quarters or months disagrees with the year."""

import re
from decimal import Decimal

import pytest
from django.test import Client

from caseload.activity_periods import part_sum, year_figures
from caseload.models import PeriodActivity
from partnerships.models import Agreement
from reports.actions import quarter_of
from reports.papers import build
from reports.render import render_html
from returns.actions import apply_return_changes
from returns.file import read_return, template_bytes, template_rows

pytestmark = pytest.mark.django_db

TEAM = "Bromley Community Mental Health Social Work Team"
HEADER = "partnership,period,section,item,measure,value\n"
PAGE = "/partnerships/bromley-oxleas-mh/caseload/?period="


def upload(bromley, user, period: str, *rows: str):
    """Read a return file for the period and save it; the result, for its problems."""
    content = (HEADER + "".join(f"bromley-oxleas-mh,{period},{row}\n" for row in rows)).encode()
    result = read_return(content, "r.csv", within=Agreement.objects.filter(pk=bromley.pk))
    if not result.problems:
        apply_return_changes(
            by=user,
            agreement=bromley,
            quarter=result.quarter,
            changes=result.changes,
            lookups=result.lookups,
        )
    return result


@pytest.fixture
def commissioner(django_user_model):
    return django_user_model.objects.get(username="commissioner")


def page_text(django_user_model, period: str) -> str:
    client = Client()
    client.force_login(django_user_model.objects.get(username="jmg.member"))
    response = client.get(PAGE + period)
    assert response.status_code == 200
    return re.sub(r"\s+", " ", response.content.decode()).replace("&#x27;", "'")


def table_row(text: str, table_id: str, label: str) -> str:
    table = re.search(rf'<table class="govuk-table" id="{table_id}">.*?</table>', text).group(0)
    return re.search(rf"<tr[^>]*>\s*<th[^>]*>{re.escape(label)}</th>.*?</tr>", table).group(0)


def cells(row: str) -> list[str]:
    return re.findall(r'<td class="govuk-table__cell[^"]*">(.*?)</td>', row)


# Pure arithmetic --------------------------------------------------------------------------


def test_a_month_not_reported_is_missing_not_zero():
    months = part_sum({1: 100, 2: None, 3: 90}, ["April", "May", "June"])

    assert months.total == 190
    assert months.missing == ["May"]
    assert not months.complete


def test_the_average_a_month_is_the_years_figure_over_twelve():
    figures = year_figures(1240, {}, {})

    assert figures.average_a_month.value == Decimal("103.3")
    assert "÷ 12" in figures.average_a_month.derived_from


def test_no_average_is_derived_from_part_of_a_year():
    assert year_figures(None, {}, dict.fromkeys(range(1, 12), 100)).average_a_month is None
    assert year_figures(None, {}, dict.fromkeys(range(1, 13), 100)).average_a_month.value == 100


def test_only_a_complete_sum_is_compared_with_the_year():
    assert year_figures(212, {1: 50, 2: 55, 3: 52}, {}).differs == []
    assert year_figures(212, {1: 50, 2: 55, 3: 52, 4: 50}, {}).differs == [("quarters", 207)]


# Through the return file and the pages -----------------------------------------------------


def test_year_and_month_rows_are_saved_and_shown_beside_the_quarters(
    bromley, commissioner, django_user_model
):
    result = upload(
        bromley,
        commissioner,
        "2023/24-Q4",
        f"activity_period,{TEAM},year:assessments,1240",
        f"activity_period,{TEAM},year:days_to_complete,21.4",
        f"activity_period,{TEAM},2024-01:assessments,101",
        f"activity_period,{TEAM},2024-02:assessments,",
        f"activity_period,{TEAM},2024-03:assessments,99",
    )
    assert result.problems == []

    year = PeriodActivity.objects.get(team__name=TEAM, financial_year__start_year=2023, period=0)
    assert (year.assessments, year.days_to_complete, year.referrals) == (
        1240,
        Decimal("21.4"),
        None,
    )
    assert year.history.first().history_user.username == "commissioner"
    # February was left blank: not reported, so no row and not 0.
    assert not PeriodActivity.objects.filter(team__name=TEAM, period=11).exists()

    text = page_text(django_user_model, "2023/24-Q4")
    year_cells = cells(table_row(text, "year-activity", "Care Act assessments"))
    assert year_cells[0] == "1,240"
    assert year_cells[2].startswith("200 so far:")
    assert "February" in year_cells[2] and "not the year's total" in year_cells[2]
    assert year_cells[3] == "An average of 103.3 a month (derived: the year's reported figure ÷ 12)"
    months = re.search(r'id="month-activity">.*?</table>', text).group(0)
    assert "February 2024" not in months  # nothing reported for it: no row, not a row of 0s
    assert cells(table_row(text, "month-activity", "January 2024"))[1] == "101"
    assert cells(table_row(text, "month-activity", "March 2024"))[0] == "Not reported"
    assert cells(table_row(text, "days-to-complete", TEAM)) == ["21.4"]


def test_the_year_is_entered_only_in_its_last_quarters_return(bromley, commissioner):
    result = upload(
        bromley, commissioner, "2023/24-Q1", f"activity_period,{TEAM},year:assessments,1240"
    )

    (problem,) = [str(p) for p in result.problems]
    assert problem.startswith("Row 2, column measure")
    assert "2023/24-Q4" in problem
    assert not PeriodActivity.objects.filter(financial_year__start_year=2023).exists()


def test_a_bad_figure_names_its_row_column_and_figure_and_saves_nothing(bromley, commissioner):
    result = upload(
        bromley,
        commissioner,
        "2023/24-Q4",
        f"activity_period,{TEAM},year:assessments,1240",
        f"activity_period,{TEAM},2024-01:days_to_complete,21.45",
    )

    (problem,) = [str(p) for p in result.problems]
    assert problem.startswith("Row 3, column value")
    assert "average days to complete an assessment, January 2024" in problem
    assert "1 decimal place" in problem
    assert not PeriodActivity.objects.filter(financial_year__start_year=2023).exists()


def test_a_year_that_its_quarters_dont_add_up_to_is_flagged(
    bromley, commissioner, django_user_model
):
    # The demo's 2022/23 quarters add up to the 212 assessments the paper gives for the year.
    assert "differ from its" not in page_text(django_user_model, "2022/23-Q4")

    upload(bromley, commissioner, "2022/23-Q4", f"activity_period,{TEAM},year:assessments,200")

    text = page_text(django_user_model, "2022/23-Q4")
    assert (
        f"{TEAM}'s Care Act assessments reported for 2022/23, 200, differ from its "
        "4 quarters added up, 212"
    ) in text
    assert cells(table_row(text, "year-activity", "Care Act assessments"))[:2] == ["200", "212"]


def test_the_q4_paper_quotes_the_year_as_reported(bromley, commissioner):
    upload(bromley, commissioner, "2022/23-Q4", f"activity_period,{TEAM},year:assessments,200")

    html = re.sub(r"\s+", " ", render_html(build(bromley, "jmg", quarter_of("2022/23-Q4"))))

    assert "completed 200 Care Act assessments" in html
    assert "as reported for the whole year" in html


def test_the_demo_gives_the_papers_year_and_no_other_counts(bromley):
    year = PeriodActivity.objects.get(team__name=TEAM, financial_year__start_year=2022, period=0)

    assert (year.referrals, year.assessments) == (364, 212)
    assert year.reviews is None and year.days_to_complete is None


def test_the_template_lists_the_quarters_months_and_in_q4_the_year(bromley):
    q3 = {r["measure"] for r in template_rows(bromley, quarter_of("2023/24-Q3"))}
    q4 = {r["measure"] for r in template_rows(bromley, quarter_of("2023/24-Q4"))}

    assert "2023-10:assessments" in q3 and "year:assessments" not in q3
    assert {"2024-03:days_to_complete", "year:assessments"} <= q4


def test_the_downloaded_workbook_filled_in_is_saved_and_read_back_from_the_page(
    bromley, commissioner, django_user_model
):
    rows = template_rows(bromley, quarter_of("2023/24-Q4"))
    filled = {
        "year:referrals": "1,300",
        "2024-01:referrals": "110",
        "2024-03:referrals": "0",  # reported as none: a claim, kept as 0
    }
    for row in rows:
        if row["section"] == "activity_period" and row["item"] == TEAM:
            row["value"] = filled.get(row["measure"], row["value"])
    content = template_bytes(rows, xlsx=True)
    result = read_return(content, "r.xlsx", within=Agreement.objects.filter(pk=bromley.pk))
    assert result.problems == []
    assert result.count("new") == 3
    apply_return_changes(
        by=commissioner,
        agreement=bromley,
        quarter=result.quarter,
        changes=result.changes,
        lookups=result.lookups,
    )

    text = page_text(django_user_model, "2023/24-Q4")
    referrals = cells(table_row(text, "year-activity", "Referrals"))
    assert referrals[0] == "1,300"
    # January and March reported (110 and 0); the other ten months are missing, not 0.
    assert referrals[2].startswith("110 so far: April, May")
    assert cells(table_row(text, "month-activity", "March 2024"))[0] == "0"


def test_the_returns_form_takes_a_months_figures(bromley, django_user_model):
    client = Client()
    client.force_login(django_user_model.objects.get(username="commissioner"))
    url = "/partnerships/bromley-oxleas-mh/returns/2022-23-Q4/sections/activity_period/"
    form = client.get(url).content.decode()
    assert "average days to complete an assessment, January 2023" in form

    response = client.post(
        url,
        {
            f"figure:activity_period:{TEAM}:2023-01:assessments": "18",
            f"figure:activity_period:{TEAM}:2023-01:days_to_complete": "19.5",
            "state": "in_progress",
            "version": "1",
        },
    )

    assert response.status_code == 302
    january = PeriodActivity.objects.get(
        team__name=TEAM, financial_year__start_year=2022, period=10
    )
    assert (january.assessments, january.days_to_complete) == (18, Decimal("19.5"))
