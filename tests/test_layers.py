"""The layers of tests/layers.py hold: a unit test sees no demo seed, in a full run too,
and a test is placed by what it uses."""

import pytest

from partnerships.models import Agreement
from tests.factories import AgreementFactory

pytestmark = pytest.mark.django_db

DEMO = ["oxfordshire-mh-social-work", "bromley-oxleas-mh"]


def test_a_unit_test_runs_on_a_database_without_the_demo_seed(request):
    AgreementFactory()

    assert request.node.get_closest_marker("unit")
    assert not Agreement.objects.filter(slug__in=DEMO).exists()
    assert Agreement.objects.count() == 1


def test_a_test_that_asks_for_the_seed_is_an_integration_test(request, bromley):
    assert request.node.get_closest_marker("integration")
    assert not request.node.get_closest_marker("unit")
    assert Agreement.objects.filter(slug__in=DEMO).count() == 2


def test_a_test_that_opens_a_page_is_an_integration_test(request, client):
    assert request.node.get_closest_marker("integration")
