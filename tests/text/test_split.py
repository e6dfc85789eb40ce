"""Stage 3: article boundaries on made-up pages."""

from __future__ import annotations

from articles.text.clean import Line, join_broken_paragraphs
from articles.text.document import BLOCK_CAPTION, BLOCK_INTERTITLE, BLOCK_PARAGRAPH
from articles.text.split import (
    BODY,
    BYLINE,
    CREDIT,
    HEADING,
    LEDE,
    MARKER_UP,
    NAME,
    SUBTITLE,
    assign_heading_stack,
    is_title_echo,
    line_role,
    split_page,
)


def split(page: str):
    lines = []
    for number, raw in enumerate(page.split("\n"), start=1):
        if raw.strip():
            lines.append(Line(number, raw.strip(), len(raw) - len(raw.lstrip())))
    return split_page(join_broken_paragraphs(lines))


TWO_ARTICLES = """## 春耕生产

## 全县完成播种面积十二万亩

本报讯(记者 周明)5月2日,记者从县农业农村局获悉,全县春播进度过半。

## 良种先行

县里统一采购良种,分发到户,保证出苗率。

## 机械助力

各乡镇调配农机三百余台,开展代耕代种服务。

## 河道清淤保安澜

本报通讯员 孙丽

入汛前,水利部门对境内主要河道开展清淤疏浚,共清理淤泥八万立方米。"""


def test_two_articles_with_intertitles() -> None:
    segments, dropped = split(TWO_ARTICLES)
    assert len(segments) == 2 and dropped == []
    first, second = segments
    assert (first.kicker, first.title) == (["## 春耕生产"], "## 全县完成播种面积十二万亩")
    assert [kind for kind, _, _ in first.blocks] == [BLOCK_PARAGRAPH, BLOCK_INTERTITLE, BLOCK_PARAGRAPH, BLOCK_INTERTITLE, BLOCK_PARAGRAPH]
    assert first.blocks[1][1] == "良种先行"
    assert second.title == "## 河道清淤保安澜"
    assert [text for text, _ in second.bylines] == ["本报通讯员 孙丽"]
    assert (first.first_line, first.last_line, second.first_line) == (1, 13, 15)


STACKS = """攥紧种子 端牢饭碗
良种繁育基地建设提速
——临河镇打造十万亩制种基地纪实
记者 程亮 实习生 吴迪
走进临河镇,连片的制种田一眼望不到边,农户们正忙着去雄授粉。
绿色发展
县里推进化肥减量增效
本报讯(通讯员 郑红)今年,全县化肥使用量同比下降百分之五。"""


def test_kicker_title_subtitle_stacks() -> None:
    segments, _ = split(STACKS)
    first, second = segments
    assert (first.kicker, first.title, first.subtitle) == (["攥紧种子 端牢饭碗"], "良种繁育基地建设提速", ["——临河镇打造十万亩制种基地纪实"])
    assert (second.kicker, second.title, second.subtitle) == (["绿色发展"], "县里推进化肥减量增效", [])


def test_assign_heading_stack() -> None:
    assert assign_heading_stack(["甲"]) == ([], "甲", [])
    assert assign_heading_stack(["甲", "乙"]) == (["甲"], "乙", [])
    assert assign_heading_stack(["甲", "——乙"]) == ([], "甲", ["——乙"])
    assert assign_heading_stack(["甲", "乙", "丙"]) == (["甲"], "乙", ["丙"])


CONTINUATION = """县城新建三所学校

本报讯(记者 田野)今年秋季,县城新建的三所学校将投入使用,新增学位四千个。

(下转2版)

(上接1版)

学校建成后,将有效缓解城区学校大班额问题。

新城区道路改造进展顺利,主干道预计年底通车。(记者 马力 摄)

乡村医生培训班开班

本报讯 近日,全县乡村医生培训班开班,一百二十名村医参加培训。"""


def test_continuation_is_its_own_item_and_markers_vanish() -> None:
    segments, dropped = split(CONTINUATION)
    assert [seg.kind for seg in segments] == ["article", "continuation", "photo", "article"]
    article, continuation, photo, _ = segments
    assert [text for _, text, _ in article.blocks] == ["本报讯(记者 田野)今年秋季,县城新建的三所学校将投入使用,新增学位四千个。"]
    assert continuation.title is None
    assert [text for _, text, _ in continuation.blocks] == ["学校建成后,将有效缓解城区学校大班额问题。"]
    assert photo.blocks[0][1].startswith("新城区道路改造")
    assert dropped == [5, 7]


def test_continuation_marker_sharing_a_line_and_under_a_title() -> None:
    segments, dropped = split("(上接第一版)县里还将新建两所幼儿园。\n\n县城新建三所学校\n\n(上接A1版)\n\n学校建成后投入使用。")
    assert [(seg.kind, seg.title) for seg in segments] == [("continuation", None), ("continuation", "县城新建三所学校")]
    assert segments[0].blocks[0][1] == "县里还将新建两所幼儿园。"
    assert dropped == [5]


PHOTOS = """全县新增就业岗位两千个

本报讯(记者 林静)今年以来,全县新增城镇就业岗位两千个,就业形势总体稳定。

县里还组织了专场招聘会,参会企业六十家。

春色满园

4月9日,游客在城郊桃花园赏花拍照。

本报记者 许亮 摄

桃花节开幕

本报讯(通讯员 韩梅)4月8日,第十届桃花节开幕。"""


def test_photo_caption_with_title_and_credit_line_between_articles() -> None:
    segments, _ = split(PHOTOS)
    assert [seg.kind for seg in segments] == ["article", "photo", "article"]
    article, photo, _ = segments
    assert article.blocks[-1][1] == "县里还组织了专场招聘会,参会企业六十家。"
    assert photo.title == "春色满园"
    assert [text for text, _ in photo.bylines] == ["本报记者 许亮 摄"]
    assert [text for _, text, _ in photo.blocks] == ["4月9日,游客在城郊桃花园赏花拍照。"]


def test_caption_inside_an_article_stays_a_caption_block() -> None:
    page = """县医院新院区启用

记者 刘洋

5月1日,县医院新院区正式启用,床位增加到八百张。

医护人员在新院区为患者检查身体。(记者 刘洋 摄)

新院区设有急诊、门诊、住院三个功能区,服务能力大幅提升。

图为新院区门诊大厅。当地供图

据介绍,医院将逐步把全部科室搬迁至新院区。"""
    segments, _ = split(page)
    assert len(segments) == 1
    assert [kind for kind, _, _ in segments[0].blocks] == [BLOCK_PARAGRAPH, BLOCK_CAPTION, BLOCK_PARAGRAPH, BLOCK_CAPTION, BLOCK_PARAGRAPH]


NOTICE = """今年来,县里为群众办实事一百件。

共青团某某县委员会
某某县青年联合会

致全县广大青年的一封信

全县广大青年朋友们:

防汛关键期,希望大家积极参与志愿服务。

共青团某某县委员会

2023年7月1日

小学生暑期安全教育启动

本报讯(记者 高峰)7月2日,全县中小学开展暑期安全教育。"""


def test_notice_with_issuers_and_salutation_starts_an_article() -> None:
    segments, _ = split(NOTICE)
    assert [seg.title for seg in segments] == [None, "致全县广大青年的一封信", "小学生暑期安全教育启动"]
    notice = segments[1]
    assert notice.issuer == ["共青团某某县委员会", "某某县青年联合会"]
    assert [text for _, text, _ in notice.blocks][-2:] == ["共青团某某县委员会", "2023年7月1日"]
    assert all(kind == BLOCK_PARAGRAPH for kind, _, _ in notice.blocks)


def test_notice_heading_without_issuer_or_salutation() -> None:
    page = "正文,第一篇报道的最后一段。\n\n关于做好今年防汛工作的通知\n\n各乡镇、各部门要落实防汛责任。"
    segments, _ = split(page)
    assert [seg.title for seg in segments] == [None, "关于做好今年防汛工作的通知"]


def test_web_title_echo_is_dropped_and_indented_name_is_the_byline() -> None:
    page = "古浪:光伏治沙见成效\n古浪县:光伏治沙两不误 成效显著\n\n                         李明\n\n近年来,古浪县治沙成效明显,沙区群众收入稳步增长。"
    segments, dropped = split(page)
    assert len(segments) == 1
    assert segments[0].title == "古浪县:光伏治沙两不误 成效显著"
    assert [text for text, _ in segments[0].bylines] == ["李明"]
    assert dropped == [1]


def test_title_echo_needs_real_overlap() -> None:
    assert is_title_echo("渭南:让党员干剖成为防疫生力军", "陕西渭南: 让党员干部成为疫情防控中的生力军")
    assert not is_title_echo("加快项目建设 确保如期完工", "县长调研重点工业项目")


def test_untitled_text_is_one_article_with_intertitles() -> None:
    page = "全县上下齐心协力抗击疫情,取得阶段性成效。\n党建引领 筑牢防线\n各级党组织迅速行动,组建突击队一百支。\n(县委组织部供稿)"
    segments, dropped = split(page)
    assert len(segments) == 1 and segments[0].title is None
    assert [kind for kind, _, _ in segments[0].blocks] == [BLOCK_PARAGRAPH, BLOCK_INTERTITLE, BLOCK_PARAGRAPH]
    assert dropped == [4]


def test_a_second_lede_without_a_title_starts_a_new_article() -> None:
    page = "简讯\n\n本报讯 全县举办农技培训班三期,培训农民三百人次。\n\n本报讯 县图书馆新增图书一万册,月底前向读者开放。"
    segments, _ = split(page)
    assert [seg.title for seg in segments] == ["简讯", None]


def test_verse_inside_an_article_does_not_start_articles() -> None:
    page = "诗会现场\n\n记者 陈诗\n\n活动现场,学生们朗诵了古诗。\n\n锄禾日当午\n汗滴禾下土\n谁知盘中餐\n粒粒皆辛苦\n\n朗诵结束后,大家纷纷表示要爱惜粮食。"
    segments, _ = split(page)
    assert len(segments) == 1


def test_line_roles() -> None:
    assert line_role(Line(1, "本报讯(记者 王强)5月1日,全县开展活动。")) == LEDE
    assert line_role(Line(1, "本报记者 王强 通讯员 李丽 张华")) == BYLINE
    assert line_role(Line(1, "记者 程婧 摄")) == CREDIT
    assert line_role(Line(1, "(上接第2版)")) == MARKER_UP
    assert line_role(Line(1, "——某某镇发展特色产业纪实")) == SUBTITLE
    assert line_role(Line(1, "李明", indent=30)) == NAME
    assert line_role(Line(1, "产业兴旺 乡村振兴")) == HEADING
    assert line_role(Line(1, "全县共建成示范村十个,带动农户增收。")) == BODY


def test_a_closing_byline_or_credit_ends_the_article() -> None:
    page = """县城新添口袋公园

县城新建的三座口袋公园日前向市民开放,方便群众就近休闲。

(记者 张三)

夏季用电高峰来临

供电部门提前检修线路,确保居民用电安全。

(下转第2版)

秋粮长势良好

全县秋粮播种面积稳定,长势总体良好。"""
    segments, dropped = split(page)
    assert [seg.title for seg in segments] == ["县城新添口袋公园", "夏季用电高峰来临", "秋粮长势良好"]
    assert [text for text, _ in segments[0].bylines] == ["(记者 张三)"]
    assert dropped == [11]


NOTICE_WITH_NAME_ROWS = """某县人民政府
关于春节期间禁止燃放烟花爆竹的通告
为保护生态环境,现就有关事项通告如下:
一、禁止燃放区域为县城规划区。
某县人民政府
2021年1月18日
某县“最美家庭”拟表彰名单公示
经过基层推荐、综合评议,拟表彰以下10户家庭,现予以公示。
王德明家庭  李秀英家庭  陈家富家庭  储有才家庭  汪桂兰家庭
程立新家庭  胡玉梅家庭  刘长江家庭  吴其凤家庭  张大勇家庭
公示期为1月20日至1月26日。
某县妇女联合会
2021年1月19日"""


def test_rows_of_names_are_body_not_headings() -> None:
    row = "王德明家庭  李秀英家庭  陈家富家庭  储有才家庭  汪桂兰家庭"
    assert line_role(Line(1, row, 0)) == BODY
    assert line_role(Line(1, "梯田稻谷黄 丰收歌声扬", 0)) == HEADING
    segments, _ = split(NOTICE_WITH_NAME_ROWS)
    assert [s.title for s in segments] == ["关于春节期间禁止燃放烟花爆竹的通告", "某县“最美家庭”拟表彰名单公示"]
    assert segments[0].issuer == ["某县人民政府"]
    assert any("张大勇家庭" in text for _, text, _ in segments[1].blocks)


PHOTO_BETWEEN_ARTICLES = """县里开展供暖安全检查
通讯员 王海涛
11月5日,县住建局对各供热企业开展安全检查。
检查组对发现的隐患当场下达整改通知。
11月6日,城南的农民在大棚里采收香菇。
通讯员 高建平 摄
县里新增两条农村客运线路
11月4日,县里新开通两条农村客运线路,沿线群众出行更加方便。"""


def test_credited_photo_between_articles_ends_the_article_above() -> None:
    segments, _ = split(PHOTO_BETWEEN_ARTICLES)
    assert [s.kind for s in segments] == ["article", "photo", "article"]
    assert segments[2].title == "县里新增两条农村客运线路"
    assert [text for text, _ in segments[1].bylines] == ["通讯员 高建平 摄"]


PHOTO_INSIDE_A_REPORT = """## 小网格释放大能量
本报记者 彭湘
走进网格服务站,墙上的网格分布图一目了然。
## 划细网格
全区划分为1260个网格,每个网格配备一名网格员。
网格员在小区里走访群众。(记者 彭湘 摄)
## 数据赋能
网格员通过手机终端上报事件,平台自动分派。"""


def test_photo_inside_a_report_with_intertitles_stays_in_it() -> None:
    segments, _ = split(PHOTO_INSIDE_A_REPORT)
    assert len(segments) == 1
    kinds = [kind for kind, _, _ in segments[0].blocks]
    assert kinds.count(BLOCK_INTERTITLE) == 2 and BLOCK_CAPTION in kinds


SIGNED_OFF = """县里开展冬季安全检查
本报讯 11月5日,县里对供热企业开展安全检查,确保群众温暖过冬。(记者 孙丽)
县里新增农村客运线路
11月4日,县里新开通两条农村客运线路,沿线群众出行更加方便。"""


def test_inline_sign_off_closes_the_article() -> None:
    segments, _ = split(SIGNED_OFF)
    assert [s.title for s in segments] == ["县里开展冬季安全检查", "县里新增农村客运线路"]


SIGNED_BRIEF = """小区来了“红色管家”

本报讯(通讯员 朱红)今年以来,镇里在无物业小区推行“红色管家”服务,为居民办实事四百余件。

居民们纷纷点赞。

新增规上企业五家

今年以来,全镇新增规上工业企业五家。

全镇规上工业开票销售同比增长一成。(记者 顾武)"""


def test_heading_before_text_signed_by_someone_else_starts_a_brief() -> None:
    # No byline or lede under the heading, but the text under it signs off
    # with a byline the open article is not credited to: a separate brief.
    segments, _ = split(SIGNED_BRIEF)
    assert [seg.title for seg in segments] == ["小区来了“红色管家”", "新增规上企业五家"]
    assert segments[1].blocks[0][1] == "今年以来,全镇新增规上工业企业五家。"


def test_heading_before_the_same_sign_off_stays_an_intertitle() -> None:
    # The same person signing off at the end: still one article.
    page = SIGNED_BRIEF.replace("(记者 顾武)", "(通讯员 朱红)")
    segments, _ = split(page)
    assert len(segments) == 1
    assert segments[0].blocks[2] == (BLOCK_INTERTITLE, "新增规上企业五家", "新增规上企业五家")


def test_heading_in_an_uncredited_article_before_a_sign_off_stays_an_intertitle() -> None:
    # An article whose byline is printed only at its end keeps its intertitles.
    page = "治水见实效\n\n今年以来,全县整治河道三十条。\n\n河长巡河\n\n县乡村三级河长每月巡河。(记者 顾武)"
    segments, _ = split(page)
    assert len(segments) == 1 and segments[0].intertitles == 1
