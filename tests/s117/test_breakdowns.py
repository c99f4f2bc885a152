"""The register broken down for s117 officers, exactly: people in force and the year's
spend by primary support reason, placement, team and responsible body, every table adding
up to the same total, against figures worked by hand (the `costed` register of
tests/s117/conftest.py)."""

import datetime
import re
from decimal import Decimal

import pytest

from s117.breakdowns import breakdowns

pytestmark = pytest.mark.django_db

D = Decimal
TODAY = datetime.date(2026, 12, 3)


def test_each_table_adds_up_to_the_same_spend_worked_by_hand(bromley, costed):
    tables = {t.title: t for t in breakdowns(bromley, TODAY)["tables"]}

    # To 3 December 2026: supported living 247 days of £700 a week, £24,700.00, half each;
    # home care 64 days of £140 a week, £1,280.00, and the day service 247 days of
    # £3,650.00 a year, £2,470.00, both 60% the council's: £2,250.00 of £3,750.00.
    for table in tables.values():
        assert table.total.to_date.council == D("12350.00") + D("2250.00"), table.title
        assert table.total.to_date.icb == D("12350.00") + D("1500.00"), table.title
    reasons = {line.label: line for line in tables["By primary support reason"].lines}
    assert reasons["Mental health support"].count == 1
    assert reasons["Mental health support"].to_date.total == D("24700.00")
    assert reasons["Sensory support"].to_date.total == D("3750.00")
    # Projected to 31 March 2027: £36,500.00; home care 182 days, £3,640.00; the day
    # service a full year, £3,650.00.
    assert tables["By team"].total.full_year.total == D("36500.00") + D("3640.00") + D("3650.00")
    placements = {line.label: line for line in tables["By placement in force"].lines}
    assert placements["Home care"].count == placements["Day services"].count == 1
    assert placements["Day services"].to_date.total == D("2470.00")


def test_the_officer_sees_the_breakdowns_and_a_jmg_member_does_not(
    client, django_user_model, bromley, costed
):
    client.force_login(django_user_model.objects.get(username="s117.officer"))
    html = re.sub(r"\s+", " ", client.get(f"/partnerships/{bromley.slug}/s117/").content.decode())
    assert "By primary support reason" in html
    assert "£12,350.00" in html and "£36,500.00" in html

    client.force_login(django_user_model.objects.get(username="jmg.member"))
    html = client.get(f"/partnerships/{bromley.slug}/s117/").content.decode()
    assert "By primary support reason" not in html
