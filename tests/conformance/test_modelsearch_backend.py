"""modelsearch's own backend suite (123 tests) against the Whoosh backend.

Runs under tests/conformance/settings.py (its own pytest invocation: see the Makefile's
`pytest` target). Skipped, with the reason, when the fixture folder is absent.
"""

from pathlib import Path

import pytest
from django.conf import settings
from django.test import TestCase

if not settings.FIXTURE_DIRS:
    pytest.skip(
        "modelsearch conformance fixture not found at ../shared/conformance/modelsearch "
        "(search.json is not shipped in the wheel)",
        allow_module_level=True,
    )

from modelsearch.index import get_indexed_models  # noqa: E402
from modelsearch.test.testapp import models  # noqa: E402
from modelsearch.tests.test_backends import BackendTests  # noqa: E402
from whoosh import index  # noqa: E402

from search.backends.whoosh import WhooshMapping  # noqa: E402


class TestWhooshBackendConformance(BackendTests, TestCase):
    backend_path = "search.backends.whoosh"

    # Whoosh's counterparts of the three backend-specific tests modelsearch's SQLite suite adds.

    def test_reset_indexes(self):
        self.backend.reset_indexes()
        results = self.backend.search("JavaScript", models.Book)
        self.assertEqual(results.count(), 0)

    def test_document_for_multi_table_child(self):
        novel = models.Novel.objects.get(title="The Hobbit")
        document = WhooshMapping(models.Novel).get_document(novel)
        self.assertEqual(document["docid"], f"searchtests.book:{novel.pk}")
        self.assertEqual(document["ctype"], ["searchtests.novel", "searchtests.book"])
        self.assertIn("Hobbit", document["title__t"])
        self.assertIn("searchtests_novel__setting__t", document)
        self.assertIn("Bilbo Baggins", document["searchtests_novel__protagonist__name__t"])

    def test_index_is_one_directory_on_disk(self):
        path = Path(settings.MODELSEARCH_BACKENDS["default"]["PATH"])
        self.assertTrue(index.exists_in(str(path)))
        with index.open_dir(str(path)).searcher() as searcher:
            self.assertEqual(
                searcher.doc_count(),
                sum(m.get_indexed_objects().count() for m in get_indexed_models()),
            )
