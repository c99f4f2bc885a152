import pytest

from tests.tasks import smtp

SITE = "https://partnerships.example.gov.uk"
DEMO_USERS = ("jmg.member", "commissioner", "scrutiny.officer", "s117.officer")


@pytest.fixture
def mailbox(settings):
    """A real SMTP server for the test, with the settings pointing Django's SMTP backend
    at it (no TLS, no login: it is on this machine for this test alone)."""
    box = smtp.Mailbox()
    controller = smtp.start(box)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = controller.hostname
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.DEFAULT_FROM_EMAIL = "partnerships@example.gov.uk"
    settings.SITE_URL = SITE
    yield box
    controller.stop()


@pytest.fixture
def addressed(demo, db, django_user_model):
    """The demo users, each with an email address (the demo gives none)."""
    for name in DEMO_USERS:
        django_user_model.objects.filter(username=name).update(email=f"{name}@example.org")
    return {name: f"{name}@example.org" for name in DEMO_USERS}
