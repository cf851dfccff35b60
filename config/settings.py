"""Settings read from the environment (see README "Configuration" and .env.example).

One module for every environment: development, tests and production differ only by
environment variables. Production (DJANGO_DEBUG unset or false) refuses to start
without a DJANGO_SECRET_KEY of at least 50 characters and turns on the HTTPS-only cookie
and header settings.
"""

from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from kombu import Queue

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = BASE_DIR / "data"

env = environ.Env()

DEBUG = env.bool("DJANGO_DEBUG", default=False)

# Django's own deployment check (security.W009) asks for at least 50 characters.
SECRET_KEY_MIN_LENGTH = 50
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
_GENERATE = "generate one with: python -c 'import secrets; print(secrets.token_urlsafe(50))'"
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            f"DJANGO_SECRET_KEY is required when DJANGO_DEBUG is not true ({_GENERATE})"
        )
    SECRET_KEY = "insecure-development-key-only-used-when-DJANGO_DEBUG-is-true"
elif not DEBUG and len(SECRET_KEY) < SECRET_KEY_MIN_LENGTH:
    raise ImproperlyConfigured(
        f"DJANGO_SECRET_KEY must have at least {SECRET_KEY_MIN_LENGTH} characters in "
        f"production; it has {len(SECRET_KEY)} ({_GENERATE})"
    )

ALLOWED_HOSTS = env.list(
    "DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "rest_framework.authtoken",
    "django_htmx",
    "organizations",
    "assessments",
    "roadmap",
    "benchmarks",
    "reports",
    "results",
    "practice",
    "audit",
]

MIDDLEWARE = [
    "audit.middleware.RequestContextMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "common.security.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before anything reads the request: deep JSON, NUL, surrogates, control characters.
    "common.input_hygiene.InputHygieneMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The language: a signed-in user's own choice (organizations), else the browser's.
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "common.security.AbsoluteSessionLimitMiddleware",
    # A signed-in user's chosen language wins over the browser's (organizations/language.py).
    "organizations.language.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "common.bounds.BoundedUrlIdsMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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

# An empty DATABASE_URL means the default, as if it were unset.
DATABASES = {
    "default": env.db_url_config(
        env.str("DATABASE_URL", default="") or f"sqlite:///{DATA_DIR / 'db.sqlite3'}"
    ),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Autosaves overlap; IMMEDIATE transactions wait for the lock instead of failing.
    DATABASES["default"]["OPTIONS"] = {"transaction_mode": "IMMEDIATE", "timeout": 20}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            # Redis, or this process's memory while Redis is unreachable (config/cache.py).
            "BACKEND": "config.cache.RedisCacheWithLocalFallback",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"  # consultants: their portfolio; the others: their organizations
LOGOUT_REDIRECT_URL = "login"
# How long a "set your password" (invitation) or password reset link works, in seconds;
# it works once either way (setting the password changes its token).
PASSWORD_RESET_TIMEOUT = env.int("PASSWORD_RESET_TIMEOUT", default=3 * 24 * 3600)
# Single sign-on with the company's OpenID Connect provider (organizations/sso.py; README
# "Single sign-on"): off unless OIDC_ENABLED. Local passwords keep working beside it.
OIDC_ENABLED = env.bool("OIDC_ENABLED", default=False)
OIDC_PROVIDER_NAME = env.str("OIDC_PROVIDER_NAME", default="your company account")
OIDC_OP_ISSUER = env.str("OIDC_OP_ISSUER", default="")
OIDC_OP_AUTHORIZATION_ENDPOINT = env.str("OIDC_OP_AUTHORIZATION_ENDPOINT", default="")
OIDC_OP_TOKEN_ENDPOINT = env.str("OIDC_OP_TOKEN_ENDPOINT", default="")
OIDC_OP_USER_ENDPOINT = env.str("OIDC_OP_USER_ENDPOINT", default="")
OIDC_OP_JWKS_ENDPOINT = env.str("OIDC_OP_JWKS_ENDPOINT", default="")
OIDC_RP_CLIENT_ID = env.str("OIDC_RP_CLIENT_ID", default="")
OIDC_RP_CLIENT_SECRET = env.str("OIDC_RP_CLIENT_SECRET", default="")
OIDC_RP_SIGN_ALGO = env.str("OIDC_RP_SIGN_ALGO", default="RS256")
OIDC_RP_SCOPES = "openid email profile"
# An unknown (verified) email gets an account, with no organization, only when
# OIDC_CREATE_USERS is true and its domain is one of OIDC_ALLOWED_EMAIL_DOMAINS; when that
# list is set, other domains cannot sign in with the provider at all.
OIDC_CREATE_USERS = env.bool("OIDC_CREATE_USERS", default=False)
OIDC_ALLOWED_EMAIL_DOMAINS = [
    domain.strip().lower().lstrip("@")
    for domain in env.list("OIDC_ALLOWED_EMAIL_DOMAINS", default=[])
    if domain.strip()
]
OIDC_TIMEOUT = 10
OIDC_AUTHENTICATION_CALLBACK_URL = "sso-finish"
if OIDC_ENABLED:
    _missing = [
        name
        for name in (
            "OIDC_OP_ISSUER",
            "OIDC_OP_AUTHORIZATION_ENDPOINT",
            "OIDC_OP_TOKEN_ENDPOINT",
            "OIDC_OP_USER_ENDPOINT",
            "OIDC_OP_JWKS_ENDPOINT",
            "OIDC_RP_CLIENT_ID",
            "OIDC_RP_CLIENT_SECRET",
        )
        if not globals()[name]
    ]
    if _missing:
        raise ImproperlyConfigured(f"OIDC_ENABLED needs {', '.join(_missing)}")
    if OIDC_CREATE_USERS and not OIDC_ALLOWED_EMAIL_DOMAINS:
        raise ImproperlyConfigured(
            "OIDC_CREATE_USERS needs OIDC_ALLOWED_EMAIL_DOMAINS: accounts are created only "
            "for the company's own email domains"
        )
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "organizations.sso.CompanySignOnBackend",
]
# Login throttling (organizations/throttling.py), counted in the shared cache within
# the window: LOGIN_FAILURE_LIMIT failures for one account lock it (from every address),
# as many for one account from one address lock that pair, and
# LOGIN_FAILURE_LIMIT_PER_ADDRESS failures from one address, whatever the accounts, lock
# the address. While locked, every attempt is refused for LOGIN_LOCKOUT_SECONDS. From
# LOGIN_WARNING_AFTER failures for an account, the login page warns of the lockout.
LOGIN_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=10)
LOGIN_FAILURE_LIMIT_PER_ADDRESS = env.int("LOGIN_FAILURE_LIMIT_PER_ADDRESS", default=50)
LOGIN_WARNING_AFTER = env.int("LOGIN_WARNING_AFTER", default=5)
LOGIN_FAILURE_WINDOW_SECONDS = env.int("LOGIN_FAILURE_WINDOW_SECONDS", default=900)
LOGIN_LOCKOUT_SECONDS = env.int("LOGIN_LOCKOUT_SECONDS", default=900)
# Sessions end after SESSION_IDLE_SECONDS without a request, and SESSION_ABSOLUTE_SECONDS
# after login however active (config/security.py).
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_SECONDS", default=1800)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_ABSOLUTE_SECONDS = env.int("SESSION_ABSOLUTE_SECONDS", default=43200)

LANGUAGE_CODE = "en"
# English and German are complete: every string of the product, the question banks and the
# reference data. `make messages` collects the strings into locale/de (README, Languages).
LANGUAGES = [("en", "English"), ("de", "Deutsch")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates are written with the named formats (DATE_FORMAT, SHORT_DATE_FORMAT…) of the active
# language; config/formats/en keeps English day-month-year.
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = env.str("DJANGO_TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "config.staticfinders.PlotlyFinder",
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = env.path("MEDIA_ROOT", default=DATA_DIR / "media")
MEDIA_URL = "media/"
# Tests and `runserver` serve static files straight from the app folders.
WHITENOISE_USE_FINDERS = DEBUG

EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
EMAIL_FILE_PATH = env.str("EMAIL_FILE_PATH", default=str(DATA_DIR / "emails"))
DEFAULT_FROM_EMAIL = env.str(
    "DEFAULT_FROM_EMAIL", default="AI Scaling Maturity <noreply@localhost>"
)

# Domain settings
INVITATION_TTL_DAYS = env.int("INVITATION_TTL_DAYS", default=30)
# Client members see a breakdown group (role, title, business unit) only when it has at
# least this many submitted respondents; smaller ones are merged into "Other" (DESIGN §9).
CONFIDENTIALITY_MIN_GROUP = env.int("CONFIDENTIALITY_MIN_GROUP", default=3)

# Celery: with no REDIS_URL, tasks run in-process so `make run` needs nothing else.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
# Deployments (or test runs) that share one Redis each publish to and consume their own queue.
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_TASK_DEFAULT_QUEUE", default="celery")
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=120)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=150)
BROKER_VISIBILITY_TIMEOUT = 3600
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": BROKER_VISIBILITY_TIMEOUT}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
if not CELERY_TASK_SOFT_TIME_LIMIT < CELERY_TASK_TIME_LIMIT < BROKER_VISIBILITY_TIMEOUT:
    # A task still running when the visibility timeout passes is delivered a second time.
    raise ImproperlyConfigured(
        "CELERY_TASK_SOFT_TIME_LIMIT < CELERY_TASK_TIME_LIMIT < the broker's visibility "
        f"timeout ({BROKER_VISIBILITY_TIMEOUT} s) is required"
    )

# PDF reports (reports/): the worker rendering a report renews its claim every
# REPORT_HEARTBEAT_SECONDS; a claim not renewed for REPORT_LEASE_SECONDS is presumed lost
# (its worker died) and the sweeper re-queues it, up to REPORT_MAX_ATTEMPTS. A render that
# hangs is stopped by the hard time limit, and its heartbeat with it.
REPORT_HEARTBEAT_SECONDS = env.int("REPORT_HEARTBEAT_SECONDS", default=10)
REPORT_LEASE_SECONDS = env.int("REPORT_LEASE_SECONDS", default=30)
if not 0 < 2 * REPORT_HEARTBEAT_SECONDS < REPORT_LEASE_SECONDS:
    # One late heartbeat (a busy machine) must not hand a live render to another worker.
    raise ImproperlyConfigured(
        "REPORT_LEASE_SECONDS must exceed twice REPORT_HEARTBEAT_SECONDS (and both be > 0)"
    )
# A worker process restarts its chart-export browser after this many renders (its memory
# grows with the charts it draws); the process itself lives on.
REPORT_RENDERS_PER_BROWSER = env.int("REPORT_RENDERS_PER_BROWSER", default=50)
REPORT_MAX_ATTEMPTS = 3
REPORT_RETRY_DELAY_SECONDS = env.int("REPORT_RETRY_DELAY_SECONDS", default=30)
REPORT_REQUEUE_PENDING_SECONDS = env.int("REPORT_REQUEUE_PENDING_SECONDS", default=300)
REPORT_SWEEP_INTERVAL_SECONDS = env.int("REPORT_SWEEP_INTERVAL_SECONDS", default=10)
REPORT_LOGO_MAX_BYTES = 512 * 1024
# Exported chart SVGs each worker process keeps, by content (0: export every time).
REPORT_CHART_CACHE_SIZE = env.int("REPORT_CHART_CACHE_SIZE", default=64)
# Chromium for exporting charts (kaleido); empty: `chromium` found on PATH.
BROWSER_PATH = env.str("BROWSER_PATH", default="")

# Reminders and digests (DESIGN §12). Reminders go at these offsets from an assessment's
# due date, in days (positive: before it, negative: after it); each one at most once per
# respondent and offset. A claimed reminder not sent within its lease is claimed again.
REMINDER_OFFSETS_DAYS = sorted(
    {int(days) for days in env.list("REMINDER_OFFSETS_DAYS", default=["7", "2", "-1"])},
    reverse=True,
)
REMINDER_SWEEP_INTERVAL_SECONDS = env.int("REMINDER_SWEEP_INTERVAL_SECONDS", default=900)
REMINDER_LEASE_SECONDS = env.int("REMINDER_LEASE_SECONDS", default=3600)
if REMINDER_LEASE_SECONDS <= CELERY_TASK_TIME_LIMIT:
    raise ImproperlyConfigured("REMINDER_LEASE_SECONDS must exceed CELERY_TASK_TIME_LIMIT")
REMINDER_MAX_ATTEMPTS = 3
# The weekly roadmap digest: day of the week (mon..sun) and hour (server time zone).
DIGEST_DAY_OF_WEEK = env.str("DIGEST_DAY_OF_WEEK", default="mon")
DIGEST_HOUR = env.int("DIGEST_HOUR", default=7)

# Periodic tasks (the sweepers, the digest) have a queue of their own, which every worker
# also consumes (task_queues: a worker started without --queues takes both), so a backlog
# of renders never delays the sweeper that rescues them.
PERIODIC_QUEUE = f"{CELERY_TASK_DEFAULT_QUEUE}.periodic"
CELERY_TASK_QUEUES = (Queue(CELERY_TASK_DEFAULT_QUEUE), Queue(PERIODIC_QUEUE))
PERIODIC_TASKS = (
    "reports.tasks.sweep_reports",
    "assessments.tasks.sweep_reminders",
    "roadmap.tasks.send_digests",
)
CELERY_TASK_ROUTES = {task: {"queue": PERIODIC_QUEUE} for task in PERIODIC_TASKS}

CELERY_BEAT_SCHEDULE = {
    "sweep-reports": {
        "task": "reports.tasks.sweep_reports",
        "schedule": float(REPORT_SWEEP_INTERVAL_SECONDS),
    },
    "sweep-reminders": {
        "task": "assessments.tasks.sweep_reminders",
        "schedule": float(REMINDER_SWEEP_INTERVAL_SECONDS),
    },
    "send-digests": {
        "task": "roadmap.tasks.send_digests",
        "schedule": crontab(minute=0, hour=DIGEST_HOUR, day_of_week=DIGEST_DAY_OF_WEEK),
    },
}

REST_FRAMEWORK = {
    # Token first: an unauthenticated request gets 401 with a WWW-Authenticate challenge.
    # A token caller is answered in their chosen language (a session caller's is set by
    # organizations.language.UserLanguageMiddleware already).
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "config.token_auth.TokenInUserLanguage",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # Then what common/input_hygiene.py refused, after authentication (401 first).
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "common.input_hygiene.RefuseBadInput",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "EXCEPTION_HANDLER": "common.api_errors.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "AI Scaling Maturity API",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    # The sidecar's Redoc bundle, minus its logo from the web (config/redoc.py).
    "REDOC_DIST": "/api/redoc-dist",
    # <id:...> (config/converters.py): a database id, from 1 to 2^63 - 1 (common/bounds.py).
    "PATH_CONVERTER_OVERRIDES": {
        "id": {"type": "integer", "format": "int64", "minimum": 1, "maximum": 2**63 - 1}
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "config.api_schema.document_unauthenticated",
        "config.api_schema.refuse_unknown_fields",
        "config.api_schema.document_unsupported_media_type",
        "config.api_schema.document_bad_integers",
    ],
    "ENUM_NAME_OVERRIDES": {
        "ReportStatusEnum": "reports.models.ReportStatus",
        "ReportKindEnum": "reports.models.ReportKind",
        "MilestoneStatusEnum": "roadmap.models.MilestoneStatus",
        "MemberRoleEnum": "organizations.models.Role",
        "ExecutiveRoleEnum": "assessments.models.ExecutiveRole",
    },
}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # The chart export browser and the PDF layout engine narrate every step at INFO.
    "loggers": {
        name: {"level": "WARNING"}
        for name in ("choreographer", "kaleido", "logistro", "weasyprint.progress")
    },
}
