"""Settings for Personal Plan, read from the environment (see .env.example and README)."""

import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from whitenoise.compress import Compressor

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def envint(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


def envlist(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DATA_DIR = Path(os.environ.get("DATA_DIR") or BASE_DIR / "data")


def _secret_key() -> str:
    """Use SECRET_KEY if given; otherwise keep a random key in the data folder, never in the repo."""
    if key := os.environ.get("SECRET_KEY"):
        return key
    key_file = DATA_DIR / "secret_key"
    try:
        return key_file.read_text().strip()
    except FileNotFoundError:
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(50)
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(key)
        return key
    except FileExistsError:  # another process wrote it first
        return key_file.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = envbool("DEBUG", False)
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS")
SITE_NAME = os.environ.get("SITE_NAME", "Personal Plan")
# Printed on the parents' handout; left blank there (a line to write on) when not set.
SCHOOL_NAME = os.environ.get("SCHOOL_NAME", "")
SCHOOL_SAFEGUARDING_CONTACT = os.environ.get("SCHOOL_SAFEGUARDING_CONTACT", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "csp",
    "crispy_forms",
    "crispy_bootstrap5",
    # Floors, ground first: imports only go down (tests/test_import_rules.py; README, "Where the code lives").
    "accounts",
    "pdf",
    "lessons",
    "plans",
    "feedback",
    "operations",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "config.middleware.SecurityHeadersMiddleware",
    # Students' polls in a live lesson, hundreds a second, are answered here (lessons/live_poll.py).
    "lessons.live_poll.StudentPollMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "config.middleware.NoStoreForTeachersMiddleware",
    "config.middleware.RequestBodyLimitMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"

# Security headers. Everything a page uses comes from this server: no inline script or style, no frames.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# Not "no-referrer": under it browsers send "Origin: null" on same-site form posts and the CSRF check refuses
# them. "same-origin" still gives other sites (the quick exit's included) no referrer at all.
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_COOKIE_HTTPONLY = True
# HTTPS=true once the server is behind TLS (see docs/deploy.md): secure cookies, redirects and HSTS.
HTTPS = envbool("HTTPS", False)
if HTTPS:
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    # Both only widen HSTS to this host's own subdomains; preloading still needs the domain's owner to apply.
    SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
# /healthz answers load balancers over plain HTTP on the private network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
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
                "config.context_processors.site",
            ],
        },
    },
]

if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=60)}
    # conn_max_age reuses connections; health checks drop one that died (say, a database restart).
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # One test database per process, so that two test runs on one server never collide.
    DATABASES["default"]["TEST"] = {"NAME": f"test_{DATABASES['default']['NAME']}_{os.getpid()}"}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": Path(os.environ.get("SQLITE_PATH") or DATA_DIR / "personal-plan.sqlite3"),
            "OPTIONS": {
                # IMMEDIATE takes the write lock at BEGIN, so two writers queue on the busy timeout
                # instead of one failing with "database is locked" when it upgrades a read lock.
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                # secure_delete: deleted and replaced rows (a deleted plan, a flushed session) are overwritten
                # with zeros in the file, not left in free space; config/sessions.py truncates the log after.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA secure_delete=ON;",
            },
            # A file (not memory) so tests exercise WAL and locking; one per process so runs never collide.
            "TEST": {"NAME": DATA_DIR / f"test-{os.getpid()}.sqlite3"},
            # Each thread keeps its connection: opening one costs the PRAGMAs, and closing the last one
            # checkpoints and deletes the write-ahead log, which the next request then creates again.
            "CONN_MAX_AGE": envint("SQLITE_CONN_MAX_AGE", 300),
        }
    }
    DATA_DIR.mkdir(parents=True, exist_ok=True)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "teach:dashboard"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT") or BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# The PDF fonts (static/pdf/fonts) are read from disk by WeasyPrint and never sent to a browser (pages use the
# device's own fonts), so collectstatic does not compress them: brotli on their 2.3 MB was two thirds of its time.
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = (
    *Compressor.SKIP_COMPRESS_EXTENSIONS,
    "ttf",
)

# A student's session (their place in the lesson and, later, their plan) lasts this long and then expires.
SESSION_COOKIE_AGE = envint("SESSION_COOKIE_AGE", 24 * 60 * 60)
# ... on the server. In the browser the cookie ends when the browser closes, so the next student at a shared
# school computer cannot open the last one's plan (and "Finish and clear this computer" ends it at once).
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_ENGINE = "config.sessions"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Request bodies: the app refuses one over these sizes itself, with a friendly 413 page
# (config/middleware.py), whatever proxy is or is not in front. Anything a student or a teacher sends is a
# few kilobytes (the longest plan page, every box full of emoji, is under 80 KB).
REQUEST_BODY_MAX_BYTES = envint("REQUEST_BODY_MAX_BYTES", 128 * 1024)
# Pilot leads (staff) upload pictures (up to 5 MB), package files (a zip with its pictures, usually well under
# 16 MB) and results bundles (up to 2 MB) and edit whole packages in the admin.
STAFF_REQUEST_BODY_MAX_BYTES = envint("STAFF_REQUEST_BODY_MAX_BYTES", 16 * 1024 * 1024)
# Django's own limits within those: form fields (not files) read into memory, fields and files per request
# (a package's admin page has about 500 fields).
DATA_UPLOAD_MAX_MEMORY_SIZE = envint("DATA_UPLOAD_MAX_MEMORY_SIZE", int(2.5 * 1024 * 1024))
DATA_UPLOAD_MAX_NUMBER_FIELDS = envint("DATA_UPLOAD_MAX_NUMBER_FIELDS", 1000)
DATA_UPLOAD_MAX_NUMBER_FILES = envint("DATA_UPLOAD_MAX_NUMBER_FILES", 10)
# Every upload the limits allow stays in memory: no temporary files, which the systemd unit's read-only file
# system (ProtectSystem=strict, docs/deploy.md) would refuse.
FILE_UPLOAD_MAX_MEMORY_SIZE = STAFF_REQUEST_BODY_MAX_BYTES

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Class sessions close themselves after this many hours so that old join codes stop working.
CLASS_SESSION_HOURS = envint("CLASS_SESSION_HOURS", 24)
# Guessing join codes, per window: a device is paused after its failures; past the failures from one network
# address, or from every address together, joining from there (or everywhere) also needs the class word.
JOIN_FAILURES_PER_DEVICE = envint("JOIN_FAILURES_PER_DEVICE", 10)
JOIN_FAILURES_PER_ADDRESS = envint("JOIN_FAILURES_PER_ADDRESS", 200)
JOIN_FAILURES_PER_SERVER = envint("JOIN_FAILURES_PER_SERVER", 500)
JOIN_FAILURE_WINDOW_SECONDS = envint("JOIN_FAILURE_WINDOW_SECONDS", 15 * 60)
# Places in a new class session: devices that may join it (a teacher can raise it up to 500 on the session
# page), so that one class code cannot be used to fill a lesson with made-up students.
CLASS_SESSION_MAX_STUDENTS = envint("CLASS_SESSION_MAX_STUDENTS", 40)
if not 1 <= CLASS_SESSION_MAX_STUDENTS <= 500:
    raise ImproperlyConfigured(
        f"CLASS_SESSION_MAX_STUDENTS must be between 1 and 500, not {CLASS_SESSION_MAX_STUDENTS}"
    )
# Reverse proxies in front of the app (nginx: 1) whose X-Forwarded-For entries are trusted for the client's
# address in the limits below. 0 when gunicorn faces the network directly.
TRUSTED_PROXY_COUNT = envint("TRUSTED_PROXY_COUNT", 0)
# Teacher log-in: wrong passwords allowed for one username from one address before a cool-off of one window.
LOGIN_FAILURES_ALLOWED = envint("LOGIN_FAILURES_ALLOWED", 5)
LOGIN_FAILURE_WINDOW_SECONDS = envint("LOGIN_FAILURE_WINDOW_SECONDS", 15 * 60)

# The page the quick-exit button leaves for: neutral, and somewhere a student could plausibly be.
QUICK_EXIT_URL = os.environ.get("QUICK_EXIT_URL", "https://www.bbc.co.uk/weather")

# Adds /bench/bare, a trivial view the benchmarks compare real pages against. Never on a school server.
BENCH_VIEWS = envbool("BENCH_VIEWS", False)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# Feedback
# Results, exports and reports show nothing for a group of fewer responses than this, so that no student's
# answers can be picked out; a breakdown is shown only when every part of it reaches this size.
FEEDBACK_MIN_GROUP = envint("FEEDBACK_MIN_GROUP", 5)
# This server's Ed25519 private key for signing results bundles (PEM). Made on first use, readable only by the
# app's user, never in the database or in git: keep it with the backups, as a new key means the pilot lead
# must accept it again. A pilot lead's server checks every bundle's signature (feedback.bundles.file).
BUNDLE_SIGNING_KEY_FILE = Path(os.environ.get("BUNDLE_SIGNING_KEY_FILE") or DATA_DIR / "bundle_signing_key")
# Self-guided feedback needs no class code: answers taken from one network address (a school shares one) in an
# hour, counted under an HMAC of the address. Generous, so a computer room is never refused; stops stuffing.
SELF_GUIDED_FEEDBACK_PER_ADDRESS = envint("SELF_GUIDED_FEEDBACK_PER_ADDRESS", 60)

# PDFs (the plan, the results report, the parents' handout) -------------------------------------------------
# PDF renders allowed at once in one process (WeasyPrint's layout holds the GIL, so more adds memory, not
# speed); further downloads wait up to PDF_QUEUE_SECONDS before a "try again" page. The old names
# PLAN_PDF_CONCURRENT_RENDERS and PLAN_PDF_QUEUE_SECONDS are still read when the new ones are unset.
PDF_CONCURRENT_RENDERS = envint("PDF_CONCURRENT_RENDERS", envint("PLAN_PDF_CONCURRENT_RENDERS", 1))
PDF_QUEUE_SECONDS = envint("PDF_QUEUE_SECONDS", envint("PLAN_PDF_QUEUE_SECONDS", 20))
# WeasyPrint's own warnings name template URLs and CSS only, never plan text; keep them out of routine logs.
LOGGING["loggers"] = {**LOGGING.get("loggers", {}), "weasyprint": {"level": "ERROR"}}

# Plans ------------------------------------------------------------------------------------------------------
# A student's plan lives only in their session. It is dropped this long after it was last changed, and goes
# sooner if the session itself expires (SESSION_COOKIE_AGE) or the student deletes it.
PLAN_MAX_AGE_SECONDS = envint("PLAN_MAX_AGE_SECONDS", SESSION_COOKIE_AGE)
# The package a plan uses when the student has not started a lesson (the newest version with this slug).
PLAN_DEFAULT_PACKAGE = os.environ.get("PLAN_DEFAULT_PACKAGE", "personal-plan")
# End of Plans ------------------------------------------------------------------------------------------------
