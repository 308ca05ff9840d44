"""A fresh Whoosh index per test (the index is outside the database, so it does not roll back).

Import the fixture into a test module: `from tests.search.index_fixtures import search_index`.
"""

import pytest
from modelsearch.backends import get_search_backend

from search.backends.whoosh import WhooshSearchBackend


@pytest.fixture
def search_index(settings, tmp_path, db):
    """Point the default backend at an empty index folder for this test; returns the backend."""
    config = {
        "default": {
            "BACKEND": "search.backends.whoosh",
            "PATH": str(tmp_path / "index"),
            "WRITE_TIMEOUT": 0.2,
        }
    }
    settings.WAGTAILSEARCH_BACKENDS = config
    settings.MODELSEARCH_BACKENDS = config
    backend = get_search_backend()
    assert isinstance(backend, WhooshSearchBackend)
    backend.reset_indexes()
    return backend


@pytest.fixture
def reset_search_index():
    """Empty the default Whoosh index before a test (no-op on other backends).

    The index lives outside the database, so documents from earlier tests in the same worker
    outlive their rolled-back rows. Autouse for every test through tests/conftest.py.
    """
    backend = get_search_backend()
    if isinstance(backend, WhooshSearchBackend):
        backend.reset_indexes()
    return backend
