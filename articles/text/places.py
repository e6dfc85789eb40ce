"""Gazetteer of Chinese administrative divisions and region resolution for articles.

The gazetteer is built from the NBS division CSVs in articles/data/regions/.
Region resolution scans simplified text for place names (longest match first),
disambiguates duplicate names by co-mentioned places and the file's context,
resolves generic references (全市, 县委, 我省 ...) through that context and
picks the most specific place the article is confidently about.
"""

from __future__ import annotations

import csv
import math
import re
from collections import defaultdict
from functools import lru_cache
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

PROVINCE = "province"
CITY = "city"
COUNTY = "county"
TOWNSHIP = "township"
LEVELS = (PROVINCE, CITY, COUNTY, TOWNSHIP)

DEFAULT_DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "regions"


@dataclass(frozen=True)
class Place:
    """One administrative division: 6-digit code (9 digits for townships)."""

    code: str
    name: str
    short_name: str
    level: str  # PROVINCE, CITY, COUNTY or TOWNSHIP
    parent_code: str | None


@dataclass
class PlaceContext:
    """The dominant places of a whole file, used to resolve generic references."""

    province: str | None = None
    city: str | None = None
    county: str | None = None
    primary: str | None = None  # most specific confident place of the file
    weights: dict[str, float] = field(default_factory=dict)  # subtree weight per code

    def codes(self) -> list[str]:
        """The context codes, most specific first."""
        return [c for c in (self.county, self.city, self.province) if c]


# --- names -----------------------------------------------------------------

# How a surface form relates to its place; a full name beats an alias beats a
# short name when the evidence for two candidates is otherwise equal.
_FULL, _ALIAS, _SHORT = 3, 2, 1

_ETHNIC_GROUPS = (
    "蒙古", "回", "藏", "维吾尔", "苗", "彝", "壮", "布依", "朝鲜", "满", "侗", "瑶",
    "白", "土家", "哈尼", "哈萨克", "傣", "黎", "傈僳", "佤", "畲", "高山", "拉祜",
    "水", "东乡", "纳西", "景颇", "柯尔克孜", "土", "达斡尔", "仫佬", "羌", "布朗",
    "撒拉", "毛南", "仡佬", "锡伯", "阿昌", "普米", "塔吉克", "怒", "乌孜别克",
    "俄罗斯", "鄂温克", "德昂", "保安", "裕固", "京", "塔塔尔", "独龙", "鄂伦春",
    "赫哲", "门巴", "珞巴", "基诺",
)
# Autonomous names drop 族 for multi-character groups (伊犁哈萨克自治州), never
# for one-character ones, where a bare 回/苗 could be part of the real name.
_ETHNIC_TOKENS = tuple(
    sorted(
        {g + "族" for g in _ETHNIC_GROUPS} | {g for g in _ETHNIC_GROUPS if len(g) >= 2} | {"各族"},
        key=len,
        reverse=True,
    )
)

# (suffix, minimum length of what remains) in the order they are tried.
_SUFFIXES = {
    PROVINCE: (("自治区", 2), ("省", 2), ("市", 2)),
    CITY: (("自治州", 2), ("地区", 2), ("盟", 2), ("市", 2)),
    # 林区 only for 神农架林区: 万柏林区 is 万柏林, not 万柏.
    COUNTY: (("自治县", 2), ("自治旗", 2), ("新区", 2), ("矿区", 2), ("林区", 3),
             ("特区", 2), ("区", 2), ("县", 2), ("市", 2), ("旗", 2)),
    TOWNSHIP: (("民族乡", 2), ("民族镇", 2), ("街道", 2), ("苏木", 2), ("地区", 2),
               ("乡", 2), ("镇", 2)),
}

# Placeholder rows of cities.csv: their counties hang directly off the province.
_PLACEHOLDER_CITIES = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}

# Township-level names that are administrative (not farms, zones, 林场 ...).
_TOWNSHIP_MATCH_SUFFIXES = ("镇", "乡", "街道", "苏木")

# Short names that are everyday words in news prose (新建项目, 乡村振兴, 比如,
# 公安局, 市中心, 城区 ...): never matched. Their full names still match, but
# only when a co-mentioned place confirms them (新建区 vs 新建区域). Curated from
# the short names jieba's dictionary knows as frequent non-place words.
STOP_SHORT_NAMES = frozenset(
    """
    城区 郊区 矿区 新城 城关 城中 城东 城西 城南 城北 市中 市南 市北 铁西 铁东 桥西
    桥东 路南 路北 中原 中方 新华 新建 和平 平安 东方 公安 合作 通道 互助 长寿 安居
    乐业 友好 友谊 前进 向阳 东风 红旗 复兴 振兴 安定 富民 惠民 惠农 新兴 光明 解放
    资源 比如 南部 港口 共和 延长 万年 工农 富裕 清水 高明 前锋 清新 宏伟 大方 威信
    名山 台前 大观 同心 小店 元宝 平房 灯塔 天涯 回民 老城 爱民 三元 平原 古城 全州
    会同 高台 安宁 南岸 丰满 温泉 和政 上街
    """.split()
)

# Short names that are places but also common words or very common elsewhere
# (长安, 朝阳, 金山银山, 来宾, 安康 ...): matched only when a co-mentioned place
# or the file's context confirms them (their city for a county, their province
# for a city).
SOFT_SHORT_NAMES = frozenset(
    """
    武功 凤凰 运河 大名 平定 芙蓉 梁山 洞口 阿里 太和 石门 日照 金台 建平 莲花 黄龙
    六合 石柱 龙泉 白云 西华 桃源 当阳 建华 文昌 白银 三门 建安 永和 五峰 金山 方城
    凤山 石棉 永福 永新 华容 石龙 双桥 月湖 文峰 九龙 二道 无为 玄武 民权 宝塔 万安
    定远 太白 白玉 大兴 木兰 七星 海棠 来宾 博爱 同仁 钟楼 江岸 盘龙 马尾 金门 弥勒
    黑水 龙凤 鼓楼 湖里 上党 大通 白杨 麒麟 海盐 新民 安康 钟山 灵台 清流 水城 龙口
    安达 紫金 文成 建宁 玉龙 高平 钢城 龙华 丰润 鸡冠 安平 马龙 贺兰 江华 永年 黄梅
    集美 永定 宝丰 乐平 政和 文山 康乐 天长 双峰 武义 周村 莲池 新田 平顺 五常 安化
    八步 仁和 盐田 牧野 玉田 开远 永胜 民丰 未央 华安 文安 义马 永顺 船山 定日 南皮
    铁山 大英 多伦 城厢 内黄 仙游 龙游 马边 金安 金乡 嘉陵 静乐 秀英 武定 林口 明光
    隆安 金塔 曲水 新源 斗门 文水 华龙 交口 上思 进贤 洪江 新化 山亭 始兴 大丰 五华
    云梦 乐昌 奉新 吉隆 北辰 修武 修文 雨花 明水 天全 高要 高安 金水 金堂 普兰 安仁
    子长 商水 双城 隆昌 武平 安远 定兴 平远 固安 东光 东丽 资中 管城 广宗 东源 红桥
    普安 新丰 平乐 富源 同安 四会 兴文 信宜 东宝 惠来 思明 平乡 响水 博兴 资兴 秀峰
    武胜 新林 成武 同德 博乐 九台 铁力 老边 明山 常宁 安新 黄平 正安 林西 康平 庆安
    含山 合水 双清 全南 会东 东明 金东 青神 贵定 游仙 洪雅 曲松 怀安 大祥 仙居 仓山
    义安 卫东 长泰 西工 永修 长安 朝阳 江南 江北 河东 河西 山南 河口 江城 海城 东港
    西岗 南开 滨江 滨海 滨湖 上城 江汉 江夏 汉阳 汉南 青山 洪山 东西湖 东湖 西湖 南湖
    南海 中山 北海 兴安 白山 普洱 怒江 攀枝花 红河 海东 海北 海西 宁安 永安 长宁 宁国
    大安 新乐 新都 新洲 永乐 永兴 太平 长乐 新和 新宁 东至 开平 乐东 白沙 昌江 万宁
    琼中 定安 新会 长治 四平 泰山 江口 开化 东兴 东山 西山 北山 宝山 普陀 海州 和顺
    红星 青云 兴宁 永春 德化 永昌 华池 盐池 临江 金川 光泽 长子 石狮 宣化 城步 南山 江山
    和硕 和静 和龙 上高 上林 下陆 中站 中江 会理 无极 来安 都安 得荣 将乐 从江 从化 于都 于田 个旧
    中阳
    """.split()
)

# Two-character full names whose first character ends frequent words (示范县,
# 信息县, 提高县域, 管理县级): a co-mentioned place must confirm them. Chosen
# offline from jieba's dictionary (summed frequency of such words > 1500).
SOFT_FULL_NAMES = frozenset(
    """
    涉县 威县 唐县 易县 雄县 献县 景县 应县 代县 古县 兴县 临县 和县 费县 冠县 单县
    叶县 滑县 温县 范县 新县 息县 房县 随县 南县 道县 容县 荣县 高县 理县 云县 芒市
    索县 富县 佳县 环县 成县 文县 康县 礼县 城区 矿区 郊区 东区 西区
    """.split()
)

# Township names built on everyday words (发展乡 → 发展乡村, 中心镇, 创新街道):
# their full names need their county named nearby. The stems jieba's
# dictionary counts as frequent non-place words (frequency >= 1000).
TOWNSHIP_COMMON_STEMS = frozenset(
    """
    发展 地方 人民 文化 学院 市场 工业 建设 中心 世纪 民族 计划 第一 资源 工程 建筑
    结构 统一 先进 合作 公民 劳动 土地 铁路 交通 工人 安全 第二 胜利 长期 联合 民主
    重新 和平 机场 青年 广场 大陆 航空 健康 将军 比如 留下 高兴 河流 石油 纺织 平等
    解放 第三 创新 公园 妈妈 大明 皇城 行者 桃花 化工 东方 团结 点头 更新 上升 开发区
    平台 幸福 集体 大门 春秋 电力 皇后 太子 仙桃 第四 黄金 前进 港口 红军 公安 联盟
    友好 酒店 码头 中华 草原 迎接 始建 马上 民政 五一 长老 城门 兴建 孝感 棋盘 繁荣
    光华 城墙 石头 共和 日月 街头 城中 纤维 火箭 民众 上游 大将 高大 开封 奋斗 宏观
    少林 大地 公平 北大 和谐 大为 创业 大众 城区 冶金 户部 皇宫 平安 龙头 北宋 欢喜
    中方 开通 发放 第五 新生 大业 全军 航天 西周 好生 笔架山 台上 花园 园林 安定 南宋
    长官 天堂 矿山 联络 大战 水晶 光明 超越 新兴 湿地 狮子 骑马 运河 先锋 黄土 致富
    上司 火车站 水稻 革新 学士 五间 礼仪 牌坊 四方 宽阔 万年 东风 万家 文华 铁矿 通衢
    两家 清华 进化 绿化 状元 学院路 大连 学府 淡水 天府 文明 红旗
    """.split()
)

# A three-character township name ending in one of these reads as a word with
# whatever precedes it (小城镇建设, 农村集镇).
_TOWNSHIP_WORD_ENDINGS = {"城镇", "村镇", "乡镇", "集镇", "古镇", "小镇", "重镇", "名镇"}

# 乡 followed by these is a word (乡村, 乡亲, 乡镇), not the end of a township name.
_XIANG_WORD_AFTER = set("村亲愁下土镇里情间音贤思邻民")

# Everyday words and proper names that contain a place name but do not mean it
# (长治久安, 金山银山, 孙中山, 北京时间): matched as "no place" so the longest
# match swallows them.
BLOCK_WORDS = frozenset(
    """
    长治久安 共和国 金山银山 安居乐业 阿里巴巴 孙中山 中山装 中山大学 中山公园 世外桃源
    天长地久 嘉陵江 大理石 普洱茶 哈密瓜 北海道 黄梅戏 凤凰卫视 凤凰网 名山大川 北京时间
    小兴安岭 新乡贤 新乡村 四平八稳 白山黑水 重于泰山 寿比南山 东山再起 青山绿水 绿水青山
    河西走廊 江南水乡 长安汽车 长安街 西湖龙井 兰州拉面 沙县小吃 红河谷 大兴调查研究
    """.split()
)


def _strip_ethnic(stem: str) -> str:
    # Repeatedly drop trailing ethnic groups (积石山保安族东乡族撒拉族 → 积石山),
    # never leaving fewer than two characters (内蒙古 stays 内蒙古).
    changed = True
    while changed:
        changed = False
        for token in _ETHNIC_TOKENS:
            if stem.endswith(token) and len(stem) - len(token) >= 2:
                stem = stem[: -len(token)]
                changed = True
                break
    if stem.endswith("族") and len(stem) >= 3:  # 东乡族自治县 → 东乡
        stem = stem[:-1]
    return stem


def short_name_of(name: str, level: str) -> tuple[str, list[str]]:
    """The name people write for a division (商洛市 → 商洛) and extra aliases (恩施州)."""
    stem, suffix = name, ""
    for candidate, min_rest in _SUFFIXES[level]:
        if name.endswith(candidate) and len(name) - len(candidate) >= min_rest:
            stem, suffix = name[: -len(candidate)], candidate
            break
    ethnic = "自治" in name or "族" in name
    if ethnic:
        stem = _strip_ethnic(stem)
    if len(stem) < 2 or stem == name:
        return name, []
    aliases: list[str] = []
    if ethnic:
        # People also write 恩施州, 长阳县, 西口镇, 管城区 for the autonomous forms.
        tail = {"自治州": "州", "自治县": "县", "自治旗": "旗", "民族乡": "乡", "民族镇": "镇"}.get(suffix, suffix)
        if tail and len(tail) == 1 and stem + tail != name:
            aliases.append(stem + tail)
    if level == TOWNSHIP and suffix == "街道":
        aliases += [stem + "街办", stem + "街道办"]
    return stem, aliases


def _is_zone(area_code: str) -> bool:
    # NBS statistical codes number economic zones, 开发区 and 管理区 71..79 within
    # their city; GB/T 2260 has no such counties.
    return "70" <= area_code[4:6] <= "79"


class Gazetteer:
    """Provinces, cities, counties and townships, indexed by code and by name."""

    def __init__(
        self,
        places: Iterable[Place],
        zones: Iterable[str] = (),
        aliases: dict[str, list[str]] | None = None,
    ) -> None:
        self._places: dict[str, Place] = {}
        self._children: dict[str, list[str]] = defaultdict(list)
        self._zones = frozenset(zones)
        for place in places:
            self._places[place.code] = place
            if place.parent_code:
                self._children[place.parent_code].append(place.code)
        self._ancestors: dict[str, tuple[str, ...]] = {}
        # surface → [(code, kind, soft)]; soft entries need a confirming co-mention.
        self._index: dict[str, list[tuple[str, int, bool]]] = defaultdict(list)
        self._by_name: dict[str, list[str]] = defaultdict(list)
        self._build_index(aliases)

    # -- construction --------------------------------------------------------

    @classmethod
    def loaded(cls, path: Path = DEFAULT_DATA_DIR) -> Gazetteer:
        """The gazetteer of path's CSV files, built once per process while the files stay the same."""
        # Building takes most of a second; every ingest run (and every test that ingests) needs one.
        path = Path(path).resolve()
        stamp = tuple((name, (path / name).stat().st_mtime_ns, (path / name).stat().st_size) for name in _CSV_FILES)
        return _loaded(path, stamp)

    @classmethod
    def from_csv_dir(cls, path: Path = DEFAULT_DATA_DIR) -> Gazetteer:
        """Build the gazetteer from provinces/cities/areas/streets.csv in path."""
        path = Path(path)
        places: list[Place] = []
        zones: list[str] = []
        aliases: dict[str, list[str]] = {}

        def rows(name: str) -> Iterator[list[str]]:
            with open(path / name, encoding="utf-8", newline="") as fh:
                reader = csv.reader(fh)
                next(reader)
                yield from reader

        for code, name in rows("provinces.csv"):
            short, aliases[code + "0000"] = short_name_of(name, PROVINCE)
            places.append(Place(code + "0000", name, short, PROVINCE, None))
        city_parent: dict[str, str] = {}  # 4-digit city code → parent 6-digit code
        for code, name, province in rows("cities.csv"):
            province6 = province + "0000"
            if name in _PLACEHOLDER_CITIES or code[2:4] == "90":
                city_parent[code] = province6
                continue
            city_parent[code] = code + "00"
            short, aliases[code + "00"] = short_name_of(name, CITY)
            places.append(Place(code + "00", name, short, CITY, province6))
        area_parent: dict[str, str] = {}
        for code, name, city, _province in rows("areas.csv"):
            parent = city_parent[city]
            if code.endswith("00"):
                # 东莞市/中山市/儋州市 repeat their city row: the city is the county.
                area_parent[code] = code
                continue
            area_parent[code] = code
            if _is_zone(code):
                zones.append(code)
                places.append(Place(code, name, name, COUNTY, parent))
                continue
            short, aliases[code] = short_name_of(name, COUNTY)
            places.append(Place(code, name, short, COUNTY, parent))
        for code, name, area, _province, _city in rows("streets.csv"):
            short, aliases[code] = short_name_of(name, TOWNSHIP)
            places.append(Place(code, name, short, TOWNSHIP, area_parent[area]))
        return cls(places, zones, aliases)

    def _build_index(self, known_aliases: dict[str, list[str]] | None) -> None:
        index = self._index
        by_name = self._by_name
        higher_shorts = {p.short_name for p in self._places.values() if p.level in (PROVINCE, CITY)}
        for place in self._places.values():
            code, name, level = place.code, place.name, place.level
            by_name[name].append(code)
            if place.short_name != name:
                by_name[place.short_name].append(code)
            if code in self._zones:
                # A zone is only ever named in full; its mentions count for its city.
                index[name].append((code, _FULL, False))
                continue
            short = place.short_name
            if known_aliases is not None and code in known_aliases:
                aliases = known_aliases[code]
            else:
                aliases = short_name_of(name, level)[1]
            if level == TOWNSHIP:
                if not name.endswith(_TOWNSHIP_MATCH_SUFFIXES) or code[6:] >= "400":
                    continue  # farms, 林场, zones' 街道: not places people are "in"
                # Two-character names (乌镇, 新镇) and word-built ones (发展乡)
                # need their county; short names (西口) need the full name.
                soft_full = (
                    len(name) < 3
                    or (len(name) == 3 and name[1:] in _TOWNSHIP_WORD_ENDINGS)  # 小城镇, 新村镇
                    or short in TOWNSHIP_COMMON_STEMS
                    or short in STOP_SHORT_NAMES
                )
                index[name].append((code, _FULL, soft_full))
                for alias in aliases:
                    index[alias].append((code, _ALIAS, True))
                if short != name:
                    index[short].append((code, _SHORT, True))
                continue
            soft_full = name in SOFT_FULL_NAMES or short in STOP_SHORT_NAMES
            index[name].append((code, _FULL, soft_full))
            for alias in aliases:
                # 河南县 (河南蒙古族自治县) also reads as 河南 + 县域: confirm it.
                soft_alias = soft_full or (level == COUNTY and short in higher_shorts)
                index[alias].append((code, _ALIAS, soft_alias))
            if short != name and short not in STOP_SHORT_NAMES:
                index[short].append((code, _SHORT, short in SOFT_SHORT_NAMES))
        for word in BLOCK_WORDS:
            index.setdefault(word, [])
        # Greedy longest match looks up only the lengths that exist for the
        # surface's first two characters: most text positions cost one dict probe.
        lengths: dict[str, set[int]] = defaultdict(set)
        for surface in index:
            lengths[surface[:2]].add(len(surface))
        self._lengths = {k: tuple(sorted(v, reverse=True)) for k, v in lengths.items()}
        self._index = dict(index)
        self._by_name = dict(by_name)

    # -- queries -------------------------------------------------------------

    def get(self, code: str) -> Place | None:
        """The place with this code, or None."""
        return self._places.get(code)

    def __contains__(self, code: object) -> bool:
        return code in self._places

    def __len__(self) -> int:
        return len(self._places)

    def ancestors(self, code: str) -> list[Place]:
        """The place itself, then its parent and so on up to the province."""
        return [self._places[c] for c in self._ancestor_codes(code)]

    def _ancestor_codes(self, code: str) -> tuple[str, ...]:
        cached = self._ancestors.get(code)
        if cached is None:
            chain = []
            current: str | None = code
            while current is not None and current in self._places:
                chain.append(current)
                parent = self._places[current].parent_code
                current = parent if parent != current else None
            cached = self._ancestors[code] = tuple(chain)
        return cached

    def children(self, code: str) -> list[Place]:
        """Direct subdivisions of a place."""
        return [self._places[c] for c in self._children.get(code, ())]

    def county_of(self, township_code: str) -> Place:
        """The county-level place a township belongs to (a county is its own county)."""
        place = self._places[township_code]
        if place.level == TOWNSHIP:
            return self._places[place.parent_code]  # type: ignore[index]
        if place.level == COUNTY:
            return place
        raise ValueError(f"{township_code} is a {place.level}, not a township or county")

    def is_zone(self, code: str) -> bool:
        """True for economic zones and 管理区 listed among the counties."""
        return code in self._zones

    def lookup(self, name: str) -> list[Place]:
        """Places whose full name or short name is exactly name."""
        return [self._places[c] for c in dict.fromkeys(self._by_name.get(name, ()))]

    def places(self, level: str | None = None) -> Iterable[Place]:
        """All places, or those of one level, parents before children."""
        for lvl in LEVELS if level is None else (level,):
            if lvl not in LEVELS:
                raise ValueError(f"unknown level {lvl!r}")
            for place in self._places.values():
                if place.level == lvl:
                    yield place

    def region_code(self, code: str) -> str:
        """The 6-digit region a mention of code counts for (township → county, zone → city)."""
        place = self._places[code]
        if place.level == TOWNSHIP:
            code = place.parent_code  # type: ignore[assignment]
            place = self._places[code]
        if code in self._zones:
            return place.parent_code  # type: ignore[return-value]
        return code

    # -- matching ------------------------------------------------------------

    def _candidates(self, text: str) -> list[tuple[int, list[tuple[str, list[tuple[str, int, bool]]]]]]:
        """Every position where some name starts, with its matches longest first."""
        lengths_of, index = self._lengths, self._index
        n = len(text)
        out = []
        for i in range(n - 1):
            lengths = lengths_of.get(text[i : i + 2])
            if not lengths:
                continue
            matches = []
            for length in lengths:
                if i + length <= n:
                    surface = text[i : i + length]
                    entries = index.get(surface)
                    if entries is not None:
                        matches.append((surface, entries))
            if matches:
                out.append((i, matches))
        return out


# --- region resolution -----------------------------------------------------

_ZONE_WEIGHTS = {"title": 6.0, "lede": 3.0, "body": 1.0}
_DESCEND_SHARE = 0.45  # a child must hold this share of its parent's weight ...
_SIBLING_RATIO = 1.5  # ... and outweigh its runner-up sibling by this much
_LEVEL_DEPTH = {PROVINCE: 1, CITY: 2, COUNTY: 3, TOWNSHIP: 4}
# Evidence for a candidate: the deepest place it shares with what else is named.
_SHARED_SCORE = {TOWNSHIP: 4.5, COUNTY: 4.0, CITY: 3.0, PROVINCE: 1.5}
_SELF_SCORE = 5.0
_KIND_BONUS = {_FULL: 0.3, _ALIAS: 0.2, _SHORT: 0.0}
_LEVEL_PRIOR = {PROVINCE: 0.15, CITY: 0.1, COUNTY: 0.05, TOWNSHIP: 0.0}

# A short name followed by these is a street named after the place (陕西路, 凤翔街).
_ROAD_AFTER = re.compile(r"(?:路|巷|弄|大街|大道|胡同|街(?![头上面边道办]))")

_HAN = re.compile(r"[\u4e00-\u9fff]")

# Generic references: 全市/市委/市林业局 mean the file's city, 县委/全县/县长 its
# county, 省委/全省/我省 its province.
_ORG_TAIL = r"(?:局|委|办|厅|院|所|站|队|中心|集聚区|园区|公司|部|馆|协会|联合会|商会|工商联)"
_GENERIC_PATTERNS = {
    CITY: re.compile(
        r"全市(?!场)|我市|本市|该市|市(?:委|政府|人大|政协|纪委|监委|长|级|直|区)"
        r"|市(?!场|民|容|面|值|井)[\u4e00-\u9fff]{1,7}?" + _ORG_TAIL
    ),
    COUNTY: re.compile(
        r"全县|我县|本县|该县|县(?:委|政府|人大|政协|纪委|监委|长|上|级|直|城|域)"
        r"|县(?!区|市(?!场)|乡)[\u4e00-\u9fff]{1,7}?" + _ORG_TAIL
    ),
    PROVINCE: re.compile(
        r"全省|我省|本省|该省|省(?:委|政府|人大|政协|纪委|监委|长|级|直)"
        r"|省(?!钱|时|力|心|去|略|得|份)[\u4e00-\u9fff]{1,7}?" + _ORG_TAIL
    ),
}
# A preceding character that makes the 市/县/省 part of another word (城市, 超市,
# 各县, 县市区, 节省) or a plural (省市县, 各市).
_GENERIC_DENY_BEFORE = {
    CITY: set("城都超上股夜菜门集楼车街开闭休罢互黑早晚花灯县省区各乡州盟地"),
    COUNTY: set("市省区各邻外州郡乡旗属"),
    PROVINCE: set("各外节反自俭可能兄市"),
}
_SELF_STARTING = ("全", "我", "本", "该")
_SELF_DENY_BEFORE = set("安完健齐周")

# 区委/全区 mean the file's district (or autonomous region), but 区 ends so many
# words (社区, 园区, 小区, 封控区) that only a clear boundary before it counts.
_DISTRICT = "district"
_DISTRICT_PATTERN = re.compile(r"全区(?!域)|我区|本区|区(?:委|政府|人大|政协|纪委|监委|长|级|直)")
_AUTONOMOUS = "autonomous"  # 自治区党委 in a 广西 or 新疆 paper
_AUTONOMOUS_PATTERN = re.compile(r"自治区")
_DISTRICT_ALLOW_BEFORE = set("共和与及在由经向对从将据为是的了等并受请让给被把副原任、，。：；“”‘’（）《》")


@dataclass
class _Mention:
    zone: str
    start: int
    end: int
    surface: str
    candidates: list[tuple[str, int, bool]]
    code: str | None = None
    kind: int = _FULL


def _closure(gazetteer: Gazetteer, codes: Iterable[str]) -> set[str]:
    out: set[str] = set()
    for code in codes:
        out.update(gazetteer._ancestor_codes(code))
    return out


def _common_ancestors(gazetteer: Gazetteer, codes: list[str]) -> set[str]:
    sets = [set(gazetteer._ancestor_codes(c)) for c in codes]
    return set.intersection(*sets) if sets else set()


def _confirmed(gazetteer: Gazetteer, code: str, kind: int, evidence: set[str], article: set[str]) -> bool:
    # A soft name needs its parent (county for a township, city for a county,
    # province for a city or a county directly under a province) named nearby or
    # in the file's context; a soft full county name (雄县) also accepts its
    # province named in the article itself (河北雄县). A township's bare short
    # name (西口) needs the township itself named in full, as thousands of them
    # are ordinary words (人民, 发展, 中心).
    place = gazetteer._places[code]
    if place.level == PROVINCE or code in evidence:
        return True
    if place.level == TOWNSHIP and kind == _SHORT:
        return False
    if place.parent_code in evidence:
        return True
    if place.level == COUNTY and kind == _FULL:
        return gazetteer._ancestor_codes(code)[-1] in article
    return False


def _greedy(
    gazetteer: Gazetteer,
    segments: list[tuple[str, str]],
    candidates: list[list],
    eligible,
) -> list[_Mention]:
    """Non-overlapping mentions: the longest eligible name at each position, then
    overlaps settled in favour of full names, higher levels and longer names
    (会议中江苏 is 江苏, not 中江)."""
    places = gazetteer._places
    mentions: list[_Mention] = []
    for (zone, text), found in zip(segments, candidates):
        options = []
        for i, matches in found:
            for surface, entries in matches:
                end = i + len(surface)
                if not entries:  # a BLOCK_WORDS entry beats every name it overlaps
                    options.append((_FULL + 1, 0, len(surface), i, surface, None))
                    break
                ok = [e for e in entries if eligible(e, text, end)]
                if ok:
                    kind = max(e[1] for e in ok)
                    depth = min(_LEVEL_DEPTH[places[e[0]].level] for e in ok)
                    options.append((kind, depth, len(surface), i, surface, ok))
                    break
        options.sort(key=lambda o: (-o[0], o[1], -o[2], o[3]))
        taken = bytearray(len(text))
        chosen = []
        for _kind, _depth, length, i, surface, ok in options:
            if any(taken[i : i + length]):
                continue
            taken[i : i + length] = b"\x01" * length
            if ok is not None:
                chosen.append(_Mention(zone, i, i + length, surface, ok))
        chosen.sort(key=lambda m: m.start)
        mentions.extend(chosen)
    return mentions


def _extract(
    gazetteer: Gazetteer,
    segments: list[tuple[str, str]],
    context: PlaceContext | None,
) -> list[_Mention]:
    """Place mentions in the segments, each resolved to one code (or dropped)."""
    candidates = [gazetteer._candidates(text) for _zone, text in segments]

    def not_road(entry: tuple[str, int, bool], text: str, end: int) -> bool:
        # 陕西路 is a street; 发展乡村 is not 发展乡.
        if end < len(text) and text[end - 1] == "乡" and text[end] in _XIANG_WORD_AFTER:
            return False
        return entry[1] == _FULL or not _ROAD_AFTER.match(text, end)

    # Pass 1: names that need no confirmation give the article's own evidence.
    strong = _greedy(gazetteer, segments, candidates, lambda e, t, end: not e[2] and not_road(e, t, end))
    ctx_evidence = _closure(gazetteer, context.codes()) if context else set()
    unique = set()
    for m in strong:
        unique |= _common_ancestors(gazetteer, [c for c, _k, _s in m.candidates])
    for m in strong:
        _disambiguate(gazetteer, m, unique, ctx_evidence)  # 河北: the province, not 天津's 河北区
    evidence = _closure(gazetteer, (m.code for m in strong if m.code))
    confirm = evidence | ctx_evidence

    # Pass 2: everything, soft names only where confirmed.
    def eligible(entry: tuple[str, int, bool], text: str, end: int) -> bool:
        if not not_road(entry, text, end):
            return False
        return not entry[2] or _confirmed(gazetteer, entry[0], entry[1], confirm, evidence)

    mentions = _greedy(gazetteer, segments, candidates, eligible)
    article = set()
    for m in mentions:
        article |= _common_ancestors(gazetteer, [c for c, _k, _s in m.candidates])
    for m in mentions:
        _disambiguate(gazetteer, m, article, ctx_evidence)
    return [m for m in mentions if m.code is not None]


def _evidence_score(gazetteer: Gazetteer, code: str, evidence: set[str]) -> float:
    chain = gazetteer._ancestor_codes(code)
    if code in evidence:
        return _SELF_SCORE
    for a in chain[1:]:
        if a in evidence:
            place = gazetteer._places[a]
            if place.level == PROVINCE and gazetteer._places[code].parent_code == a:
                return _SHARED_SCORE[CITY]  # municipality districts: the province is the city
            return _SHARED_SCORE[place.level]
    return 0.0


def _disambiguate(gazetteer: Gazetteer, m: _Mention, article: set[str], ctx: set[str]) -> None:
    codes = {c: k for c, k, _s in m.candidates}
    # 嘉峪关市 is both a city and its only county: keep the city.
    for c in list(codes):
        if any(a in codes for a in gazetteer._ancestor_codes(c)[1:]):
            codes.pop(c)
    if len(codes) == 1:
        m.code, m.kind = next(iter(codes.items()))
        return
    scored = []
    for c, kind in codes.items():
        place = gazetteer._places[c]
        # This mention's own candidates are in `article` only when they all share
        # an ancestor; discount self-support so duplicates do not confirm themselves.
        score = (
            _evidence_score(gazetteer, c, article - {c})
            + 0.6 * _evidence_score(gazetteer, c, ctx)
            + _KIND_BONUS[kind]
            + _LEVEL_PRIOR[place.level]
        )
        scored.append((score, c, kind))
    scored.sort(key=lambda t: (-t[0], t[1]))
    best, second = scored[0], scored[1]
    if best[0] - second[0] < 0.01 and gazetteer.region_code(best[1]) != gazetteer.region_code(second[1]):
        return  # no evidence either way (山阳 alone): better no region than a guess
    m.code, m.kind = best[1], best[2]


def _mention_weights(
    gazetteer: Gazetteer,
    mentions: list[_Mention],
    context: PlaceContext | None,
    zone_weights: dict[str, float],
) -> dict[str, float]:
    """Weight per 6-digit region code named in the mentions."""
    ctx_province = context.province if context else None
    article = _closure(gazetteer, (m.code for m in mentions if m.code))
    direct: dict[str, float] = defaultdict(float)
    for m in mentions:
        code = gazetteer.region_code(m.code)  # type: ignore[arg-type]
        weight = zone_weights[m.zone]
        if m.kind != _FULL and ctx_province:
            # A bare short name from another province with nothing near it to
            # back it up (凤翔 in a 山西 paper) is as likely a word or a person.
            chain = gazetteer._ancestor_codes(code)
            if ctx_province not in chain and not (article - {code, m.code}) & set(chain[1:-1]):
                weight *= 0.5
        direct[code] += weight
    return direct


def _subtree(gazetteer: Gazetteer, direct: dict[str, float]) -> dict[str, float]:
    subtree: dict[str, float] = defaultdict(float)
    for code, weight in direct.items():
        for a in gazetteer._ancestor_codes(code):
            subtree[a] += weight
    return subtree


def _kids(gazetteer: Gazetteer, subtree: dict[str, float]) -> dict[str | None, list[str]]:
    kids: dict[str | None, list[str]] = defaultdict(list)
    for code in subtree:
        kids[gazetteer._places[code].parent_code].append(code)
    for lst in kids.values():
        lst.sort(key=lambda c: (-subtree[c], c))
    return kids


def _dominant_child(
    subtree: dict[str, float], kids: dict[str | None, list[str]], parent: str | None,
    share: float, ratio: float,
) -> str | None:
    children = kids.get(parent, [])
    if not children:
        return None
    best = children[0]
    second = subtree[children[1]] if len(children) > 1 else 0.0
    total = subtree[parent] if parent is not None else sum(subtree[c] for c in children)
    if subtree[best] >= share * total and subtree[best] >= ratio * second and subtree[best] > 0:
        return best
    return None


def _choose_primary(gazetteer: Gazetteer, direct: dict[str, float]) -> str | None:
    """Descend from the heaviest province while one child clearly dominates."""
    if not direct:
        return None
    subtree = _subtree(gazetteer, direct)
    kids = _kids(gazetteer, subtree)
    current = kids[None][0]  # heaviest province, whatever its share
    while True:
        child = _dominant_child(subtree, kids, current, _DESCEND_SHARE, _SIBLING_RATIO)
        if child is None:
            return current
        current = child


def _segments_for(title: str, lede: str, body: str) -> list[tuple[str, str]]:
    return [(z, t) for z, t in (("title", title), ("lede", lede), ("body", body)) if t]


def file_places(gazetteer: Gazetteer, text: str) -> PlaceContext:
    """The dominant province, city and county of a whole file (simplified text)."""
    mentions = _extract(gazetteer, [("body", text)], None)
    counts = _mention_weights(gazetteer, mentions, None, _ZONE_WEIGHTS)
    # One long article repeating its township must not outweigh the rest of
    # the page: damp repetition.
    direct = {code: 1.0 + math.log(n) for code, n in counts.items()}
    if not direct:
        return PlaceContext()
    subtree = _subtree(gazetteer, direct)
    kids = _kids(gazetteer, subtree)
    province = kids[None][0]
    city = county = None
    # A city paper names its counties evenly: a county context only when one
    # county clearly dominates, else 全县 stays unresolved.
    child = _dominant_child(subtree, kids, province, 0.3, _SIBLING_RATIO)
    if child is not None and gazetteer._places[child].level == CITY:
        city = child
        county = _dominant_child(subtree, kids, city, 0.5, _SIBLING_RATIO)
    elif child is not None and gazetteer._places[child].level == COUNTY:
        county = child  # districts of a municipality, 省直辖 county-level cities
    return PlaceContext(
        province=province,
        city=city,
        county=county,
        primary=_choose_primary(gazetteer, direct),
        weights=dict(subtree),
    )


def _generic_mentions(segments: list[tuple[str, str]], covered: list[bytearray]) -> list[tuple[str, str]]:
    """(zone, level) of each generic reference (全市, 县委, 我省 ...)."""
    found = []
    for seg_no, (zone, text) in enumerate(segments):
        cov = covered[seg_no]
        for level, pattern in _GENERIC_PATTERNS.items():
            deny = _GENERIC_DENY_BEFORE[level]
            for match in pattern.finditer(text):
                start = match.start()
                if cov[start] or (start and cov[start - 1]):
                    continue  # part of, or straight after, a named place (商洛市委)
                prev = text[start - 1] if start else ""
                if match.group().startswith(_SELF_STARTING):
                    if prev and prev in _SELF_DENY_BEFORE:
                        continue  # 安全市民, 健全县级
                elif prev in deny:
                    continue
                found.append((zone, level))
        for match in _DISTRICT_PATTERN.finditer(text):
            start = match.start()
            if cov[start] or (start and cov[start - 1]):
                continue
            prev = text[start - 1] if start else ""
            if match.group().startswith(_SELF_STARTING):
                ok = prev not in _SELF_DENY_BEFORE
            else:
                ok = not prev or not _HAN.match(prev) or prev in _DISTRICT_ALLOW_BEFORE
            if ok:
                found.append((zone, _DISTRICT))
        for match in _AUTONOMOUS_PATTERN.finditer(text):
            start = match.start()
            if not (cov[start] or (start and cov[start - 1])):
                found.append((zone, _AUTONOMOUS))
    return found


def _local_target(
    gazetteer: Gazetteer, level: str, subtree: dict[str, float], context: PlaceContext | None
) -> str | None:
    # The article's own place of that level when it fits the file (全县 after
    # naming one of the city's counties), else the file's (我省 in an article
    # that mentions returnees from 湖北 is still the paper's province).
    ctx_code = getattr(context, level) if context else None
    named = [c for c in subtree if gazetteer._places[c].level == level]
    if ctx_code and ctx_code in named:
        return ctx_code
    inside = set(context.codes()) if context else set()
    fitting = [c for c in named if inside & set(gazetteer._ancestor_codes(c))]
    if fitting:
        return max(fitting, key=lambda c: (subtree[c], c))
    if ctx_code:
        return ctx_code
    if named:
        return max(named, key=lambda c: (subtree[c], c))
    if level == CITY and context and context.province and context.city is None:
        place = gazetteer._places[context.province]
        if place.name.endswith("市"):
            return context.province  # 全市 in a Beijing paper is Beijing
    return None


def _district_target(gazetteer: Gazetteer, targets: dict[str, str | None]) -> str | None:
    county, province = targets.get(COUNTY), targets.get(PROVINCE)
    if county and gazetteer._places[county].name.endswith("区"):
        return county
    if province and gazetteer._places[province].name.endswith("自治区"):
        return province  # 全区 in a 广西 paper is 广西
    return None


def resolve_regions(
    gazetteer: Gazetteer,
    *,
    title: str,
    lede: str,
    body: str,
    context: PlaceContext | None = None,
) -> list[str]:
    """6-digit region codes for an article, the primary region first."""
    segments = _segments_for(title or "", lede or "", body or "")
    mentions = _extract(gazetteer, segments, context)
    direct = _mention_weights(gazetteer, mentions, context, _ZONE_WEIGHTS)
    covered = [bytearray(len(t)) for _z, t in segments]
    zone_no = {z: i for i, (z, _t) in enumerate(segments)}
    for m in mentions:
        covered[zone_no[m.zone]][m.start : m.end] = b"\x01" * (m.end - m.start)
    generics = _generic_mentions(segments, covered)
    if generics:
        subtree = _subtree(gazetteer, direct)
        targets = {lvl: _local_target(gazetteer, lvl, subtree, context) for lvl in (PROVINCE, CITY, COUNTY)}
        targets[_DISTRICT] = _district_target(gazetteer, targets)
        province = targets[PROVINCE]
        targets[_AUTONOMOUS] = province if province and gazetteer._places[province].name.endswith("自治区") else None
        for zone, level in generics:
            target = targets[level]
            if target:
                direct[target] += _ZONE_WEIGHTS[zone]
    primary = _choose_primary(gazetteer, direct)
    if primary is None:
        return [context.primary] if context and context.primary else []
    subtree = _subtree(gazetteer, direct)
    others = sorted((c for c in direct if c != primary), key=lambda c: (-subtree[c], c))
    return [primary] + others


_CSV_FILES = ("provinces.csv", "cities.csv", "areas.csv", "streets.csv")


@lru_cache(maxsize=2)
def _loaded(path: Path, stamp: tuple) -> Gazetteer:
    return Gazetteer.from_csv_dir(path)
