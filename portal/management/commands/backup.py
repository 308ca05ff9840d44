from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from portal.backups import BackupError, backup


class Command(BaseCommand):
    help = "Write a consistent snapshot of the database and media to a .tar.gz archive."

    def add_arguments(self, parser):
        parser.add_argument("--output-dir", type=Path, help="Folder for the archive (var/backups).")

    def handle(self, *args, output_dir=None, **options):
        try:
            path = backup(output_dir=output_dir)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"Backup written to {path}"))
