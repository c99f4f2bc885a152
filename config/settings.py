"""Settings for every environment, read from the environment.

DJANGO_ENV=development (the default) runs on a local SQLite file with debug pages.
DJANGO_ENV=production requires DJANGO_SECRET_KEY and DJANGO_ALLOWED_HOSTS and turns
debug off. DATABASE_URL switches to PostgreSQL in either.
"""

import datetime
import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from config.client_ip import trusted_proxy_count

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return default if value in (None, "") else value


def env_bool(name: str, default: bool) -> bool:
    value = env(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in (env(name, default) or "").split(",") if item.strip()]


ENVIRONMENT = env("DJANGO_ENV", "development")
if ENVIRONMENT not in {"development", "production"}:
    raise ImproperlyConfigured(
        f"DJANGO_ENV is {ENVIRONMENT!r}; set it to 'development' or 'production'."
    )
PRODUCTION = ENVIRONMENT == "production"

DEBUG = env_bool("DJANGO_DEBUG", default=not PRODUCTION)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured(
        "DJANGO_DEBUG is on with DJANGO_ENV=production: debug pages show settings and data. "
        "Unset DJANGO_DEBUG."
    )

SECRET_KEY = env("DJANGO_SECRET_KEY")
if SECRET_KEY is None:
    if PRODUCTION:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. In production, generate one with\n"
            "  python -c 'import secrets; print(secrets.token_urlsafe(50))'\n"
            "and pass it in the environment."
        )
    # A development-only key: never used when DJANGO_ENV=production.
    SECRET_KEY = "development-only-insecure-key-do-not-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost")
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "DJANGO_ALLOWED_HOSTS is not set. In production, list the host names the service "
        "answers to, separated by commas, e.g. DJANGO_ALLOWED_HOSTS=partnerships.example.gov.uk"
    )
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "config.apps.AdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "simple_history",
    "rules.apps.AutodiscoverRulesConfig",
    "axes",
    "csp",
    "django_tables2",
    "django_filters",
    "partnerships",
    "returns",
    "records",
    "dashboards",
    "budgets",
    "caseload",
    "s117",
    "reports",
    "tasks",
    "seed",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Restarts a signed-in session's idle clock, with a write at most once a minute.
    "config.sessions.RenewIdleSessionMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Records the signed-in user against every historical record of a figure.
    "simple_history.middleware.HistoryRequestMiddleware",
    # Gives a browser that signs in its device cookie (config/trusted_device.py).
    "config.trusted_device.DeviceCookieMiddleware",
    # Last, as django-axes requires: turns a locked-out sign-in into a clear refusal.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # First, so that a locked-out user name or address is refused before any password check.
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "config.urls"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

if PRODUCTION and env("DATABASE_URL") is None:
    raise ImproperlyConfigured(
        "DATABASE_URL is not set. In production, point it at PostgreSQL, e.g.\n"
        "  DATABASE_URL=postgres://USER:PASSWORD@HOST:5432/partnerships"
    )
DATABASES = {
    # An empty DATABASE_URL means unset, as for every other variable here.
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(env("DJANGO_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
# collectstatic gathers files here for WhiteNoise in production; in development WhiteNoise
# serves straight from the apps' static folders instead.
STATIC_ROOT = BASE_DIR / "staticfiles" if PRODUCTION else None
WHITENOISE_USE_FINDERS = not PRODUCTION
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# Sign-in protection (docs/adr/0012). A user name is locked for AXES_COOLOFF_TIME after
# AXES_FAILURE_LIMIT failures, from wherever they came. An address is locked only against
# password spraying: after failures for SIGNIN_ADDRESS_NAME_LIMIT different user names from
# it within AXES_COOLOFF_TIME, and then not for a browser whose device cookie (given at each
# successful sign-in, kept for SIGNIN_DEVICE_COOKIE_AGE seconds) names the user name being
# tried. Many people share one address behind a council NAT or a proxy; one of them must
# not lock out the rest. The address rule lives in config/lockout.py.
AXES_FAILURE_LIMIT = int(env("DJANGO_SIGNIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = datetime.timedelta(minutes=int(env("DJANGO_SIGNIN_LOCKOUT_MINUTES", "30")))
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_HANDLER = "config.lockout.SignInAttempts"
SIGNIN_ADDRESS_NAME_LIMIT = int(env("DJANGO_SIGNIN_ADDRESS_NAME_LIMIT", "5"))
SIGNIN_DEVICE_COOKIE_AGE = 24 * 60 * 60 * int(env("DJANGO_SIGNIN_DEVICE_DAYS", "90"))
# A successful sign-in clears that user name's failures, and no one else's.
AXES_RESET_ON_SUCCESS = True
# A sign-in refused by a lock is not counted as a failure: retrying with the right password
# at a locked address must not lock the user's own name, and hammering a locked name must
# not stretch its lock past AXES_COOLOFF_TIME after its last real failure.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_VERBOSE = False
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# How many trusted proxies (load balancer, TLS terminator) stand in front of the app, each
# appending to X-Forwarded-For; lockout by address uses the client address they saw. With
# DJANGO_BEHIND_TLS_PROXY=1 there is at least that proxy, so the count defaults to 1, and 0
# is refused (config/client_ip.py).
BEHIND_TLS_PROXY = env_bool("DJANGO_BEHIND_TLS_PROXY", False)
TRUSTED_PROXY_COUNT = trusted_proxy_count(
    env("DJANGO_PROXY_COUNT"), behind_tls_proxy=BEHIND_TLS_PROXY
)
AXES_CLIENT_IP_CALLABLE = "config.client_ip.client_address"
# Axes warns when AXES_LOCKOUT_PARAMETERS has no "ip_address"; the address is counted by
# config.lockout.SignInAttempts instead, by user names rather than failures.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

# A session ends after this many minutes without a request. A request renews it, saving the
# session at most once a minute (config/sessions.py), not on every page view.
SESSION_COOKIE_AGE = 60 * int(env("DJANGO_SESSION_IDLE_MINUTES", "30"))
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=PRODUCTION)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_TLS_PROXY else None
SECURE_HSTS_SECONDS = int(env("DJANGO_HSTS_SECONDS", "31536000" if PRODUCTION else "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION
SECURE_HSTS_PRELOAD = PRODUCTION
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content Security Policy: only our own scripts, styles, fonts and images (plus data: URIs
# for the SVG charts), no framing by anyone, forms posting only to ourselves.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Every line is written without NHS numbers or the values a database error names
    # (config/log_privacy.py).
    "formatters": {"private": {"()": "config.log_privacy.RedactingFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "private"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", "INFO")},
    # Lockouts are warnings; axes' notes on every successful sign-in are noise, and so is
    # WeasyPrint's report of each step of every PDF.
    "loggers": {
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# Email: the daily reminders (`send_reminders`). Without EMAIL_HOST, or with debug on, mail
# is written to the console rather than sent, so development never emails anyone.
EMAIL_HOST = env("EMAIL_HOST", "")
EMAIL_PORT = int(env("EMAIL_PORT", "587"))
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=True)
EMAIL_TIMEOUT = 30
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "partnerships@localhost")
EMAIL_BACKEND = (
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG or not EMAIL_HOST
    else "django.core.mail.backends.smtp.EmailBackend"
)
# The service's own address, for the links in emails (which have no request to take it
# from), e.g. https://partnerships.example.gov.uk
SITE_URL = (env("SITE_URL", "" if PRODUCTION else "http://127.0.0.1:8000") or "").rstrip("/")
