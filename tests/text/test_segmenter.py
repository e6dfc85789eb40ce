"""The fast segmenter gives jieba's exact words (articles/text/segmenter.py)."""

from __future__ import annotations

import random
from pathlib import Path

import jieba
import pytest

from articles.text.segmenter import Segmenter, default_segmenter

ROOT = Path(__file__).resolve().parent.parent.parent
SAMPLES = [
    *sorted((ROOT / "corpus").glob("*.txt")),
    *sorted((ROOT / "tests/heldout_web").glob("*.txt")),
    *sorted((ROOT / "tests/heldout/files").glob("*")),
]


def _texts() -> list[str]:
    texts = [path.read_bytes().decode("utf-8", errors="replace") for path in SAMPLES]
    assert len(texts) > 20
    return texts


def _noise(rng: random.Random, length: int) -> str:
    # Han (common, rare, Traditional), ASCII words and digits, full-width forms,
    # punctuation and whitespace of every kind jieba splits on.
    alphabet = (
        "的一是了我不人在他有这个上们来到时大地为子中你说生国年着就那和要她出也得里后自以会家可下而过天去能对小多然于心学么之都好看起发当没成只如事把还用第样道想作种开美总从无情己面最女但现前些所同日手又行意动方期它头经长儿回位分爱老因很给名法间斯知世什两次使身者被高已亲其进此话常与活正感"
        "臺灣國語會議發展經濟龘靐齉鬱"
        "abcXYZ0123456789+#&._%-"
        "０１２ＡＢＣ，。！？、；：“”（）《》【】—…·"
        " \t\r\n\u3000"
    )
    return "".join(rng.choice(alphabet) for _ in range(length))


@pytest.fixture(scope="module")
def reference() -> jieba.Tokenizer:
    jieba.dt.check_initialized()
    return jieba.dt


def test_accurate_mode_is_jiebas_word_for_word(reference: jieba.Tokenizer) -> None:
    segmenter = default_segmenter()
    for text in _texts():
        for hmm in (True, False):
            assert segmenter.lcut(text, HMM=hmm) == reference.lcut(text, HMM=hmm)


def test_search_mode_is_jiebas_word_for_word(reference: jieba.Tokenizer) -> None:
    segmenter = default_segmenter()
    for text in _texts():
        assert segmenter.lcut_for_search(text, HMM=False) == reference.lcut_for_search(text, HMM=False)
        assert segmenter.lcut_for_search(text) == reference.lcut_for_search(text)


def test_random_text_is_cut_as_jieba_cuts_it(reference: jieba.Tokenizer) -> None:
    rng = random.Random(7)
    segmenter = default_segmenter()
    for _ in range(300):
        text = _noise(rng, rng.randint(0, 200))
        for hmm in (True, False):
            assert segmenter.lcut(text, HMM=hmm) == reference.lcut(text, HMM=hmm), text


def test_a_second_pass_reuses_routes_and_gives_the_same_words(reference: jieba.Tokenizer) -> None:
    segmenter = Segmenter(jieba.dt)
    text = _texts()[0]
    first = segmenter.lcut(text, HMM=False)
    assert segmenter._routes  # routes kept ...
    block = next(iter(segmenter._routes))
    segmenter._routes[block] = segmenter._route(block)  # ... and a kept route is the one computed afresh
    assert segmenter.lcut(text, HMM=False) == first == reference.lcut(text, HMM=False)
    assert segmenter.lcut(text) == reference.lcut(text)


def test_own_dictionary_with_added_words_cuts_as_jieba_does(reference: jieba.Tokenizer) -> None:
    # The themes' private tokenizers: a copy of the dictionary plus keywords.
    words = ["党建引领", "网格员", "接诉即办", "龘靐", "量子通信", "三会一课"]
    ours, theirs = Segmenter(), jieba.Tokenizer()
    for tok in (ours, theirs):
        tok.FREQ, tok.total, tok.initialized = dict(reference.FREQ), reference.total, True
    texts = _texts()[:6] + ["龘靐齉网格员接诉即办三会一课，党建引领基层治理。"]
    before = [ours.lcut(text, HMM=False) for text in texts]  # routes kept from the dictionary before the words
    for word in words:
        for tok in (ours, theirs):
            tok.add_word(word, freq=max(tok.suggest_freq(word), 1000))
    for text, old in zip(texts, before):
        assert ours.lcut(text, HMM=False) == theirs.lcut(text, HMM=False)
        assert ours.lcut(text) == theirs.lcut(text)
    assert before[-1] != ours.lcut(texts[-1], HMM=False)  # the added words changed the cut: nothing stale was used


def test_the_default_segmenter_follows_jiebas_dictionary(reference: jieba.Tokenizer) -> None:
    segmenter = default_segmenter()
    segmenter.lcut("测试")
    assert segmenter.FREQ is reference.FREQ and segmenter.total == reference.total


def test_full_mode_falls_back_to_jieba(reference: jieba.Tokenizer) -> None:
    text = "我来到北京清华大学"
    assert default_segmenter().lcut(text, cut_all=True) == reference.lcut(text, cut_all=True)
