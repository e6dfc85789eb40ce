"""Ingest throughput against jieba segmentation alone, on a generated raw corpus of ≥ 20 MB.

    .venv/bin/python -m benchmarks.ingest_throughput                    # 20 MB, --jobs 1
    .venv/bin/python -m benchmarks.ingest_throughput --megabytes 40 --jobs 2

Writes N MB of newspaper-page text files (the layout of corpus/: "## " headings,
本报讯 bylines, paragraphs) from the shared synthesis's sentence pool
(benchmarks.synthesis.Pool: Zipf-distributed words, planted terms), then
measures on the same files and cores:

- jieba alone: jieba.lcut over every file's text, in this process (MB/s);
- ingest: `manage.py ingest DIR --jobs J` into a fresh SQLite database, in
  a child process (MB/s, articles/s, peak RSS of the process tree).

and reports the ratio ingest / jieba (the issue's target: ≥ 0.7).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def generate(directory: Path, megabytes: float, seed: int = 11) -> tuple[int, int]:
    """Write text files totalling ``megabytes`` MB; (files, bytes)."""
    from benchmarks.synthesis import Pool

    rng = random.Random(seed)
    names = [line.split(",")[1].strip('"') for line in (ROOT / "articles/data/regions/areas.csv").read_text().splitlines()[1:]]
    pool = Pool(rng, names, size=5_000)
    target, written, files = int(megabytes * 1_000_000), 0, 0
    while written < target:
        parts = []
        for _ in range(rng.randint(3, 8)):  # articles on a page
            title = rng.choice(pool.titles)[0]
            sentences = [rng.choice(pool.synthetic)[0] for _ in range(rng.randint(8, 30))]
            body, at = [], 0
            while at < len(sentences):
                step = rng.randint(2, 5)
                body.append("".join(sentences[at : at + step]))
                at += step
            body[0] = f"本报讯(记者 {rng.choice('王李张刘陈杨')}{rng.choice('明华伟芳军')}){body[0]}"
            parts.append(f"## {title}\n\n" + "\n\n".join(body) + "\n")
        text = "\n\n".join(parts)
        path = directory / f"{files:05d}_page.txt"
        path.write_text(text, encoding="utf-8")
        written += len(text.encode("utf-8"))
        files += 1
    return files, written


def jieba_alone(directory: Path) -> float:
    """Seconds for jieba.lcut over every file (dictionary loaded beforehand)."""
    import jieba

    jieba.initialize()
    started = time.perf_counter()
    for path in sorted(directory.glob("*.txt")):
        jieba.lcut(path.read_text(encoding="utf-8"))
    return time.perf_counter() - started


def ingest(directory: Path, jobs: int) -> dict:
    database = Path(tempfile.mkdtemp(prefix="bench_ingest_")) / "db.sqlite3"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}", "DJANGO_DEBUG": "1", "DJANGO_LOG_LEVEL": "WARNING"}
    subprocess.run([sys.executable, "manage.py", "migrate", "--verbosity", "0"], cwd=ROOT, env=env, check=True)
    subprocess.run([sys.executable, "manage.py", "load_regions"], cwd=ROOT, env=env, check=True, capture_output=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "manage.py", "ingest", str(directory), "--jobs", str(jobs)],
        cwd=ROOT, env=env, capture_output=True, text=True,
    )
    seconds = time.perf_counter() - started
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    count = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", "from articles.models import Article; print(Article.objects.count())"],
        cwd=ROOT, env=env, capture_output=True, text=True,
    ).stdout.strip().splitlines()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    return {
        "seconds": seconds,
        "returncode": done.returncode,
        "articles": int(count[-1]) if count and count[-1].isdigit() else None,
        # ru_maxrss of children is the largest single child (the ingest process; its parser
        # processes with --jobs > 1 are that child's children and are included only if larger).
        "peak_rss_mb": round(max(peak_kb, before) / 1024),
        "tail": done.stdout[-500:] + done.stderr[-500:],
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--megabytes", type=float, default=20)
    parser.add_argument("--jobs", type=int, default=1)
    args = parser.parse_args(argv)
    from benchmarks.synthesis import configure

    configure("sqlite:////tmp/bench_ingest_pool.sqlite3")  # the pool segments with the project's segmenter
    directory = Path(tempfile.mkdtemp(prefix="bench_ingest_corpus_"))
    files, size = generate(directory, args.megabytes)
    megabytes = size / 1_000_000
    jieba_seconds = jieba_alone(directory)
    result = ingest(directory, args.jobs)
    for path in directory.glob("*.txt"):
        path.unlink()
    directory.rmdir()
    summary = {
        "files": files,
        "megabytes": round(megabytes, 1),
        "jobs": args.jobs,
        "jieba_mb_s": round(megabytes / jieba_seconds, 3),
        "ingest_mb_s": round(megabytes / result["seconds"], 3),
        "ingest_articles_s": round((result["articles"] or 0) / result["seconds"], 1),
        "ratio": round(jieba_seconds / result["seconds"], 2),
        "peak_rss_mb": result["peak_rss_mb"],
        "articles": result["articles"],
        "ingest_returncode": result["returncode"],
    }
    print(json.dumps(summary, ensure_ascii=False))
    if result["returncode"]:
        print(result["tail"], file=sys.stderr)


if __name__ == "__main__":
    main()
