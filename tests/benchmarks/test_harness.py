"""The benchmark harnesses measure what they say they measure."""

import re
import urllib.parse

from benchmarks.combinations import draw
from benchmarks.ingest_throughput import generate


def test_the_ingest_corpus_never_repeats_a_sentence(tmp_path):
    # Repeated clauses let the segmenter's per-run caches do the work jieba alone has to do.
    files, size = generate(tmp_path, 0.2)
    text = "".join(path.read_text(encoding="utf-8") for path in sorted(tmp_path.glob("*.txt")))
    assert files >= 20 and size >= 200_000
    sentences = [s for s in re.split(r"(?<=。)", re.sub(r"本报讯\(记者 ..\)", "", text)) if len(s) > 12]
    planted = [s for s in sentences if any(term in s for term in ("疫情", "乡村振兴", "垃圾分类", "量子通信"))]
    made = [s.strip() for s in sentences if s not in planted]
    assert len(made) > 1000 and len(set(made)) / len(made) > 0.99


def test_combinations_are_distinct_lists_of_one_to_three_facets():
    values = {"region": ["610000", "611000"], "theme": ["epidemic", "economy"], "year": ["2020", "unknown"],
              "source": ["1"], "kind": ["article", "photo"]}
    urls = draw(values, 30, seed=4)
    assert len(set(urls)) == 30
    for url in urls:
        params = urllib.parse.parse_qs(urllib.parse.urlsplit(url).query)
        facets = set(params) - {"q", "month"}
        assert 1 <= len(facets) <= 3
        assert "month" not in params or "year" in params
