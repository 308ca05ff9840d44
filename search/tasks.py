"""Background work for search: applying queued index changes (thin wrapper, no arguments)."""

from django_tasks import task

from . import index_queue


@task()
def drain_search_index_queue() -> int:
    return index_queue.drain()
