"""Enqueueing background work the same way everywhere.

Tasks get primary keys, never model objects, and are enqueued only once the surrounding
transaction has committed, so the worker never sees a row that does not exist yet.
"""

import logging
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

logger = logging.getLogger(__name__)


def _supports_defer(task) -> bool:
    return bool(getattr(task.get_backend(), "supports_defer", False))


def enqueue(
    task, *args, delay: timedelta | None = None, run_after: datetime | None = None, **kwargs
) -> None:
    """Enqueue `task` after the current transaction commits (at once if there is none).

    With `delay`/`run_after` on a backend that cannot defer (the immediate backend used in
    tests), nothing is enqueued: deferred work must always also be picked up by a periodic
    sweep, which is what makes it safe to skip here.
    """
    when = run_after or (timezone.now() + delay if delay else None)

    def send():
        if when is not None and when > timezone.now():
            if not _supports_defer(task):
                return
            task.using(run_after=when).enqueue(*args, **kwargs)
        else:
            task.enqueue(*args, **kwargs)

    # The caller's rows are committed by now: a queue that refuses the task is logged, never
    # turned into an error page for someone whose question or response is already stored.
    transaction.on_commit(send, robust=True)


def enqueue_in_transaction(task, *args, **kwargs) -> bool:
    """Enqueue `task` inside the caller's transaction (with the database backend its row
    commits with the caller's rows), in a savepoint: if the queue refuses, that is logged and
    the caller's work carries on, its transaction intact."""
    try:
        with transaction.atomic():
            task.enqueue(*args, **kwargs)
    except Exception:
        logger.exception("Could not enqueue %s; the change it follows is kept", task.name)
        return False
    return True


def index_after_save(instance, **kwargs):
    """modelsearch's post-save handler, except that a queue that refuses the index update
    cannot undo the save (the index can always be rebuilt from the database)."""
    if kwargs.get("raw", False):
        return
    from modelsearch.tasks import insert_or_update_object_task

    enqueue_in_transaction(
        insert_or_update_object_task,
        instance._meta.app_label,
        instance._meta.model_name,
        str(instance.pk),
    )


def reference_index_after_save(instance, **kwargs):
    """Wagtail's reference-index post-save handler, with the same guarantee."""
    if kwargs.get("raw", False):
        return
    from wagtail.signal_handlers import reference_index_auto_update_disabled
    from wagtail.tasks import update_reference_index_task

    if getattr(reference_index_auto_update_disabled, "value", False):
        return
    enqueue_in_transaction(
        update_reference_index_task,
        instance._meta.app_label,
        instance._meta.model_name,
        str(instance.pk),
    )


def make_index_updates_robust() -> None:
    """Put our handlers in place of modelsearch's and Wagtail's before they are connected.

    Both enqueue a task from post_save, inside the saving transaction, so a task queue that
    refuses would undo a resident's question. They are connected by their module-level names
    when wagtail.search and wagtail become ready, after portal (INSTALLED_APPS order); a test
    checks that the receivers connected are ours."""
    from modelsearch import signal_handlers as modelsearch_handlers
    from wagtail import signal_handlers as wagtail_handlers

    modelsearch_handlers.post_save_signal_handler = index_after_save
    wagtail_handlers.update_reference_index_on_save = reference_index_after_save
