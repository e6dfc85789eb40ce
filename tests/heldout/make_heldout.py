#!/usr/bin/env python3
"""Writes the held-out ingest files (tests/heldout/files/) and their hand
annotations (tests/heldout/heldout.gold.json).

The pages are written here as readable UTF-8 text in Simplified characters;
each entry says how its file is stored (encoding, line ends, script). Pages
marked ``trad`` are converted to Traditional characters (OpenCC s2tw, which Big5 can encode), and so
are the gold strings that quote them, so the annotation is the same text as
the file. ``pinyin`` pages get a toned gloss after some characters, as the
exports in the seed corpus do.

The gold was written from the intended reading of each page, before the
pipeline was run on it. Run: .venv/bin/python tests/heldout/make_heldout.py
"""

from __future__ import annotations

import json
from pathlib import Path

import opencc

HERE = Path(__file__).resolve().parent
FILES = HERE / "files"
GOLD = HERE / "heldout.gold.json"

_S2T = opencc.OpenCC("s2tw")

# Toned glosses printed after these (Traditional) characters; 們 gets a bare one.
PINYIN = {
    "來": "lái", "縣": "xiàn", "興": "xīng", "帶": "dài", "鄉": "xiāng", "遊": "yóu",
    "記": "jì", "曉": "xiǎo", "創": "chuàng", "舊": "jiù", "農": "nóng",
    "將": "jiāng", "經": "jīng", "濟": "jì", "戶": "hù", "實": "shí", "現": "xiàn",
    "發": "fā", "個": "gè", "營": "yíng", "參": "cān", "務": "wù", "護": "hù",
    "規": "guī", "劃": "huà", "傳": "chuán", "統": "tǒng", "讓": "ràng", "這": "zhè",
    "進": "jìn", "們": "men", "態": "tài", "區": "qū", "嚴": "yán", "歷": "lì",
}


def trad(s):
    if s is None:
        return None
    if isinstance(s, list):
        return [trad(x) for x in s]
    return _S2T.convert(s)


def gloss(text: str) -> str:
    return "".join(ch + (f"({PINYIN[ch]})" if ch in PINYIN else "") for ch in text)


def item(kind, *, title=None, kicker=None, subtitle=None, bylines=None, date=None,
         region=None, themes=None, starts=None, ends, contains=(), excludes=(), simplified_contains=None):
    out = {
        "kind": kind, "kicker": kicker, "title": title, "subtitle": subtitle,
        "bylines": bylines, "date": date, "region_accept": region, "themes_accept": themes,
        "starts": starts, "ends": ends, "contains": list(contains), "excludes": list(excludes),
    }
    if simplified_contains:
        out["simplified_contains"] = simplified_contains
    return out


PAGES = []


def page(name, *, encoding="utf-8", crlf=False, script="hans", pinyin=False, kind, source=None,
         boilerplate=(), text, items):
    PAGES.append(dict(name=name, encoding=encoding, crlf=crlf, script=script, pinyin=pinyin, kind=kind,
                      source=source, boilerplate=list(boilerplate), text=text, items=items))


# ---------------------------------------------------------------------------
# h01: newspaper page with ## headings, kicker stack, notice with issuers,
# continuation with a title, inline photo credit, intertitles, page breaks.
page(
    "h01_markdown_page.txt",
    kind="newspaper page",
    text="""
## 平江县多措并举

## 让春耕备耕跑出“加速度”

本报讯(记者 周立新 通讯员 黄思琪)连日来,平江县抢抓农时,组织农技人员深入田间地头指导春耕备耕,全县早稻育秧工作有序推进。

在三市镇的集中育秧大棚内,一排排秧盘整齐摆放,嫩绿的秧苗破土而出。种粮大户李建国告诉记者,今年他流转了400多亩水田,县里派来的农技员手把手教他们控温控湿,“秧苗长势比往年都好,心里踏实多了。”

为确保春耕生产物资供应充足,平江县农业农村局联合市场监管部门开展农资打假专项行动,对全县农资经营门店进行拉网式检查,共检查门店126家,抽检种子、化肥、农药样品58批次。同时,县里设立22个农资配送

点,将化肥、种子直接送到村组,让农户少跑路、不误农时。

据了解,今年平江县计划完成粮食播种面积62.3万亩,其中早稻面积18.6万亩。县财政安排专项资金1200万元,对集中育秧、机插秧和社会化服务给予补贴,进一步调动农民种粮积极性,为全年粮食丰收打下坚实基础。

岳阳市农业农村局

岳阳市市场监督管理局

## 关于开展春季农资打假专项行动的通告

为切实维护农民合法权益,保障春耕生产顺利进行,根据《中华人民共和国种子法》《农药管理条例》等法律法规,决定在全市范围内开展春季农资打假专项行动。现将有关事项通告如下:

一、行动时间为2021年3月1日至6月30日。

二、重点检查种子、化肥、农药、兽药、饲料等农业投入品的生产经营主体,严厉打击制售假劣农资、无证经营、虚假宣传等违法行为。

三、广大群众购买农资时要到证照齐全的正规门店,索要并保存好购货凭证,发现质量问题及时向有关部门反映。

四、举报电话:农业农村部门12316,市场监管部门12315。对查证属实的举报,将按规定给予奖励。

特此通告。

岳阳市农业农村局

岳阳市市场监督管理局

2021年2月26日

## 平江:以项目建设推动高质量发展

(上接第1版)

围绕产业转型升级,平江县坚持“项目为王”,建立县级领导联系重点项目制度,实行“一个项目、一名领导、一个专班”推进机制。今年全县共安排重点项目86个,总投资达312亿元,其中新开工项目31个。

在平江高新区,食品加工产业园二期项目建设现场塔吊林立,工人们正在进行主体施工。项目负责人介绍,二期建成后可新增就业岗位1500个,年产值预计突破20亿元。

县里还持续优化营商环境,推行企业开办“一窗受理、一日办结”,为项目落地提供全程代办服务,让企业安心投资、放心发展。

3月2日,平江县加义镇的茶农在茶园里采摘明前春茶。近年来,该镇依托山地资源发展有机茶园1.2万亩,带动3000余户茶农增收致富。(特约通讯员 钟凯 摄)

## 让“小网格”释放“大能量”

## ——岳阳楼区推进网格化服务管理纪实

本报记者 彭湘 实习生 吴雨桐

走进岳阳楼区洞庭街道的网格服务站,墙上的网格分布图一目了然,每个网格的网格员姓名、联系电话都标注得清清楚楚。居民有什么烦心事,一个电话就能找到人。

## 划细网格 服务到户

岳阳楼区按照“地域相邻、人员相熟、规模适度”的原则,将全区划分为1260个网格,每个网格配备一名专职网格员,负责信息采集、矛盾调解、政策宣传等工作。“过去社区干部几个人要管几千户,现在网格划小了,情况摸得更清了。”一名社区书记说。

## 队伍下沉 问题不出格

全区组织机关干部下沉网格报到,与网格员结对开展走访。去年以来,网格员累计走访群众4.2万户次,化解邻里纠纷、物业矛盾等各类问题1870余件,做到小事不出网格、大事不出社区。

## 数据赋能 治理更精准

区里搭建网格化服务管理信息平台,网格员通过手机终端上报事件,平台自动分派到相关部门限时办理,办理结果实时反馈给群众。目前,平台事件按时办结率达98%以上,群众满意度持续提升。
""",
    items=[
        item("article", kicker="平江县多措并举", title="让春耕备耕跑出“加速度”", bylines=["周立新", "黄思琪"],
             region=["430626"], themes=["food-security", "rural-revitalization"],
             starts="连日来,平江县抢抓农时", ends="为全年粮食丰收打下坚实基础。",
             contains=["县里设立22个农资配送点,将化肥、种子直接送到村组"], excludes=["本报讯", "岳阳市农业农村局"]),
        item("article", title="关于开展春季农资打假专项行动的通告", bylines=[], date="2021-02-26",
             region=["430600"], themes=["food-security", "rural-revitalization", "economy"],
             starts="为切实维护农民合法权益", ends="2021年2月26日",
             contains=["一、行动时间为2021年3月1日至6月30日。", "特此通告。"], excludes=["平江:以项目建设"]),
        item("continuation", title="平江:以项目建设推动高质量发展", bylines=[],
             region=["430626"], themes=["projects", "economy"],
             starts="围绕产业转型升级,平江县坚持", ends="让企业安心投资、放心发展。",
             excludes=["上接", "加义镇"]),
        item("photo", bylines=["钟凯"], date="2021-03-02", region=["430626"], themes=["rural-revitalization", "economy"],
             starts="3月2日,平江县加义镇的茶农", ends="带动3000余户茶农增收致富。", excludes=["钟凯", "网格"]),
        item("article", title="让“小网格”释放“大能量”", subtitle="岳阳楼区推进网格化服务管理纪实",
             bylines=["彭湘", "吴雨桐"], region=["430602"], themes=["grassroots-governance"],
             starts="走进岳阳楼区洞庭街道的网格服务站", ends="群众满意度持续提升。",
             contains=["划细网格 服务到户", "队伍下沉 问题不出格", "数据赋能 治理更精准", "化解邻里纠纷"],
             excludes=["实习生", "钟凯"]),
    ],
)

# ---------------------------------------------------------------------------
# h02: Traditional text with pinyin glosses, this time with a title and byline.
page(
    "h02_trad_pinyin.txt",
    script="hant",
    pinyin=True,
    kind="traditional-script text with pinyin annotations after characters",
    boilerplate=["(lái)", "(xiàn)", "(xiāng)", "(men)"],
    text="""屏南县:古村复兴带火乡村游
记者 林晓峰 通讯员 陈雅婷
今年以来,屏南县以“文创+旅游”为抓手,盘活闲置古民居,推动传统村落保护与乡村旅游融合发展,全县接待游客人数同比增长三成以上。
文创引领 老屋焕发新生
在熙岭乡龙潭村,一栋栋修缮一新的夯土老屋错落有致,咖啡馆、书屋、油画工作室点缀其间。几年前,这里还是一个常住人口不足两百人的“空心村”。县里引进文创团队,按照“修旧如旧”的原则对老屋进行改造,吸引了一批外地“新村民”前来安家创业。目前,全村已修缮老屋40多栋,入驻新村民100余人。
村民参与 共享发展红利
“以前老屋空着没人住,现在租给新村民,每年还有租金收入。”村民黄美玉说。屏南县探索建立“村集体+村民+新村民”的利益联结机制,村民以房屋、土地入股,参与民宿经营和文创产品销售,他们的日子越过越红火。去年龙潭村村集体经济收入突破50万元。
守住底线 留住乡愁
在推进古村开发的过程中,屏南县坚持保护优先,制定传统村落保护发展规划,建立古建筑修缮技术指导团队,严禁大拆大建。县里还组织开展“古村守护人”评选活动,鼓励村民参与古村巡查和文化传承,让古村在发展中留住原汁原味的乡愁。
""",
    items=[
        item("article", title="屏南县:古村复兴带火乡村游", bylines=["林晓峰", "陈雅婷"],
             region=["350923"], themes=["rural-revitalization", "culture"],
             starts="今年以来,屏南县以“文创+旅游”为抓手", ends="让古村在发展中留住原汁原味的乡愁。",
             contains=["文创引领 老屋焕发新生", "村民参与 共享发展红利", "他们的日子越过越红火"],
             excludes=["(lái)", "(men)", "记者"],
             simplified_contains=["今年以来,屏南县以“文创+旅游”为抓手", "在熙岭乡龙潭村"]),
    ],
)

# ---------------------------------------------------------------------------
# h03: Big5 + CRLF, Traditional page without masthead: title + ——subtitle +
# 记者 X, ellipsis, photo between articles with a credit line below, no year.
page(
    "h03_big5_page.txt",
    encoding="big5",
    crlf=True,
    script="hant",
    kind="newspaper page",
    text="""
金山银山 绿水青山

——遂昌县探索生态产品价值实现路径

记者 叶志远

3月12日,在遂昌县大柘镇的一片竹林里,林农张德福正忙着给新栽的毛竹培土。“林子越养越好,钱袋子也越来越鼓。”他笑着说。

近年来,遂昌县以生态产品价值实现机制试点为契机,探索建立生态资源收储、评估、交易体系,让沉睡的山林资源变成可以抵押、可以交易的“绿色资产”。

……

县里成立生态资源运营公司,对分散的林地、水域等资源进行统一收储和整合提升,再通过招商引资引入社会资本开发。林农既可以拿到租金,又能在家门口务工,还能参与年底分红。

截至目前,全县已完成生态资源收储面积5.6万亩,发放生态贷款2.3亿元,惠及农户4200余户。县林业部门相关负责人表示,下一步将继续完善生态产品价值核算体系,推动更多生态资源转化为发展红利。

春日里的遂昌县湖山乡,油菜花竞相绽放,游客在花海中拍照留念。

通讯员 郑晓敏 摄

遂昌县首批农村文化礼堂星级评定结果揭晓

本报讯(通讯员 吴佳琪)3月10日,遂昌县公布首批农村文化礼堂星级评定结果,全县共有28家农村文化礼堂获评五星级,45家获评四星级。

近年来,遂昌县把农村文化礼堂建设作为推进新时代文明实践的重要载体,按照“建管用育”一体化思路,持续完善礼堂功能,常态化开展文艺演出、道德讲堂、技能培训等活动。

此次评定采取乡镇自评、实地察看、群众测评相结合的方式,重点考察场地设施、活动开展、队伍建设和群众满意度等内容。县委宣传部有关负责人介绍,星级评定结果将与以奖代补资金挂钩,实行动态管理,有进有退。
""",
    items=[
        item("article", title="金山银山 绿水青山", subtitle="遂昌县探索生态产品价值实现路径", bylines=["叶志远"],
             date="--03-12", region=["331123"], themes=["ecology", "rural-revitalization"],
             starts="3月12日,在遂昌县大柘镇的一片竹林里", ends="推动更多生态资源转化为发展红利。",
             contains=["……", "还能参与年底分红。"], excludes=["油菜花", "文化礼堂"]),
        item("photo", bylines=["郑晓敏"], region=["331123"],
             starts="春日里的遂昌县湖山乡", ends="游客在花海中拍照留念。", excludes=["通讯员", "文化礼堂"]),
        item("article", title="遂昌县首批农村文化礼堂星级评定结果揭晓", bylines=["吴佳琪"], date="--03-10",
             region=["331123"], themes=["culture", "civility"],
             starts="3月10日,遂昌县公布首批农村文化礼堂", ends="实行动态管理,有进有退。",
             excludes=["本报讯", "油菜花"]),
    ],
)

# ---------------------------------------------------------------------------
# h04: GBK + CRLF web page of a county news site.
page(
    "h04_gbk_web.txt",
    encoding="gbk",
    crlf=True,
    kind="web page text dump",
    source="洪雅新闻网",
    boilerplate=["当前位置", "字体", "分享到", "责任编辑", "上一篇", "下一篇", "扫一扫", "洪雅县举办首届茶文化节",
                 "版权所有", "蜀ICP备", "政务公开", "来源:眉山日报", "广场路18号"],
    text="""洪雅新闻网
首页 | 新闻中心 | 政务公开 | 乡镇动态 | 图片新闻 | 视频洪雅 | 专题专栏
当前位置:首页 > 新闻中心 > 乡镇动态

洪雅县:茶旅融合绘就乡村振兴新图景
来源:眉山日报  作者:杨帆  发布时间:2021-04-16 10:20
【字体:大 中 小】

    四月的洪雅,满山茶园层层叠叠,采茶工穿梭其间,一派繁忙景象。在止戈镇的一家茶叶加工厂里,杀青、揉捻、烘干等工序有条不紊,新茶的清香扑面而来。

    洪雅县是全省茶叶主产区之一,全县茶园面积达22万亩。近年来,该县立足资源禀赋,坚持“以茶促旅、以旅兴茶”,把茶园变景区、茶山变公园,打造了一批集采茶体验、茶艺展示、民宿康养于一体的茶旅融合示范点。

    “每到周末,来茶园体验采茶的游客特别多,我们家的民宿经常要提前预订。”止戈镇一家民宿的经营者王丽说,去年民宿收入比前年增加了近一倍。

    为做强茶产业链条,洪雅县引进和培育茶叶加工龙头企业12家,建成标准化茶叶加工厂房36座,带动茶农户均增收5000余元。下一步,洪雅县将继续深化茶旅融合,擦亮“洪雅绿茶”品牌,让小茶叶成为群众增收致富的大产业。

分享到:
责任编辑:刘静
上一篇:洪雅县召开2021年安全生产工作会议
下一篇:中山乡开展春季森林防火宣传活动
扫一扫在手机打开当前页
相关新闻
· 洪雅县举办首届茶文化节
· 止戈镇:小茶叶撬动大产业
· 洪雅县春季茶叶开采
Copyright(C)2021 洪雅新闻网 All Rights Reserved  蜀ICP备12345678号
地址:洪雅县洪川镇广场路18号  电话:028-37402222
""",
    items=[
        item("article", title="洪雅县:茶旅融合绘就乡村振兴新图景", bylines=["杨帆"], date="2021-04-16",
             region=["511423"], themes=["rural-revitalization", "economy"],
             starts="四月的洪雅,满山茶园层层叠叠", ends="让小茶叶成为群众增收致富的大产业。",
             contains=["去年民宿收入比前年增加了近一倍。"], excludes=["分享到", "相关新闻"]),
    ],
)

# ---------------------------------------------------------------------------
# h05: UTF-8 with BOM + CRLF, newspaper page with masthead, 第02版:, page date,
# credits, issue number, 本报X讯 lede, 导读 teasers, 协办 footer.
page(
    "h05_bom_masthead_page.txt",
    encoding="utf-8-sig",
    crlf=True,
    kind="newspaper page",
    source="吉安日报",
    boilerplate=["责任编辑", "美编", "第9876期", "本期导读", "老旧小区改造惠民生", "▶▶第3版", "协办",
                 "泰和县融媒体中心", "第02版"],
    text="""吉安日报

第02版:综合新闻

2021年3月5日 星期五

责任编辑:肖文华  美编:罗婷  校对:王敏

第9876期

聚焦“我为群众办实事”

永丰县“三项机制”激活基层治理末梢

本报永丰讯(记者 曾志强 通讯员 邓慧)3月2日,永丰县佐龙乡的村民刘大爷在家门口就办好了养老保险资格认证。“以前要跑到乡里,现在网格员上门服务,方便多了。”刘大爷说。

今年以来,永丰县建立“网格员上门、部门联动、限时办结”三项机制,推动服务资源向村组下沉。全县划分基础网格1860个,配备专兼职网格员2100余名,网格员每周至少走访一次农户,及时收集群众诉求。

对网格员收集上来的问题,县里实行分级分类处置,能在村里解决的当场解决,需要部门办理的由县社会治理中心统一交办,明确办理时限,办理情况纳入部门年度考核。

截至目前,全县通过三项机制收集群众诉求3200余条,办结率达96%,一批群众急难愁盼问题得到有效解决。

泰和县:春耕备耕正当时

通讯员 康乐 记者 周敏

眼下正值春耕备耕关键时期,泰和县各地抢抓农时,田间地头处处是忙碌的身影。在马市镇的一处高标准农田里,几台旋耕机来回穿梭,翻耕后的土地平整松软。

泰和县今年计划种植早稻28万亩,为保障春耕顺利开展,县农业农村局组织50余名农技人员组成服务小分队,分片包干指导育秧、施肥和病虫害防治,同时开展农机检修和操作培训,确保农机具以良好状态投入生产。

县里还积极引导种粮大户、家庭农场开展集中育秧和代耕代种服务,有效解决了部分农户劳力不足的难题。

吉安市开展学雷锋志愿服务月活动

本报讯(通讯员 胡斌)3月5日是学雷锋纪念日,连日来,吉安市各地志愿服务队走进社区、敬老院、学校,开展义诊、理发、环境整治等志愿服务活动,全市共有2.6万名志愿者参与。

活动期间,市文明办还组织开展“最美志愿者”寻访活动,推出一批身边的志愿服务典型,营造人人参与志愿服务的良好氛围。

本期导读

吉州区:老旧小区改造惠民生

▶▶第3版

青原区举办春季招聘会

▶▶第4版

中共泰和县委宣传部

泰和县融媒体中心

协办
""",
    items=[
        item("article", kicker="聚焦“我为群众办实事”", title="永丰县“三项机制”激活基层治理末梢",
             bylines=["曾志强", "邓慧"], date="2021-03-05", region=["360825"], themes=["grassroots-governance"],
             starts="3月2日,永丰县佐龙乡的村民刘大爷", ends="一批群众急难愁盼问题得到有效解决。",
             excludes=["本报永丰讯", "泰和县"]),
        item("article", title="泰和县:春耕备耕正当时", bylines=["康乐", "周敏"], date="2021-03-05",
             region=["360826"], themes=["food-security", "rural-revitalization"],
             starts="眼下正值春耕备耕关键时期,泰和县各地抢抓农时", ends="有效解决了部分农户劳力不足的难题。",
             excludes=["学雷锋"]),
        item("article", title="吉安市开展学雷锋志愿服务月活动", bylines=["胡斌"], date="2021-03-05",
             region=["360800"], themes=["volunteering", "civility"],
             starts="3月5日是学雷锋纪念日", ends="营造人人参与志愿服务的良好氛围。",
             excludes=["本期导读", "吉州区", "青原区"]),
    ],
)

# ---------------------------------------------------------------------------
# h06: page without masthead: title + ——subtitle + 本报记者 X Y, ellipsis line,
# 通讯员 X 记者 Y, photo with a credit line below, an article signed off at
# the end, dates without year.
page(
    "h06_no_masthead_page.txt",
    kind="newspaper page",
    text="""山沟沟里飞出“金凤凰”

——阜平县发展特色产业助农增收见闻

本报记者 赵静 李明轩

11月3日清晨,阜平县龙泉关镇骆驼湾村的食用菌大棚里,村民们正忙着采摘香菇。一朵朵香菇肉厚柄短,品相喜人。“一个棚一年能挣三四万元,比外出打工强。”村民唐宗秀一边分拣一边说。

……

阜平县地处太行山深处,山场面积大、耕地少,过去群众增收门路不多。近年来,该县因地制宜发展食用菌、高效林果等特色产业,采取“龙头企业+合作社+农户”模式,由企业负责技术指导和统一销售,合作社组织生产,农户务工或承包大棚,形成了利益共享的产业链条。

如今,阜平县食用菌种植规模已达1.8万亩,年产值突破15亿元,带动当地群众人均年增收4000多元。不少外出务工的年轻人也回到家乡,在产业园里当起了技术员、销售员。

“下一步,我们将延伸产业链条,发展香菇酱、菌菇脆片等深加工产品,让群众在家门口就能稳定增收。”阜平县农业农村局负责人说。

涞源县开展冬季供暖安全大检查

通讯员 王海涛 记者 孙丽

11月5日,涞源县住房和城乡建设局联合应急管理、市场监管等部门,对县城各供热企业和换热站开展冬季供暖安全大检查。

检查组深入锅炉房、换热站,详细查看设备运行、燃料储备、应急预案和值班值守等情况,对发现的安全隐患当场下达整改通知,要求限期整改到位。

涞源县今年新增集中供热面积12万平方米,县城集中供热普及率达到92%。相关部门将加强供热运行监管,开通24小时服务热线,及时回应群众诉求,确保群众温暖过冬。

11月6日,阜平县城南庄镇的农民在温室大棚里采收香菇,准备发往京津市场。

通讯员 高建平 摄

阜平县新增两条农村客运线路

11月4日,阜平县新开通县城至天生桥镇、县城至史家寨乡两条农村客运线路,沿线12个村的群众出行更加方便。

据介绍,新线路投入6辆新能源公交车,每天往返各8个班次,票价最高不超过5元。县交通运输局还在沿线村设置候车亭和站牌,方便群众候车乘车。(记者 赵静)
""",
    items=[
        item("article", title="山沟沟里飞出“金凤凰”", subtitle="阜平县发展特色产业助农增收见闻",
             bylines=["赵静", "李明轩"], date="--11-03", region=["130624"],
             themes=["rural-revitalization", "economy"],
             starts="11月3日清晨,阜平县龙泉关镇骆驼湾村", ends="让群众在家门口就能稳定增收。”阜平县农业农村局负责人说。",
             contains=["……"], excludes=["涞源县", "本报记者"]),
        item("article", title="涞源县开展冬季供暖安全大检查", bylines=["王海涛", "孙丽"], date="--11-05",
             region=["130630"], starts="11月5日,涞源县住房和城乡建设局", ends="确保群众温暖过冬。",
             excludes=["城南庄镇", "通讯员"]),
        item("photo", bylines=["高建平"], date="--11-06", region=["130624"],
             starts="11月6日,阜平县城南庄镇的农民", ends="准备发往京津市场。", excludes=["客运线路"]),
        item("article", title="阜平县新增两条农村客运线路", bylines=["赵静"], date="--11-04",
             region=["130624"], starts="11月4日,阜平县新开通县城至天生桥镇", ends="方便群众候车乘车。",
             excludes=["高建平", "香菇"]),
    ],
)

# ---------------------------------------------------------------------------
# h07: masthead page, A3版, (下转A4版) mid-sentence, titled continuation
# (上接A1版), caption with a bare credit "本报记者 X 摄", brief without
# headline after an article.
page(
    "h07_a3_page.txt",
    kind="newspaper page",
    source="天水晚报",
    boilerplate=["本版编辑", "A3版", "县区新闻", "下转A4版", "上接A1版"],
    text="""天水晚报

2021年6月18日  星期五

A3版 县区新闻

本版编辑:李娜  校对:张伟

秦安县蜜桃喜获丰收

本报讯(记者 马丽娟)眼下,秦安县20万亩蜜桃陆续成熟上市,各乡镇桃园里果香四溢,果农们忙着采摘、分拣、装箱,一车车新鲜蜜桃从田间地头发往全国各地。

近年来,秦安县把蜜桃产业作为富民强县的主导产业,大力推广矮化密植、水肥一体化等技术,建成标准化示范园32个。同时,该县搭建电商服务平台,培育本土网红主播,通过直播带货拓宽销售渠道,今年以来线上销售蜜桃已超过3000吨。

为进一步提升蜜桃品牌影响力,秦安县还将举办蜜桃采摘节、果品展销会等系列活动,并持续推进(下转A4版)

甘谷县:辣椒产业链越拉越长

(上接A1版)

在甘谷县大像山镇的一家辣椒加工企业,工人们正在流水线上忙着分装辣椒面。企业负责人介绍,公司与周边2000多户椒农签订订单收购协议,实行保底价收购,让椒农种植吃下“定心丸”。

甘谷县辣椒种植历史悠久,目前全县种植面积稳定在10万亩左右。县里围绕辣椒育苗、种植、加工、销售全产业链发力,建成辣椒加工企业15家,开发辣椒酱、辣椒面、火锅底料等产品20多个。

6月16日,麦积区甘泉镇的果农在樱桃园里采摘大樱桃。该镇种植大樱桃1.5万亩,今年产量预计达到8000吨。本报记者 马丽娟 摄

麦积区举办“夏季送凉爽”活动

本报讯(通讯员 何建军 赵倩)6月17日,麦积区总工会走进重点项目建设工地,为一线职工送去防暑降温物品,并开展安全生产宣传。

活动中,工作人员为职工们送去了绿豆、白糖、藿香正气水等防暑降温用品,叮嘱大家合理安排作业时间,做好自我防护,确保安全施工。

本报讯(记者 马丽娟)6月17日,秦安县举办2021年蜜桃产销对接会,来自北京、上海、广州等地的30余家采购商与当地合作社现场签约,签约金额达1.2亿元。
""",
    items=[
        item("article", title="秦安县蜜桃喜获丰收", bylines=["马丽娟"], date="2021-06-18",
             region=["620522"], themes=["rural-revitalization", "economy"],
             starts="眼下,秦安县20万亩蜜桃陆续成熟上市", ends="并持续推进",
             excludes=["下转", "甘谷县"]),
        item("continuation", title="甘谷县:辣椒产业链越拉越长", bylines=[], date="2021-06-18",
             region=["620523"], themes=["economy", "rural-revitalization"],
             starts="在甘谷县大像山镇的一家辣椒加工企业", ends="开发辣椒酱、辣椒面、火锅底料等产品20多个。",
             excludes=["上接", "樱桃"]),
        item("photo", bylines=["马丽娟"], date="2021-06-18", region=["620503"],
             starts="6月16日,麦积区甘泉镇的果农", ends="今年产量预计达到8000吨。",
             excludes=["本报记者", "防暑降温"]),
        item("article", title="麦积区举办“夏季送凉爽”活动", bylines=["何建军", "赵倩"], date="2021-06-18",
             region=["620503"], starts="6月17日,麦积区总工会走进重点项目建设工地", ends="确保安全施工。",
             excludes=["产销对接会"]),
        item("article", bylines=["马丽娟"], date="2021-06-18", region=["620522"],
             starts="6月17日,秦安县举办2021年蜜桃产销对接会", ends="签约金额达1.2亿元。",
             excludes=["本报讯", "防暑降温"]),
    ],
)

# ---------------------------------------------------------------------------
# h08: web page of a county government site, CRLF, info line with 文章来源
# / 作者 / 发布时间, intertitles, related links, government-site footer.
page(
    "h08_gov_web.txt",
    crlf=True,
    kind="web page text dump",
    boilerplate=["网站首页", "您现在的位置", "文章来源", "点击数", "打印本页", "上一篇", "下一篇", "相关链接",
                 "网站标识码", "鲁ICP备", "主办:", "汶河两岸"],
    text="""沂南县人民政府
网站首页  政务公开  新闻中心  政务服务  互动交流  走进沂南
您现在的位置:首页 > 新闻中心 > 乡镇动态
依汶镇:“小积分”兑出乡村文明“大风尚”
文章来源:依汶镇  作者:王晓燕  发布时间:2021-06-18  点击数:
　　“我这个月参加了两次志愿服务,还被评上了‘美丽庭院’,攒了60个积分,换了一袋面粉和一桶油。”6月15日,在依汶镇的一家村级积分超市里,村民刘秀兰高兴地说。
　　今年以来,依汶镇在全镇推行乡村文明积分制管理,围绕孝老爱亲、环境卫生、志愿服务、移风易俗等方面制定积分细则,村民的日常表现都可以兑换成积分,凭积分到积分超市兑换生活用品。
　　积分怎么评
　　各村成立由村干部、党员代表、群众代表组成的评议小组,每月对村民表现进行评议打分,评议结果在村务公开栏张榜公示,接受群众监督。
　　文明怎么兴
　　“积分制让大家比着做好事,村里的环境越来越好,邻里之间也更和睦了。”村党支部书记说。目前,全镇已建成积分超市46处,累计兑换积分12万分,参与农户达1.3万户,文明乡风正在依汶大地蔚然成风。
【打印本页】【关闭窗口】
上一篇:沂南县召开全县安全生产工作会议
下一篇:双堠镇开展防汛应急演练
相关链接
· 汶河两岸美丽乡村建设提速
· 沂南县开展文明家庭评选
主办:沂南县人民政府办公室  承办:沂南县大数据中心
网站标识码:3713210001  鲁ICP备05012345号  鲁公网安备 37132102000123号
""",
    items=[
        item("article", title="依汶镇:“小积分”兑出乡村文明“大风尚”", bylines=["王晓燕"], date="2021-06-18",
             region=["371321"], themes=["civility"],
             starts="“我这个月参加了两次志愿服务", ends="文明乡风正在依汶大地蔚然成风。",
             contains=["积分怎么评", "文明怎么兴"], excludes=["打印本页"]),
    ],
)

# ---------------------------------------------------------------------------
# h09: GBK page with 版次 and page date but no masthead: a government notice
# (issuer above the title), a 公示 with a list of names, a brief.
page(
    "h09_gbk_notices.txt",
    encoding="gbk",
    kind="newspaper page",
    boilerplate=["第3版", "星期三", "责编"],
    text="""第3版:公告·综合

2021年1月20日 星期三

责编:储小兰

霍山县人民政府

关于春节期间城区禁止燃放烟花爆竹的通告

为保护生态环境,预防火灾事故,保障人民群众生命财产安全,根据《烟花爆竹安全管理条例》等有关规定,结合我县实际,现就春节期间城区禁止燃放烟花爆竹有关事项通告如下:

一、禁止燃放区域为县城规划区范围内的衡山镇、经济开发区所辖区域。

二、禁止燃放期间,任何单位和个人不得在禁放区域内销售、储存、燃放烟花爆竹。

三、对违反本通告规定的,由公安机关依法予以处罚;构成犯罪的,依法追究刑事责任。

四、本通告自发布之日起施行。

霍山县人民政府

2021年1月18日

霍山县2020年度“最美家庭”拟表彰名单公示

根据县妇联《关于开展2020年度“最美家庭”寻访活动的通知》要求,经过基层推荐、资格审查、综合评议,拟表彰以下10户家庭为霍山县2020年度“最美家庭”,现予以公示。

王德明家庭  李秀英家庭  陈家富家庭  储有才家庭  汪桂兰家庭

程立新家庭  胡玉梅家庭  刘长江家庭  吴其凤家庭  张大勇家庭

公示期为2021年1月20日至1月26日。如有异议,请在公示期内向县妇联反映。

联系电话:0564-5022163

霍山县妇女联合会

2021年1月19日

霍山县召开2021年经济工作会议

本报讯(记者 储成龙)1月16日,霍山县召开2021年经济工作会议,总结2020年经济工作,分析当前经济形势,部署2021年经济工作任务。

会议指出,2020年,全县上下统筹推进疫情防控和经济社会发展,地区生产总值增长4.1%,经济运行稳中向好。

会议要求,2021年要坚持稳中求进工作总基调,聚焦项目建设、产业升级、招商引资等重点工作,扎实做好“六稳”工作、全面落实“六保”任务,确保“十四五”开好局、起好步。
""",
    items=[
        item("article", title="关于春节期间城区禁止燃放烟花爆竹的通告", bylines=[], date="2021-01-20",
             region=["341525"], starts="为保护生态环境,预防火灾事故", ends="2021年1月18日",
             contains=["四、本通告自发布之日起施行。"], excludes=["最美家庭"]),
        item("article", title="霍山县2020年度“最美家庭”拟表彰名单公示", bylines=[], date="2021-01-20",
             region=["341525"], themes=["civility"],
             starts="根据县妇联《关于开展2020年度“最美家庭”寻访活动的通知》", ends="2021年1月19日",
             contains=["王德明家庭", "张大勇家庭", "联系电话:0564-5022163", "霍山县妇女联合会"],
             excludes=["经济工作会议"]),
        item("article", title="霍山县召开2021年经济工作会议", bylines=["储成龙"], date="2021-01-20",
             region=["341525"], themes=["economy"],
             starts="1月16日,霍山县召开2021年经济工作会议", ends="确保“十四五”开好局、起好步。",
             excludes=["本报讯", "妇女联合会"]),
    ],
)

# ---------------------------------------------------------------------------
# h10: Big5 Traditional masthead page: 第A05版:, credits, kicker+title,
# title+——subtitle+本报记者, photo with inline credit at the end of the page.
page(
    "h10_big5_masthead.txt",
    encoding="big5",
    script="hant",
    kind="newspaper page",
    source="桂林晚报",
    boilerplate=["责任编辑", "校对", "第A05版", "星期四"],
    text="""桂林晚报

2021年9月23日 星期四

第A05版:县域经济

责任编辑:苏敏  校对:韦华

梯田稻谷黄 丰收歌声扬

龙胜各族自治县举办庆祝中国农民丰收节活动

本报讯(记者 蒙丽华)9月22日,龙胜各族自治县在龙脊镇举办庆祝中国农民丰收节活动,来自各乡镇的农民群众身着民族服装,载歌载舞庆丰收。

活动现场,农民们开展了抢收稻谷、背篓挑担等趣味农事比赛,展示了龙脊辣椒、罗汉果、红糯米等特色农产品。不少游客一边观看表演,一边选购土特产,现场一片欢声笑语。

近年来,龙胜各族自治县依托梯田资源发展生态农业和乡村旅游,走出了一条农旅融合的发展路子。今年全县粮食种植面积稳定在11万亩以上,特色产业覆盖农户2.8万户。

民族村寨换新颜

——龙胜各族自治县推进乡村建设见闻

本报记者 覃建国

走进龙胜各族自治县和平乡的一个壮族村寨,青石板路干净整洁,木楼错落有致,村民在房前屋后种上了花草,处处是美丽的风景。

这两年,村里开展人居环境整治,拆除危旧房和乱搭乱建,建设污水处理设施和垃圾收集点,还组织村民制定村规民约,定期评比“清洁户”。

“以前村里脏乱差,游客来了也留不住。现在环境好了,来吃农家饭、住民宿的游客多了,大家的收入也增加了。”村民潘玉兰说。

9月21日,游客在龙胜各族自治县龙脊梯田景区观赏金色稻田。(记者 蒙丽华 摄)
""",
    items=[
        item("article", kicker="梯田稻谷黄 丰收歌声扬", title="龙胜各族自治县举办庆祝中国农民丰收节活动",
             bylines=["蒙丽华"], date="2021-09-23", region=["450328"],
             themes=["rural-revitalization", "culture", "food-security"],
             starts="9月22日,龙胜各族自治县在龙脊镇举办", ends="特色产业覆盖农户2.8万户。",
             excludes=["本报讯", "民族村寨"]),
        item("article", title="民族村寨换新颜", subtitle="龙胜各族自治县推进乡村建设见闻", bylines=["覃建国"],
             date="2021-09-23", region=["450328"], themes=["rural-revitalization", "civility"],
             starts="走进龙胜各族自治县和平乡的一个壮族村寨", ends="大家的收入也增加了。”村民潘玉兰说。",
             excludes=["龙脊梯田景区观赏"]),
        item("photo", bylines=["蒙丽华"], date="2021-09-23", region=["450328"],
             starts="9月21日,游客在龙胜各族自治县龙脊梯田景区", ends="观赏金色稻田。", excludes=["潘玉兰"]),
    ],
)

# ---------------------------------------------------------------------------
# h11: web page of a county portal: date-first info line, 编辑 credit,
# 图为 caption inside the article, share/QR prompts, footer.
page(
    "h11_portal_web.txt",
    kind="web page text dump",
    source="兰西县人民政府网",
    boilerplate=["当前位置", "字体", "分享到", "扫一扫", "打印本页", "关闭窗口", "版权所有", "黑ICP备", "本地新闻"],
    text="""当前位置:首页 > 新闻中心 > 本地新闻

兰西县:亚麻产业迎来发展新机遇

2021-07-12 09:35:18  来源:兰西县融媒体中心  编辑:张敏  【字体:大 中 小】

　　盛夏时节,兰西县的亚麻田里一片翠绿,亚麻长势喜人。在兰西镇的亚麻种植基地,农民们正在田间除草、追肥,为丰收做好准备。

　　兰西县素有“亚麻之乡”的美誉,亚麻种植和加工历史悠久。近年来,该县通过恢复亚麻种植、引进纺织企业、建设产业园区,推动亚麻产业重新焕发生机。今年全县亚麻种植面积达到3万亩,较去年翻了一番。

　　图为农民在亚麻田里查看长势。

　　在兰西县亚麻纺织产业园,一台台纺纱设备高速运转。园区负责人介绍,目前园区已入驻亚麻纺织企业8家,形成了从原麻加工到纺纱、织布、服装的完整产业链,带动当地2000多人就业。

　　下一步,兰西县将继续扩大亚麻种植规模,加大招商引资力度,打造全国重要的亚麻产业基地。

分享到:
扫一扫在手机打开当前页
【打印本页】 【关闭窗口】
兰西县人民政府网 版权所有  黑ICP备09012345号
""",
    items=[
        item("article", title="兰西县:亚麻产业迎来发展新机遇", bylines=[], date="2021-07-12",
             region=["231222"], themes=["economy", "rural-revitalization", "projects"],
             starts="盛夏时节,兰西县的亚麻田里一片翠绿", ends="打造全国重要的亚麻产业基地。",
             contains=["图为农民在亚麻田里查看长势。", "带动当地2000多人就业。"],
             excludes=["编辑:张敏", "来源:"]),
    ],
)


def build() -> None:
    FILES.mkdir(parents=True, exist_ok=True)
    gold = {
        "schema": 1,
        "about": "Held-out pages in the styles of the seed corpus, from other papers and places; same schema "
        "and conventions as tests/seeds.gold.json. Written by tests/heldout/make_heldout.py.",
        "themes": json.load(open(HERE.parent / "seeds.gold.json", encoding="utf-8"))["themes"],
        "files": {},
    }
    for p in PAGES:
        text = p["text"]
        conv = trad if p["script"] == "hant" else (lambda s: s)
        if p["script"] == "hant":
            text = trad(text)
        if p["pinyin"]:
            text = gloss(text)
        if p["crlf"]:
            text = text.replace("\n", "\r\n")
        (FILES / p["name"]).write_bytes(text.encode(p["encoding"]))
        items = []
        for it in p["items"]:
            it = dict(it)
            for key in ("title", "kicker", "subtitle", "starts", "ends", "bylines", "contains"):
                it[key] = conv(it[key])
            # Excludes name what must be gone: glosses and Simplified words stay as written.
            it["excludes"] = [x if x.startswith("(") else conv(x) for x in it["excludes"]]
            items.append(it)
        gold["files"][p["name"]] = {
            "kind": p["kind"],
            "source": conv(p["source"]),
            "boilerplate": [b if b.startswith("(") else conv(b) for b in p["boilerplate"]],
            "items": items,
        }
    GOLD.write_text(json.dumps(gold, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    build()
