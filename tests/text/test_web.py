"""The web-dump path: file kind, content by shape, headline, meta and in-body noise."""

from pathlib import Path

import pytest

from articles.text.pipeline import parse_document
from articles.text.shape import KIND_BARE, KIND_EPAPER, KIND_NEWSPAPER, KIND_WEB, classify_file, line_shape
from articles.text.web import (
    HEADLINE_ECHO,
    ORIGINAL_TITLE,
    best_run,
    escalate_gaps,
    find_web_article,
    is_table_row,
    is_meta_line,
    meta_date,
    meta_outlet,
    noise_reason,
)
from articles.text.document import PartialDate

FIXTURES = Path(__file__).parent / "fixtures" / "web"


def parse(name: str):
    path = FIXTURES / name
    return parse_document(path.read_bytes(), path.name)


def test_traditional_site_with_the_title_line_first():
    doc = parse("hk_trad_title_first.txt")
    assert doc.kind.startswith(KIND_WEB)
    (item,) = doc.items
    assert item.title == "觀塘區議會推動長者友善社區"
    assert item.date == PartialDate(2023, 5, 14)
    assert item.bylines == ["陳志明"]
    assert item.script == "hant"
    assert item.body.startswith("觀塘區議會日前通過一項動議")
    assert item.body.endswith("讓視力較差的長者也能使用。")
    assert "地區團體歡迎" in item.body  # an intertitle stays
    assert "圖為長者在屋邨休憩處聊天" in item.body  # so does a photo caption
    for chrome in ("責任編輯", "相關新聞", "港鐵新綫", "網友評論", "版權所有", "分享到"):
        assert chrome not in item.body
    assert "東方日報" in doc.source


def test_gb18030_browser_copy_of_a_portal():
    doc = parse("chromium_portal_gbk.txt")
    assert doc.encoding in ("gb18030", "gbk")
    (item,) = doc.items
    assert item.title == "太谷区：冬季供暖“零距离”服务进社区"
    assert item.date == PartialDate(2022, 11, 20)
    assert item.bylines == ["王丽娟"]
    assert "晋中日报" in doc.source
    assert item.body.endswith("让供热服务更精准、更高效。")
    assert len(item.blocks) == 4
    for chrome in ("责任编辑", "上一篇", "相关阅读", "平遥古城", "ICP"):
        assert chrome not in item.body


def test_every_stripped_line_keeps_its_reason():
    doc = parse("chromium_portal_gbk.txt")
    assert set(doc.removed_lines) == set(doc.removed_reasons)
    lines = doc.text.split("\n")
    reasons = {lines[n - 1].strip(): reason for n, reason in doc.removed_reasons.items()}
    assert reasons["首页 > 县区新闻"] == "breadcrumb"
    assert "editor" in reasons["责任编辑：张晓东"]
    assert all(reason for reason in doc.removed_reasons.values())
    ranges = doc.removed_ranges()
    assert sum(last - first + 1 for spans in ranges.values() for first, last in spans) == len(doc.removed_lines)


def test_file_kinds_are_told_apart_by_shape():
    web = (FIXTURES / "hk_trad_title_first.txt").read_text(encoding="utf-8").split("\n")
    assert classify_file(web).kind == KIND_WEB
    paper = ["第3版：要闻", "2022年4月20日 星期三", "县里召开会议", "本报讯(记者 张三)4月19日,县里召开会议。",
             "另一条新闻", "本报讯(记者 李四)当天,另一件事发生了。"]
    assert classify_file(paper).kind == KIND_NEWSPAPER
    assert classify_file(["一段正文,没有任何网页的痕迹。", "第二段正文,也很普通。"]).kind == KIND_BARE
    assert "evidence" not in classify_file(web).describe() and ";" in classify_file(web).describe()


def test_a_long_run_of_chrome_is_never_crossed():
    # A comment thread far below outweighs the article, but a dozen menu lines wall it off.
    scores = escalate_gaps([100.0] + [-5.0] * 12 + [60.0], [False] * 14, [False] * 14)
    assert best_run(scores) == (0, 0)
    # Two short lines between paragraphs (an intertitle, a caption) are crossed.
    scores = escalate_gaps([100.0, -5.0, -5.0, 80.0], [False] * 4, [False] * 4)
    assert best_run(scores) == (0, 3)


def test_a_related_links_heading_ends_the_article():
    keys = ["标题在这里了吧", "2023-01-02 10:00 来源：某报", "正文第一段，这是一段足够长的新闻正文，写了很多事情，也说了这件事情的前因后果。",
            "相关阅读", "另一篇的摘要，也是一段足够长的新闻正文，写了很多很多很多很多很多很多很多很多很多很多很多事情。"]
    found = find_web_article(keys)
    assert found.content == [2]
    assert found.title == 0 and found.date == PartialDate(2023, 1, 2)


@pytest.mark.parametrize("text, expected", [
    ("发布时间：09-3022:46", PartialDate(None, 9, 30)),  # no year printed: none invented
    ("发布时间：18-03-0823:16", PartialDate(2018, 3, 8)),
    ("2019 / 09/07 / 19:02", PartialDate(2019, 9, 7)),
    ("2019年09月07日 04:04 北京日报", PartialDate(2019, 9, 7)),
])
def test_meta_dates(text, expected):
    assert meta_date(text) == expected
    assert is_meta_line(text)


def test_prose_is_never_a_meta_line():
    assert not is_meta_line("据财联社9月26日消息，今日从交通运输部获悉，目前京津冀交通一体化建设各项工作取得积极成效，下一步将")


@pytest.mark.parametrize("line", ["（原标题：姚明对周琦说了啥？）", "本文原标题：《定了！》"])
def test_original_title_notes_go(line):
    assert noise_reason(line, at_edge=False) == ORIGINAL_TITLE


def test_headline_repeated_at_the_top_of_the_body_goes():
    keys = ["网站首页", "某县召开会议部署春耕生产", "2023-03-01 来源：某县融媒体中心",
            "某县召开会议部署春耕生产", "3月1日，某县召开会议，部署春耕生产工作，要求各乡镇抓好种子化肥供应。",
            "会议强调，要切实做好农资保障，确保春耕生产顺利进行，不误农时。"]
    found = find_web_article(keys)
    assert found.removed[3] == HEADLINE_ECHO
    assert found.content == [4, 5]


def test_shapes():
    assert line_shape("   * 新闻").bullet
    assert line_shape("[73ba1da3c70f4003b1075552028ea51d.jpeg]").placeholder
    assert line_shape("0ad9e9940e9.png]").placeholder  # the wrapped tail of an image link
    assert line_shape("游戏在Steam售价36元，支持Windows和MAC，暂时没有简体中文").is_prose
    assert not line_shape("日本最后一家传呼机公司停止服务，殡仪馆为BB机送终").is_prose


def test_an_e_paper_page_saved_from_the_web_yields_each_of_its_articles():
    doc = parse("epaper_three_articles.txt")
    assert doc.kind.startswith(KIND_EPAPER)
    assert [item.title for item in doc.items] == [
        "新河镇 夏粮抢收进入高峰期", "东关社区 “红色物业”解民忧", "县图书馆 暑期阅读活动启动"]
    assert [item.bylines for item in doc.items] == [["周海峰"], ["王晓丽"], ["刘倩"]]
    assert all(item.date == PartialDate(2023, 6, 8) for item in doc.items)
    assert not any("第04版" in item.body or ".jpg" in item.body for item in doc.items)


def test_the_original_headline_repeated_over_the_text_goes_and_the_headline_is_not_stripped():
    page = "\n".join([
        "网站首页 > 新闻中心 > 正文", "姚明对周琦说了啥？周琦上下半场判若两人", "2019-09-07 09:59:22　来源: 新京报",
        "分享到：", "（原标题：姚明对周琦说了啥？周琦上下半场判若两人）", "姚明对周琦说了啥？大魔王上下半场判若两人",
        "新京报讯 比赛中一个镜头引起了大家的注意，周琦在一次暂停后准备上场时，姚明拉住他在耳边叮嘱了几句。",
        "比赛第三节还剩8分多钟，姚明在周琦上场前叮嘱道：“你就专注好自己的发挥，不要走底线。”",
        "责任编辑：杜硕", "相关新闻", "  * 另一条新闻的标题在这里",
    ])
    doc = parse_document(page.encode("utf-8"), "echo.txt")
    (item,) = doc.items
    assert item.title == "姚明对周琦说了啥？周琦上下半场判若两人"
    assert not item.body.startswith("姚明对周琦说了啥")
    assert doc.removed_reasons[6] == HEADLINE_ECHO
    assert 2 not in doc.removed_lines  # the headline is the article's, not chrome


_BODY = [
    "3月1日，某县召开会议，部署春耕生产工作，要求各乡镇抓好种子化肥供应，确保农资及时到位。",
    "会议强调，要切实做好农资保障，确保春耕生产顺利进行，不误农时，全年粮食播种面积稳定在九十万亩以上。",
]


@pytest.mark.parametrize("line, outlet", [
    ("2019-09-05 11:10 游民星空[整理] 1", "游民星空"),  # the outlet's role after its name
    ("原创 GameForce 2019-09-04 22:18:34", "GameForce"),  # a Latin brand
    ("2019-09-30 22:46 IT之家", "IT之家"),
    ("发布时间：10-08 12:00 优质原创作者", None),  # a compound label is no outlet ('发布')
    ("2023年9月14日 星期四 18:06", None),  # nor is the weekday
])
def test_the_outlet_printed_in_an_info_line(line, outlet):
    assert meta_outlet(line) == outlet


def test_a_source_line_closing_the_text_names_the_outlet_over_the_account_in_the_info_line():
    keys = ["网站首页", "某县召开会议部署春耕生产", "2023-03-01 · 某某城市报道", *_BODY, "来源：某县融媒体中心",
            "特别声明：以上内容为自媒体平台用户上传并发布，本平台仅提供信息存储服务。"]
    found = find_web_article(keys)
    assert found.source == "某县融媒体中心"
    assert "来源：某县融媒体中心" not in [keys[i] for i in found.content]


def test_a_picture_credit_closing_the_text_is_no_source():
    keys = ["网站首页", "某县召开会议部署春耕生产", "2023-03-01 10:00", *_BODY, "图片来源：视觉中国"]
    assert find_web_article(keys).source is None


def test_a_self_media_account_over_its_platform_is_the_source_and_no_byline():
    keys = ["某县召开会议部署春耕生产", "2023", "03/01", "10:00", "扬眼", "企鹅号", "分享", "评论", *_BODY]
    found = find_web_article(keys)
    assert found.source == "扬眼"
    assert found.authors == []


def test_an_account_between_headline_and_info_line_is_the_source_and_the_reporter_the_author():
    keys = ["某县召开会议部署春耕生产", "掌上梅溪", "2023年10月9日 17:20", "记者：沈丽娟 钱浩", "阅读 6732", *_BODY]
    found = find_web_article(keys)
    assert found.source == "掌上梅溪"
    assert found.authors == ["沈丽娟", "钱浩"]


@pytest.mark.parametrize("button", ["分享到", "字号", "昨天", "调整字体", "自动播放", "微信"])
def test_buttons_under_the_headline_are_nobodys_byline(button):
    keys = ["某县召开会议部署春耕生产", "2023-03-01 10:00 来源：某县融媒体中心", button, *_BODY]
    assert find_web_article(keys).authors == []


@pytest.mark.parametrize("names, expected", [("张楠", ["张楠"]), ("欧阳明日", ["欧阳明日"]), ("韩晓东 李嘉", ["韩晓东", "李嘉"])])
def test_a_bare_name_under_the_headline_is_the_author(names, expected):
    keys = ["某县召开会议部署春耕生产", "2023-03-01 10:00 来源：某县融媒体中心", names, *_BODY]
    assert find_web_article(keys).authors == expected


def test_a_wechat_profile_card_is_neither_headline_nor_text_and_names_the_account():
    keys = ["三星 Galaxy S20 系列手机正式发布", "", "爱否科技", "爱否科技 []", "", "微信号 FViewXFG", "",
            "功能介绍聚焦「手机互联网」领域的行业思考和产品体验", "", "昨天", "", *_BODY]
    found = find_web_article(keys)
    assert keys[found.title] == "三星 Galaxy S20 系列手机正式发布"
    assert found.source == "爱否科技"
    assert found.authors == []
    assert all("功能介绍" not in keys[i] for i in found.content)


_CHROME_HEAD = ["首页 | 新闻 | 政务 | 视频 | 图片 | 专题 | 论坛", "* 要闻", "* 本地", "* 国内", "网站首页 > 新闻中心 > 正文"]
_CHROME_FOOT = ["责任编辑：王五", "【打印】【关闭】", "相关新闻", "* 我县召开春耕工作会", "* 全县春耕进度过半",
                "关于我们 | 联系我们 | 网站地图", "版权所有：某县融媒体中心  ICP备12345678号"]


@pytest.mark.parametrize("closing, names", [
    ("（记者 张巨峰）", ["张巨峰"]), ("（张巨峰）", ["张巨峰"]),
    ("（央视新闻）", []), ("（未完待续）", []), ("（人民日报）", []),  # an outlet or a note, nobody's name
])
def test_a_bracket_closing_the_text(closing, names):
    page = "\n".join([*_CHROME_HEAD, "某县召开会议部署春耕生产", "2023-03-01 10:00 来源：某县融媒体中心",
                      _BODY[0], _BODY[1] + closing, *_CHROME_FOOT])
    doc = parse_document(page.encode("utf-8"), "credit.txt")
    assert doc.kind.startswith(KIND_WEB)
    (item,) = doc.items
    assert item.bylines == names
    assert item.body.endswith("九十万亩以上。")


def test_source_after_laiyuanyu():
    keys = ["东区新闻", "某街道召开会议部署春耕生产工作", "　来源于：东区办事处　", *_BODY]
    assert find_web_article(keys).source == "东区办事处"


def test_an_account_over_its_follow_button_is_the_outlet_where_the_source_names_only_the_platform():
    keys = ["澎湃号 > 中国广州发布", "定了！广州南沙邮轮母港即将开通", "2019-08-13 14:07来源：澎湃新闻·澎湃号·政务", "字号",
            "中国广州发布", "关注", *_BODY]
    assert find_web_article(keys).source == "中国广州发布"


def test_a_label_and_its_value_on_separate_lines_app_style():
    keys = ["冬季供暖全面启动 我市集中供热面积突破1亿平方米", "2023-12-02", "10:25", "来源：", "中原晨报", "作者：", "记者 高远",
            "阅读量 1.2万", *_BODY]
    found = find_web_article(keys)
    assert found.source == "中原晨报"
    assert found.authors == ["高远"]


@pytest.mark.parametrize("fold", ["展开全文", "展开剩余80%", "余下全文"])
def test_a_mobile_pages_fold_is_not_text(fold):
    keys = ["某县召开会议部署春耕生产", "2023-03-01 10:00 来源：某县融媒体中心", _BODY[0], fold, _BODY[1]]
    found = find_web_article(keys)
    assert [keys[i] for i in found.content] == _BODY


def test_an_e_paper_article_is_dated_by_its_issue():
    keys = ["2023年03月15日 星期三  [上一期] [下一期]", "第04版：经济  [<< 上一版]  [下一版 >>]", "本版标题导航",
            " ・前两个月我省外贸进出口同比增长8.6%", "", "前两个月我省外贸进出口同比增长8.6%", "本报记者 何丽萍", *_BODY]
    assert find_web_article(keys).date == PartialDate(2023, 3, 15)


def test_the_site_header_date_is_not_the_articles_when_the_title_line_comes_first():
    keys = ["我市出台十条措施支持民营经济高质量发展 - 汀州新闻网", "2023年5月6日 星期六 农历三月十七", "首页 > 汀州要闻 > 正文",
            "我市出台十条措施支持民营经济高质量发展", "发布时间：2023-05-05 17:20:46　来源：汀州日报　作者：记者 苏婉", *_BODY]
    found = find_web_article(keys)
    assert found.title == 3
    assert found.date == PartialDate(2023, 5, 5)


def test_wechat_credit_line_names_author_and_account():
    keys = ["定了！临江这些路段下周起实行单向通行", "原创 陈晨 临江发布 2023-05-20 18:30 发表于浙江", "收录于合集", *_BODY]
    found = find_web_article(keys)
    assert (found.source, found.authors) == ("临江发布", ["陈晨"])


def test_a_forum_post_reposting_a_story():
    page = "\n".join([
        "好消息！市区至高铁站快速路下月底通车 - 本地新闻 - 汉滨家园论坛", "论坛 › 汉滨生活 › 本地新闻",
        "[本地新闻] 好消息！市区至高铁站快速路下月底通车 [复制链接]", "老街坊2008", "积分", "3862", "主题", "215", "版主",
        "发消息", "楼主", "发表于 2023-2-14 20:31 | 只看该作者 |倒序浏览", "来源：汉滨晚报  记者 方芳 通讯员 陈立", "",
        *_BODY, "", "2楼", "路过看看，支持一下！"])
    (item,) = parse_document(page.encode("utf-8"), "forum.txt").items
    assert item.title == "[本地新闻] 好消息！市区至高铁站快速路下月底通车"
    assert item.bylines == ["方芳", "陈立"]
    assert item.date == PartialDate(2023, 2, 14)


def test_a_reporter_line_closing_the_text_and_an_outlet_line_under_the_date():
    keys = ["北市推校園午餐減糖", "2023/09/12 16:45", "中央社", *_BODY, "新京报记者 赵琳", "编辑 张磊"]
    found = find_web_article(keys)
    assert found.source == "中央社"
    assert found.authors == ["赵琳"]


@pytest.mark.parametrize("notice", ["本文为原创内容，未经授权禁止转载。", "未经许可，不得转载。",
                                    "本文为锐角科技原创，未经授权禁止转载。如需转载请联系 editor@ruijiao.com"])
def test_a_rights_notice_closing_the_text_goes(notice):
    keys = ["某县召开会议部署春耕生产", "2023-03-01 10:00 来源：某县融媒体中心", *_BODY, notice]
    assert [keys[i] for i in find_web_article(keys).content] == _BODY


def test_a_byline_after_a_full_width_bar():
    keys = ["县城的年轻人，正在回到村里种地", "乡土观察者", "2023-08-03 10:15", "关注", "文｜陈默", *_BODY]
    assert find_web_article(keys).authors == ["陈默"]


def test_the_wrapped_first_lines_of_the_opening_paragraph_belong_to_it():
    keys = ["6月10日起南湖区发放第三批消费券", "", "2023-06-09 16:05   来源：南湖发布", "",
            "　　记者从南湖区商务局获悉，南湖区2023年第三批惠民消费券将于6月10日10时起通",
            "过“南湖惠生活”小程序分批发放，总额1000万元，涵盖餐饮、零售、家电、文旅等领",
            "域，单张面额最高200元。", "",
            "　　本批消费券发放对象为在南湖区内消费的所有个人用户，每人每轮限领一套，领取",
            "后7日内有效，逾期自动作废。具体使用规则可登录小程序查询。", "", "【纠错】 【打印】 【关闭】"]
    found = find_web_article(keys)
    assert found.content[0] == 4  # not a 'headline echo', for all the headline's words it names


def test_a_player_count_and_notice_are_not_the_headline_of_a_tv_page():
    keys = ["东海新闻 > 本地新闻 > 正文", "台风过境 沿海渔港有序恢复生产", "您的浏览器不支持视频播放，请升级浏览器或下载东海新闻APP观看",
            "00:00 / 02:47", "标清", "高清", "全屏", "播放量：1.8万", "栏目：东海新闻联播　来源：东海广播电视台　2023-09-04 19:32",
            *_BODY, "记者：孙伟 王鹏　摄像：陈刚　编辑：林晓"]
    found = find_web_article(keys)
    assert keys[found.title] == "台风过境 沿海渔港有序恢复生产"
    assert found.authors == ["孙伟", "王鹏"]


def test_byline_date_and_outlet_printed_over_the_headline():
    keys = ["专访 > 正文", "文｜许晴", "2024-05-21 07:30", "经略财经", "专访宏远储能董事长陈立新：储能行业洗牌期，活下来比跑得快更重要",
            "字号", *_BODY]
    found = find_web_article(keys)
    assert found.title == 4
    assert (found.date, found.source, found.authors) == (PartialDate(2024, 5, 21), "经略财经", ["许晴"])


def test_a_column_post_dated_under_its_text():
    keys = ["县城咖啡馆扎堆开业，真的能赚到钱吗？我走访了六家店", "韩默", "咖啡爱好者", *_BODY, "发布于 2024-06-18 21:07・IP 属地浙江"]
    assert find_web_article(keys).date == PartialDate(2024, 6, 18)


@pytest.mark.parametrize("line, outlet", [
    ("周楠·2024-08-12 10:05·锐角科技", "锐角科技"),  # the outlet over the author's name
    ("5小时前 · 2024-07-22 08:15 · 湖南", None),  # the poster's province is no outlet
])
def test_the_outlet_among_names_and_places(line, outlet):
    assert meta_outlet(line) == outlet


def test_an_account_line_over_the_info_line_outranks_a_province_in_it():
    keys = ["暑期博物馆“一票难求” 多家场馆延时开放增加预约名额", "星城晚报", "5小时前 · 2024-07-22 08:15 · 湖南", "关注",
            "记者 易帆 实习生 肖雨", *_BODY]
    found = find_web_article(keys)
    assert found.source == "星城晚报"
    assert found.authors == ["易帆", "肖雨"]


def test_a_government_documents_metadata_table():
    keys = ["当前位置：首页 > 政务公开 > 县政府文件",
            "索 引 号：  001002003/2023-00345         主题分类：  农业、林业、水利",
            "发布机构：  清溪县人民政府               成文日期：  2023-03-08",
            "文    号：  清政发〔2023〕12号           发布日期：  2023-03-13",
            "标    题：  清溪县人民政府关于做好2023年春季农业生产工作的通知", "有 效 性：  有效", "",
            "清溪县人民政府关于做好2023年春季农业生产工作的通知", "清政发〔2023〕12号", *_BODY]
    found = find_web_article(keys)
    assert found.title == 7
    assert found.date == PartialDate(2023, 3, 13)  # published, not signed (成文日期)


def test_the_headline_named_in_the_breadcrumb_wins_over_the_kicker_above_it():
    keys = ["当前位置：首页 > 社会 > 社区食堂开进老街巷 老人吃上“暖心饭”", "守护“一老一小” 提升民生温度",
            "社区食堂开进老街巷 老人吃上“暖心饭”", "稿源：南岭日报 | 文/图：记者 曾晓雯 | 发布时间：2024-01-09 08:20", *_BODY]
    assert find_web_article(keys).title == 2


@pytest.mark.parametrize("closing, names", [
    ("采写：南都记者 余毅菁 向雪妮", ["余毅菁", "向雪妮"]),  # the outlet before 记者 is nobody
    ("作者：未知     责任编辑：棒棒不是糖", []),
])
def test_closing_credits(closing, names):
    keys = ["某县召开会议部署春耕生产", "2023-03-01 10:00", *_BODY, closing]
    assert find_web_article(keys).authors == names


def test_a_data_table_inside_the_text_is_crossed():
    rows = ["县（区）        人均可支配收入（元）        同比增长（%）"] + [
        f"{name}        {income}        {growth}" for name, income, growth in
        [("江北区", 21356, 7.2), ("城南区", 19870, 7.0), ("青山县", 15624, 8.9), ("石门县", 14382, 8.1),
         ("白沙县", 13905, 7.9), ("云溪县", 14217, 7.4), ("全  市", 16842, 7.6)]]
    keys = ["前三季度我市农村居民人均可支配收入增长7.6%", "信息来源：江州日报　作者：记者 邓伟　发布日期：2023-10-27",
            _BODY[0], *rows, _BODY[1], "【打印】【关闭】"]
    found = find_web_article(keys)
    assert found.content[0] == 2 and found.content[-1] == len(keys) - 2
    assert is_table_row("青山县  15624  8.9") and not is_table_row("青山县 茶叶 中药材")


def test_an_english_interface_info_line():
    keys = ["义乌小商品“出海”新路径", "Source: 华商日报 | Author: 钱鑫 | Updated: 2023-10-19 16:40", *_BODY]
    found = find_web_article(keys)
    assert (found.source, found.authors, found.date) == ("华商日报", ["钱鑫"], PartialDate(2023, 10, 19))


def test_outlets_keep_the_script_the_page_prints():
    page = Path(__file__).parents[1] / "heldout_web_c" / "q10_gangdao_hk_big5.txt"
    doc = parse_document(page.read_bytes(), page.name)
    assert doc.source == "港島日報"  # the site's name, read from the Simplified keys, printed as the page prints it



@pytest.mark.parametrize("headline", ["视频：台风“杜苏芮”在福建晋江登陆", "国产播放器软件迎来新一轮升级", "工信部：请升级手机系统防范新型漏洞"])
def test_headlines_that_name_videos_or_players(headline):
    keys = ["首页 > 视频", headline, "2023-07-28 10:00 来源：央视新闻", *_BODY]
    found = find_web_article(keys)
    assert found.title == 1 and found.date == PartialDate(2023, 7, 28)


def test_a_wrapped_first_line_of_text_is_not_the_headline():
    keys = ["首页 > 要闻", "6月10日起南湖区发放第三批消费券", "【字体：大 中 小】", "2023-06-09 16:05   来源：南湖发布", "",
            "　　记者从南湖区商务局获悉，南湖区2023年第三批惠民消费券将于6月10日，从10时起通",
            "过“南湖惠生活”小程序分批发放，总额1000万元，涵盖餐饮、零售、家电、文旅等领", "域，单张面额最高200元。"]
    assert find_web_article(keys).title == 1


def test_a_short_headline_over_its_info_line_stays_the_headline():
    keys = ["首页 > 专题", "春耕正当时", "2023-03-01 10:00", "县里四万亩高标准农田今春全部完成翻耕", *_BODY]
    found = find_web_article(keys)
    assert found.title == 1 and found.source is None


@pytest.mark.parametrize("keys, authors, source", [
    (["某县召开会议部署春耕生产", "张明", "2023-03-01 10:00", *_BODY], ["张明"], None),
    (["某县召开会议部署春耕生产", "2023-03-01 10:00 来源：某县融媒体中心", "王建社", *_BODY], ["王建社"], "某县融媒体中心"),
    (["某县召开会议部署春耕生产", "2023-03-01 10:00 来源：汀州日报 记者 苏婉 编辑 陈刚", *_BODY], ["苏婉"], "汀州日报"),
    (["某县召开会议部署春耕生产", "2023-03-01 10:00", "语音播报", *_BODY], [], None),
    (["某县召开会议部署春耕生产", "2023-03-01 10:00 来源：某县融媒体中心", "图片|直播", *_BODY], [], "某县融媒体中心"),
    (["某县召开会议部署春耕生产", "2023-03-01 10:00 来源：某县融媒体中心", "简体", *_BODY], [], "某县融媒体中心"),
])
def test_names_and_outlets_under_the_headline(keys, authors, source):
    found = find_web_article(keys)
    assert (found.authors, found.source) == (authors, source)


@pytest.mark.parametrize("line", ["2023-03-01 10:00 Monday", "张明 2023-03-01 10:00", "2023-03-01 10:00 · 浙江省",
                                  "2023-03-01 10:00 · 美国"])
def test_no_outlet_in_an_info_line_of_weekdays_authors_and_places(line):
    assert meta_outlet(line) is None


@pytest.mark.parametrize("row", ["上一页 1 2 3 4 下一页 尾页", "点赞 12 收藏 3 分享 5", "阅读 6732 在看 12 赞 30"])
def test_pagers_and_counters_are_no_table_rows(row):
    assert not is_table_row(row)


def test_a_paragraph_about_reprint_rights_and_a_product_feature_line_stay_text():
    rights = "未经授权，任何单位和个人不得转载、摘编其作品，法院最终判决被告赔偿原告经济损失及合理开支共计五万元。"
    feature = "功能介绍：支持无线快充、息屏显示与面部识别，续航较上代提升约两成，售价与上代持平，下周一正式开售"
    keys = ["某县召开会议部署春耕生产", "2023-03-01 10:00 来源：某县融媒体中心", _BODY[0], rights, feature, _BODY[1]]
    assert [keys[i] for i in find_web_article(keys).content] == [_BODY[0], rights, feature, _BODY[1]]


def test_a_boxed_related_panel_inside_the_text_goes_and_the_text_goes_on():
    keys = ["海港路隧道主体结构全线贯通", "2024-03-05 10:00 来源：滨海日报", _BODY[0], "",
            "┌─ 相关阅读 ─────────────────────┐", "│ · 海港路隧道盾构机顺利穿越海底断裂带", "│ · 东岛片区规划建设全面提速",
            "└────────────────────────────┘", "", _BODY[1]]
    found = find_web_article(keys)
    assert [keys[i] for i in found.content] == _BODY


def test_an_author_bio_closing_the_text_goes():
    bio = "作者简介：赵明远，河洛市委党校公共管理教研部副教授，主要研究方向为基层治理与数字政府。"
    keys = ["某县召开会议部署春耕生产", "2023-03-01 10:00 来源：某县融媒体中心", *_BODY, bio]
    assert [keys[i] for i in find_web_article(keys).content] == _BODY


def test_a_staff_reporter_credit_and_an_office_are_nobody():
    keys = ["氹仔舊城區推出週末夜市", "2024年03月09日 11:25　本报记者", *_BODY]
    assert find_web_article(keys).source is None
    keys = ["我院成功开展首例经导管主动脉瓣置换术", "作者：宣传科 | 审核：李华 | 发布时间：2024-01-08", *_BODY]
    assert find_web_article(keys).authors == []
