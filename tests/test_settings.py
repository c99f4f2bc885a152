"""Settings read the environment; production refuses to start without its secrets."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_settings(show="s.DATABASES['default']['ENGINE'], s.DEBUG", **env):
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    environment.pop("DATABASE_URL", None)
    environment.update(env)
    # Runs this interpreter on code from this file, never on outside input.
    return subprocess.run(  # noqa: S603
        [sys.executable, "-c", f"import config.settings as s; print({show})"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )


def test_development_defaults_to_sqlite_with_debug():
    result = run_settings()

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.db.backends.sqlite3", "True"]


def test_database_url_switches_to_postgresql():
    result = run_settings(DATABASE_URL="postgres://postgres@127.0.0.1:5432/anything")

    assert result.stdout.split()[0] == "django.db.backends.postgresql"


PRODUCTION = {
    "DJANGO_ENV": "production",
    "DJANGO_SECRET_KEY": "x" * 50,
    "DJANGO_ALLOWED_HOSTS": "example.gov.uk",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/anything",
}


def production_without(name):
    return {key: value for key, value in PRODUCTION.items() if key != name}


def test_production_without_secret_key_fails_with_a_hint():
    result = run_settings(**production_without("DJANGO_SECRET_KEY"))

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr
    assert "secrets.token_urlsafe" in result.stderr


def test_production_without_allowed_hosts_fails_with_a_hint():
    result = run_settings(**production_without("DJANGO_ALLOWED_HOSTS"))

    assert result.returncode != 0
    assert "DJANGO_ALLOWED_HOSTS is not set" in result.stderr


def test_production_without_database_url_refuses_sqlite():
    result = run_settings(**production_without("DATABASE_URL"))

    assert result.returncode != 0
    assert "DATABASE_URL is not set" in result.stderr


def test_production_refuses_debug():
    result = run_settings(**PRODUCTION, DJANGO_DEBUG="1")

    assert result.returncode != 0
    assert "DJANGO_DEBUG" in result.stderr


def test_production_turns_debug_off():
    result = run_settings(**PRODUCTION)

    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[1] == "False"


def test_unknown_environment_name_rejected():
    result = run_settings(DJANGO_ENV="staging")

    assert result.returncode != 0
    assert "DJANGO_ENV" in result.stderr


def proxy_count(**env):
    return run_settings(show="s.TRUSTED_PROXY_COUNT", **env)


def test_without_a_proxy_the_socket_address_is_the_client():
    result = proxy_count()

    assert result.stdout.strip() == "0"


def test_behind_the_tls_proxy_one_proxy_is_counted_unless_told_otherwise():
    result = proxy_count(DJANGO_BEHIND_TLS_PROXY="1")

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "1"


def test_the_proxy_count_says_how_many_proxies_there_are():
    result = proxy_count(DJANGO_BEHIND_TLS_PROXY="1", DJANGO_PROXY_COUNT="2")

    assert result.stdout.strip() == "2"


def test_production_refuses_a_tls_proxy_with_no_proxies():
    result = proxy_count(**PRODUCTION, DJANGO_BEHIND_TLS_PROXY="1", DJANGO_PROXY_COUNT="0")

    assert result.returncode != 0
    assert "DJANGO_PROXY_COUNT=0" in result.stderr
    assert "Unset DJANGO_PROXY_COUNT for one proxy" in result.stderr


def test_a_proxy_count_that_is_not_a_number_fails_with_a_hint():
    result = proxy_count(**PRODUCTION, DJANGO_PROXY_COUNT="one")

    assert result.returncode != 0
    assert "DJANGO_PROXY_COUNT is 'one'" in result.stderr
