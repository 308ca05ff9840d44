import importlib
import importlib.util

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from portal import demo


class Command(BaseCommand):
    help = "Load realistic demo content (idempotent: running it twice changes nothing)."

    def handle(self, *args, **options):
        write = self.stdout.write
        with transaction.atomic():
            ctx = demo.seed(write=write)
        # Each app adds its own content, lowest floor first; only this command knows them all.
        for app in settings.PARLEY_APPS:
            if app == "portal" or importlib.util.find_spec(f"{app}.demo") is None:
                continue
            module = importlib.import_module(f"{app}.demo")
            module.seed(ctx)
        write(self.style.SUCCESS("Demo content is ready. Sign in with any of these:"))
        for key, email, name, *_ in demo.DEMO_USERS:
            write(f"  {key:<10} {email:<26} password: {demo.DEMO_PASSWORD}   ({name})")
