"""The local secret key: generated once into the data directory, then reused.

`make run` serves with DEBUG off, which needs a real SECRET_KEY; a fresh clone
has none and must not share one with every other clone. `python -m
newsroom.local_secret` writes a random key to ``<data dir>/secret_key``
(owner-only) unless one is there; settings read it when DJANGO_SECRET_KEY is
unset. Settings never generate it themselves: several gunicorn workers or
containers each inventing their own key would invalidate each other's sessions.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
FILE_NAME = "secret_key"


def data_dir() -> Path:
    """NEWSROOM_DATA_DIR, else data/ beside the code (gitignored)."""
    return Path(os.environ.get("NEWSROOM_DATA_DIR") or BASE_DIR / "data")


def read_secret_key(directory: Path | None = None) -> str:
    """The key kept in the data directory, or "" when there is none."""
    path = (directory or data_dir()) / FILE_NAME
    try:
        return path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        return ""


def ensure_secret_key(directory: Path | None = None) -> Path:
    """Write a new random key unless the data directory already holds one; return its path."""
    directory = directory or data_dir()
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / FILE_NAME
    try:
        # O_EXCL: two concurrent runs cannot both write, and an existing key is never replaced.
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path
    with os.fdopen(descriptor, "w", encoding="ascii") as handle:
        handle.write(secrets.token_urlsafe(50) + "\n")
    return path


if __name__ == "__main__":
    print(f"secret key: {ensure_secret_key()}")
