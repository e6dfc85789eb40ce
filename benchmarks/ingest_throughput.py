"""Ingest throughput against jieba segmentation alone, on a generated raw corpus of ≥ 20 MB.

    .venv/bin/python -m benchmarks.ingest_throughput                    # 20 MB, --jobs 1
    .venv/bin/python -m benchmarks.ingest_throughput --megabytes 40 --jobs 2

Writes N MB of newspaper-page text files (the layout of corpus/: "## " headings,
本报讯 bylines, paragraphs) of sentences made as the shared synthesis makes
them (benchmarks.synthesis.make_sentence: Zipf-distributed dictionary words,
one in ten naming a county, planted campaign terms), every sentence new, then
measures on the same files and cores:

- jieba alone: jieba.lcut over every file's text, in this process (MB/s);
- ingest: `manage.py ingest DIR --jobs J` into a fresh SQLite database, in
  a child process (MB/s, articles/s, peak RSS of the process tree).

and reports the ratio ingest / jieba (the issue's target: ≥ 0.7), with the
machine's load average before jieba and after ingest (the machine is shared:
a ratio is only meaningful when the load stayed the same).

--write puts the result into the "Ingest throughput" section of
docs/benchmarks.md (benchmarks.report), as a table row; --compare FILE adds
the rows of earlier runs saved from this script's JSON output (one per line).
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
SECTION = "## Ingest throughput (benchmarks.ingest_throughput)"


def generate(directory: Path, megabytes: float, seed: int = 11) -> tuple[int, int]:
    """Write text files totalling ``megabytes`` MB; (files, bytes)."""
    from benchmarks.synthesis import PLANT_TEMPLATES, PLANTED, dictionary_words, make_sentence, make_title

    rng = random.Random(seed)
    names = [line.split(",")[1].strip('"') for line in (ROOT / "articles/data/regions/areas.csv").read_text().splitlines()[1:]]
    words, cumulative = dictionary_words()
    target, written, files = int(megabytes * 1_000_000), 0, 0
    while written < target:
        parts = []
        for _ in range(rng.randint(3, 8)):  # articles on a page
            title = make_title(rng, words, cumulative)
            # Every sentence is new: real pages rarely repeat a clause, so nothing
            # the pipeline remembers between articles may flatter it.
            sentences = [
                make_sentence(rng, words, cumulative, names if rng.random() < 0.1 else None)
                for _ in range(rng.randint(8, 30))
            ]
            for term, share in PLANTED.items():  # campaign terms at known rates, as in the synthesis
                if rng.random() < share:
                    sentences.insert(rng.randrange(len(sentences) + 1), rng.choice(PLANT_TEMPLATES).format(place=rng.choice(names), term=term))
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


def jieba_alone(directory: Path) -> tuple[float, float]:
    """Seconds (wall-clock, CPU) for jieba.lcut over every file (dictionary loaded beforehand)."""
    import jieba

    jieba.initialize()
    started, cpu = time.perf_counter(), time.process_time()
    for path in sorted(directory.glob("*.txt")):
        jieba.lcut(path.read_text(encoding="utf-8"))
    return time.perf_counter() - started, time.process_time() - cpu


def _env(database: Path) -> dict[str, str]:
    # DEBUG off, as a production ingest runs (DEBUG keeps the last 9,000 statements, whole page texts, in memory).
    return {
        **os.environ, "DATABASE_URL": f"sqlite:///{database}", "DJANGO_DEBUG": "0", "DJANGO_LOG_LEVEL": "WARNING",
        "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY") or "benchmark-only-" + os.urandom(16).hex(),
    }


def ingest(directory: Path, jobs: int) -> dict:
    database = Path(tempfile.mkdtemp(prefix="bench_ingest_")) / "db.sqlite3"
    env = _env(database)
    subprocess.run([sys.executable, "manage.py", "migrate", "--verbosity", "0"], cwd=ROOT, env=env, check=True)
    subprocess.run([sys.executable, "manage.py", "load_regions"], cwd=ROOT, env=env, check=True, capture_output=True)
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    before, cpu_before = usage.ru_maxrss, usage.ru_utime + usage.ru_stime
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "manage.py", "ingest", str(directory), "--jobs", str(jobs)],
        cwd=ROOT, env=env, capture_output=True, text=True,
    )
    seconds = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    peak_kb, cpu_seconds = usage.ru_maxrss, usage.ru_utime + usage.ru_stime - cpu_before
    count = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", "from articles.models import Article; print(Article.objects.count())"],
        cwd=ROOT, env=env, capture_output=True, text=True,
    ).stdout.strip().splitlines()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    return {
        "seconds": seconds,
        "cpu_seconds": cpu_seconds,  # the ingest process and its parser processes
        "returncode": done.returncode,
        "articles": int(count[-1]) if count and count[-1].isdigit() else None,
        # ru_maxrss of children is the largest single child (the ingest process; its parser
        # processes with --jobs > 1 are that child's children and are included only if larger).
        "peak_rss_mb": round(max(peak_kb, before) / 1024),
        "tail": done.stdout[-500:] + done.stderr[-500:],
    }


def stages(directory: Path) -> dict[str, float]:
    """CPU seconds per pipeline stage (benchmarks.ingest_stages, in a child process on a fresh database)."""
    database = Path(tempfile.mkdtemp(prefix="bench_stages_")) / "db.sqlite3"
    env = {**_env(database), "DJANGO_SETTINGS_MODULE": "newsroom.settings"}
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.ingest_stages", str(directory)],
        cwd=ROOT, env=env, capture_output=True, text=True, check=True,
    )
    for suffix in ("", "-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--megabytes", type=float, default=20)
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--label", default="", help="what was measured (a commit, a change), for the table")
    parser.add_argument("--write", action="store_true", help="write the table into docs/benchmarks.md")
    parser.add_argument("--compare", type=Path, help="JSON lines of earlier runs to put in the table first")
    parser.add_argument("--stages", action="store_true", help="also measure CPU per pipeline stage (a second ingest)")
    parser.add_argument("--note", type=Path, help="a file of Markdown to put under the table (what the rows show)")
    args = parser.parse_args(argv)
    directory = Path(tempfile.mkdtemp(prefix="bench_ingest_corpus_"))
    files, size = generate(directory, args.megabytes)
    megabytes = size / 1_000_000
    load_before = os.getloadavg()[0]
    jieba_seconds, jieba_cpu = jieba_alone(directory)
    result = ingest(directory, args.jobs)
    load_after = os.getloadavg()[0]
    stage_seconds = stages(directory) if args.stages else None
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
        # CPU seconds, less sensitive to the machine's other load than wall-clock (with --jobs 1).
        "cpu_ratio": round(jieba_cpu / result["cpu_seconds"], 2) if result["cpu_seconds"] else None,
        "peak_rss_mb": result["peak_rss_mb"],
        "articles": result["articles"],
        "ingest_returncode": result["returncode"],
        "load": [round(load_before, 1), round(load_after, 1)],
        "label": args.label,
    }
    if stage_seconds:
        summary["stages"] = stage_seconds
    print(json.dumps(summary, ensure_ascii=False))
    if result["returncode"]:
        print(result["tail"], file=sys.stderr)
    if args.write:
        from benchmarks.report import write_section

        earlier = [json.loads(line) for line in args.compare.read_text().splitlines() if line.startswith("{")] if args.compare else []
        note = args.note.read_text(encoding="utf-8") if args.note else ""
        write_section(SECTION, section_text([*earlier, summary], note))
        print(f"wrote the “{SECTION[3:]}” section of docs/benchmarks.md")


def section_text(rows: list[dict], note: str = "") -> str:
    """The docs/benchmarks.md section: what is measured, and one table row per run."""
    lines = [
        SECTION,
        "",
        "`.venv/bin/python -m benchmarks.ingest_throughput --megabytes N --jobs 1 --write`: N MB of newspaper-page",
        "text files of sentences made as the shared synthesis makes them (every sentence new: nothing the pipeline",
        "remembers between articles flatters it), then on the same files and cores jieba alone",
        "(`jieba.lcut` over every file, dictionary preloaded) and `manage.py ingest DIR --jobs 1` into a fresh SQLite",
        "database with DEBUG off (peak RSS of the ingest process). Wall-clock on a 2-core machine shared with other work: the load",
        "column is the 1-minute load average before the jieba phase and after the ingest phase. The CPU-time ratio",
        "(jieba's CPU seconds over the ingest process's) is less sensitive to that load than the wall-clock ratio.",
        "",
        "| run | raw corpus | files | articles | jieba alone MB/s | ingest MB/s | ingest articles/s "
        "| ratio ingest / jieba | CPU-time ratio | peak RSS MiB | load |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in rows:
        load = "–".join(str(value) for value in row.get("load", [])) or "?"
        lines.append(
            f"| {row.get('label') or '–'} | {row['megabytes']} MB | {row['files']} | {row['articles'] or 0:,} "
            f"| {row['jieba_mb_s']} | {row['ingest_mb_s']} | {row['ingest_articles_s']} | {row['ratio']} "
            f"| {row.get('cpu_ratio') or '?'} | {row['peak_rss_mb']} | {load} |"
        )
    staged = [row for row in rows if row.get("stages")]
    if staged:
        row = staged[-1]
        jieba_cpu = row["stages"]["jieba alone"]
        lines += [
            "",
            f"Where the CPU goes ({row.get('label') or 'last run'}; `--stages`: a second ingest of the same files in one",
            "process with timers around each stage, start-up left out; nested stages are inside their parents):",
            "",
            "| stage | CPU s | × jieba alone |",
            "| --- | ---: | ---: |",
        ]
        for stage, seconds in row["stages"].items():
            lines.append(f"| {stage} | {seconds} | {seconds / jieba_cpu:.2f} |")
    if note.strip():
        lines += ["", note.strip()]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
