"""Pinyin sort keys: dictionary order, not code-point order."""

import pytest

from articles.text.pinyin import UNKNOWN_HAN, UNTITLED_KEY, pinyin_key, pinyin_sorted


def test_key_spells_each_syllable_with_its_tone():
    assert pinyin_key("丹凤") == "dan1feng4"
    assert pinyin_key("世界") == "shi4jie4"


def test_pinyin_order_is_not_code_point_order():
    titles = ["世界读书日", "丹凤聚力建设重点项目", "山阳", "阿里", "中国"]
    assert sorted(titles) != sorted(titles, key=pinyin_key)  # 世 U+4E16 comes before 丹 U+4E39
    assert sorted(titles, key=pinyin_key) == ["阿里", "丹凤聚力建设重点项目", "山阳", "世界读书日", "中国"]


@pytest.mark.parametrize(
    "first, second",
    [
        ("十", "史"),  # same syllable: tone order shi2 < shi3
        ("史", "是"),
        ("是", "世界"),  # a shorter reading first: shi4 < shi4jie4
        ("是", "说"),  # shi4 < shuo1: the tone digit sorts before every letter
        ("路", "绿"),  # lu < lü (spelled v): dictionary order
        ("山西", "陕西"),
        ("Apple", "阿"),  # Latin a0 before a toned a1
        ("2020年", "阿"),  # digits before letters
        ("中国", ""),  # untitled last
    ],
)
def test_order_of_pairs(first, second):
    assert pinyin_key(first) < pinyin_key(second)


def test_polyphones_read_by_phrase():
    assert pinyin_key("重庆").startswith("chong2")
    assert pinyin_key("银行行长") == "yin2hang2hang2zhang3"


def test_traditional_reads_like_simplified():
    assert pinyin_key("中國") == pinyin_key("中国")


def test_punctuation_and_spaces_are_ignored_and_full_width_is_folded():
    assert pinyin_key("《中国》 ") == pinyin_key("中国")
    assert pinyin_key("ＡＢ１") == pinyin_key("ab1") == "a0b010"


def test_nothing_readable_sorts_last():
    assert pinyin_key("") == pinyin_key("……") == UNTITLED_KEY
    assert max(pinyin_key(t) for t in ["左", "zzz", "鿿"]) < UNTITLED_KEY


def test_keys_are_only_ascii_letters_and_digits_and_bounded():
    key = pinyin_key("“乡村振兴”——丹凤县2023年！" * 40)
    assert key.isascii() and key.isalnum() and key.islower()
    assert len(key) == 255


def test_unknown_han_sorts_after_every_syllable():
    assert UNKNOWN_HAN > pinyin_key("左") and UNKNOWN_HAN < UNTITLED_KEY


def test_pinyin_sorted_sorts_small_lists_by_a_text_key():
    places = [("610000", "陕西省"), ("140000", "山西省"), ("410000", "河南省")]
    assert [code for code, _ in pinyin_sorted(places, key=lambda p: p[1])] == ["410000", "140000", "610000"]
