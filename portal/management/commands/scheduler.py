import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from portal.scheduling import periodic_jobs, run_due_jobs


class Command(BaseCommand):
    help = "Enqueue periodic jobs (digests, retries, reply pulls) when they are due."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Check once and exit.")
        parser.add_argument("--interval", type=float, default=15.0, help="Seconds between checks.")

    def handle(self, *args, once=False, interval=15.0, **options):
        names = ", ".join(job.name for job in periodic_jobs()) or "none"
        self.stdout.write(f"Scheduler: jobs {names}")
        try:
            while True:
                close_old_connections()
                for name in run_due_jobs():
                    self.stdout.write(f"Enqueued {name}")
                if once:
                    return
                time.sleep(interval)
        except KeyboardInterrupt:
            return
