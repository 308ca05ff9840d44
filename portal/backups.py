"""Consistent backups of the database and media, and restoring them.

SQLite is copied with its online backup API (consistent while the site is running, WAL
included); PostgreSQL with `pg_dump --format=custom`. Media files go in the same archive. After a
restore the search index is rebuilt from the database, since the index is derived data.
"""

import io
import json
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management import call_command, get_commands
from django.db import connection, connections
from django.utils import timezone

SQLITE_NAME = "database.sqlite3"
PG_NAME = "database.pgdump"


class BackupError(Exception):
    """A backup or restore could not be completed (nothing was changed by a failed restore)."""


def _engine() -> str:
    return connection.vendor


def _pg_url() -> str:
    db = settings.DATABASES["default"]
    user = db.get("USER") or "postgres"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    return f"postgresql://{user}{password}@{host}:{port}/{db['NAME']}"


def _run(argv: list[str]) -> None:
    result = subprocess.run(argv, capture_output=True, text=True, timeout=3600)  # noqa: S603  # nosec B603
    if result.returncode != 0:
        raise BackupError(f"{argv[0]} failed: {result.stderr.strip()[:500]}")


def backup(*, output_dir: Path | None = None) -> Path:
    """Write a snapshot archive and return its path."""
    output_dir = Path(output_dir or settings.VAR_DIR / "backups")
    output_dir.mkdir(parents=True, exist_ok=True)
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    archive_path = output_dir / f"parley-{stamp}.tar.gz"
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        if _engine() == "sqlite":
            connection.ensure_connection()
            target = sqlite3.connect(tmp / SQLITE_NAME)
            with target:
                connection.connection.backup(target)
            target.close()
            db_file = SQLITE_NAME
        elif _engine() == "postgresql":
            _run(["pg_dump", "--format=custom", "--no-owner", f"--file={tmp / PG_NAME}", _pg_url()])
            db_file = PG_NAME
        else:
            raise BackupError(f"Backups are not supported for {_engine()}")
        manifest = {
            "created_at": timezone.now().isoformat(),
            "engine": _engine(),
            "database": db_file,
            "media": "media",
        }
        with tarfile.open(archive_path, "w:gz") as tar:
            tar.add(tmp / db_file, arcname=db_file)
            media = Path(settings.MEDIA_ROOT)
            if media.exists():
                tar.add(media, arcname="media")
            data = json.dumps(manifest, indent=2).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return archive_path


def _safe_extract(tar: tarfile.TarFile, dest: Path) -> None:
    # The "data" filter refuses absolute paths, links out of dest and device files.
    tar.extractall(dest, filter="data")


def restore(*, archive_path: Path, rebuild_index: bool = True) -> dict:
    """Bring back the database and media from an archive made by `backup`."""
    archive_path = Path(archive_path)
    if not archive_path.exists():
        raise BackupError(f"No backup at {archive_path}")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        with tarfile.open(archive_path, "r:gz") as tar:
            _safe_extract(tar, tmp)
        manifest = json.loads((tmp / "manifest.json").read_text())
        if manifest["engine"] != _engine():
            raise BackupError(
                f"This backup is of a {manifest['engine']} database; this site uses {_engine()}."
            )
        if _engine() == "sqlite":
            source = sqlite3.connect(tmp / SQLITE_NAME)
            connection.ensure_connection()
            with source:
                source.backup(connection.connection)
            source.close()
        else:
            connections.close_all()
            _run(
                [
                    "pg_restore",
                    "--clean",
                    "--if-exists",
                    "--no-owner",
                    f"--dbname={_pg_url()}",
                    str(tmp / PG_NAME),
                ]
            )
        media_src = tmp / "media"
        media = Path(settings.MEDIA_ROOT)
        if media_src.exists():
            if media.exists():
                shutil.rmtree(media)
            shutil.copytree(media_src, media)
    if rebuild_index:
        rebuild_search_index()
    return manifest


def rebuild_search_index(verbosity: int = 0) -> None:
    """Rebuild every search index from the database, whatever the configured backend.

    modelsearch's own command when its app is installed, else Wagtail's name for the same."""
    commands = get_commands()
    name = (
        "rebuild_modelsearch_index" if "rebuild_modelsearch_index" in commands else "update_index"
    )
    call_command(name, verbosity=verbosity)
