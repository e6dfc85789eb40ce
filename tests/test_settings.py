"""Settings come from the environment; production settings pass check --deploy."""

import os
import shutil
import stat
import subprocess
import sys

import pytest
from django.core.management import call_command

from tests.conftest import ROOT


def _run(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_is_silent_with_production_settings():
    result = _run(
        "check", "--deploy", "--fail-level", "WARNING",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="a-long-random-production-secret-" + "x7Gq2Lp9Vz" * 4,
        DJANGO_ALLOWED_HOSTS="news.example.org",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNING" not in result.stderr and "issues" in result.stdout and "(0 silenced)" in result.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    # An empty data directory: no generated key to fall back on.
    result = _run("check", DJANGO_DEBUG="0", DJANGO_ALLOWED_HOSTS="news.example.org", NEWSROOM_DATA_DIR=str(tmp_path))
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_language_and_time_zone(settings):
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert settings.TIME_ZONE == "Asia/Shanghai"
    assert "en" in dict(settings.LANGUAGES)


def test_sqlite_file_runs_in_wal_mode_with_a_busy_timeout(tmp_path):
    probe = (
        "from django.db import connection\n"
        "c = connection.cursor()\n"
        "print(c.execute('PRAGMA journal_mode').fetchone()[0], c.execute('PRAGMA busy_timeout').fetchone()[0])"
    )
    result = _run("shell", "-c", probe, DATABASE_URL=f"sqlite:///{tmp_path / 'probe.sqlite3'}", DJANGO_DEBUG="1")
    assert result.returncode == 0, result.stderr
    mode, timeout = result.stdout.strip().splitlines()[-1].split()
    assert mode == "wal"
    # Writers queue instead of failing, but give up before gunicorn's 30 s worker timeout.
    assert 1_000 <= int(timeout) < 30_000


# --- DEBUG off by default; make run serves like production ---------------------------------

PRINT_SETTINGS = "from django.conf import settings; print(settings.DEBUG, settings.SECRET_KEY)"


def _printed(result: subprocess.CompletedProcess) -> list[str]:
    """The probe's own output line (the shell may announce its automatic imports first)."""
    return result.stdout.strip().splitlines()[-1].split()


def test_debug_is_off_unless_explicitly_enabled(tmp_path):
    key = "k-" + "q8Zr3" * 10
    unset = _run("shell", "-c", PRINT_SETTINGS, DJANGO_SECRET_KEY=key, NEWSROOM_DATA_DIR=str(tmp_path))
    assert unset.returncode == 0, unset.stderr
    assert _printed(unset) == ["False", key]
    enabled = _run("shell", "-c", PRINT_SETTINGS, DJANGO_DEBUG="1", NEWSROOM_DATA_DIR=str(tmp_path))
    assert _printed(enabled)[0] == "True"


def test_a_local_secret_key_is_generated_once_kept_private_and_reused(tmp_path):
    def generate() -> subprocess.CompletedProcess:
        environment = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
        environment["NEWSROOM_DATA_DIR"] = str(tmp_path)
        return subprocess.run(
            [sys.executable, "-m", "newsroom.local_secret"], cwd=ROOT, env=environment, capture_output=True, text=True
        )

    assert generate().returncode == 0
    key_file = tmp_path / "secret_key"
    first = key_file.read_text().strip()
    assert len(first) >= 50
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert generate().returncode == 0
    assert key_file.read_text().strip() == first  # reused, never replaced

    result = _run("shell", "-c", PRINT_SETTINGS, NEWSROOM_DATA_DIR=str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert _printed(result) == ["False", first]


def _make_dry_run(target: str) -> str:
    result = subprocess.run(["make", "-n", target], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_run_serves_like_production_and_make_dev_runs_the_debug_server():
    run = _make_dry_run("run")
    assert "newsroom.local_secret" in run
    assert "collectstatic" in run and run.index("collectstatic") < run.index("gunicorn")
    assert "DJANGO_DEBUG=1" not in run and "runserver" not in run
    for step in ("migrate", "load_regions", "ingest corpus/", "127.0.0.1:8000"):
        assert step in run
    dev = _make_dry_run("dev")
    assert "DJANGO_DEBUG=1" in dev and "runserver" in dev


@pytest.mark.django_db
def test_with_debug_off_collected_static_files_serve_every_page_and_errors_list_nothing(client, settings, tmp_path):
    settings.DEBUG = False
    settings.STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    settings.STATIC_ROOT = tmp_path / "staticfiles"
    call_command("collectstatic", interactive=False, verbosity=0)
    home = client.get("/")
    assert home.status_code == 200
    assert "/static/css/site." in home.content.decode()  # the hashed, collected copy
    missing = client.get("/a/zzzzzz/")
    assert missing.status_code == 404
    assert "URLconf" not in missing.content.decode() and "urlpatterns" not in missing.content.decode()
