from django.core.management.base import BaseCommand

from portal.privacy import purge_expired


class Command(BaseCommand):
    help = "Apply the retention settings: purge unverified accounts and expired raw data."

    def handle(self, *args, **options):
        for label, count in purge_expired():
            self.stdout.write(f"{label}: {count} purged")
