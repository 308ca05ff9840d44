"""Periodic jobs: what runs every so often, and the loop that enqueues them.

Apps declare jobs with the `parley_periodic_jobs` hook (a function returning PeriodicJob
objects). `manage.py scheduler` enqueues each job when it is due; the row lock on
ScheduledRun means two schedulers running at once never enqueue the same run twice.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from wagtail import hooks

from .models import ScheduledRun


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    every: timedelta
    task: object  # a django-tasks Task taking no arguments


def periodic_jobs() -> list[PeriodicJob]:
    jobs = []
    for fn in hooks.get_hooks("parley_periodic_jobs"):
        jobs.extend(fn())
    return jobs


def run_due_jobs(now=None) -> list[str]:
    """Enqueue every job whose interval has passed; returns the names enqueued."""
    now = now or timezone.now()
    enqueued = []
    for job in periodic_jobs():
        with transaction.atomic():
            run, _ = ScheduledRun.objects.select_for_update().get_or_create(name=job.name)
            if run.last_run_at and run.last_run_at + job.every > now:
                continue
            run.last_run_at = now
            run.save(update_fields=["last_run_at"])
            transaction.on_commit(job.task.enqueue)
        enqueued.append(job.name)
    return enqueued
