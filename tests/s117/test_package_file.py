"""s117 aftercare packages by file: added with their costs and the joint funding panel's
decisions, read back as the year's spend to the penny; refused with row and column where
they can't be taken, and nothing half-saved."""

import datetime
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from s117.models import AccessLog, AftercarePackage, FundingDecision
from s117.package_file import COLUMNS, read_packages, save_packages

pytestmark = pytest.mark.django_db

D = Decimal
TODAY = datetime.date(2026, 12, 3)
EXAMPLE = (
    Path(__file__).resolve().parents[2] / "fixtures/examples/s117-packages-bromley-oxleas-mh.csv"
)
HEADER = ",".join(COLUMNS) + "\n"
GOOD = (
    "BR-S117-0001,P1,Supported living,supported_living,Example,700.00,,2026-04-01,,,"
    "2026-03-20,2026-04-01,50,Joint funding panel"
)


def problems(bromley, *rows: str) -> list[str]:
    content = (HEADER + "".join(row + "\n" for row in rows)).encode()
    return [str(p) for p in read_packages(content, "packages.csv", bromley, today=TODAY).problems]


@pytest.fixture
def officer(django_user_model):
    return django_user_model.objects.get(username="s117.officer")


def test_the_example_adds_packages_and_decisions_and_the_person_page_shows_the_spend(
    bromley, officer, client
):
    result = read_packages(EXAMPLE.read_bytes(), EXAMPLE.name, bromley, today=TODAY)
    assert result.problems == []
    assert result.count("new") == 3

    save_packages(by=officer, agreement=bromley, result=result, path="test")

    home = AftercarePackage.objects.get(entry__person_reference="BR-S117-0001", reference="P1")
    assert (home.placement, home.weekly_cost) == ("supported_living", D("700.00"))
    assert [d.council_share_percent for d in home.funding_decisions.order_by("applies_from")] == [
        D("50.00"),
        D("30.00"),
    ]
    day = AftercarePackage.objects.get(entry__person_reference="BR-S117-0003", reference="P1")
    assert (day.placement, day.annual_cost) == ("day_services", D("6240.00"))
    assert home.history.latest().history_user == officer
    assert AccessLog.objects.filter(action="change", user=officer).count() == 2

    client.force_login(officer)
    html = re.sub(
        r"\s+",
        " ",
        client.get(f"/partnerships/{bromley.slug}/s117/people/BR-S117-0001/").content.decode(),
    )
    assert "£12,350.00" in html  # each funder's half, 1 April to 3 December 2026
    assert "£36,500.00" in html  # the projected year: £700 × 365 / 7

    again = read_packages(EXAMPLE.read_bytes(), EXAMPLE.name, bromley, today=TODAY)
    assert again.problems == [] and again.count("unchanged") == 3  # the same file again


@pytest.mark.parametrize(
    ("row", "says"),
    [
        (GOOD.replace("BR-S117-0001", "NOBODY"), "column person_reference 'NOBODY': is not on"),
        (GOOD.replace("700.00,,", "700.00,36400.00,"), "not both"),
        (GOOD.replace("700.00,,", ",,"), "column weekly_cost: is blank"),
        (GOOD.replace("700.00", "-1"), "column weekly_cost '-1': should be an amount"),
        (GOOD.replace("700.00", "700.001"), "to the penny at most"),
        (GOOD.replace("supported_living", "hotel"), "column placement 'hotel'"),
        (GOOD.replace(",50,", ",101,"), "column council_share_percent '101'"),
        (GOOD.replace("2026-04-01,,,", "2026-04-01,2026-01-01,,"), "column end_date"),
        (GOOD.replace(",Joint funding panel", ","), "column agreed_by: is required"),
        (GOOD.replace("2026-03-20", "2027-01-01"), "column panel_decided_on '2027-01-01': is in"),
        (GOOD.replace("2026-03-20,2026-04-01", "2026-03-20,2026-03-01"), "column applies_from"),
        (GOOD.replace("Supported living", "=HYPERLINK()"), "column description '=HYPERLINK()'"),
    ],
)
def test_each_bad_cell_is_named_by_row_and_column(bromley, row, says):
    found = problems(bromley, row)

    assert len(found) == 1, found
    assert found[0].startswith("Row 2, column") and says in found[0]


def test_a_package_given_twice_for_one_day_or_with_other_details_is_refused(bromley):
    assert "is given twice" in problems(bromley, GOOD, GOOD)[0]
    other = GOOD.replace("700.00", "710.00").replace("2026-04-01,50", "2027-01-01,30")
    assert "is on an earlier row with other details" in problems(bromley, GOOD, other)[0]


def test_a_recorded_decision_is_changed_only_by_a_later_one(bromley, officer):
    first = (HEADER + GOOD + "\n").encode()
    save_packages(
        by=officer,
        agreement=bromley,
        result=read_packages(first, "p.csv", bromley, today=TODAY),
    )

    assert (
        "a change of split is a new decision" in problems(bromley, GOOD.replace(",50,", ",40,"))[0]
    )
    assert FundingDecision.objects.get(package__reference="P1").council_share_percent == D("50.00")


def test_the_command_refuses_a_bad_file_and_saves_nothing(bromley, tmp_path):
    bad = tmp_path / "packages.csv"
    bad.write_text(HEADER + GOOD + "\n" + GOOD.replace("P1", "P2").replace("700.00", "lots") + "\n")

    with pytest.raises(CommandError, match="1 problem"):
        call_command("import_s117_packages", str(bad), partnership=bromley.slug, by="s117.officer")

    assert not AftercarePackage.objects.filter(reference="P1").exists()


def test_the_command_saves_a_good_file(bromley, capsys):
    call_command("import_s117_packages", str(EXAMPLE), partnership=bromley.slug, by="s117.officer")

    assert "3 new" in capsys.readouterr().out
    assert (
        FundingDecision.objects.filter(
            package__entry__agreement=bromley, package__reference="P1"
        ).count()
        == 3
    )
