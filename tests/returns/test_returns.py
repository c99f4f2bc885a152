"""Quarterly returns: reading a file, saving it all or nothing, sign-off and history."""

import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

from budgets.models import ContributionOutturn
from partnerships.models import Agreement, Quarter
from returns.actions import (
    ReturnRefused,
    apply_return_changes,
    reopen_return,
    sign_off_return,
    submit_return,
)
from returns.file import read_return as read_for
from returns.file import template_bytes, template_rows
from returns.models import QuarterlyReturn

pytestmark = pytest.mark.django_db


def read_return(content: bytes, name: str):
    """A file read for someone who enters figures for every partnership: these tests are
    about reading it (tests/partnerships/test_return_pages.py checks whose it may be)."""
    return read_for(content, name, within=Agreement.objects.all())


EXAMPLE = (
    Path(__file__).resolve().parents[2]
    / "fixtures/examples/return-bromley-oxleas-mh-2022-23-Q4.csv"
)
HEADER = "partnership,period,section,item,measure,value\n"
ROW = "bromley-oxleas-mh,2022/23-Q4,"


def csv(*lines: str) -> bytes:
    return (HEADER + "".join(line + "\n" for line in lines)).encode()


def problems(content: bytes, name: str = "return.csv") -> list[str]:
    return [str(problem) for problem in read_return(content, name).problems]


@pytest.fixture
def commissioner(django_user_model):
    return django_user_model.objects.get(username="commissioner")


@pytest.fixture
def jmg(django_user_model):
    return django_user_model.objects.get(username="jmg.member")


def row_counts():
    return {
        model._meta.label: model.objects.count()
        for label in ("partnerships", "budgets", "caseload")
        for model in apps.get_app_config(label).get_models()
    }


def apply(result, by, **kwargs):
    return apply_return_changes(
        by=by, agreement=result.agreement, quarter=result.quarter, changes=result.changes, **kwargs
    )


def test_example_file_is_read_with_new_and_unchanged_figures():
    result = read_return(EXAMPLE.read_bytes(), EXAMPLE.name)

    assert result.problems == []
    assert (result.count("new"), result.count("changed"), result.count("unchanged")) == (6, 0, 18)


def test_saving_the_example_records_outturns_and_who_entered_them(commissioner, bromley):
    result = read_return(EXAMPLE.read_bytes(), EXAMPLE.name)

    saved = apply(result, commissioner)

    outturn = ContributionOutturn.objects.get(
        contribution__partner__short_name="Oxleas", quarter=result.quarter
    )
    assert outturn.forecast == Decimal("16911204.00")
    assert outturn.history.latest().history_user == commissioner
    assert saved.version == 2


def test_uploading_the_same_file_again_changes_nothing(commissioner):
    apply(read_return(EXAMPLE.read_bytes(), EXAMPLE.name), commissioner)
    before = row_counts()

    again = read_return(EXAMPLE.read_bytes(), EXAMPLE.name)
    saved = apply(again, commissioner)

    assert again.count("new") == again.count("changed") == 0
    assert row_counts() == before  # no figure and no history row written
    assert saved.version == 2


@pytest.mark.parametrize(
    ("line", "says"),
    [
        (
            ROW + "contribution,LBB,forecast,-5",
            "Row 2, column value (LBB forecast outturn) '-5': is negative",
        ),
        (
            ROW + "contribution,LBB,forecast,12x",
            "Row 2, column value (LBB forecast outturn) '12x': should be an amount in pounds",
        ),
        (ROW + "contribution,LBB,forecast,1.999", "at most 2 decimal places"),
        (ROW + "contribution,LBB,forecast,99999999999999", "is larger than"),
        (
            ROW + "contribution,ICB,forecast,1",
            "Row 2, column item 'ICB': is not a contributing partner",
        ),
        (ROW + "activity,No such team,referrals,3", "column item 'No such team': is not a team"),
        (
            ROW + "activity,Bromley AMHP Service,visits,3",
            "column measure 'visits': should be one of",
        ),
        (ROW + "activity,Bromley AMHP Service,referrals,2.5", "should be a whole number"),
        (ROW + "kpi,KPI 1,value,140", "is a percentage, so it should be from 0 to 100"),
        (ROW + "kpi,KPI 1,value,=SUM(A1:A3)", "is a formula"),
        (ROW + "action,3.8.4,status,finished", "should be a status"),
        (ROW + "widgets,LBB,forecast,1", "column section 'widgets': is not a section"),
        (
            "elsewhere,2022/23-Q4,kpi,KPI 1,value,80",
            "column partnership 'elsewhere': is not a partnership",
        ),
        (
            "bromley-oxleas-mh,2022/23,kpi,KPI 1,value,80",
            "column period '2022/23': a quarter is needed",
        ),
        ("bromley-oxleas-mh,1850/51-Q1,kpi,KPI 1,value,80", "outside the years this service holds"),
    ],
)
def test_each_bad_value_is_named_by_row_and_column(line, says):
    found = problems(csv(line))

    assert any(says in problem for problem in found), found


def test_every_problem_is_reported_at_once():
    found = problems(
        csv(
            ROW + "contribution,LBB,forecast,-5",
            ROW + "activity,Nowhere,referrals,3",
            ",,,,,",
            ROW + "kpi,KPI 1,value,80",
            ROW + "kpi,KPI 1,value,81",
        )
    )

    assert any(p.startswith("Row 2") for p in found)
    assert any(p.startswith("Row 3") for p in found)
    assert "Row 4: is blank: delete it or fill it in." in found
    assert any(p.startswith("Row 6, column measure 'value': repeats row 5") for p in found)


def test_wrong_columns_are_named():
    found = problems(b"partnership,period,section,item,value,extra\n")

    assert found == [
        "Row 1: the header has partnership, period, section, item, value, extra; missing "
        "measure; unexpected extra. The columns must be: partnership, period, section, item, "
        "measure, value (docs/import-formats.md)."
    ]


def test_a_second_partnership_in_one_file_is_refused():
    found = problems(
        csv(ROW + "kpi,KPI 1,value,80", "oxfordshire-mh-social-work,2022/23-Q4,kpi,KPI 1,value,80")
    )

    assert any("Row 3, column partnership" in p and "differs from row 2" in p for p in found)


def test_file_not_in_utf8_is_refused_with_a_hint():
    found = problems(csv(ROW + "kpi,KPI 1,value,80").replace(b"80", b"8\xe9"))

    assert len(found) == 1
    assert found[0].startswith("The file: is not UTF-8 text (byte ")
    assert found[0].endswith("Save it as CSV UTF-8.")


def test_spreadsheet_formula_is_refused():
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["partnership", "period", "section", "item", "measure", "value"])
    sheet.append(["bromley-oxleas-mh", "2022/23-Q4", "kpi", "KPI 1", "value", "=70+2"])
    buffer = io.BytesIO()
    book.save(buffer)

    found = problems(buffer.getvalue(), "return.xlsx")

    assert found == ["Row 2, column value '=70+2': is a formula: type the value itself."]


def test_signed_off_return_cannot_change_until_reopened(commissioner, jmg, bromley):
    result = read_return(EXAMPLE.read_bytes(), EXAMPLE.name)
    quarterly_return = apply(result, commissioner)
    submit_return(by=commissioner, quarterly_return=quarterly_return)
    sign_off_return(by=jmg, quarterly_return=quarterly_return)
    changed = read_return(csv(ROW + "kpi,KPI 1,value,74"), "return.csv")

    with pytest.raises(ReturnRefused, match="signed off: it must be reopened"):
        apply(changed, commissioner)

    quarterly_return = reopen_return(
        by=jmg, quarterly_return=quarterly_return, reason="KPI 1 was miscounted"
    )
    apply(changed, commissioner)
    assert bromley.kpis.get(code="KPI 1").values.get(quarter=result.quarter).value == 74


def test_only_a_jmg_member_signs_off(commissioner):
    quarterly_return = apply(read_return(EXAMPLE.read_bytes(), EXAMPLE.name), commissioner)
    submit_return(by=commissioner, quarterly_return=quarterly_return)

    with pytest.raises(ReturnRefused, match="Only a JMG member"):
        sign_off_return(by=commissioner, quarterly_return=quarterly_return)


def test_reopening_needs_a_reason(commissioner, jmg):
    quarterly_return = apply(read_return(EXAMPLE.read_bytes(), EXAMPLE.name), commissioner)
    submit_return(by=commissioner, quarterly_return=quarterly_return)
    sign_off_return(by=jmg, quarterly_return=quarterly_return)

    with pytest.raises(ReturnRefused, match="Say why"):
        reopen_return(by=jmg, quarterly_return=quarterly_return, reason="  ")


def test_second_of_two_concurrent_saves_is_refused_and_nothing_of_it_is_saved(commissioner, jmg):
    first = read_return(csv(ROW + "kpi,KPI 1,value,73"), "return.csv")
    second = read_return(csv(ROW + "kpi,KPI 1,value,75", ROW + "kpi,KPI 2,value,95"), "return.csv")
    version_both_read = QuarterlyReturn.objects.get_or_create(
        agreement=first.agreement, quarter=first.quarter
    )[0].version

    apply(first, commissioner, expected_version=version_both_read)
    with pytest.raises(ReturnRefused, match="Someone else saved"):
        apply(second, jmg, expected_version=version_both_read)

    kpi_values = {
        v.kpi.code: v.value
        for v in first.agreement.kpis.get(code="KPI 1").values.filter(quarter=first.quarter)
    }
    assert kpi_values == {"KPI 1": Decimal("73.00")}
    assert first.agreement.kpis.get(code="KPI 2").values.get(quarter=first.quarter).value == 92


def test_a_file_read_before_someone_else_saved_is_refused_though_no_version_was_given(
    commissioner, jmg
):
    """As import_return saves: into the rows the file was read against, which were the
    partnership's figures before the other save."""
    first = read_return(csv(ROW + "kpi,KPI 1,value,73"), "return.csv")
    apply(read_return(csv(ROW + "kpi,KPI 2,value,95"), "return.csv"), jmg)

    with pytest.raises(ReturnRefused, match="Someone else saved"):
        apply(first, commissioner, lookups=first.lookups)

    kpi_1 = first.agreement.kpis.get(code="KPI 1").values.filter(quarter=first.quarter)
    assert not kpi_1.filter(value=Decimal("73")).exists()
    assert first.agreement.kpis.get(code="KPI 2").values.get(quarter=first.quarter).value == 95


def test_a_file_is_saved_once_from_what_it_was_read_against(commissioner):
    result = read_return(csv(ROW + "kpi,KPI 1,value,73"), "return.csv")
    apply(result, commissioner, lookups=result.lookups)

    with pytest.raises(ValueError, match="read the file again"):
        apply(result, commissioner, lookups=result.lookups)


def test_saving_a_return_locks_the_return_alone(commissioner):
    """On PostgreSQL a FOR UPDATE over a join locks every joined row: the partnership, the
    quarter and its year, which every other partnership's return for the quarter needs."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    result = read_return(csv(ROW + "kpi,KPI 1,value,73"), "return.csv")
    QuarterlyReturn.objects.get_or_create(agreement=result.agreement, quarter=result.quarter)
    with CaptureQueriesContext(connection) as queries:
        apply(result, commissioner, lookups=result.lookups)

    locks = [q["sql"] for q in queries.captured_queries if "FOR UPDATE" in q["sql"]]
    assert len(locks) == (1 if connection.features.has_select_for_update else 0)
    assert all("JOIN" not in lock for lock in locks)


def test_changes_are_saved_only_into_the_quarter_they_were_read_for(commissioner):
    result = read_return(csv(ROW + "kpi,KPI 1,value,73"), "return.csv")
    other = Quarter.objects.exclude(pk=result.quarter.pk).first()

    with pytest.raises(ValueError, match="another partnership or quarter"):
        apply_return_changes(
            by=commissioner,
            agreement=result.agreement,
            quarter=other,
            changes=result.changes,
            lookups=result.lookups,
        )


def test_history_shows_a_signed_off_figure_before_and_after_its_change(commissioner, jmg):
    result = read_return(EXAMPLE.read_bytes(), EXAMPLE.name)
    quarterly_return = apply(result, commissioner)
    submit_return(by=commissioner, quarterly_return=quarterly_return)
    signed = sign_off_return(by=jmg, quarterly_return=quarterly_return)
    reopen_return(by=jmg, quarterly_return=signed, reason="Oxleas restated its forecast")
    apply(read_return(csv(ROW + "contribution,Oxleas,forecast,17000000.00"), "r.csv"), commissioner)

    outturn = ContributionOutturn.objects.get(
        contribution__partner__short_name="Oxleas", quarter=result.quarter
    )
    as_signed_off = outturn.history.as_of(signed.signed_off_at)
    assert as_signed_off.forecast == Decimal("16911204.00")
    assert outturn.forecast == Decimal("17000000.00")
    latest = outturn.history.latest()
    assert latest.history_user == commissioner
    assert latest.prev_record.forecast == Decimal("16911204.00")


def test_command_saves_a_good_file(commissioner, capsys):
    out = io.StringIO()

    call_command("import_return", str(EXAMPLE), by="commissioner", stdout=out)

    assert "6 new, 0 changed, 18 unchanged. Saved" in out.getvalue()


def test_command_refuses_a_bad_file_listing_every_problem_and_saving_nothing(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv(ROW + "contribution,LBB,forecast,-5", ROW + "kpi,KPI 9,value,1"))
    before = row_counts()
    err = io.StringIO()

    with pytest.raises(CommandError, match="2 problem"):
        call_command("import_return", str(bad), by="commissioner", stderr=err)

    assert "Row 2, column value (LBB forecast outturn) '-5'" in err.getvalue()
    assert "Row 3, column item 'KPI 9'" in err.getvalue()
    assert row_counts() == before


def test_command_answers_someone_who_is_not_a_commissioner_as_for_no_such_partnership(tmp_path):
    """Whether a partnership exists, and what it holds, is not for someone outside it."""
    elsewhere = tmp_path / "elsewhere.csv"
    elsewhere.write_bytes(EXAMPLE.read_bytes().replace(b"bromley-oxleas-mh", b"no-such-thing"))
    refused, unknown = io.StringIO(), io.StringIO()

    with pytest.raises(CommandError, match="Nothing was saved"):
        call_command("import_return", str(EXAMPLE), by="scrutiny.officer", stderr=refused)
    with pytest.raises(CommandError, match="Nothing was saved"):
        call_command("import_return", str(elsewhere), by="commissioner", stderr=unknown)

    said = refused.getvalue().replace("bromley-oxleas-mh", "…")
    assert "is not a partnership this file can be for" in said
    assert said == unknown.getvalue().replace("no-such-thing", "…")


def test_template_command_writes_every_figure(tmp_path):
    output = tmp_path / "return.csv"

    call_command(
        "return_template",
        "bromley-oxleas-mh",
        period="2022/23-Q4",
        output=output,
        stdout=io.StringIO(),
    )

    text = output.read_text()
    assert text.startswith(HEADER)
    assert "contribution,LBB,forecast," in text
    assert "kpi,KPI 1,value,72.00" in text


def test_spend_to_date_before_forecast_in_the_file_still_saves(commissioner):
    # Found by the property-based test: the order of rows must not matter.
    result = read_return(
        csv(
            ROW + "contribution,Oxleas,actual_to_date,16874220.15",
            ROW + "contribution,Oxleas,forecast,16911204.00",
        ),
        "return.csv",
    )

    apply(result, commissioner)

    outturn = ContributionOutturn.objects.get(
        contribution__partner__short_name="Oxleas", quarter=result.quarter
    )
    assert (outturn.forecast, outturn.actual_to_date) == (
        Decimal("16911204.00"),
        Decimal("16874220.15"),
    )


@pytest.mark.parametrize("read_with_the_file", [True, False], ids=["as-read", "read-again"])
@pytest.mark.parametrize("extra_teams", [0, 6])
def test_a_return_is_saved_in_the_same_number_of_queries_however_large(
    commissioner, bromley, extra_teams, read_with_the_file, django_assert_num_queries
):
    from caseload.models import CareActActivity, Team

    operator = bromley.partners.get(is_host=True).organisation
    Team.objects.bulk_create(
        Team(agreement=bromley, name=f"Extra team {n}", kind="cmht", operated_by=operator)
        for n in range(extra_teams)
    )
    quarter = Quarter.objects.get(financial_year__start_year=2022, number=4)
    rows = template_rows(bromley, quarter)
    for row in rows:  # every figure of the quarter given, changed or new
        if row["section"] in ("contribution", "caseload", "activity"):
            row["value"] = str(int(float(row["value"] or 9)) + 1)
        elif row["section"] == "kpi":
            row["value"] = "50"
        elif row["measure"] == "progress_note":
            row["value"] = "Progress this quarter."
    result = read_return(template_bytes(rows, xlsx=False), "return.csv")
    assert result.problems == []

    # A savepoint pair round it all: 2; the return, locked (none yet, so: a get, a
    # savepoint pair round its insert and history, and the locked get): 7; each kind of
    # figure written at once with its history (outturns, snapshots, overlaps, new activity,
    # changed activity, KPI values, progress notes): 14; the return's new
    # version with its history: 2. The views and the command save into the rows the file
    # was read against; without them, what the partnership holds for the quarter is read
    # once the return is locked (its version, contributions, outturns, teams, source
    # systems, snapshots, overlaps, activity, activity for the year and months, KPIs, KPI
    # values, recommendations, progress notes, which teams give s117 counts, the s117
    # counts): 15; the year's budget (funds with their pots, contributions, partners,
    # agreed shares, virements, the latest revision, decisions): 7.
    reads = 0 if read_with_the_file else 15 + 7
    lookups = result.lookups if read_with_the_file else None
    with django_assert_num_queries(2 + 7 + 14 + 2 + reads):
        saved = apply(result, commissioner, lookups=lookups)

    assert saved.version == 2
    activity = CareActActivity.objects.filter(team__agreement=bromley, quarter=quarter)
    assert activity.count() == bromley.teams.count()
    assert {row.history.latest().history_user for row in activity} == {commissioner}
