"""Stage 2: chrome removal, pinyin glosses and page-break repair, on made-up pages."""

from __future__ import annotations

from articles.text.clean import (
    Line,
    can_join,
    ends_sentence,
    find_chrome,
    join_broken_paragraphs,
    kept_lines,
    looks_like_heading,
    strip_pinyin_annotations,
)
from articles.text.document import PartialDate


def removed_texts(page: str) -> list[str]:
    lines = page.split("\n")
    chrome = find_chrome(lines)
    return [lines[n - 1].strip() for n in chrome.removed]


# --- pinyin ----------------------------------------------------------------------


def test_pinyin_glosses_are_removed_from_traditional_text() -> None:
    text = "春耕以來(lái),臨河鎮(zhèn)組織(zhī)村(社區(qū))幹部(記者 王倩 攝)下田(2023)。"
    assert strip_pinyin_annotations(text) == "春耕以來,臨河鎮組織村(社區)幹部(記者 王倩 攝)下田(2023)。"


def test_full_width_brackets_and_neutral_tones() -> None:
    text = "我們(men)的(de)鄉(xiāng)村（cūn）振興(xīng)。"
    assert strip_pinyin_annotations(text) == "我們的鄉村振興。"


def test_bare_latin_in_brackets_survives_without_toned_glosses() -> None:
    text = "使用手机应用(app)上报,编号(an)保持不变。"
    assert strip_pinyin_annotations(text) == text


# --- web chrome ----------------------------------------------------------------

WEB_PAGE = """您好,欢迎光临《河西视窗》网  投稿邮箱:news@example.cn
设为首页 | 加入收藏 | 联系我们
首页    时政要闻    县域经济    乡村振兴    文化旅游    图片新闻    视频
   □ 图片新闻
· 河西走廊油菜花开 ..
· 春耕时节农机忙 ..
· 古城墙修缮完工 ..
县域经济
当前位置:首页 > 县域经济 > 正文
古浪县:光伏治沙见成效
来源:河西视窗  发布时间:2023-05-06 09:30  浏览次数:128

编者按:沙漠变绿洲,是几代人的梦想。

近年来,古浪县在八步沙林场建设光伏电站,板上发电、板下种草,治沙与增收两不误。

分享到: 微信 微博
上一篇:春耕时节农机忙
【打印本页】 【关闭窗口】
友情链接: 甘肃日报 每日甘肃 中国甘肃网 新华网 人民网
人民网 新华网 央视网 中国日报网 光明网 中国新闻网
Copyright © 2015-2023 河西视窗网 版权所有
陇ICP备12345678号
您是第 123456 位访客
地址:武威市凉州区某路1号 电话:0935-1234567 传真:0935-7654321"""


def test_web_chrome_is_removed_and_content_kept() -> None:
    gone = removed_texts(WEB_PAGE)
    lines = [line.strip() for line in WEB_PAGE.split("\n") if line.strip()]
    kept = [line for line in lines if line not in gone]
    assert kept == [
        "古浪县:光伏治沙见成效",
        "编者按:沙漠变绿洲,是几代人的梦想。",
        "近年来,古浪县在八步沙林场建设光伏电站,板上发电、板下种草,治沙与增收两不误。",
    ]


def test_web_page_facts() -> None:
    chrome = find_chrome(WEB_PAGE.split("\n"))
    assert chrome.is_web
    assert chrome.source == "河西视窗"
    assert chrome.published == PartialDate(2023, 5, 6)
    assert chrome.page_date is None


def test_site_name_from_copyright_when_no_welcome_line() -> None:
    page = "正文第一段,内容。\n版权所有:渭水在线网 未经授权禁止转载\n备案号:陕ICP备000001号"
    assert find_chrome(page.split("\n")).source == "渭水在线网"


def test_article_sentences_with_chrome_words_are_kept() -> None:
    page = (
        "会上,县委书记强调,要认真学习版权所有者合法权益保护的相关规定。\n"
        "他说,欢迎光临指导的各位专家提出宝贵意见,我们将认真研究。"
    )
    assert removed_texts(page) == []


# --- newspaper chrome ----------------------------------------------------------

NEWSPAPER_PAGE = """

渭水晚报

第A3版 要闻

责任编辑:王小明  校对:李华
美编:赵一

2023年第18期(总第1024期)

2023年5月6日 星期六 农历三月十七

新闻热线:0913-1234567 E-mail:wsb@example.com

引黄灌区春灌正忙

本报讯(记者 赵刚)5月4日,临河镇组织群众开展春灌。

本期导读

黄河湿地迎来候鸟

见第4版

古城墙修缮完工 ▶▶05版

本期统筹:刘一 陈二
本期组稿:张三
李四 王五

渭水县融媒体中心

渭水县新闻中心

联办
"""


def test_newspaper_chrome_is_removed() -> None:
    gone = removed_texts(NEWSPAPER_PAGE)
    assert "引黄灌区春灌正忙" not in gone
    assert not any("本报讯" in line for line in gone)
    for line in ["渭水晚报", "第A3版 要闻", "责任编辑:王小明  校对:李华", "美编:赵一", "2023年第18期(总第1024期)",
                 "2023年5月6日 星期六 农历三月十七", "新闻热线:0913-1234567 E-mail:wsb@example.com", "本期导读",
                 "黄河湿地迎来候鸟", "见第4版", "古城墙修缮完工 ▶▶05版", "本期统筹:刘一 陈二", "本期组稿:张三",
                 "李四 王五", "渭水县融媒体中心", "渭水县新闻中心", "联办"]:
        assert line in gone, line


def test_newspaper_page_facts() -> None:
    chrome = find_chrome(NEWSPAPER_PAGE.split("\n"))
    assert (chrome.source, chrome.page, chrome.page_date) == ("渭水晚报", "A3", PartialDate(2023, 5, 6))
    assert not chrome.is_web


def test_composite_masthead_line() -> None:
    page = "汉江日报  2021年11月3日  星期三  第2版\n\n标题\n\n本报讯 正文内容,很长的一段话。"
    chrome = find_chrome(page.split("\n"))
    assert (chrome.source, chrome.page, chrome.page_date) == ("汉江日报", "2", PartialDate(2021, 11, 3))


def test_traditional_chrome_is_recognised_too() -> None:
    page = "責任編輯:王小明\n\n版權所有:港灣資訊網\n\n正文內容,記者報道。"
    assert removed_texts(page) == ["責任編輯:王小明", "版權所有:港灣資訊網"]
    assert find_chrome(page.split("\n")).source == "港灣資訊網"


def test_signature_date_and_notice_contacts_are_not_chrome() -> None:
    page = (
        "为做好防汛工作,现将有关事项通知如下:请各单位认真落实,确保安全度汛。\n\n"
        "县防汛办 联系人:刘强 0913-7654321\n\n"
        "某某县防汛抗旱指挥部\n\n"
        "2023年6月1日"
    )
    assert removed_texts(page) == []


def test_date_line_at_top_without_weekday_is_page_date() -> None:
    page = "2024年1月9日\n\n标题一行\n\n本报讯 正文第一段,内容很长。"
    chrome = find_chrome(page.split("\n"))
    assert chrome.page_date == PartialDate(2024, 1, 9)
    assert chrome.removed == {1: "page date"}


# --- page-break repair ---------------------------------------------------------


def lines_of(*texts: str) -> list[Line]:
    return [Line(n, t) for n, t in enumerate(texts, start=1)]


def test_paragraph_cut_mid_sentence_is_joined_without_space() -> None:
    joined = join_broken_paragraphs(lines_of(
        "县里组织干部下沉一线,帮助群众解决实际困难,做到小事不出村、大事不出",
        "镇,矛盾不上交。",
        "第二段,独立成段。",
    ))
    assert [(l.text, l.number, l.last_number) for l in joined] == [
        ("县里组织干部下沉一线,帮助群众解决实际困难,做到小事不出村、大事不出镇,矛盾不上交。", 1, 2),
        ("第二段,独立成段。", 3, 3),
    ]


def test_closing_quote_mid_sentence_does_not_end_the_paragraph() -> None:
    assert not ends_sentence("建立“大督查+小督导”")
    assert ends_sentence("他说:“我们一定完成任务。”")
    assert ends_sentence("现倡议如下:")


def test_headings_captions_and_new_articles_are_never_glued() -> None:
    body = "县里组织干部下沉一线,帮助群众解决实际困难,做到小事不出村"
    assert not can_join(Line(1, body), Line(2, "产业兴旺 乡村振兴"))
    assert not can_join(Line(1, body), Line(2, "本报讯(记者 王强)5月1日,全县开展活动。"))
    assert not can_join(Line(1, body), Line(2, "## 治理方式"))
    assert not can_join(Line(1, "产业兴旺 乡村振兴"), Line(2, "正文第一句,后面还有。"))
    caption = "群众在田间劳作,志愿者帮助抢收小麦。当地供图"
    assert not can_join(Line(1, caption), Line(2, "就在同一天,县里又组织了一次活动。"))


def test_looks_like_heading() -> None:
    assert looks_like_heading("慎终如始 精准防控")
    assert looks_like_heading("陕西渭南: 让党员干部成为生力军")
    assert looks_like_heading("## 治理方式精细化")
    assert not looks_like_heading("认证。")
    assert not looks_like_heading("市委统战部 联系人:杨柯 0914—2330296")
    assert not looks_like_heading("……")
    assert not looks_like_heading("(上接1版)")


def test_kept_lines_skip_chrome_and_strip_glosses() -> None:
    lines = ["欢迎光临《某网》", "", "  以來(lái)的變化(huà)很大(dà)。"]
    kept = kept_lines(lines, find_chrome(lines))
    assert [(l.number, l.text, l.key, l.indent) for l in kept] == [(3, "以來的變化很大。", "以来的变化很大。", 2)]


def test_rows_of_names_inside_a_notice_are_kept_but_menus_around_it_go() -> None:
    page = (
        "首页 新闻 政务 服务 互动 专题\n"
        "拟表彰先进个人公示\n"
        "经推荐评审,拟表彰以下同志,现予公示:\n"
        "张伟 王芳 李娜 刘洋 陈静 杨帆\n"
        "公示期为五天,如有异议请及时反映。\n"
        "人民网 新华网 央视网\n"
        "某某日报社 版权所有"
    )
    assert removed_texts(page) == ["首页 新闻 政务 服务 互动 专题", "人民网 新华网 央视网", "某某日报社 版权所有"]
    assert find_chrome(page.split("\n")).source == "某某日报社"


def test_masthead_furniture_of_a_party_paper() -> None:
    page = "中共某某市委机关报\n某某日报\n国内统一连续出版物号:CN61-0019\n本版责编:张三\n\n标题\n\n本报讯 正文内容,很长的一段话。"
    assert removed_texts(page) == ["中共某某市委机关报", "某某日报", "国内统一连续出版物号:CN61-0019", "本版责编:张三"]


def test_info_line_with_a_counter_still_gives_author_and_date() -> None:
    lines = [
        "当前位置:首页 > 新闻中心",
        "某镇:积分兑出文明新风",
        "文章来源:某镇  作者:王晓燕  发布时间:2021-06-18  点击数:",
        "今年以来,某镇推行积分制管理,村民表现可以兑换积分。",
    ]
    chrome = find_chrome(lines)
    assert chrome.removed[3] == "article info line (source, date, views)"
    assert chrome.authors == ["王晓燕"]
    assert chrome.published == PartialDate(2021, 6, 18)


def test_info_line_with_the_date_first() -> None:
    lines = [
        "当前位置:首页 > 新闻中心 > 本地新闻",
        "某县:亚麻产业迎来新机遇",
        "2021-07-12 09:35:18  来源:某县融媒体中心  编辑:张敏  【字体:大 中 小】",
        "盛夏时节,某县的亚麻田里一片翠绿,亚麻长势喜人。",
    ]
    chrome = find_chrome(lines)
    assert 3 in chrome.removed
    assert chrome.published == PartialDate(2021, 7, 12)
    assert chrome.authors == []  # 编辑 is the web editor, not the author


GOV_PAGE = """河源区人民政府门户网站
首页 | 政务公开 | 政务服务 | 互动交流
当前位置:首页 > 乡镇动态 > 正文
镇里完成植树造林三千亩
发布时间:2022-04-09 10:21    来源:区融媒体中心    作者:马丽    浏览次数:
今年春季,镇里组织干部群众义务植树,完成造林三千亩。
【打印本页】 【关闭窗口】
河源区人民政府 中国文明网 中国政府网
版权所有:河源区人民政府    京ICP备05001234号"""


def test_site_title_above_the_menu_and_partner_row_with_government_sites() -> None:
    gone = removed_texts(GOV_PAGE)
    assert "河源区人民政府门户网站" in gone  # the site's name, not a kicker
    assert "河源区人民政府 中国文明网 中国政府网" in gone  # partner sites under the article
    assert "镇里完成植树造林三千亩" not in gone
    assert find_chrome(GOV_PAGE.split("\n")).source == "河源区人民政府门户网站"


def test_site_like_headline_without_a_menu_under_it_is_kept() -> None:
    page = "全省首个乡村振兴信息网\n发布时间:2022-04-09 来源:县融媒体中心\n今年春季,县里建成乡村振兴信息网。\n【打印本页】 【关闭窗口】"
    assert "全省首个乡村振兴信息网" not in removed_texts(page)


def test_pinyin_annotation_spans_point_at_the_glosses_only() -> None:
    from articles.text.clean import pinyin_annotation_spans

    text = "以來(lái),鎮(zhèn)安縣村(社區)動(dòng)員"
    assert [text[a:b] for a, b in pinyin_annotation_spans(text)] == ["(lái)", "(zhèn)", "(dòng)"]
