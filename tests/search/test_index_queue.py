"""The one writer path: a held lock loses nothing, a broken index breaks no save, rebuild fixes."""

import shutil
import subprocess
import sys
import textwrap
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone
from whoosh import index as whoosh_index

from questions.models import Question
from search import index_queue
from search.backends.whoosh import build_schema
from search.errors import SearchUnavailable
from search.models import PendingIndexChange
from tests.questions.factories import QuestionFactory
from tests.search.index_fixtures import search_index  # noqa: F401

pytestmark = pytest.mark.django_db


def found(text):
    return sorted(q.title for q in Question.objects.search(text))


def index_path(backend):
    return Path(backend.path)


def test_a_save_while_another_writer_holds_the_lock_is_queued_then_applied(search_index):  # noqa: F811
    QuestionFactory(title="Streetlight out on Elm Road")
    ix = whoosh_index.open_dir(str(index_path(search_index)))
    other_writer = ix.writer()  # another process's writer, in effect: the lock is taken
    try:
        for n in range(3):
            QuestionFactory(title=f"Broken bench number {n} in the park")
        # every save succeeded; the changes wait in the queue, none in the index yet
        assert PendingIndexChange.objects.count() == 3
        assert found("bench") == []
        assert PendingIndexChange.objects.filter(attempts__gte=1).count() == 3
    finally:
        other_writer.cancel()
    assert index_queue.drain() == 3
    assert found("bench") == [f"Broken bench number {n} in the park" for n in range(3)]
    assert found("streetlight") == ["Streetlight out on Elm Road"]
    assert PendingIndexChange.objects.count() == 0


def test_a_second_process_holding_the_lock_loses_no_update(search_index):  # noqa: F811
    QuestionFactory(title="Graffiti on the underpass")
    path = index_path(search_index)
    holder = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-c",
            textwrap.dedent(
                f"""
                import sys
                from whoosh import index
                writer = index.open_dir({str(path)!r}).writer()
                print("locked", flush=True)
                sys.stdin.readline()
                writer.cancel()
                """
            ),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        question = QuestionFactory(title="Overflowing litter bin by the school")
        question.title = "Overflowing litter bins by the school gates"
        question.save()
        assert found("litter") == []
        assert PendingIndexChange.objects.count() == 2
    finally:
        holder.communicate("release\n", timeout=30)
    assert holder.returncode == 0
    index_queue.drain()
    assert found("litter") == ["Overflowing litter bins by the school gates"]
    assert found("graffiti") == ["Graffiti on the underpass"]


def test_queued_changes_apply_latest_state_once(search_index):  # noqa: F811
    ix = whoosh_index.open_dir(str(index_path(search_index)))
    writer = ix.writer()
    try:
        question = QuestionFactory(title="Dog fouling on the green")
        question.title = "Dog fouling on the village green"
        question.save()
        gone = QuestionFactory(title="Dog fouling by the church")
        gone.delete()
    finally:
        writer.cancel()
    index_queue.drain()
    assert found("fouling") == ["Dog fouling on the village green"]
    with whoosh_index.open_dir(str(index_path(search_index))).searcher() as searcher:
        assert searcher.doc_count() == 1


def test_missing_index_is_unavailable_until_rebuilt(search_index):  # noqa: F811
    QuestionFactory(title="Noise from the night-time deliveries")
    path = index_path(search_index)
    for child in path.iterdir():
        child.unlink()
    path.rmdir()
    with pytest.raises(SearchUnavailable, match="missing"):
        found("noise")
    out = StringIO()
    call_command("rebuild_modelsearch_index", stdout=out)
    assert found("noise") == ["Noise from the night-time deliveries"]
    report = out.getvalue()
    assert "questions.Question" in report
    assert "[##############################]" in report
    assert "1/1" in report


def _older_layout(backend, path):
    older = build_schema()
    older.remove("*__all")
    shutil.rmtree(path)
    path.mkdir()
    whoosh_index.create_in(str(path), older)
    backend.handle.forget()


def _corrupt(backend, path):
    for file in path.iterdir():
        if file.suffix in (".toc", ".seg") or file.name.endswith(".trm"):
            file.write_bytes(b"\x00garbage" * 10)


@pytest.mark.parametrize(
    ("breaks", "message"), [(_older_layout, "older layout"), (_corrupt, "rebuild")]
)
def test_a_broken_index_is_unavailable_saves_still_work_and_rebuild_fixes(
    search_index,  # noqa: F811
    breaks,
    message,
):
    QuestionFactory(title="Flooding on the towpath")
    breaks(search_index, index_path(search_index))
    with pytest.raises(SearchUnavailable, match=message):
        found("flooding")
    # a save with the index broken still succeeds, and its change waits in the queue rather
    # than being written to it
    QuestionFactory(title="Flooding under the railway bridge")
    assert PendingIndexChange.objects.count() == 1
    call_command("rebuild_modelsearch_index", verbosity=0)
    assert found("flooding") == ["Flooding on the towpath", "Flooding under the railway bridge"]
    assert PendingIndexChange.objects.count() == 0


def test_rebuild_swaps_in_a_new_index_and_keeps_queued_changes(search_index):  # noqa: F811
    QuestionFactory(title="Parking on the pavement")
    QuestionFactory(title="Parking permits for visitors")
    search_index.reset_indexes()
    assert found("parking") == []
    call_command("rebuild_modelsearch_index", verbosity=0)
    assert found("parking") == ["Parking on the pavement", "Parking permits for visitors"]
    siblings = [p.name for p in index_path(search_index).parent.iterdir()]
    assert siblings == ["index"]  # the build folder was moved in and the old one removed


def test_drain_command_reports(search_index):  # noqa: F811
    out = StringIO()
    call_command("drain_search_queue", stdout=out)
    assert "0 still queued" in out.getvalue()


def test_the_queue_sweep_is_a_periodic_job():
    from portal.scheduling import periodic_jobs

    jobs = {job.name: job for job in periodic_jobs()}
    assert jobs["search.drain_index_queue"].task.name == "drain_search_index_queue"


def test_a_busy_writer_schedules_a_retry_when_the_task_backend_can_defer(
    search_index,  # noqa: F811
    settings,
    monkeypatch,
):
    from search import tasks

    scheduled = []

    class Deferred:
        def __init__(self, **options):
            self.options = options

        def enqueue(self):
            scheduled.append(self.options)

    monkeypatch.setattr(
        "django_tasks.default_task_backend.__class__.supports_defer", True, raising=False
    )
    monkeypatch.setattr(
        tasks.drain_search_index_queue.__class__, "using", lambda self, **kw: Deferred(**kw)
    )
    ix = whoosh_index.open_dir(str(index_path(search_index)))
    writer = ix.writer()
    try:
        QuestionFactory(title="Blocked drain on Queen Street")
    finally:
        writer.cancel()
    assert len(scheduled) == 1
    assert scheduled[0]["run_after"] > timezone.now()
    assert PendingIndexChange.objects.count() == 1
