"""One settings module, driven by environment variables.

The defaults give a working local portal on SQLite with an embedded Celery broker, so a
newcomer needs nothing installed. Production sets DJANGO_DEBUG=false, and then every
secret must be given explicitly: a missing one stops the process at start-up rather than
running with a guessable value.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str | None = None) -> str | None:
    return os.environ.get(name, default)


def envbool(name: str, default: str) -> bool:
    value = os.environ.get(name, default).strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off", ""}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def envint(name: str, default: str) -> int:
    value = os.environ.get(name, default)
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from exc


def envfloat(name: str, default: str) -> float:
    value = os.environ.get(name, default)
    try:
        return float(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a number, not {value!r}") from exc


def envlist(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def required(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        raise ImproperlyConfigured(f"{name} must be set when DJANGO_DEBUG is off")
    return value


DEBUG = envbool("DJANGO_DEBUG", "true")
TESTING = envbool("PORTAL_TESTING", "false")

if DEBUG:
    # Only ever used on a developer's machine: production refuses to start without a key.
    SECRET_KEY = env("DJANGO_SECRET_KEY", "insecure-local-development-key-never-in-production")
    ALLOWED_HOSTS = envlist("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver")
else:
    SECRET_KEY = required("DJANGO_SECRET_KEY")
    ALLOWED_HOSTS = envlist("DJANGO_ALLOWED_HOSTS") or [required("DJANGO_ALLOWED_HOSTS")]

SITE_URL = env("PORTAL_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
CSRF_TRUSTED_ORIGINS = envlist("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "csp",
    "partnership.accounts",
    "partnership.schools",
    "partnership.notifications",
    "partnership.plans",
    "partnership.contact",
    "partnership.praise",
    "partnership.meetings",
    "partnership.coproduction",
    "partnership.audit",
    "partnership.scale",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
    "partnership.accounts.middleware.StaffTwoFactorMiddleware",
    "partnership.audit.middleware.AuditMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
]

# The benchmark's server adds one fixed page to the site (send_portal/bench_urls.py) to
# compare the portal's pages with a bare Django view; everyone else gets the site alone.
ROOT_URLCONF = env("PORTAL_ROOT_URLCONF", "send_portal.urls")
WSGI_APPLICATION = "send_portal.wsgi.application"

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
                "django.template.context_processors.i18n",
                "partnership.accounts.context_processors.roles",
            ],
        },
    },
]

# SQLite in a file under var/ by default; DATABASE_URL (postgres://...) for the real server.
# Connections are kept for a minute (checked before reuse): a new PostgreSQL connection for
# every request is a large share of the time of a page as light as the parent's home.
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'portal.sqlite3'}"),
        conn_max_age=envint("DATABASE_CONN_MAX_AGE", "60"),
        conn_health_checks=True,
    )
}
# PostgreSQL's planner assumes by default that reading a page at random costs four times a
# sequential read (spinning disks). On SSDs, with a school's recent rows in memory, 1.1 is
# nearer the truth: at 4 the SENDCo dashboard read the whole contact link table (70 ms at
# trust scale) rather than look up this term's few thousand links by index (9 ms). Set per
# connection, so the portal behaves the same on any server; 0 leaves the server's setting.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    random_page_cost = envfloat("DATABASE_RANDOM_PAGE_COST", "1.1")
    if random_page_cost:
        options = DATABASES["default"].setdefault("OPTIONS", {})
        extra = f"-c random_page_cost={random_page_cost}"
        options["options"] = f"{options['options']} {extra}" if "options" in options else extra
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
# First, allauth's backend loading the person with their standing (parent, staff,
# governor) in the same query: sign-ins are recorded against it. allauth's own and
# Django's stay listed so that sessions begun before it was added still resolve.
AUTHENTICATION_BACKENDS = [
    "partnership.accounts.backends.PortalAuthenticationBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    # Twelve characters at least: a passphrase is easier to remember than a short, odd one.
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# The shared cache carries allauth's rate-limit counters, so in production it must be one
# store for every web process (Redis); the local default is per-process memory.
if env("CACHE_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": env("CACHE_URL"),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- accounts (django-allauth) -------------------------------------------------------
ACCOUNT_ADAPTER = "partnership.accounts.adapter.PortalAccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
# Accepting an invitation proves the address (the link went to it); anyone else, such as a
# superuser made on the command line, verifies by email before signing in.
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_LOGIN_BY_CODE_TIMEOUT = 10 * 60  # a tired parent may take a while to find the email
# A changed password ends this session too (other sessions end because their stored hash
# no longer matches), so whoever knew the old one is out everywhere.
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = True
# Each person sees the devices signed in as them and can end the others. Activity is not
# tracked per request: that would write a row on every page.
USERSESSIONS_TRACK_ACTIVITY = False
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
# The page answers the same for unknown addresses (no account enumeration), but sends them
# nothing: the portal never emails a stranger.
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
ACCOUNT_SESSION_REMEMBER = None
# allauth's limits are on by default; they are spelled out so a reader sees them.
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "5/m/ip,5/5m/key",
    "request_login_code": "20/m/ip,3/m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
# Accept the code of the 30-second step before or after: a phone's clock drifts, and a
# code typed as the step turns over is still the person's own. Each code works once.
MFA_TOTP_TOLERANCE = 1
MFA_TOTP_ISSUER = env("PORTAL_TOTP_ISSUER", "SEND Partnership Portal")
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"

INVITATION_VALID_DAYS = envint("PORTAL_INVITATION_VALID_DAYS", "14")

# --- internationalisation ------------------------------------------------------------
LANGUAGE_CODE = "en-gb"
LANGUAGES = [("en-gb", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

# --- static files --------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "var" / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Locally and in tests WhiteNoise serves straight from the finders; production collects.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Uploaded files (photos of home observations) are private: there is no MEDIA_URL. They
# are served only through views that check the child is visible to the person asking.
MEDIA_ROOT = Path(env("PORTAL_MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
PHOTO_MAX_BYTES = envint("PORTAL_PHOTO_MAX_BYTES", str(8 * 1024 * 1024))

# Every form's errors say what to do ("Enter ...", "Choose ..."): partnership/form_errors.py.
FORM_RENDERER = "partnership.form_errors.FormRenderer"
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- email ---------------------------------------------------------------------------
# Every message goes through the outbox (partnership.notifications); this is only how the
# outbox hands a message on. Locally, messages are written as files under var/mail/.
EMAIL_BACKEND = env(
    "EMAIL_BACKEND",
    "django.core.mail.backends.filebased.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_FILE_PATH = BASE_DIR / "var" / "mail"
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", "25")
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", "false")
EMAIL_TIMEOUT = envint("EMAIL_TIMEOUT", "30")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "SEND Partnership Portal <portal@example.org>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Celery --------------------------------------------------------------------------
# The embedded default is kombu's filesystem transport (folders under var/), so a worker
# and beat run without Redis. Redis is only the doorbell: the outbox row is the truth.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", "filesystem://")
if CELERY_BROKER_URL == "filesystem://":
    _broker_dir = BASE_DIR / "var" / "broker"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        "store_processed": False,
    }
    for _folder in ("queue", "processed"):
        (_broker_dir / _folder).mkdir(parents=True, exist_ok=True)
else:
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_ALWAYS_EAGER = envbool("CELERY_TASK_ALWAYS_EAGER", "false")
CELERY_TIMEZONE = "UTC"
SCHEDULE_TICK_SECONDS = envint("PORTAL_SCHEDULE_TICK_SECONDS", "900")

# The outbox: how often a failed send is retried, and when a claim counts as abandoned.
OUTBOX_MAX_ATTEMPTS = envint("PORTAL_OUTBOX_MAX_ATTEMPTS", "6")
OUTBOX_RETRY_BASE_SECONDS = envint("PORTAL_OUTBOX_RETRY_BASE_SECONDS", "60")
OUTBOX_CLAIM_TIMEOUT_SECONDS = envint("PORTAL_OUTBOX_CLAIM_TIMEOUT_SECONDS", "600")

# --- security ------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = envint("PORTAL_SESSION_SECONDS", str(12 * 60 * 60))
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = envbool("DJANGO_SECURE_SSL_REDIRECT", "true")
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = envint("DJANGO_SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "style-src": ["'self'"],
        "script-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
    }
}

# Logs carry ids, never a child's name: messages are written with ids only.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("PORTAL_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
