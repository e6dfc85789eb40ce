"""Ingest as real processes: kill -9 mid-run, SIGTERM, parser workers, two overlapping runs.

Each test runs `manage.py ingest` in subprocesses against a database they can
share: a temporary SQLite file (always), or the PostgreSQL test database the
suite runs on (only then; the rows these tests commit there are deleted again).
"""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from tests.conftest import ROOT

CHECK = """
import json, sys
from articles.models import Article, IngestedFile
from articles.search import search_queryset
from articles.search.indexing import build_search_document
from articles.ingest import STAGING_PREFIX
prefix = sys.argv[-1]
files = IngestedFile.objects.filter(path__startswith=prefix)
articles = Article.objects.filter(ingested_file__path__startswith=prefix)
report = {
    "files": {f.name: [f.status, f.articles.count()] for f in files},
    "staging": IngestedFile.objects.filter(path__startswith=STAGING_PREFIX + prefix).count(),
    "staged_public": Article.objects.public().filter(ingested_file__path__startswith=STAGING_PREFIX + prefix).count(),
    "duplicate_positions": len(list(articles.values_list("ingested_file", "position")))
    - len(set(articles.values_list("ingested_file", "position"))),
    "stale_documents": sum(1 for a in articles if a.search_document != build_search_document(a)),
    "hits": {f.name: search_queryset(Article.objects.all(), f.name.split(".")[0]).count() for f in files},
}
print(json.dumps(report))
"""


def _env(database_url: str) -> dict:
    return {**os.environ, "DATABASE_URL": database_url, "DJANGO_SECRET_KEY": "test-only", "PYTHONUNBUFFERED": "1"}


def _manage(env: dict, *args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args], env=env, capture_output=True, text=True, cwd=ROOT, **kwargs
    )


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("sqlite") / "template.sqlite3"
    env = _env(f"sqlite:///{path}")
    for command in (["migrate", "--noinput"], ["load_regions"]):
        result = _manage(env, *command)
        assert result.returncode == 0, result.stderr
    return path


@pytest.fixture(params=["sqlite", "postgresql"])
def live_database(request, tmp_path):
    """DATABASE_URL of a migrated database subprocesses share; rows under tmp_path are removed afterwards."""
    if request.param == "sqlite":
        template = request.getfixturevalue("sqlite_template")
        database = tmp_path / "db.sqlite3"
        database.write_bytes(template.read_bytes())
        yield f"sqlite:///{database}"
        return
    if connection.vendor != "postgresql":
        pytest.skip("the suite runs on SQLite; the PostgreSQL variant runs when DATABASE_URL is PostgreSQL")
    request.getfixturevalue("django_db_setup")
    settings = connection.settings_dict
    url = f"postgres://{settings['USER']}@{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}/{settings['NAME']}"
    yield url
    blocker = request.getfixturevalue("django_db_blocker")
    with blocker.unblock():
        from articles.models import Article, IngestedFile

        for prefix in (str(tmp_path), "staging:" + str(tmp_path)):
            Article.objects.filter(ingested_file__path__startswith=prefix).delete()
            IngestedFile.objects.filter(path__startswith=prefix).delete()


def _check(url: str, prefix: Path) -> dict:
    result = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "shell", "-c", CHECK.replace("sys.argv[-1]", repr(str(prefix)))],
        env=_env(url), capture_output=True, text=True, cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def _write_inputs(folder: Path, files: int, items: int) -> Path:
    """Files named by an ASCII marker that every article of the file contains (searchable, unique to it)."""
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(files):
        marker = f"mk{n:02d}q"
        text = "".join(
            f"县里召开第{i}次会议 {marker}\n\n本报讯(记者 王强){i % 28 + 1}日,县委召开会议,研究部署工作 {marker}。\n\n"
            for i in range(items if n % 3 == 1 else 4)
        )
        (folder / f"{marker}.txt").write_text(text, encoding="utf-8")
    return folder


def _start(url: str, *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, str(ROOT / "manage.py"), "ingest", *args],
        env=_env(url), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
    )


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _wait_gone(pids: list[int], within: float = 60) -> list[int]:
    # A deadline, not a measurement: dead workers go at once, orphans never do.
    deadline = time.monotonic() + within
    while time.monotonic() < deadline and any(_alive(p) for p in pids):
        time.sleep(0.2)
    return [p for p in pids if _alive(p)]


def _wait_for_workers(process: subprocess.Popen, count: int) -> list[int]:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        children = _children(process.pid)
        if len(children) >= count:
            return children
        time.sleep(0.1)
    pytest.fail("the ingest never started its parser workers")


def test_kill_9_mid_run_then_rerun_leaves_no_duplicate_no_half_file_and_an_exact_index(live_database, tmp_path):
    folder = _write_inputs(tmp_path / "in", files=9, items=250)
    run = _start(live_database, str(folder), "--jobs", "1")
    first = run.stdout.readline()  # one file committed; the next (250 items, staged in batches) is under way
    assert first.startswith("new"), first + run.stderr.read()
    time.sleep(1.0)
    run.send_signal(signal.SIGKILL)
    run.wait()

    after_kill = _check(live_database, tmp_path)
    assert after_kill["staged_public"] == 0 and after_kill["duplicate_positions"] == 0
    for name, (status, count) in after_kill["files"].items():
        assert status == "ok" and count == (250 if int(name[2:4]) % 3 == 1 else 4), after_kill
        assert after_kill["hits"][name] == count

    rerun = _manage(_env(live_database), "ingest", str(folder), "--jobs", "1")
    assert rerun.returncode == 0, rerun.stderr
    final = _check(live_database, tmp_path)
    assert final["staging"] == 0 and final["duplicate_positions"] == 0 and final["stale_documents"] == 0
    assert len(final["files"]) == 9
    for name, (status, count) in final["files"].items():
        expected = 250 if int(name[2:4]) % 3 == 1 else 4
        assert (status, count, final["hits"][name]) == ("ok", expected, expected), name


def test_two_overlapping_runs_fail_no_good_file(live_database, tmp_path):
    folder = _write_inputs(tmp_path / "in", files=12, items=40)
    runs = [_start(live_database, str(folder), "--jobs", "1") for _ in range(2)]
    results = [(run.wait(), run.stdout.read(), run.stderr.read()) for run in runs]
    for code, out, err in results:
        assert code == 0, out + err
        assert "0 failed" in out
    final = _check(live_database, tmp_path)
    assert final["duplicate_positions"] == 0 and final["staging"] == 0
    for name, (status, count) in final["files"].items():
        expected = 40 if int(name[2:4]) % 3 == 1 else 4
        assert (status, count, final["hits"][name]) == ("ok", expected, expected), name


@pytest.mark.parametrize("how", ["SIGKILL", "SIGTERM"])
def test_parser_workers_die_with_the_ingest_process(how, sqlite_template, tmp_path):
    database = tmp_path / "db.sqlite3"
    database.write_bytes(sqlite_template.read_bytes())
    url = f"sqlite:///{database}"
    folder = _write_inputs(tmp_path / "in", files=8, items=1500)
    run = _start(url, str(folder), "--jobs", "2")
    workers = _wait_for_workers(run, 2)
    run.send_signal(getattr(signal, how))
    out, err = run.communicate(timeout=120)
    assert _wait_gone(workers) == []
    if how == "SIGTERM":
        assert run.returncode == 130, out + err
        assert "interrupted, committed before the signal: files:" in out
        summary = _check(url, tmp_path)
        assert summary["staging"] == 0 and summary["staged_public"] == 0
        assert all(status == "ok" for status, _ in summary["files"].values())
