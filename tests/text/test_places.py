"""Gazetteer and region resolution (articles/text/places.py)."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

import pytest

from articles.text.places import (
    CITY,
    COUNTY,
    PROVINCE,
    TOWNSHIP,
    Gazetteer,
    PlaceContext,
    file_places,
    resolve_regions,
    short_name_of,
)

DATA_DIR = Path(__file__).resolve().parents[2] / "articles" / "data" / "regions"


@lru_cache(maxsize=None)
def gazetteer() -> Gazetteer:
    # Built once for the whole module: ~45k rows.
    return Gazetteer.from_csv_dir(DATA_DIR)


@pytest.fixture(scope="module")
def g() -> Gazetteer:
    return gazetteer()


def primary(g: Gazetteer, title: str = "", lede: str = "", body: str = "", context: PlaceContext | None = None):
    regions = resolve_regions(g, title=title, lede=lede, body=body, context=context)
    return regions[0] if regions else None


# --- hand-cut (simplified) texts from the sample corpus ----------------------

PAGE_000 = """市委组织部号召
充分发挥“两个作用” 让党旗在抗疫一线高高飘扬
本报讯(记者 李小龙)4月8日,市委组织部发出《关于在疫情防控一线充分发挥“两个作用”的通知》。
各县区委组织部要根据形势需要,及时选派一批机关干部下沉到镇(街道)村(社区)。凝聚起“爱商洛”的强大正能量。
中共商洛市委统战部
商洛市工商业联合会
商洛市总商会
致全市各级工商联商会组织和广大民营企业家的倡议书
全市各级工商联、商会组织,广大民营企业家:近日,我市新冠肺炎疫情防控形势严峻。
丹凤聚力建设重点项目
本报讯(通讯员 王媛 樊利仁)今年以来,丹凤县牢固树立“项目为王”理念。丹凤县围绕“一县五区”建设目标。
4月1日,山阳县十里铺街办高一社区工厂里,工人正在缝制服装。
全市春季林业工作有序推进
市林业局先后组织召开了陕西省暨商洛市第九届世界野生动植物保护日主题宣传活动启动仪式。
小片区赋能大治理
——西口回族镇“人盯人+”基层社会治理打造幸福宜居地
从护林防火到抗疫一线,镇安县西口回族镇的221名片长在不同领域服务于基层社会治理工作。
镇安县西口回族镇负责防疫工作的干部陈卓介绍。西口回族镇积极探索。镇安县西口回族镇打破以往的治理模式。
"""


@pytest.fixture(scope="module")
def ctx_000(g: Gazetteer) -> PlaceContext:
    return file_places(g, PAGE_000)


def test_file_context_of_a_city_paper(ctx_000: PlaceContext) -> None:
    assert (ctx_000.province, ctx_000.city) == ("610000", "611000")
    # Several counties on one page: 全县 cannot be resolved from the page alone,
    # however often one article repeats its township.
    assert ctx_000.county is None
    assert ctx_000.primary == "611000"


def test_kicker_with_generic_city_reference(g: Gazetteer, ctx_000: PlaceContext) -> None:
    title = "市委组织部号召 充分发挥“两个作用” 让党旗在抗疫一线高高飘扬"
    lede = "本报讯(记者 李小龙)4月8日,市委组织部发出《关于在疫情防控一线充分发挥“两个作用”的通知》,号召充分发挥基层党组织战斗堡垒作用。"
    body = (
        "通知要求,各县区委组织部要根据形势需要,及时选派一批机关干部下沉到镇(街道)村(社区)。"
        "大力宣传典型事迹,凝聚起“爱商洛”、坚决打赢疫情防控阻击战歼灭战的强大正能量。"
    )
    assert primary(g, title, lede, body, ctx_000) == "611000"


def test_notice_with_issuer_lines(g: Gazetteer, ctx_000: PlaceContext) -> None:
    title = "中共商洛市委统战部 商洛市工商业联合会 商洛市总商会 致全市各级工商联商会组织和广大民营企业家的倡议书"
    lede = "全市各级工商联、商会组织,广大民营企业家:"
    body = "近日,我市新冠肺炎疫情防控形势严峻、任务艰巨。市委统战部、市工商联、市总商会号召全市各级工商联。"
    assert primary(g, title, lede, body, ctx_000) == "611000"


def test_short_county_name_in_title(g: Gazetteer, ctx_000: PlaceContext) -> None:
    title = "丹凤聚力建设重点项目"
    lede = "本报讯(通讯员 王媛 樊利仁)今年以来,丹凤县牢固树立“项目为王”理念,扎实开展“项目攻坚年”活动。"
    body = "丹凤县围绕“一县五区”建设目标。截至目前,全县新谋划项目148个。县上严格落实。一季度,全县新建项目开工46个。"
    assert primary(g, title, lede, body, ctx_000) == "611022"


def test_continuation_names_the_city_once(g: Gazetteer, ctx_000: PlaceContext) -> None:
    body = (
        "要强化队伍支撑,锻造实干之师。坚持党管干部、党管人才原则。"
        "扎实开展“党旗飘扬强堡垒、奋进商洛当先锋”党建主题活动,推进党的建设与中心大局相融合。"
        "坚定不移推进党风廉政建设和反腐败斗争。"
    )
    assert primary(g, "", "", body, ctx_000) == "611000"


def test_photo_caption_with_township(g: Gazetteer, ctx_000: PlaceContext) -> None:
    lede = "4月1日,山阳县十里铺街办高一社区工厂里,工人正在缝制服装。该社区为促进易地搬迁群众就业增收。"
    assert primary(g, "", lede, "", ctx_000) == "611024"


def test_generic_city_with_province_and_city(g: Gazetteer, ctx_000: PlaceContext) -> None:
    title = "全市春季林业工作有序推进"
    lede = "本报讯(通讯员 刘永琦)今年以来,全市各级林业部门抢抓春季林业发展时机。"
    body = "市林业局先后组织召开了全市林业工作会、陕西省暨商洛市第九届世界野生动植物保护日主题宣传活动启动仪式等。目前,全市完成营造林9.35万亩。"
    assert primary(g, title, lede, body, ctx_000) == "611000"


def test_township_mentions_resolve_to_county(g: Gazetteer, ctx_000: PlaceContext) -> None:
    title = "小片区赋能大治理 ——西口回族镇“人盯人+”基层社会治理打造幸福宜居地"
    lede = "从护林防火到抗疫一线,镇安县西口回族镇的221名片长在不同领域服务于基层社会治理工作。"
    body = (
        "镇安县西口回族镇负责防疫工作的干部陈卓介绍。西口回族镇积极探索。"
        "“高效能”成为西口基层社会治理的核心。"
    )
    regions = resolve_regions(g, title=title, lede=lede, body=body, context=ctx_000)
    assert regions[0] == "611025"
    assert all(len(code) == 6 for code in regions)


def test_traditional_source_after_simplification(g: Gazetteer) -> None:
    text = (
        "疫情防控工作以来,镇安县紧急动员全县各级党组织和广大党员干部奋战在疫情防控最前沿。\n"
        "县委把打赢疫情防控阻击战作为重大政治任务。在全县154个村(社区)建立群防群治工作体系。\n"
        "140个县直机关企事业单位、1793名党员干部到6个城市社区报到。县委组织部紧急划拨党费51.8万元。\n"
        "(市委组织部供稿)"
    )
    ctx = file_places(g, text)
    assert ctx.county == "611025"
    lede, body = text.split("\n", 1)
    assert primary(g, "", lede, body, ctx) == "611025"


def test_city_in_title_counties_spread_in_body(g: Gazetteer) -> None:
    title = "陕西渭南: 让党员干部成为疫情防控中的生力军"
    body = (
        "疫情发生以来,渭南全市基层党组织勇于担当。渭南市委广泛动员。渭南全市共划分农村网格10272个。"
        "元月25日,白水县市场监督管理局派驻林皋镇林皋村第一书记石伟奔赴林皋村疫情防控第一线。"
        "王博文是渭南市临渭区城市管理执法局双王执法大队第一网格副网格长。"
        "华州区委组织部副部长宋朝军告诉记者,华州区委书记和各常委带头包联镇(街道)。华州迅速遏制住了疫情的传播。"
        "合阳县交警大队党总支书记雷振峰在西禹高速合阳出入口设立防控检查站。合阳县下发了通知。"
        "位于大荔县城的十三厂小区是大荔疫情防控的关键点。富平县委组织部为执勤的党员干部送来石子馍。"
        "渭南市临渭区建立城市社区“四员一医”疫情防控模式。韩城建立“一对一帮扶套餐”。"
        "渭南市委组织部制定了实施办法。渭南的党员干部守好了陕西的东大门。"
    )
    ctx = file_places(g, title + "\n" + body)
    assert ctx.city == "610500"
    assert primary(g, title, "", body, ctx) == "610500"


PAGE_003 = """商城时报
加强顶层设计 完善县乡组织架构 书写基层治理现代化“商城答卷”
商城县召开党建统领基层治理工作推进会
本报讯(甘鑫)4月14日,商城县党建统领基层治理工作推进会召开,积极落实市委关于党建统领基层治理各项工作部署。
县委书记胡培刚出席会议并讲话,县委副书记、县长鲁新建主持会议。塑造“美好生活看信阳”品牌。
会上,县委副书记陈世玉宣读了《商城县“支部联支部”活动实施方案》;宣读了《关于表彰2021年度河南省文明城市创建工作先进单位和个人的决定》。
加快项目建设 确保如期完工
鲁新建调研重点工业项目
本报讯(余文涛)4月11日上午,县长鲁新建实地深入县产业集聚区、轻工业园区调研重点工业项目。
鲁新建一行先后来到河南省工业微生物菌种工程技术研究中心等投产和开工项目现场。全县上下牢固树立“项目为王”理念。
商城县融媒体中心
"""


def test_county_paper_generic_references(g: Gazetteer) -> None:
    ctx = file_places(g, PAGE_003)
    assert ctx.county == "411524"
    title = "加强顶层设计 完善县乡组织架构 书写基层治理现代化“商城答卷” 商城县召开党建统领基层治理工作推进会"
    assert primary(g, title, "本报讯(甘鑫)4月14日,商城县党建统领基层治理工作推进会召开。", "", ctx) == "411524"
    title = "加快项目建设 确保如期完工 鲁新建调研重点工业项目"
    lede = "本报讯(余文涛)4月11日上午,县长鲁新建实地深入县产业集聚区、轻工业园区调研重点工业项目。"
    body = "鲁新建一行先后来到河南省工业微生物菌种工程技术研究中心等投产和开工项目现场。今年以来,全县上下牢固树立“项目为王”理念。"
    assert primary(g, title, lede, body, ctx) == "411524"


PAGE_004 = """党建引领筑防线
——灵石在实战中检验基层治理能力
10月12日一大早,灵石县行政审批服务管理局党员郭文治来到县城文化艺术中心。时下正值我省全面开展抓党建促基层治理能力提升关键时期,灵石县以党建为牵引。
10月4日,灵石县委组织部、县委政法委发出通知,要求全县党员干部充分发挥先锋模范作用。
祁县:以『艺』抗疫 凝聚战疫力量
本报讯(记者 张莉芬)自祁县发生疫情以来,广大文艺工作者创作了一批文艺作品。反映祁县儿女众志成城抗击疫情的精神风貌。
10月17日,市市容环卫局加大人力物力,对市城区凤翔街周边的人行道杂草进行集中清理。
世界粮食日 我们不遗余“粒”
本报讯(记者 张颖)10月16日,在第42个世界粮食日到来之际,山西农业大学举行了主题宣传活动。
"""


def test_city_paper_with_two_counties(g: Gazetteer) -> None:
    ctx = file_places(g, PAGE_004)
    assert (ctx.province, ctx.city) == ("140000", "140700")
    title = "党建引领筑防线 ——灵石在实战中检验基层治理能力"
    lede = "10月12日一大早,灵石县行政审批服务管理局党员郭文治来到县城文化艺术中心。"
    body = "时下正值我省全面开展抓党建促基层治理能力提升关键时期,灵石县以党建为牵引。全县1590名在职党员干部。"
    assert primary(g, title, lede, body, ctx) == "140729"
    title = "祁县:以『艺』抗疫 凝聚战疫力量"
    lede = "本报讯(记者 张莉芬)自祁县发生疫情以来,广大文艺工作者创作了一批文艺作品。"
    assert primary(g, title, lede, "反映祁县儿女众志成城抗击疫情的精神风貌。", ctx) == "140727"
    title = "世界粮食日 我们不遗余“粒”"
    lede = "本报讯(记者 张颖)10月16日,在第42个世界粮食日到来之际,山西农业大学举行了主题宣传活动。"
    assert primary(g, title, lede, "活动现场,学校还举办了光盘行动签名活动。", ctx) in {"140000", "140700", "140703"}
    # A street named after a place elsewhere (凤翔街) is not that place.
    caption = "10月17日,市市容环卫局加大人力物力,对市城区凤翔街周边的人行道杂草进行集中清理。"
    assert resolve_regions(g, title="", lede=caption, body="", context=ctx) == ["140700"]


# --- gazetteer -----------------------------------------------------------------


def test_gazetteer_codes_levels_and_parents(g: Gazetteer) -> None:
    shangluo = g.get("611000")
    assert shangluo is not None and shangluo.name == "商洛市" and shangluo.short_name == "商洛"
    assert shangluo.level == CITY and shangluo.parent_code == "610000"
    assert g.get("610000").level == PROVINCE
    zhenan = g.get("611025")
    assert (zhenan.name, zhenan.level, zhenan.parent_code) == ("镇安县", COUNTY, "611000")
    assert [p.code for p in g.ancestors("611025")] == ["611025", "611000", "610000"]


def test_placeholder_cities_are_skipped(g: Gazetteer) -> None:
    assert not any(p.name in {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"} for p in g.places(CITY))
    chaoyang = g.get("110105")
    assert chaoyang.name == "朝阳区" and chaoyang.parent_code == "110000"
    jiyuan = g.lookup("济源市")[0]
    assert jiyuan.parent_code == "410000"
    assert g.get("500229").parent_code == "500000"  # 城口县 under 重庆's 县 placeholder


def test_townships_have_nine_digit_codes_and_a_county(g: Gazetteer) -> None:
    xikou = [p for p in g.lookup("西口回族镇")]
    assert len(xikou) == 1 and len(xikou[0].code) == 9 and xikou[0].level == TOWNSHIP
    assert g.county_of(xikou[0].code).code == "611025"
    assert [p.level for p in g.ancestors(xikou[0].code)] == [TOWNSHIP, COUNTY, CITY, PROVINCE]


def test_places_by_level(g: Gazetteer) -> None:
    provinces = list(g.places(PROVINCE))
    assert len(provinces) == 31
    assert all(len(p.code) == 6 for p in g.places(COUNTY))
    assert all(len(p.code) == 9 and p.parent_code for p in g.places(TOWNSHIP))
    everything = list(g.places())
    seen: set[str] = set()
    for place in everything:  # parents come before their children
        assert place.parent_code is None or place.parent_code in seen
        seen.add(place.code)


def test_economic_zones_are_kept_but_not_matched_by_short_name(g: Gazetteer) -> None:
    zone = g.lookup("石家庄高新技术产业开发区")[0]
    assert g.is_zone(zone.code) and zone.level == COUNTY
    assert g.region_code(zone.code) == "130100"  # a zone counts for its city
    assert resolve_regions(g, title="石家庄高新技术产业开发区举行签约仪式", lede="", body="")[0] == "130100"


@pytest.mark.parametrize(
    "name,level,short",
    [
        ("陕西省", PROVINCE, "陕西"),
        ("广西壮族自治区", PROVINCE, "广西"),
        ("内蒙古自治区", PROVINCE, "内蒙古"),
        ("新疆维吾尔自治区", PROVINCE, "新疆"),
        ("商洛市", CITY, "商洛"),
        ("恩施土家族苗族自治州", CITY, "恩施"),
        ("大兴安岭地区", CITY, "大兴安岭"),
        ("锡林郭勒盟", CITY, "锡林郭勒"),
        ("镇安县", COUNTY, "镇安"),
        ("临渭区", COUNTY, "临渭"),
        ("长阳土家族自治县", COUNTY, "长阳"),
        ("东乡族自治县", COUNTY, "东乡"),
        ("万柏林区", COUNTY, "万柏林"),
        ("神农架林区", COUNTY, "神农架"),
        ("祁县", COUNTY, "祁县"),  # never a one-character short name
        ("西口回族镇", TOWNSHIP, "西口"),
        ("十里铺街道", TOWNSHIP, "十里铺"),
    ],
)
def test_short_names(name: str, level: str, short: str) -> None:
    assert short_name_of(name, level)[0] == short


def test_lookup_full_and_short(g: Gazetteer) -> None:
    assert {p.code for p in g.lookup("山阳") if p.level == COUNTY} == {"611024", "410811"}
    assert [p.code for p in g.lookup("商洛市")] == ["611000"]
    assert g.lookup("祁") == []


# --- general resolution rules ------------------------------------------------------


def test_municipality_district(g: Gazetteer) -> None:
    assert primary(g, "北京市朝阳区举办社区运动会") == "110105"
    assert primary(g, "", "北京朝阳区望京街道开展垃圾分类宣传") == "110105"


def test_duplicate_county_names_disambiguated_by_parent(g: Gazetteer) -> None:
    assert primary(g, "商洛山阳：特色产业助农增收") == "611024"
    assert primary(g, "焦作山阳区：老旧小区改造提速") == "410811"
    # Nothing to tell them apart: no region rather than a guess.
    assert primary(g, "山阳：特色产业助农增收") is None


def test_duplicate_names_disambiguated_by_file_context(g: Gazetteer) -> None:
    ctx = PlaceContext(province="410000", city="410800")
    assert primary(g, "山阳区召开安全生产会议", context=ctx) == "410811"
    ctx = PlaceContext(province="610000", city="611000")
    assert primary(g, "山阳群众喜迁新居", context=ctx) == "611024"


def test_township_full_name_beats_alias_without_context(g: Gazetteer) -> None:
    # 西口镇 is a township in 山西; 西口回族镇 (镇安) is also called 西口镇.
    assert primary(g, "西口镇召开会议") == "140930"
    assert primary(g, "镇安县西口镇召开会议") == "611025"


def test_autonomous_names(g: Gazetteer) -> None:
    assert primary(g, "恩施州召开经济工作会议") == "422800"
    assert primary(g, "长阳：清江画廊迎来旅游旺季") == "420528"
    assert primary(g, "广西南宁举办东盟博览会") == "450100"
    assert primary(g, "内蒙古", "", "内蒙古自治区党委召开会议") == "150000"


def test_stoplisted_words_do_not_match(g: Gazetteer) -> None:
    text = (
        "今年以来，新建项目开工46个，乡村振兴扎实推进。市公安局在市中心城区开展宣传。"
        "比如去年，老人家住光明社区，感谢党和政府。会同有关部门推进合作。坚持绿水青山就是金山银山。"
        "长治久安是发展的基础。大兴调查研究之风。中山大学教授谈孙中山。阿里巴巴与企业签约。"
        "提高县域经济发展水平，创建示范县，完善信息县级平台。发展乡村特色产业。"
    )
    assert resolve_regions(g, title="", lede="", body=text) == []


def test_soft_names_need_confirmation(g: Gazetteer) -> None:
    assert primary(g, "长安区开展文明创建") is None
    assert primary(g, "西安市长安区开展文明创建") == "610116"
    assert primary(g, "长安：开展文明创建", context=PlaceContext(province="610000", city="610100")) == "610116"
    assert primary(g, "城区交通秩序整治") is None


def test_overlapping_names_prefer_the_real_one(g: Gazetteer) -> None:
    assert primary(g, "会议中江苏代表团发言") == "320000"
    assert primary(g, "陕西安康：茶产业提质增效") == "610900"


def test_generic_references_need_context(g: Gazetteer) -> None:
    ctx = PlaceContext(province="610000", city="611000", county="611025")
    assert primary(g, "全县召开安全生产工作会议", context=ctx) == "611025"
    assert primary(g, "县委书记带队督查防汛工作", context=ctx) == "611025"
    assert primary(g, "市委常委会召开会议", context=ctx) == "611000"
    assert primary(g, "全省脱贫攻坚总结表彰大会召开", context=ctx) == "610000"
    assert resolve_regions(g, title="全县召开安全生产工作会议", lede="", body="") == []
    # Words containing 市/县 are not references: 城市, 超市, 市场, 各县区.
    assert primary(g, "城市长期发展与超市市场监管", context=PlaceContext(province="610000")) is None
    assert primary(g, "各县区委组织部负责人参加会议", context=ctx) is None


def test_generic_references_follow_the_paper_not_a_passing_mention(g: Gazetteer) -> None:
    ctx = PlaceContext(province="610000", city="611000", primary="611000")
    regions = resolve_regions(g, title="我省出台新规", lede="", body="湖北返乡人员需报备。我省各地要落实。", context=ctx)
    assert regions[0] == "610000"
    # Municipalities and autonomous regions have their own generic words.
    assert primary(g, "全市召开大会", context=PlaceContext(province="110000")) == "110000"
    assert primary(g, "自治区党委召开会议", context=PlaceContext(province="450000")) == "450000"
    assert primary(g, "区委常委会召开会议", context=PlaceContext(province="610000", city="610500", county="610502")) == "610502"
    assert primary(g, "社区开展活动", context=PlaceContext(province="610000", city="610500", county="610502")) is None


def test_specific_mention_beats_generic_context(g: Gazetteer) -> None:
    ctx = PlaceContext(province="610000", city="611000", county="611025")
    assert primary(g, "丹凤县召开全县项目建设推进会", context=ctx) == "611022"


def test_article_without_places_falls_back_to_file(g: Gazetteer) -> None:
    ctx = PlaceContext(province="610000", city="611000", primary="611000")
    assert resolve_regions(g, title="春天来了", lede="", body="花开了。", context=ctx) == ["611000"]
    assert resolve_regions(g, title="春天来了", lede="", body="花开了。") == []


def test_other_regions_follow_the_primary(g: Gazetteer) -> None:
    regions = resolve_regions(
        g, title="渭南：合作交流促发展", lede="", body="渭南市代表团赴湖北省武汉市考察，渭南与武汉签约。"
    )
    assert regions[0] == "610500"
    assert "420100" in regions and len(set(regions)) == len(regions)




def test_loaded_gazetteer_is_built_once_until_its_files_change(tmp_path) -> None:
    import shutil

    for name in ("provinces.csv", "cities.csv", "areas.csv", "streets.csv"):
        shutil.copy(DATA_DIR / name, tmp_path / name)
    first = Gazetteer.loaded(tmp_path)
    assert Gazetteer.loaded(tmp_path) is first
    with open(tmp_path / "streets.csv", "a", encoding="utf-8") as handle:
        handle.write("")  # same size: only the modification time moves
    os.utime(tmp_path / "streets.csv", ns=(0, 1))
    assert Gazetteer.loaded(tmp_path) is not first
