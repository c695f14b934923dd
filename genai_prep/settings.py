"""Project settings: one module, driven by environment variables (see README)."""

import os
import sys
from datetime import timedelta
from pathlib import Path
from tempfile import gettempdir

import dj_database_url
from django.utils.csp import CSP

from genai_prep import logconfig

BASE_DIR = Path(__file__).resolve().parent.parent
# A checkout keeps templates/, static/ and fixtures/ beside the packages; an
# installed wheel carries them inside genai_prep/ (setup.py maps them there).
IS_CHECKOUT = (BASE_DIR / "manage.py").is_file()
RESOURCES = BASE_DIR if IS_CHECKOUT else Path(__file__).resolve().parent
# The SQLite file and collected static files: the checkout, or else the working
# directory of an installed copy; DJANGO_DATA_DIR overrides both.
DATA_DIR = Path(
    os.environ.get("DJANGO_DATA_DIR") or (BASE_DIR if IS_CHECKOUT else Path.cwd())
)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    return default if value is None else value.strip().lower() in {"1", "true", "yes"}


DEBUG = env_bool("DJANGO_DEBUG", False)
# pytest-django imports settings before any conftest can set variables, so the
# test run is recognised here.
TESTING = "pytest" in sys.modules

# Without DJANGO_SECRET_KEY, tools still run (migrations, checks, collectstatic)
# with a placeholder key, but the app refuses to serve unless DEBUG is on:
# genai_prep/wsgi.py and asgi.py (used by gunicorn and runserver) check
# SECRET_KEY_IS_SET, and `check --deploy` flags the placeholder (security.W009).
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
SECRET_KEY_IS_SET = bool(SECRET_KEY)
if not SECRET_KEY_IS_SET:
    SECRET_KEY = "django-insecure-dev-only-do-not-use-in-production"

ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1").split(",")
    if h.strip()
]
CSRF_TRUSTED_ORIGINS = [
    o.strip()
    for o in os.environ.get("DJANGO_CSRF_TRUSTED_ORIGINS", "").split(",")
    if o.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "cards",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "genai_prep.urls"
WSGI_APPLICATION = "genai_prep.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [RESOURCES / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "cards.learner.theme.context",
            ],
        },
    },
]

# SQLite is the embedded default; DATABASE_URL=postgres://... selects PostgreSQL.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{DATA_DIR / 'db.sqlite3'}",
        conn_max_age=60,
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE takes the write lock at BEGIN, so concurrent writers wait for
    # it (up to `timeout` seconds) instead of failing with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
PASSWORD_RESET_TIMEOUT = 60 * 60  # one hour

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "staticfiles"
STATICFILES_DIRS = [RESOURCES / "static"]
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
FIXTURE_DIRS = [RESOURCES / "fixtures"]

# Mail: the console in development; SMTP configured from the environment otherwise.
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "noreply@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
if DEBUG or TESTING:
    # The console, bodies decoded: a password-reset link there is one to copy.
    MAILERS = {"default": {"BACKEND": "cards.web.mail.EmailBackend"}}
else:
    MAILERS = {
        "default": {
            "BACKEND": "cards.web.mail.SMTPBackend",
            "OPTIONS": {
                "host": os.environ.get("DJANGO_EMAIL_HOST", "localhost"),
                "port": int(os.environ.get("DJANGO_EMAIL_PORT", "587")),
                "username": os.environ.get("DJANGO_EMAIL_USER", ""),
                "password": os.environ.get("DJANGO_EMAIL_PASSWORD", ""),
                "use_tls": env_bool("DJANGO_EMAIL_USE_TLS", True),
                # A worker never hangs on a silent server (issue 20).
                "timeout": int(os.environ.get("DJANGO_EMAIL_TIMEOUT", "20")),
            },
        }
    }

# Security. HTTPS is assumed in production; DJANGO_HTTPS=0 serves plain HTTP
# (local benchmarks). DEBUG and the test run default to plain HTTP; the
# security tests switch the HTTPS settings on explicitly.
HTTPS = env_bool("DJANGO_HTTPS", not (DEBUG or TESTING))
SECURE_SSL_REDIRECT = HTTPS
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https")
    if env_bool("DJANGO_BEHIND_PROXY", False)
    else None
)
SECURE_HSTS_SECONDS = 31_536_000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
# The __Host- prefix pins cookies to this host and path and requires Secure.
SESSION_COOKIE_NAME = "__Host-sessionid" if HTTPS else "sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken" if HTTPS else "csrftoken"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 60 * 60 * 24 * 14  # two weeks from login
SESSION_SAVE_EVERY_REQUEST = False

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}

# Logs (issue 13): JSON lines in production, readable text when debugging;
# DJANGO_LOG_FORMAT=json|text overrides. Errors are mailed to ADMINS.
LOGGING = logconfig.logging_config(
    json_lines=os.environ.get("DJANGO_LOG_FORMAT", "text" if DEBUG else "json")
    == "json",
    level=os.environ.get("DJANGO_LOG_LEVEL", "INFO"),
)

# --- Benchmark (issue 7) ------------------------------------------------------
# DJANGO_BENCH=1 (make bench / make soak only) installs the top-level `bench`
# package of a checkout as an app (its bench_data and bench_run commands, the
# floor template), adds a middleware that reports each request's SQL query
# count and time in response headers, and routes the two floor views. Off in
# production and in tests; the wheel does not contain `bench`.
BENCH = env_bool("DJANGO_BENCH", False)
if BENCH:
    INSTALLED_APPS += ["bench"]
    # Outermost, so it also counts the queries of the session and auth layers.
    MIDDLEWARE = ["bench.middleware.query_count", *MIDDLEWARE]
if os.environ.get("DJANGO_STATIC_ROOT"):
    STATIC_ROOT = Path(os.environ["DJANGO_STATIC_ROOT"])
# --- end benchmark ------------------------------------------------------------
# --- Reliability and security (issue 6) --------------------------------------
INSTALLED_APPS += ["axes"]
# Database outages become a 503 page (Retry-After) instead of a 500; private
# pages are never stored by browsers or proxies. Axes comes last, as it asks.
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.csp.ContentSecurityPolicyMiddleware") + 1,
    "cards.web.middleware.PrivatePagesNoStoreMiddleware",
)
# Times on pages are shown in the learner's zone (after authentication).
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
    "cards.web.middleware.LearnerTimeZoneMiddleware",
)
MIDDLEWARE += [
    "cards.web.middleware.DatabaseUnavailableMiddleware",
    "axes.middleware.AxesMiddleware",
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, loading the learner's profile with the user.
    "cards.learner.backends.ModelBackendWithProfile",
]
# Brute force: 5 failures per (username, IP) lock that pair for 15 minutes;
# the same IP can still log in as someone else, and the same user from
# elsewhere (no malicious lockout). 429 with a page that says so.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# The lock lasts 15 minutes from the fifth failure, as the lockout page says,
# however often the locked pair keeps trying meanwhile.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "cards.web.middleware.client_ip"
AXES_VERBOSE = False
# The client address is REMOTE_ADDR, or with DJANGO_BEHIND_PROXY=1 the last
# X-Forwarded-For entry (the one our own proxy appended; earlier ones are
# whatever the client sent).
TRUSTED_PROXY = env_bool("DJANGO_BEHIND_PROXY", False)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3" and TESTING:
    # The concurrency tests grade from several processes, which cannot share
    # an in-memory database: tests use a file (one per run, so runs can overlap).
    DATABASES["default"]["TEST"] = {
        "NAME": str(Path(gettempdir()) / f"genai-prep-test-{os.getpid()}.sqlite3")
    }
# --- end reliability and security --------------------------------------------
# --- Production operations (issue 13; docs/DEPLOY.md) --------------------------
# The request id comes first, so every other layer's log lines carry it; the
# metrics middleware next, so it times and counts everything else.
MIDDLEWARE = [
    "cards.ops.logs.RequestIdMiddleware",
    "cards.ops.metrics.MetricsMiddleware",
    *MIDDLEWARE,
]
# Load balancer and scraper probes answer over plain HTTP on the private network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]

# Unhandled errors: mailed to DJANGO_ADMINS ("ops@example.com,oncall@example.com")
# by default, and sent to Sentry when SENTRY_DSN is set (off when unset).
ADMINS = [
    a.strip() for a in os.environ.get("DJANGO_ADMINS", "").split(",") if a.strip()
]
SENTRY_DSN = os.environ.get("SENTRY_DSN", "")
if SENTRY_DSN:
    import sentry_sdk

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        environment=os.environ.get("SENTRY_ENVIRONMENT", "production"),
        traces_sample_rate=float(os.environ.get("SENTRY_TRACES_SAMPLE_RATE", "0")),
        send_default_pii=False,  # user id only, as in our own logs
    )

# Sessions and the signed-in user (issue 12): read from a cache every worker
# shares, so an authenticated request sends no query for either. Sessions are
# cached_db: written through to the database (logout and erasure revoke them
# there and in the cache; a cache miss or a restart only costs one read).
# The user and profile are cached against the session's auth hash
# (cards/web/auth.py). The shared cache is a directory on this host by
# default (DJANGO_SESSION_CACHE_DIR), Redis with REDIS_URL.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_CACHE_ALIAS = "sessions"
# The progress page's rendered history sections (cards/progress/fragments.py):
# 20-120 KB each, so apart from "default", whose rate-limit counters a full
# cache would otherwise cull. Keys are digests of their content: no
# invalidation, only expiry.
PROGRESS_CACHE_TIMEOUT = 60 * 60
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "progress": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "progress",
        "TIMEOUT": PROGRESS_CACHE_TIMEOUT,
        "OPTIONS": {"MAX_ENTRIES": 200},
    },
    "sessions": {
        # Django's, minus a directory listing on every write (its docstring).
        "BACKEND": "cards.web.filecache.FileBasedCache",
        "LOCATION": os.environ.get("DJANGO_SESSION_CACHE_DIR")
        or str(DATA_DIR / "session-cache"),
        "TIMEOUT": SESSION_COOKIE_AGE,
        "OPTIONS": {"MAX_ENTRIES": 100_000},
    },
}
if TESTING and not os.environ.get("DJANGO_SESSION_CACHE_DIR"):
    # One directory per test run, so runs can overlap (as the SQLite file).
    CACHES["sessions"]["LOCATION"] = str(
        Path(gettempdir()) / f"genai-prep-test-sessions-{os.getpid()}"
    )
MIDDLEWARE[
    MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware")
] = "cards.web.auth.CachedUserAuthenticationMiddleware"
# HTML compressed on the wire (the progress page's year is 400 KB raw); just
# after Security, so it sees every body the others write (BREACH: the class).
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
    "cards.web.middleware.HtmlGZipMiddleware",
)

# Redis (REDIS_URL=redis://host:6379/0) holds the caches, the rate-limit counters
# and the sessions, shared by every app server. Without it: per-process memory
# for the caches, and the directory above for sessions and users.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    prefix = os.environ.get("DJANGO_CACHE_PREFIX", "genai-prep")
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": prefix,
        },
        "progress": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": f"{prefix}-progress",
            "TIMEOUT": PROGRESS_CACHE_TIMEOUT,
        },
        "sessions": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": f"{prefix}-sessions",
            "TIMEOUT": SESSION_COOKIE_AGE,
        },
    }

# PgBouncer in transaction mode (DATABASE_POOLER=transaction): a server connection
# serves another client after every transaction, so no server-side cursors and no
# prepared statements. Otherwise cards/review/prepared.py's statements are prepared
# and planned once, generically (by default: 5 custom plans first, 3-5 ms each).
DATABASE_POOLER = os.environ.get("DATABASE_POOLER", "")
PREPARE = {"prepare_threshold": None if DATABASE_POOLER == "transaction" else 5}


def _prepare(options: dict) -> None:
    options.update(PREPARE)
    if PREPARE["prepare_threshold"]:
        generic = "-c plan_cache_mode=force_generic_plan"
        options["options"] = f"{options.get('options', '')} {generic}".strip()


if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    _prepare(DATABASES["default"].setdefault("OPTIONS", {}))
if DATABASE_POOLER == "transaction":
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
if os.environ.get("DATABASE_CONN_MAX_AGE"):
    DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ["DATABASE_CONN_MAX_AGE"])
# DATABASE_DIRECT_URL: PostgreSQL itself, bypassing the pooler, for migrations
# and backups (`DATABASE_URL=<direct> migrate`: docs/DEPLOY.md; `backup_db --database direct`).
if os.environ.get("DATABASE_DIRECT_URL"):
    DATABASES["direct"] = dj_database_url.parse(os.environ["DATABASE_DIRECT_URL"])
    DATABASES["direct"]["TEST"] = {"MIRROR": "default"}
# DATABASE_REPLICA_URL: a streaming replica of PostgreSQL for reads that may
# lag a second (the progress page; cards/ops/replica.py). The review flow
# never reads from it. The test run has the alias too, as the test database
# itself, so that tests/ops/test_replica.py can switch routing on and see it.
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"], conn_max_age=60, conn_health_checks=True
    )
    _prepare(DATABASES["replica"].setdefault("OPTIONS", {}))
    if DATABASE_POOLER == "transaction":
        DATABASES["replica"]["DISABLE_SERVER_SIDE_CURSORS"] = True
elif TESTING:
    DATABASES["replica"] = dict(DATABASES["default"])
if "replica" in DATABASES:
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_READ_REPLICA = "replica" if os.environ.get("DATABASE_REPLICA_URL") else ""
DATABASE_ROUTERS = ["cards.ops.replica.ReplicaRouter"]

# /metrics (Prometheus text): off unless METRICS_TOKEN is set; then it needs
# "Authorization: Bearer <token>" from an address in METRICS_ALLOWED_NETWORKS.
METRICS_TOKEN = os.environ.get("METRICS_TOKEN", "")
_NETWORKS = os.environ.get("METRICS_ALLOWED_NETWORKS", "127.0.0.0/8,::1/128")
METRICS_ALLOWED_NETWORKS = [n.strip() for n in _NETWORKS.split(",") if n.strip()]
# --- end production operations --------------------------------------------------

# --- Reminders and the job queue (issue 20) ------------------------------------
# django.tasks on the database queue of django-tasks-db, also in development:
# `manage.py db_worker` runs the jobs (make run starts one). Workers claim jobs
# with SELECT ... FOR UPDATE SKIP LOCKED, so any number of them, on any number
# of machines, can share one PostgreSQL queue. Tests run jobs immediately
# unless a test switches to the database queue (tests/reminders/queue.py).
INSTALLED_APPS += ["django_tasks_db"]
TASKS = {
    "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
}
if TESTING:
    TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
# Absolute links in mail sent by workers, which have no request to ask.
SITE_URL = os.environ.get("DJANGO_SITE_URL", "http://127.0.0.1:8000")
# Seconds before each retry of a failed reminder send; after the last, failed.
REMINDER_RETRY_DELAYS = (60, 300, 1800)
# --- end reminders --------------------------------------------------------------
