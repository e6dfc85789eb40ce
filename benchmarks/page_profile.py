"""Where an uncached list page's time goes: new combinations, one at a time, in-process.

    .venv/bin/python -m benchmarks.page_profile --database-url postgres://postgres@127.0.0.1:5432/bench1m
    .venv/bin/python -m benchmarks.page_profile --database-url … --count 100 --top 40

benchmarks.combinations measures new combinations under gunicorn, eight at a
time; on two cores their latency is about four times one page's CPU. This
takes the same kind of URLs (benchmarks.combinations.draw, another seed) and
renders each once through the test client in one process, as a running
worker would (facet index built, every search's hit list fetched by a warm-up
pass over other URLs; the URLs are new, so nothing of theirs is cached), then prints the
per-request wall time (p50/p95) and the functions cProfile finds most
expensive in total: the list to read before cutting anything.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import time


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--count", type=int, default=100)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--top", type=int, default=35)
    parser.add_argument("--sort", default="cumulative", help="pstats sort key (cumulative, tottime)")
    parser.add_argument("--no-profile", action="store_true", help="wall times only (no cProfile overhead)")
    parser.add_argument("--dump", help="also write the profile to this file (for pstats: callers, callees)")
    parser.add_argument(
        "--steps", action="store_true", help="with --no-profile: mean ms per request in each step of the list view",
    )
    parser.add_argument(
        "--after-save", action="store_true",
        help="request the URLs once, save an article as benchmarks.load does, then measure them again",
    )
    args = parser.parse_args(argv)
    from benchmarks import combinations, load, synthesis

    os.environ["DJANGO_HTTPS"] = "0"  # plain HTTP and the Redis cache, as benchmarks.load serves
    os.environ.setdefault("REDIS_URL", load.REDIS_URL)
    synthesis.configure(args.database_url)
    from django.conf import settings
    from django.test import Client

    from articles import facet_index

    load._prepare(args.database_url)
    load._flush_cache()
    settings.ALLOWED_HOSTS = ["*"]
    facet_index.rebuild()  # as gunicorn.conf.py does before forking
    client = Client()
    values = combinations.facet_values()
    warm_up = combinations.draw(values, 40, args.seed + 100)
    for url in warm_up:  # workers started, hit lists fetched: the running-server state
        client.get(url)
    # Each broad search's ranks are fetched in a background thread of this process: measured
    # alongside, they would add seconds of someone else's CPU to the pages.
    print(f"background work settled in {combinations.settle():.1f} s")
    seen = set(warm_up)
    urls = [url for url in combinations.draw(values, 2 * args.count, args.seed) if url not in seen][: args.count]
    if args.after_save:
        for url in urls:
            client.get(url)
        load._save_an_article()
    profiler = None if args.no_profile else cProfile.Profile()
    steps = _time_steps() if args.steps else None
    times: list[tuple[float, str]] = []
    for url in urls:
        started = time.perf_counter()
        if profiler:
            profiler.enable()
        response = client.get(url)
        if profiler:
            profiler.disable()
        times.append(((time.perf_counter() - started) * 1000, url))
        assert response.status_code in (200, 400), (url, response.status_code)
    ordered = sorted(ms for ms, _ in times)
    print(
        f"{len(urls)} {'combinations after a save' if args.after_save else 'new combinations'}, one at a time: p50 {ordered[len(ordered) // 2]:.1f} ms, "
        f"p95 {ordered[int(0.95 * len(ordered))]:.1f} ms, max {ordered[-1]:.1f} ms"
        + (" (under cProfile)" if profiler else "")
    )
    for ms, url in sorted(times, reverse=True)[:5]:
        print(f"  {ms:.0f} ms {url}")
    if steps is not None:
        print(f"mean ms per request: whole {sum(ms for ms, _ in times) / len(times):.1f}")
        for name, seconds in sorted(steps.items(), key=lambda item: -item[1]):
            print(f"  {seconds * 1000 / len(times):6.2f}  {name}")
    if profiler:
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats(args.sort).print_stats(args.top)
        print(out.getvalue())
        if args.dump:
            profiler.dump_stats(args.dump)


# The list view's steps, by the names it calls them under (articles.views).
STEPS = {
    "_page_counts": "counts (tally)",
    "_page": "paging (ids, ranking, rows)",
    "listing_rows": "of which result rows (listing_rows)",
    "render": "template rendering",
    "facets_from": "facet options from the tally",
    "_assign_urls": "facet option links",
}


def _time_steps() -> dict[str, float]:
    """Wrap the list view's steps with timers; returns the seconds spent in each, filled as requests run."""
    from articles import filters, views

    spent: dict[str, float] = {}

    def timed(name: str, function):
        def wrapper(*args, **kwargs):
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                spent[name] = spent.get(name, 0.0) + time.perf_counter() - started

        return wrapper

    for attribute, name in STEPS.items():
        setattr(views, attribute, timed(name, getattr(views, attribute)))
    views.search_views.no_results = timed("no-results suggestions", views.search_views.no_results)
    problems = filters.ArticleFilter.problems.fget
    filters.ArticleFilter.problems = property(timed("filter validation", problems))
    return spent


if __name__ == "__main__":
    main()
