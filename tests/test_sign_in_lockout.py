"""Sign-in lockout at a shared address (docs/adr/0012).

Many people share one address behind a council NAT or a proxy. A user name is locked after
five failures from anywhere; an address is locked only when failures for five different
user names have come from it, and even then not for a browser that has signed in as the
user name being tried (its device cookie).
"""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

from config import trusted_device

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
SIGN_IN = "/sign-in/"
COUNCIL = "198.51.100.1"  # one address for everyone in the council's offices
ELSEWHERE = "192.0.2.44"
PROXY = "10.0.0.1"  # our own nginx, as the application sees it


@pytest.fixture
def officers(django_user_model):
    for name in ("a.fielding", "b.okafor", "c.nwosu"):
        django_user_model.objects.create_user(name, password=f"{name} right password")


def sign_in(browser, username, password=None, *, address=COUNCIL, forwarded=None):
    """Post the sign-in form as `browser` (a test Client, which keeps its cookies)."""
    extra = {"REMOTE_ADDR": address}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    password = password or f"{username} right password"
    return browser.post(SIGN_IN, {"username": username, "password": password}, **extra)


def sign_out(browser):
    """The sign-out button (the test Client's own logout() would also drop every cookie)."""
    assert browser.post("/sign-out/").status_code == 302


def spray(browser, limit, **where):
    """One wrong password each for `limit` different user names, none of which exists."""
    for n in range(limit):
        sign_in(browser, f"guess.{n}", "Summer2025!", **where)


def signed_in(response):
    return response.status_code == 302 and response["Location"] == "/"


def locked_out(response):
    return response.status_code == 429 and "Sign-in is locked for now" in response.content.decode()


# (a) A shared address can't lock out a user who signs in correctly.


def test_five_wrong_passwords_for_one_user_do_not_lock_the_address(officers, settings):
    colleague = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(colleague, "a.fielding", "wrong")

    assert signed_in(sign_in(Client(), "b.okafor"))


def test_the_user_who_failed_is_still_locked_from_every_address(officers, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(Client(), "a.fielding", "wrong")

    assert locked_out(sign_in(Client(), "a.fielding", address=ELSEWHERE))


def test_a_browser_that_signed_in_before_is_not_held_by_a_locked_address(officers, settings):
    own_desk = Client()
    assert signed_in(sign_in(own_desk, "b.okafor", address=ELSEWHERE))
    sign_out(own_desk)
    spray(Client(), settings.SIGNIN_ADDRESS_NAME_LIMIT)

    assert signed_in(sign_in(own_desk, "b.okafor"))


def test_trying_at_a_locked_address_does_not_lock_the_users_own_name(officers, settings):
    spray(Client(), settings.SIGNIN_ADDRESS_NAME_LIMIT)
    new_browser = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        assert locked_out(sign_in(new_browser, "b.okafor"))

    assert signed_in(sign_in(Client(), "b.okafor", address=ELSEWHERE))


# (b) Password spraying from one address across many user names is still limited.


def test_failures_for_five_user_names_lock_the_address_for_new_browsers(officers, settings):
    spray(Client(), settings.SIGNIN_ADDRESS_NAME_LIMIT)

    assert locked_out(sign_in(Client(), "b.okafor"))  # even with the right password
    assert signed_in(sign_in(Client(), "b.okafor", address=ELSEWHERE))


def test_failures_for_four_user_names_leave_the_address_open(officers, settings):
    spray(Client(), settings.SIGNIN_ADDRESS_NAME_LIMIT - 1)

    assert signed_in(sign_in(Client(), "b.okafor"))


def test_signing_in_to_ones_own_account_does_not_reset_the_address(officers, settings):
    sprayer = Client()
    spray(sprayer, settings.SIGNIN_ADDRESS_NAME_LIMIT - 1)
    assert signed_in(sign_in(sprayer, "c.nwosu"))  # the sprayer's own account
    sign_out(sprayer)
    sign_in(sprayer, "one.more.guess", "Summer2025!")

    assert locked_out(sign_in(Client(), "b.okafor"))


def test_a_device_cookie_only_vouches_for_the_user_it_was_given_to(officers, settings):
    browser = Client()
    assert signed_in(sign_in(browser, "c.nwosu", address=ELSEWHERE))
    sign_out(browser)
    spray(Client(), settings.SIGNIN_ADDRESS_NAME_LIMIT)

    assert locked_out(sign_in(browser, "b.okafor"))


def test_a_forged_device_cookie_is_ignored(officers, settings):
    spray(Client(), settings.SIGNIN_ADDRESS_NAME_LIMIT)
    browser = Client()
    honest = trusted_device.cookie_value("b.okafor")
    browser.cookies[trusted_device.COOKIE] = honest[:-1] + ("A" if honest[-1] != "A" else "B")

    assert locked_out(sign_in(browser, "b.okafor"))


def test_an_expired_device_cookie_is_ignored(officers, settings):
    browser = Client()
    assert signed_in(sign_in(browser, "b.okafor", address=ELSEWHERE))
    sign_out(browser)
    spray(Client(), settings.SIGNIN_ADDRESS_NAME_LIMIT)
    settings.SIGNIN_DEVICE_COOKIE_AGE = -1  # every cookie is older than this

    assert locked_out(sign_in(browser, "b.okafor"))


def test_signing_in_gives_the_browser_a_device_cookie_that_hides_the_name(officers):
    response = sign_in(Client(), "b.okafor")

    cookie = response.cookies[trusted_device.COOKIE]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Strict"
    assert cookie["max-age"] == 90 * 24 * 60 * 60
    assert "b.okafor" not in cookie.value


# (c) Behind one proxy: each client is counted by the address our proxy saw.


def proxy_count_from_environment(**env):
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    environment.pop("DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "-c", "import config.settings as s; print(s.TRUSTED_PROXY_COUNT)"],
        cwd=ROOT,
        env=environment | env,
        capture_output=True,
        text=True,
        check=True,
    )
    return int(result.stdout)


def test_behind_the_tls_proxy_clients_are_counted_apart_by_default(officers, settings):
    settings.TRUSTED_PROXY_COUNT = proxy_count_from_environment(DJANGO_BEHIND_TLS_PROXY="1")
    sprayer = "203.0.113.9"
    spray(Client(), settings.SIGNIN_ADDRESS_NAME_LIMIT, address=PROXY, forwarded=sprayer)

    other_client = sign_in(Client(), "b.okafor", address=PROXY, forwarded="198.51.100.20")
    the_sprayer = sign_in(Client(), "b.okafor", address=PROXY, forwarded=sprayer)

    assert signed_in(other_client)
    assert locked_out(the_sprayer)


def test_a_forged_left_part_of_x_forwarded_for_is_ignored(officers, settings):
    settings.TRUSTED_PROXY_COUNT = proxy_count_from_environment(DJANGO_BEHIND_TLS_PROXY="1")
    sprayer = "203.0.113.9"
    spray(Client(), settings.SIGNIN_ADDRESS_NAME_LIMIT, address=PROXY, forwarded=sprayer)

    # nginx appends the address it saw to whatever the client wrote.
    forged = sign_in(Client(), "b.okafor", address=PROXY, forwarded=f"198.51.100.20, {sprayer}")
    honest = sign_in(Client(), "b.okafor", address=PROXY, forwarded="198.51.100.20")

    assert locked_out(forged)
    assert signed_in(honest)


def test_a_forwarded_entry_that_is_not_an_address_is_not_used(rf, settings):
    from config.client_ip import client_address

    settings.TRUSTED_PROXY_COUNT = 1
    request = rf.get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.9, unknown")

    assert client_address(request) == PROXY


# (d) The lockout page still shows, and nothing tells whether a user name exists.


def test_the_lockout_page_says_how_long_to_wait(officers, settings):
    spray(Client(), settings.SIGNIN_ADDRESS_NAME_LIMIT)

    response = sign_in(Client(), "b.okafor")

    assert response.status_code == 429
    assert "registration/locked_out.html" in [t.name for t in response.templates]
    assert "Try again in 30 minutes." in response.content.decode()


def main_content(response):
    html = response.content.decode()
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)


def test_a_wrong_password_reads_the_same_for_a_real_and_a_made_up_name(officers):
    real = sign_in(Client(), "b.okafor", "wrong", address="192.0.2.1")
    made_up = sign_in(Client(), "no.such.person", "wrong", address="192.0.2.2")

    assert real.status_code == made_up.status_code == 200
    assert main_content(real).replace("b.okafor", "NAME") == main_content(made_up).replace(
        "no.such.person", "NAME"
    )


def test_a_locked_name_reads_the_same_whether_or_not_it_exists(officers, settings):
    for name in ("b.okafor", "no.such.person"):
        for attempt in range(settings.AXES_FAILURE_LIMIT):
            sign_in(Client(), name, "wrong", address=f"192.0.2.{attempt + 1}")

    real = sign_in(Client(), "b.okafor", address=ELSEWHERE)
    made_up = sign_in(Client(), "no.such.person", "whatever", address=ELSEWHERE)

    assert locked_out(real) and locked_out(made_up)
    assert main_content(real) == main_content(made_up)


def test_a_locked_address_reads_the_same_for_a_real_and_a_made_up_name(officers, settings):
    spray(Client(), settings.SIGNIN_ADDRESS_NAME_LIMIT)

    real = sign_in(Client(), "b.okafor")
    made_up = sign_in(Client(), "no.such.person", "whatever")

    assert locked_out(real) and locked_out(made_up)
    assert main_content(real) == main_content(made_up)
