import pytest
from django.core.management import call_command


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load both seed partnerships once per run; each test runs in a rolled-back transaction."""
    with django_db_blocker.unblock():
        call_command("load_demo", verbosity=0, passwords=False)


@pytest.fixture
def oxfordshire(db):
    from partnerships.models import Agreement

    return Agreement.objects.get(slug="oxfordshire-mh-social-work")


@pytest.fixture
def bromley(db):
    from partnerships.models import Agreement

    return Agreement.objects.get(slug="bromley-oxleas-mh")
