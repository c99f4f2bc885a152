"""What the s117 tests share: a register with packages costed by hand."""

import datetime
from decimal import Decimal

import pytest

from s117.models import AftercarePackage, FundingDecision, RegisterEntry

D = Decimal
TODAY = datetime.date(2026, 12, 3)


@pytest.fixture
def costed(bromley):
    """Two people in force with packages: one with mental health support in supported
    living at £700 a week (half each), one with a dual sensory impairment in home care at
    £140 a week from 1 October 2026 and a day service at £3,650.00 a year (council 60%)."""
    first, second = RegisterEntry.objects.filter(
        RegisterEntry.in_force(TODAY), agreement=bromley
    ).order_by("person_reference")[:2]
    RegisterEntry.objects.filter(pk=first.pk).update(
        primary_support_reason="mental_health", council_share_percent=D(50)
    )
    RegisterEntry.objects.filter(pk=second.pk).update(
        primary_support_reason="sensory:dual", council_share_percent=D(60)
    )
    # Only these two: the demo's other people keep no reason and no package.
    RegisterEntry.objects.filter(agreement=bromley).exclude(pk__in=[first.pk, second.pk]).update(
        primary_support_reason=""
    )
    AftercarePackage.objects.filter(entry__agreement=bromley).delete()
    home = AftercarePackage.objects.create(
        entry=first,
        description="Supported living",
        placement="supported_living",
        weekly_cost=D("700.00"),
        start_date=datetime.date(2026, 4, 1),
    )
    FundingDecision.objects.create(
        package=home,
        decided_on=datetime.date(2026, 3, 1),
        applies_from=datetime.date(2026, 4, 1),
        council_share_percent=D(50),
        agreed_by="Joint funding panel",
    )
    AftercarePackage.objects.create(
        entry=second,
        description="Home care",
        placement="home_care",
        weekly_cost=D("140.00"),
        start_date=datetime.date(2026, 10, 1),
    )
    AftercarePackage.objects.create(
        entry=second,
        description="Day service",
        placement="day_services",
        annual_cost=D("3650.00"),
        start_date=datetime.date(2026, 4, 1),
    )
    return first, second
