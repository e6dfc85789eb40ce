"""Settings for newsroom, read from the environment with safe local defaults.

DEBUG is off unless DJANGO_DEBUG=1 says otherwise (`make dev` does), so a
forgotten variable never serves the technical error pages. With DEBUG off the
secret key comes from DJANGO_SECRET_KEY or from the key `make run` generates
once into the data directory (newsroom/local_secret.py). Production also sets
DJANGO_ALLOWED_HOSTS and usually DATABASE_URL=postgres://…; every
`check --deploy` hardening setting is on unless DJANGO_HTTPS=0 (plain HTTP on
loopback, as `make run` serves).
"""

import datetime
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from newsroom.local_secret import read_secret_key

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# Off unless asked for: DEBUG pages list every URL pattern and setting to anyone.
DEBUG = env_bool("DJANGO_DEBUG", False)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "") or read_secret_key()
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off "
            "(or run `python -m newsroom.local_secret` to keep a generated key in the data directory)."
        )
    SECRET_KEY = "django-insecure-local-development-only-never-in-production"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]" if DEBUG else "")
if not DEBUG:
    # The container healthcheck calls http://127.0.0.1:8000/healthz from inside.
    ALLOWED_HOSTS += ["127.0.0.1", "localhost"]
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # Admin login throttling: failed attempts per username and per address.
    "newsroom.apps.AxesConfig",
    "django.contrib.sitemaps",
    "django_filters",
    "articles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy and Permissions-Policy on every response.
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    # Any origin may read the JSON API (/api/ only); preflights end here.
    "articles.api.CorsForReadsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # ?lang=en|zh-hans: a plain link switches the interface language (no POST, no CSRF token).
    "articles.middleware.LanguageMiddleware",
    # Simplified / Traditional display (?script=hant, remembered in a cookie).
    "articles.middleware.ScriptMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Django's, but an anonymous visitor's session is never loaded (no Vary: Cookie on public pages).
    "articles.middleware.CookielessAuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # The portal's own 404/500 pages also when DEBUG is on (never the technical ones).
    "articles.errors.FriendlyErrorPagesMiddleware",
    # Last, as django-axes requires: turns a locked-out login into its lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "newsroom.urls"
WSGI_APPLICATION = "newsroom.wsgi.application"

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
                "articles.context_processors.portal",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------
# SQLite is the embedded default so a fresh clone runs with no server;
# PostgreSQL is the scale path, chosen by DATABASE_URL alone.
DATA_DIR = Path(os.environ.get("NEWSROOM_DATA_DIR", BASE_DIR / "data"))
DEFAULT_DATABASE_URL = f"sqlite:///{DATA_DIR / 'db.sqlite3'}"
DATABASE_URL = os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)}

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    if DATABASE_URL == DEFAULT_DATABASE_URL:
        DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers go on while an ingest writes; IMMEDIATE takes the
        # write lock at BEGIN so two writers queue on the busy timeout instead
        # of failing half-way with "database is locked".
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        # Seconds a writer waits for the lock: below gunicorn's 30 s timeout,
        # and ingest never holds the lock for more than about a second
        # (articles.ingest batches), so a wait this long means something is wrong.
        "timeout": int(os.environ.get("NEWSROOM_SQLITE_BUSY_TIMEOUT", 10)),
    }

if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # The pages run short indexed queries: JIT compilation only adds 10-100 ms
    # to them. work_mem large enough that a broad search's bitmap stays exact
    # (lossy at the 4 MB default: every hit's tsvector rechecked) and facet
    # GROUP BYs hash in memory. statement_timeout (milliseconds, 0 = none) is
    # set by newsroom/wsgi.py for web workers only, so no request can run
    # longer; migrations, ingest and backups keep no limit. See docs/scaling.md.
    _pg_options = [
        "-c jit=off",
        f"-c work_mem={os.environ.get('NEWSROOM_PG_WORK_MEM', '32MB')}",
        f"-c statement_timeout={int(os.environ.get('NEWSROOM_STATEMENT_TIMEOUT_MS', 0))}",
    ]
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = " ".join(_pg_options)

# A read replica (PostgreSQL streaming replication): reader pages read there,
# writes and reads inside a write's transaction stay on the primary
# (newsroom/db_router.py; docs/scaling.md).
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = {
        **dj_database_url.parse(DATABASE_REPLICA_URL, conn_max_age=60, conn_health_checks=True),
        "OPTIONS": dict(DATABASES["default"].get("OPTIONS", {})),
        "TEST": {"MIRROR": "default"},
    }
    DATABASE_ROUTERS = ["newsroom.db_router.ReplicaRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Caches -----------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Admin login throttling (docs/operations.md "Admin login throttling") -------
AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out username or address before any password check.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# A username, or an address, with this many failed logins is locked out for the
# cool-off time, whatever password comes next; a successful login clears the count.
AXES_FAILURE_LIMIT = int(os.environ.get("NEWSROOM_LOGIN_FAILURE_LIMIT", 5))
AXES_COOLOFF_TIME = datetime.timedelta(minutes=int(os.environ.get("NEWSROOM_LOGIN_COOLOFF_MINUTES", 15)))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # each on its own, not the pair
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "admin/lockout.html"
# Only a proxy the operator runs may name the client (newsroom/proxy.py).
NEWSROOM_BEHIND_PROXY = env_bool("DJANGO_BEHIND_PROXY", False)
AXES_CLIENT_IP_CALLABLE = "newsroom.proxy.client_address"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Internationalisation ---------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static files -----------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# --- Security (all on when DEBUG is off; check --deploy stays silent) --------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Production is HTTPS (TLS ends at a proxy); only `make run` on loopback says DJANGO_HTTPS=0.
HTTPS = env_bool("DJANGO_HTTPS", not DEBUG)
if HTTPS:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    # The container healthcheck talks plain HTTP on loopback.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", 60 * 60 * 24 * 365))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # The reader's language and script cookies too (articles.middleware).
    LANGUAGE_COOKIE_SECURE = True
# Believe X-Forwarded-Proto only when the operator says a proxy of theirs is the
# only way in and overwrites that header (docs/operations.md "Running behind a proxy");
# otherwise any client could claim HTTPS.
if NEWSROOM_BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Scripts only from our own static files: no inline script, no eval, no other
# origin, so injected markup cannot run. Styles allow inline style attributes
# (the facet bars' widths); those cannot run code.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
# No page needs a device or a powerful feature: deny them all, to us and to any frame.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer", "autoplay", "camera", "display-capture", "geolocation", "gyroscope",
        "magnetometer", "microphone", "midi", "payment", "usb", "browsing-topics",
    )
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    # jieba announces its dictionary load on every process start.
    "loggers": {"jieba": {"level": "WARNING"}},
}

# --- Newsroom ---------------------------------------------------------------
NEWSROOM_SITE_NAME = os.environ.get("NEWSROOM_SITE_NAME", "地方新闻阅览")
NEWSROOM_REGIONS_DIR = BASE_DIR / "articles" / "data" / "regions"
NEWSROOM_PAGE_SIZE = 20
# Anonymous readers' pages served from the cache under the catalogue token (articles.catalogue.cached_page).
NEWSROOM_PAGE_CACHE = env_bool("NEWSROOM_PAGE_CACHE", True)
# Costly exact facet counts computed in a background thread while readers get an estimate or the
# previous counts (articles.catalogue.cached); off, the request that needs them computes them.
NEWSROOM_BACKGROUND_COUNTS = env_bool("NEWSROOM_BACKGROUND_COUNTS", True)
# How many such counts may run at once across all workers (each takes a core while it runs).
NEWSROOM_BACKGROUND_SLOTS = int(os.environ.get("NEWSROOM_BACKGROUND_SLOTS", 1))
# Facet counts from an in-memory column snapshot of the public articles (articles.facet_index):
# ~25 bytes per article per process, shared copy-on-write when gunicorn's master builds it.
NEWSROOM_FACET_INDEX = env_bool("NEWSROOM_FACET_INDEX", True)
# PostgreSQL: every hit's ts_rank fetched once per search in the background and kept with the facet
# index, so a list orders its candidates in memory (articles.selectors.search_ranks); off, SQL ranks them.
NEWSROOM_KEPT_RANKS = env_bool("NEWSROOM_KEPT_RANKS", True)
# JSON API requests per client address (django-ninja throttle syntax: N/s, N/min, N/hour, N/day).
NEWSROOM_API_RATE = os.environ.get("NEWSROOM_API_RATE", "60/min")
