"""Web-page dumps: find the one article inside a page of site chrome, by shape.

A text dump of a news page (w3m, lynx, a browser's select-all) is one article
surrounded by menus, link lists, share bars, comment boxes and footers. The
article is the densest run of prose on the page: every line gets a score
from its shape (positive for running text, negative for the short lines,
bullets, link rows and placeholders chrome is made of) and the content is the
contiguous run of lines with the highest total (the line-block methods used
on Chinese pages, with jusText's lesson that a short line between good ones
is good). The headline is the heading-like line above the content that
introduces it, preferably the one over the article's meta line (date, 来源,
作者); title, date, source and authors are read from there, never from the
site header, a sidebar or a comment.

Every line left out keeps the reason it was left out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from articles.text import fields
from articles.text.clean import (
    ARTICLE_INFO, FOOTER, REGISTRATION, SITE_HEADER, WECHAT_ID, _strong_reason, looks_like_heading,
)
from articles.text.document import PartialDate
from articles.text.split import is_title_echo
from articles.text.shape import WEB_WORDS, LineShape, is_link_row, is_timestamp, line_shape

# Reasons an editor reads on the 原文 view.
OUTSIDE = "outside the article (site chrome: short lines, links, lists)"
LINK_RUN = "link list or menu (bullets, | rows, link markers)"
PLACEHOLDER = "image, frame or form placeholder"
HEADLINE_ECHO = "headline repeated"
ORIGINAL_TITLE = "original-title note (原标题)"
META = "article info line (date, source, author)"
SOURCE_LINE = "source line (来源)"
CREDIT_LINE = "editor or reporter credit line"
WIDGET = "video or picture widget notice"
PROMPT = "reader prompt (share, follow, click)"
BROKEN = "broken characters only"
DISCLAIMER = "disclaimer or statement of the site (声明)"

# A line's score: prose adds its length, chrome costs a fixed amount.
_SHORT_COST = 5.0
_LINK_COST = 12.0
_PLACEHOLDER_COST = 2.0
_CHROME_COST = 20.0
_THREAD_COST = 40.0
_POSTED_AT = re.compile(r"(?<!\d)\d{1,2}:\d{2}(?::\d{2})?(?!\d)|\d+\s*(?:秒|分钟|小时|天)前|刚刚")
# Each further line of an unbroken chrome run costs this much more (as a share of its own cost).
_GAP_GROWTH = 0.5
# An unbroken run of this many chrome lines is never crossed.
_HARD_GAP = 8
_WALL = -1e9

# How far above the content the headline may stand (non-blank lines).
_HEADLINE_REACH = 40
# How far below its info line the body of a headed article may begin (lines),
# how many headed candidates a page is searched for, and the share of the
# page's best run a headed run needs to win over it.
_HEAD_WINDOW = 80
_MAX_HEADS = 60
_HEAD_SHARE = 0.4
# A headed run shorter than this (about one sentence) is a teaser, not an article.
_MIN_HEADED = 20.0


@dataclass
class WebArticle:
    """What the web path found: line indices (0-based) of the parts of the article."""

    title: int | None
    content: list[int]
    title_lines: list[int] = field(default_factory=list)  # a headline broken over several lines, in order  # lines of the article body, in order
    meta: list[int] = field(default_factory=list)  # info lines between headline and body
    removed: dict[int, str] = field(default_factory=dict)  # 0-based line -> reason
    date: PartialDate | None = None
    source: str | None = None  # the outlet the article is credited to
    site: str | None = None  # the site's own name, from its header or footer
    authors: list[str] = field(default_factory=list)


def line_score(shape: LineShape, chrome_reason: str | None) -> float:
    """How much a line looks like article text (positive) or chrome (negative)."""
    if not shape.text:
        return 0.0
    if chrome_reason:
        return -_CHROME_COST
    if shape.placeholder:
        return -_PLACEHOLDER_COST
    if shape.is_prose:
        # Density of sentence marks and function characters separates prose
        # from keyword rows that happen to contain a full stop.
        density = min(1.0, (shape.punctuation * 15 + shape.function * 6) / max(shape.han, 1))
        return shape.han * (0.5 + 0.5 * density)
    if is_table_row(shape.text):
        return 0.0  # a data table inside the text is crossed, neither text nor chrome
    if shape.bullet or is_link_row(shape):
        return -_LINK_COST
    if is_timestamp(shape.text) or shape.han <= 15 and _POSTED_AT.search(shape.text):
        # A time stamp on its own is a comment's or a live feed's entry header.
        return -_THREAD_COST
    return -_SHORT_COST


_NUMBER = re.compile(r"[+\-−]?\d[\d,.]*%?|[+\-−]?\d*\.\d+%?")


def is_table_row(text: str) -> bool:
    """A row of a data table printed in the text: a label, then figures ('青山县  15624  8.9')."""
    tokens = text.split()
    if len(tokens) < 3 or not re.search(r"[\u4e00-\u9fff]", tokens[0]):
        return False
    if WEB_WORDS.search(text) or re.search(r"页|赞|阅读|在看|评论|收藏|分享|关注|粉丝|浏览", text):
        return False  # a pager or a row of counters: 上一页 1 2 3, 点赞 12 收藏 3
    figures = sum(1 for token in tokens[1:] if _NUMBER.fullmatch(token))
    return figures >= 2 and figures * 2 >= len(tokens)


def escalate_gaps(scores: list[float], placeholders: list[bool], walls: list[bool]) -> list[float]:
    """Make each further chrome line in an unbroken run cost more, and long runs impassable.

    One or two short lines between paragraphs are intertitles or captions; a
    run of a dozen is a menu, a share bar or a comment box, and text beyond it
    belongs to something else (a comment thread, related-story teasers). A
    wall line (a 相关阅读 / 为你推荐 heading) ends the article outright.
    """
    out, run = [], 0
    for score, placeholder, wall in zip(scores, placeholders, walls):
        if wall:
            score, run = _WALL, run + 1
        elif score > 0:
            run = 0
        elif score < 0 and not placeholder:
            run += 1
            score = _WALL if run >= _HARD_GAP else score * (1 + _GAP_GROWTH * (run - 1))
        out.append(score)
    return out


# Headings of what follows an article: related stories, recommendations, comments.
_AFTER_ARTICLE = re.compile(
    r"^(?:相关(?:阅读|新闻|文章|推荐|报道|链接|专题)|延伸阅读|延伸\s*[·•]?\s*推荐|推荐阅读|为[你您]推荐|猜你喜欢|"
    r"您?可能(?:感兴趣|会喜欢|还喜欢)|热门(?:推荐|文章|新闻|评论|跟贴)|(?:作者|小编)(?:最新|最近|更多)文章|"
    r"更多精彩|精彩推荐|网友评论|最新评论|热门评论|评论\s*[(（]\d+[)）]|我要评论|发表评论)"
)


def is_wall(shape: LineShape) -> bool:
    """A line that ends the article: an editor's credit, or the heading of related links or comments."""
    if len(shape.text) <= 60 and _CLOSING_CREDIT_LINE.match(shape.text):
        return True
    return shape.han <= 16 and not shape.finals and bool(_AFTER_ARTICLE.match(shape.text))


def best_run(scores: list[float]) -> tuple[int, int]:
    """The [start, end] of the contiguous run with the highest total score (Kadane)."""
    best, best_span = float("-inf"), (0, -1)
    total, start = 0.0, 0
    for i, score in enumerate(scores):
        if total <= 0:
            total, start = score, i
        else:
            total += score
        if total > best:
            best, best_span = total, (start, i)
    return best_span


# --- in-body noise ------------------------------------------------------------------

_ORIGINAL_TITLE = re.compile(r"^[(（【\[]?\s*(?:本文)?原(?:标)?题(?:为|是)?\s*[:：《]|^[(（]\s*原题为|^原标题")
_SOURCE_LINE = re.compile(
    r"^[(（【\[]?\s*(?:本文|文章|稿件|信息|内容|资料|图片)?(?:来源|来自|出处|转自|转载自|稿源)\s*(?:于)?\s*[:：]"
    r"|^[(（]?\s*(?:综合整理自|综合自|信息来源于|本文转载自|本文来自|资料来源)"
    r"|^[(（【\[]?\s*来源\s*[:：]?\s*\S{1,20}[)）】\]]?$"
)
_EDITOR_CREDIT = re.compile(
    r"^[(（【\[]?\s*(?:责任编辑|责编|编辑|校对|审核|审校|编审|值班编辑|监制|主编|出品|供稿|摄影|采写|执笔|文字|作者|记者|实习生|编译)"
    r"\s*[:：/／】\]]"
    r"|^[【\[]\s*(?:编辑|责任编辑|纠错)\s*[】\]]"
    r"|^[(（]\s*(?:文|文/图|图/文|记者|作者|编辑|责任编辑)\s*[/／:：]?\s*[\u4e00-\u9fff ·、，,]{2,30}[)）]$"
)
# A video player's own lines: never a headline (which may well say 视频 or 播放器).
_PLAYER_NOTICE = re.compile(r"视频加载中|您的浏览器不支持|请升级.{0,10}浏览器|^\d{1,2}:\d{2}(?:\s*/\s*\d{1,2}:\d{2})?$")
# ... and inside the text, short lines about the pictures and the player.
_WIDGET = re.compile(
    rf"{_PLAYER_NOTICE.pattern}|点击(?:查看|看|进入)?(?:大图|高清|原图|图片)|播放器|请升级|请使用.{{0,10}}浏览器|"
    r"^视频[:：]|^\s*[(（]?视频[)）]?\s*$"
)
_PROMPT = re.compile(
    r"^(?:点击|长按|扫描|扫码|关注|戳|欢迎)(?:下方|上方|右上角|二维码|关注|分享|订阅|查看|阅读原文)|"
    r"^(?:分享到|分享至|分享\s*[:：]?$|转发到|举报|收藏|点赞|赞\s*\d*|\d+\s*(?:人)?(?:参与|评论|收藏|点赞))|"
    r"阅读原文|在看|喜欢此内容的人还喜欢|^延伸阅读|^相关(?:阅读|链接|新闻|报道|推荐)|^推荐阅读|^更多精彩|^往期回顾|"
    # A mobile page's fold: 展开全文, 展开剩余 80%, 余下全文.
    r"^(?:点击)?(?:展开|查看)(?:全文|剩余)|^余下全文|^继续阅读"
)
# "扫描下方二维码关注…公众号": a promotion closing the page, not the article.
# Not bare 扫码: 扫码乘车 and 扫码登记 are news words.
_FOLLOW_PROMO = re.compile(
    r"(?:扫描|长按|识别)[^。]{0,8}二维码|扫码(?:关注|下载|阅读|订阅)|扫一扫|(?:关注|搜索|添加)[^。，]{0,12}(?:公众号|微信号|官方微信|微博|抖音号)"
)
# An author's bio closing the text: 作者简介：赵明远，河洛市委党校……
_AUTHOR_BIO = re.compile(r"^[(（【\[]?\s*(?:作者简介|作者介绍|关于作者|作者单位)\s*[:：】\]]")
_CLOSING_CREDIT_LINE = re.compile(r"^[(（【\[]?\s*(?:责任编辑|责编|编辑|校对)\s*[:：】\]]|^[【\[](?:责任编辑|编辑)[】\]]")
_DISCLAIMER = re.compile(r"^[【\[(（]?\s*(?:特别|免责|郑重|版权)?声明\s*[】\])）:：]|^本站郑重声明|^本文(?:仅)?代表作者")
# A rights notice at the text's edge: 本文为原创内容，未经授权禁止转载。
_RIGHTS_NOTICE = re.compile(
    r"(?:^[【\[(（]?\s*(?:本文|本作品|本稿件|文章)(?:为|系|是)?[^。]{0,12}(?:原创|版权)[^。]{0,24}(?:禁止|不得|严禁|谢绝|请勿)[^。]{0,6}转载"
    r"|^[【\[(（]?\s*未经(?:授权|许可|允许|同意)[^。]{0,12}(?:禁止|不得|严禁|谢绝|请勿)[^。]{0,6}转载)"
    # and nothing after it but whom to ask: 如需转载请联系 editor@….
    r"[^。，,]{0,12}[。.!！】\])）]?(?:\s*(?:如需|如要|转载请|请联系|联系)[^。]{0,40}[。]?)?$"
)
_REPORTER_LINE = re.compile(
    rf"^[【\[(（]?\s*(?:[\u4e00-\u9fff]{{0,8}}(?:记者|通讯员|作者|撰稿|采写|执笔|编译)\s*[:：/／]?\s*|(?:文|图|文/图|图/文)\s*[:：/／｜|]\s*)"
    rf"{fields.NAMES}(?:\s*[、，,]\s*{fields.NAMES})*\s*[】\])）]?$"
)


def noise_reason(text: str, at_edge: bool, chrome: str | None = None) -> str | None:
    """Why a line inside the content is not article text, or None when it is.

    chrome: the stage-2 chrome reason of the line when the caller has it already.
    """
    if not text:
        return None
    if _ORIGINAL_TITLE.match(text):
        return ORIGINAL_TITLE
    if len(text) <= 120 and _EDITOR_CREDIT.match(text) and not text.endswith("。"):
        return CREDIT_LINE
    if len(text) <= 60 and _WIDGET.search(text):
        return WIDGET
    if len(text) <= 40 and _PROMPT.search(text):
        return PROMPT
    if text.strip("\ufffd \u3000?") == "" or set(text) <= set("\ufffd? \u3000"):
        return BROKEN
    if _DISCLAIMER.match(text) and len(text) <= 300:
        return DISCLAIMER
    if at_edge and len(text) <= 150 and _FOLLOW_PROMO.search(text):
        return PROMPT
    if at_edge and len(text) <= 200 and _AUTHOR_BIO.match(text):
        return CREDIT_LINE
    if at_edge and len(text) <= 80 and _RIGHTS_NOTICE.match(text):
        return DISCLAIMER
    if at_edge and len(text) <= 60 and _SOURCE_LINE.match(text):
        return SOURCE_LINE
    if at_edge and len(text) <= 40 and _REPORTER_LINE.match(text) and not text.endswith("。"):
        return CREDIT_LINE
    return chrome if chrome is not None else _strong_reason(text)


# --- headline and meta -------------------------------------------------------------

_META_LABEL = re.compile(
    r"(?:来源|来自|作者|发布|发表|更新|时间|日期|编辑|记者|稿源|出处|浏览|阅读|评论|字号)\s*[:：]?"
    r"|\b(?:Source|Author|Updated|Published|Editor)\s*:"  # a Chinese site's English interface
)
_YEAR_DATE = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})(?!\d)")
_SPLIT_YEAR_DATE = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*[/／]?\s+(\d{1,2})\s*/\s*(\d{1,2})(?!\d)")
_SHORT_YEAR_DATE = re.compile(r"(?<![\d-])(\d{2})-(\d{2})-(\d{2})(?=\d{1,2}:\d{2}|[^\d-]|$)")
_MONTH_DAY_CLOCK = re.compile(r"(?<![\d\-/.])(\d{1,2})\s*[-/]\s*(\d{1,2})\s*(\d{1,2}:\d{2})")
_MONTH_DAY_CN = re.compile(r"(?<![\d年])(\d{1,2})月(\d{1,2})日")
_TRAILING_DATE = re.compile(r"(?:19|20)\d{2}[-/.]\d{1,2}[-/.]\d{1,2}$|(?<!\d)\d{1,2}-\d{1,2}$")
_LEADING_DATE = re.compile(r"^(?:19|20)\d{2}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}")
_SOURCE_VALUE = re.compile(r"(?:来源|来自|稿源|出处)\s*于?\s*[:：]?\s*([^\s|｜:：]{2,24})|\bSource\s*:\s*([^\s|｜:：]{2,24})")
_NOT_SOURCE = re.compile(r"^(?:网络|互联网|本站|未知|原创|作者|编辑|举报|网友)")


def meta_date(text: str) -> PartialDate | None:
    """The publication date printed in an article's info lines; a year is never invented."""
    for pattern in (_YEAR_DATE, _SPLIT_YEAR_DATE):
        for match in pattern.finditer(text):
            date = fields.checked_date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
            if date:
                return date
    full = fields.find_full_dates(text)
    if full:
        return full[0]
    match = _SHORT_YEAR_DATE.search(text)
    if match:
        date = fields.checked_date(2000 + int(match.group(1)), int(match.group(2)), int(match.group(3)))
        if date:
            return date
    match = _MONTH_DAY_CLOCK.search(text) or _MONTH_DAY_CN.search(text)
    if match:
        return fields.checked_date(None, int(match.group(1)), int(match.group(2)))
    return None


def is_meta_line(text: str) -> bool:
    """An article info line: date and time, 来源, 作者, views — short and without sentences."""
    if not text or len(text) > 160 or "。" in text or line_shape(text).is_prose:
        return False
    if ("，" in text or "," in text) and len(_han_only(text)) > 15:
        return False  # a clause of running text that happens to name a day
    if meta_date(text) and (is_timestamp(text) or _META_LABEL.search(text) or re.search(r"\d{1,2}:\d{2}", text)
                            or len(text) <= 24 and len(_han_only(text)) <= 8 or _LEADING_DATE.match(text)):
        return True
    return bool(re.match(r"^(?:来源|作者|发布时间|发布日期|发表时间|时间|日期|稿源|文章来源)\s*[:：]", text))


_OUTLET_NOISE = re.compile(
    rf"(?:记者|作者|编辑|责任编辑|通讯员|摄影|图)\s*[:：]?\s*{fields.NAMES}|发自\S+|(?:本报|本刊|本台|本网)?(?:记者|通讯员)"
    r"|(?:来源|作者|(?:发布|发表|更新)?(?:时间|日期)|发布|浏览|阅读|评论)\s*[:：]\S*"
    # The outlet's role in the story, printed after its name: 游民星空[整理].
    r"|[\[【(（](?:整理|原创|转载|编译|综合|独家|编辑)[\]】)）]"
)
# An outlet's name in an info line: Chinese (北京日报), a Latin brand (GameForce)
# or both (IT之家); never a date, a clock, a count or a weekday.
_OUTLET_NAME = re.compile(
    r"[\u4e00-\u9fff]{2,12}|[A-Z][A-Za-z]{3,19}|(?=[A-Za-z0-9]*[A-Za-z])[A-Za-z0-9]{1,8}[\u4e00-\u9fff]{1,10}"
)


# WeChat's info line: 原创 <author> <account> <date>.
_WECHAT_CREDIT = re.compile(rf"^原创\s+({fields.NAME})\s+(\S{{2,20}}?)\s+(?:19|20)\d{{2}}[-年/.]")


# The poster's province or country (IP属地) printed in the info line: '5小时前 · 2024-07-22 08:15 · 湖南',
# or the place an item was filed from ('· 浙江省', '· 杭州市').
_PLACE_ONLY = re.compile(
    r"(?:IP属地[:：]?)?(?:(?:北京|天津|上海|重庆|河北|山西|辽宁|吉林|黑龙江|江苏|浙江|安徽|福建|江西|山东|河南|湖北|湖南|广东|"
    r"海南|四川|贵州|云南|陕西|甘肃|青海|台湾|内蒙古|广西|西藏|宁夏|新疆|香港|澳门)(?:省|市|自治区|特别行政区)?"
    r"|海外|中国|未知|美国|英国|法国|德国|日本|韩国|俄罗斯|加拿大|澳大利亚|新西兰|新加坡|马来西亚|泰国|意大利|西班牙|荷兰|"
    r"[\u4e00-\u9fff]{1,5}(?:省|市|县|区|州|盟|旗))"
)
# English words of a Chinese site's interface, never an outlet's name.
_ENGLISH_INTERFACE = re.compile(
    r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March|April|May|June|July|"
    r"August|September|October|November|December|Share|Shares|Views?|Comments?|Home|News|Source|Author|Updated|"
    r"Published|Editor|Print|Close|Like|Likes|Follow|More|Read|Video|Photos?|Top|Login|Search|English)",
    re.I,
)
_ANY_DATE = re.compile(r"(?:19|20)\d{2}\s*[-/.年]\s*\d{1,2}|\d{1,2}\s*[-/月]\s*\d{1,2}\s*日?\s*\d{1,2}:\d{2}")


def meta_outlet(text: str) -> str | None:
    """An outlet printed in an info line's source slot without a 来源 label ('2019年09月07日 04:04 北京日报')."""
    wechat = _WECHAT_CREDIT.match(text)
    if wechat:
        return wechat.group(2)
    date = _ANY_DATE.search(text)
    before_date = text[:date.start()] if date else ""
    rest = _OUTLET_NOISE.sub(" ", text)
    tokens = [token for token in re.split(r"[\s|｜·•]+", rest)
              if _OUTLET_NAME.fullmatch(token) and not WEB_WORDS.search(token) and not fields.has_weekday(token)
              and not _PLACE_ONLY.fullmatch(token) and not _ENGLISH_INTERFACE.fullmatch(token)]
    # '周楠·2024-08-12 10:05·锐角科技': an outlet's name over a person's; a name before the date is the
    # author's slot, never the outlet ('张明 2023-03-01 10:00').
    ranked = ([t for t in tokens if _OUTLET_LINE.fullmatch(t)] + [t for t in tokens if not _bare_names(t)]
              + [t for t in tokens if t not in before_date])
    return ranked[0] if ranked else None


def meta_source(text: str) -> str | None:
    """The outlet named after 来源: in an info line."""
    for match in _SOURCE_VALUE.finditer(text):
        value = (match.group(1) or match.group(2)).strip("：: ")
        value = re.sub(r"(?:作者|编辑|责任编辑|发布时间|时间|阅读|浏览|举报|分享).*$", "", value)
        if len(value) >= 2 and not _NOT_SOURCE.match(value) and not re.match(r"^\d", value):
            return value
    return None


def _heading_candidate(shape: LineShape, reason: str | None) -> bool:
    text = shape.text
    if reason or shape.placeholder or not 5 <= shape.han <= 70 or len(text) > 90:
        return False
    if text.endswith(("。", "：", ":", "，", ",")) or is_meta_line(text) or is_timestamp(text):
        return False
    if fields.is_byline_line(text) or _ORIGINAL_TITLE.match(text) or _SOURCE_LINE.match(text):
        return False
    if text[0] in "(（" and text[-1] in ")）":
        return False  # a note under the headline ("（2007年6月29日…通过）")
    if _TRAILING_DATE.search(text):
        return False  # "标题2019-09-07": an entry of a dated link list
    if _PROMPT.search(text) or _EDITOR_CREDIT.match(text) or _PLAYER_NOTICE.search(text):
        return False
    return not (shape.finals >= 2 and shape.han > 40)


# "石佳/中国青年报": a person and an outlet credited under the headline.
_SLASH_CREDIT = re.compile(r"^[\u4e00-\u9fff·]{2,5}\s*[/／]\s*(\S{2,12})$")


# A forum's post furniture: the poster's rank and the post's floor.
_FORUM_ROLE = re.compile(r"^(?:楼主|版主|超级版主|管理员|沙发|板凳|地板|\d+\s*楼|#\d+|(?:注册|中级|高级|初级)会员|新手上路|当前离线|当前在线)$")


def _is_account_line(shape: LineShape) -> bool:
    """A short line naming the author, reporter or publishing account rather than the story."""
    text = shape.text
    if shape.placeholder or shape.bullet or WEB_WORDS.search(text) or is_meta_line(text) or is_timestamp(text):
        return False
    if _FORUM_ROLE.match(text):
        return False
    return 2 <= shape.han <= 8 and shape.finals == 0 or bool(_SLASH_CREDIT.match(text) or _REPORTER_LINE.match(text))


def _plain_heading(shape: LineShape, reason: str | None) -> bool:
    """A headline-like line with no menu separators or interface words in it."""
    if not _heading_candidate(shape, reason) or shape.han <= 8 or shape.bullet or is_link_row(shape):
        return False
    if re.search(r"[>|｜\t]|\S\s{2,}\S", shape.text):
        return False
    return not (shape.han <= 20 and WEB_WORDS.search(shape.text))


def _lift_headline(title: int, shapes: list[LineShape], reasons: list[str | None], nonblank: list[int]) -> tuple[int, int | None]:
    """(headline, account line): step over an author or account line printed between headline and info line,
    and from a subtitle up to the headline stacked over it."""
    lines = [j for j in nonblank if not shapes[j].placeholder]
    position = lines.index(title)
    above = [j for j in lines[max(0, position - 4):position] if _plain_heading(shapes[j], reasons[j])]
    if _is_account_line(shapes[title]):
        if above:
            return above[-1], title
        # Byline, date and outlet printed over the headline (文｜许晴 / 2024-05-21 07:30 / 经略财经 / 标题).
        byline = _REPORTER_LINE.match(shapes[title].text) or fields.is_byline_line(shapes[title].text)
        below = [j for j in lines[position + 1:position + 5] if not is_meta_line(shapes[j].text)
                 and not _is_account_line(shapes[j])][:1]
        if byline and below and _plain_heading(shapes[below[0]], reasons[below[0]]) and not shapes[below[0]].finals:
            return below[0], title
        return title, None
    below = lines[position + 1] if position + 1 < len(lines) else None
    if (above and above[-1] == lines[position - 1] and below is not None and is_meta_line(shapes[below].text)
            and all(len(token) >= 5 for token in shapes[above[-1]].text.split())
            and not is_title_echo(shapes[above[-1]].text, shapes[title].text)
            and not (_echoed(title, lines, shapes) and not _echoed(above[-1], lines, shapes))):
        # Headline over a subtitle that sits on the info bar; but not the page
        # <title> printed over the headline, nor a headline over its byline.
        return above[-1], None
    return title, None


def _echoed(i: int, lines: list[int], shapes: list[LineShape]) -> bool:
    """Whether the page prints line i's words again elsewhere (its breadcrumb or <title> line names the headline;
    a kicker over the headline is not named there)."""
    key = _han_only(shapes[i].text)
    return len(key) >= 8 and any(j != i and not shapes[j].is_prose and key in _han_only(shapes[j].text) for j in lines)


# A headline line that cannot end there, or its next line that cannot start one.
_OPEN_END = re.compile(r"[及和与并暨的之对在为、，,]$")
_CONTINUED_START = re.compile(r"^(?:关于|的|暨|及|和|与)")


def _broken_headline(title: int, shapes: list[LineShape], reasons: list[str | None], nonblank: list[int]) -> list[int]:
    """The lines of a headline a page broke in several (…关于批准…及 / 调整…的决议), `title` among them."""
    lines = [title]
    position = nonblank.index(title)
    while position > 0 and len(lines) < 4:
        upper = nonblank[position - 1]
        text, lower = shapes[upper].text, shapes[lines[0]].text
        if not (_OPEN_END.search(text) or _CONTINUED_START.match(lower)) or reasons[upper] or not _heading_candidate(shapes[upper], None):
            break
        lines.insert(0, upper)
        position -= 1
    position = nonblank.index(title)
    while position + 1 < len(nonblank) and len(lines) < 4:
        lower = nonblank[position + 1]
        if not _OPEN_END.search(shapes[lines[-1]].text) or reasons[lower] or not _heading_candidate(shapes[lower], None):
            break
        lines.append(lower)
        position += 1
    return lines


def _han_only(text: str) -> str:
    return "".join(ch for ch in text if "\u4e00" <= ch <= "\u9fff")


def _similar(a: str, b: str) -> float:
    sa = {ch for ch in a if "\u4e00" <= ch <= "\u9fff"}
    sb = {ch for ch in b if "\u4e00" <= ch <= "\u9fff"}
    if not sa or not sb:
        return 0.0
    return len(sa & sb) / min(len(sa), len(sb))


def best_run_after(scores: list[float], first: int, window: int, walls: list[bool]) -> tuple[float, int, int]:
    """(total, start, end) of the best run that starts within `window` lines after `first`, before any wall."""
    best, span = float("-inf"), (first, first - 1)
    total, start = 0.0, first
    for i in range(first, len(scores)):
        if walls[i]:
            break  # what follows 相关阅读 or a 责任编辑 credit is not this headline's text
        if total <= 0:
            if i > first + window:
                break
            total, start = scores[i], i
        else:
            total += scores[i]
        if total > best:
            best, span = total, (start, i)
    return best, span[0], span[1]


def _article_heads(shapes: list[LineShape], reasons: list[str | None], nonblank: list[int]) -> list[tuple[int, int]]:
    """(headline, last meta line) pairs: a heading-like line right over a dated or credited info line."""
    heads = []
    for position, i in enumerate(nonblank):
        account = 2 <= len(shapes[i].text) <= 20 and _is_account_line(shapes[i]) and not reasons[i]
        if not (account or _heading_candidate(shapes[i], reasons[i])) or "。" in shapes[i].text:
            continue
        following = nonblank[position + 1:position + 3]
        meta = [j for j in following if is_meta_line(shapes[j].text)]
        if meta and meta[0] == following[0]:
            heads.append((i, meta[-1] if len(meta) == len(following) else meta[0]))
        if len(heads) >= _MAX_HEADS:
            break
    return heads


def _mark_profile_cards(shapes: list[LineShape], reasons: list[str | None]) -> None:
    """A WeChat profile card is chrome: the account's id (微信号 FViewXFG) and the description printed
    with it (功能介绍…), which alone would read as a headline."""
    nonblank = [i for i, shape in enumerate(shapes) if shape.text]
    for position, i in enumerate(nonblank):
        if reasons[i] == SITE_HEADER and WECHAT_ID.match(shapes[i].text):
            for j in nonblank[position + 1:position + 3]:
                if shapes[j].text.startswith("功能介绍"):
                    reasons[j] = SITE_HEADER


def find_web_article(keys: list[str], originals: list[str] | None = None,
                     shapes: list[LineShape] | None = None) -> WebArticle:
    """Locate the article of a web-page dump: headline, meta lines and body lines (0-based indices).

    keys are the lines in Simplified characters (every rule reads them);
    originals, when given, are the lines as printed, for the authors' names.
    """
    shapes = shapes if shapes is not None else [line_shape(key) for key in keys]
    reasons = [_strong_reason(s.text) if s.text else None for s in shapes]
    _mark_profile_cards(shapes, reasons)
    walls = [is_wall(s) for s in shapes]
    scores = escalate_gaps([line_score(s, r) for s, r in zip(shapes, reasons)], [s.placeholder for s in shapes], walls)
    start, end = best_run(scores)
    if end < start:
        return WebArticle(None, [])
    total = sum(scores[start:end + 1])
    nonblank = [i for i, s in enumerate(shapes) if s.text]

    # The run that follows a headline over its info line is the article, unless
    # the page holds a far bigger run of text elsewhere (the head was a sidebar's).
    anchored = [(best_run_after(scores, meta + 1, _HEAD_WINDOW, walls), head)
                for head, meta in _article_heads(shapes, reasons, nonblank)]
    anchored = [(run, head) for run, head in anchored if run[2] >= run[1] and run[0] >= _MIN_HEADED]
    title: int | None = None
    meta: list[int] = []
    if anchored:
        # On a tie (the <title> line and the headline over the same run) the head nearer the text wins.
        (head_total, head_start, head_end), head = max(anchored, key=lambda pair: (pair[0][0], pair[1]))
        overlaps = head_start <= end and head_end >= start
        # The best run wins when its own info line stands just above it.
        above = [j for j in nonblank if j < start][-12:]
        walled = [j for j in above if walls[j]]
        above = [j for j in above if not walled or j > walled[-1]]
        dated = any(is_meta_line(shapes[j].text) or reasons[j] == ARTICLE_INFO for j in above)
        if overlaps or head_total >= _HEAD_SHARE * total and not dated:
            start, end = head_start, head_end
            title = head
            meta = [j for j in nonblank if head < j < start and is_meta_line(shapes[j].text)][:4]
    if title is None:
        # The headline: a heading-like line above the content, best over a meta line.
        title, meta = _find_headline(keys, shapes, reasons, nonblank, start)
    account: int | None = None
    if title is not None:
        title, account = _lift_headline(title, shapes, reasons, nonblank)
        if account is not None:
            meta = [account] + meta
    if title is not None and title >= start:
        # The run began above the headline (a prose teaser over it): the body
        # starts after the headline and its meta lines.
        start = max([title] + meta) + 1
    start = _paragraph_start(start, shapes, reasons, max([title] + meta) if title is not None else -1)
    content = [i for i in range(start, end + 1) if shapes[i].text]
    article = WebArticle(title, [], meta=meta)
    article.title_lines = _broken_headline(title, shapes, reasons, nonblank) if title is not None else []
    # Meta lines inside the top of the content (info bar printed under a photo).
    head = []
    for i in content[:4]:
        if shapes[i].is_prose:
            break  # below the first paragraph an info-shaped line is the text's own (来源 closing it)
        if is_meta_line(shapes[i].text):
            head.append(i)
    article.meta += head
    content = [i for i in content if i not in head]

    _read_meta(article, keys, shapes, nonblank, content, title, account)
    if originals is not None:
        article.authors = [_as_printed(originals, keys, nonblank, name) for name in article.authors]
    if account is not None:
        text = shapes[account].text
        credit = _SLASH_CREDIT.match(text)
        reporter = _REPORTER_LINE.match(text)
        if reporter:
            article.authors = article.authors or fields.extract_bylines(re.sub(r"^.*?(?:记者|通讯员|作者|撰稿|采写|执笔|编译)", "", text))
        elif _bare_names(text):
            pass  # a reporter's bare name (read as the author above), not the outlet
        elif article.source is None:
            article.source = credit.group(1) if credit else text
    title_text = keys[title].strip() if title is not None else ""
    # The headline as printed and as first published (a 原标题 note anywhere near the text).
    original_titles = [keys[i] for i in nonblank if _ORIGINAL_TITLE.match(shapes[i].text) and len(shapes[i].text) <= 120]
    kept: list[int] = []
    boxed = _boxed_panels(content, shapes)
    for position, i in enumerate(content):
        text = shapes[i].text
        at_edge = position >= len(content) - 4 or position < 2
        reason = LINK_RUN if i in boxed else noise_reason(text, at_edge, reasons[i] or "") or None
        if reason is None and not kept and len(text) <= 60 and "。" not in text:
            # A heading before the first paragraph repeats the headline (or the original one).
            # (Of comparable length: a first sentence naming the headline's words is no echo.)
            if any(_similar(text, t) >= 0.6 and len(_han_only(text)) <= 1.5 * len(_han_only(t)) + 4
                   for t in [title_text] + original_titles if t):
                reason = HEADLINE_ECHO
        if reason is None and shapes[i].placeholder:
            reason = PLACEHOLDER
        if reason:
            article.removed[i] = reason
        else:
            kept.append(i)
    # A run of chrome at the content's end (credits, source, prompts) goes; so do
    # short non-prose lines left dangling after the last paragraph.
    while kept and not shapes[kept[-1]].is_prose and (shapes[kept[-1]].han < 20 or is_link_row(shapes[kept[-1]])):
        article.removed[kept.pop()] = OUTSIDE
    article.content = kept
    placed = set(kept) | set(article.title_lines) | set(article.meta)
    for i in nonblank:
        if i in article.removed or i in placed:
            continue
        shape = shapes[i]
        if reasons[i]:
            article.removed[i] = reasons[i]
        elif title is not None and i > title and _similar(shape.text, title_text) >= 0.9 and looks_like_heading(shape.text):
            article.removed[i] = HEADLINE_ECHO
        elif shape.placeholder:
            article.removed[i] = PLACEHOLDER
        elif shape.bullet or is_link_row(shape):
            article.removed[i] = LINK_RUN
        else:
            article.removed[i] = OUTSIDE
    for i in article.meta:
        article.removed[i] = META
    article.site = _site_name(shapes, reasons, nonblank)
    if originals is not None:
        # Outlets in the script the page prints them (港島日報 stays Traditional), as names are.
        if article.site:
            article.site = _as_printed(originals, keys, nonblank, article.site)
        if article.source:
            article.source = _as_printed(originals, keys, nonblank, article.source)
    return article


_BOX = re.compile(r"^[\u2500-\u257f]")


def _boxed_panels(content: list[int], shapes: list[LineShape]) -> set[int]:
    """The lines of a box drawn around related links inside the text (┌─ 相关阅读 ─┐ / │ · 标题 / └──┘):
    a text browser's rendering of a panel the page set into the article."""
    panels: set[int] = set()
    run: list[int] = []
    for i in content + [-1]:
        if i >= 0 and _BOX.match(shapes[i].text):
            run.append(i)
            continue
        labels = [re.sub(r"^[\u2500-\u257f\s·•*]+|[\u2500-\u257f\s]+$", "", shapes[j].text) for j in run]
        if run and any(_AFTER_ARTICLE.match(label) or _PROMPT.search(label) for label in labels if label):
            panels.update(run)
        run = []
    return panels


def _paragraph_start(start: int, shapes: list[LineShape], reasons: list[str | None], floor: int) -> int:
    """Step back to the first line of the paragraph the content begins inside: a hard-wrapped dump's
    opening lines may hold too few commas to score as prose, but they run on into the text."""
    for _ in range(3):
        above = start - 1
        if above <= floor:
            break
        shape = shapes[above]
        if (not shape.text or reasons[above] or shape.placeholder or shape.bullet or is_link_row(shape)
                or shape.han < 25 or shape.ends_sentence or shape.text.endswith(("：", ":", ")", "）"))
                or is_meta_line(shape.text) or fields.looks_like_caption(shape.text)
                or not re.search(r"[，、,]", shape.text)):
            break
        start = above
    return start


def _site_name(shapes: list[LineShape], reasons: list[str | None], nonblank: list[int]) -> str | None:
    """The site's own name, from its header or footer (欢迎访问XX网, 版权所有:XX网, XX门户网站 alone on top)."""
    for i in nonblank[:3]:
        match = fields.SITE_TITLE.match(shapes[i].text)
        if match:
            return match.group(1)
    for i in nonblank:
        if reasons[i] in (SITE_HEADER, FOOTER, REGISTRATION):
            name = fields.site_name(shapes[i].text)
            if name:
                return name
    return None


def _find_headline(
    keys: list[str], shapes: list[LineShape], reasons: list[str | None], nonblank: list[int], start: int
) -> tuple[int | None, list[int]]:
    above = [i for i in nonblank if i < start][-_HEADLINE_REACH:]
    echoes: dict[str, int] = {}
    for i in nonblank:
        key = _han_only(shapes[i].text)
        if len(key) >= 5:
            echoes[key] = echoes.get(key, 0) + 1
    for i in nonblank:
        note = _ORIGINAL_TITLE.match(shapes[i].text)
        if note:
            key = _han_only(shapes[i].text[note.end():])
            echoes[key] = echoes.get(key, 0) + 2
    # Also the first lines of the content: the run may have swallowed the headline.
    inside = [i for i in nonblank if i >= start][:3]
    best: tuple[float, int] | None = None
    for rank, i in enumerate(reversed(above)):
        shape = shapes[i]
        if not _heading_candidate(shape, reasons[i]):
            continue
        following = [j for j in nonblank if j > i][:4]
        meta_after = [j for j in following if is_meta_line(shapes[j].text)]
        score = -0.25 * rank + min(shape.han, 30) / 6
        if meta_after:
            score += 8 - 3 * following.index(meta_after[0])
        elif shape.bullet or is_link_row(shape):
            continue  # a link in a list, unless the article's info line follows it
        if echoes.get(_han_only(shape.text), 0) > 1:
            score += 2  # printed again (原标题 note, <title>, share text): the page's own headline
        if shape.finals == 0:
            score += 1
        if "。" in shape.text or shape.finals >= 2 and shape.han > 30:
            score -= 4
        if best is None or score > best[0]:
            best = (score, i)
    for i in inside:
        shape = shapes[i]
        if not _heading_candidate(shape, reasons[i]) or shape.is_prose:
            continue
        following = [j for j in nonblank if j > i][:3]
        if any(is_meta_line(shapes[j].text) for j in following):
            score = 10 + min(shape.han, 30) / 6
            if best is None or score > best[0]:
                best = (score, i)
    if best is None:
        return None, []
    title = best[1]
    meta = []
    for j in [j for j in nonblank if j > title][:6]:
        if j >= start and not is_meta_line(shapes[j].text):
            break
        if is_meta_line(shapes[j].text) or is_timestamp(shapes[j].text) or re.fullmatch(r"\d{4}|\d{1,2}/\d{1,2}|\d{1,2}:\d{2}", shapes[j].text):
            meta.append(j)
    return title, meta


_META_AUTHOR = re.compile(rf"(?:记者|作者|通讯员|\bAuthor\s*:)\s*[:：]?\s*({fields.NAMES})(?![\u4e00-\u9fff])")


_OTHER_ROLE = re.compile(r"(?:责任编辑|编辑|责编|摄影|摄像|校对|审核|审校|监制|来源)")


def _meta_authors(text: str) -> list[str]:
    """'记者 陈志明' inside an info line (no colon after the role), or WeChat's '原创 陈晨 临江发布 2023-05-20'."""
    wechat = _WECHAT_CREDIT.match(text)
    if wechat and wechat.group(1) != wechat.group(2):
        return [wechat.group(1)]
    if not is_meta_line(text):
        return []
    # '记者 方芳 通讯员 陈立': the names after every role (extract_bylines drops the roles), but not the
    # editor's or photographer's after theirs ('记者 苏婉 编辑 陈刚').
    names = (_OTHER_ROLE.split(m.group(1))[0] for m in _META_AUTHOR.finditer(text))
    return list(dict.fromkeys(name for group in names for name in fields.extract_bylines(group)))


def _as_printed(originals: list[str], keys: list[str], nonblank: list[int], part: str) -> str:
    """A name read from the Simplified keys, in the script the page prints it (Traditional stays Traditional)."""
    for i in nonblank:
        start = keys[i].find(part)
        if start >= 0 and len(originals[i]) == len(keys[i]):
            return originals[i][start:start + len(part)]
    return part


# Self-media platforms print the publishing account's name over the platform's.
_PLATFORMS = r"(?:企鹅号|百家号|头条号|网易号|搜狐号|大鱼号|澎湃号|一点号|新浪号|快传号|凤凰号|趣头条|人民号|新华号|央视号)"
_PLATFORM = re.compile(rf"^{_PLATFORMS}$")
# The account's follow button: "中国广州发布" over "关注".
_FOLLOW_BUTTON = re.compile(r"^[+＋]?\s*关注$")
_PICTURE_SOURCE = re.compile(r"^[(（【\[]?\s*(?:图片|图|配图|视频)\s*(?:来源|来自)")
_RELATIVE_DAY = re.compile(r"昨天|今天|前天|刚刚|\d+\s*(?:秒|分钟|小时|天)前")


# Buttons and tabs printed between headline and text, shaped like names.
_INTERFACE_WORD = re.compile(
    r"^(?:微信|微博|易信|网络|空间|朋友圈|豆瓣|人人|图集|视频|图片|专题|直播|更多|返回|打印|纠错|搜索|"
    r"积分|主题|帖子|精华|金币|威望|发消息|回复|引用|标清|高清|超清|流畅|全屏|倍速|简体|繁体|繁體)$"
)


# A column or a player's label beside the date, not an outlet: 本地新闻, 北京报道, 语音播报.
_COLUMN_WORD = re.compile(r"(?:新闻|报道|播报|快讯|头条|推荐|精选|专题|热点|要闻|资讯|动态|视频|直播|朗读|收听)$")


def _bare_outlet(text: str) -> bool:
    """A line that can only be an outlet's name: no person's (too long), no button, label or furniture."""
    return bool(_OUTLET_NAME.fullmatch(text) and 4 <= len(text) <= 8 and not WEB_WORDS.search(text)
                and not _COLUMN_WORD.search(text)
                and not _INTERFACE_WORD.match(text) and not _FORUM_ROLE.match(text) and not _PLATFORM.match(text)
                and not _bare_names(text) and not _REPORTER_LINE.match(text) and not _PLACE_ONLY.fullmatch(text)
                and not is_meta_line(text))


def _bare_names(text: str) -> bool:
    """A line of personal names alone (张楠; 韩晓东 李嘉; 欧阳明日), none of them an interface word."""
    if not fields.is_name_line(text):
        return False
    names = re.split(r"[\s、，,]+", text.strip())
    return all(fields.looks_like_name(name) and not _INTERFACE_WORD.match(name) for name in names)


# "第04版：经济  [<< 上一版]": an e-paper's page bar.
_PAGE_HEADER = re.compile(r"^第?\s*(?:[A-Za-z]?\d{1,2}|[一二三四五六七八九十]{1,3})\s*版\s*[:：]")
# A line naming an outlet, not a person: 中央社, 汀州日报, 云川县融媒体中心.
_OUTLET_LINE = re.compile(r"[\u4e00-\u9fff]{2,12}(?:通讯社|社|日报|晚报|早报|报|网|电视台|广播电台|融媒体中心|新闻中心)")
# ... but not a report's kind: 一季度全市经济运行情况通报.
_REPORT_KIND = re.compile(r"(?:通报|公报|简报|喜报|快报|情报|海报|预报|警报|汇报|播报)$")
_BARE_LABEL = re.compile(r"^(?:来源|稿源|出处|作者|记者|通讯员)\s*[:：]$")


def _with_value(keys: list[str], zone_lines: list[int], i: int) -> str:
    """A zone line, joined with the next when it is a label alone ('来源：' over '中原晨报', as app pages print them)."""
    text = keys[i].strip()
    if _BARE_LABEL.match(text) and i in zone_lines:
        position = zone_lines.index(i)
        if position + 1 < len(zone_lines):
            return text + keys[zone_lines[position + 1]].strip()
    return text


def _platform_account(keys: list[str], zone_lines: list[int]) -> tuple[int, str] | None:
    """The line naming the self-media account and the name: printed just above the platform's name
    (扬眼 / 企鹅号), the account's profile card (爱否科技 / 微信号 FViewXFG) or its follow button."""
    for before, after in zip(zone_lines, zone_lines[1:]):
        name = re.sub(r"\s*\[[^\]]*\]$", "", keys[before].strip())  # its avatar's placeholder
        following = keys[after].strip()
        if ((_PLATFORM.match(following) or WECHAT_ID.match(following) or _FOLLOW_BUTTON.match(following))
                and _OUTLET_NAME.fullmatch(name) and not WEB_WORDS.search(name)):
            return before, name
    return None


def _read_meta(article: WebArticle, keys: list[str], shapes: list[LineShape], nonblank: list[int],
               content: list[int], title: int | None, headline_account: int | None = None) -> None:
    """Date, source and authors of the article, from its meta lines (then just below the body)."""
    zone_lines, above_title = _info_zone(keys, shapes, nonblank, content, title)
    below_lines = [i for i in nonblank if content and i > content[-1]][:12]
    article.date = _read_date(keys, shapes, nonblank, content, title, zone_lines)
    outlets, accounts = _read_source(article, keys, shapes, content, title, zone_lines, below_lines,
                                     above_title, headline_account)
    article.authors = _read_authors(keys, shapes, content, zone_lines, below_lines, outlets, accounts)


def _info_zone(keys: list[str], shapes: list[LineShape], nonblank: list[int], content: list[int],
               title: int | None) -> tuple[list[int], bool]:
    """The lines holding the article's info, and whether they stand over the headline rather than under it."""
    if title is None:
        return [], False
    first = content[0] if content else title + 1
    # A forum post prints the poster's profile (rank, points, posts) in between: up to 30 lines.
    zone_lines = [i for i in nonblank if title < i < first][:30]
    if not any(meta_date(keys[i]) for i in zone_lines):
        # No info line under the headline: the one printed over it (文｜许晴 / date / 经略财经 / headline),
        # after any chrome.
        above = [i for i in nonblank if i < title][-4:]
        chrome = [i for i in above if _strong_reason(shapes[i].text) not in (None, ARTICLE_INFO)]
        above = [i for i in above if not chrome or i > chrome[-1]]
        if any(is_meta_line(shapes[i].text) and meta_date(keys[i]) for i in above):
            return above + zone_lines, True
    return zone_lines, False


def _read_date(keys: list[str], shapes: list[LineShape], nonblank: list[int], content: list[int],
               title: int | None, zone_lines: list[int]) -> PartialDate | None:
    """The publication date: the info zone's, else one printed under the text, over the headline, or the issue's."""
    zone = " ".join(keys[i].strip() for i in zone_lines)
    # A date labelled as the publication's outranks the others (成文日期 2023-03-08 … 发布日期 2023-03-13).
    published = re.search(r"(?:发布|发表|公开)(?:日期|时间)\s*[:：]\s*(.{6,24})", zone)
    date = (meta_date(published.group(1)) if published else None) or (meta_date(zone) if zone else None)
    if date is None and content:
        # Government sites print 发布日期 under the text; a post, 发布于 2024-06-18.
        for i in [i for i in nonblank if i > content[-1]][:12]:
            text = shapes[i].text
            if re.search(r"(?:发布|发表|更新)?(?:时间|日期)\s*[:：]|(?:发布|发表|编辑)于\s*\d", text):
                date = meta_date(text)
                if date:
                    return date
    if date is None and title is not None:
        above = [i for i in nonblank if i < title][-3:]
        for i in reversed(above):
            if is_meta_line(shapes[i].text):
                date = meta_date(shapes[i].text)
                if date:
                    return date
    if date is None and title is not None:
        # A newspaper's web edition (第04版 over the article) dates the article by its issue,
        # printed with the weekday in the page's header.
        above = [i for i in nonblank if i < title]
        if any(fields.page_number(keys[i]) or _PAGE_HEADER.match(keys[i].strip()) for i in above):
            issue = [fields.find_full_dates(keys[i]) for i in above if fields.has_weekday(keys[i])]
            date = next((dates[0] for dates in issue if dates), None)
    return date


def _read_source(article: WebArticle, keys: list[str], shapes: list[LineShape], content: list[int],
                 title: int | None, zone_lines: list[int], below_lines: list[int], above_title: bool,
                 headline_account: int | None) -> tuple[list[int], set[str]]:
    """Set the outlet the article credits; returns the zone's outlet lines and account names (nobody's byline)."""
    # A 来源 line closing (or opening) the text credits the outlet as surely as the info line does.
    edge_lines = [i for i in content[-4:] + content[:2] if _SOURCE_LINE.match(shapes[i].text)]
    for i in zone_lines + edge_lines + below_lines:
        if i not in zone_lines and (not re.search(r"(?:来源|稿源)\s*[:：]", keys[i]) or _PICTURE_SOURCE.match(shapes[i].text)):
            continue
        source = meta_source(_with_value(keys, zone_lines, i))
        if source:
            article.source = source
            break
    account = _platform_account(keys, zone_lines)
    if account is not None and article.source and re.search(_PLATFORMS, article.source):
        article.source = None  # 来源：澎湃新闻·澎湃号·政务 names the platform; the account is the outlet
    accounts = {keys[i].strip() for i in ([account[0]] if account else []) + [headline_account]
                if i is not None and not _REPORTER_LINE.match(shapes[i].text) and not _bare_names(shapes[i].text)}
    if article.source is None and account is not None:
        article.source = account[1]
    lifted = headline_account is not None and not _REPORTER_LINE.match(shapes[headline_account].text)
    if article.source is None and not lifted:  # an account line over the info line names the outlet (the caller)
        for i in zone_lines:
            if is_meta_line(keys[i].strip()) and meta_date(keys[i]):
                article.source = meta_outlet(keys[i].strip())
                if article.source:
                    break
    position = {i: p for p, i in enumerate(zone_lines)}
    dated = [position[i] for i in zone_lines if is_meta_line(shapes[i].text) and meta_date(keys[i])]
    beside = {i for i in zone_lines if any(abs(position[i] - p) == 1 for p in dated)}
    outlets = [i for i in zone_lines[:6] if i != title and not _bare_names(shapes[i].text) and (
        _OUTLET_LINE.fullmatch(keys[i].strip()) and not _REPORT_KIND.search(keys[i].strip())
        or i in beside and above_title and _bare_outlet(shapes[i].text))]
    if article.source is None and outlets:
        article.source = keys[outlets[0]].strip()  # '中央社' or '经略财经' on its own beside the date
    return outlets, accounts


def _read_authors(keys: list[str], shapes: list[LineShape], content: list[int], zone_lines: list[int],
                  below_lines: list[int], outlets: list[int], accounts: set[str]) -> list[str]:
    """The reporters: named in the info zone, else on a reporter line or in a credit closing the text."""
    for i in zone_lines:
        text = _with_value(keys, zone_lines, i)
        names = fields.authors_in(text) or _meta_authors(text)
        if names:
            return names
        # A bare name or a 记者 line between headline and text: the author (not the account, an outlet,
        # a share button, a label or '昨天').
        if text in accounts or i in outlets or _PLATFORM.match(text) or WEB_WORDS.search(text):
            continue
        if _FORUM_ROLE.match(text) or _RELATIVE_DAY.fullmatch(text) or _META_LABEL.fullmatch(text):
            continue
        if _bare_names(text) or fields.is_byline_line(text) or _REPORTER_LINE.match(text):
            names = fields.extract_bylines(re.sub(r"^.*?(?:记者|通讯员|作者|撰稿|采写|执笔|编译)[:：]?", "", text))
            if names:
                return names
    # '新京报记者 赵琳' or '记者：孙伟 王鹏　摄像：陈刚' closing the text.
    for i in content[-3:] + below_lines[:3]:
        text = shapes[i].text
        if len(text) > 60 or "。" in text or is_wall(shapes[i]):
            continue
        if _REPORTER_LINE.match(text):
            # The outlet before 记者 is no name: 采写：南都记者 余毅菁 向雪妮.
            names = fields.extract_bylines(re.sub(r"[\u4e00-\u9fff]{1,8}(?=(?:首席|特约|实习)?记者)", " ", text))
        else:
            names = fields.authors_in(text)
        if names:
            return names
    return []


def web_chrome_lines(shapes: list[LineShape]) -> dict[int, str]:
    """1-based line -> reason for the lines that are web chrome by shape alone: bullets, link rows, placeholders."""
    out = {}
    for number, shape in enumerate(shapes, start=1):
        if shape.placeholder:
            out[number] = PLACEHOLDER
        elif shape.text and not shape.is_prose and (shape.bullet or is_link_row(shape)):
            out[number] = LINK_RUN
    return out
