"""The address a request came from, for sign-in lockout and nothing else.

With no proxy in front (DJANGO_PROXY_COUNT=0), it is REMOTE_ADDR. Behind N trusted
proxies that each append the address they saw to X-Forwarded-For, the client is the N-th
address from the right: the one our nearest proxy saw connect. Addresses further left were
written by the client and can be forged, so they are never used.
"""

from django.conf import settings


def client_address(request) -> str | None:
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
    return forwarded[-proxies]
