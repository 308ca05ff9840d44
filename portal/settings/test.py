"""The test suite: fast hashing, in-memory cache and email, tasks run at once."""

import atexit
import os
import shutil
import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import BASE_DIR, STATICFILES_DIRS, VAR_DIR, search_backends

SECRET_KEY = "test-only-key"  # noqa: S105  # nosec B105
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Each xdist worker gets its own runtime folder for media, indexes and sandbox state.
_worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
MEDIA_ROOT = VAR_DIR / "test" / _worker / "media"
# The search index: a fresh folder per test run and xdist worker, removed at exit.
_search_tmp = tempfile.mkdtemp(prefix=f"parley-search-{_worker}-")
atexit.register(shutil.rmtree, _search_tmp, ignore_errors=True)
SEARCH_INDEX_DIR = Path(_search_tmp) / "index"
WAGTAILSEARCH_BACKENDS = MODELSEARCH_BACKENDS = search_backends(SEARCH_INDEX_DIR)
SANDBOX_STATE_DIR = VAR_DIR / "test" / _worker / "x-sandbox"
PARLEY_PRIVATE_ROOT = VAR_DIR / "test" / _worker / "private"
PARLEY_FORM_MIN_SECONDS = 0
# Tests that check the signed-out thread page cache switch it on themselves.
PARLEY_THREAD_PAGE_CACHE_SECONDS = 0
PARLEY_DEMO_MODE = False
WAGTAILADMIN_BASE_URL = "http://testserver"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"null": {"class": "logging.NullHandler"}},
    "root": {"handlers": ["null"], "level": "WARNING"},
}

WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# The browser tests inject axe-core from our own origin, so the strict CSP stays on for them.
STATICFILES_DIRS = [*STATICFILES_DIRS, ("axe", BASE_DIR / "node_modules" / "axe-core")]
