"""Per-file locks that serialise concurrent ingest runs.

Two runs offered the same file must not both write it: the second would
insert the same IngestedFile.path (a duplicate key) or interleave its staged
rows with the first's. Whoever holds a file's lock writes it; the other waits
and then sees the file as already done. On PostgreSQL the lock is a session
advisory lock (works across hosts); on SQLite, whose database lives on one
host, an flock on a file beside the data. Both vanish with the process, so a
kill -9 never leaves a file locked.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import connections


def _lock_number(key: str) -> int:
    return int.from_bytes(hashlib.sha256(key.encode("utf-8")).digest()[:8], "big", signed=True)


def _lock_path(key: str, using: str) -> Path:
    folder = Path(settings.DATA_DIR) / "locks"
    folder.mkdir(parents=True, exist_ok=True)
    database = str(connections[using].settings_dict.get("NAME"))
    return folder / (hashlib.sha256(f"{database}\n{key}".encode()).hexdigest()[:32] + ".lock")


@contextmanager
def file_lock(key: str, *, using: str = "default", wait: bool = True) -> Iterator[bool]:
    """Hold the ingest lock of `key` (a file's stored path); yields False if wait=False and it is taken."""
    connection = connections[using]
    if connection.vendor == "postgresql":
        number = _lock_number(key)
        with connection.cursor() as cursor:
            if wait:
                cursor.execute("SELECT pg_advisory_lock(%s)", [number])
                held = True
            else:
                cursor.execute("SELECT pg_try_advisory_lock(%s)", [number])
                held = bool(cursor.fetchone()[0])
        try:
            yield held
        finally:
            if held:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock(%s)", [number])
        return
    descriptor = os.open(_lock_path(key, using), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB)
            held = True
        except BlockingIOError:
            held = False
        try:
            yield held
        finally:
            if held:
                fcntl.flock(descriptor, fcntl.LOCK_UN)
    finally:
        os.close(descriptor)
