"""Settings for bench/search.py: the project's settings on a throwaway SQLite database, with two
search backends side by side (Whoosh and modelsearch's SQLite FTS5), neither updated on save."""

import os
from pathlib import Path

from portal.settings.base import *  # noqa: F403
from portal.settings.base import VAR_DIR

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "bench-only-key")  # noqa: S105
DEBUG = False
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
WAGTAILSEARCH_BACKENDS = MODELSEARCH_BACKENDS = {
    "default": {
        "BACKEND": "search.backends.whoosh",
        "PATH": str(Path(VAR_DIR) / "search-index"),
        "AUTO_UPDATE": False,
    },
    "fts5": {"BACKEND": "modelsearch.backends.database", "AUTO_UPDATE": False},
}
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"null": {"class": "logging.NullHandler"}},
    "root": {"handlers": ["null"], "level": "WARNING"},
}
