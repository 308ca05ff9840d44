from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from portal.backups import BackupError, restore


class Command(BaseCommand):
    help = "Restore the database and media from a backup archive, then rebuild the search index."

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path)
        parser.add_argument("--yes", action="store_true", help="Do not ask for confirmation.")
        parser.add_argument("--no-index", action="store_true", help="Skip rebuilding the index.")

    def handle(self, *args, archive, yes=False, no_index=False, **options):
        if not yes:
            answer = input(
                f"This replaces the current database and media with {archive}. Type 'yes': "
            )
            if answer.strip().lower() != "yes":
                raise CommandError("Restore cancelled; nothing was changed.")
        try:
            manifest = restore(archive_path=archive, rebuild_index=not no_index)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(f"Restored the backup made at {manifest['created_at']}")
        )
