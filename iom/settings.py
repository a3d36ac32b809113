"""Settings for the IOM application, read from the environment.

With nothing configured the application runs in the embedded development mode: SQLite under
``var/``, Celery tasks run inline, a development secret key. Production (``IOM_ENV=production``)
refuses to start without a real ``SECRET_KEY`` and turns on every transport-security setting.
"""

import ipaddress
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("IOM_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


IOM_ENV = os.environ.get("IOM_ENV", "development")
if IOM_ENV not in {"development", "production"}:
    raise ImproperlyConfigured("IOM_ENV must be 'development' or 'production'.")
IS_PRODUCTION = IOM_ENV == "production"

DEBUG = env_bool("DJANGO_DEBUG", not IS_PRODUCTION)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if IS_PRODUCTION:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Production refuses to start without a real secret key."
        )
    SECRET_KEY = "development-only-key-not-for-production-use-" + "x" * 20
elif IS_PRODUCTION and (len(SECRET_KEY) < 50 or SECRET_KEY.startswith("development-only")):
    raise ImproperlyConfigured("SECRET_KEY must be a random value of at least 50 characters.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "" if IS_PRODUCTION else "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "guardian",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "rest_framework.authtoken",
    "iom",
    "cohorts",
    "cohorts.risk",
    "cohorts.controls",
    "cohorts.contacts",
    "referrals",
    "pathways",
    "reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "iom.middleware.OTPMiddleware",
    "iom.middleware.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "iom.middleware.SecurityHeadersMiddleware",
    # Axes must come last: it reads the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "iom.urls"
WSGI_APPLICATION = "iom.wsgi.application"

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
                "iom.context_processors.service",
                "cohorts.risk.context_processors.intelligence_queue",
            ],
        },
    },
]

# Widgets' templates (the GOV.UK date input) live in the project's templates folder.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

# --- Database -------------------------------------------------------------------------------
DATABASE_URL = os.environ.get("DATABASE_URL", "")
VAR_DIR.mkdir(parents=True, exist_ok=True)
if DATABASE_URL:
    # Connections are kept for a minute between requests, and checked before a request reuses
    # one: a connection the server dropped (a restart, a failover, pg_terminate_backend) is
    # replaced instead of failing the request.
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL,
            conn_max_age=int(os.environ.get("CONN_MAX_AGE", 60)),
            conn_health_checks=True,
        )
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(VAR_DIR / "iom.sqlite3"),
            "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 20},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Users, sign-in and sessions ------------------------------------------------------------
AUTH_USER_MODEL = "iom.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, reading the user with their agency, team and second factor.
    "iom.backends.UserBackend",
    "guardian.backends.ObjectPermissionBackend",
    "iom.backends.AdministratorPermissionBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "cohorts:list"
LOGOUT_REDIRECT_URL = "login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "iom.passwords.UserAttributeSimilarityValidator"},
    {
        "NAME": "iom.passwords.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "iom.passwords.CommonPasswordValidator"},
    {"NAME": "iom.passwords.NumericPasswordValidator"},
]

# A set-password link issued by an administrator works once, for this long.
PASSWORD_RESET_TIMEOUT = int(os.environ.get("IOM_SET_PASSWORD_LINK_HOURS", 72)) * 60 * 60

# Idle time-out: every request renews the session; it ends after this long without one,
# and always when the browser closes. The renewal is written at most once in this many
# seconds (iom/sessions.py), so that a page does not pay an UPDATE of its session each time.
SESSION_ENGINE = "iom.sessions"
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_IDLE_SECONDS", 30 * 60))
SESSION_RENEW_AFTER_SECONDS = int(os.environ.get("SESSION_RENEW_AFTER_SECONDS", 60))
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Two-factor sign-in (a time-based code from an authenticator app). Required for everyone in
# production; in development users may set it up from their account page.
IOM_REQUIRE_MFA = env_bool("IOM_REQUIRE_MFA", IS_PRODUCTION)
OTP_TOTP_ISSUER = os.environ.get("IOM_SERVICE_NAME", "Integrated Offender Management")

# The reverse proxies (addresses or networks) whose X-Forwarded-For entries are believed.
# Empty by default: the client is whoever opened the connection (REMOTE_ADDR).
IOM_TRUSTED_PROXIES = env_list("IOM_TRUSTED_PROXIES")
for _proxy in IOM_TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError as _error:
        raise ImproperlyConfigured(
            f"IOM_TRUSTED_PROXIES: {_proxy!r} is not an address."
        ) from _error

AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", 5))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", 30)))
# Locked per username whatever the address (guessing one password from many addresses), and
# per address whatever the username (trying one password on many accounts).
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_CLIENT_IP_CALLABLE = "iom.audit.client_ip"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False

# guardian: no anonymous user row; object permissions are per user and per agency/team group.
ANONYMOUS_USER_NAME = None
GUARDIAN_RAISE_403 = False
GUARDIAN_RENDER_403 = False

# --- Security (production turns everything on) ----------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_COOKIE_HTTPONLY = True
if IS_PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    # The container's health check asks over plain HTTP from inside the container.
    SECURE_REDIRECT_EXEMPT = [r"^healthz/$"]
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 31536000))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y", "%d %m %Y"]

# --- Static files and storage ---------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(
    os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles" if IS_PRODUCTION else VAR_DIR / "static")
)
if not IS_PRODUCTION:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# Outside production, serve straight from the source folders (no collectstatic needed).
WHITENOISE_USE_FINDERS = not IS_PRODUCTION
# Only the built assets are published; static/src holds their sources.
STATICFILES_DIRS = [("build", BASE_DIR / "static" / "build")]
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if IS_PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# --- REST API -------------------------------------------------------------------------------
from iom.api.settings import REST_FRAMEWORK, SPECTACULAR_SETTINGS  # noqa: E402, F401

# --- Celery ---------------------------------------------------------------------------------
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
# Without a broker (the embedded default) tasks run inline in the web process.
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", not CELERY_BROKER_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
# Delivery (docs/jobs.md): a task is acknowledged when it ends, so a message whose worker died
# is delivered again; a task whose pool process was killed is handed back at once. Each job's
# row (its lease) makes a second delivery harmless and bounds how often a job is retried.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A broker that is down or frozen must not hold a page: connecting, each socket operation and
# the publish retries give up within about 1.5 seconds, and the page says the job will start
# when the service recovers (the sweeper sends it). Redis answers in milliseconds when well.
BROKER_TIMEOUT_SECONDS = float(os.environ.get("BROKER_TIMEOUT_SECONDS", 0.5))
CELERY_BROKER_CONNECTION_TIMEOUT = BROKER_TIMEOUT_SECONDS
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_PUBLISH_RETRY = True
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.1,
    "interval_max": 0.1,
}
CELERY_BROKER_TRANSPORT_OPTIONS = {
    # Longer than the longest task's hard time limit (the ranking's, below), so that a task
    # still running is never delivered to a second worker; a message of a worker that died
    # comes back after this, by which time the sweeper has dealt with its job.
    "visibility_timeout": int(os.environ.get("BROKER_VISIBILITY_TIMEOUT", 2 * 3600)),
    "socket_timeout": BROKER_TIMEOUT_SECONDS,
    "socket_connect_timeout": BROKER_TIMEOUT_SECONDS,
    "socket_keepalive": True,
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.1,
    "interval_max": 0.1,
}
# Leases on jobs (iom/jobs.py): a worker renews its lease every third of this; a job whose
# lease ran out is re-queued (documents, reports: at most IOM_JOB_MAX_ATTEMPTS starts) or
# failed (ranking runs, imports) by the sweeper, which beat runs every minute.
IOM_JOB_LEASE_SECONDS = float(os.environ.get("IOM_JOB_LEASE_SECONDS", 60))
IOM_JOB_MAX_ATTEMPTS = int(os.environ.get("IOM_JOB_MAX_ATTEMPTS", 3))
# A queued job not sent this long after it was saved is sent by the sweeper; one sent this
# long ago and still not started is sent again (its message may have been lost).
IOM_JOB_SEND_GRACE_SECONDS = 10
IOM_JOB_RESEND_SECONDS = int(os.environ.get("IOM_JOB_RESEND_SECONDS", 600))
# (soft, hard) time limits of each kind of task, in seconds: at the soft limit the job fails
# with "took too long"; at the hard limit the worker process is replaced.
IOM_TASK_TIME_LIMITS = {
    "document": (120, 150),
    "cohort-report": (600, 660),
    "ranking": (1800, 1860),
    "import": (900, 960),
    "sweep": (50, 55),
}

# How long the dashboard's figures are kept before they are worked out again (seconds; 0: on
# every page), for every server process (reports/dashboard_figures.py). A change of the report
# configuration or of unit costs shows at once.
IOM_DASHBOARD_SECONDS = int(os.environ.get("IOM_DASHBOARD_SECONDS", "300"))

CELERY_BEAT_SCHEDULE: dict = {
    "worker-heartbeat": {"task": "iom.tasks.record_heartbeat", "schedule": 300.0},
    # The scheduler's own heartbeat, which its container health check reads
    # (manage.py check_heartbeat beat). One that waited for a worker for a minute is dropped.
    "scheduler-heartbeat": {
        "task": "iom.tasks.record_heartbeat",
        "schedule": 60.0,
        "args": ("beat",),
        "options": {"expires": 60},
    },
    # Jobs whose worker stopped, and jobs the broker could not take (iom/jobs.py).
    "jobs-sweep": {"task": "iom.tasks.sweep_jobs", "schedule": 60.0, "options": {"expires": 55}},
    # The Red/Amber/Green ranking of the cohort and of emerging threats (cohorts/risk).
    "risk-nightly-rerank": {
        "task": "risk.rerank_nightly",
        "schedule": crontab(hour=2, minute=30),
    },
    # Last month's dashboard figures, worked out again before they go stale (reports), so
    # that no manager waits for them. One that waited for a worker is dropped.
    "reports-refresh-dashboard": {
        "task": "reports.refresh_dashboard",
        "schedule": max(60.0, IOM_DASHBOARD_SECONDS / 2),
        "options": {"expires": 60},
    },
    # Last month's cohort report for managers (reports), after the night's ranking.
    "reports-monthly-cohort-report": {
        "task": "reports.tasks.monthly_cohort_report",
        "schedule": crontab(day_of_month=1, hour=4, minute=0),
    },
}

# --- The service ----------------------------------------------------------------------------
IOM_SERVICE_NAME = os.environ.get("IOM_SERVICE_NAME", "Integrated Offender Management")
IOM_AREA_NAME = os.environ.get("IOM_AREA_NAME", "Demo Shire IOM")
# How long the navigation's count of intelligence waiting to be graded is kept before it is
# counted again (seconds; 0: on every page). A submission's change drops it at once in the
# process that made it.
IOM_QUEUE_COUNT_SECONDS = int(os.environ.get("IOM_QUEUE_COUNT_SECONDS", "30"))
IOM_COHORT_PAGE_SIZE = 25

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # WeasyPrint narrates every step of every document at INFO.
    "loggers": {
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "weasyprint.progress": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
