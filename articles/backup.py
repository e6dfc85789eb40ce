"""Back up and restore the whole database while the site runs.

SQLite: the online backup API (sqlite3.Connection.backup) copies a consistent
snapshot of the committed database page by page while readers and writers go
on; restoring uses the same API in the other direction, so connections that
stay open (gunicorn workers) see the restored data at their next query.
PostgreSQL: pg_dump in its custom format (one consistent snapshot, compressed)
and pg_restore --clean in a single transaction.

A backup is written under a temporary name and renamed when complete, so a
file with the final name is always a whole backup.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.db import connections, transaction
from django.utils import timezone

SQLITE_SUFFIX = ".sqlite3"
POSTGRESQL_SUFFIX = ".pgdump"


class BackupError(Exception):
    """A backup or restore could not be made; the message names the file and the reason."""


def _settings(using: str) -> dict:
    return connections[using].settings_dict


def _vendor(using: str) -> str:
    return connections[using].vendor


def _stamped_path(directory: Path, suffix: str) -> Path:
    """newsroom-<UTC timestamp><suffix>, never overwriting an earlier backup."""
    stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
    candidate = directory / f"newsroom-{stamp}{suffix}"
    counter = 1
    while candidate.exists():
        candidate = directory / f"newsroom-{stamp}-{counter}{suffix}"
        counter += 1
    return candidate


def backup_sqlite_file(source: Path, target: Path) -> None:
    """Copy a live SQLite database to target with the online backup API (committed data only)."""
    if not source.is_file():
        raise BackupError(f"{source}: no such SQLite database")
    partial = target.with_name(target.name + ".partial")
    reader = sqlite3.connect(source, timeout=30)
    writer = sqlite3.connect(partial)
    try:
        reader.backup(writer)
        writer.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
    finally:
        writer.close()
        reader.close()
    os.replace(partial, target)


def restore_sqlite_file(backup: Path, target: Path) -> None:
    """Replace the live SQLite database's contents with a backup, through the backup API."""
    _check_sqlite_backup(backup)
    reader = sqlite3.connect(f"file:{backup}?mode=ro", uri=True)
    writer = sqlite3.connect(target, timeout=30)
    try:
        reader.backup(writer)
    finally:
        writer.close()
        reader.close()


def _check_sqlite_backup(backup: Path) -> None:
    if not backup.is_file():
        raise BackupError(f"{backup}: no such backup file")
    try:
        connection = sqlite3.connect(f"file:{backup}?mode=ro", uri=True)
        try:
            result = connection.execute("PRAGMA integrity_check").fetchone()
            tables = connection.execute(
                "SELECT count(*) FROM sqlite_master WHERE type='table' AND name='django_migrations'"
            ).fetchone()
        finally:
            connection.close()
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{backup}: not a SQLite backup ({exc})") from exc
    if result != ("ok",) or tables != (1,):
        raise BackupError(f"{backup}: not a whole newsroom SQLite backup (integrity check: {result[0]})")


def _pg_environment(settings: dict) -> dict[str, str]:
    """libpq environment for pg_dump/pg_restore: the password never appears on a command line."""
    env = dict(os.environ)
    for key, name in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if settings.get(key):
            env[name] = str(settings[key])
    return env


def _pg_tool(name: str) -> str:
    tool = shutil.which(name)
    if tool is None:
        raise BackupError(f"{name} not found on PATH (install the PostgreSQL client tools)")
    return tool


def _run(command: list[str], settings: dict, what: str) -> None:
    result = subprocess.run(command, env=_pg_environment(settings), capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{what}: {Path(command[0]).name} failed ({result.stderr.strip() or result.returncode})")


def backup_database(directory: Path, *, using: str = "default") -> Path:
    """Write a consistent copy of the database into directory; returns the backup file."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    settings = _settings(using)
    vendor = _vendor(using)
    if vendor == "sqlite":
        target = _stamped_path(directory, SQLITE_SUFFIX)
        backup_sqlite_file(Path(settings["NAME"]), target)
        return target
    if vendor == "postgresql":
        target = _stamped_path(directory, POSTGRESQL_SUFFIX)
        partial = target.with_name(target.name + ".partial")
        _run([_pg_tool("pg_dump"), "--format=custom", "--no-owner", f"--file={partial}", settings["NAME"]], settings, str(target))
        os.replace(partial, target)
        return target
    raise BackupError(f"backups of {vendor} databases are not supported")


def restore_database(backup: Path, *, using: str = "default") -> None:
    """Bring the database back to the state of a backup made by backup_database()."""
    backup = Path(backup)
    if not backup.is_file():
        raise BackupError(f"{backup}: no such backup file")
    settings = _settings(using)
    vendor = _vendor(using)
    connections[using].close()  # our own session must not hold locks the restore needs
    if vendor == "sqlite":
        restore_sqlite_file(backup, Path(settings["NAME"]))
    elif vendor == "postgresql":
        _run(
            [
                _pg_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--single-transaction",
                f"--dbname={settings['NAME']}", str(backup),
            ],
            settings,
            str(backup),
        )
    else:
        raise BackupError(f"restoring {vendor} databases is not supported")
    _forget_cached_counts(using)


def _forget_cached_counts(using: str) -> None:
    """Cached facet counts are keyed by the catalogue token, which the restore just rolled back."""
    from articles import catalogue

    with transaction.atomic(using=using):
        catalogue.bump()
