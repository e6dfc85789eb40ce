"""Parsing what readers type into the search box: pure, no database."""

import pytest

from articles.search.query import (
    MAX_QUERY_CHARS, MAX_TOKENS, MAX_UNITS, is_meaningful_query, parse_query, without_each_unit,
)


def texts(units):
    return [unit.text for unit in units]


def test_several_words_are_all_required_terms():
    parsed = parse_query("镇安县  防疫")
    assert texts(parsed.terms) == ["镇安县", "防疫"]
    assert not parsed.phrases and not parsed.exclusions
    assert "镇安县" in parsed.terms[0].tokens and parsed.terms[1].tokens == ("防疫",)


def test_traditional_queries_are_converted_to_simplified_and_segmented_like_documents():
    parsed = parse_query("鎮安縣 黨建")
    assert texts(parsed.terms) == ["镇安县", "党建"]
    assert parsed.terms[0].tokens == parse_query("镇安县").terms[0].tokens
    assert parsed.terms[1].tokens == ("党建",)


@pytest.mark.parametrize("raw", ['"疫情防控"', "“疫情防控”", "「疫情防控」", "＂疫情防控＂", "『疫情防控』"])
def test_quoted_text_is_a_phrase_in_any_quote_style(raw):
    parsed = parse_query(raw)
    assert texts(parsed.phrases) == ["疫情防控"]
    assert parsed.phrases[0].chunks == ("疫情防控",)
    assert not parsed.terms


def test_phrase_chunks_drop_spaces_between_chinese_but_not_between_latin_words():
    assert parse_query('"党建 引领"').phrases[0].chunks == ("党建引领",)
    assert parse_query('"New  York"').phrases[0].chunks == ("New York",)
    assert parse_query('"防控，一线"').phrases[0].chunks == ("防控", "一线")


def test_unclosed_quote_runs_to_the_end():
    parsed = parse_query('防疫 "乡村振兴')
    assert texts(parsed.terms) == ["防疫"] and texts(parsed.phrases) == ["乡村振兴"]


@pytest.mark.parametrize("raw", ["-核酸", "－核酸", "−核酸"])
def test_leading_minus_excludes(raw):
    parsed = parse_query(f"防疫 {raw}")
    assert texts(parsed.terms) == ["防疫"]
    assert texts(parsed.exclusions) == ["核酸"]


def test_excluded_phrase_and_inner_hyphens():
    parsed = parse_query('防疫 -"核酸检测" COVID-19')
    assert texts(parsed.exclusions) == ["核酸检测"]
    assert parsed.terms[1].tokens == ("covid", "19")  # a hyphen inside a word is not an exclusion


def test_exclusion_only_query_is_meaningful():
    parsed = parse_query("-疫情")
    assert not parsed.has_positive and texts(parsed.exclusions) == ["疫情"]
    assert is_meaningful_query("-疫情")


@pytest.mark.parametrize("raw", ["", "   ", "\u3000", "，。！？", "-", "--", '""', "“”", "* ^ : ( )", "—— …… 、", None])
def test_empty_and_punctuation_only_queries_are_not_meaningful(raw):
    assert parse_query(raw).is_empty
    assert not is_meaningful_query(raw)


@pytest.mark.parametrize(
    "raw",
    [
        'title:疫情', 'body:防疫 OR 1=1', 'NEAR(疫情 防控, 2)', '疫情*', '^防疫', '防疫 AND NOT 疫情',
        "'; DROP TABLE articles_article; --", '" OR ""="', "防疫 & !疫情 | 核酸 <-> 检测", "{head}: 防疫",
        "防疫\x00疫情", "%_\\", "a" * 10_000,
    ],
)
def test_syntax_characters_never_reach_the_index(raw):
    parsed = parse_query(raw)
    for unit in parsed.terms + parsed.phrases + parsed.exclusions:
        for token in unit.tokens:
            assert token.isalnum(), token  # no quotes, operators, colons, wildcards
            assert token == token.lower()


def test_column_filters_and_operators_become_plain_words():
    # FTS5's own column names and operators are text; only our field prefixes are syntax.
    parsed = parse_query("body:疫情 NEAR head:防汛")
    assert [unit.tokens for unit in parsed.terms] == [("body", "疫情"), ("near",), ("head", "防汛")]
    assert all(unit.field == "" for unit in parsed.terms)


# --- OR and fields -------------------------------------------------------------


def test_or_makes_a_group_of_alternatives():
    parsed = parse_query("疫情 OR 粮食")
    assert not parsed.terms and parsed.has_positive
    assert [texts(group) for group in parsed.any_of] == [["疫情", "粮食"]]
    assert [texts(group) for group in parsed.groups] == [["疫情", "粮食"]]


def test_or_chains_and_ands_with_the_rest():
    parsed = parse_query('镇安 疫情 OR "粮食安全" | 水利 -核酸')
    assert texts(parsed.terms) == ["镇安"]
    assert [texts(group) for group in parsed.any_of] == [["疫情", "粮食安全", "水利"]]
    assert parsed.any_of[0][1].chunks == ("粮食安全",)
    assert texts(parsed.exclusions) == ["核酸"]
    assert set(parsed.needles) >= {"疫情", "粮食安全", "水利", "镇安"}


@pytest.mark.parametrize("raw", ["OR 疫情", "疫情 OR", "疫情 OR -粮食", "疫情 OR OR"])
def test_a_dangling_or_is_ignored(raw):
    parsed = parse_query(raw)
    assert texts(parsed.terms) == ["疫情"] and not parsed.any_of


def test_lowercase_or_is_a_word():
    parsed = parse_query("疫情 or 粮食")
    assert texts(parsed.terms) == ["疫情", "or", "粮食"] and not parsed.any_of


@pytest.mark.parametrize(
    "raw, field, text",
    [
        ("作者:李小龙", "byline", "李小龙"),
        ("作者：李小龙", "byline", "李小龙"),
        ("author:李小龙", "byline", "李小龙"),
        ("标题:防汛", "head", "防汛"),
        ("標題:防汛", "head", "防汛"),
        ("Title:防汛", "head", "防汛"),
        ("来源:陕西日报", "source", "陕西日报"),
        ("來源:陝西日報", "source", "陕西日报"),
    ],
)
def test_field_prefixes(raw, field, text):
    (unit,) = parse_query(raw).terms
    assert (unit.field, unit.text) == (field, text)


def test_fielded_phrases_exclusions_and_alternatives():
    parsed = parse_query('标题:"防汛抗旱" -作者:张三 作者:李小龙 OR 来源:陕西日报')
    assert [(u.field, u.chunks) for u in parsed.phrases] == [("head", ("防汛抗旱",))]
    assert [(u.field, u.text) for u in parsed.exclusions] == [("byline", "张三")]
    assert [[(u.field, u.text) for u in group] for group in parsed.any_of] == [
        [("byline", "李小龙"), ("source", "陕西日报")]
    ]
    assert str(parsed) == '标题:"防汛抗旱" 作者:李小龙 OR 来源:陕西日报 -作者:张三'


def test_a_prefix_without_text_is_a_word():
    assert texts(parse_query("作者: 李小龙").terms) == ["作者:", "李小龙"]


def test_byline_and_source_units_are_not_highlighted_in_the_text():
    parsed = parse_query("作者:李小龙 防汛")
    assert "李小龙" not in parsed.needles and "防汛" in parsed.needles
    assert "李小龙" in parsed.needles_in("byline")


def test_without_each_unit_drops_one_word_or_phrase():
    assert without_each_unit("镇安 疫情") == ["疫情", "镇安"]
    assert without_each_unit('镇安 "疫情防控" -核酸') == ['"疫情防控" -核酸', "镇安 -核酸"]
    assert without_each_unit("a OR b c") == ["b c", "a c", "a OR b"]  # OR goes with the dropped side
    assert without_each_unit("疫情") == [] and without_each_unit("疫情 -核酸") == []


def test_queries_are_bounded():
    long = "防疫" * 500
    parsed = parse_query(long)
    assert parsed.truncated
    assert sum(len(unit.text) for unit in parsed.terms) <= MAX_QUERY_CHARS
    many = " ".join(f"词{i}" for i in range(100))
    parsed = parse_query(many)
    assert parsed.truncated and len(parsed.terms) <= MAX_UNITS
    words = " ".join(["中华人民共和国"] * 3 + ["乡村振兴", "脱贫攻坚", "疫情防控", "镇安县", "党组织建设"] * 3)
    parsed = parse_query(words)
    assert sum(len(unit.tokens) for unit in parsed.terms) <= MAX_TOKENS


def test_duplicate_units_are_dropped():
    assert texts(parse_query("防疫 防疫 防疫").terms) == ["防疫"]


def test_needles_for_highlighting_are_longest_first():
    parsed = parse_query('镇安县 "疫情防控" -核酸')
    needles = parsed.needles
    assert needles[0] == "疫情防控" or len(needles[0]) >= len(needles[-1])
    assert "镇安县" in needles and "疫情防控" in needles and "核酸" not in needles
