"""Email settings come from the environment; without a mail server, or in debug, mail goes
to the console, so that a development machine never emails anyone."""

from tests.test_settings import PRODUCTION, run_settings

SHOW = "s.EMAIL_BACKEND.rsplit('.', 2)[1], s.EMAIL_HOST or '-', s.EMAIL_PORT, s.EMAIL_USE_TLS"
SMTP = {
    "EMAIL_HOST": "smtp.example.gov.uk",
    "EMAIL_PORT": "2525",
    "EMAIL_HOST_USER": "reminders",
    "EMAIL_HOST_PASSWORD": "secret",
    "EMAIL_USE_TLS": "0",
    "DEFAULT_FROM_EMAIL": "partnerships@example.gov.uk",
    "SITE_URL": "https://partnerships.example.gov.uk/",
}


def test_development_writes_mail_to_the_console():
    result = run_settings(show=SHOW, **SMTP)

    assert result.stdout.split() == ["console", "smtp.example.gov.uk", "2525", "False"]


def test_production_sends_through_the_mail_server_it_is_given():
    result = run_settings(
        show=f"{SHOW}, s.EMAIL_HOST_USER, s.DEFAULT_FROM_EMAIL, s.SITE_URL", **PRODUCTION, **SMTP
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "smtp",
        "smtp.example.gov.uk",
        "2525",
        "False",
        "reminders",
        "partnerships@example.gov.uk",
        "https://partnerships.example.gov.uk",
    ]


def test_production_without_a_mail_server_writes_to_the_console():
    result = run_settings(show=SHOW, **PRODUCTION)

    assert result.stdout.split()[:2] == ["console", "-"]
