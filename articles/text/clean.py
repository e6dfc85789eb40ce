"""Stage 2: find page chrome, repair text, and hand the splitter clean lines.

Chrome is whatever the page or site prints around the articles: mastheads,
page numbers, editor credits, teaser boxes, web navigation and footers. Each
removed line keeps its reason so an editor can see why it vanished.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from articles.text import fields
from articles.text.chinese import to_simplified
from articles.text.document import PartialDate
from articles.text.issues import issue_label

# Lines longer than this are always prose (or garbage); no chrome rule looks at them.
_MAX_CHROME_LINE = 400

# --- pinyin annotations --------------------------------------------------------

_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü"
_PINYIN_SYLLABLE = (
    r"(?:[bpmfdtnlgkhjqxrzcsyw]|zh|ch|sh)?"
    r"(?:iang|iong|uang|ang|eng|ing|ong|ian|iao|uai|uan|ai|ei|ao|ou|an|en|in|un|ia|ie|iu|ua|uo|ui|ue|er|a|o|e|i|u|v)"
    r"(?:ng|n|r)?"
)
_TONED_ANNOTATION = re.compile(rf"(?<=[\u3400-\u9fff])[(（]\s*[a-z{_TONED}]*[{_TONED}][a-z{_TONED}]*\s*[)）]")
_PLAIN_ANNOTATION = re.compile(rf"(?<=[\u3400-\u9fff])[(（]\s*{_PINYIN_SYLLABLE}[1-5]?\s*[)）]")
# A file that annotates a few characters with toned pinyin also writes neutral
# tones bare: 的(de). Without that evidence a bare "(an)" is left alone.
_MIN_TONED_FOR_PLAIN = 3


def has_toned_pinyin(text: str) -> bool:
    """Whether a text annotates its characters with toned pinyin often enough to trust bare syllables too."""
    return len(_TONED_ANNOTATION.findall(text)) >= _MIN_TONED_FOR_PLAIN


def pinyin_annotation_spans(text: str, *, bare_syllables: bool | None = None) -> list[tuple[int, int]]:
    """(start, end) of every pinyin gloss after a Han character, e.g. the (lái) of 以來(lái).

    Bare syllables such as 的(de) count too when bare_syllables is true, or (when
    None) when this text itself carries enough toned glosses. Real brackets such
    as 村(社區) never match.
    """
    if bare_syllables is None:
        bare_syllables = has_toned_pinyin(text)
    spans = [match.span() for match in _TONED_ANNOTATION.finditer(text)]
    if bare_syllables:
        spans += [match.span() for match in _PLAIN_ANNOTATION.finditer(text)]
    return sorted(spans)


def strip_pinyin_annotations(text: str, *, bare_syllables: bool | None = None) -> str:
    """Remove pinyin glosses after Han characters, e.g. 以來(lái) → 以來, keeping real brackets."""
    kept, position = [], 0
    for start, end in pinyin_annotation_spans(text, bare_syllables=bare_syllables):
        kept.append(text[position:start])
        position = end
    kept.append(text[position:])
    return "".join(kept)


# --- lines ---------------------------------------------------------------------


@dataclass
class Line:
    """One kept line of text (or several joined across a page break)."""

    number: int  # 1-based line in the decoded text
    text: str  # stripped, pinyin glosses removed, original script
    indent: int = 0
    last_number: int = 0  # last source line when lines were joined
    key: str = ""  # the same text in Simplified characters: every rule matches on this

    def __post_init__(self) -> None:
        if not self.last_number:
            self.last_number = self.number
        if not self.key:
            self.key = self.text


def simplified_lines(lines: list[str]) -> list[str]:
    """The lines converted to Simplified characters, one for one, so rules need one spelling."""
    converted = to_simplified("\n".join(lines)).split("\n")
    if len(converted) != len(lines):  # never seen; OpenCC keeps newlines
        converted = [to_simplified(line) for line in lines]
    return converted


def same_span(original: str, key: str, part: str) -> str:
    """The piece of the original-script text that sits where `part` sits in its Simplified key."""
    start = key.find(part)
    if start < 0 or len(original) != len(key):
        return part
    return original[start:start + len(part)]


def tail_of(original: str, key: str, key_tail: str) -> str:
    """The original-script text matching the last len(key_tail) characters of the key."""
    if len(original) != len(key) or not key.endswith(key_tail):
        return key_tail
    return original[len(original) - len(key_tail):] if key_tail else ""


@dataclass
class PageChrome:
    """What the chrome scan removed and learned about the page."""

    removed: dict[int, str] = field(default_factory=dict)  # 1-based line -> reason
    source: str | None = None
    page: str | None = None
    issue: str | None = None  # 期号 from the masthead (articles.text.issues)
    page_date: PartialDate | None = None
    published: PartialDate | None = None
    authors: list[str] = field(default_factory=list)  # from a web page's 作者: info line
    is_web: bool = False


_SENTENCE_MARKS = set("，,。；;！？!?")
_FINAL = set("。！？!?…；;：:.")
_CLOSERS = set("”’\"』」")
_BRACKET_CLOSERS = set(")）】]〕")


def ends_sentence(text: str) -> bool:
    """Whether a paragraph ends where a sentence may end (so no page break cut it)."""
    text = text.rstrip()
    if not text:
        return True
    last = text[-1]
    if last in _FINAL or last in _BRACKET_CLOSERS:
        return True
    if last in _CLOSERS:
        # 。” closes a quoted sentence; “顶梁” closing mid-sentence does not.
        inner = text.rstrip("".join(_CLOSERS))
        return bool(inner) and (inner[-1] in _FINAL or inner[-1] in _BRACKET_CLOSERS)
    return False


def _han_count(text: str) -> int:
    return sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff")


_PHONE = re.compile(r"\d{3,4}\s*[-—–－]\s*\d{5,8}|\d{7,}")
_LIST_OPENER = re.compile(r"^(?:[一二三四五六七八九十]+[、.．]|[(（][一二三四五六七八九十\d]+[)）]|\d{1,2}[、.．](?!\d)|第[一二三四五六七八九十]+[，,、是])")


def looks_like_heading(text: str) -> bool:
    """A short line without sentence punctuation: a title, kicker, subtitle or intertitle."""
    text = text.strip()
    if text.startswith("#"):
        body = fields.clean_heading(text)
        return bool(body) and not body.endswith("。") and len(body) <= 80
    body = fields.clean_heading(text)
    if not 2 <= len(body) <= 40 or _han_count(body) < 2:
        return False
    if body[0] in "(（【[" and body[-1] in ")）】]":
        return False
    if body[-1] in "。；;：:，,、" or body.endswith("……") or "。" in body or "；" in body or ";" in body:
        return False
    if _PHONE.search(body) or fields.is_date_line(body):
        return False
    if ("，" in body or "," in body or body[-1] in "！？!?") and len(body) > 24:
        return False
    return not (fields.is_byline_line(body) or fields.is_photo_credit_line(body) or fields.is_lede(body))


def _is_prose(text: str) -> bool:
    # Enough sentence punctuation to be running text, never a heading.
    return len(text) >= 16 and sum(1 for ch in text if ch in _SENTENCE_MARKS or ch == "、") >= 1 and not looks_like_heading(text)


def _opens_body(text: str) -> bool:
    # Running text or a salutation, as opposed to headings, dates and contact lines.
    if _han_count(text) < 4 or looks_like_heading(text) or fields.is_date_line(text):
        return False
    if fields.masthead_name(text) or _CONTACT_LABEL.search(text) and len(text) <= 100:
        return False
    return not (fields.is_byline_line(text) or fields.is_photo_credit_line(text) or fields.is_name_line(text))


# --- chrome rules --------------------------------------------------------------

# Why a line was removed, in words an editor reads on the reading page.
FOOTER = "site footer (copyright, disclaimer or links)"
REGISTRATION = "site registration (ICP/备案)"
SITE_HEADER = "site header"
BREADCRUMB = "breadcrumb"
SUBMISSION = "submission address"
COUNTER = "visitor counter"
PAGE_TOOLS = "page tools bar (print, close, author/date bar)"
SHARE = "share prompt"
CONTACT = "contact line (e-mail, hotline, address)"
CREDIT = "editor credit"
ARTICLE_INFO = "article info line (source, date, views)"
ISSUE = "issue number"
PAGE_NUMBER = "page number (版次)"
POINTER = "page pointer"
PAGE_DATE = "page date"
COPUBLISHER = "co-publisher credit"
RELATED = "related links"
LINK_LIST = "link list"
NAVIGATION = "navigation menu or site list"
MASTHEAD = "masthead"
TEASER = "teaser box (导读)"
MENU_ECHO = "section name (menu echo)"
LINK_BOX = "link box heading"

_WEB_HEADER = re.compile(r"欢迎(?:光临|访问|来到|您访问)|设为首页|加入收藏|收藏本站|网站首页|返回首页|网站导航|会员登录|用户登录|免费注册")
_BREADCRUMB = re.compile(r"^(?:您?(?:当前|现在)?(?:所在)?的?位置|当前位置|所在位置)\s*[:：]|首页\s*(?:>>?|»|›|＞|→|/)")
_FOOTER_START = re.compile(r"^(?:版权声明|版权所有|免责声明|本站声明|Copyright|©|\(c\)|（c）)", re.I)
_FOOTER_LINK_WORDS = r"(?:关于我们|联系我们|友情链接|合作伙伴|网站地图|广告服务|法律声明|隐私政策|网站声明)"
# "友情链接:" or "关于我们 | 网站地图", not "关于我们村的变化".
_FOOTER_LINKS = re.compile(rf"^{_FOOTER_LINK_WORDS}(?:\s*$|\s*[:：|｜·]|.*{_FOOTER_LINK_WORDS})")
_REGISTRATION = re.compile(r"ICP\s*[备证]|公网安备|网站备案|备案号|网站标识码|(?:经营|服务)许可证")
_SUBMISSION = re.compile(r"投稿(?:信箱|邮箱|热线|地址)")
# A counter shows a number after its label; "网站访问量突破百万" is a headline.
_COUNTER = re.compile(r"您是第\s*\d*\s*位|(?:访问|浏览|点击|阅读|播放|观看)(?:量|人数|次数|数|率)?\s*[:：]\s*\d*|在线人数\s*[:：]")
_PAGE_TOOLS = re.compile(r"打印本页|关闭窗口|打印此文|【\s*字体|字号\s*[:：]\s*[大中小]|返回顶部|上一篇|下一篇|【\s*(?:打印|关闭|收藏|返回)\s*】|字体\s*[:：]|上一期|下一期|上一版|下一版|往期回顾|版面导航|返回目录|PDF\s*下载|【\s*(?:作者|来源|发表时间|发布时间|点击)")
# A government site's 信息公开 metadata table over a document: 索 引 号： / 发布机构： / 成文日期： / 文 号：.
_DOCUMENT_METADATA = re.compile(
    r"^(?:索\s*引\s*号|主题分类|发布机构|发文机关|成文日期|文\s*号|发布日期|标\s*题|有\s*效\s*性|公开方式|公开范围|"
    r"所属机构|生成日期|信息分类|体裁分类)\s*[:：]"
)
# A WeChat account's id on its profile card over the article: 微信号 FViewXFG.
WECHAT_ID = re.compile(r"^(?:微信号|公众号ID)\s*[:：]?\s*[A-Za-z][-_A-Za-z0-9]{4,19}$")
# Not bare 扫码: 扫码测温 and 扫码登记 are news words.
_SHARE = re.compile(r"分享到|一键分享|扫一扫|扫描二维码|扫码(?:关注|下载|阅读|收听|观看)|关注我们|关注微信|官方微信|官方微博")
_CONTACT_LABEL = re.compile(r"(?:^|\s)(?:地址|电话|传真|邮编|网址|邮箱|E-?mail|QQ)\s*[:：]", re.I)
_MEDIA_CONTACT = re.compile(r"^(?:E-?mail|电子邮箱|电子信箱|邮箱)\s*[:：]|(?:新闻|广告|报料|发行|订报|订阅|服务|读者)\S{0,4}热线", re.I)
_CREDIT_LABELS = (
    r"(?:本版)?(?:社长|总编辑|副总编辑|值班总编|责任编辑|责编|编辑|主编|副主编|审读|审校|审核|校对|美编|美术编辑|组版|版式|版式设计|排版|"
    r"本期统筹|统筹|本期特约组稿|特约组稿|本期组稿|组稿|策划|本版编辑|值班编辑|值班主任|终审|二审|一审|监制|制图)"
)
_CREDIT = re.compile(
    rf"^[(（【\[]?\s*{_CREDIT_LABELS}\s*[:：]"
    # "编辑 张三  校对 李四": labels and names only, no colon
    rf"|^(?:{_CREDIT_LABELS}\s+[\u4e00-\u9fff]{{2,4}}(?:\s+[\u4e00-\u9fff]{{2,4}})*\s*)+$"
    r"|^本版(?:图片|照片|摄影|图|插图)"
)
_META_LINE = re.compile(r"(?:来源|作者|发布时间|发布日期|发表时间|更新时间|时间|日期|编辑|浏览|点击|阅读|字号)\s*[:：]")
_PUBLISH_LABEL = re.compile(r"(?:来源|发布时间|发布日期|发表时间|更新时间)\s*[:：]")
_RELATED_LABEL = re.compile(r"^(?:相关(?:新闻|文章|阅读|链接|报道)|推荐阅读|热点推荐|猜你喜欢|热门(?:文章|新闻|推荐)|最新(?:文章|新闻)|热点新闻|点击排行|精彩推荐)\s*[:：]?$")
_ISSUE = re.compile(r"总第\s*\d+\s*[期号]|CN\s*\d{2}\s*-\s*\d{4}|统一(?:连续出版物|刊)号|邮发代号|^(?:\d{4}\s*年\s*)?第\s*\d+\s*[期号]\b|^第\s*\d+\s*[期号]$")
_TEASER_LABEL = re.compile(r"^(?:精彩看点|本期看点|今日看点|看点|本期导读|今日导读|精彩导读|要闻导读|导读|内容提要|本期提要|今日提要)$")
_POINTER = re.compile(r"^(?:[▶►→>》»▷]+\s*)(?:详?见)?\s*第?\s*[A-Za-z]?\d{1,2}\s*版\s*$|^[(（]?\s*(?:详见|见|转|下转)\s*第?\s*[A-Za-z]?\d{1,2}\s*版\s*[)）]?$")
_INLINE_POINTER = re.compile(r"(?:[▶►→▷]+|…{1,2}|\.{3,})\s*(?:详?见)?\s*第?\s*[A-Za-z]?\d{1,2}\s*版$")
_COPUBLISHER = re.compile(r"^(?:联办|协办|主办|承办|合办|联合主办|协办单位|主办单位|承办单位|联办单位)(?:\s*[:：].*)?$|\s(?:联办|协办|主办)$")
_ORG_THEN_ROLE = re.compile(r"^(.{2,30}?)(?:联办|协办|主办|承办)$")
_LINK_BULLET = re.compile(r"^[·•●◆■▪►▸◇○]\s*\S")
_SECTION_BOX = re.compile(r"^[□■◆◇▌▍]\s*\S{1,10}$")


def _nav_tokens(text: str) -> list[str] | None:
    # A menu or a row of partner sites: many short tokens, no sentence marks.
    if len(text) > 200 or any(ch in text for ch in "，。；：:;！？"):
        return None
    tokens = [t for t in re.split(r"\s*[|｜]\s*|\s+", text) if t]
    pipes = text.count("|") + text.count("｜")
    if len(tokens) >= 5 and all(len(t) <= 10 for t in tokens) and sum(len(t) for t in tokens) / len(tokens) <= 7:
        return tokens
    if pipes >= 1 and len(tokens) >= 2 and all(len(t) <= 8 for t in tokens):
        return tokens
    return None


def _is_media_row(text: str) -> bool:
    # "人民网 新华网 央视网", "XX区人民政府 中国文明网": a short row of media
    # and partner-site names under a web article.
    tokens = text.split()
    return 2 <= len(tokens) <= 12 and all(re.fullmatch(r"\S{1,12}(?:网|报|台|频道|在线|客户端|政府|网站|官网)", t) for t in tokens)


def _strong_reason(text: str) -> str | None:
    # Rules that hold wherever the line sits on the page.
    if len(text) > _MAX_CHROME_LINE:
        return None
    sentence_end = text.endswith("。")
    if _FOOTER_START.match(text):
        return FOOTER
    if _FOOTER_LINKS.match(text) and len(text) <= 60 and not sentence_end:
        return FOOTER
    if _REGISTRATION.search(text) and len(text) <= 150:
        return REGISTRATION
    if _WEB_HEADER.search(text) and not sentence_end and len(text) <= 200:
        return SITE_HEADER
    if _DOCUMENT_METADATA.match(text) and len(text) <= 150:
        return ARTICLE_INFO
    if WECHAT_ID.match(text):
        return SITE_HEADER
    if _BREADCRUMB.search(text) and len(text) <= 120:
        return BREADCRUMB
    if _SUBMISSION.search(text) and len(text) <= 150 and not sentence_end:
        return SUBMISSION
    # Before the counter: "来源:X 作者:Y 发布时间:… 点击数:" is an info line
    # (its author and date are read from it) that also shows a counter.
    if len(text) <= 150 and not sentence_end and "。" not in text:
        labels = _META_LINE.findall(text)
        if len(labels) >= 2 and _PUBLISH_LABEL.search(text) or _PUBLISH_LABEL.search(text) and fields.find_full_dates(text):
            return ARTICLE_INFO
    if _COUNTER.search(text) and len(text) <= 60:
        return COUNTER
    if _PAGE_TOOLS.search(text) and len(text) <= 120 and not sentence_end:
        return PAGE_TOOLS
    if _SHARE.search(text) and len(text) <= 40 and not sentence_end:
        return SHARE
    if "联系人" not in text and len(text) <= 150 and not sentence_end:
        if _MEDIA_CONTACT.search(text) or len(set(m.strip(" :：").upper() for m in _CONTACT_LABEL.findall(text))) >= 2:
            return CONTACT
    if _CREDIT.match(text) and len(text) <= 60 and not sentence_end:
        return CREDIT
    if _ISSUE.search(text) and len(text) <= 30 and not any(ch in text for ch in "，。,"):
        return ISSUE
    if fields.page_number(text):
        return PAGE_NUMBER
    if _POINTER.match(text):
        return POINTER
    if fields.has_weekday(text) and len(text) <= 60 and fields.find_full_dates(text) and not any(ch in text for ch in "，。,;；"):
        return PAGE_DATE  # also 'XX日报 2022年4月20日 星期三 第5版'
    if _COPUBLISHER.search(text) and len(text) <= 40:
        return COPUBLISHER
    org = _ORG_THEN_ROLE.match(text)
    if org and fields.is_organisation_line(org.group(1)):
        return COPUBLISHER
    if _RELATED_LABEL.match(text):
        return RELATED
    if _LINK_BULLET.match(text) and len(text) <= 40 and re.search(r"(?:\.\.|…)$", text):
        return LINK_LIST
    if _nav_tokens(text) and re.search(r"[|｜]|首页|主页", text) and not fields.is_byline_line(text):
        return NAVIGATION  # (but '文｜许晴' is a byline)
    if "版权所有" in text or re.search(r"all rights reserved", text, re.I):
        if len(text) <= 100 and not sentence_end:
            return FOOTER
    return None


_HEADING_MARKS = re.compile(r"^#+\s*")
_SITE_NAME_REASONS = (SITE_HEADER, FOOTER, REGISTRATION)
_WEB_REASONS = {SITE_HEADER, BREADCRUMB, FOOTER, ARTICLE_INFO, RELATED, REGISTRATION, NAVIGATION,
                COUNTER, PAGE_TOOLS, LINK_LIST, SUBMISSION}


def find_chrome(lines: list[str], keys: list[str] | None = None) -> PageChrome:
    """Classify every line of a page; return the chrome lines with reasons and the page facts.

    keys are the lines in Simplified characters (computed when not given); the
    rules read them, so Traditional pages lose the same chrome.
    """
    chrome = PageChrome()
    keys = keys if keys is not None else simplified_lines(lines)
    originals = [line.strip() for line in lines]
    texts = [_HEADING_MARKS.sub("", key.strip()) for key in keys]
    removed: dict[int, str] = {}  # 0-based while scanning
    for i, text in enumerate(texts):
        if text:
            reason = _strong_reason(text)
            if reason:
                removed[i] = reason
    nonblank = [i for i, text in enumerate(texts) if text]
    # Rows of short tokens are menus or partner-site lists above and below the
    # articles; between them they are lists of names (a 公示 notice) and stay.
    rows = {i for i in nonblank if i not in removed and _nav_tokens(texts[i])}
    # The masthead zone ends where the first article's text begins.
    top_end = next((i for i in nonblank if i not in removed and i not in rows and _opens_body(texts[i])), len(texts))
    bottom_start = next((i for i in reversed(nonblank) if i not in removed and i not in rows and _is_prose(texts[i])), -1)
    for i in rows:
        if i < top_end or i > bottom_start:
            removed[i] = NAVIGATION
    web_kinds = {reason for reason in removed.values() if reason in _WEB_REASONS}
    chrome.is_web = len(web_kinds) >= 2

    _mark_masthead_zone(texts, nonblank, top_end, removed, chrome)
    _mark_teasers(texts, removed)
    _mark_related_links(texts, nonblank, removed)
    _mark_credit_continuations(texts, nonblank, removed)
    _mark_copublisher_stacks(texts, nonblank, removed)
    if chrome.is_web:
        _mark_web_leftovers(texts, nonblank, top_end, removed)
        for i in nonblank:
            if i > bottom_start and i not in removed and _is_media_row(texts[i]):
                removed[i] = NAVIGATION

    masthead = None
    for i, reason in sorted(removed.items()):
        text = texts[i]
        original = _HEADING_MARKS.sub("", originals[i])
        if chrome.page is None and reason in (PAGE_NUMBER, PAGE_DATE, MASTHEAD):
            chrome.page = fields.page_number(text) or fields.page_in_line(text)
        if chrome.issue is None and reason in (ISSUE, PAGE_DATE, MASTHEAD):
            chrome.issue = issue_label(text)
        if chrome.page_date is None and reason == PAGE_DATE:
            chrome.page_date = next(iter(fields.find_full_dates(text)), None)
        if chrome.published is None and reason != PAGE_DATE:
            chrome.published = fields.publication_date(text)
        if not chrome.authors and reason in (ARTICLE_INFO, PAGE_TOOLS):
            chrome.authors = [same_span(original, text, name) for name in fields.authors_in(text)]
        if chrome.source is None and reason in _SITE_NAME_REASONS:
            name = fields.site_name(text)
            chrome.source = same_span(original, text, name) if name else None
        if masthead is None and reason in (MASTHEAD, PAGE_DATE):
            name = fields.masthead_name(text) or fields.masthead_in_line(text)
            masthead = same_span(original, text, name) if name else None
    chrome.source = chrome.source or masthead
    chrome.removed = {i + 1: reason for i, reason in sorted(removed.items())}
    return chrome


def _neighbours(nonblank: list[int], i: int, reach: int = 2) -> list[int]:
    pos = bisect.bisect_left(nonblank, i)
    return nonblank[max(0, pos - reach):pos] + nonblank[pos + 1:pos + 1 + reach]


_NEWSPAPER_REASONS = {PAGE_NUMBER, CREDIT, ISSUE, PAGE_DATE, MASTHEAD, CONTACT}


def _mark_masthead_zone(texts: list[str], nonblank: list[int], top_end: int, removed: dict[int, str], chrome: PageChrome) -> None:
    # Above the first running text a newspaper prints its name and the issue
    # date; a bare date or an "XX报" line there is masthead, below it is not.
    zone = [i for i in nonblank if i < top_end]
    first_lines = set(zone[:3])
    for _ in range(2):  # a second pass lets a name next to a just-found date count
        for i in zone:
            if i in removed:
                continue
            text = texts[i]
            near_chrome = any(removed.get(j) in _NEWSPAPER_REASONS for j in _neighbours(nonblank, i))
            if fields.masthead_name(text) and (i in first_lines or near_chrome):
                removed[i] = MASTHEAD
            elif re.fullmatch(r"\S{2,20}(?:机关报|主管主办|主办)", text) and (i in first_lines or near_chrome):
                removed[i] = MASTHEAD  # "中共XX市委机关报"
            elif fields.is_date_line(text):
                removed[i] = PAGE_DATE
            elif "联系人" not in text and _CONTACT_LABEL.search(text) and len(text) <= 100:
                removed[i] = CONTACT


def _next_nonblank(texts: list[str], i: int) -> int | None:
    for j in range(i + 1, min(len(texts), i + 4)):
        if texts[j]:
            return j
    return None


def _mark_teasers(texts: list[str], removed: dict[int, str]) -> None:
    # 精彩看点 / 导读 boxes: teaser headlines each followed by a ▶▶06版 pointer.
    for i, text in enumerate(texts):
        if not _TEASER_LABEL.match(text):
            continue
        removed[i] = TEASER
        j = _next_nonblank(texts, i)
        steps = 0
        while j is not None and steps < 40:
            steps += 1
            current = texts[j]
            after = _next_nonblank(texts, j)
            if _POINTER.match(current) or _INLINE_POINTER.search(current):
                removed[j] = TEASER
            elif looks_like_heading(current) and after is not None and _POINTER.match(texts[after]):
                removed[j] = TEASER
            else:
                break
            j = after


def _mark_related_links(texts: list[str], nonblank: list[int], removed: dict[int, str]) -> None:
    # Under 相关新闻 / 推荐阅读 come headline links until running text resumes.
    for pos, i in enumerate(nonblank):
        if removed.get(i) != RELATED:
            continue
        for j in nonblank[pos + 1:pos + 30]:
            text = texts[j]
            if j in removed:
                continue
            if _is_prose(text) and ends_sentence(text) or len(text) > 60:
                break
            removed[j] = RELATED


def _is_names_only(text: str) -> bool:
    # Two or more names: a single short word under a credit may be the next title.
    tokens = text.split()
    return 2 <= len(tokens) <= 6 and all(re.fullmatch(r"[\u4e00-\u9fff]{2,4}", t) for t in tokens)


def _mark_credit_continuations(texts: list[str], nonblank: list[int], removed: dict[int, str]) -> None:
    # "本期特约组稿:吴畅 章红荔" often wraps its names onto the next line.
    for pos, i in enumerate(nonblank):
        if removed.get(i) != CREDIT:
            continue
        for j in nonblank[pos + 1:pos + 4]:
            if j in removed:
                if removed[j] == CREDIT:
                    continue
                break
            if _is_names_only(texts[j]):
                removed[j] = CREDIT
            else:
                break


def _mark_copublisher_stacks(texts: list[str], nonblank: list[int], removed: dict[int, str]) -> None:
    # "XX县融媒体中心 / XX县新闻中心 / 联办": the organisations above the label go too.
    for pos, i in enumerate(nonblank):
        if removed.get(i) != COPUBLISHER or re.search(r"[:：]", texts[i]):
            continue
        for j in reversed(nonblank[max(0, pos - 6):pos]):
            if j in removed or not fields.is_organisation_line(texts[j]):
                break
            removed[j] = COPUBLISHER


def _mark_web_leftovers(texts: list[str], nonblank: list[int], top_end: int, removed: dict[int, str]) -> None:
    # Section names repeated from the menu or the breadcrumb ("多彩渭南"), link
    # boxes ("□ 丝路在线" over "· headline .." runs): page furniture, not titles.
    menu: set[str] = set()
    for i, reason in removed.items():
        if reason == NAVIGATION:
            menu.update(_nav_tokens(texts[i]) or [])
        elif reason == BREADCRUMB:
            menu.update(t for t in re.split(r"[>»›＞→/:：\s]+", texts[i]) if t)
    for pos, i in enumerate(nonblank):
        if i in removed:
            continue
        text = texts[i]
        following = nonblank[pos + 1] if pos + 1 < len(nonblank) else None
        if (pos < 3 and i < top_end and fields.SITE_TITLE.match(text)
                and removed.get(following) in (NAVIGATION, BREADCRUMB, SITE_HEADER)):
            removed[i] = SITE_HEADER  # the site's name above its menu, not the article's kicker
        elif text in menu and len(text) <= 15:
            removed[i] = MENU_ECHO
        elif _SECTION_BOX.match(text) and i < top_end:
            removed[i] = LINK_BOX
        elif _LINK_BULLET.match(text) and len(text) <= 40 and not text.endswith("。"):
            neighbours = _neighbours(nonblank, i, 1)
            if any(_LINK_BULLET.match(texts[j]) for j in neighbours):
                removed[i] = LINK_LIST


# --- kept lines and page-break repair -------------------------------------------


def kept_lines(lines: list[str], chrome: PageChrome, keys: list[str] | None = None) -> list[Line]:
    """The non-blank, non-chrome lines, stripped and with pinyin glosses removed."""
    keys = keys if keys is not None else simplified_lines(lines)
    bare = has_toned_pinyin("\n".join(lines))  # decided once for the file, not per line
    out = []
    for number, (raw, key) in enumerate(zip(lines, keys), start=1):
        if number in chrome.removed or not raw.strip():
            continue
        text = strip_pinyin_annotations(raw.strip(), bare_syllables=bare)
        key = strip_pinyin_annotations(key.strip(), bare_syllables=bare)
        if text:
            out.append(Line(number, text, len(raw) - len(raw.lstrip()), key=key))
    return out


def _is_structural(text: str) -> bool:
    # Lines that open something new and must never be glued onto a paragraph.
    return (
        text.startswith("#")
        or looks_like_heading(text)
        or fields.is_subtitle_line(text)
        or fields.is_lede(text)
        or fields.is_byline_line(text)
        or fields.is_photo_credit_line(text)
        or fields.is_date_line(text)
        or _LIST_OPENER.match(text) is not None
        or text.startswith(("(上接", "（上接", "编者按", "【"))
    )


def can_join(first: Line, second: Line) -> bool:
    """Whether two lines are one paragraph cut by a page or column break."""
    a, b = first.key, second.key
    if ends_sentence(a) or not _is_prose(a) or fields.looks_like_caption(a) or fields.is_lede(a) and len(a) < 40:
        return False
    return not _is_structural(b)


def join_broken_paragraphs(lines: list[Line]) -> list[Line]:
    """Glue paragraphs that a page break split mid-sentence back together, with no space."""
    out: list[Line] = []
    for line in lines:
        if out and can_join(out[-1], line):
            previous = out[-1]
            out[-1] = Line(previous.number, previous.text + line.text, previous.indent, line.last_number, previous.key + line.key)
        else:
            out.append(line)
    return out
