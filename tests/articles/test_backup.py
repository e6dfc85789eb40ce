"""manage.py backup / restore: back up, change, restore, compare — on SQLite and on PostgreSQL."""

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from articles.backup import BackupError, backup_sqlite_file, restore_sqlite_file
from tests.conftest import ROOT

NEWS = "本报讯(记者 王小明)3月2日,县委召开春耕生产工作会议,部署全年粮食生产和农田水利建设。"


def test_sqlite_backup_takes_committed_data_while_a_writer_holds_the_lock(tmp_path):
    live = tmp_path / "live.sqlite3"
    setup = sqlite3.connect(live)
    setup.execute("PRAGMA journal_mode=WAL")
    setup.execute("CREATE TABLE django_migrations (id INTEGER PRIMARY KEY, name TEXT)")
    setup.execute("INSERT INTO django_migrations (name) VALUES ('committed')")
    setup.commit()
    writer = sqlite3.connect(live, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")  # the site is writing: the write lock is held
    writer.execute("INSERT INTO django_migrations (name) VALUES ('uncommitted')")

    backup = tmp_path / "copy.sqlite3"
    backup_sqlite_file(live, backup)
    writer.execute("COMMIT")

    rows = sqlite3.connect(backup).execute("SELECT name FROM django_migrations").fetchall()
    assert rows == [("committed",)]
    assert not backup.with_name(backup.name + ".partial").exists()

    restore_sqlite_file(backup, live)  # and back: the row committed after the backup is gone
    assert setup.execute("SELECT name FROM django_migrations").fetchall() == [("committed",)]


def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path):
    bogus = tmp_path / "notes.sqlite3"
    bogus.write_bytes(b"not a database at all" * 100)
    with pytest.raises(BackupError, match=str(bogus)):
        restore_sqlite_file(bogus, tmp_path / "live.sqlite3")


def _manage(env: dict, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, (args, result.stdout, result.stderr)
    return result.stdout


ROWS = (
    "SELECT a.public_id, a.title, a.body, a.status, a.removed_at IS NULL, f.sha256 "
    "FROM articles_article a JOIN articles_ingestedfile f ON f.id = a.ingested_file_id ORDER BY a.public_id"
)


def _rows(database_url: str) -> list[tuple]:
    """The articles as stored, read straight from the database the commands used."""
    if database_url.startswith("sqlite:///"):
        with sqlite3.connect(database_url.removeprefix("sqlite:///")) as db:
            return [tuple(bool(v) if i == 4 else v for i, v in enumerate(row)) for row in db.execute(ROWS)]
    import psycopg

    with psycopg.connect(database_url.replace("postgres://", "postgresql://", 1)) as db:
        return [tuple(row) for row in db.execute(ROWS)]


def _back_up_change_restore_compare(tmp_path: Path, database_url: str, suffix: str) -> None:
    env = {**os.environ, "DATABASE_URL": database_url, "NEWSROOM_DATA_DIR": str(tmp_path / "data")}
    page = tmp_path / "page.txt"
    page.write_text(f"## 县里召开春耕会议\n\n{NEWS}\n", encoding="utf-8")
    _manage(env, "migrate", "--noinput", "-v", "0")
    _manage(env, "ingest", str(page), "--jobs", "1")
    before = _rows(database_url)
    assert [row[1] for row in before] == ["县里召开春耕会议"]

    backup = Path(_manage(env, "backup", str(tmp_path / "backups")).strip())
    assert backup.parent == tmp_path / "backups" and backup.name.startswith("newsroom-") and backup.suffix == suffix

    page.write_text(f"## 县委部署春耕生产\n\n{NEWS}\n", encoding="utf-8")  # the change
    _manage(env, "ingest", str(page), "--jobs", "1")
    assert _rows(database_url) != before

    _manage(env, "restore", str(backup), "--noinput")
    assert _rows(database_url) == before


def test_back_up_change_restore_compare_on_sqlite(tmp_path):
    _back_up_change_restore_compare(tmp_path, f"sqlite:///{tmp_path / 'site.sqlite3'}", ".sqlite3")


@pytest.mark.django_db
def test_back_up_change_restore_compare_on_postgresql(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("the suite runs on SQLite; set DATABASE_URL to a PostgreSQL database to run this")
    if not (shutil.which("pg_dump") and shutil.which("pg_restore")):
        pytest.skip("pg_dump / pg_restore are not installed")
    import psycopg

    settings = connection.settings_dict
    scratch = f"{settings['NAME']}_backup"[:63]
    params = {k: settings[K] for k, K in (("host", "HOST"), ("port", "PORT"), ("user", "USER"), ("password", "PASSWORD"))
              if settings.get(K)}
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{scratch}"')
        admin.execute(f'CREATE DATABASE "{scratch}"')
    try:
        auth = settings["USER"] + (f":{settings['PASSWORD']}" if settings.get("PASSWORD") else "")
        url = f"postgres://{auth}@{settings.get('HOST') or '127.0.0.1'}:{settings.get('PORT') or 5432}/{scratch}"
        _back_up_change_restore_compare(tmp_path, url, ".pgdump")
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')
