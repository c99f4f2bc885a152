"""Journeys through the pages in real headless Chromium, with axe-core on every page."""

import re

import pytest
from playwright.sync_api import expect

from s117.models import AccessLog
from tests.browser import assert_accessible, sign_in
from tests.conftest import BROWSER_PASSWORD, bromley_end_flag

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_wrong_password_shows_an_accessible_error(live_demo, page):
    sign_in(page, live_demo.url, "jmg.member", "not the password")

    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(page).to_have_title("Error: Sign in – Partnership governance")
    assert_accessible(page)


def test_s117_officer_finds_a_person_and_the_view_is_logged(live_demo, page):
    sign_in(page, live_demo.url, "s117.officer", BROWSER_PASSWORD)
    expect(page.get_by_role("heading", name="Your partnerships")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Bromley and Oxleas mental health (s31)", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Bromley and Oxleas mental health (s31)"
    )
    expect(page.get_by_text("£3,787,914")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="See the s117 aftercare register").click()
    expect(page.get_by_role("heading", name="Section 117 aftercare register")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="BR-S117-0002").click()
    expect(page.get_by_text("999 000 0026")).to_be_visible()
    assert_accessible(page)
    assert AccessLog.objects.filter(
        user__username="s117.officer", entry__person_reference="BR-S117-0002"
    ).exists()


def test_scrutiny_officer_sees_the_agreement_but_no_register(live_demo, page):
    sign_in(page, live_demo.url, "scrutiny.officer", BROWSER_PASSWORD)
    page.get_by_role("link", name="Oxfordshire mental health social work (s75)", exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Oxfordshire mental health social work (s75)"
    )
    expect(page.get_by_role("link", name="See the s117 aftercare register")).to_have_count(0)
    assert_accessible(page)


def test_jmg_member_sees_register_counts_but_no_people(live_demo, page):
    sign_in(page, live_demo.url, "jmg.member", BROWSER_PASSWORD)

    page.goto(f"{live_demo.url}/partnerships/oxfordshire-mh-social-work/s117/")

    expect(
        page.get_by_role("cell", name="Older Adults Mental Health Social Work Team")
    ).to_be_visible()
    expect(page.get_by_role("heading", name="People on the register")).to_have_count(0)
    assert_accessible(page)


def test_sign_out_ends_the_session(live_demo, page):
    sign_in(page, live_demo.url, "commissioner", BROWSER_PASSWORD)

    page.get_by_role("button", name="Sign out").click()

    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    page.goto(f"{live_demo.url}/")
    expect(page).to_have_url(f"{live_demo.url}/sign-in/?next=/")


def test_accessibility_check_catches_a_violation(live_demo, page):
    page.goto(f"{live_demo.url}/sign-in/")
    page.evaluate("document.querySelector('#id_username').removeAttribute('id')")  # orphan label

    with pytest.raises(AssertionError, match="label"):
        assert_accessible(page)


def test_jmg_member_walks_every_dashboard_section(live_demo, page):
    sign_in(page, live_demo.url, "jmg.member", BROWSER_PASSWORD)
    expect(page.get_by_text(bromley_end_flag())).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Bromley and Oxleas mental health (s31)", exact=True).click()
    assert_accessible(page)
    nav = page.get_by_role("navigation", name="Partnership sections")

    nav.get_by_role("link", name="Pooled budget").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Pooled budget")
    expect(page.get_by_role("cell", name="£16,828,651").first).to_be_visible()
    assert_accessible(page)

    for section, heading in [
        ("Staffing", "Staffing"),
        ("Caseload and activity", "Caseload and activity"),
        ("s117 aftercare", "Section 117 aftercare register"),
        ("KPIs", "Key performance indicators"),
        ("Action plan", "Action plan"),
    ]:
        page.get_by_role("navigation", name="Partnership sections").get_by_role(
            "link", name=section
        ).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        assert_accessible(page)

    page.get_by_role("link", name="Compare partnerships").click()
    expect(page.get_by_role("table", name="Partnerships compared")).to_be_visible()
    assert_accessible(page)


def test_jmg_member_changes_quarter_sorts_filters_and_downloads(live_demo, page):
    sign_in(page, live_demo.url, "jmg.member", BROWSER_PASSWORD)
    page.goto(f"{live_demo.url}/partnerships/oxfordshire-mh-social-work/staffing/")

    page.get_by_label("Quarter", exact=True).select_option("2019/20-Q2")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_text("posts, 41.5 WTE")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="WTE").first.click()
    expect(page.locator("th[aria-sort=ascending]").first).to_contain_text("WTE")
    assert_accessible(page)

    page.get_by_label("Employment basis").select_option("seconded")
    page.get_by_role("button", name="Filter posts").click()
    posts = page.get_by_role("table", name="Posts", exact=True)
    expect(posts.get_by_role("row")).to_have_count(6)  # the header and 5 seconded posts
    assert_accessible(page)

    with page.expect_download() as download:
        page.locator("a[href*='posts-export=csv']").click()
    content = download.value.path().read_text()
    assert content.splitlines()[0].startswith("Post,Team,Role,WTE")
    assert len(content.splitlines()) == 6


def test_jmg_member_reads_caseload_chart_and_its_figures(live_demo, page):
    sign_in(page, live_demo.url, "jmg.member", BROWSER_PASSWORD)
    page.goto(
        f"{live_demo.url}/partnerships/oxfordshire-mh-social-work/caseload/?period=2019/20-Q2"
    )

    chart = page.get_by_role("img", name="Bar chart of open cases by team")
    expect(chart).to_be_visible()
    page.get_by_text("The figures in this chart").first.click()
    expect(
        page.get_by_role("rowheader", name="North and West Oxfordshire AMHT").first
    ).to_be_visible()
    assert_accessible(page)


def test_commissioner_uploads_a_return_and_a_jmg_member_signs_it_off(live_demo, browser, page):
    from pathlib import Path

    example = (
        Path(__file__).resolve().parent.parent
        / "fixtures/examples/return-bromley-oxleas-mh-2022-23-Q4.csv"
    )
    sign_in(page, live_demo.url, "commissioner", BROWSER_PASSWORD)
    page.goto(f"{live_demo.url}/partnerships/bromley-oxleas-mh/returns/")
    assert_accessible(page)
    page.get_by_label("Quarter", exact=True).select_option("2022/23-Q4")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Return for 2022/23 Q4")
    assert_accessible(page)

    page.get_by_label("Upload the filled-in return").set_input_files(str(example))
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_text("add 6 new figures and change 0")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Save these figures").click()
    expect(page.get_by_text("Saved: 6 new and 0 changed figures")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Check the return and submit it").click()
    expect(page.get_by_role("heading", name="Submit the return")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Submit for sign-off").click()
    expect(page.get_by_text("Submitted for sign-off by the JMG.")).to_be_visible()

    jmg = browser.new_context().new_page()
    sign_in(jmg, live_demo.url, "jmg.member", BROWSER_PASSWORD)
    jmg.goto(f"{live_demo.url}/partnerships/bromley-oxleas-mh/returns/2022-23-Q4/")
    jmg.get_by_role("button", name="Check the figures and sign off").click()
    expect(
        jmg.get_by_role("table", name="Pooled budget: forecast outturn and spend to date (£)")
    ).to_be_visible()
    expect(jmg.get_by_text("+£82,553.00 on a plan of £16,828,651.00")).to_be_visible()
    assert_accessible(jmg)
    jmg.get_by_label("Comment (optional)").fill("Oxleas forecast agreed at the JMG.")
    jmg.get_by_role("button", name="Confirm and sign off").click()
    expect(jmg.get_by_text("Signed off.")).to_be_visible()
    expect(jmg.get_by_text("Oxleas forecast agreed at the JMG.")).to_be_visible()
    assert_accessible(jmg)
    jmg.get_by_role("link", name="Every change to this quarter's figures").click()
    expect(jmg.get_by_role("table", name="Every change, newest first")).to_be_visible()
    assert_accessible(jmg)
    jmg.goto(f"{live_demo.url}/partnerships/bromley-oxleas-mh/budget/?period=2022/23-Q4")
    expect(jmg.get_by_role("cell", name="£16,911,204")).to_be_visible()


def test_bad_return_file_shows_every_problem_accessibly(live_demo, page, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "partnership,period,section,item,measure,value\n"
        "bromley-oxleas-mh,2022/23-Q4,contribution,LBB,forecast,-5\n"
        "bromley-oxleas-mh,2022/23-Q4,kpi,KPI 9,value,80\n"
    )
    sign_in(page, live_demo.url, "commissioner", BROWSER_PASSWORD)
    page.goto(f"{live_demo.url}/partnerships/bromley-oxleas-mh/returns/2022-23-Q4/")

    page.get_by_label("Upload the filled-in return").set_input_files(str(bad))
    page.get_by_role("button", name="Check the file").click()

    expect(page.get_by_role("heading", name="The file was not saved")).to_be_visible()
    expect(
        page.get_by_text("Row 2, column value (LBB forecast outturn) '-5': is negative")
    ).to_be_visible()
    expect(page.get_by_text("Row 3, column item 'KPI 9'")).to_be_visible()
    assert_accessible(page)


def test_commissioner_enters_a_quarter_by_form(live_demo, page):
    sign_in(page, live_demo.url, "commissioner", BROWSER_PASSWORD)
    page.goto(f"{live_demo.url}/partnerships/bromley-oxleas-mh/returns/2022-23-Q4/")
    page.get_by_role("link", name="Enter the figures in a form instead").click()
    assert_accessible(page)

    page.get_by_label("LBB forecast outturn", exact=True).fill("-5")
    page.get_by_role("button", name="Check the figures").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="LBB forecast outturn: is negative").click()
    expect(page.get_by_label("LBB forecast outturn", exact=True)).to_be_focused()
    page.get_by_label("LBB forecast outturn", exact=True).fill("1650000.00")
    page.get_by_role("button", name="Check the figures").click()
    expect(page.get_by_text("add 1 new figure")).to_be_visible()
    page.get_by_role("button", name="Save these figures").click()
    expect(page.get_by_text("Saved: 1 new and 0 changed figures")).to_be_visible()
    assert_accessible(page)


def test_s117_officer_uploads_the_register_and_reads_its_history(live_demo, page, tmp_path):
    from tests.s117.test_register_file import EXAMPLE, file_with

    bad = tmp_path / "bad.csv"
    bad.write_bytes(file_with((3, "nhs_number", "9990000027")))
    sign_in(page, live_demo.url, "s117.officer", BROWSER_PASSWORD)
    page.goto(f"{live_demo.url}/partnerships/bromley-oxleas-mh/s117/")
    page.get_by_role("link", name="Upload the register").click()
    expect(page.get_by_role("heading", name="Upload the s117 register")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Upload the register").set_input_files(str(bad))
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("heading", name="The file was not saved")).to_be_visible()
    expect(page.get_by_text("Row 3, column nhs_number")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Upload the register").set_input_files(str(EXAMPLE))
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("heading", name="Check the changes before saving")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Save these changes").click()

    expect(page.get_by_role("heading", name="Changes to the s117 register")).to_be_visible()
    expect(page.get_by_text("1 new and 1 changed entries")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="BR-S117-0001").first.click()
    expect(page.get_by_role("heading", name="History of BR-S117-0001")).to_be_visible()
    assert_accessible(page)


def test_an_officer_whose_file_is_out_of_date_is_told_checks_again_and_cancels(
    live_demo, browser, page, tmp_path, django_user_model
):
    """Two officers check files taken from the same register; the second to save is told
    the register changed, sees the file checked again, and cancels it."""
    from partnerships.models import Agreement, Membership
    from tests.s117.test_register_file import file_with

    second = django_user_model.objects.create_user("s117.second", password=BROWSER_PASSWORD)
    Membership.objects.create(
        user=second, agreement=Agreement.objects.get(slug="bromley-oxleas-mh"), role="s117_officer"
    )
    ours, theirs = tmp_path / "register.csv", tmp_path / "theirs.csv"
    ours.write_bytes(file_with((4, "review_due", "2027-07-01")))
    theirs.write_bytes(file_with((3, "review_due", "2027-06-01")))
    upload = f"{live_demo.url}/partnerships/bromley-oxleas-mh/s117/upload/"
    other = browser.new_context().new_page()
    for tab, who, file in ((page, "s117.officer", ours), (other, "s117.second", theirs)):
        sign_in(tab, live_demo.url, who, BROWSER_PASSWORD)
        tab.goto(upload)
        tab.get_by_label("Upload the register").set_input_files(str(file))
        tab.get_by_role("button", name="Check the file").click()
        expect(tab.get_by_role("heading", name="Check the changes before saving")).to_be_visible()

    other.get_by_role("button", name="Save these changes").click()
    expect(other.get_by_role("heading", name="Changes to the s117 register")).to_be_visible()
    page.get_by_role("button", name="Save these changes").click()

    expect(page.get_by_role("heading", name="The file was not saved")).to_be_visible()
    expect(page.get_by_text("The register changed since you checked this file")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Check register.csv again").click()
    expect(page.get_by_role("heading", name="Check the changes before saving")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Cancel: don't save this file").click()
    expect(
        page.get_by_text("The checked file was not saved, and has been deleted.")
    ).to_be_visible()
    assert_accessible(page)


def test_scrutiny_officer_finds_and_downloads_a_published_report(live_demo, page):
    from reports.models import PublishedVersion

    sign_in(page, live_demo.url, "scrutiny.officer", BROWSER_PASSWORD)
    page.get_by_role("link", name="Report library").click()
    expect(page.get_by_role("heading", name="Report library")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Partnership").select_option(
        label="Oxfordshire mental health social work (s75)"
    )
    page.get_by_label("Period").fill("2019/20")
    page.get_by_role("button", name="Show reports").click()
    expect(page.get_by_role("caption")).to_have_text("Published reports (1)")
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="PDF of Oxfordshire").click()
    version = PublishedVersion.objects.get(report__kind="scrutiny", number=1)
    with open(download.value.path(), "rb") as pdf:
        assert pdf.read() == bytes(version.pdf)

    page.get_by_role(
        "link",
        name="Oxfordshire mental health social work (s75): report to scrutiny, 2019/20",
        exact=True,
    ).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("report to scrutiny")
    expect(page.get_by_text("Version 1, published")).to_be_visible()
    assert_accessible(page)


def test_commissioner_drafts_and_publishes_a_jmg_paper(live_demo, page):
    sign_in(page, live_demo.url, "commissioner", BROWSER_PASSWORD)
    page.goto(f"{live_demo.url}/partnerships/bromley-oxleas-mh/reports/")
    assert_accessible(page)
    page.get_by_label("JMG quarterly paper").check()
    page.get_by_label("Period").fill("2022/23-Q4")
    page.get_by_role("button", name="Start the draft").click()

    expect(page.get_by_role("heading", name="What publishing will hide")).to_be_visible()
    expect(page.get_by_text("5: a small count").first).to_be_visible()
    assert_accessible(page)
    page.get_by_role("textbox", name="Summary").fill(
        "Spending is slightly over plan.\n\nVacancies persist."
    )
    page.get_by_role("button", name="Save the narrative").click()
    expect(
        page.get_by_text("Narrative saved: Summary, 2 paragraphs; Items for decision")
    ).to_be_visible()
    expect(page.get_by_text("Vacancies persist.").last).to_be_visible()

    page.get_by_role("button", name="Publish version 1").click()
    expect(page.get_by_text("Published version 1.")).to_be_visible()
    assert_accessible(page)


def test_jmg_member_sets_when_returns_are_due(live_demo, page):
    sign_in(page, live_demo.url, "jmg.member", BROWSER_PASSWORD)
    page.goto(f"{live_demo.url}/partnerships/bromley-oxleas-mh/returns/")
    assert_accessible(page)
    page.get_by_role("link", name="Change when returns are due").click()
    assert_accessible(page)

    page.get_by_label("Working days after the quarter ends for the return").fill("none")
    page.get_by_role("button", name="Save the timetable").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Working days after the quarter ends for the return").fill("15")
    page.get_by_role("button", name="Save the timetable").click()
    expect(
        page.get_by_text("Returns are due 15 working days after the quarter ends")
    ).to_be_visible()
    assert_accessible(page)


def test_commissioner_fills_in_a_section_of_the_task_list(live_demo, page):
    sign_in(page, live_demo.url, "commissioner", BROWSER_PASSWORD)
    page.goto(f"{live_demo.url}/partnerships/bromley-oxleas-mh/returns/2022-23-Q4/")
    assert_accessible(page)

    page.locator(".govuk-task-list").get_by_role("link", name="KPIs").click()
    page.get_by_role("button", name="Save and return to the task list").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("KPI 1 Care Act assessments completed within 28 days").fill("70")
    page.get_by_label("Yes, I've completed this section").check()
    page.get_by_role("button", name="Save and return to the task list").click()
    expect(page.get_by_text("Saved: KPIs.")).to_be_visible()
    expect(page.locator("#task-kpi-status")).to_have_text("Completed")
    assert_accessible(page)


RIVERSIDE = "/partnerships/riverside-integrated-care-illustrative"


def test_commissioner_reads_every_fund_and_revises_one_with_a_virement(live_demo, page):
    sign_in(page, live_demo.url, "commissioner", BROWSER_PASSWORD)
    page.goto(f"{live_demo.url}{RIVERSIDE}/budget/?period=2026/27-Q3")
    expect(page.get_by_role("table", name="The agreement's funds in 2026/27, as at 2026/27 Q3"))
    expect(page.get_by_role("heading", name="Pots in Better Care Fund")).to_be_visible()
    expect(page.get_by_text("not yet reported at 2026/27 Q3").first).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Revise Better Care Fund").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Revise Better Care Fund, 2026/27")
    assert_accessible(page)
    page.get_by_role("button", name="Save the revision").click()  # nothing entered
    expect(page.get_by_role("alert")).to_contain_text("Say why the budget is being revised")
    assert_accessible(page)

    page.get_by_label("Day").fill("20")
    page.get_by_label("Month").fill("11")
    page.get_by_label("Year").fill("2026")
    page.get_by_label("Why the budget is being revised").fill("Winter pressures")
    page.get_by_label("Virement 1: whose money").select_option(label="RC")
    page.get_by_label("Virement 1: from pot").select_option(label="Discharge fund")
    page.get_by_label("Virement 1: to pot").select_option(label="Disabled facilities grant")
    page.get_by_label("Virement 1: amount").fill("10,000.00")
    page.get_by_role("button", name="Save the revision").click()

    expect(page.get_by_text("Better Care Fund 2026/27 is revised.")).to_be_visible()
    expect(page.get_by_text("£10,000.00 of RC's money moved from Discharge fund")).to_be_visible()
    assert_accessible(page)


def test_commissioner_adds_a_fund_of_two_pots_and_sets_a_years_budget_on_the_task_list(
    live_demo, page
):
    sign_in(page, live_demo.url, "commissioner", BROWSER_PASSWORD)
    page.goto(f"{live_demo.url}{RIVERSIDE}/budget/?period=2026/27-Q3")
    page.get_by_role("link", name="add a fund").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a fund")
    assert_accessible(page)

    page.get_by_label("Name of the fund").fill("Integrated care (illustrative)")
    first = page.locator("fieldset", has=page.get_by_text("Pot 1", exact=True))
    first.get_by_label("Name of the pot").fill("Pooled")
    first.get_by_label("RC's contribution").fill("1,000,000.01")
    second = page.locator("fieldset", has=page.get_by_text("Pot 2", exact=True))
    second.get_by_label("Name of the pot").fill("Pooled aligned")
    second.get_by_label("RV ICB's contribution").fill("250000.5")
    page.get_by_label("RC's agreed share").fill("80")
    page.get_by_label("RV ICB's agreed share").fill("19.99")
    page.get_by_role("button", name="Add the fund").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("RV ICB's agreed share").fill("20")
    page.get_by_role("button", name="Add the fund").click()
    expect(page.get_by_text("£1,000,000.01").first).to_be_visible()
    expect(page.get_by_text("80.00%").first).to_be_visible()
    assert_accessible(page)

    page.goto(f"{live_demo.url}{RIVERSIDE}/returns/2026-27-Q3/")
    page.locator(".govuk-task-list").get_by_role("link", name=re.compile("year's budget")).click()
    expect(page.get_by_label("Budget revision: why")).to_be_visible()
    assert_accessible(page)


def test_s117_officer_reads_a_persons_packages_and_searches_the_register(live_demo, page):
    sign_in(page, live_demo.url, "s117.officer", BROWSER_PASSWORD)
    register = f"{live_demo.url}/partnerships/bromley-oxleas-mh/s117/"
    page.goto(register)
    expect(page.get_by_role("table", name="By primary support reason")).to_be_visible()
    page.get_by_label("NHS number or reference").fill("999 000 0018")
    page.get_by_role("button", name="Find").click()
    expect(page.get_by_text("1 person found")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="BR-S117-0001").click()
    expect(page.get_by_role("table", name="Spend in 2026/27, by who pays")).to_be_visible()
    expect(page.get_by_role("table", name="Joint funding decisions")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Add an aftercare package").click()
    page.get_by_role("button", name="Add the package").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert_accessible(page)

    page.go_back()
    page.go_back()
    page.get_by_role("link", name=re.compile("Record a joint funding decision")).first.click()
    assert_accessible(page)


def test_s117_officer_records_a_review_and_a_commissioner_reads_a_funds_agreed_shares(
    live_demo, browser, page
):
    sign_in(page, live_demo.url, "s117.officer", BROWSER_PASSWORD)
    page.goto(f"{live_demo.url}/partnerships/bromley-oxleas-mh/s117/people/BR-S117-0002/")
    page.get_by_role("link", name="Record a review").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record a review")
    assert_accessible(page)
    page.get_by_role("button", name="Record the review").click()  # nothing entered
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert_accessible(page)

    commissioner = browser.new_page()
    sign_in(commissioner, live_demo.url, "commissioner", BROWSER_PASSWORD)
    commissioner.goto(f"{live_demo.url}{RIVERSIDE}/budget/?period=2026/27-Q3")
    commissioner.get_by_role("link", name=re.compile("Agreed shares of")).first.click()
    expect(commissioner.get_by_role("heading", level=1)).to_contain_text("Agreed shares")
    assert_accessible(commissioner)
    commissioner.close()


def test_commissioner_writes_two_sections_saves_once_and_is_warned_before_losing_typing(
    live_demo, page
):
    sign_in(page, live_demo.url, "commissioner", BROWSER_PASSWORD)
    page.goto(f"{live_demo.url}/partnerships/oxfordshire-mh-social-work/reports/")
    page.get_by_label("Scrutiny report").check()
    page.get_by_label("Period").fill("2018/19-Q4")
    page.get_by_role("button", name="Start the draft").click()
    page.get_by_role("textbox", name="Background").fill("Why the committee asked.")
    page.get_by_role("textbox", name="Conclusions").fill("The partnership is steady.")
    page.get_by_role("button", name="Save the narrative").click()

    expect(
        page.get_by_text("Narrative saved: Background, 1 paragraph; Conclusions")
    ).to_be_visible()
    expect(page.get_by_role("textbox", name="Background")).to_have_value("Why the committee asked.")
    expect(page.get_by_role("textbox", name="Conclusions")).to_have_value(
        "The partnership is steady."
    )
    assert_accessible(page)

    asked = []
    page.on("dialog", lambda dialog: (asked.append(dialog.type), dialog.dismiss()))
    conclusions = page.get_by_role("textbox", name="Conclusions")
    conclusions.press("Control+End")
    conclusions.press_sequentially(" More to say.")
    page.get_by_role("link", name="All reports for").click()
    expect(page.get_by_role("textbox", name="Conclusions")).to_have_value(
        "The partnership is steady. More to say."
    )  # still here: leaving was asked about and declined
    assert asked == ["beforeunload"]


def test_s117_officer_works_through_reviews_due_and_an_entitlements_lifecycle(live_demo, page):
    sign_in(page, live_demo.url, "s117.officer", BROWSER_PASSWORD)
    page.goto(f"{live_demo.url}/partnerships/bromley-oxleas-mh/s117/")
    page.get_by_role("link", name="Reviews due and overdue").click()
    expect(page.get_by_role("heading", name="Reviews due and overdue")).to_be_visible()
    page.get_by_role("link", name="13 weeks").click()
    expect(page.get_by_role("link", name="BR-S117-0003")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="BR-S117-0004").click()
    expect(page.get_by_role("table", name="Who is responsible")).to_be_visible()
    page.get_by_role("link", name="End aftercare by joint decision").click()
    page.get_by_role("button", name="End aftercare").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert_accessible(page)

    page.go_back()
    page.go_back()
    page.get_by_role("link", name="Change who is responsible").click()
    page.get_by_role("button", name="Record the change").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert_accessible(page)

    page.goto(f"{live_demo.url}/partnerships/bromley-oxleas-mh/s117/people/BR-S117-0001/")
    page.get_by_role("link", name=re.compile("Change its review date")).first.click()
    expect(page.get_by_role("heading", name="Change the package's review date")).to_be_visible()
    assert_accessible(page)
    page.go_back()
    page.get_by_role("link", name=re.compile("End the package")).first.click()
    page.get_by_role("button", name="End the package").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert_accessible(page)
