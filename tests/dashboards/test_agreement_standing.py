"""The agreement page and home say the same of an agreement's standing."""

import pytest
from django.test import Client

from partnerships.models import Agreement, Quarter

pytestmark = pytest.mark.django_db


@pytest.fixture
def jmg(django_user_model):
    client = Client()
    client.force_login(django_user_model.objects.get(username="jmg.member"))
    return client


def test_agreement_page_and_home_agree_that_bromleys_agreement_has_ended(jmg, bromley):
    # Today is 3 December 2026; Bromley's agreement, as extended, ended on 30 November.
    page = jmg.get("/partnerships/bromley-oxleas-mh/").content.decode()
    home = jmg.get("/").content.decode()

    assert '<strong class="govuk-tag govuk-tag--red">Ended on 30 November 2026</strong>' in page
    assert "In force" not in page
    assert "Ended on 30 November 2026" in home


def test_quarters_after_the_end_are_not_offered(jmg, bromley):
    page = jmg.get("/partnerships/bromley-oxleas-mh/returns/").content.decode()

    assert 'value="2026/27-Q3"' in page  # 1 October to 31 December: the term ends within it
    assert 'value="2026/27-Q4"' not in page


def test_an_ended_agreement_is_not_asked_for_figures_of_a_quarter_after_it(jmg, bromley):
    last = Quarter.objects.get(financial_year__start_year=2026, number=1)
    Agreement.objects.filter(pk=bromley.pk).update(end_date=last.end_date)

    home = jmg.get("/").content.decode()

    bromley_row = (
        home.split("Each partnership")[1]
        .split("Bromley and Oxleas")[1]
        .split("app-partnership-card")[0]
    )
    assert "No figures yet" not in bromley_row
    assert "Ended on 30 June 2026" in bromley_row
