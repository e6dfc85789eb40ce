"""The whole pipeline against the hand-annotated sample corpus (tests/seeds.gold.json)."""

from __future__ import annotations

import json
import subprocess
import sys
from functools import lru_cache
from pathlib import Path

from articles.text.pipeline import item_as_export, parse_document

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpus"
GOLD = ROOT / "tests" / "seeds.gold.json"
SCORER = ROOT / "tests" / "gold" / "score_ingest.py"


@lru_cache(maxsize=1)
def gazetteer():
    from articles.text.places import Gazetteer

    return Gazetteer.from_csv_dir(ROOT / "articles" / "data" / "regions")


def export_corpus(path: Path) -> None:
    from articles.text.themes import DEFAULT_THEMES

    with path.open("w", encoding="utf-8") as out:
        for file in sorted(CORPUS.glob("*.txt")):
            doc = parse_document(file.read_bytes(), file.name, gazetteer=gazetteer(), themes=DEFAULT_THEMES)
            for item in doc.items:
                out.write(json.dumps(item_as_export(doc, item, file.name), ensure_ascii=False) + "\n")


def test_every_gold_check_passes(tmp_path: Path) -> None:
    export = tmp_path / "export.jsonl"
    export_corpus(export)
    result = subprocess.run(
        [sys.executable, str(SCORER), str(GOLD), str(export), "--verbose"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_corpus_file_parses_without_gazetteer() -> None:
    for file in sorted(CORPUS.glob("*.txt")):
        doc = parse_document(file.read_bytes(), file.name)
        assert doc.items, file.name
        assert all(item.regions == [] and item.themes == [] for item in doc.items)
