"""Backup, wipe, restore: the rows, the media and search all come back.

The search index is derived data: the archive's copy of it is not trusted. Here the index is
emptied before the backup is taken, so search after the restore works only because the restore
rebuilt the index from the restored rows (and `--no-index` shows the difference). This goes
through the search framework's public API, so it holds for any configured backend.
"""

import pytest
from django.core.management import call_command
from modelsearch.backends import get_search_backend

from portal.backups import rebuild_search_index
from questions.models import Question, QuestionIndexPage
from tests.factories import UserFactory
from tests.questions.factories import QuestionFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

TITLE = "When will the Mill Lane recycling centre reopen?"


def _found(client) -> list[str]:
    """What the public similar-questions endpoint finds, and what a search finds."""
    titles = [
        r["title"]
        for r in client.get("/ask-the-council/suggest/", {"q": "recycling centre"}).json()[
            "results"
        ]
    ]
    searched = [q.title for q in Question.objects.public().search("recycling")]
    return sorted(set(titles) | set(searched))


@pytest.fixture
def snapshot(tmp_path, settings, home_page, client):
    settings.MEDIA_ROOT = tmp_path / "media"
    (settings.MEDIA_ROOT / "documents").mkdir(parents=True)
    (settings.MEDIA_ROOT / "documents" / "recycling-plan.pdf").write_bytes(b"%PDF-1.4 plan")
    index = QuestionIndexPage(title="Ask the council", slug="ask-the-council")
    home_page.add_child(instance=index)
    index.save_revision().publish()
    question = QuestionFactory(author=UserFactory(), title=TITLE)
    rebuild_search_index()
    assert _found(client) == [TITLE]

    # The index is derived data: take the backup with it empty, to prove restore rebuilds it.
    get_search_backend().reset_indexes()
    assert _found(client) == []
    call_command("backup", output_dir=tmp_path / "backups")
    archive = next((tmp_path / "backups").glob("parley-*.tar.gz"))

    # Wipe: the rows, the media and the index.
    Question.objects.all().delete()
    (settings.MEDIA_ROOT / "documents" / "recycling-plan.pdf").unlink()
    get_search_backend().reset_indexes()
    return archive, question, settings.MEDIA_ROOT


def test_restore_brings_back_rows_media_and_search(snapshot, client):
    archive, question, media = snapshot
    call_command("restore", str(archive), yes=True)
    assert Question.objects.get(pk=question.pk).title == TITLE
    assert (media / "documents" / "recycling-plan.pdf").read_bytes() == b"%PDF-1.4 plan"
    assert _found(client) == [TITLE]


def test_without_the_rebuild_the_restored_rows_are_not_searchable(snapshot, client):
    archive, question, _ = snapshot
    call_command("restore", str(archive), yes=True, no_index=True)
    assert Question.objects.filter(pk=question.pk).exists()
    assert _found(client) == []
    rebuild_search_index()
    assert _found(client) == [TITLE]
