"""Sign-in protection: lockout, idle sessions, deactivation, and the production settings."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/?next=/admin/"
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def staff(django_user_model):
    user = django_user_model.objects.create_user(
        "data.officer", password="correct horse battery staple", is_staff=True
    )
    return user


def sign_in(client, username, password, address="192.0.2.10"):
    return client.post(
        LOGIN,
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR=address,
    )


def test_right_password_signs_in(client, staff):
    response = sign_in(client, "data.officer", "correct horse battery staple")

    assert response.status_code == 302
    assert response["Location"] == "/admin/"


def test_user_name_locked_after_five_failures_even_from_new_addresses(client, staff, settings):
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "data.officer", "wrong", address=f"192.0.2.{attempt + 1}")

    response = sign_in(client, "data.officer", "correct horse battery staple", "198.51.100.7")

    assert response.status_code == 429
    assert "too many unsuccessful attempts" in response.content.decode()


def test_address_locked_after_five_failures_even_for_other_names(client, staff, settings):
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, f"guess{attempt}", "wrong", address="203.0.113.9")

    response = sign_in(client, "data.officer", "correct horse battery staple", "203.0.113.9")

    assert response.status_code == 429


def test_fewer_failures_than_the_limit_do_not_lock(client, staff, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, "data.officer", "wrong")

    response = sign_in(client, "data.officer", "correct horse battery staple")

    assert response.status_code == 302


def test_deactivated_user_is_signed_out_on_next_request(client, django_user_model):
    member = django_user_model.objects.get(username="jmg.member")
    client.force_login(member)
    assert client.get("/").status_code == 200
    admin_client = client.__class__()
    admin_client.force_login(django_user_model.objects.get(username="admin"))

    admin_client.post(
        "/admin/auth/user/", {"action": "deactivate", "_selected_action": [member.pk]}
    )

    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/")


def test_session_ends_after_idle_minutes(settings):
    assert settings.SESSION_COOKIE_AGE == 30 * 60


def _expiry(client):
    from django.contrib.sessions.models import Session

    return Session.objects.get(session_key=client.session.session_key).expire_date


def test_a_request_renews_the_idle_clock_at_most_once_a_minute(
    client, django_user_model, monkeypatch
):
    clock = {"minute": 29_000_000}
    monkeypatch.setattr("config.sessions._minute", lambda: clock["minute"])
    client.force_login(django_user_model.objects.get(username="jmg.member"))
    signed_in = _expiry(client)

    assert client.get("/").status_code == 200
    assert _expiry(client) == signed_in  # the same minute as signing in: nothing written

    clock["minute"] += 1
    assert client.get("/").status_code == 200
    renewed = _expiry(client)
    assert renewed > signed_in  # a later minute: the idle clock starts again

    assert client.get("/").status_code == 200
    assert _expiry(client) == renewed


def test_an_idle_session_is_signed_out(client, django_user_model):
    import datetime

    from django.contrib.sessions.models import Session
    from django.utils import timezone

    client.force_login(django_user_model.objects.get(username="jmg.member"))
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1)
    )

    response = client.get("/")

    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/")


def test_an_anonymous_visit_makes_no_session(client):
    from django.contrib.sessions.models import Session

    client.get("/sign-in/")

    assert not Session.objects.exists()


def test_short_or_common_password_is_refused():
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    for weak in ("short1", "password1234", "123456789012"):
        with pytest.raises(ValidationError):
            validate_password(weak)


def test_pages_carry_security_headers(client, settings):
    settings.SECURE_HSTS_SECONDS = 31536000

    response = client.get("/admin/login/", secure=True)

    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "script-src 'self'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")


def test_check_deploy_is_clean_under_production_settings():
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    environment |= {
        "DJANGO_ENV": "production",
        "DJANGO_SECRET_KEY": "k3y-" + "9f2Lq7XzP0vR8sT1wY4uB6nD3mC5hJ" * 2,
        "DJANGO_ALLOWED_HOSTS": "partnerships.example.gov.uk",
        "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/unused",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_behind_a_proxy_lockout_is_per_client_not_per_proxy(client, staff, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            LOGIN,
            {"username": f"guess{attempt}", "password": "wrong"},
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR="203.0.113.9",
        )

    # Two people, so two browsers: the first one's sign-in gives only its own browser a
    # device cookie that would let it through the address lock.
    other_client = client.__class__().post(
        LOGIN,
        {"username": "data.officer", "password": "correct horse battery staple", "next": "/admin/"},
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR="198.51.100.20",
    )
    same_client = client.post(
        LOGIN,
        {"username": "data.officer", "password": "correct horse battery staple"},
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR="203.0.113.9",
    )

    assert other_client.status_code == 302
    assert same_client.status_code == 429


def test_forged_forwarded_addresses_are_ignored(rf, settings):
    from config.client_ip import client_address

    settings.TRUSTED_PROXY_COUNT = 1
    request = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9")

    assert client_address(request) == "203.0.113.9"


def test_without_a_proxy_the_socket_address_is_used(rf, settings):
    from config.client_ip import client_address

    settings.TRUSTED_PROXY_COUNT = 0
    request = rf.get("/", REMOTE_ADDR="192.0.2.7", HTTP_X_FORWARDED_FOR="6.6.6.6")

    assert client_address(request) == "192.0.2.7"
