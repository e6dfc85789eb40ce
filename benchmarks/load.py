"""Load benchmark: the portal under gunicorn, driven by wrk, warm and cold, /healthz in the same run.

    # build once (benchmarks.synthesis), then measure:
    .venv/bin/python -m benchmarks.load --build 1000000 --database-url postgres://postgres@127.0.0.1:5432/bench1m
    .venv/bin/python -m benchmarks.load --database-url sqlite:////tmp/bench1m.sqlite3 --label "SQLite, 1M"
    .venv/bin/python -m benchmarks.load --database-url … --connections 64 --duration 60 --urls list,reading --modes warm

For each URL it prints requests per second, p50/p95/p99 latency, errors
(socket errors and non-2xx/3xx answers) and the largest gunicorn worker's
RSS. *warm*: after one priming request. *cold*: right after an article
save (which replaces the catalogue token, so every cached count is stale),
measured from the first request on. gunicorn runs with gunicorn.conf.py
(preload, jieba loaded before forking), DEBUG off, the cache in Redis (a
database of its own, flushed first) so workers share counts; wrk runs on
loopback for a bounded duration. Loopback only: nothing leaves the machine.

--write SECTION replaces that "## …" section of docs/benchmarks.md with the
table (other sections are left alone).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/9")

URLS = {
    "healthz": "/healthz",
    "reading": "/a/{public_id}/",
    "list": "/articles/",
    "home": "/",
    "region page": "/regions/610000/",
    "list page 50": "/articles/?page=50",
    "theme + year": "/articles/?theme=epidemic&year=2022",
    "region + theme": "/articles/?region=611000&theme=epidemic",
    "three facets": "/articles/?region=610000&theme=epidemic&year=2022&kind=article",
    "search common 疫情": "/articles/?q=疫情",
    "search + region": "/articles/?q=疫情&region=610000",
    "search mid 乡村振兴": "/articles/?q=乡村振兴",
    "search rare 量子通信": "/articles/?q=量子通信",
    "search + 3 facets": "/articles/?q=乡村振兴&region=610000&year=2020&kind=article",
    "healthz (end)": "/healthz",
}

LUA = r"""
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
                 + summary.errors.status + summary.errors.timeout
  io.write(string.format('WRKJSON {"requests": %d, "seconds": %f, "errors": %d, "non2xx": %d, "timeouts": %d, '
    .. '"p50": %f, "p95": %f, "p99": %f, "max": %f}\n',
    summary.requests, summary.duration / 1e6, errors, summary.errors.status, summary.errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000))
end
"""


def _env(database_url: str, workers: int) -> dict:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        DJANGO_DEBUG="0",
        DJANGO_HTTPS="0",
        DJANGO_SECRET_KEY=env.get("DJANGO_SECRET_KEY", "benchmark-only-" + "x" * 40),
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        DJANGO_LOG_LEVEL="WARNING",
        REDIS_URL=REDIS_URL,
        WEB_CONCURRENCY=str(workers),
    )
    return env


def _prepare(database_url: str) -> str:
    """Apply pending migrations, collect static files; a reading-page URL's public id."""
    from django.core.management import call_command

    with open(os.devnull, "w") as devnull:
        call_command("migrate", verbosity=0, stdout=devnull)
        call_command("collectstatic", "--noinput", verbosity=0, stdout=devnull)
    from articles.models import Article

    middle = (Article.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) // 2
    article = (
        Article.objects.public()
        .filter(pk__gte=middle, county__isnull=False)
        .order_by("pk")
        .only("public_id")
        .first()
    )
    return article.public_id


def _save_an_article() -> None:
    """An editor's save of a title: a logged change of searched text (cached counts refreshed, search pages re-checked)."""
    from articles.models import Article

    article = Article.objects.public().order_by("-pk").first()
    # Toggled, so that every call really changes the searched text (a second save is a save too).
    article.title = article.title[:-1] if article.title.endswith("*") else article.title + "*"
    article.mark_edited("title")
    article.save()


def _flush_cache() -> None:
    subprocess.run(["redis-cli", "-u", REDIS_URL, "flushdb"], capture_output=True, check=False)


def _worker_rss_mb(master: int) -> float:
    """The largest resident set among the master's children (the workers), MiB."""
    largest = 0
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
        except OSError:
            continue
        if re.search(rf"^PPid:\s+{master}$", text, re.M):
            rss = re.search(r"^VmRSS:\s+(\d+) kB", text, re.M)
            largest = max(largest, int(rss.group(1)) if rss else 0)
    return round(largest / 1024, 1)


def _wrk(url: str, connections: int, duration: int, script: str) -> dict:
    threads = min(connections, 2)
    output = subprocess.run(
        ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--timeout", "30s", "-s", script, url],
        capture_output=True, text=True, check=False,
    ).stdout
    line = next((l for l in output.splitlines() if l.startswith("WRKJSON ")), None)
    if line is None:
        raise SystemExit(f"wrk gave no summary for {url}:\n{output}")
    result = json.loads(line[len("WRKJSON ") :])
    result["rps"] = round(result["requests"] / result["seconds"], 1) if result["seconds"] else 0.0
    return result


def _serve(env: dict, port: int) -> subprocess.Popen:
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "-c", str(ROOT / "gunicorn.conf.py"), "newsroom.wsgi",
         "--bind", f"127.0.0.1:{port}"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=open(Path(tempfile.gettempdir()) / f"bench_gunicorn_{port}.log", "w"),
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5):
                return process
        except Exception:
            time.sleep(0.5)
    process.terminate()
    raise SystemExit("gunicorn did not answer /healthz within 120 s")


def run(args) -> dict:
    public_id = _prepare(args.database_url)
    env = _env(args.database_url, args.workers)
    chosen = [label for label in URLS if not args.urls or any(label.startswith(u) for u in args.urls.split(","))]
    if not chosen or chosen[0] != "healthz":
        chosen = ["healthz", *chosen]
    _flush_cache()
    server = _serve(env, args.port)
    script = Path(tempfile.mkstemp(suffix=".lua")[1])
    script.write_text(LUA)
    rows = []
    try:
        for mode in args.modes.split(","):
            for label in chosen:
                path = URLS[label].format(public_id=public_id)
                url = f"http://127.0.0.1:{args.port}{urllib.parse.quote(path, safe='/?=&')}"
                if mode == "cold" and label.startswith("healthz"):
                    continue
                if mode == "cold":
                    _save_an_article()
                else:
                    urllib.request.urlopen(url, timeout=60).read()  # prime the cache
                result = _wrk(url, args.connections, args.duration, str(script))
                result.update(label=label, path=path, mode=mode, rss_mb=_worker_rss_mb(server.pid))
                rows.append(result)
                print(_row(result), flush=True)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)
        script.unlink(missing_ok=True)
    return {
        "rows": rows,
        "database_url": args.database_url.split("@")[-1],
        "workers": args.workers,
        "connections": args.connections,
        "duration": args.duration,
    }


def _row(r: dict) -> str:
    return (
        f"| {r['label']} | `{r['path']}` | {r['mode']} | {r['rps']} | {r['p50']:.1f} | {r['p95']:.1f} | {r['p99']:.1f} "
        f"| {r['errors']} | {r['rss_mb']} |"
    )


def markdown(result: dict, label: str, argv: list[str]) -> str:
    healthz = [r["rps"] for r in result["rows"] if r["label"].startswith("healthz")]
    anchor = max(healthz) if healthz else 0
    lines = [
        f"### {label}",
        "",
        f"`.venv/bin/python -m benchmarks.load {' '.join(argv)}` on {platform.machine()}, {os.cpu_count()} cores "
        f"(shared with other work while measured), {datetime.date.today().isoformat()}: gunicorn "
        f"{result['workers']} workers, wrk {result['connections']} connections × {result['duration']} s per row, DEBUG off, "
        "Redis cache. Latencies in ms; RSS is the largest worker's.",
        "",
        "| page | URL | mode | req/s | p50 | p95 | p99 | errors | worker RSS MiB |",
        "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
        *(_row(r) for r in result["rows"]),
        "",
    ]
    if anchor:
        pages = [r for r in result["rows"] if not r["label"].startswith("healthz")]
        served = [r for r in pages if r["rps"]]
        worst = min(served, key=lambda r: r["rps"], default=None)
        if worst:
            lines.append(
                f"Trivial view (/healthz): {anchor} req/s; slowest page {worst['label']} ({worst['mode']}) "
                f"{worst['rps']} req/s = 1/{anchor / worst['rps']:.1f} of it."
            )
        for row in pages:
            if not row["rps"]:
                lines.append(f"**{row['label']} ({row['mode']}) completed no request within {result['duration']} s.**")
        lines.append("")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--build", type=int, help="first (re)build the database with this many synthetic articles")
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--duration", type=int, default=10, help="seconds per URL and mode")
    parser.add_argument("--modes", default="warm,cold")
    parser.add_argument("--urls", default="", help="comma-separated label prefixes (default: all)")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--label", default="")
    parser.add_argument("--write", metavar="SECTION", help="write the table into this section of docs/benchmarks.md")
    parser.add_argument("--json", help="also save the raw results here")
    args = parser.parse_args(argv)
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed (Debian: apt-get install wrk)")
    from benchmarks import synthesis

    if args.build is not None:
        synthesis.recreate_database(args.database_url)
    synthesis.configure(args.database_url)
    if args.build is not None:
        print(synthesis.build(args.build, progress=lambda line: print(line, flush=True)), flush=True)
    result = run(args)
    argv_shown = sys.argv[1:] if argv is None else argv
    text = markdown(result, args.label or result["database_url"], argv_shown)
    print(text)
    if args.json:
        Path(args.json).write_text(json.dumps(result, ensure_ascii=False, indent=1))
    if args.write:
        from benchmarks.report import write_section

        heading = f"## {args.write}"
        write_section(heading, f"{heading}\n\n{text.strip()}\n")


if __name__ == "__main__":
    main()
