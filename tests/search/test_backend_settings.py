"""Which backend the settings choose: Whoosh by default, OpenSearch by environment alone."""

import json

from modelsearch.backends import get_search_backend

from portal.settings.base import search_backends
from search.backends.whoosh import WhooshSearchBackend


def test_whoosh_is_the_default(monkeypatch, tmp_path):
    monkeypatch.delenv("MODELSEARCH_BACKENDS", raising=False)
    monkeypatch.delenv("OPENSEARCH_URL", raising=False)
    config = search_backends(tmp_path / "idx")
    assert config["default"]["BACKEND"] == "search.backends.whoosh"
    assert config["default"]["PATH"] == str(tmp_path / "idx")


def test_opensearch_url_switches_backend(monkeypatch, tmp_path):
    monkeypatch.delenv("MODELSEARCH_BACKENDS", raising=False)
    monkeypatch.setenv("OPENSEARCH_URL", "https://search.internal:9200")
    config = search_backends(tmp_path)
    assert config["default"]["BACKEND"] == "modelsearch.backends.opensearch2"
    assert config["default"]["URLS"] == ["https://search.internal:9200"]
    assert config["default"]["INDEX_PREFIX"] == "parley_"


def test_modelsearch_backends_json_wins(monkeypatch, tmp_path):
    wanted = {"default": {"BACKEND": "modelsearch.backends.elasticsearch8", "URLS": ["http://es"]}}
    monkeypatch.setenv("MODELSEARCH_BACKENDS", json.dumps(wanted))
    monkeypatch.setenv("OPENSEARCH_URL", "https://ignored")
    assert search_backends(tmp_path) == wanted


def test_test_settings_use_whoosh_in_a_private_folder(settings):
    backend = get_search_backend()
    assert isinstance(backend, WhooshSearchBackend)
    assert "parley-search-" in str(backend.path)
