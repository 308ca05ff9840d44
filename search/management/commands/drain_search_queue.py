"""Apply the index changes still queued (the worker does this on its own; this is for operators)."""

from django.core.management.base import BaseCommand

from search import index_queue


class Command(BaseCommand):
    help = "Apply queued search index changes now and report how many were applied and remain."

    def handle(self, **options):
        applied = index_queue.drain()
        remaining = index_queue.pending_count()
        self.stdout.write(f"Applied {applied} queued index changes; {remaining} still queued.")
