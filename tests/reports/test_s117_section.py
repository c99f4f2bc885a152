"""The s117 section of a paper: people and spend by primary support reason, placement, team
and responsible body, from a register and its packages entered through the product's own
files; spend read back to the penny per funder from the rendered paper, and the published
tables checked against a reader who works at every sum and difference of them."""

import math
import re
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from partnerships.models import Membership
from reports.actions import build_paper, publish, save_narrative, start_report
from s117.models import RegisterEntry
from s117.register_file.columns import COLUMNS as REGISTER_COLUMNS
from tests.reports.test_disclosure import has_solution

pytestmark = pytest.mark.django_db

PERIOD = "2026/27-Q2"  # to 30 September 2026: 183 days of the year's packages
REGISTER_HEADER = ",".join(REGISTER_COLUMNS)
PACKAGES_HEADER = (
    "person_reference,package_reference,description,placement,provider,weekly_cost,"
    "annual_cost,start_date,end_date,review_due,panel_decided_on,applies_from,"
    "council_share_percent,agreed_by"
)
TEAMS = (
    ["North and West Oxfordshire AMHT"] * 20
    + ["Oxford City and North East AMHT"] * 12
    + ["South and Vale IMHT"] * 8
)
# Forty people: one reason with a small count (3), so the next smallest (9) is hidden too.
REASONS = ["mental_health"] * 28 + ["learning_disability"] * 9 + ["memory_cognition"] * 3
# Two people whose responsible bodies are another council's and ICB's.
BODIES = [("OCC", "BOB ICB")] * 38 + [("RC", "RV ICB")] * 2


def register_file() -> str:
    rows = [REGISTER_HEADER]
    for n, (team, reason, (council, icb)) in enumerate(
        zip(TEAMS, REASONS, BODIES, strict=True), start=1
    ):
        rows.append(
            f"OX-{n:03},,,,3,2025-01-10,2025-06-01,{council},{icb},{team},50,2027-06-01,"
            f"2026-06-01,no,{reason},,,,"
        )
    return "\n".join(rows) + "\n"


def packages_file() -> str:
    """Thirty people with a package from 1 April 2026, two of them with a day service too;
    residential care split 60/40 by the joint funding panel, the rest 50/50 as registered."""
    rows = [PACKAGES_HEADER]

    def package(n, ref, placement, weekly, decision=""):
        rows.append(
            f"OX-{n:03},{ref},{placement} service,{placement},Example provider,{weekly},,"
            f"2026-04-01,,2027-04-01,{decision}"
        )

    for n in range(1, 15):  # 14 in supported living at £700 a week
        package(n, "P1", "supported_living", "700.00")
    for n in range(15, 25):  # 10 in residential care at £1,400, the council paying 60%
        package(n, "P1", "residential", "1400.00", "2026-03-20,2026-04-01,60,Joint panel")
    for n in range(25, 30):  # 5 with home care at £350, and one at £351.23
        package(n, "P1", "home_care", "350.00")
    package(30, "P1", "home_care", "351.23")
    for n in (1, 2):  # two of those in supported living also go to a day service
        package(n, "P2", "day_services", "210.00")
    # Last year: home care from 1 October 2025 to 31 March 2026, 182 days at £350 a week.
    rows.append(
        "OX-030,P0,home_care service,home_care,Example provider,350.00,,2025-10-01,2026-03-31,,"
    )
    return "\n".join(rows) + "\n"


@pytest.fixture
def register(oxfordshire, django_user_model, tmp_path):
    officer = django_user_model.objects.get(username="s117.officer")
    Membership.objects.get_or_create(user=officer, agreement=oxfordshire, role="s117_officer")
    for name, content, command in (
        ("register.csv", register_file(), "import_s117"),
        ("packages.csv", packages_file(), "import_s117_packages"),
    ):
        path = tmp_path / name
        path.write_text(content)
        call_command(command, path, partnership=oxfordshire.slug, by=officer.username)
    assert RegisterEntry.objects.filter(agreement=oxfordshire).count() == 40
    return oxfordshire


def scrutiny_report(agreement, django_user_model):
    commissioner = django_user_model.objects.get(username="commissioner")
    report = start_report(by=commissioner, agreement=agreement, kind="scrutiny", period=PERIOD)
    for section in ("background", "conclusions"):
        save_narrative(by=commissioner, report=report, section=section, text="Written.")
    return commissioner, report


def s117_tables(data: dict) -> dict[str, dict]:
    """The s117 section's tables in a paper's frozen data, by the heading of their first
    column."""
    (section,) = [s for s in data["sections"] if s["slug"] == "s117"]
    return {b["head"][0]: b for b in section["blocks"] if b["type"] == "table"}


def column(table: dict, index: int) -> list[str]:
    return [row[index]["text"] for row in table["rows"] + table["foot"]]


def test_the_published_paper_gives_people_and_spend_by_reason_placement_team_and_body(
    register, django_user_model
):
    commissioner, report = scrutiny_report(register, django_user_model)

    version = publish(by=commissioner, report=report)

    tables = s117_tables(version.data)
    reason = tables["Primary support reason"]
    assert [row[0]["text"] for row in reason["rows"]] == [
        "Mental health support",
        "Learning disability support",
        "Support with memory and cognition",
    ]
    # 3 is small; 9 is hidden with it, or 40 − 28 would give it back.
    assert column(reason, 1) == ["28", "*", "*", "40"]
    assert column(tables["Team"], 1) == ["20", "12", "8", "40"]
    assert column(tables["Responsible council and ICB"], 1) == ["*", "*", "40"]
    placement = tables["Placement"]
    assert [row[0]["text"] for row in placement["rows"]] == [
        "Supported living",
        "No package in force",
        "Residential care",
        "Home care",
        "Day services",
    ]
    assert column(placement, 1) == ["14", "10", "10", "*", "*", "40"]
    # Spend is hidden with the people it was spent on: home care's 6 and day services' 2.
    assert column(placement, 2) == [
        "£128,100.00",  # 14 × £700 × 183 / 7, half each
        "£0.00",
        "£219,600.00",  # 10 × £1,400 × 183 / 7 at the panel's 60%
        "*",
        "*",
        "£380,656.08",
    ]
    assert column(placement, 3)[-1] == "£307,456.08"
    # The year: £730,000 + £511,000 + 5 × £18,250 + £18,314.14 (£351.23 × 365 / 7) + £21,900.
    assert column(placement, 4)[-1] == "£1,372,464.14"
    html = re.sub(r"\s+", " ", version.html)
    assert (
        "Aftercare packages cost £688,112.16 in 2026/27 to 30 September 2026: £380,656.08 "
        "paid by the council and £307,456.08 by the ICB." in html
    )
    assert "projected to cost £1,372,464.14 for the year (£759,232.07 and £613,232.07)" in html
    assert (
        "In 2025/26 aftercare cost £9,100.00: £4,550.00 paid by the council and £4,550.00 by "
        "the ICB." in html
    )
    assert '"true"' not in str(version.data)


def test_the_section_reads_the_same_number_of_queries_however_many_people(
    register, django_user_model, tmp_path
):
    _, report = scrutiny_report(register, django_user_model)
    with CaptureQueriesContext(connection) as forty:
        build_paper(report, draft=False)
    officer = django_user_model.objects.get(username="s117.officer")
    more = tmp_path / "more.csv"
    rows = register_file().splitlines()
    more.write_text("\n".join([*rows, *(row.replace("OX-0", "OX-1") for row in rows[1:])]) + "\n")
    call_command("import_s117", more, partnership=register.slug, by=officer.username)
    packages = tmp_path / "packages.csv"
    lines = packages_file().splitlines()
    packages.write_text("\n".join([lines[0], *(r.replace("OX-0", "OX-1") for r in lines[1:])]))
    call_command("import_s117_packages", packages, partnership=register.slug, by=officer.username)

    with CaptureQueriesContext(connection) as eighty:
        paper = build_paper(report, draft=False)

    assert len(eighty) == len(forty)
    assert "£761,312.16 paid by the council" in str(paper.to_data())  # twice 380,656.08


def test_the_draft_shows_officers_each_hidden_figure_and_why(register, django_user_model, client):
    commissioner, report = scrutiny_report(register, django_user_model)
    client.force_login(commissioner)

    page = client.get(f"/partnerships/{register.slug}/reports/{report.pk}/").content.decode()

    assert "Figures that will be hidden" in page
    assert '<span class="hidden-true">3: a small count</span>' in page
    assert '<span class="hidden-true">9: hidden so that another' in page
    # Home care's six people's spend to date: 5 × £4,575.00 + £4,591.08 from the council.
    assert (
        '<span class="hidden-true">£27,466.08: spent on people whose count is hidden</span>' in page
    )


# A reader of the published paper --------------------------------------------------------
#
# They know every figure shown, that each table's rows add up to its total (the placement
# table's to at least it, as a person may have two placements), that the tables count the
# same people, that a `*` marked small is 1–7 and any other `*` a whole number of at least 0,
# and that money is at least nought. For every hidden count they look for a second value
# consistent with all of that; for money, for a hidden amount that is the only one of its
# column, or whose column's hidden amounts add up to nought.


MINUS_TOTAL = "minus the total"


def count(text: str) -> int:
    return int(text.replace(",", ""))


def reader_knows(published: dict, draft: dict, *, small=(1, 7)):
    """What the reader knows of the register's tables, as has_solution takes it: each hidden
    count's range, and a sum for each table (its hidden counts less the total, equal to
    minus its shown counts; at least that for placement). The total is a variable with a
    minus sign, so that one sum can say it. Ranges are cut to within 1 of the true figures,
    which the draft gives: as in test_disclosure, if any other table fits, so does one
    within 1 of the truth around a loop of hidden figures."""
    tables, truth = s117_tables(published), s117_tables(draft)
    tables.pop("Teams", None)  # the teams' own reported counts, not the register's people
    shown_totals = {table["foot"][0][1]["text"] for table in tables.values()} - {"*"}
    assert len(shown_totals) <= 1, "every breakdown counts the same people"
    total = count(truth["Team"]["foot"][0][1].get("true") or truth["Team"]["foot"][0][1]["text"])
    # Shown in any one table, the total is known for all of them.
    domains = {MINUS_TOTAL: (-total, -total) if shown_totals else (-total - 1, -total + 1)}
    sums, true_values = [], {}
    for heading, table in tables.items():
        hidden, shown = [], 0
        for index, row in enumerate(table["rows"]):
            if row[1]["text"] != "*":
                shown += count(row[1]["text"])
                continue
            key = (heading, index)
            true_values[key] = count(truth[heading]["rows"][index][1]["true"])
            low, high = small if row[1]["hidden"] == "small" else (0, math.inf)
            domains[key] = (max(low, true_values[key] - 1), min(high, true_values[key] + 1))
            hidden.append(key)
        high = math.inf if heading == "Placement" else -shown
        sums.append(([*hidden, MINUS_TOTAL], -shown, high))
    return domains, sums, true_values


def can_differ(domains, sums, key, true_value) -> bool:
    lower = ([key], -math.inf, true_value - 1)
    higher = ([key], true_value + 1, math.inf)
    return any(has_solution(domains, [*sums, other]) for other in (lower, higher))


def test_the_reader_works_out_what_a_careless_paper_gives_away(register, django_user_model):
    # The reader must be able to win, or the test above would prove nothing.
    _, report = scrutiny_report(register, django_user_model)
    published = build_paper(report, draft=False).to_data()
    draft = build_paper(report, draft=True).to_data()
    reason = s117_tables(published)["Primary support reason"]
    memory = ("Primary support reason", 2)  # the 3 people
    domains, sums, _ = reader_knows(published, draft)
    assert can_differ(domains, sums, memory, 3)

    # Showing the 9 gives the 3 back by subtraction from the total.
    reason["rows"][1][1] = {"text": "9"}
    domains, sums, _ = reader_knows(published, draft)
    assert not can_differ(domains, sums, memory, 3)

    # So does hiding this table's total while another table shows it: a difference between
    # two tables of the same people.
    reason["foot"][0][1] = {"text": "*", "hidden": "secondary"}
    domains, sums, _ = reader_knows(published, draft)
    assert not can_differ(domains, sums, memory, 3)


def amount(text: str) -> Decimal:
    return Decimal(text.strip("£").replace(",", ""))


@pytest.mark.parametrize("partnership", ["register", "bromley"])
def test_no_hidden_figure_in_the_published_tables_can_be_worked_out(
    partnership, request, django_user_model
):
    agreement = request.getfixturevalue(partnership)
    if partnership == "register":
        _, report = scrutiny_report(agreement, django_user_model)
    else:  # five people: every count is small, so everything is hidden
        commissioner = django_user_model.objects.get(username="commissioner")
        report = start_report(by=commissioner, agreement=agreement, kind="jmg", period=PERIOD)
    published = build_paper(report, draft=False).to_data()
    draft = build_paper(report, draft=True).to_data()

    domains, sums, true_values = reader_knows(published, draft)
    assert true_values, "the example must hide something"
    for key, true_value in true_values.items():
        assert can_differ(domains, sums, key, true_value), f"{key} can be worked out"

    truth = s117_tables(draft)
    for heading, table in s117_tables(published).items():
        for money in range(2, len(table["head"])):
            stars = [i for i, row in enumerate(table["rows"]) if row[money]["text"] == "*"]
            people_hidden = [i for i, row in enumerate(table["rows"]) if row[1]["text"] == "*"]
            assert set(people_hidden) <= set(stars), f"{heading}: spend shown for hidden people"
            if stars and table["foot"][0][money]["text"] != "*":
                assert len(stars) > 1, f"{heading}: a lone hidden amount"
                hidden_sum = sum(amount(truth[heading]["rows"][i][money]["true"]) for i in stars)
                assert hidden_sum > 0, f"{heading}: hidden amounts that must all be nought"


def test_a_register_without_packages_shows_people_and_says_no_spend_is_shown(
    oxfordshire, django_user_model, tmp_path
):
    officer = django_user_model.objects.get(username="s117.officer")
    Membership.objects.get_or_create(user=officer, agreement=oxfordshire, role="s117_officer")
    path = tmp_path / "register.csv"
    path.write_text(register_file())
    call_command("import_s117", path, partnership=oxfordshire.slug, by=officer.username)
    _, report = scrutiny_report(oxfordshire, django_user_model)

    data = build_paper(report, draft=False).to_data()

    tables = s117_tables(data)
    assert tables["Team"]["head"] == ["Team", "People"]
    assert "No aftercare packages with their costs are recorded" in str(data)
