"""What an s117 package costs in a financial year and who pays it, against figures worked
by hand: a week's cost a seventh a day, a year's spread over the year's days, each run of
days under one joint funding decision rounded to the penny, the ICB paying the rest."""

import datetime
import re
from decimal import Decimal

import pytest

from s117.costs import Spend, Split, spend_in_year, split_on
from s117.models import AftercarePackage, FundingDecision, RegisterEntry

D = Decimal
DAY = datetime.date


APRIL_2026 = DAY(2026, 4, 1)


def package(weekly=None, annual=None, start=APRIL_2026, end=None):
    return AftercarePackage(
        description="Supported living",
        weekly_cost=D(weekly) if weekly else None,
        annual_cost=D(annual) if annual else None,
        start_date=start,
        end_date=end,
    )


def test_a_weekly_package_for_a_whole_year_split_half_and_half():
    # £850.00 × 365 / 7 = £44,321.428… → £44,321.43; the council's half £22,160.715 →
    # £22,160.72 (half up), and the ICB the rest, £22,160.71.
    spend = spend_in_year(package(weekly="850.00"), [], D(50), 2026)

    assert spend == Spend(D("22160.72"), D("22160.71"))
    assert spend.total == D("44321.43")


def test_an_annual_package_from_october_costs_its_share_of_the_years_days():
    # 1 October 2026 to 31 March 2027 is 182 days: £44,200.00 × 182 / 365 = £22,039.45.
    spend = spend_in_year(package(annual="44200.00", start=DAY(2026, 10, 1)), [], D(100), 2026)

    assert spend == Spend(D("22039.45"), D("0.00"))


def test_an_annual_package_costs_exactly_its_figure_in_a_year_of_366_days():
    spend = spend_in_year(package(annual="44200.00", start=DAY(2027, 4, 1)), [], D(40), 2027)

    assert spend.total == D("44200.00")
    assert spend.council == D("17680.00")


def test_a_new_panel_decision_changes_the_split_from_its_day():
    # £700 a week: 1 April to 31 December 2026 is 275 days, £27,500.00, half each; 1 January
    # to 31 March 2027 is 90 days, £9,000.00, the council 30%: £2,700.00.
    splits = [Split(DAY(2026, 4, 1), D(50)), Split(DAY(2027, 1, 1), D("30.00"))]

    spend = spend_in_year(package(weekly="700.00"), splits, D(50), 2026)

    assert spend == Spend(D("16450.00"), D("20050.00"))
    assert split_on(DAY(2026, 12, 31), splits, D(50)) == D(50)
    assert split_on(DAY(2027, 1, 1), splits, D(50)) == D("30.00")


def test_spend_to_date_stops_at_the_day_given_and_a_package_ended_before_the_year_costs_nothing():
    # 1 April to 3 December 2026 is 247 days: £700 × 247 / 7 = £24,700.00.
    assert spend_in_year(package(weekly="700.00"), [], D(50), 2026, through=DAY(2026, 12, 3)) == (
        Spend(D("12350.00"), D("12350.00"))
    )
    ended = package(weekly="700.00", start=DAY(2025, 4, 1), end=DAY(2026, 3, 31))
    assert spend_in_year(ended, [], D(50), 2026) == Spend()


def test_before_the_first_decision_the_registers_own_split_applies():
    # £700 a week; the register's split (council 60%) until the panel's 25% from 1 January.
    splits = [Split(DAY(2027, 1, 1), D(25))]

    spend = spend_in_year(package(weekly="700.00"), splits, D(60), 2026)

    assert spend.council == D("16500.00") + D("2250.00")


@pytest.mark.django_db
def test_the_person_page_shows_each_package_its_decisions_and_the_years_spend(
    client, bromley, django_user_model
):
    entry = RegisterEntry.objects.filter(agreement=bromley, ended_on__isnull=True).first()
    entry.packages.all().delete()
    home = AftercarePackage.objects.create(
        entry=entry,
        description="Supported living flat",
        placement=AftercarePackage.Placement.SUPPORTED_LIVING,
        provider="Example Housing",
        weekly_cost=D("700.00"),
        start_date=DAY(2026, 4, 1),
    )
    FundingDecision.objects.create(
        package=home,
        decided_on=DAY(2026, 3, 20),
        applies_from=DAY(2026, 4, 1),
        council_share_percent=D("50.00"),
        agreed_by="Joint funding panel",
    )
    FundingDecision.objects.create(
        package=home,
        decided_on=DAY(2026, 12, 1),
        applies_from=DAY(2027, 1, 1),
        council_share_percent=D("30.00"),
        agreed_by="Joint funding panel",
    )
    client.force_login(django_user_model.objects.get(username="s117.officer"))

    html = client.get(
        f"/partnerships/{bromley.slug}/s117/people/{entry.person_reference}/"
    ).content.decode()
    html = re.sub(r"\s+", " ", html)

    assert "Supported living" in html and "£700.00 a week" in html
    assert "Council 50.00%, ICB 50.00%" in html  # today, 3 December 2026
    assert "Spend in 2026/27, by who pays" in html
    assert "£12,350.00" in html  # each partner's half to 3 December: 247 days
    assert "£36,500.00" in html  # the projected year: £700 × 365 / 7
    assert "1 January 2027" in html and "30.00%" in html and "70.00%" in html
