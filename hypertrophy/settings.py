"""Settings for Hypertrophy, read from the environment.

With nothing set the app runs in development mode on SQLite (``db.sqlite3`` at the
repo root). Production sets ``DEBUG=false``, ``SECRET_KEY``, ``ALLOWED_HOSTS``,
``CSRF_TRUSTED_ORIGINS`` and ``DATABASE_URL`` (PostgreSQL).
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_rate(name: str, default: str) -> str:
    """A rate such as ``30/h`` (count per second, minute, hour or day; events.ratelimit reads
    it). Checked at start-up: a malformed one failed every request it applies to instead."""
    value = (os.environ.get(name) or default).strip()
    if not re.fullmatch(r"\d+\s*/\s*[smhd][a-z]*", value):
        raise ImproperlyConfigured(f"{name} must look like 30/h (a count per s, m, h or d), not {value!r}.")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def database_from_url(url: str) -> dict:
    """Turn ``postgres://user:pass@host:port/name?sslmode=require`` into a DATABASES entry."""
    parts = urlsplit(url)
    if parts.scheme not in {"postgres", "postgresql", "pgsql"}:
        raise ImproperlyConfigured(f"DATABASE_URL scheme {parts.scheme!r} is not supported; use postgres://")
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": unquote(parts.path.lstrip("/")),
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": parts.hostname or "",
        "PORT": str(parts.port or ""),
        "CONN_MAX_AGE": int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        "CONN_HEALTH_CHECKS": True,
        "OPTIONS": dict(parse_qsl(parts.query)),
        "TEST": {"NAME": os.environ.get("DATABASE_TEST_NAME") or None},
    }


DEBUG = env_bool("DEBUG", True)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "django-insecure-development-only-key-do-not-use-in-production-0123456789"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "ninja",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "events",
    "hypertrophy.accounts",
    "workouts",
    "measurements",
    "coaching",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy with a per-request nonce (SECURE_CSP below).
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "hypertrophy.middleware.ApiErrorMiddleware",
    # Pages and JSON go out compressed (Django pads the body against BREACH).
    "django.middleware.gzip.GZipMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Signed-in answers are private, never stored by proxies or the HTTP cache (static files,
    # answered above by WhiteNoise, are not).
    "hypertrophy.middleware.PrivateCacheMiddleware",
    # The service worker's own fetches never overwrite the session or CSRF cookie.
    "hypertrophy.middleware.BackgroundFetchMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    "hypertrophy.middleware.AccountPagesMiddleware",
    # A signed-in lifter's pages show dates and "today" in their own time zone.
    "hypertrophy.middleware.UserTimeZoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "hypertrophy.urls"
WSGI_APPLICATION = "hypertrophy.wsgi.application"
ASGI_APPLICATION = "hypertrophy.asgi.application"

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
                "django.template.context_processors.csp",
                "hypertrophy.accounts.views.account_context",
            ],
            # The project package is no installed app: its template libraries are named here.
            "libraries": {"formatting": "hypertrophy.templatetags.formatting"},
        },
    },
]

DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": database_from_url(DATABASE_URL)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("SQLITE_PATH", str(BASE_DIR / "db.sqlite3")),
            "OPTIONS": {
                # Writers queue up instead of failing with "database is locked".
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL;"
                    "PRAGMA synchronous=NORMAL;"
                    "PRAGMA busy_timeout=20000;"
                    "PRAGMA foreign_keys=ON;"
                ),
            },
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {
    # Shared by every worker process, so rate limits hold across gunicorn workers.
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "hypertrophy_cache",
    }
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "hypertrophy.storage.StaticStorage"
        )
    },
}

# Progress photos: a folder nothing serves (the owner gets them through a view), or a storage
# backend of its own: add a "photos" entry to STORAGES (measurements/photos.py).
PHOTOS_ROOT = Path(os.environ.get("PHOTOS_ROOT") or BASE_DIR / "private-media")
PHOTO_UPLOAD_RATE = env_rate("PHOTO_UPLOAD_RATE", "120/h")

# The sync contract caps a request at 1 MiB; Django refuses larger non-file bodies.
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024

# Production hardening (check --deploy clean with DEBUG off).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_PROXY", False) else None
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^health$"]
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_AGE = 60 * 60 * 24 * 365  # a phone stays logged in for a year

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

# --- Hypertrophy ---------------------------------------------------------------

# Guest users created per client address (POST /api/v1/devices with no auth).
GUEST_RATE_LIMIT = env_rate("GUEST_RATE_LIMIT", "30/h")
# Trust the first X-Forwarded-For address for rate limiting (behind a proxy only).
USE_X_FORWARDED_FOR = env_bool("USE_X_FORWARDED_FOR", False)
SYNC_MAX_EVENTS = 500
CSRF_FAILURE_VIEW = "hypertrophy.views.csrf_failure"
AUTH_USER_MODEL = "events.User"

# Requests to /api/v1/sync per device (counted on the device row in the ingest's own
# transaction). Generous: a phone coming back online flushes in batches of 100 events.
SYNC_RATE_LIMIT = env_rate("SYNC_RATE_LIMIT", "600/m")
# Device registrations (POST /api/v1/devices) per signed-in user: sync is limited per device.
DEVICE_RATE_LIMIT = env_rate("DEVICE_RATE_LIMIT", "60/h")
# The largest events export "Your data" accepts for import (bytes).
DATA_IMPORT_MAX_BYTES = int(os.environ.get("DATA_IMPORT_MAX_BYTES", str(256 * 1024 * 1024)))

# --- Accounts (django-allauth) ----------------------------------------------------------
# Email + password; a guest who signs up becomes the account in place and a guest who logs
# in is merged into the account (hypertrophy/accounts/adapters.py, hypertrophy/accounts/merge.py).

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
ACCOUNT_ADAPTER = "hypertrophy.accounts.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_UNIQUE_EMAIL = True
_EMAIL_VERIFICATION = os.environ.get("ACCOUNT_EMAIL_VERIFICATION", "optional").strip().lower()
if _EMAIL_VERIFICATION not in {"none", "optional", "mandatory"}:
    raise ImproperlyConfigured("ACCOUNT_EMAIL_VERIFICATION must be none, optional or mandatory.")
ACCOUNT_EMAIL_VERIFICATION = _EMAIL_VERIFICATION
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = True
# A guest is logged in (it owns the browser's data): the log-in and sign-up pages must open
# for it. hypertrophy.middleware.AccountPagesMiddleware sends real accounts away instead.
ACCOUNT_AUTHENTICATED_LOGIN_REDIRECTS = False
ACCOUNT_RATE_LIMITS = {
    # allauth's defaults, spelled out so they show up in one place.
    "login": os.environ.get("LOGIN_RATE_LIMIT", "30/m/ip"),
    "login_failed": os.environ.get("LOGIN_FAILED_RATE_LIMIT", "10/m/ip,5/5m/key"),
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "confirm_email": "1/3m/key",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
    "reauthenticate": "10/m/user",
}
ACCOUNT_EMAIL_SUBJECT_PREFIX = "Hypertrophy: "
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
ACCOUNT_LOGOUT_REDIRECT_URL = "/"
ACCOUNT_SIGNUP_REDIRECT_URL = "/"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = os.environ.get("MFA_TOTP_ISSUER", "Hypertrophy")
MFA_FORMS = {
    "authenticate": "hypertrophy.accounts.mfa_forms.AuthenticateForm",
    "reauthenticate": "hypertrophy.accounts.mfa_forms.ReauthenticateForm",
    "activate_totp": "hypertrophy.accounts.mfa_forms.ActivateTOTPForm",
}
# Sessions are recorded at log-in; no write on every page view.
USERSESSIONS_TRACK_ACTIVITY = False

# Email: the console by default (the server log when DEBUG is off); SMTP when EMAIL_HOST is set
# (Django 6.1's MAILERS).
_EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
if _EMAIL_HOST:
    _EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": _EMAIL_HOST,
                "port": _EMAIL_PORT,
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS", _EMAIL_PORT == 587),
                "use_ssl": env_bool("EMAIL_USE_SSL", _EMAIL_PORT == 465),
                "timeout": 20,
            },
        }
    }
else:
    # Development: the console. Production without SMTP: the server log (hypertrophy/mail.py).
    MAILERS = {
        "default": {
            # hypertrophy.mail.EmailBackend: the console, with links readable (not quoted-printable).
            "BACKEND": "hypertrophy.mail.EmailBackend" if DEBUG else "hypertrophy.mail.LogEmailBackend"
        }
    }
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Hypertrophy <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Content Security Policy --------------------------------------------------------------
# Scripts only from the app itself (or carrying the request's nonce); no inline code, no
# eval. Styles: the app's stylesheet; inline style="" attributes stay allowed (charts and
# progress bars set widths), inline <style> elements are not (htmx's indicator styles are
# switched off in base.html and live in app.css). MFA's QR code is a data: image.
from django.utils.csp import CSP  # noqa: E402

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "style-src-attr": [CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "manifest-src": [CSP.SELF],
    "worker-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# --- Coaching --------------------------------------------------------------------
# The LLM coach is used when OPENAI_API_KEY (or OPENAI_BASE_URL for a local server) is set;
# otherwise the rule-based coach answers everything.
OPENAI_API_KEY = os.environ.get("OPENAI_API_KEY", "")
OPENAI_BASE_URL = os.environ.get("OPENAI_BASE_URL", "")
COACH_MODEL = os.environ.get("COACH_MODEL", "gpt-4o-mini")
COACH_TIMEOUT_SECONDS = float(os.environ.get("COACH_TIMEOUT_SECONDS", "20"))
COACH_MONTHLY_QUOTA = int(os.environ.get("COACH_MONTHLY_QUOTA", "100"))
COACH_RATE_LIMIT = env_rate("COACH_RATE_LIMIT", "10/m")
# Weekly reports run as a background task on the database (django-tasks-db): `manage.py db_worker`
# processes it; `manage.py generate_weekly_reports --schedule` starts the daily self-rescheduling run.
INSTALLED_APPS += ["django_tasks_db"]
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}
