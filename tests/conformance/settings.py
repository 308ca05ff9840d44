"""Settings for running modelsearch's own backend test suite against our Whoosh backend.

Only what the suite needs: its test app (`modelsearch.test.testapp`, label `searchtests`),
modelsearch itself, taggit, and our `search` app (the backend and its queue). The fixture it
loads (`search.json`) lives outside the project, in ../shared/conformance/modelsearch.
"""

import os
import shutil
import tempfile
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def _fixture_dir() -> Path:
    """../shared/conformance/modelsearch from the project root (MODELSEARCH_CONFORMANCE_DIR
    overrides; a git worktree nested deeper finds it in the nearest ancestor that has it)."""
    if os.environ.get("MODELSEARCH_CONFORMANCE_DIR"):
        return Path(os.environ["MODELSEARCH_CONFORMANCE_DIR"])
    for ancestor in BASE_DIR.parents:
        candidate = ancestor / "shared" / "conformance" / "modelsearch"
        if candidate.is_dir():
            return candidate
    return BASE_DIR.parent / "shared" / "conformance" / "modelsearch"


CONFORMANCE_FIXTURES = _fixture_dir()

SECRET_KEY = "conformance-only"  # noqa: S105
DEBUG = False
USE_TZ = True
TIME_ZONE = "UTC"
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
INSTALLED_APPS = [
    "search",
    "modelsearch.test.testapp",
    "modelsearch",
    "taggit",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
]
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
FIXTURE_DIRS = [str(CONFORMANCE_FIXTURES)] if CONFORMANCE_FIXTURES.is_dir() else []
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

_worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
_tmp = tempfile.mkdtemp(prefix=f"parley-conformance-{_worker}-")
__import__("atexit").register(shutil.rmtree, _tmp, ignore_errors=True)
SEARCH_INDEX_DIR = Path(_tmp) / "index"
MODELSEARCH_BACKENDS = {
    "default": {"BACKEND": "search.backends.whoosh", "PATH": str(SEARCH_INDEX_DIR)},
}
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"null": {"class": "logging.NullHandler"}},
    "root": {"handlers": ["null"], "level": "WARNING"},
}
