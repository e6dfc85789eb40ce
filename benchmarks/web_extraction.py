"""Web-dump extraction measured the honest way: per site, and with its constants fitted leave-site-out.

    python -m benchmarks.web_extraction [--grid]

Without --grid: scores the development set (../shared/corpus/webdev) and the
blind held-out sets (tests/heldout_web, _b, _c and _d) with the constants in articles/text/web.py.
With --grid: for a small grid of the web path's constants, fits them on half of
the development set's sites and scores the other half (and the other way
round), so the numbers show what tuning on these pages is worth on sites that
were not tuned on. Prints Markdown for docs/ingest.md.
"""

from __future__ import annotations

import argparse
import itertools
import json
import re
import unicodedata
from pathlib import Path

from articles.text import web
from articles.text.pipeline import parse_document

ROOT = Path(__file__).resolve().parent.parent
WEBDEV = ROOT.parent / "shared" / "corpus" / "webdev"
HELDOUT = ROOT / "tests" / "heldout_web"
HELDOUT_B = ROOT / "tests" / "heldout_web_b"
HELDOUT_C = ROOT / "tests" / "heldout_web_c"
HELDOUT_D = ROOT / "tests" / "heldout_web_d"

GRID = {
    "_SHORT_COST": [3.0, 5.0, 8.0],
    "_GAP_GROWTH": [0.25, 0.5, 1.0],
    "_HARD_GAP": [6, 8, 12],
    "_HEAD_SHARE": [0.25, 0.4, 0.6],
}


def _norm(text: str | None) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or "")).lstrip("—-")


def _f1(system: str, gold: str) -> float:
    def grams(s: str) -> dict[str, int]:
        out: dict[str, int] = {}
        for i in range(len(s) - 1):
            out[s[i:i + 2]] = out.get(s[i:i + 2], 0) + 1
        return out

    a, b = grams(system), grams(gold)
    common = sum(min(n, b.get(k, 0)) for k, n in a.items())
    if not common:
        return 0.0
    p, r = common / sum(a.values()), common / sum(b.values())
    return 2 * p * r / (p + r)


def score_file(directory: Path, name: str, spec: dict) -> dict[str, float]:
    """Content F1, title, date and item count of one file against its gold."""
    doc = parse_document((directory / name).read_bytes(), name)
    gold = spec["items"][0]
    best = max(doc.items, key=lambda item: _f1(_norm(item.body), _norm(gold["body"])), default=None)
    f1 = _f1(_norm(best.body), _norm(gold["body"])) if best else 0.0
    title = bool(best) and _norm(best.title) in [_norm(t) for t in gold["title_accept"]]
    date_ok = None
    if gold.get("date_accept"):
        date_ok = bool(best and best.date) and best.date.iso() in gold["date_accept"]
    return {"f1": f1, "title": float(title), "date": date_ok, "extra": len(doc.items) - (1 if best else 0)}


def summarise(rows: list[dict[str, float]]) -> dict[str, float]:
    """Mean F1, share >= 0.9, title and date accuracy, extra items."""
    dated = [r["date"] for r in rows if r["date"] is not None]
    return {
        "pages": len(rows),
        "f1_mean": sum(r["f1"] for r in rows) / len(rows),
        "f1_ge_09": sum(r["f1"] >= 0.9 for r in rows) / len(rows),
        "title": sum(r["title"] for r in rows) / len(rows),
        "date": sum(dated) / len(dated) if dated else 1.0,
        "extra": sum(r["extra"] for r in rows),
    }


def load(directory: Path, gold_path: Path) -> dict[str, dict]:
    return json.loads(gold_path.read_text(encoding="utf-8"))["files"]


def site_of(name: str) -> str:
    return name.split("-")[1] if name.startswith("web-") else name


def objective(summary: dict[str, float]) -> float:
    return summary["f1_mean"] + summary["title"] + summary["date"] - 0.01 * summary["extra"]


def line(label: str, s: dict[str, float]) -> str:
    return (f"| {label} | {s['pages']} | {s['f1_mean']:.3f} | {s['f1_ge_09']:.0%} | {s['title']:.0%} | "
            f"{s['date']:.0%} | {s['extra']} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--grid", action="store_true", help="also fit the constants leave-site-out")
    args = parser.parse_args()
    dev = load(WEBDEV / "files", WEBDEV / "gold.json")
    held = load(HELDOUT, HELDOUT / "gold.json")
    print("| set | pages | content F1 mean | F1 ≥ 0.9 | title | date | extra items |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    print(line("webdev (development)", summarise([score_file(WEBDEV / "files", n, s) for n, s in dev.items()])))
    print(line("heldout_web (blind)", summarise([score_file(HELDOUT, n, s) for n, s in held.items()])))
    for name, directory in (("heldout_web_b", HELDOUT_B), ("heldout_web_c", HELDOUT_C), ("heldout_web_d", HELDOUT_D)):
        held = load(directory, directory / "gold.json")
        print(line(f"{name} (blind)", summarise([score_file(directory, n, s) for n, s in held.items()])))
    if not args.grid:
        return
    sites = sorted({site_of(n) for n in dev})
    halves = [set(sites[0::2]), set(sites[1::2])]
    defaults = {name: getattr(web, name) for name in GRID}
    print()
    print("| fitted on | scored on | fitted constants | content F1 mean | F1 ≥ 0.9 | title | date |")
    print("| --- | --- | --- | ---: | ---: | ---: | ---: |")
    for fit, test in ((0, 1), (1, 0)):
        fit_files = {n: s for n, s in dev.items() if site_of(n) in halves[fit]}
        test_files = {n: s for n, s in dev.items() if site_of(n) in halves[test]}
        best = None
        for values in itertools.product(*GRID.values()):
            for name, value in zip(GRID, values):
                setattr(web, name, value)
            summary = summarise([score_file(WEBDEV / "files", n, s) for n, s in fit_files.items()])
            if best is None or objective(summary) > objective(best[0]):
                best = (summary, values)
        for name, value in zip(GRID, best[1]):
            setattr(web, name, value)
        held_out = summarise([score_file(WEBDEV / "files", n, s) for n, s in test_files.items()])
        constants = ", ".join(f"{k.strip('_').lower()}={v}" for k, v in zip(GRID, best[1]))
        s = held_out
        print(f"| half {fit + 1} ({len(fit_files)} pages) | half {test + 1} ({len(test_files)} pages) | {constants} | "
              f"{s['f1_mean']:.3f} | {s['f1_ge_09']:.0%} | {s['title']:.0%} | {s['date']:.0%} |")
        for name, value in defaults.items():
            setattr(web, name, value)


if __name__ == "__main__":
    main()
