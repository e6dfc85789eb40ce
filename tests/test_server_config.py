"""gunicorn preloads the app and jieba; web workers bound every PostgreSQL statement."""

import os
import runpy
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


class _Log:
    def __init__(self):
        self.lines = []

    def info(self, message, *args):
        self.lines.append(message % args if args else message)

    warning = info


class _Server:
    log = _Log()


@pytest.mark.django_db
def test_gunicorn_preloads_and_loads_jieba_and_the_facet_index_before_forking(monkeypatch):
    import jieba
    from django.db import connections

    from articles import facet_index
    from articles.models import Article

    closed = []
    monkeypatch.setattr(connections, "close_all", lambda: closed.append(1))  # the test's connection stays open

    config = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    assert config["preload_app"] is True
    assert config["timeout"] > int(os.environ.get("NEWSROOM_STATEMENT_TIMEOUT_MS", "5000")) / 1000
    server = _Server()
    config["when_ready"](server)
    assert jieba.dt.initialized  # the master holds the dictionary; forked workers share it
    assert len(facet_index._current) == Article.objects.public().count()
    assert f"facet index: {len(facet_index._current)} public articles before forking workers" in server.log.lines
    from articles import selectors

    assert any(labels.regions for labels in selectors._row_labels.values())  # result rows' names, shared too
    assert closed  # no connection is inherited by the forked workers


def test_gunicorn_starts_without_a_database_to_index(monkeypatch):
    from django.db import connections

    from articles import facet_index

    monkeypatch.setattr(connections, "close_all", lambda: None)

    server = _Server()
    runpy.run_path(str(ROOT / "gunicorn.conf.py"))["when_ready"](server)  # no database access allowed here
    assert facet_index._current is None
    assert any(line.startswith("facet index not built before forking") for line in server.log.lines)


def _pg_options(extra_env: dict, module: str = "newsroom.settings") -> str:
    env = {**os.environ, "DATABASE_URL": "postgres://u@127.0.0.1:5432/x", "DJANGO_DEBUG": "1", **extra_env}
    env.pop("NEWSROOM_STATEMENT_TIMEOUT_MS", None)  # set in this process once anything imported newsroom.wsgi
    code = (
        f"import importlib; s = importlib.import_module({module!r}); "
        "print(s.DATABASES['default']['OPTIONS']['options'])"
    )
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True).stdout


def test_postgresql_connections_turn_jit_off_and_raise_work_mem():
    options = _pg_options({})
    assert "-c jit=off" in options and "-c work_mem=32MB" in options
    assert "-c statement_timeout=0" in options  # commands and migrations: no limit


def test_web_workers_get_a_statement_timeout():
    env = {"DJANGO_SETTINGS_MODULE": "newsroom.settings", "DJANGO_SECRET_KEY": "k" * 50}
    code = "import newsroom.wsgi; from django.conf import settings; print(settings.DATABASES['default']['OPTIONS']['options'])"
    full_env = {**os.environ, "DATABASE_URL": "postgres://u@127.0.0.1:5432/x", "DJANGO_DEBUG": "1", **env}
    full_env.pop("NEWSROOM_STATEMENT_TIMEOUT_MS", None)
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=full_env, capture_output=True, text=True, check=True).stdout
    assert "-c statement_timeout=5000" in out
