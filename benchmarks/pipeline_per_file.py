"""Text pipeline time per file on the sample corpus (and the web development set), best of N runs.

    python -m benchmarks.pipeline_per_file [--runs 7]

parse_document with the gazetteer and themes, as ingest runs it, without the
database write; the figure docs/benchmarks.md compares across versions.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SETS = {
    "sample corpus (corpus/)": ROOT / "corpus",
    "web pages (../shared/corpus/webdev)": ROOT.parent / "shared" / "corpus" / "webdev" / "files",
}


def main() -> None:
    from articles.text.pipeline import parse_document
    from articles.text.places import Gazetteer
    from articles.text.themes import DEFAULT_THEMES

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    gazetteer = Gazetteer.from_csv_dir(ROOT / "articles" / "data" / "regions")
    parse_document("预热。".encode(), "warm.txt", gazetteer=gazetteer, themes=DEFAULT_THEMES)  # jieba, OpenCC loaded
    print("| set | files | ms per file (best of runs) |")
    print("| --- | ---: | ---: |")
    for label, directory in SETS.items():
        files = sorted(p for p in directory.glob("*.txt")) if directory.exists() else []
        if not files:
            continue
        data = [(p.name, p.read_bytes()) for p in files]
        best = min(_timed(parse_document, data, gazetteer, DEFAULT_THEMES) for _ in range(args.runs))
        print(f"| {label} | {len(files)} | {best / len(files) * 1000:.1f} |")


def _timed(parse_document, data, gazetteer, themes) -> float:
    start = time.perf_counter()
    for name, raw in data:
        parse_document(raw, name, gazetteer=gazetteer, themes=themes)
    return time.perf_counter() - start


if __name__ == "__main__":
    main()
