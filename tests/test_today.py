"""The fixed day of tests/today.py: in force for every test, real for one that asks."""

import datetime
import time

import pytest
from django.utils import timezone
from time_machine import escape_hatch

from tests.today import TODAY


def test_every_test_runs_on_the_fixed_day():
    assert escape_hatch.is_travelling()
    assert timezone.localdate() == TODAY.date()
    assert datetime.date.today() == TODAY.date()
    assert TODAY <= timezone.now() < TODAY + datetime.timedelta(minutes=5)


def test_the_clock_still_runs_on_the_fixed_day():
    """Sessions, lockouts and live servers need time to pass; only the date is fixed."""
    before = timezone.now()
    time.sleep(0.01)

    assert timezone.now() > before


@pytest.mark.real_today
def test_a_test_about_today_runs_on_the_real_clock():
    assert not escape_hatch.is_travelling()
