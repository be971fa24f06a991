"""Settings for the BaltMet portal, all read from environment variables.

Every variable is listed with its default in `.env.example` and the README.
"""

from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from baltmet.storage import default_storage_from_env

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        # A production instance must never run on a key anyone can read in the repository.
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set the SECRET_KEY environment variable "
            "(for local development, DEBUG=1 uses a throw-away key)."
        )
    SECRET_KEY = "django-insecure-local-development-only"

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[SITE_URL])

INSTALLED_APPS = [
    "baltmet.admin.BaltMetAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "simple_history",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_celery_beat",
    "django.contrib.sitemaps",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "baltmet.apps.BaltMetConfig",
    "accounts",
    "cities",
    "actions",
    "reports",
    "notifications",
    "dashboard",
    "digests",
    "initiatives",
    "indicators",
    "meetings",
    "practices",
    "ops",
    "transparency",
    "twofactor",
    "api",
    "demo",
]

MIDDLEWARE = [
    # Health, readiness and metrics first: probes ask an instance directly, by address, over HTTP (ops/).
    "ops.middleware.ProbesMiddleware",
    # A request id in every log line and in the tasks the request queues; latency and status by view.
    "ops.requestid.RequestIdMiddleware",
    "ops.metrics.RequestMetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # After WhiteNoise, whose static files keep their own long-lived caching headers.
    "baltmet.middleware.PrivateByDefault",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Public pages and the public API see an anonymous visitor, whoever asks (transparency/middleware.py).
    "transparency.middleware.PublicPagesAreAnonymous",
    # Then a signed-in person's own language and time zone, as their emails have them (accounts/middleware.py).
    "accounts.middleware.PersonsLanguage",
    # Whether the session passed the second factor; then the gate that asks for it (twofactor/).
    "django_otp.middleware.OTPMiddleware",
    "twofactor.middleware.TwoFactorGate",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "baltmet.middleware.SameMomentConflicts",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "baltmet.urls"
WSGI_APPLICATION = "baltmet.wsgi.application"

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
                "accounts.context_processors.roles",
            ],
        },
    },
]

DATABASES = {
    "default": env.db_url_config(env.str("DATABASE_URL", default="") or f"sqlite:///{VAR_DIR / 'baltmet.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The web server, the worker and beat share the file: write-ahead logging lets readers go on
    # while one writes, and IMMEDIATE transactions wait for the write lock up front instead of
    # failing with "database is locked" halfway.
    DATABASES["default"].setdefault("OPTIONS", {}).update({
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    })
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Re-check pooled connections so a restarted PostgreSQL does not need an app restart.
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # Behind PgBouncer in transaction mode, a connection is someone else's after each transaction:
    # no connection kept by Django, no server-side cursors (docs/operations.md).
    if env.str("DATABASE_POOLER", default="") == "transaction":
        DATABASES["default"]["CONN_MAX_AGE"] = 0
        DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# The source language is English; the member cities' languages are offered as translations.
LANGUAGE_CODE = "en"
# One date format per language (baltmet/formats/): English as "31 Jul 2011", the others their own.
FORMAT_MODULE_PATH = ["baltmet.formats"]
LANGUAGES = [
    ("en", _("English")),
    ("de", _("German")),
    ("fi", _("Finnish")),
    ("sv", _("Swedish")),
    ("nb", _("Norwegian Bokmål")),
    ("lv", _("Latvian")),
    ("ru", _("Russian")),
    ("et", _("Estonian")),
    ("lt", _("Lithuanian")),
    ("pl", _("Polish")),
    ("da", _("Danish")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# The header's language switcher remembers a visitor's choice in this cookie (a signed-in person's is also
# kept on their account: accounts/middleware.py). Only the server reads it.
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = env.str("TIME_ZONE", default="Europe/Stockholm")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("STATIC_ROOT", default=VAR_DIR / "staticfiles")
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")
# Uploaded evidence: local files under MEDIA_ROOT, or S3-compatible object storage when
# AWS_STORAGE_BUCKET_NAME is set (baltmet/storage.py; see docs/operations.md).
STORAGES = {
    "default": default_storage_from_env(env),
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Cache: CACHE_URL (e.g. redis://127.0.0.1:6379/1, a database of its own) shared by every process;
# without it each process keeps a small local cache. The cache only ever saves work: with its Redis
# down, every cache call is logged in one line and answered as a miss (django-redis' IGNORE_EXCEPTIONS,
# short socket timeouts), and the portal goes on from the database. Sessions therefore live in the
# database only: a session ended while the cache was unreachable must not come back from it.
# RELEASE (e.g. the deployed commit) keeps each release's cache entries apart.
CACHE_URL = env.str("CACHE_URL", default="")
RELEASE = env.str("RELEASE", default="")


def caches_for(url: str, release: str = "") -> dict:
    if not url:
        return {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "baltmet"}}
    return {"default": {
        "BACKEND": "django_redis.cache.RedisCache", "LOCATION": url,
        "KEY_PREFIX": f"baltmet:{release}" if release else "baltmet",
        "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 0.5, "SOCKET_TIMEOUT": 0.5},
    }}


CACHES = caches_for(CACHE_URL, RELEASE)
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
SESSION_ENGINE = "django.contrib.sessions.backends.db"

# Email: EMAIL_URL such as smtp://user:pass@host:587 (see django-environ); without it every
# message is written as a file under var/outbox/ so nothing leaves a development machine.
if env.str("EMAIL_URL", default=""):
    vars().update(env.email_url("EMAIL_URL"))
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = VAR_DIR / "outbox"
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="BaltMet Portal <portal@baltmet.org>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_TIMEOUT = 30
# The outbox's one retry policy (notifications/services.py): a failed send is tried again after 30 s,
# 60 s, 120 s … at most 10 minutes apart (far below the broker's visibility timeout), 8 attempts in all.
OUTBOX_MAX_ATTEMPTS = env.int("OUTBOX_MAX_ATTEMPTS", default=8)
OUTBOX_RETRY_BASE_SECONDS = env.float("OUTBOX_RETRY_BASE_SECONDS", default=30)
OUTBOX_RETRY_MAX_SECONDS = 600

# Celery: Redis when REDIS_URL is set, otherwise kombu's filesystem transport under var/ so that
# worker and beat run on a bare development machine.
REDIS_URL = env.str("REDIS_URL", default="")
CELERY_BROKER_DIR = VAR_DIR / "celery-broker"
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    # A task not acknowledged within the visibility timeout is handed to another worker, so every
    # task and retry countdown stays far below it (the outbox caps its retries at 10 minutes).
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600),
        "unacked_restore_interval": env.int("CELERY_UNACKED_RESTORE_INTERVAL", default=10),
        "unacked_restore_throttle": env.int("CELERY_UNACKED_RESTORE_THROTTLE", default=10),
    }
else:
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_BROKER_DIR / "queue"),
        "data_folder_out": str(CELERY_BROKER_DIR / "queue"),
        "processed_folder": str(CELERY_BROKER_DIR / "processed"),
        "control_folder": str(CELERY_BROKER_DIR / "control"),
        "store_processed": False,
    }
CELERY_TASK_IGNORE_RESULT = True
# Publishing must not hang a web request when the broker is down: the outbox sweep catches up.
CELERY_BROKER_CONNECTION_TIMEOUT = 3
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.5, "interval_max": 0.5}
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# With acks_late tasks, a worker should hold only the task it runs: prefetched ones would wait for
# the visibility timeout if the worker died.
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Two queues, so digests never delay notifications (ops/queues.py): a worker started without -Q takes both.
CELERY_TASK_DEFAULT_QUEUE = "celery"
CELERY_TASK_QUEUES = {"celery": {}, "digests": {}}
CELERY_TASK_ROUTES = ("ops.queues.route",)
# Beat writes each tick's time at once (PeriodicTask.last_run_at), for `manage.py check_celery`.
CELERY_BEAT_SYNC_EVERY = 1

# Production hardening: on whenever DEBUG is off (behind TLS), individually overridable.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env.bool("BEHIND_PROXY", default=False) else None
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=60 * 60 * 12)
X_FRAME_OPTIONS = "DENY"

# Uploaded evidence files are capped here and checked again by the form.
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# The demo password is used only by `load_demo`, which refuses to run with DEBUG off.
DEMO_PASSWORD = env.str("DEMO_PASSWORD", default="baltmet-demo-2011")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
        "json": {"()": "ops.logs.JsonFormatter"},
    },
    "filters": {
        "request_id": {"()": "ops.requestid.RequestIdFilter"},
        "one_line": {"()": "baltmet.logs.OneLine"},
        "client_errors_on_one_line": {"()": "baltmet.logs.OneLine", "client_errors_only": True},
    },
    # LOG_FORMAT: json (the default in production: one object a line, with the request id) or plain.
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["request_id"],
                             "formatter": env.str("LOG_FORMAT", default="plain" if DEBUG else "json")}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"}, "axes": {"level": "WARNING"},
        # A 403 or 404 in one line; a cache that cannot be reached in one line per call.
        "django.request": {"filters": ["client_errors_on_one_line"]},
        "django_redis.cache": {"filters": ["one_line"], "level": "WARNING"},
    },
}

# django-axes first: it refuses logins for a user and address after too many failures.
AUTHENTICATION_BACKENDS = ["accounts.backends.LoginThrottleBackend", "accounts.backends.RoleBackend"]

# Brute-force protection: 5 failures for one username from one address, then a 15-minute cool-off.
# Keyed on both, so an attacker elsewhere cannot lock a delegate out of their own account.
# Password reset links: at most this many an hour to one address, and requests an hour from one client.
PASSWORD_RESET_PER_ADDRESS = env.int("PASSWORD_RESET_PER_ADDRESS", default=3)
PASSWORD_RESET_PER_CLIENT = env.int("PASSWORD_RESET_PER_CLIENT", default=10)

AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# The second factor's wrong codes count towards the same lockout (twofactor/views.py); the codes
# typed are not kept in the failure log.
AXES_SENSITIVE_PARAMETERS = ["code"]
# Authenticator apps name the account "BaltMet portal: <username>". django-otp's own back-off after
# wrong codes (1, 2, 4 … seconds) stays on beside the lockout.
OTP_TOTP_ISSUER = "BaltMet portal"
AXES_IPWARE_PROXY_COUNT = 1 if env.bool("BEHIND_PROXY", default=False) else None
AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"] if env.bool("BEHIND_PROXY", default=False) else ["REMOTE_ADDR"]

# Content Security Policy: no inline scripts anywhere, no third-party sources.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Operations (ops/, docs/operations.md). /metrics answers only a bearer of METRICS_TOKEN (404 without one).
METRICS_TOKEN = env.str("METRICS_TOKEN", default="")
# Error reporting through Sentry's SDK, only when SENTRY_DSN is set.
SENTRY_DSN = env.str("SENTRY_DSN", default="")
if SENTRY_DSN:
    from ops.sentry import init as _sentry_init

    _sentry_init(dsn=SENTRY_DSN, environment=env.str("SENTRY_ENVIRONMENT", default=""), release=RELEASE,
                 traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0))

# The API (api/, docs/api.md): JSON only, tokens (or the portal's session, CSRF enforced), one error body,
# page-number pagination, throttles per token and per anonymous address.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.authentication.TokenAuthentication",
                                       "api.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.InNetwork"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.TokenRateThrottle", "api.throttling.AnonymousRateThrottle"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.Pages",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.errors.handle",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
API_THROTTLE_RATES = {
    "token": env.str("API_THROTTLE_TOKEN", default="120/min"),
    "anonymous": env.str("API_THROTTLE_ANONYMOUS", default="60/min"),
}
SPECTACULAR_SETTINGS = {
    "TITLE": "BaltMet portal API",
    "DESCRIPTION": "The Baltic Metropolises Network's action plan, published progress and reports. See docs/api.md.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SERVE_AUTHENTICATION": [],
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "api.docs.error_responses"],
    "ENUM_NAME_OVERRIDES": {"DeliveryStatusEnum": "actions.models.DeliveryStatus",
                            "WorkflowStateEnum": "reports.models.WorkflowState",
                            "PlanStatusEnum": "actions.models.ActionPlan.Status"},
}
