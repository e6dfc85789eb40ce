"""Script conversion, search segmentation and display punctuation (articles/text/chinese.py)."""

from __future__ import annotations

import pytest

from articles.text.chinese import (
    detect_script,
    restore_fullwidth_punctuation,
    segment_for_search,
    to_simplified,
    to_traditional,
)


def test_conversion_round_trip() -> None:
    assert to_simplified("鎮安縣緊急動員全縣各級黨組織") == "镇安县紧急动员全县各级党组织"
    assert to_traditional("镇安县") == "鎮安縣"


@pytest.mark.parametrize(
    "text,script",
    [
        ("鎮安縣緊急動員全縣各級黨組織和廣大黨員幹部", "hant"),
        ("镇安县紧急动员全县各级党组织和广大党员干部", "hans"),
        ("臺灣", "hant"),  # short
        ("發展", "hant"),
        ("发展", "hans"),
        ("乾隆年间", "hans"),  # 乾 is not a sign of Traditional text
        ("这是简体文章，引用了「臺灣」二字", "hans"),  # mixed, mostly Simplified
        ("這是繁體文章，提到了大陆二字", "hant"),  # mixed, mostly Traditional
        ("Hello 世界", "hans"),  # characters common to both
        ("Hello world", "hans"),
        ("", "hans"),
    ],
)
def test_detect_script(text: str, script: str) -> None:
    assert detect_script(text) == script


def test_segment_for_search_same_tokens_for_both_scripts() -> None:
    simplified = segment_for_search("镇安县")
    assert simplified == segment_for_search("鎮安縣")
    assert "镇安县" in simplified.split()


def test_segment_for_search_drops_punctuation_and_is_deterministic() -> None:
    text = "镇安县西口回族镇召开党建统领基层治理工作推进会，２０２２年APP上报！"
    out = segment_for_search(text)
    assert out == segment_for_search(text)
    tokens = out.split(" ")
    assert all(tokens), "no empty tokens, single spaces"
    assert "，" not in out and "！" not in out
    assert "2022" in tokens and "app" in tokens  # full-width folded, lower-cased
    assert "党建" in tokens and "基层" in tokens and "治理" in tokens
    assert segment_for_search("") == ""
    assert segment_for_search("，。！ ") == ""


def test_segment_for_search_query_matches_document() -> None:
    document = set(segment_for_search("4月14日,商城县党建统领基层治理工作推进会召开").split())
    for query in ("基层治理", "商城县", "推进会"):
        assert set(segment_for_search(query).split()) <= document


@pytest.mark.parametrize(
    "raw,shown",
    [
        ("4月8日,市委组织部发出通知", "4月8日，市委组织部发出通知"),
        ("联系人:杨柯 0914—2330296", "联系人：杨柯 0914—2330296"),
        ("你好;再见", "你好；再见"),
        ("真的吗?是的!", "真的吗？是的！"),
        ("(记者 李小龙)4月8日", "（记者 李小龙）4月8日"),
        ("“爱商洛”,坚决打赢", "“爱商洛”，坚决打赢"),
        ("投资1,000万元", "投资1,000万元"),  # thousands separator
        ("增长3.5%,好于预期", "增长3.5%，好于预期"),
        ("上午10:30开会", "上午10:30开会"),  # time
        ("邮箱:abc@qq.com,欢迎投稿", "邮箱：abc@qq.com，欢迎投稿"),
        ("网址:http://www.a.com/x?a=1,b=2 欢迎", "网址：http://www.a.com/x?a=1,b=2 欢迎"),
        ("Hello, world! How are you?", "Hello, world! How are you?"),  # latin only
        ("He said (in English): fine.", "He said (in English): fine."),
        ("走吧!Go!", "走吧！Go!"),
        ("", ""),
    ],
)
def test_restore_fullwidth_punctuation(raw: str, shown: str) -> None:
    assert restore_fullwidth_punctuation(raw) == shown


def test_restored_fullwidth_punctuation_drops_the_space_that_followed_it() -> None:
    from articles.text.chinese import restore_fullwidth_punctuation

    assert restore_fullwidth_punctuation("陕西渭南: 让党员干部成为生力军") == "陕西渭南：让党员干部成为生力军"
    assert restore_fullwidth_punctuation("电话: 0914") == "电话：0914"
    assert restore_fullwidth_punctuation("Time: 10:30") == "Time: 10:30"
