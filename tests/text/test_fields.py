"""Stage 4: headings, bylines, ledes, dates, source and page."""

from __future__ import annotations

import pytest

from articles.text import fields
from articles.text.document import PartialDate


@pytest.mark.parametrize(
    "line, names",
    [
        ("(记者 李小龙)", ["李小龙"]),
        ("(通讯员 王媛 樊利仁)", ["王媛", "樊利仁"]),
        ("(甘鑫)", ["甘鑫"]),
        ("本报记者 赵刚 通讯员 钱敏 孙丽", ["赵刚", "钱敏", "孙丽"]),
        ("本报特约记者 马骏 实习生 邓可", ["马骏", "邓可"]),
        ("记者 程婧 摄", ["程婧"]),
        ("文/图 本报记者 胡文涛", ["胡文涛"]),
        ("新华社记者 阿依古丽·买买提", ["阿依古丽·买买提"]),
        ("记者李小龙", ["李小龙"]),
    ],
)
def test_extract_bylines(line: str, names: list[str]) -> None:
    assert fields.extract_bylines(line) == names


def test_byline_lines_and_credit_lines() -> None:
    assert fields.is_byline_line("本报通讯员 陈少斌 唐瑞希")
    assert fields.is_byline_line("□本报记者 王强")
    assert not fields.is_byline_line("记者 程婧 摄")
    assert fields.is_photo_credit_line("记者 程婧 摄")
    assert fields.is_photo_credit_line("许亮/摄")
    assert not fields.is_byline_line("记者从县农业农村局获悉,全县春播进度过半。")


@pytest.mark.parametrize(
    "paragraph, rest, names",
    [
        ("本报讯(记者 李小龙)4月8日,市委组织部发出通知。", "4月8日,市委组织部发出通知。", ["李小龙"]),
        ("本报讯（甘鑫）4月14日,会议召开。", "4月14日,会议召开。", ["甘鑫"]),
        ("本报西安5月3日讯(记者 吴涛)全省……", "全省……", ["吴涛"]),
        ("【渭水日报讯】近日,全市开展活动。", "近日,全市开展活动。", []),
        ("新华社北京3月5日电(记者 张三 李四)会议开幕。", "会议开幕。", ["张三", "李四"]),
        ("(记者 周明)全县春播进度过半。", "全县春播进度过半。", ["周明"]),
        ("本报讯 近日,全县开展活动。", "近日,全县开展活动。", []),
    ],
)
def test_split_lede(paragraph: str, rest: str, names: list[str]) -> None:
    assert fields.split_lede(paragraph) == (rest, names)


def test_byline_line_is_not_a_lede() -> None:
    assert fields.split_lede("本报通讯员 陈少斌 唐瑞希") is None
    assert fields.split_lede("县里召开会议(2022)。") is None


def test_headings_are_cleaned() -> None:
    assert fields.clean_heading("## ——西口镇打造幸福宜居地") == "西口镇打造幸福宜居地"
    assert fields.clean_heading("—— 副题") == "副题"
    assert fields.is_subtitle_line("## ——副题")


def test_document_headings_and_organisations() -> None:
    assert fields.is_document_heading("致全县广大青年的一封信")
    assert fields.is_document_heading("关于做好防汛工作的通知")
    assert fields.is_document_heading("倡议书")
    assert not fields.is_document_heading("致敬最美逆行者")
    assert not fields.is_document_heading("工作方案")
    assert fields.is_organisation_line("中共某某市委统战部")
    assert fields.is_organisation_line("某某市工商业联合会  某某市总商会")
    assert not fields.is_organisation_line("市委组织部号召")


# --- dates ---------------------------------------------------------------------

PAGE = PartialDate(2023, 5, 6)
PUBLISHED = PartialDate(2020, 2, 25)


def test_date_rule_page_first() -> None:
    assert fields.resolve_item_date(PAGE, PUBLISHED, ["4月8日,会议召开。", "2022年4月10日"], []) == (PAGE, "page")


def test_date_rule_publication_second() -> None:
    assert fields.resolve_item_date(None, PUBLISHED, ["元月25日一大早,干部下沉。"], []) == (PUBLISHED, "publication")


def test_date_rule_signature_third() -> None:
    paragraphs = ["4月8日,倡议发出。", "某某县总商会", "2022年4月10日"]
    assert fields.resolve_item_date(None, None, paragraphs, []) == (PartialDate(2022, 4, 10), "signature")
    chinese = ["倡议发出。", "二〇二二年四月十日"]
    assert fields.resolve_item_date(None, None, chinese, []) == (PartialDate(2022, 4, 10), "signature")


def test_date_rule_lede_takes_the_year_from_a_full_date_in_the_file() -> None:
    full = [PartialDate(2022, 4, 10)]
    assert fields.resolve_item_date(None, None, ["4月1日,工人正在缝制服装。"], full) == (PartialDate(2022, 4, 1), "lede")
    # Late December lede on a page dated early January belongs to the year before.
    assert fields.resolve_item_date(None, None, ["12月30日,年终总结。"], [PartialDate(2023, 1, 3)])[0] == PartialDate(2022, 12, 30)


def test_date_rule_lede_without_year_never_invents_one() -> None:
    date, rule = fields.resolve_item_date(None, None, ["“今天是世界粮食日。”10月16日,活动举行。"], [])
    assert (date, rule) == (PartialDate(None, 10, 16), "lede")
    assert date.iso() == "--10-16"


def test_date_rule_full_date_in_lede_and_editor_note_skipped() -> None:
    paragraphs = ["编者按:3月1日起施行的新规。", "2021年10月12日,县里召开会议。"]
    assert fields.resolve_item_date(None, None, paragraphs, []) == (PartialDate(2021, 10, 12), "lede")


def test_no_date_at_all() -> None:
    assert fields.resolve_item_date(None, None, ["今年以来,全县项目建设有序推进。", "截至3月底,开工105个。"], []) == (None, None)


def test_year_month_is_not_a_lede_date() -> None:
    assert fields.first_date("自2021年10月推行以来,效果明显。") is None


def test_publication_and_page_date_lines() -> None:
    assert fields.publication_date("【作者: 】  【发表时间:2020/2/25】") == PUBLISHED
    assert fields.publication_date("发布日期：2023年5月6日 09:30") == PAGE
    assert fields.is_date_line("2023年5月6日 星期六")
    assert fields.has_weekday("2023年5月6日 星期六")
    assert not fields.is_date_line("2023年5月6日,县里召开会议")
    assert fields.find_full_dates("2020-02-30 无效, 2020.2.25 有效") == [PUBLISHED]


# --- source and page -----------------------------------------------------------


def test_source_and_page() -> None:
    assert fields.masthead_name("渭水晚报") == "渭水晚报"
    assert fields.masthead_name("县委召开全会听取工作汇报并部署全年任务") is None
    assert fields.site_name("您好,欢迎光临《河西视窗》网") == "河西视窗"
    assert fields.site_name("欢迎访问渭水在线网!") == "渭水在线网"
    assert fields.page_number("5版") == "5"
    assert fields.page_number("第05版:要闻") == "5"
    assert fields.page_number("A3版") == "A3"
    assert fields.page_number("第三版") == "3"
    assert fields.page_number("5版块建设") is None


def test_media_tag_is_not_part_of_a_title() -> None:
    assert fields.clean_heading("春耕正当时(组图)") == "春耕正当时"


def test_page_line_with_a_section_name_in_parts() -> None:
    assert fields.page_number("第3版:公告·综合") == "3"
    assert fields.page_number("A5版 县域/经济") == "A5"
    assert fields.page_number("第3版:公告,综合新闻。") is None


def test_bare_date_of_an_info_line_is_the_publication_date() -> None:
    line = "2021-07-12 09:35:18  来源:某县融媒体中心  编辑:张敏"
    assert fields.publication_date(line) == PartialDate(2021, 7, 12)
    assert fields.publication_date("来源:某县融媒体中心 2021年7月12日") == PartialDate(2021, 7, 12)
    # No info label, or two dates (a period), is not a publication line.
    assert fields.publication_date("2021-07-12 县委召开会议") is None
    assert fields.publication_date("来源:县委办 2021年7月1日至2021年7月9日") is None


def test_trailing_byline_signs_off_a_paragraph() -> None:
    match = fields.trailing_byline("新线路每天往返8个班次。(记者 赵静)")
    assert match and fields.extract_bylines(match.group(1)) == ["赵静"]
    assert fields.trailing_byline("新线路每天往返8个班次。(通讯员 王媛 樊利仁)")
    # Without a role word, or not after a sentence, it stays text.
    assert fields.trailing_byline("全县共有三个乡镇(张三)") is None
    assert fields.trailing_byline("会议由县长主持。(张三)") is None
