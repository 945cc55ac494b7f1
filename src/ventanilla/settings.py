"""Django settings, configured by environment variables.

DATABASE_URL   default sqlite:///var/ventanilla.sqlite3 (embedded demo); PostgreSQL in CI and production
SECRET_KEY     required when DEBUG is off
FIELD_ENCRYPTION_KEY  Fernet key(s) of the secrets stored encrypted; required when DEBUG is off
DEBUG          "1" for development
ALLOWED_HOSTS  comma separated
REDIS_URL      shared cache (rate limits, log-in throttling, sessions, statements); local memory when unset
EMAIL_URL-ish  EMAIL_BACKEND, EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS
"""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from ventanilla.core import encryption as _field_encryption

PACKAGE_DIR = Path(__file__).resolve().parent
BASE_DIR = Path(os.environ.get("VENTANILLA_HOME", Path.cwd()))
VAR_DIR = BASE_DIR / "var"


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY") or ""
if not SECRET_KEY:
    if not DEBUG:
        raise RuntimeError("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "dev-only-insecure-key-for-the-local-demo-never-in-production"

# Key of the secrets stored encrypted (core.encryption: the TOTP secrets). Its own setting, so rotating
# SECRET_KEY does not make them unreadable; derived from SECRET_KEY only in development.
FIELD_ENCRYPTION_KEY = os.environ.get("FIELD_ENCRYPTION_KEY") or ""
if not FIELD_ENCRYPTION_KEY:
    if not DEBUG:
        raise RuntimeError("FIELD_ENCRYPTION_KEY must be set when DEBUG is off (a Fernet key: python -c "
                           "'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())')")
    FIELD_ENCRYPTION_KEY = _field_encryption.derive_key(SECRET_KEY)
_field_encryption.parse_keys(FIELD_ENCRYPTION_KEY)  # a malformed key stops the start-up, not the first log-in

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "ninja",
    "ventanilla.core",
    "ventanilla.reference",
    "ventanilla.people",
    "ventanilla.payments",
    "ventanilla.imss",
    "ventanilla.infonavit",
    "ventanilla.batch",
    "ventanilla.offers",  # offer catalogue and its open feed (issue 5)
    "ventanilla.reports",
    "ventanilla.agreements",  # the working group's register of agreed actions (issue 6)
    "ventanilla.web",
]

MIDDLEWARE = [
    "ventanilla.core.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "ventanilla.reports.middleware.PortalUsageMiddleware",  # Mi Cuenta usage figures (issue 6)
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "ventanilla.urls"
WSGI_APPLICATION = "ventanilla.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ventanilla.web.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'ventanilla.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the demo server read while a seed writes; busy timeout instead of "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "people.User"
# ModelBackend with the session's user read by SQL built once per process (people.backends). ModelBackend stays
# listed so the sessions signed in before it (they name their backend) are not signed out; drop it once
# SESSION_COOKIE_AGE has passed since the deploy.
AUTHENTICATION_BACKENDS = ["ventanilla.people.backends.UserBackend", "django.contrib.auth.backends.ModelBackend"]
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:home"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Log-in throttling: this many failures per account or per client address lock it for the window.
LOGIN_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
LOGIN_FAILURE_WINDOW_SECONDS = int(os.environ.get("LOGIN_FAILURE_WINDOW_SECONDS", "900"))
# Public endpoints (simulators, parameters): requests per minute per client address.
PUBLIC_RATE_LIMIT_PER_MINUTE = int(os.environ.get("PUBLIC_RATE_LIMIT_PER_MINUTE", "120"))

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "ventanilla.core.cache.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


def session_engine(redis_url: str) -> str:
    """Sessions read from the shared cache, written through to the database: a signed-in page costs no session
    query (BENCHMARKS.md, "HTTP load"); a lost cache only means the next read goes to the database. Without Redis
    the cache is each worker's own memory, so a log-out in one worker would leave the session alive in the others:
    plain database sessions then."""
    if redis_url:
        return "django.contrib.sessions.backends.cached_db"
    return "django.contrib.sessions.backends.db"


SESSION_ENGINE = session_engine(REDIS_URL)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 60 * 60 * 8
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Production (DEBUG off) is HTTPS only; the flags can be relaxed one by one for a local server.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = SECURE_HSTS_SECONDS > 0
if env_bool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

LANGUAGE_CODE = "es"
LANGUAGES = [("es", _("Español")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "America/Mexico_City"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = VAR_DIR / "media"

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Ventanilla <no-responder@ventanilla.example>")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"()": "ventanilla.core.logging.MaskingFormatter",
                             "format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"}},
    "filters": {"request_id": {"()": "ventanilla.core.logging.RequestIdFilter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["request_id"]},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

NINJA_PAGINATION_PER_PAGE = 50
# Trusted reverse proxies in front of the app: 0 means the client address is REMOTE_ADDR, and a client
# cannot dodge rate limits with a forged X-Forwarded-For.
NINJA_NUM_PROXIES = int(os.environ.get("NUM_PROXIES", "0"))
