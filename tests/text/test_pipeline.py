"""Stage 5: whole files through parse_document, including hostile input."""

from __future__ import annotations

import random
from functools import lru_cache
from pathlib import Path

import pytest

from articles.text.document import (
    BLOCK_CAPTION,
    BLOCK_INTERTITLE,
    BLOCK_PARAGRAPH,
    InputError,
    ParsedDocument,
    PartialDate,
)
from articles.text.pipeline import item_as_export, parse_document

FIXTURES = Path(__file__).parent / "fixtures"
ROOT = Path(__file__).resolve().parents[2]


@lru_cache(maxsize=1)
def gazetteer():
    from articles.text.places import Gazetteer

    return Gazetteer.from_csv_dir(ROOT / "articles" / "data" / "regions")


def parse_fixture(name: str, **kwargs) -> ParsedDocument:
    return parse_document((FIXTURES / name).read_bytes(), name, **kwargs)


def test_gbk_newspaper_page() -> None:
    doc = parse_fixture("paper_gbk.txt")
    assert (doc.encoding, doc.source, doc.page, doc.date) == ("gb18030", "汉水日报", "3", PartialDate(2023, 6, 12))
    assert [item.title for item in doc.items] == ["汉江北岸绿意浓", "秦巴山区茶叶喜获丰收", "石泉镇开展防溺水安全教育"]
    first, second, third = doc.items
    assert first.subtitle == "临川县推进国土绿化纪实"
    assert first.bylines == ["邓涛", "刘芳"]
    assert [b.kind for b in first.blocks] == [BLOCK_PARAGRAPH, BLOCK_PARAGRAPH, BLOCK_INTERTITLE, BLOCK_PARAGRAPH]
    assert "超过五万人次" in first.blocks[-1].text  # joined across the page break
    assert "下转" not in first.body
    assert second.body.startswith("6月10日,临川县")  # lede marker gone
    assert second.blocks[-1].kind == BLOCK_CAPTION  # "图为…" stays with its article
    assert all((item.date, item.date_rule) == (PartialDate(2023, 6, 12), "page") for item in doc.items)
    assert third.bylines == ["李娜"]
    lines = doc.text.split("\n")
    assert [lines[n - 1] for n in doc.removed_lines] == [
        "汉水日报", "2023年6月12日 星期一", "第3版 综合", "责任编辑:黄磊 美编:吴静 校对:周丽", "(下转第2版)"]
    assert (first.first_line, first.last_line) == (9, 22)


def test_government_site_dump() -> None:
    doc = parse_fixture("gov_site.txt")
    assert len(doc.items) == 1
    item = doc.items[0]
    assert item.title == "临川县召开安全生产工作会议"
    assert (item.date, item.date_rule) == (PartialDate(2023, 6, 12), "publication")
    assert item.body.endswith("做好应急值守和信息报送工作。")
    assert "消防演练" not in item.body


def test_big5_traditional_page_keeps_its_script() -> None:
    doc = parse_fixture("traditional_big5.txt")
    assert doc.encoding == "big5"
    (item,) = doc.items
    assert item.script == "hant"
    assert item.title == "港灣社區"
    assert item.blocks[1] == type(item.blocks[1])(BLOCK_INTERTITLE, "黨建引領 服務到家")
    assert item.body_simplified.startswith("春节以来,临河镇组织党员干部")
    assert "供稿" not in item.body
    assert (item.date, item.date_rule) == (PartialDate(2023, 1, 30), "publication")


def test_pinyin_annotated_traditional_text() -> None:
    text = "疫情以來(lái),鎮(zhèn)黨委組織(zhī)幹部下沉村(社區(qū))。\n黨建引領(lǐng) 織密防線\n各村成立突擊隊(duì),晝夜值守。"
    (item,) = parse_document(text.encode("utf-8"), "p.txt").items
    assert item.title is None and "no title" in item.warnings
    assert item.body == "疫情以來,鎮黨委組織幹部下沉村(社區)。\n\n黨建引領 織密防線\n\n各村成立突擊隊,晝夜值守。"
    assert item.blocks[1].kind == BLOCK_INTERTITLE
    assert "党建引领 织密防线" in item.body_simplified


def test_utf16_web_dump_with_author_in_the_info_bar() -> None:
    page = (
        "欢迎访问渭水在线网 | 设为首页\n当前位置:首页 > 本地新闻\n县城新增公园两座\n"
        "作者:李明 来源:渭水在线 发布时间:2022-09-01\n"
        "8月30日,县城新建的两座口袋公园对市民开放。\n版权所有:渭水在线网"
    )
    doc = parse_document(b"\xff\xfe" + page.encode("utf-16-le"), "w.txt")
    assert (doc.encoding, doc.source) == ("utf-16-le", "渭水在线网")
    (item,) = doc.items
    assert (item.title, item.bylines, item.date.iso(), item.date_rule) == ("县城新增公园两座", ["李明"], "2022-09-01", "publication")


def test_dates_follow_the_rules_in_order() -> None:
    page = """倡议书

全县广大市民朋友:

请大家节约用水。

某某县水务局

2021年7月2日

夏粮收购开始

本报讯(记者 吴伟)6月28日,全县夏粮收购工作全面展开。

城区道路改造

本报讯 今年以来,城区改造道路十条。"""
    doc = parse_document(page.encode("utf-8"), "d.txt")
    assert [(item.date and item.date.iso(), item.date_rule) for item in doc.items] == [
        ("2021-07-02", "signature"),
        ("2021-06-28", "lede"),
        (None, None),
    ]
    assert "no date" in doc.items[2].warnings


def test_unknown_year_stays_unknown() -> None:
    page = "村里来了文艺队\n\n记者 刘芳\n\n10月12日一大早,文艺队走进村里演出。"
    (item,) = parse_document(page.encode("utf-8"), "y.txt").items
    assert (item.date, item.date_rule) == (PartialDate(None, 10, 12), "lede")
    assert item.date.iso() == "--10-12"


def test_source_hint_only_when_the_file_names_none() -> None:
    page = "全县新建公园两座,方便群众休闲。"
    assert parse_document(page.encode("utf-8"), "h.txt", source_hint="某某日报").source == "某某日报"
    assert parse_fixture("paper_gbk.txt", source_hint="别的报").source == "汉水日报"


def test_regions_and_themes_are_filled_through_their_modules() -> None:
    from articles.text.themes import DEFAULT_THEMES

    doc = parse_fixture("paper_gbk.txt", gazetteer=gazetteer(), themes=DEFAULT_THEMES)
    for item in doc.items:
        assert all(len(code) == 6 and code.isdigit() for code in item.regions)
        assert isinstance(item.themes, list) and isinstance(item.keywords, list)


def test_export_record() -> None:
    doc = parse_fixture("paper_gbk.txt")
    record = item_as_export(doc, doc.items[0], "paper_gbk.txt")
    assert record["origin"] == "paper_gbk.txt"
    assert record["title"] == "汉江北岸绿意浓"
    assert record["date"] == "2023-06-12"
    assert record["source"] == "汉水日报"
    assert set(record) == {"origin", "kind", "kicker", "title", "subtitle", "bylines", "source", "page", "date",
                           "regions", "themes", "script", "body", "body_simplified", "keywords"}


def _rng_bytes(seed: int, size: int) -> bytes:
    return random.Random(seed).randbytes(size)


NASTY = {
    "empty": b"",
    "whitespace": b" \n\t\r\n   \n",
    "nul bytes": b"abc\x00def\x00" * 100,
    "random": _rng_bytes(1, 20000),
    "random without nul": bytes(b or 1 for b in _rng_bytes(2, 20000)),
    "no newline": ("县委召开会议,研究部署工作" * 20000).encode("utf-8"),
    "huge line": ("很长的一行没有标点" * 100000 + "\n短行").encode("utf-8"),
    "only chrome": "设为首页 | 加入收藏\n版权所有:某某网\n陕ICP备000001号\n".encode("utf-8"),
    "only headings": ("标题\n" * 5000).encode("utf-8"),
    "only markers": "(上接1版)\n(下转2版)\n(上接第3版)\n".encode("utf-8"),
    "brackets": ("字(" * 50000 + "版)" * 50000).encode("utf-8"),
    "many captions": "游客赏花。(记者 许亮 摄)\n".encode("utf-8") * 3000,
    "control chars": bytes(range(1, 32)) * 50,
    "truncated utf8": "县委召开会议".encode("utf-8")[:-1],
    "lone cr": "标题\r正文第一段,内容。\r".encode("utf-8"),
}


@pytest.mark.parametrize("name", list(NASTY))
def test_hostile_input_never_crashes(name: str) -> None:
    try:
        doc = parse_document(NASTY[name], name)
    except InputError as error:
        assert name in str(error)
        return
    assert isinstance(doc, ParsedDocument)
    for item in doc.items:
        assert item.blocks and 1 <= item.first_line <= item.last_line <= len(doc.text.split("\n"))


def test_five_megabyte_file_is_parsed() -> None:
    paragraph = "县里组织干部下沉一线,帮助群众解决实际困难,做到小事不出村、大事不出镇,矛盾不上交。" * 4
    article = "全县基层治理工作综述\n\n本报记者 王强\n\n" + "\n\n".join([paragraph] * 30) + "\n\n"
    data = article.encode("utf-8") * (5_000_000 // len(article.encode("utf-8")) + 1)
    doc = parse_document(data, "big.txt")
    assert len(doc.items) == data.count("综述".encode("utf-8"))
    assert all(item.bylines == ["王强"] for item in doc.items)


def test_inline_sign_off_is_the_byline_and_leaves_the_body() -> None:
    page = "县里新增农村客运线路\n\n11月4日,县里新开通两条农村客运线路。\n\n沿线群众出行更加方便。(记者 赵静)\n"
    doc = parse_document(page.encode("utf-8"), "signoff.txt")
    (item,) = doc.items
    assert item.bylines == ["赵静"]
    assert item.body.endswith("沿线群众出行更加方便。")


def test_lede_markers_without_text_make_no_items() -> None:
    doc = parse_document("本报讯(记者 王强)\n本报讯(记者 李明)\n".encode("utf-8"), "ledes.txt")
    assert doc.items == [] and doc.warnings == ["no articles found"]


def _hostile_shapes() -> dict[str, tuple[int, object]]:
    """Each hostile shape as (the count that makes the full-size file, bytes for any count)."""
    import gzip

    page = "县里开展春耕生产工作\n\n本报讯(记者 王强)3月5日,县委召开会议,研究部署春耕生产。\n\n"
    return {
        "ten_mb_one_line.txt": (240_000, lambda n: ("县委召开会议,研究部署工作。" * n).encode("utf-8")),
        "blank_lines.txt": (100_000, lambda n: b"\n" * n + "正文一段,内容。\n".encode("utf-8")),
        "only_punctuation.txt": (5000, lambda n: ("，。！？、；：“”‘’（）《》【】…—" * n + "\n" + ".,;:!?()[]" * n).encode("utf-8")),
        "repeated_headings.txt": (50_000, lambda n: ("## 标题\n\n" * n).encode("utf-8")),
        "deep_heading_marks.txt": (200, lambda n: ("#" * 5000 + " 标题\n").encode("utf-8") * n),
        "one_long_stack.txt": (50_000, lambda n: ("县委召开会议\n" * n + "正文一段,内容。\n").encode("utf-8")),
        "all_navigation.txt": (3000, lambda n: ("首页 | 新闻中心 | 政务公开 | 乡镇动态\n当前位置:首页 > 新闻\n版权所有:某某网\n" * n).encode("utf-8")),
        "mixed_encodings.txt": (1, lambda n: ("第一段UTF-8文字,内容。\n".encode("utf-8") + "第二段GBK文字,内容。\n".encode("gbk") + "第三段繁體,內容。\n".encode("big5")) * n),
        "gzip_renamed.txt": (50, lambda n: gzip.compress(page.encode("utf-8") * n)),
        "utf16le_no_bom.txt": (20, lambda n: (page * n).encode("utf-16-le")),
        "utf16be_no_bom.txt": (20, lambda n: (page * n).encode("utf-16-be")),
        "many_briefs.txt": (20_000, lambda n: ("本报讯(记者 王强)县里召开会议。\n" * n).encode("utf-8")),
        "many_credits.txt": (30_000, lambda n: ("游客赏花\n记者 许亮 摄\n" * n).encode("utf-8")),
    }


HOSTILE_SHAPES = _hostile_shapes()
HOSTILE = {name: make(full) for name, (full, make) in HOSTILE_SHAPES.items()}


def _counted_calls(data: bytes, name: str) -> int:
    """Python and builtin function calls made parsing `data`: a measure of work that no machine load changes."""
    import cProfile
    import pstats

    from articles.text.themes import DEFAULT_THEMES

    profile = cProfile.Profile()
    profile.enable()
    try:
        doc = parse_document(data, name, gazetteer=gazetteer(), themes=DEFAULT_THEMES)
    except InputError as error:
        assert name in str(error)
    else:
        assert all(item.blocks for item in doc.items)
    finally:
        profile.disable()
    return pstats.Stats(profile).total_calls


@pytest.mark.parametrize("name", list(HOSTILE_SHAPES))
def test_hostile_file_work_grows_linearly_with_its_size(name: str) -> None:
    # Work counted, not timed: doubling a hostile file may at most double the
    # work (plus slack for fixed costs); a quadratic step would quadruple it.
    # Sizes are a twentieth of the full files so the check stays cheap; the
    # full files' wall-clock times are in docs/benchmarks.md.
    full, make = HOSTILE_SHAPES[name]
    small = max(1, full // 20)
    _counted_calls(make(small), name)  # lazy loads (jieba, dictionaries) happen once, outside the counts
    once = _counted_calls(make(small), name)
    twice = _counted_calls(make(2 * small), name)
    assert twice <= 2.5 * once + 5_000, (name, once, twice)


def test_hostile_files_are_read_or_refused_as_expected() -> None:
    assert len(parse_document(HOSTILE["utf16le_no_bom.txt"], "a.txt").items) == 20
    assert parse_document(HOSTILE["all_navigation.txt"], "nav.txt").items == []
    for name in ("gzip_renamed.txt", "mixed_encodings.txt"):
        with pytest.raises(InputError, match=name):
            parse_document(HOSTILE[name], name)
