"""Campaign themes and article keywords (articles/text/themes.py)."""

from __future__ import annotations

import pytest

from articles.text.document import ThemeSpec
from articles.text import themes as themes_module
from articles.text.themes import DEFAULT_THEMES, extract_keywords, score_themes, theme_scores

SLUGS = {
    "epidemic": "疫情防控",
    "party-building": "党建引领",
    "grassroots-governance": "基层治理",
    "projects": "项目建设",
    "economy": "经济发展",
    "rural-revitalization": "乡村振兴",
    "ecology": "生态林业",
    "civility": "文明创建",
    "cadre-conduct": "干部作风",
    "integrity": "党风廉政",
    "volunteering": "志愿服务",
    "culture": "文化文艺",
    "food-security": "粮食安全",
}


def test_default_themes_are_the_thirteen() -> None:
    assert {t.slug: t.name for t in DEFAULT_THEMES} == SLUGS
    for theme in DEFAULT_THEMES:
        assert 10 <= len(theme.keywords) <= 40, theme.slug
        assert len(set(theme.keywords)) == len(theme.keywords), theme.slug
        assert theme.description.endswith("。")


# Hand-cut, simplified bodies from the sample corpus: (title, body, accepted themes).
SEED_ARTICLES = [
    (
        "市委组织部号召 充分发挥“两个作用” 让党旗在抗疫一线高高飘扬",
        "4月8日,市委组织部发出《关于在疫情防控一线充分发挥“两个作用”的通知》,号召充分发挥基层党组织战斗堡垒作用和"
        "共产党员先锋模范作用,以最坚决、最有力、最有效举措全力打赢疫情防控阻击战歼灭战,让党旗在抗疫一线高高飘扬。"
        "通知要求,要建强一线战斗堡垒。坚持把战斗堡垒建在疫情防控最前沿,做到防控一线在哪里,党支部就建在哪里。"
        "在火车站、高速卡口、隔离酒店、封控区等防控工作关键部位成立临时党支部,通过建立党员突击队、划定党员责任区、"
        "设立党员先锋岗,做到关键时刻有党组织、关键岗位有党员。围绕病毒溯源、核酸采样、卡口排查、测温验码、隔离管控等"
        "重点任务,全面动员、全力攻坚。广大党员要胸佩党徽冲在先,带头执行疫情防控各项规定。",
        {"epidemic", "party-building"},
    ),
    (
        "致全市各级工商联商会组织和广大民营企业家的倡议书",
        "全市各级工商联、商会组织,广大民营企业家:近日,我市新冠肺炎疫情防控形势严峻、任务艰巨。市委统战部、市工商联、"
        "市总商会号召全市各级工商联、商会组织和广大民营企业家,共同打赢这场疫情防控阻击战歼灭战。全市各级工商联、"
        "商会组织和广大民营企业家要落实防疫主体责任,落实“核酸检测、扫码测温、健康监测”防控措施。要树立防疫“一盘棋”"
        "思想,强化运行调度、拓展进货渠道,畅通供应链条,全力保障防疫物资的生产和调配,在防疫保产保供中实现企业发展"
        "和市场稳定,为全面复工复产做好准备。号召广大民营企业家积极为我市抗疫工作捐款捐物。",
        {"epidemic", "economy"},
    ),
    (
        "丹凤聚力建设重点项目",
        "今年以来,丹凤县牢固树立“项目为王”理念,扎实开展“项目攻坚年”活动,抓谋划、抓开工、抓服务、抓督导,聚力推进"
        "重点项目建设。截至目前,全县新谋划项目148个,总投资332.6亿元。协调金融部门加大对项目建设金融支持。县级领导"
        "带头包抓项目,力促项目早开工、快建设、早竣工、快达效。截至3月底,157个固定资产投资项目开工105个,完成投资"
        "18.19亿元。一季度,全县新建项目开工46个,完成投资15.39亿元。",
        {"projects"},
    ),
    (
        "",
        "要强化队伍支撑,锻造实干之师。坚持党管干部、党管人才原则,大力倡导“实干实绩、基层一线”导向,选优配强各级领导"
        "班子,建设高素质专业化干部队伍。坚持严管和厚爱结合、激励与约束并重,用好活用“三项机制”,激励干部敢担当善作为。"
        "要强化基层基础,涵养力量之源。要坚持大抓基层、重抓党建,大力推进党支部标准化、规范化建设,常态整顿软弱涣散基层"
        "党组织。要强化清廉建设,绷紧纪律之弦。切实落实党委(党组)主体责任和纪委监委监督责任,确保全面从严治党落地生根。"
        "坚持纠“四风”树新风,巩固拓展中央八项规定精神成果。坚定不移推进党风廉政建设和反腐败斗争,坚持不敢腐、不能腐、"
        "不想腐一体推进。",
        {"party-building", "cadre-conduct", "integrity"},
    ),
    (
        "",
        "4月1日,山阳县十里铺街办高一社区工厂里,工人正在缝制服装。该社区为促进易地搬迁群众就业增收,通过技能创业、"
        "劳务输出、社区工厂吸收等方式提高群众家庭收入。据介绍,该社区工厂让100多名搬迁群众在家门口实现稳定就业。",
        {"rural-revitalization", "economy"},
    ),
    (
        "全市春季林业工作有序推进",
        "今年以来,全市各级林业部门抢抓春季林业发展时机,全面部署、迅速行动,各项林业工作有序推进。市林业局先后组织召开"
        "了全市林业工作会、核桃产业发展现场推进会暨重大林业有害生物防控工作会、世界野生动植物保护日主题宣传活动启动"
        "仪式等,深入一线督导森林防火、组织开展市级党政领导干部义务植树等。目前,全市完成营造林9.35万亩;栽植各类苗木"
        "211万株,参与义务植树人数达44万多人;松材线虫病防控工作有序推进,森林防火安排部署到位。",
        {"ecology"},
    ),
    (
        "小片区赋能大治理 ——西口回族镇“人盯人+”基层社会治理打造幸福宜居地",
        "从护林防火到抗疫一线,从家长里短到增收致富,镇安县西口回族镇的221名片长在不同领域服务于“人盯人+”基层社会"
        "治理工作,构建起了治理方式精细化、联系群众零距离的基层社会治理体系。自2021年10月推行“人盯人+”基层社会治理"
        "机制以来,西口回族镇将全镇细化为221个片区举荐任能选聘片长,基层社会治理的深度延伸到了全镇每一个群众。"
        "镇安县西口回族镇在划分了221个片区的同时建立了对应的微信群,在群内解决群众的大小疑难事项。下一步,西口回族镇"
        "将进一步延伸基层社会治理“触角”,探索建立“人在片区走,事在片区评”的治理模式。",
        {"grassroots-governance"},
    ),
    (
        "",
        "疫情防控工作以来,镇安县紧急动员全县各级党组织和广大党员干部奋战在疫情防控最前沿,构筑起群防群治的严密防线,"
        "让党旗在疫情防控斗争第一线高高飘扬。县委把打赢疫情防控阻击战作为重大政治任务,及时成立疫情防控应急指挥部。"
        "充分发挥基层党组织战斗堡垒和党员先锋模范作用,成立临时党支部68个,设立党员先锋岗1681个,5000多名党员干部"
        "踊跃参战、冲锋在前,昼夜值守。153名医生、民警、干部在防控一线递交入党申请书。县委组织部紧急划拨党费51.8万元。",
        {"epidemic", "party-building"},
    ),
    (
        "商城县召开党建统领基层治理工作推进会",
        "4月14日,商城县党建统领基层治理工作推进会召开,积极落实市委关于党建统领基层治理各项工作部署,推进基层治理体系"
        "和治理能力现代化。胡培刚强调,党建统领基层治理,是推进基层治理体系和治理能力现代化建设的全局性、基础性工作。"
        "要夯实基层基础,发挥党建统领作用。积极开展“支部联支部”活动,推行村(社区)网格化管理,把基层党组织建设成为"
        "坚强战斗堡垒,充分发挥网格长、专职网格员、兼职网格员作用,确保网格管理落地见效。",
        {"grassroots-governance", "party-building"},
    ),
    (
        "加快项目建设 确保如期完工 鲁新建调研重点工业项目",
        "4月11日上午,县长鲁新建实地深入县产业集聚区、轻工业园区调研重点工业项目。鲁新建一行先后来到多个投产和开工"
        "项目现场,面对面询问企业诉求和实际困难。鲁新建指出,全县上下牢固树立“项目为王”理念,加大项目谋划力度、加快"
        "项目建设进度。项目业主与参建各方要严格执行施工合同,加快建设进度,保证工程质量,确保项目按期完工,早日投产达效。",
        {"projects"},
    ),
    (
        "党建引领筑防线 ——灵石在实战中检验基层治理能力",
        "10月12日一大早,灵石县行政审批服务管理局党员郭文治来到县城文化艺术中心,当起“红马甲”,担负起全覆盖区域"
        "核酸检测采样现场维持秩序等工作。灵石县以党建为牵引,通过开展抓党建促基层治理能力提升专项行动,促进基层治理"
        "能力与疫情防控工作双提升。全县1590名在职党员干部在全覆盖区域核酸检测采样工作中充分发挥先锋模范作用。"
        "首次实行“1+3”创新模式,即1名网格员带领3名党员干部志愿者担任网格助理员开展工作。",
        {"party-building", "grassroots-governance", "epidemic"},
    ),
    (
        "祁县:以『艺』抗疫 凝聚战疫力量",
        "自祁县发生疫情以来,广大文艺工作者创作、表演、拍摄了一批振奋人心、凝聚力量的文艺作品。祁县广大文艺工作者充分"
        "发挥文艺作品凝聚人心、以文化人的作用,从抗疫的感人事迹中发现创作主题,通过朗诵、音乐、舞蹈等多种形式,反映祁县"
        "儿女众志成城抗击疫情的精神风貌。抗疫主题歌《最美逆行者》由祁县音乐家协会主创。祁县舞蹈家协会组织会员编排了"
        "抗疫舞蹈。",
        {"epidemic", "culture"},
    ),
    (
        "世界粮食日 我们不遗余“粒”",
        "“今天是世界粮食日,学校组织的活动,让我深刻地了解到节约粮食的重要性。”10月16日,在第42个世界粮食日到来之际,"
        "山西农业大学举行了主题宣传活动。该校领导勉励同学们为全国粮食安全宣传教育出一份力。该校学生制作了“世界粮食日”"
        "主题宣传展板,营造出爱粮节粮的浓厚氛围。学校还举办了光盘行动签名活动。“粮食来之不易,珍惜每一粒粮食,拒绝"
        "舌尖上的浪费。”",
        {"food-security"},
    ),
]


@pytest.mark.parametrize("title,body,accepted", SEED_ARTICLES, ids=[a[1][:8] for a in SEED_ARTICLES])
def test_seed_articles_get_an_accepted_theme(title: str, body: str, accepted: set[str]) -> None:
    themes = score_themes(DEFAULT_THEMES, title=title, body=body)
    assert set(themes) & accepted, themes
    assert len(themes) <= 4


def test_focused_articles_get_few_themes() -> None:
    title, body, _ = SEED_ARTICLES[2]  # a projects story
    assert score_themes(DEFAULT_THEMES, title=title, body=body) == ["projects"]
    title, body, _ = SEED_ARTICLES[5]  # forestry
    assert score_themes(DEFAULT_THEMES, title=title, body=body) == ["ecology"]


def test_title_hits_weigh_more_than_body_hits() -> None:
    body = "会议强调要做好疫情防控。" + "全县上下要加快重点项目建设进度。" * 2
    with_title = theme_scores(DEFAULT_THEMES, title="疫情防控工作会议召开", body=body)
    without = theme_scores(DEFAULT_THEMES, title="工作会议召开", body=body)
    assert with_title["epidemic"] > without["epidemic"]
    assert score_themes(DEFAULT_THEMES, title="疫情防控工作会议召开", body=body)[0] == "epidemic"


def test_long_articles_do_not_collect_every_theme() -> None:
    body = "".join(b for _t, b, _a in SEED_ARTICLES)
    themes = score_themes(DEFAULT_THEMES, title="", body=body)
    assert 1 <= len(themes) <= 4


def test_no_keywords_no_themes() -> None:
    assert score_themes(DEFAULT_THEMES, title="春天来了", body="桃花开了，孩子们在草地上放风筝。") == []
    assert score_themes([], title="疫情防控", body="疫情防控") == []


def test_keywords_match_tokens_not_substrings() -> None:
    theme = ThemeSpec("x", "测试", ["党建", "乡村振兴"], "")
    # 党建 as a word counts; 建 after 政党 in 政党建立 does not.
    assert score_themes([theme], title="抓党建促发展", body="") == ["x"]
    assert score_themes([theme], title="", body="多个政党建立了联系。" * 3) == []
    # A keyword jieba would split into several tokens still matches.
    assert score_themes([theme], title="全面推进乡村振兴", body="") == ["x"]


def test_editor_changes_take_effect() -> None:
    themes = [ThemeSpec("a", "甲", ["防汛"], ""), ThemeSpec("b", "乙", ["抗旱"], "")]
    assert score_themes(themes, title="防汛抢险", body="") == ["a"]
    edited = [ThemeSpec("a", "甲", ["防汛"], ""), ThemeSpec("b", "乙", ["抗旱", "抢险"], "")]
    assert set(score_themes(edited, title="防汛抢险", body="")) == {"a", "b"}
    brand_new = [ThemeSpec("c", "丙", ["人盯人机制"], "")]
    assert score_themes(brand_new, title="推行人盯人机制", body="") == ["c"]


def test_extract_keywords_drops_numbers_and_single_characters() -> None:
    title, body, _ = SEED_ARTICLES[2]
    keywords = extract_keywords(title, body)
    assert 1 <= len(keywords) <= 8
    assert "项目" in keywords
    for word in keywords:
        assert len(word) >= 2
        assert not any(ch.isdigit() for ch in word)
    assert len(extract_keywords(title, body, top_k=3)) == 3
    assert extract_keywords("", "") == []


def test_traditional_input_and_keywords() -> None:
    themes = score_themes(DEFAULT_THEMES, title="疫情防控：鎮安縣黨員幹部堅守一線", body="")
    assert set(themes) == {"epidemic", "party-building"}
    traditional = [ThemeSpec("x", "測試", ["黨建"], "")]
    assert score_themes(traditional, title="抓党建促发展", body="") == ["x"]


def test_family_virtue_campaigns_are_civility() -> None:
    body = "经过基层推荐、综合评议,拟表彰以下10户家庭为2020年度“最美家庭”,弘扬好家风,现予以公示。"
    assert "civility" in score_themes(DEFAULT_THEMES, title="2020年度“最美家庭”拟表彰名单公示", body=body)


def test_forest_and_grassland_fire_prevention_is_ecology() -> None:
    # jieba keeps 森林草原 and 护林员 as single tokens, so 森林/护林 alone never match them.
    title = "全旗开展秋季森林草原防火检查"
    body = (
        "9月22日,旗森林草原防火指挥部组成联合检查组,深入重点林区、牧区开展秋季防火专项检查。"
        "检查组查看了防火物资储备、护林员巡护等情况,要求严格落实森林草原防火责任制。"
    )
    assert "ecology" in score_themes(DEFAULT_THEMES, title=title, body=body)


def _hits_by_brute_force(tokens: list[str], keyword_index: dict[str, list[int]]) -> tuple[list[int], list[set[str]]]:
    n_themes = max(i for ids in keyword_index.values() for i in ids) + 1
    counts, distinct = [0] * n_themes, [set() for _ in range(n_themes)]
    for i in range(len(tokens)):
        for j in range(i, min(i + themes_module._MAX_SPAN, len(tokens))):
            span = "".join(tokens[i : j + 1])
            for t in keyword_index.get(span, []):
                counts[t] += 1
                distinct[t].add(span)
    return counts, distinct


def test_keyword_hits_stop_early_only_where_no_keyword_can_match() -> None:
    import random

    keyword_lists = tuple(tuple(theme.keywords) for theme in DEFAULT_THEMES)
    index = themes_module._keyword_index(keyword_lists)
    # Tokens cut from keywords (so spans of several tokens do make keywords) and other words.
    pieces = sorted({word[a:b] for word in index for a in range(len(word)) for b in range(a + 1, len(word) + 1)})
    pieces += ["的", "会议", "召开", "全县", "2024"]
    rng = random.Random(3)
    for _ in range(300):
        tokens = [rng.choice(pieces) for _ in range(rng.randint(0, 60))]
        assert themes_module._hits([tokens], index) == _hits_by_brute_force(tokens, index)
    assert themes_module._hits([["疫", "情", "防", "控"]], index)[0][0] >= 2  # 疫情, 疫情防控 (and 防控)


def test_keyword_pattern_finds_exactly_the_blocks_holding_a_keyword() -> None:
    import random

    keyword_lists = tuple(tuple(theme.keywords) for theme in DEFAULT_THEMES)
    index = themes_module._keyword_index(keyword_lists)
    pattern = themes_module._keyword_pattern(keyword_lists)
    pieces = sorted({word[a:b] for word in index for a in range(len(word)) for b in range(a + 1, len(word) + 1)})
    pieces += ["的", "会议", "召开", "全县", "2024"]
    rng = random.Random(5)
    for _ in range(500):
        block = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 8)))
        assert bool(pattern.search(block)) == any(word in block for word in index), block


def test_keywords_never_match_across_punctuation() -> None:
    # 党，建 is two clauses, not 党建: only tokens within one block make a keyword.
    title, body = "会议", "党，建。" * 40
    assert "party-building" not in themes_module.score_themes(DEFAULT_THEMES, title=title, body=body)
    assert "party-building" in themes_module.score_themes(DEFAULT_THEMES, title="抓党建", body="党建工作。" * 40)
