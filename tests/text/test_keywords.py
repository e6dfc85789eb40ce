"""Article keywords are words: whole names and places, no stop-phrases (issue 12)."""

from pathlib import Path

import pytest

from articles.text.pipeline import parse_document
from articles.text.themes import extract_keywords, keyword_words

CORPUS = Path(__file__).resolve().parents[2] / "corpus"


def _corpus_keywords() -> dict[str, list[str]]:
    out = {}
    for path in sorted(CORPUS.glob("*.txt")):
        doc = parse_document(path.read_bytes(), path.name)
        for item in doc.items:
            title = " ".join(x for x in (item.kicker, item.title, item.subtitle) if x)
            out[item.title or item.body_simplified[:20]] = extract_keywords(title, item.body_simplified)
    return out


@pytest.fixture(scope="module")
def corpus_keywords():
    return _corpus_keywords()


def test_a_surname_and_the_word_after_it_are_one_name():
    words = [w for w, _ in keyword_words("鲁新建调研重点工业项目。")]
    assert "鲁新建" in words and "新建" not in words


def test_a_title_after_a_surname_is_not_a_given_name():
    assert "王书记" not in [w for w, _ in keyword_words("王书记调研重点工业项目。")]


def test_a_place_name_keeps_its_ethnic_group_and_unit():
    words = [w for w, _ in keyword_words("镇安县西口回族镇打破以往的管理模式，十里铺街办高一社区。")]
    assert "西口回族镇" in words and "西口" not in words
    assert "十里铺街办" in words


def test_a_reduplicated_phrase_is_not_cut():
    assert "人盯人" in [w for w, _ in keyword_words("“人盯人+”基层社会治理")]


def test_corpus_keywords_have_no_name_fragments_or_stop_phrases(corpus_keywords):
    every = {word for words in corpus_keywords.values() for word in words}
    # Measured before this change: 新建 (from 鲁新建), 西口 and 回族 (from 西口回族镇),
    # 对市 (对 + 市区), 盯人 (人盯人), 更好, 了解, 遗余 (不遗余“粒”).
    assert not every & {"新建", "西口", "回族", "对市", "盯人", "更好", "了解", "遗余"}
    assert "鲁新建" in corpus_keywords["鲁新建调研重点工业项目"]
    assert "西口回族镇" in corpus_keywords["小片区赋能大治理"]
    assert all(len(words) == 8 for words in corpus_keywords.values())


def test_keywords_skip_numbers_generic_words_and_single_characters():
    words = extract_keywords("今年以来工作", "2022年全市开展工作，核桃种植面积达到176万亩，核桃产业发展。")
    assert "核桃" in words
    assert not {"工作", "今年以来", "全市", "开展", "发展"} & set(words)
    assert all(len(word) >= 2 and not any(ch.isdigit() for ch in word) for word in words)
