"""Search benchmark: 100k synthetic Chinese articles, each backend in a throwaway database.

    .venv/bin/python -m benchmarks.search                      # both backends, 100k articles, updates docs/benchmarks.md
    .venv/bin/python -m benchmarks.search --articles 20000 --backends sqlite --no-write

For each backend a worker process (its own DATABASE_URL, so its own Django
settings) migrates an empty database (SQLite: a file under /tmp; PostgreSQL:
a database `newsroom_bench` created and dropped on the local server), loads
the regions, bulk-inserts the articles and then times only the queries.

The articles come from benchmarks.synthesis, the synthesis every benchmark
shares: Zipf-distributed words from jieba's dictionary, a little of the
sample corpus, and terms planted at known rates (see PLANTED there).

What is timed, per query (after warm-up, many repetitions): the list page's
database work for a search, i.e. the first 20 results in relevance order and
the total count; separately, facet counts by province, and the Python
snippets for those 20 results. Medians and 95th percentiles in ms.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "benchmarks.md"
SQLITE_PATH = Path("/tmp/newsroom_bench_search.sqlite3")
PG_SERVER = "postgres://postgres@127.0.0.1:5432"
PG_DATABASE = "newsroom_bench"

QUERIES = {
    "one word": ["防疫", "乡村振兴", "镇安县", "党建", "经济", "学校", "鎮安縣"],
    "two words": ["疫情 防控", "党建 引领", "镇安县 防疫", "经济 发展", "学校 教育"],
    "phrase": ['"疫情防控"', '"乡村振兴"', '"基层党组织"', '"高质量发展"', '"防控一线"'],
}
PAGE = 20
READING = (
    'Reading the numbers: the cost of a search grows with its number of hits, not with the archive '
    'as such. Specific words and phrases (a few thousand hits) take a few to a few tens of ms on '
    'both backends; the p95 column is set by the broad queries that match a third or more of all '
    "articles. There PostgreSQL pays for ts_rank, which must read every hit's tsvector from TOAST "
    '(ordering by date instead is a few ms), SQLite for bm25 over every hit and the row lookups of '
    "the join, and phrases on both for the verbatim check of each candidate's body. These are "
    "full rankings (RELEVANCE_ORDERING); the list page ranks only the newest 2,000 hits on PostgreSQL "
    "(articles.search.RankedHits, see docs/search.md)."
)
# --- Worker (one backend, its own process) ----------------------------------------


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def _stats(samples: list[float]) -> dict:
    return {
        "median_ms": round(statistics.median(samples) * 1000, 2),
        "p95_ms": round(_percentile(samples, 95) * 1000, 2),
        "n": len(samples),
    }


def worker(backend: str, articles: int, repeat: int) -> dict:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    os.environ["DJANGO_LOG_LEVEL"] = "WARNING"
    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count

    from articles.models import Article
    from articles.search import RELEVANCE_ORDERING, highlight_snippet, search_queryset
    from articles.search import postgres as pg_backend

    timings: dict = {"backend": backend, "articles": articles}
    t0 = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("load_regions", verbosity=0, stdout=open(os.devnull, "w"))
    if backend == "postgresql":
        with connection.cursor() as cursor:  # build the GIN index once, after the load
            cursor.execute(f"DROP INDEX IF EXISTS {pg_backend.INDEX}")
    t1 = time.perf_counter()
    from benchmarks.synthesis import synthesize  # the synthesis every benchmark shares

    synthesize(articles)
    t2 = time.perf_counter()
    with connection.cursor() as cursor:
        if backend == "postgresql":
            cursor.execute(f"CREATE INDEX {pg_backend.INDEX} ON articles_article USING gin ({pg_backend.COLUMN})")
            cursor.execute("VACUUM ANALYZE articles_article")
        else:
            cursor.execute("INSERT INTO articles_search(articles_search) VALUES ('optimize')")
            cursor.execute("ANALYZE")
    t3 = time.perf_counter()
    timings["load_seconds"] = {"setup": round(t1 - t0, 1), "insert": round(t2 - t1, 1), "index": round(t3 - t2, 1)}
    if backend == "sqlite":
        timings["database_mb"] = round(SQLITE_PATH.stat().st_size / 2**20)
    else:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_database_size(current_database())")
            timings["database_mb"] = round(cursor.fetchone()[0] / 2**20)

    base = Article.objects.public()
    results: dict = {}
    for category, queries in QUERIES.items():
        page_samples, count_samples, facet_samples, snippet_samples, hits = [], [], [], [], {}
        for query in queries:
            found = search_queryset(base, query)
            hits[query] = found.count()
            for _ in range(2):  # warm caches and the jieba/OpenCC state
                list(found.order_by(*RELEVANCE_ORDERING)[:PAGE])
            for _ in range(repeat):
                started = time.perf_counter()
                found = search_queryset(base, query)
                page = list(found.order_by(*RELEVANCE_ORDERING)[:PAGE])
                found.count()
                page_samples.append(time.perf_counter() - started)
                started = time.perf_counter()
                list(found.order_by().values("province").annotate(n=Count("id")))
                facet_samples.append(time.perf_counter() - started)
                started = time.perf_counter()
                for article in page:
                    highlight_snippet(article, query)
                snippet_samples.append(time.perf_counter() - started)
            count_samples.append(hits[query])
        results[category] = {
            "queries": queries,
            "hits": hits,
            "search": _stats(page_samples),
            "facets": _stats(facet_samples),
            "snippets": _stats(snippet_samples),
        }
    timings["results"] = results
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()" if backend == "postgresql" else "SELECT sqlite_version()")
        timings["server_version"] = cursor.fetchone()[0]
    return timings


# --- Orchestration -----------------------------------------------------------------


def _pg_admin(statement: str) -> None:
    import psycopg

    with psycopg.connect(PG_SERVER.replace("postgres://", "postgresql://") + "/postgres", autocommit=True) as conn:
        conn.execute(statement)


def run_backend(backend: str, articles: int, repeat: int, keep: bool = False) -> dict:
    env = dict(os.environ)
    if backend == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(f"{SQLITE_PATH}{suffix}").unlink(missing_ok=True)
        env["DATABASE_URL"] = f"sqlite:///{SQLITE_PATH}"
    else:
        _pg_admin(f"DROP DATABASE IF EXISTS {PG_DATABASE}")
        _pg_admin(f"CREATE DATABASE {PG_DATABASE}")
        env["DATABASE_URL"] = f"{PG_SERVER}/{PG_DATABASE}"
    try:
        process = subprocess.run(
            [sys.executable, "-m", "benchmarks.search", "--worker", backend, "--articles", str(articles), "--repeat", str(repeat)],
            cwd=ROOT, env=env, capture_output=True, text=True, check=False,
        )
        if process.returncode != 0:
            sys.stderr.write(process.stderr)
            raise SystemExit(f"{backend} worker failed")
        return json.loads(process.stdout.strip().splitlines()[-1])
    finally:
        if keep:
            print(f"{backend}: kept the database at {env['DATABASE_URL']}", file=sys.stderr)
        elif backend == "sqlite":
            for suffix in ("", "-wal", "-shm"):
                Path(f"{SQLITE_PATH}{suffix}").unlink(missing_ok=True)
        else:
            _pg_admin(f"DROP DATABASE IF EXISTS {PG_DATABASE}")


def machine_facts(results: list[dict]) -> dict:
    cpu = ""
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    memory = ""
    try:
        kb = int(next(line.split()[1] for line in open("/proc/meminfo") if line.startswith("MemTotal")))
        memory = f"{kb / 2**20:.0f} GiB"
    except (OSError, StopIteration, ValueError):
        pass
    versions = {r["backend"]: r["server_version"] for r in results}
    pg = versions.get("postgresql", "")
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "memory": memory,
        "python": platform.python_version(),
        "sqlite": versions.get("sqlite", sqlite3.sqlite_version),
        "postgresql": pg.split(" on ")[0] if pg else "not run",
        "os": platform.platform(),
    }


def render(results: list[dict], facts: dict, repeat: int) -> str:
    names = {"sqlite": "SQLite FTS5", "postgresql": "PostgreSQL tsvector + GIN"}
    lines = [
        "## Search",
        "",
        f"Measured {time.strftime('%Y-%m-%d')} with `.venv/bin/python -m benchmarks.search` "
        f"({results[0]['articles']:,} synthetic articles per backend, each query repeated {repeat}× after warm-up).",
        "",
        f"Machine: {facts['nproc']} CPUs ({facts['cpu'] or 'unknown model'}), {facts['memory']} RAM, {facts['os']}; "
        f"Python {facts['python']}; SQLite {facts['sqlite']}; {facts['postgresql']}.",
        "",
        "*Search* is the list page's database work for a query: the first 20 hits in relevance order "
        "plus the total count. *Facets* is the hit count per province. *Snippets* is the Python "
        "highlighting of those 20 hits. Times in ms, median / p95 over every repetition of every "
        "query of the kind.",
        "",
        "| backend | query kind | search median | search p95 | facets median | facets p95 | snippets median | snippets p95 |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for result in results:
        for kind, data in result["results"].items():
            s, f, n = data["search"], data["facets"], data["snippets"]
            lines.append(
                f"| {names[result['backend']]} | {kind} | {s['median_ms']} | {s['p95_ms']} | {f['median_ms']} | "
                f"{f['p95_ms']} | {n['median_ms']} | {n['p95_ms']} |"
            )
    lines += ["", READING, "", "Queries and their hit counts:", ""]
    first = results[0]["results"]
    for kind, data in first.items():
        per_backend = [
            ", ".join(f"`{q}` {r['results'][kind]['hits'][q]:,}" for q in data["queries"]) for r in results
        ]
        lines.append(f"- {kind}: {per_backend[0]}")
        if len(per_backend) > 1 and per_backend[1] != per_backend[0]:
            lines.append(f"  (PostgreSQL: {per_backend[1]})")
    lines += ["", "Loading (not part of the query times):", ""]
    for result in results:
        load = result["load_seconds"]
        lines.append(
            f"- {names[result['backend']]}: migrate + regions {load['setup']} s, bulk insert {load['insert']} s "
            f"(search_document precomputed), index {load['index']} s; database {result['database_mb']} MB."
        )
    lines += [
        "",
        "Re-run: `.venv/bin/python -m benchmarks.search` (both backends; needs the local PostgreSQL at "
        "127.0.0.1:5432, creates and drops the database `newsroom_bench`; about 10 minutes). Options: "
        "`--articles N`, `--repeat N`, `--backends sqlite,postgresql`, `--no-write` (print only).",
        "",
    ]
    return "\n".join(lines)


def write_section(section: str) -> None:
    text = DOC.read_text(encoding="utf-8") if DOC.exists() else "# Benchmarks\n\nMeasured numbers; each section says how to re-run it.\n"
    pattern = re.compile(r"^## Search\n.*?(?=^## |\Z)", re.MULTILINE | re.DOTALL)
    if pattern.search(text):
        text = pattern.sub(lambda _: section + "\n", text, count=1)
    else:
        text = text.rstrip("\n") + "\n\n" + section
    DOC.parent.mkdir(parents=True, exist_ok=True)
    DOC.write_text(text.rstrip("\n") + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--no-write", action="store_true", help="print the section instead of updating docs/benchmarks.md")
    parser.add_argument("--keep", action="store_true", help="keep the throwaway databases (to investigate a plan)")
    parser.add_argument("--worker", choices=["sqlite", "postgresql"], help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        print(json.dumps(worker(args.worker, args.articles, args.repeat), ensure_ascii=False))
        return
    results = []
    for backend in [b.strip() for b in args.backends.split(",") if b.strip()]:
        started = time.perf_counter()
        print(f"{backend}: building {args.articles:,} articles and timing queries …", file=sys.stderr, flush=True)
        results.append(run_backend(backend, args.articles, args.repeat, args.keep))
        print(f"{backend}: done in {time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True)
    section = render(results, machine_facts(results), args.repeat)
    if args.no_write:
        print(section)
    else:
        write_section(section)
        print(section)
        print(f"updated {DOC.relative_to(ROOT)}", file=sys.stderr)


if __name__ == "__main__":
    main()
