"""What the home page says needs attention in each partnership, from the demo's figures."""

import datetime

import pytest

from partnerships.models import Agreement
from partnerships.selectors import home_flags

pytestmark = pytest.mark.django_db


def flags_on(day):
    agreements = list(Agreement.objects.all())
    flags = home_flags(agreements, day)
    return {agreement.slug: flags[agreement.pk] for agreement in agreements}


def test_a_partnership_without_the_last_quarters_figures_is_flagged():
    # In May 2023 the figures for 2022/23 Q4 are due: Bromley has sent them, Oxfordshire
    # (whose demo figures are from 2019/20) has not.
    flags = flags_on(datetime.date(2023, 5, 15))

    assert flags["oxfordshire-mh-social-work"] == [
        "No figures yet for 2022/23 Q4 (ended 31 March 2023)"
    ]
    assert flags["bromley-oxleas-mh"] == ["Forecast overspend of £21,587", "1 KPI at red"]


def test_figures_due_are_those_of_the_quarter_just_ended():
    flags = flags_on(datetime.date(2020, 1, 10))

    assert flags["oxfordshire-mh-social-work"] == []
    assert flags["bromley-oxleas-mh"][0] == (
        "No figures yet for 2019/20 Q3 (ended 31 December 2019)"
    )
