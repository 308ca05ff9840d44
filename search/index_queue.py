"""The one writer path into the Whoosh index: a durable queue drained in batches.

`record_updates` / `record_delete` run wherever modelsearch indexes (its post-save task, its
post-delete signal, Wagtail's publish): they store a `PendingIndexChange` row in the caller's
transaction and enqueue the drain task. With the database task backend the task row commits with
the change, so the drain runs after commit; if the transaction rolls back, neither exists.

`drain` takes queued rows oldest first, opens the index writer (waiting up to the backend's
`WRITE_TIMEOUT` for another process to finish), applies the latest state of each object from
the database, commits, and only then deletes the rows it applied. If the writer cannot be had,
the rows stay and a retry is scheduled: an update is never lost and no request waits on the
index.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.apps import apps
from django.db import transaction
from django.utils import timezone
from whoosh.index import LockError

from search.errors import SearchUnavailable

logger = logging.getLogger(__name__)

RETRY_AFTER = timedelta(seconds=30)


def _backend(backend=None):
    if backend is not None:
        return backend
    from modelsearch.backends import get_search_backend

    from search.backends.whoosh import WhooshSearchBackend

    candidate = get_search_backend()
    return candidate if isinstance(candidate, WhooshSearchBackend) else None


def _enqueue_drain():
    from search import tasks

    try:
        tasks.drain_search_index_queue.enqueue()
    except Exception:
        # The rows are safe; the periodic sweep will apply them.
        logger.exception("could not enqueue the search index drain")


def record_updates(objects) -> None:
    from search.backends.whoosh import WhooshMapping
    from search.models import PendingIndexChange

    rows = [
        PendingIndexChange(
            action=PendingIndexChange.Action.UPDATE,
            model_label=obj._meta.label_lower,
            object_pk=str(obj.pk),
            document_id=WhooshMapping(type(obj)).document_id(obj),
        )
        for obj in objects
    ]
    PendingIndexChange.objects.bulk_create(rows)
    _enqueue_drain()


def record_delete(document_id: str) -> None:
    from search.models import PendingIndexChange

    PendingIndexChange.objects.create(
        action=PendingIndexChange.Action.DELETE, document_id=document_id
    )
    _enqueue_drain()


def pending_count() -> int:
    from search.models import PendingIndexChange

    return PendingIndexChange.objects.count()


def drain(*, backend=None, max_batches: int | None = None) -> int:
    """Apply queued changes; returns how many rows were applied (0 if the writer was busy)."""
    from search.models import PendingIndexChange

    backend = _backend(backend)
    if backend is None:
        return 0
    applied = 0
    batches = 0
    last_id = 0
    while max_batches is None or batches < max_batches:
        rows = list(PendingIndexChange.objects.filter(id__gt=last_id)[: backend.batch_size])
        if not rows:
            break
        try:
            _apply(backend, rows)
        except LockError:
            logger.warning("search index is locked by another writer; %d changes wait", len(rows))
            _note_attempt(rows)
            _schedule_retry()
            return applied
        except SearchUnavailable:
            logger.exception("search index cannot take changes; they wait for a rebuild")
            _note_attempt(rows)
            return applied
        PendingIndexChange.objects.filter(id__in=[row.id for row in rows]).delete()
        applied += len(rows)
        last_id = rows[-1].id
        batches += 1
    return applied


def _note_attempt(rows):
    from django.db.models import F

    from search.models import PendingIndexChange

    PendingIndexChange.objects.filter(id__in=[row.id for row in rows]).update(
        attempts=F("attempts") + 1
    )


def _schedule_retry():
    from django_tasks import default_task_backend

    from search import tasks

    if not default_task_backend.supports_defer:
        return
    try:
        tasks.drain_search_index_queue.using(run_after=timezone.now() + RETRY_AFTER).enqueue()
    except Exception:
        logger.exception("could not schedule a retry of the search index drain")


def _latest_actions(rows):
    """The last action per document, in row order (a later delete beats an earlier update)."""
    latest = {}
    for row in rows:
        latest[row.document_id] = row
    return list(latest.values())


def _load(rows):
    """Current objects for the update rows, grouped by model: {model: {pk: obj}}."""
    by_model = {}
    for row in rows:
        by_model.setdefault(row.model_label, []).append(row.object_pk)
    loaded = {}
    for label, pks in by_model.items():
        try:
            model = apps.get_model(label)
        except LookupError:
            loaded[label] = (None, {})
            continue
        objects = model.get_indexed_objects().filter(pk__in=pks)
        loaded[label] = (model, {str(obj.pk): obj for obj in objects})
    return loaded


def _apply(backend, rows):
    from search.backends.whoosh import WhooshMapping

    rows = _latest_actions(rows)
    updates = [row for row in rows if row.action == "update"]
    with transaction.atomic():
        loaded = _load(updates)
    documents = []
    deletes = [row.document_id for row in rows if row.action == "delete"]
    for row in updates:
        model, objects = loaded[row.model_label]
        obj = objects.get(row.object_pk)
        if model is None or obj is None:
            # gone, or no longer among the model's indexed objects
            deletes.append(row.document_id)
            continue
        documents.append(WhooshMapping(model).get_document(obj))

    ix = backend.handle.open_or_create()
    writer = ix.writer(timeout=backend.write_timeout, delay=0.05, limitmb=backend.limitmb)
    try:
        for document_id in deletes:
            writer.delete_by_term("docid", document_id)
        for document in documents:
            writer.update_document(**document)
    except BaseException:
        writer.cancel()
        raise
    try:
        writer.commit()
    except Exception as exc:
        raise SearchUnavailable(f"The search index could not commit: {exc}") from exc
