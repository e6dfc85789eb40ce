"""Campaign themes (疫情防控, 党建引领 ...) scored from keywords, and article keywords.

Keyword hits are counted over jieba tokens, never raw substrings, so 党建 does
not fire inside an unrelated string. A private jieba tokenizer knows every
theme keyword as a word; it is cached per keyword set, so an editor's change to
the theme table takes effect on the next call.
"""

from __future__ import annotations

import logging
import re
import threading
from collections import OrderedDict
from functools import lru_cache

import jieba
from jieba import re_han_default

from articles.text.chinese import to_simplified
from articles.text.fields import SURNAMES
from articles.text.document import ThemeSpec
from articles.text.segmenter import Segmenter, default_segmenter

DEFAULT_THEMES: list[ThemeSpec] = [
    ThemeSpec(
        "epidemic",
        "疫情防控",
        "疫情 防控 疫情防控 抗疫 防疫 战疫 核酸 核酸检测 核酸采样 新冠 新冠肺炎 疫苗 接种 病毒 隔离 封控"
        " 管控 密接 确诊 病例 阳性 口罩 测温 扫码 健康码 流调 消杀 联防联控 群防群治 阻击战".split(),
        "新冠等疫情的防控、核酸检测、隔离管控和抗疫一线的人和事。",
    ),
    ThemeSpec(
        "party-building",
        "党建引领",
        "党建 党建引领 党建统领 党组织 基层党组织 党支部 临时党支部 党总支 党委 党员 共产党员 党员干部"
        " 党旗 党徽 党性 先锋模范 战斗堡垒 党员先锋岗 党员突击队 党员责任区 组织部 主题党日 三会一课"
        " 入党 党费 支部 党课 组织生活 初心使命".split(),
        "以党的建设带动各项工作：党组织和党员发挥作用、组织建设与党员教育管理。",
    ),
    ThemeSpec(
        "grassroots-governance",
        "基层治理",
        "基层治理 社会治理 基层社会治理 治理 治理能力 治理体系 治理现代化 网格 网格化 网格员 网格长"
        " 社区治理 乡村治理 矛盾纠纷 调解 综治 平安建设 枫桥经验 自治 法治 德治 村规民约 接诉即办"
        " 吹哨 共建共治共享 片区 议事 诉求".split(),
        "城乡基层的社会治理：网格化管理、矛盾调解、平安建设和治理能力现代化。",
    ),
    ThemeSpec(
        "projects",
        "项目建设",
        "项目建设 重点项目 重大项目 项目 开工 竣工 投产 达产 开工建设 招商引资 签约 固定资产投资"
        " 投资 完成投资 总投资 施工 工地 建设进度 项目为王 谋划 产业园 园区 落地 工程".split(),
        "重点和重大项目的谋划、招商、开工、建设进度与投资完成情况。",
    ),
    ThemeSpec(
        "economy",
        "经济发展",
        "经济 经济发展 高质量发展 工业经济 民营企业 民营经济 企业 企业家 复工复产 营商环境 市场主体"
        " 产业 产业链 消费 就业 增收 收入 稳增长 生产总值 保供 商会 工商联 金融 贷款 税收 外贸"
        " 工厂 务工 劳务".split(),
        "经济运行、企业与产业发展、营商环境、就业和居民增收。",
    ),
    ThemeSpec(
        "rural-revitalization",
        "乡村振兴",
        "乡村振兴 脱贫攻坚 脱贫 巩固拓展 返贫 防止返贫 监测户 易地搬迁 搬迁群众 移民搬迁 驻村"
        " 第一书记 驻村工作队 农村 农民 农业 农户 村集体经济 集体经济 特色产业 产业振兴 美丽乡村"
        " 人居环境 合作社 农产品 致富 帮扶 社区工厂 三农 乡村"
        # Who does the farming: reports about harvests name the growers, not the policy.
        " 茶农 果农 菜农 椒农 种植户 养殖户 种植大户 丰收 采摘".split(),
        "农业农村发展、巩固脱贫成果、易地搬迁后续扶持和农民增收致富。",
    ),
    ThemeSpec(
        "ecology",
        "生态林业",
        "生态 生态环境 林业 森林 植树 义务植树 造林 营造林 植树造林 森林防火 护林 林长制 国土绿化"
        " 绿化 湿地 野生动物 野生动植物 生物多样性 环境保护 环保 污染 河长制 水土保持 退耕还林"
        " 苗木 有害生物 林地 碳汇"
        # jieba keeps these as one token, so 森林/护林 inside them never match.
        " 森林草原 草原 护林员 林区 林草".split(),
        "生态环境保护、林业生产、植树造林、森林防火和野生动植物保护。",
    ),
    ThemeSpec(
        "civility",
        "文明创建",
        "文明创建 文明城市 创文 精神文明 文明单位 文明村镇 文明家庭 文明乡风 乡风文明 移风易俗"
        " 新时代文明实践 文明实践 道德模范 好人 核心价值观 社会主义核心价值观 卫生城市 创卫 市容"
        " 环境卫生 文明交通 文明礼仪 诚信 红白理事会 最美家庭 家风 好家风 家风家教".split(),
        "文明城市和文明村镇创建、移风易俗、道德建设和城乡环境整治。",
    ),
    ThemeSpec(
        "cadre-conduct",
        "干部作风",
        "作风 干部作风 作风建设 能力作风 形式主义 官僚主义 担当作为 干事创业 实干 真抓实干 考核"
        " 考察识别 选拔任用 选人用人 三项机制 容错纠错 激励 干部队伍 领导班子 为基层减负 减负"
        " 履职 问责 效能 执行力 敢担当".split(),
        "干部队伍建设、作风转变、考核激励和担当作为。",
    ),
    ThemeSpec(
        "integrity",
        "党风廉政",
        "党风廉政 廉政 廉洁 清廉 反腐败 反腐 腐败 纪委 监委 纪委监委 纪检监察 纪律 八项规定 四风"
        " 从严治党 全面从严治党 监督 巡察 巡视 违纪 警示教育 不敢腐 不能腐 不想腐 政治生态".split(),
        "党风廉政建设和反腐败：纪律、监督、巡察、八项规定和警示教育。",
    ),
    ThemeSpec(
        "volunteering",
        "志愿服务",
        "志愿服务 志愿者 志愿 志愿服务队 红马甲 义务 公益 爱心 奉献 捐款 捐物 捐赠 捐资 献血"
        " 学雷锋 雷锋 慈善 关爱 爱心人士 结对".split(),
        "志愿者和志愿服务、公益慈善、捐款捐物和学雷锋活动。",
    ),
    ThemeSpec(
        "culture",
        "文化文艺",
        "文化 文艺 文艺工作者 文艺作品 艺术 演出 文艺演出 歌曲 主题歌 舞蹈 朗诵 音乐 诗歌 散文 书法"
        " 美术 摄影 戏曲 非遗 非物质文化遗产 文旅 博物馆 图书馆 文物 创作 作家 传统文化"
        " 音乐家协会 舞蹈家协会 展演".split(),
        "文化事业和文艺创作演出、非遗与文物保护、文旅活动。",
    ),
    ThemeSpec(
        "food-security",
        "粮食安全",
        "粮食 粮食安全 粮食生产 种粮 耕地 耕地保护 高标准农田 春耕 春播 夏收 三夏 秋收 秋粮 夏粮"
        " 节约粮食 爱粮节粮 光盘行动 世界粮食日 餐饮浪费 储备粮 粮库 小麦 玉米 水稻 大豆 播种"
        " 种业 藏粮于地 收割 粮油".split(),
        "粮食生产与储备、耕地保护、节粮减损和反对餐饮浪费。",
    ),
]

# Scoring. A title hit is worth several body hits; body hits are counted per
# thousand characters so long articles do not collect every theme.
_TITLE_WEIGHT = 6.0
_MIN_BODY_CHARS = 400  # shorter bodies are scored as if this long
_MIN_SCORE = 3.0  # below this a theme is noise ...
_RELATIVE = 0.35  # ... and it must reach this share of the best theme's score
_MAX_THEMES = 4
_MAX_SPAN = 4  # a keyword may be split by jieba into up to this many tokens
# Themes and keywords read at most this much of a body: far longer than any
# article, and it keeps a runaway item (a 10 MB one-line file) to a second.
MAX_BODY_CHARS = 20_000

_lock = threading.Lock()
_tokenizers: OrderedDict[frozenset[str], Segmenter] = OrderedDict()
_TOKENIZER_CACHE_SIZE = 2  # each holds a copy of jieba's dictionary (~15 MB): keep few

_WORD = re.compile(r"[\u4e00-\u9fffA-Za-z]")


def _base_tokenizer() -> jieba.Tokenizer:
    # jieba's default dictionary, loaded once per process (search segmentation
    # and keyword extraction need it anyway); private tokenizers copy it, which
    # costs milliseconds instead of another half-second load.
    base = jieba.dt
    if not base.initialized:
        # jieba announces every dictionary load on stderr; keep this one quiet.
        level = jieba.default_logger.level
        jieba.default_logger.setLevel(logging.WARNING)
        try:
            base.initialize()
        finally:
            jieba.default_logger.setLevel(level)
    return base


def _tokenizer(keywords: frozenset[str]) -> Segmenter:
    # A private tokenizer: theme keywords must not change the search index's
    # segmentation (chinese.segment_for_search uses jieba's default one).
    with _lock:
        tok = _tokenizers.get(keywords)
        if tok is not None:
            _tokenizers.move_to_end(keywords)
            return tok
    base = _base_tokenizer()
    tok = Segmenter()
    tok.FREQ, tok.total, tok.initialized = dict(base.FREQ), base.total, True
    for word in sorted(keywords):
        if len(word) > 1:
            tok.add_word(word, freq=max(tok.suggest_freq(word), 1000))
    with _lock:
        _tokenizers[keywords] = tok
        while len(_tokenizers) > _TOKENIZER_CACHE_SIZE:
            _tokenizers.popitem(last=False)
    return tok


def _keyword_blocks(tok: jieba.Tokenizer, text: str, pattern: re.Pattern[str]) -> list[list[str]]:
    """The tokens of each block (a run between punctuation) that holds a keyword; no other block can score."""
    # Cutting only these blocks spares the private dictionary's route
    # computation for most of a body: a keyword match is token-aligned inside
    # one block, and a block without the keyword's characters has none.
    return [
        [t for t in tok.lcut(block, HMM=False) if _WORD.search(t)]
        for block in re_han_default.split(text)
        if pattern.search(block)
    ]


def _hits(
    blocks: list[list[str]], keyword_index: dict[str, list[int]], prefixes: frozenset[str] | None = None
) -> tuple[list[int], list[set[str]]]:
    """Per theme: keyword matches (token-aligned, spans of up to _MAX_SPAN tokens of one block) and distinct keywords."""
    n_themes = max((i for ids in keyword_index.values() for i in ids), default=-1) + 1
    counts = [0] * n_themes
    distinct: list[set[str]] = [set() for _ in range(n_themes)]
    prefixes = _prefixes(keyword_index) if prefixes is None else prefixes
    for tokens in blocks:
        for i in range(len(tokens)):
            span = ""
            for j in range(i, min(i + _MAX_SPAN, len(tokens))):
                span += tokens[j]
                if span not in prefixes:
                    break  # no keyword starts with this span, so none with a longer one
                ids = keyword_index.get(span)
                if ids:
                    for t in ids:
                        counts[t] += 1
                        distinct[t].add(span)
    return counts, distinct


@lru_cache(maxsize=16)
def _keyword_pattern(keyword_lists: tuple[tuple[str, ...], ...]) -> re.Pattern[str]:
    """One expression finding any keyword, built as a trie so each character is tried once, not once per keyword."""
    trie: dict = {}
    for word in _keyword_index(keyword_lists):
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def branch(node: dict) -> str:
        alternatives = [re.escape(ch) + branch(child) for ch, child in sorted(node.items()) if ch]
        if not alternatives:
            return ""
        body = alternatives[0] if len(alternatives) == 1 else "(?:" + "|".join(alternatives) + ")"
        if "" in node:  # a keyword ends here and longer ones go on
            return f"(?:{body})?" if len(alternatives) == 1 else body + "?"
        return body

    return re.compile(branch(trie) or r"(?!)")


def _prefixes(keyword_index: dict[str, list[int]]) -> frozenset[str]:
    """Every keyword and every beginning of one."""
    return frozenset(word[:end] for word in keyword_index for end in range(1, len(word) + 1))


@lru_cache(maxsize=16)
def _keyword_prefixes(keyword_lists: tuple[tuple[str, ...], ...]) -> frozenset[str]:
    return _prefixes(_keyword_index(keyword_lists))


@lru_cache(maxsize=16)
def _keyword_index(keyword_lists: tuple[tuple[str, ...], ...]) -> dict[str, list[int]]:
    # keyword → indices of the themes listing it; built once per theme set,
    # not once per article (a page of 50 000 briefs must not redo it).
    keyword_index: dict[str, list[int]] = {}
    for i, keywords in enumerate(keyword_lists):
        # Editors may type Traditional keywords; matching happens in Simplified.
        for word in to_simplified("\n".join(keywords)).split("\n"):
            word = word.strip()
            if word and i not in keyword_index.setdefault(word, []):
                keyword_index[word].append(i)
    return keyword_index


def theme_scores(themes: list[ThemeSpec], *, title: str, body: str) -> dict[str, float]:
    """Score of every theme for an article (0 when no keyword matched)."""
    keyword_lists = tuple(tuple(theme.keywords) for theme in themes)
    keyword_index = _keyword_index(keyword_lists)
    prefixes = _keyword_prefixes(keyword_lists)
    if not keyword_index:
        return {t.slug: 0.0 for t in themes}
    tok = _tokenizer(frozenset(keyword_index))
    title = (title or "")[:MAX_BODY_CHARS]
    body = (body or "")[:MAX_BODY_CHARS]
    pattern = _keyword_pattern(keyword_lists)
    title_counts, title_distinct = _hits(_keyword_blocks(tok, to_simplified(title or ""), pattern), keyword_index, prefixes)
    body_counts, body_distinct = _hits(_keyword_blocks(tok, to_simplified(body or ""), pattern), keyword_index, prefixes)
    per_mille = 1000.0 / max(len(body or ""), _MIN_BODY_CHARS)
    scores = {}
    for i, theme in enumerate(themes):
        if i >= len(title_counts):
            scores[theme.slug] = 0.0
            continue
        distinct = len(body_distinct[i] | title_distinct[i])
        # Many different keywords are better evidence than one repeated word.
        variety = min(distinct, 5) / 5.0
        body_score = body_counts[i] * per_mille * (0.4 + 0.6 * variety)
        title_score = _TITLE_WEIGHT * min(len(title_distinct[i]), 2)
        scores[theme.slug] = round(title_score + body_score, 3)
    return scores


def score_themes(themes: list[ThemeSpec], *, title: str, body: str) -> list[str]:
    """Slugs of the themes an article is about, best first."""
    scores = theme_scores(themes, title=title, body=body)
    ranked = sorted((s, slug) for slug, s in scores.items() if s > 0)
    ranked.sort(key=lambda t: (-t[0], t[1]))
    if not ranked:
        return []
    top = ranked[0][0]
    chosen = [slug for s, slug in ranked if s >= _MIN_SCORE and s >= _RELATIVE * top]
    if not chosen and top >= _MIN_SCORE / 2:
        chosen = [ranked[0][1]]  # weak but unambiguous evidence still names one theme
    return chosen[:_MAX_THEMES]


# Words every official news story uses; as keywords they tell a reader nothing.
_GENERIC_WORDS = frozenset(
    """
    工作 推进 开展 加强 坚持 落实 强化 大力 确保 加快 推动 积极 进一步 相关 做好 持续 全面
    深入 切实 不断 组织 活动 要求 提升 实现 目前 同时 通过 进行 充分 有序 各级 广大 全市
    全县 全省 全区 我市 我县 我省 今年以来 近日 日前 记者 本报讯 通讯员 一批 一些 我们
    他们 大家 今天 重要 有效 有力 扎实 围绕 聚焦 以来 方面 情况 问题 单位 部门 有关 表示
    介绍 据悉 期间 当天 该县 该市 该校 一是 二是 三是 进一步 不断 各项 主动 及时 全力
    发展 社会 力量 重点 了解 营造 部署 谋划
    """.split()
)

_NUMBERISH = re.compile(r"^[\d０-９.,%％年月日号时分秒个亿万千百十余多]+$|\d")

# Parts of speech a keyword may have (jieba's tag set): nouns of every kind
# (n, nr person, ns place, nt organisation, nz other proper, nw work), verbal
# nouns (vn: 防控, 调研), abbreviations (j: 统战), verbs and set phrases at
# half weight. Adverbs, adjectives, numerals, prepositions (更好, 一线 as m, 对)
# never.
_KEYWORD_POS = frozenset({"n", "nr", "ns", "nt", "nz", "nw", "vn", "j", "eng", "v", "l", "i"})
# Verbs and set phrases count, but less: 治理 and 就业 can be what a story is
# about; 盯人 or 了解 rarely are. Nouns and names win a tie.
_POS_WEIGHT = {"v": 0.5, "l": 0.5, "i": 0.5}
# Words that stand after a surname without being a given name: 王书记 is not a person called 书记.
_TITLES = frozenset(
    """
    书记 副书记 县长 副县长 市长 副市长 省长 区长 镇长 乡长 村长 主任 副主任 局长 部长 处长 科长 所长
    院长 校长 厂长 站长 队长 组长 主席 委员 同志 老师 记者 先生 女士 师傅 经理 总 老 某
    """.split()
)
# Administrative units a place name may be read apart from (西口 + 回族 + 镇, 十里铺 + 街办).
_PLACE_UNITS = frozenset({"镇", "乡", "村", "街道", "社区", "街办", "办事处", "居委会", "村委会"})
_HAN = re.compile(r"^[\u4e00-\u9fff]+$")
_NAME_POS = frozenset({"nr", "ns", "nt"})


def _pos_table() -> dict[str, str]:
    """jieba's word → part-of-speech table (loaded with jieba.posseg, once per process)."""
    import jieba.posseg

    _base_tokenizer()
    return jieba.posseg.dt.word_tag_tab

_RARE_WORD = 5  # jieba dictionary frequency below which a word seen once is taken for a fragment


def keyword_words(text: str) -> list[tuple[str, str]]:
    """(word, part of speech) of a text, with personal and place names the dictionary cut apart made whole again."""
    # jieba's plain cut (HMM on, as the search index and theme scoring cut) with
    # each word's part of speech from the POS dictionary: jieba.posseg's own
    # HMM tags the same words 4× slower. A word the dictionary does not know
    # (HMM found it) is a name when it starts with a common surname, else a noun.
    tags = _pos_table()
    pairs = []
    for word in default_segmenter().lcut(text):
        flag = tags.get(word)
        if flag is None:
            if not _HAN.match(word):
                flag = "eng" if word.isascii() and word.isalpha() else "x"
            else:
                flag = "nr" if 2 <= len(word) <= 3 and word[0] in SURNAMES else "n"
        pairs.append((word, flag))
    words: list[tuple[str, str]] = []
    i = 0
    while i < len(pairs):
        word, flag = pairs[i]
        nxt, nflag = pairs[i + 1] if i + 1 < len(pairs) else ("", "x")
        # 鲁 + 新建 → 鲁新建: a lone surname and a one- or two-character word after it are one name.
        if (
            flag == "nr" and len(word) == 1 and 1 <= len(nxt) <= 2 and _HAN.match(nxt)
            and nxt not in _TITLES and nflag[:1] in ("n", "v", "a")
        ):
            words.append((word + nxt, "nr"))
            i += 2
            continue
        # 人 + 盯人 → 人盯人: a phrase that repeats its first character, cut after it.
        if len(word) == 1 and len(nxt) == 2 and nxt[1] == word and _HAN.match(word + nxt):
            words.append((word + nxt, "l"))
            i += 2
            continue
        # 西口 + 回族 + 镇 → 西口回族镇: a name, an ethnic group, an administrative unit.
        if _HAN.match(word) and len(word) >= 2 and flag[:1] in ("n", "s"):
            j, place = i + 1, word
            if j < len(pairs) and pairs[j][0].endswith("族") and len(pairs[j][0]) == 2:
                place, j = place + pairs[j][0], j + 1
            if j < len(pairs) and pairs[j][0] in _PLACE_UNITS:
                words.append((place + pairs[j][0], "ns"))
                i = j + 1
                continue
        words.append((word, flag))
        i += 1
    return words


def extract_keywords(title: str, body: str, top_k: int = 8) -> list[str]:
    """Top TF-IDF keywords of an article: whole nouns and names (jieba POS), no stop-phrases, numbers or single characters."""
    # Imported here: jieba.analyse reads its IDF table on import (~0.5 s), which
    # migrations and web workers that only need DEFAULT_THEMES should not pay.
    import jieba.analyse

    title, body = (title or "")[:MAX_BODY_CHARS], (body or "")[:MAX_BODY_CHARS]
    counts: dict[str, float] = {}
    seen: dict[str, int] = {}
    names: set[str] = set()
    for text, weight in ((title, 2.0), (body, 1.0)):  # the title counts twice
        for word, flag in keyword_words(text):
            word = word.strip()
            if (
                len(word) < 2 or flag not in _KEYWORD_POS or word in _GENERIC_WORDS
                or _NUMBERISH.search(word) or not _WORD.search(word)
            ):
                continue
            counts[word] = counts.get(word, 0.0) + weight * _POS_WEIGHT.get(flag, 1.0)
            seen[word] = seen.get(word, 0) + 1
            if flag in _NAME_POS:
                names.add(word)
    frequency = _base_tokenizer().FREQ
    for word in list(counts):
        # A word the dictionary does not know, or a two-character one it hardly
        # knows, read once, is a piece of a pun or an idiom the segmenter cut
        # (遗余 from 不遗余“粒”), not the story's subject.
        known = frequency.get(word, 0)
        if word not in names and seen[word] == 1 and (known == 0 or (len(word) == 2 and known < _RARE_WORD)):
            del counts[word]
    tfidf = jieba.analyse.default_tfidf
    idf, median = tfidf.idf_freq, tfidf.median_idf
    ranked = sorted(counts, key=lambda word: (-counts[word] * idf.get(word, median), word))
    return ranked[:top_k]
