"""Settings shared by every environment.

Everything that differs between deployments comes from environment variables; each optional
integration is switched on by the presence of its variable. Nothing here is insecure by default:
`DEBUG` is off and there is no usable secret key (dev and test set their own).
"""

import json
import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("PARLEY_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = False
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# The apps of the product, lowest floor first (see DESIGN.md): an app may import only from
# the apps before it. seed_demo runs each app's demo module in this order.
PARLEY_APPS = ["search", "portal", "questions", "consultations", "social", "scrutiny"]

INSTALLED_APPS = [
    *PARLEY_APPS,
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.routable_page",
    "wagtail.embeds",
    "wagtail.sites",
    "portal.users_app.ParleyUsersAppConfig",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django_tasks",
    "django_tasks_db",
    "allauth",
    "allauth.account",
    "portal.apps.ParleyAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "csp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # signed-out question threads straight from the cache (questions/page_cache.py)
    "questions.page_cache.ThreadPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "portal.middleware.PostRateLimitMiddleware",
    # admin holes closed in one place (portal/admin_permissions.py)
    "portal.admin_permissions.AdminGuardMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "portal.context_processors.site_chrome",
            ],
            "builtins": ["portal.templatetags.govuk"],
        },
    },
]
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

# Database: SQLite in var/ (WAL) unless DATABASE_URL says otherwise.
VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers carry on while one writer commits; IMMEDIATE takes the write lock
        # at BEGIN so two writers queue on busy_timeout instead of failing mid-transaction.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "portal.User"

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Accounts (django-allauth): email is the login, verified before anything is published.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_SIGNUP_FORM_CLASS = "portal.forms.SignupExtraForm"
ACCOUNT_ADAPTER = "portal.accounts.AccountAdapter"
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
ACCOUNT_PREVENT_ENUMERATION = True
# Peers' defaults (Decidim, CONSUL): 5 sign-in or reset attempts a minute, lock out after 5
# failures.
_FIVE_A_MINUTE = "5/m/ip,5/m/key"
_TWENTY_A_MINUTE = "20/m/ip"
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "5/m/ip,5/5m/key",
    "signup": "20/h/ip",
    "reset_password": _FIVE_A_MINUTE,
    "reset_password_from_key": _TWENTY_A_MINUTE,
    "confirm_email": "1/3m/key",
}
LOGIN_URL = "account_login"
# Wagtail's admin and private-page sign-in URLs only pass people on to allauth's throttled
# sign-in (portal/urls.py); password resets go through allauth's (rate limited) too.
WAGTAIL_PASSWORD_RESET_ENABLED = False
LOGIN_REDIRECT_URL = "/"
ACCOUNT_LOGOUT_REDIRECT_URL = "/"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, g:ia"

# Content Security Policy: no inline scripts or styles anywhere on the public site. The Wagtail
# admin ships its own inline styles, so it is left out (it is behind sign-in).
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/admin/", "/django-admin/"],
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-src": [
            SELF,
            "https://www.youtube-nocookie.com",
            "https://www.youtube.com",
            "https://player.vimeo.com",
            "https://www.openstreetmap.org",
        ],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"

# Static files: our own assets plus GOV.UK Frontend's built package (from npm, never committed).
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("govuk", BASE_DIR / "node_modules" / "govuk-frontend" / "dist" / "govuk"),
]
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Email: console in dev; SMTP when EMAIL_HOST is set.
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Parley <no-reply@parley.localhost>")
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
if os.environ.get("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["EMAIL_HOST"]
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
    EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

# Cache: Redis when REDIS_URL is set (rate limits then hold across processes), else local memory.
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Background work: django-tasks with the database backend, run by `manage.py db_worker`.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Search: Whoosh on disk by default (search/backends/whoosh.py); OpenSearch or Elasticsearch by
# configuration alone: MODELSEARCH_BACKENDS (JSON, the whole setting) or OPENSEARCH_URL.
SEARCH_INDEX_DIR = Path(os.environ.get("SEARCH_INDEX_DIR", VAR_DIR / "search-index"))


def search_backends(index_dir: Path) -> dict:
    if os.environ.get("MODELSEARCH_BACKENDS"):
        return json.loads(os.environ["MODELSEARCH_BACKENDS"])
    if os.environ.get("OPENSEARCH_URL"):
        version = os.environ.get("OPENSEARCH_VERSION", "2")
        return {
            "default": {
                "BACKEND": f"modelsearch.backends.opensearch{version}",
                "URLS": env_list("OPENSEARCH_URL"),
                "INDEX_PREFIX": os.environ.get("OPENSEARCH_INDEX_PREFIX", "parley_"),
                "TIMEOUT": int(os.environ.get("OPENSEARCH_TIMEOUT", "10")),
            }
        }
    return {
        "default": {
            "BACKEND": "search.backends.whoosh",
            "PATH": str(index_dir),
            # seconds the queue drain waits for another process's index writer
            "WRITE_TIMEOUT": float(os.environ.get("SEARCH_WRITE_TIMEOUT", "5")),
        }
    }


# Wagtail reads WAGTAILSEARCH_BACKENDS; modelsearch on its own reads MODELSEARCH_BACKENDS.
WAGTAILSEARCH_BACKENDS = MODELSEARCH_BACKENDS = search_backends(SEARCH_INDEX_DIR)

# Wagtail
WAGTAIL_SITE_NAME = "Parley"
WAGTAILADMIN_BASE_URL = os.environ.get("PARLEY_BASE_URL", "http://127.0.0.1:8000")
WAGTAIL_I18N_ENABLED = False
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "ods"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]
# No request body may be larger than the largest upload (documents) plus room for the form.
PARLEY_MAX_REQUEST_BYTES = WAGTAILDOCS_MAX_UPLOAD_SIZE + 1024 * 1024
WAGTAIL_MODERATION_ENABLED = True
WAGTAIL_WORKFLOW_ENABLED = True
# Wagtail's editor autosave is off. The browser journeys caught an autosave that held the form
# as it was when the editor opened landing just after the officer's "Submit to moderation":
# it became the latest revision, so the moderator's "Approve and Publish" published a page
# without the outcome the officer had written. Editors still get the unsaved-changes warning.
WAGTAIL_AUTOSAVE_INTERVAL = 0
WAGTAILEMBEDS_RESPONSIVE_HTML = True
TAGGIT_CASE_INSENSITIVE = True

# The X API: tweepy talks to X_API_BASE_URL (the local sandbox unless it is the real host).
X_API_BASE_URL = os.environ.get("X_API_BASE_URL", "http://127.0.0.1:8765")
X_API_TIMEOUT = float(os.environ.get("X_API_TIMEOUT", "10"))
SANDBOX_STATE_DIR = Path(os.environ.get("SANDBOX_STATE_DIR", VAR_DIR / "x-sandbox"))

# Demo mode adds the tour and demo logins to the site chrome; never on in production.
PARLEY_DEMO_MODE = env_bool("PARLEY_DEMO_MODE", False)

# Write limits (peers' defaults): POSTs per IP across the whole site.
PARLEY_POST_RATE_LIMIT = os.environ.get("PARLEY_POST_RATE_LIMIT", "300/300")

# Whole question threads are cached this long for signed-out readers (0 turns it off); the
# thread itself is always current, the site chrome and other apps' badges may lag this much.
PARLEY_THREAD_PAGE_CACHE_SECONDS = int(os.environ.get("PARLEY_THREAD_PAGE_CACHE_SECONDS", "60"))

# Forms submitted faster than this after they were rendered are treated as bots.
PARLEY_FORM_MIN_SECONDS = float(os.environ.get("PARLEY_FORM_MIN_SECONDS", "3"))

# Retention (manage.py purge_expired, also run daily by the scheduler).
PARLEY_RETENTION_UNVERIFIED_DAYS = int(os.environ.get("PARLEY_RETENTION_UNVERIFIED_DAYS", "30"))
PARLEY_RETENTION_RAW_X_DAYS = int(os.environ.get("PARLEY_RETENTION_RAW_X_DAYS", "90"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.request": {"level": "ERROR"},
        "django_tasks_db": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
    },
}

# Files that must never be public (evidence packs): outside MEDIA_ROOT, served only by views
# that check permissions.
PARLEY_PRIVATE_ROOT = Path(os.environ.get("PARLEY_PRIVATE_ROOT", VAR_DIR / "private"))
