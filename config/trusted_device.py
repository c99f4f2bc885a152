"""The device cookie: a browser that has signed in as a user name before may try that user
name at an address that is locked for password spraying (docs/adr/0012).

After every successful sign-in the browser gets a signed, dated cookie that names the user
by a keyed hash of the user name, so the cookie itself does not show the name. It vouches
for that one user name only, and only lifts the lock on the address: the user name's own
lock still holds, so whoever holds the cookie gets no more guesses at the password than
anyone else. Signing out keeps it, because it belongs to the browser, not the session.
"""

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.core.signing import BadSignature, TimestampSigner
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.utils.crypto import constant_time_compare, salted_hmac

COOKIE = "signin_device"
_SALT = "config.trusted_device"
_SIGNED_IN_AS = "_signed_in_as"


def _name_hash(username: str) -> str:
    return salted_hmac(_SALT, username).hexdigest()


def cookie_value(username: str) -> str:
    return TimestampSigner(salt=_SALT).sign(_name_hash(username))


def vouches_for(request: HttpRequest, username: str | None) -> bool:
    """Whether the request carries an unexpired device cookie for exactly this user name."""
    value = request.COOKIES.get(COOKIE)
    if not value or not username:
        return False
    try:
        name_hash = TimestampSigner(salt=_SALT).unsign(
            value, max_age=settings.SIGNIN_DEVICE_COOKIE_AGE
        )
    except BadSignature:  # tampered with, or expired (SignatureExpired is a BadSignature)
        return False
    return constant_time_compare(name_hash, _name_hash(username))


@receiver(user_logged_in, dispatch_uid="config.trusted_device.remember_sign_in")
def remember_sign_in(sender, request, user, **kwargs):
    """Notes who signed in, for the middleware to give the browser its cookie."""
    if request is not None:
        setattr(request, _SIGNED_IN_AS, user.get_username())


class DeviceCookieMiddleware:
    """Sets the device cookie on the response to a successful sign-in, from any sign-in
    page (the service's own and the administration's)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        username = getattr(request, _SIGNED_IN_AS, None)
        if username is not None:
            response.set_cookie(
                COOKIE,
                cookie_value(username),
                max_age=settings.SIGNIN_DEVICE_COOKIE_AGE,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Strict",
            )
        return response
