"""The address a request came from, for sign-in lockout and nothing else.

With no proxy in front (TRUSTED_PROXY_COUNT=0), it is REMOTE_ADDR. Behind N trusted
proxies that each append the address they saw to X-Forwarded-For, the client is the N-th
address from the right: the one our outermost proxy saw connect. Addresses further left
were written by the client and can be forged, so they are never used.
"""

import ipaddress

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest


def trusted_proxy_count(declared: str | None, *, behind_tls_proxy: bool) -> int:
    """DJANGO_PROXY_COUNT if it is set; otherwise one proxy when DJANGO_BEHIND_TLS_PROXY
    says a TLS proxy stands in front (there is one by definition), and none when not.

    Counting too few proxies makes every client look like our own proxy, so one person's
    failures would count against everyone; counting too many trusts an address the client
    wrote. A TLS proxy with a count of 0 is the first mistake, so it is refused."""
    if declared is None:
        return 1 if behind_tls_proxy else 0
    if not declared.strip().isdigit():
        raise ImproperlyConfigured(
            f"DJANGO_PROXY_COUNT is {declared!r}; set it to how many proxies stand in front "
            "of the application and append to X-Forwarded-For, e.g. DJANGO_PROXY_COUNT=1 "
            "for one nginx, or leave it unset."
        )
    count = int(declared)
    if count == 0 and behind_tls_proxy:
        raise ImproperlyConfigured(
            "DJANGO_PROXY_COUNT=0 says no proxy stands in front of the application, but "
            "DJANGO_BEHIND_TLS_PROXY=1 says a TLS proxy does. Unset DJANGO_PROXY_COUNT for "
            "one proxy, or set it to how many there are (e.g. 2 for a load balancer in "
            "front of nginx)."
        )
    return count


def client_address(request: HttpRequest) -> str | None:
    proxies = settings.TRUSTED_PROXY_COUNT
    remote = request.META.get("REMOTE_ADDR")
    if proxies <= 0:
        return remote
    forwarded = [
        part.strip()
        for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if part.strip()
    ]
    if len(forwarded) < proxies:
        return remote  # not through all our proxies: fall back to the socket's address
    client = forwarded[-proxies]
    if not _is_address(client):
        return remote  # our proxy writes addresses; anything else is not to be counted
    return client


def _is_address(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True
