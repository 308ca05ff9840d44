"""The periodic sweep of the index queue (a safety net behind the drain enqueued per change).

`search` is the lowest floor, so it does not import portal's PeriodicJob: the scheduler reads
only `name`, `every` and `task`, which this small record provides.
"""

from dataclasses import dataclass
from datetime import timedelta

from wagtail import hooks

from . import tasks


@dataclass(frozen=True)
class SweepJob:
    name: str
    every: timedelta
    task: object


@hooks.register("parley_periodic_jobs")
def search_jobs():
    return [
        SweepJob("search.drain_index_queue", timedelta(minutes=1), tasks.drain_search_index_queue)
    ]
