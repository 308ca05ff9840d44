"""Enqueueing background work the same way everywhere.

Tasks get primary keys, never model objects, and are enqueued only once the surrounding
transaction has committed, so the worker never sees a row that does not exist yet.
"""

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone


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

    transaction.on_commit(send)
