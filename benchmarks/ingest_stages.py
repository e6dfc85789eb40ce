"""Where an ingest run's CPU time goes, stage by stage, beside jieba alone on the same files.

    DATABASE_URL=sqlite:////tmp/stages.sqlite3 .venv/bin/python -m benchmarks.ingest_stages DIR

Run by benchmarks.ingest_throughput (--stages) in a child process on a fresh
database: ingests DIR in this process with timers around the pipeline's
stages (start-up is left out: the first file is ingested untimed), then
measures on the same files jieba alone and the least segmentation the
pipeline needs (jieba's accurate mode with HMM for keywords, then search mode
without HMM for the index, through articles.text.segmenter, sharing routes as
the pipeline does). Prints one JSON object: CPU seconds per stage.
"""

from __future__ import annotations

import json
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path


def _timed(seconds: dict[str, float], label: str, function: Callable) -> Callable:
    def wrapper(*args, **kwargs):
        started = time.process_time()
        try:
            return function(*args, **kwargs)
        finally:
            seconds[label] += time.process_time() - started

    return wrapper


def measure(directory: Path) -> dict[str, float]:
    """CPU seconds per stage of ingesting ``directory``, and of jieba alone and the segmentation floor on its files."""
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_regions", verbosity=0, stdout=open("/dev/null", "w"))
    import jieba

    from articles import ingest
    from articles.text import pipeline, themes
    from articles.text.segmenter import Segmenter, forget_hmm_cuts

    files = sorted(directory.glob("*.txt"))
    # Start-up (dictionaries, gazetteer, jieba.analyse's tables) is paid by ingesting the first file untimed.
    ingest.ingest_paths([str(files[0])], jobs=1)
    files = files[1:]
    seconds: dict[str, float] = defaultdict(float)
    # Nested stages are timed inside their parents: write_document includes the search segmentation.
    for module, name, label in (
        (pipeline, "parse_document", "parse (decode, chrome, split, fields)"),
        (pipeline, "_assign_regions", "regions"),
        (themes, "score_themes", "themes"),
        (themes, "extract_keywords", "keywords (accurate cut, POS, TF-IDF)"),
        (ingest, "_presegment", "search segmentation"),
        (ingest, "write_document", "write (incl. search segmentation)"),
    ):
        setattr(module, name, _timed(seconds, label, getattr(module, name)))
    started = time.process_time()
    ingest.ingest_paths([str(path) for path in files], jobs=1)
    seconds["ingest (all stages)"] = time.process_time() - started
    top_level = [label for label in seconds if label not in ("search segmentation", "ingest (all stages)")]
    seconds["other (per-run set-up, reading, hashing, reports)"] = seconds["ingest (all stages)"] - sum(
        seconds[label] for label in top_level
    )

    texts = [path.read_text(encoding="utf-8") for path in files]
    started = time.process_time()
    for text in texts:
        jieba.lcut(text)
    seconds["jieba alone"] = time.process_time() - started
    # A fresh segmenter, no HMM cuts remembered from the ingest above: the floor for text never seen.
    forget_hmm_cuts()
    segmenter = Segmenter(jieba.dt)
    started = time.process_time()
    for text in texts:
        segmenter.lcut(text)
        segmenter.lcut_for_search(text, HMM=False)
    seconds["segmentation floor"] = time.process_time() - started
    return {label: round(value, 2) for label, value in seconds.items()}


if __name__ == "__main__":
    print(json.dumps(measure(Path(sys.argv[1])), ensure_ascii=False))
