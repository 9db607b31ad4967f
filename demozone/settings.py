"""Settings for demozone, all read from the environment.

Every variable is listed in README.md with its default. The defaults are the embedded ones: SQLite, no broker,
console e-mail — enough to run the demo on a laptop. Production sets DATABASE_URL and REDIS_URL.
"""
from datetime import timedelta
from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

# DJANGO_DEBUG — off unless explicitly turned on (fail closed); ./scripts/run turns it on for the local demo.
# DJANGO_SECRET_KEY — required when DJANGO_DEBUG is off; the default is for local runs only.
DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="demozone-local-only-not-a-secret" if DEBUG else environ.Env.NOTSET)
# DJANGO_ALLOWED_HOSTS — comma-separated host names.
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

# DJANGO_HTTPS — default on when DJANGO_DEBUG is off: redirect http to https, secure cookies, HSTS. Set 0 only where
# the site is reached over plain http on purpose (the test suite, a local benchmark).
HTTPS = env.bool("DJANGO_HTTPS", default=not DEBUG)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = HTTPS
# DJANGO_HSTS_SECONDS — how long browsers must use https only (default one year when DJANGO_HTTPS is on).
SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=31_536_000) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
# DJANGO_SECURE_PROXY_SSL_HEADER — behind a TLS-terminating proxy, the header it sets and its https value, e.g.
# "HTTP_X_FORWARDED_PROTO,https"; default empty (the app itself sees https). Trust it only behind such a proxy.
_proxy_header = env.list("DJANGO_SECURE_PROXY_SSL_HEADER", default=[])
SECURE_PROXY_SSL_HEADER = tuple(_proxy_header) if len(_proxy_header) == 2 else None
SESSION_COOKIE_HTTPONLY = True
# Pages are never framed; a material's file may be, by the app's own pages (documents.serving).

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "knox",
    "axes",
    "csp",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "sequences",  # django-sequences: gapless 文号 (official/numbering.py)
    # shared parts
    "accounts",
    "regions",
    "rulesets",
    "documents",
    "cases",
    "notifications",
    "deadlines",
    # the legal stages
    "applications",
    "evaluation",
    "indicators",
    "publicity",
    "designation",
    "creation",
    "official",  # the numbered official documents (公文) the acts issue, and the printouts
    "dashboards",  # the charts and tables officials read (issue 8)
    "captcha",  # django-simple-captcha: the public objection form's captcha, images served by the app
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "demozone.middleware.ChineseByDefaultMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Turns a locked-out sign-in into the lockout answer (django-axes).
    "axes.middleware.AxesMiddleware",
    # Last: a signed-in user's repeat view while the database has not changed (demozone/pagecache.py, issue 13);
    # every middleware above treats the kept page like a fresh one.
    "demozone.pagecache.SignedInPageCacheMiddleware",
]

# Content-Security-Policy (django-csp): everything from the app itself, no inline script or style, no framing by
# other sites. Pages, the admin and the API docs (drf-spectacular's split Swagger view) satisfy it.
from csp.constants import NONE, SELF  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "frame-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

ROOT_URLCONF = "demozone.urls"
WSGI_APPLICATION = "demozone.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "notifications.context_processors.unread_notifications",
            ],
        },
    },
]

# DATABASE_URL — default: SQLite file db.sqlite3 beside manage.py. PostgreSQL: postgres://user@host:5432/name
DATABASES = {"default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False  # services open their own transaction, one per action
# DATABASE_CONN_MAX_AGE — seconds a worker keeps its database connection between requests (persistent connections;
# default 60; 0 reconnects for every request, ~1–2 ms each on PostgreSQL). A kept connection is checked before
# each request reuses it (CONN_HEALTH_CHECKS), so a restarted database costs one reconnect, not an error.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Writers queue behind one another instead of failing at once with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update({"timeout": 20, "transaction_mode": "IMMEDIATE"})

# Sign-ins (issue #12): django-axes locks an account, and an address, after AXES_FAILURE_LIMIT failures in a row for
# AXES_COOLOFF_MINUTES, on the login page, the admin and the API token endpoint alike; it also keeps the sign-in
# audit (successes and logouts in AccessLog, each failure in AccessFailureLog), readable in the admin.
# accounts.backends.ModelBackend: Django's, loading the user with their organisation in one query (issue 13).
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "accounts.backends.ModelBackend"]
# AXES_FAILURE_LIMIT — failed sign-ins in a row before the lockout; default 5.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
# AXES_COOLOFF_MINUTES — how long a lockout lasts; default 15.
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # per account and per address, each on its own
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_LOCKOUT_CALLABLE = "accounts.signin.lockout_response"
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# Which address a request comes from: the socket's, unless TRUSTED_PROXY_COUNT proxies stand in front
# (then the address that many hops back in X-Forwarded-For). A client-sent X-Forwarded-For is not believed beyond it.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "demozone.net.client_ip"

# API tokens (django-rest-knox): stored only as a hash, expire after API_TOKEN_HOURS, revoked by logout.
# API_TOKEN_HOURS — lifetime of an API token; default 10 (a working day).
REST_KNOX = {
    "TOKEN_TTL": timedelta(hours=env.int("API_TOKEN_HOURS", default=10)),
    "AUTH_HEADER_PREFIX": "Token",
    "AUTO_REFRESH": False,
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
CSRF_FAILURE_VIEW = "demozone.errors.csrf_failure"  # branded, in the user's language
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Time: stored in UTC, reckoned and shown in Asia/Shanghai (DESIGN.md, Time).
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# DJANGO_STATIC_ROOT — where collectstatic puts the hashed, compressed files; default staticfiles/ beside manage.py.
STATIC_ROOT = Path(env.str("DJANGO_STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
# DJANGO_STATIC_FROM_SOURCE — serve static/ as it is, without collectstatic (WhiteNoise's finders): on with DEBUG,
# and for ./scripts/run's local demo, which runs with DEBUG off; production serves the collected, hashed files.
WHITENOISE_USE_FINDERS = env.bool("DJANGO_STATIC_FROM_SOURCE", default=DEBUG)
if not DEBUG:
    # Hashed, compressed static files (collectstatic) that browsers may cache for good.
    STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "demozone.storage.StaticFilesStorage"},
    }
# MEDIA_ROOT — where uploaded documents are kept; default media/ beside manage.py.
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "media")))
MEDIA_URL = "media/"
# Uploaded documents: at most this many bytes each (DOCUMENT_MAX_BYTES, default 50 MB).
DOCUMENT_MAX_BYTES = env.int("DOCUMENT_MAX_BYTES", default=50 * 1024 * 1024)
# OBJECTION_ATTACHMENT_MAX_BYTES — a public objection's attachment: at most this many bytes each (default 10 MB).
OBJECTION_ATTACHMENT_MAX_BYTES = env.int("OBJECTION_ATTACHMENT_MAX_BYTES", default=10 * 1024 * 1024)
# OBJECTION_ATTACHMENT_MAX_FILES — at most this many attachments to one objection (default 3).
OBJECTION_ATTACHMENT_MAX_FILES = env.int("OBJECTION_ATTACHMENT_MAX_FILES", default=3)
# The objection form's captcha (django-simple-captcha): four letters, valid for 30 minutes — a citizen may take a
# while to write the facts; a failed post shows a new one.
CAPTCHA_LENGTH = 4
CAPTCHA_TIMEOUT = 30
CAPTCHA_FONT_SIZE = 30
# PUBLIC_READ_RATE — reads of the public pages and API per client address (DRF rate syntax); default 300/min.
PUBLIC_READ_RATE = env.str("PUBLIC_READ_RATE", default="300/min")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "knox.auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # Deny by default: every view names its own permission classes; one that forgets gets this.
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "demozone.api.Pagination",
    "PAGE_SIZE": 20,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "demozone.api.exception_handler",
    "DEFAULT_PARSER_CLASSES": [
        "demozone.parsers.SafeJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
}
# USER_DATE_WINDOW_YEARS — a date a user sends must lie within this many years of today (400 otherwise).
USER_DATE_WINDOW_YEARS = env.int("USER_DATE_WINDOW_YEARS", default=20)
# JSON_MAX_DEPTH — deeper JSON request bodies are refused with a 400.
JSON_MAX_DEPTH = env.int("JSON_MAX_DEPTH", default=32)

SPECTACULAR_SETTINGS = {
    "TITLE": "demozone API — 网络市场监管与服务示范区",
    "DESCRIPTION": "Creation cases of the national online-market supervision and service demonstration zones.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "demozone.api.strip_backend_integer_limits",
        "demozone.api.document_error_responses",
    ],
    "ENUM_NAME_OVERRIDES": {
        "CaseStateEnum": "cases.workflow.State",
        "DocumentKindEnum": "documents.models.DocumentKind",
        "AuditKindEnum": "cases.models.AuditKind",
        "OfficialDocumentKindEnum": "official.models.OfficialDocumentKind",
        "UnitKindEnum": "creation.models.UnitKind",
        "TaskStatusEnum": "creation.models.TaskStatus",
        "CreationCheckKindEnum": "creation.models.Check.Kind",
    },
}

# REDIS_URL — Redis for the Celery broker and results. Unset: tasks run in-process (embedded default).
REDIS_URL = env.str("REDIS_URL", default="")
# The cache (API throttling, sessions' neighbours) is shared through Redis when there is one.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
          if REDIS_URL else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# PUBLIC_CACHE_SECONDS — the longest a kept copy of a public page lives (publicity/cache.py); every publishing act
# drops the copies at once anyway. Default 600.
PUBLIC_CACHE_SECONDS = env.int("PUBLIC_CACHE_SECONDS", default=600)
# PAGE_CACHE_SECONDS — the longest a signed-in user's page is served again while nothing has been committed to the
# database since it was rendered (demozone/pagecache.py); any write anywhere drops it at once. Default 300; 0 = off.
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=300)
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"

# EMAIL_URL — e.g. smtp://user:pass@host:587; default: e-mail printed to the console.
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="demozone@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # django-axes logs every attempt at INFO; the sign-in audit is in its tables (admin), lockouts stay WARNING.
    "loggers": {"axes": {"level": "WARNING"},
                # WeasyPrint narrates every step of every PDF at INFO (official documents): keep its warnings only.
                "weasyprint": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}},
}

# ── Deadlines, periodic jobs and notifications (issue 4; deadlines/, notifications/, docs/jobs.md) ─────────────

# DEADLINE_REMINDER_DAYS — reminders go out this many days before each deadline; default 30,7,1.
DEADLINE_REMINDER_DAYS = env.list("DEADLINE_REMINDER_DAYS", cast=int, default=[30, 7, 1])
# CREATION_MILESTONE_REMINDER_DAYS — creation tasks and phases (creation.milestones) are reminded this many days
# before their due day / end; default 14,3,1 (a task's window is weeks, not the months of a legal deadline).
CREATION_MILESTONE_REMINDER_DAYS = env.list("CREATION_MILESTONE_REMINDER_DAYS", cast=int, default=[14, 3, 1])
# DEADLINE_SWEEP_MINUTES — how often the sweeps (lapses, notice expiry, reminders, annual reports) run; default 15.
DEADLINE_SWEEP_MINUTES = env.int("DEADLINE_SWEEP_MINUTES", default=15)
# NOTIFICATION_EMAIL_MAX_ATTEMPTS — failed e-mail is retried by each sweep up to this many times; default 5.
NOTIFICATION_EMAIL_MAX_ATTEMPTS = env.int("NOTIFICATION_EMAIL_MAX_ATTEMPTS", default=5)

_sweep_every = timedelta(minutes=DEADLINE_SWEEP_MINUTES)
# Read by celery beat (the DatabaseScheduler copies these into django_celery_beat's PeriodicTask table at start)
# and by `manage.py run_scheduler` (the embedded default, no Redis).
CELERY_BEAT_SCHEDULE = {
    "deadlines-lapses": {"task": "deadlines.sweep_lapses", "schedule": _sweep_every},
    "deadlines-notices": {"task": "deadlines.sweep_notices", "schedule": _sweep_every},
    "deadlines-late-reviews": {"task": "deadlines.sweep_late_reviews", "schedule": _sweep_every},
    "deadlines-reminders": {"task": "deadlines.sweep_reminders", "schedule": _sweep_every},
    "deadlines-annual-reports": {"task": "deadlines.sweep_annual_reports", "schedule": _sweep_every},
    "notifications-pending-email": {"task": "notifications.deliver_pending", "schedule": timedelta(minutes=1)},
    "creation-milestones": {"task": "creation.sweep_milestones", "schedule": _sweep_every},
}
# A broker that is down must not hold up a web request: fail fast, the e-mail stays pending for the next sweep.
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}
# CELERY_VISIBILITY_TIMEOUT — seconds before Redis hands an unacknowledged task (its worker died) to another
# worker; default 3600. Sweeps are idempotent, so redelivery is safe.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": 2, "socket_timeout": 5,
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600),
    # Look for such orphaned tasks every 10 s (kombu's default scans only every 100 s).
    "unacked_restore_interval": 10, "unacked_restore_throttle": 1,
}
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_IGNORE_RESULT = False
CELERY_WORKER_PREFETCH_MULTIPLIER = 1  # with acks_late: a worker holds only the task it is running
