"""Every combination, not a chosen few: random lists of up to three facets, with or without a search.

    .venv/bin/python -m benchmarks.combinations --database-url postgres://postgres@127.0.0.1:5432/bench1m
    .venv/bin/python -m benchmarks.combinations --database-url … --count 300 --write "Combinations: PostgreSQL, 1M"

benchmarks.load measures a fixed list of pages under wrk. A reader (or a
crawler) asks for combinations nobody primed, so this draws ``--count``
distinct list URLs at random: one to three facets (region at any level,
theme, year, year + month, source, kind) and, for half of them, a search
(common, mid-frequency, rare or two-word), then requests each under the same
gunicorn set-up as benchmarks.load, ``--connections`` at a time:

- *first*: the first request ever for that URL, on an empty cache: nothing
  to serve meanwhile, the counts are computed by this very request;
- *warm*: the same URLs again (cached page);
- *after a save*: one editor's save, then every URL once more (cached counts
  refreshed from the change log, pages re-rendered);
- *new combinations, running server*: as many other URLs, never asked
  before, on the server the passes above warmed (workers started, the
  searches' hit lists fetched): what a crawler's new combination costs in
  the steady state, without the start-up the first pass includes;
- *after a save, server settled*: once no background computation has run
  for two seconds (the first pass leaves each broad search's hit list and
  ranks being fetched, one at a time, for a while), a second save, then the
  first pass's URLs again: an editor's save on a server in its steady state,
  which is what readers meet, rather than one landing during the start-up.

Prints p50/p95/p99/max latency and errors per pass, and the slowest URLs of
the first pass with their time (the place to look at with EXPLAIN ANALYZE).
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import random
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor

from benchmarks import load

SEARCHES = ["疫情", "乡村振兴", "垃圾分类", "量子通信", "疫情 乡村振兴"]
SECTION = "## Combinations (benchmarks.combinations)"


def facet_values() -> dict[str, list[str]]:
    """Values each facet may take in the configured database (regions at every level, Shaanxi weighted in)."""
    from articles.models import Article, Region, Source, Theme

    regions = list(Region.objects.exclude(level="township").values_list("code", "level"))
    rng = random.Random(3)
    provinces = [code for code, level in regions if level == "province"]
    cities = [code for code, level in regions if level == "city"]
    counties = [code for code, level in regions if level == "county"]
    shaanxi = [code for code in cities + counties if code.startswith("61")]
    return {
        "region": provinces + rng.sample(cities, min(60, len(cities))) + rng.sample(counties, min(120, len(counties)))
        + rng.sample(shaanxi, min(60, len(shaanxi))),
        "theme": list(Theme.objects.values_list("slug", flat=True)),
        "year": [str(year) for year in range(2015, 2025)] + ["unknown"],
        "source": [str(pk) for pk in Source.objects.values_list("pk", flat=True)],
        "kind": [value for value, _ in Article.Kind.choices],
    }


def draw(values: dict[str, list[str]], count: int, seed: int) -> list[str]:
    """``count`` distinct list URLs of one to three facets, half of them with a search."""
    rng = random.Random(seed)
    urls: list[str] = []
    seen: set[str] = set()
    while len(urls) < count:
        facets = rng.sample(sorted(values), rng.randint(1, 3))
        params = [(facet, rng.choice(values[facet])) for facet in facets]
        if "year" in facets and params[facets.index("year")][1] != "unknown" and rng.random() < 0.3:
            params.append(("month", str(rng.randint(1, 12))))
        if rng.random() < 0.5:
            params.append(("q", rng.choice(SEARCHES)))
        url = "/articles/?" + urllib.parse.urlencode(params)
        if url not in seen:
            seen.add(url)
            urls.append(url)
    return urls


def _fetch(base: str, path: str) -> tuple[str, float, int]:
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(base + path, timeout=60) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    except Exception:
        status = 0
    return path, (time.perf_counter() - started) * 1000, status


def sweep(base: str, urls: list[str], connections: int) -> list[tuple[str, float, int]]:
    """Each URL once, ``connections`` at a time: (path, ms, status)."""
    with ThreadPoolExecutor(connections) as pool:
        return list(pool.map(lambda path: _fetch(base, path), urls))


def settle(timeout: float = 120.0) -> float:
    """Wait until no background slot has been taken for two seconds in a row; the seconds waited."""
    started = time.monotonic()
    quiet_since = None
    while time.monotonic() - started < timeout:
        busy = subprocess.run(
            ["redis-cli", "-u", load.REDIS_URL, "--scan", "--pattern", "*newsroom:background-slot:*"],
            capture_output=True, text=True, check=False,
        ).stdout.strip()
        now = time.monotonic()
        if busy:
            quiet_since = None
        elif quiet_since is None:
            quiet_since = now
        elif now - quiet_since >= 2:
            break
        time.sleep(0.2)
    return time.monotonic() - started


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


def summary(name: str, results: list[tuple[str, float, int]]) -> str:
    times = [ms for _, ms, _ in results]
    errors = sum(1 for _, _, status in results if not 200 <= status < 400)
    return (
        f"| {name} | {len(results)} | {percentile(times, 0.5):.1f} | {percentile(times, 0.95):.1f} "
        f"| {percentile(times, 0.99):.1f} | {max(times):.1f} | {errors} |"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--label", default="")
    parser.add_argument("--write", action="store_true", help="write the table into docs/benchmarks.md")
    args = parser.parse_args(argv)
    from benchmarks import synthesis

    synthesis.configure(args.database_url)
    load._prepare(args.database_url)
    urls = draw(facet_values(), args.count, args.seed)
    load._flush_cache()
    server = load._serve(load._env(args.database_url, args.workers), args.port)
    base = f"http://127.0.0.1:{args.port}"
    try:
        first = sweep(base, urls, args.connections)
        warm = sweep(base, urls, args.connections)
        load._save_an_article()
        after_save = sweep(base, urls, args.connections)
        more = [url for url in draw(facet_values(), 2 * args.count, args.seed + 1) if url not in set(urls)][: args.count]
        running = sweep(base, more, args.connections)
        waited = settle()
        load._save_an_article()
        settled = sweep(base, urls, args.connections)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)
    label = args.label or args.database_url.split("@")[-1]
    argv_shown = sys.argv[1:] if argv is None else argv
    lines = [
        SECTION,
        "",
        f"`.venv/bin/python -m benchmarks.combinations {' '.join(argv_shown)}` ({label}) on {platform.machine()}, "
        f"{os.cpu_count()} cores, {datetime.date.today().isoformat()}: {len(urls)} random list URLs (1–3 facets, half "
        f"with a search), gunicorn {args.workers} workers, {args.connections} requests at a time, DEBUG off, Redis "
        "cache flushed first. Latencies in ms, one request per URL per pass.",
        "",
        "| pass | requests | p50 | p95 | p99 | max | errors |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
        summary("first (empty cache: counts computed)", first),
        summary("warm (cached)", warm),
        summary("after an editor's save", after_save),
        summary("new combinations, running server", running),
        summary("after a save, server settled", settled),
        "",
        f"Before the settled save the server's background work took {waited:.0f} s to finish.",
        "",
        "Slowest first requests:",
        "",
        *(f"- {ms:.0f} ms `{path}`" for path, ms, _ in sorted(first, key=lambda r: -r[1])[:8]),
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    if args.write:
        from benchmarks.report import write_section

        write_section(SECTION, text)


if __name__ == "__main__":
    main()
