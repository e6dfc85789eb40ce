"""The shape of a line and of a file: how prose-like a line is, and what kind of file holds it.

Site chrome hides behind words no rule has seen, but not behind its shape:
menus and link lists are runs of short lines, bullets, `|` rows, image and
form placeholders of text browsers; running Chinese prose is long and dense
with sentence punctuation and function characters (的、了、是、在 …). These
measures are the evidence the web-dump path (articles/text/web.py) and the
file classifier below decide on; words are only extra evidence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from articles.text import fields

KIND_NEWSPAPER = "newspaper page"
KIND_WEB = "web page dump"
KIND_BARE = "bare article"
KIND_EPAPER = "e-paper page saved from the web"

_HAN = re.compile(r"[\u4e00-\u9fff]")
_SENTENCE_FINAL = set("。！？!?；;…")
_PUNCTUATION = set("，,。；;！？!?、：:“”「」『』")
# The function characters of running prose; headlines, menus and tag clouds drop them.
_FUNCTION = set("的了是在和有也就都而与及这那着过对把被从向给为以之其但却还又很更已将会能要所")

# Text-browser placeholders and link markers: w3m/lynx bullets, images, frames, forms.
_BULLET = re.compile(r"^(?:[*+#o•·●◆■▪►▸◇○□-]|\d{1,2}[.、])\s+\S")
_PLACEHOLDER = re.compile(
    r"^(?:\[[^\]]{0,300}\]\s*)+$|^IFRAME:|^\(BUTTON\)|^\[(?:INS|IMG|image|BUTTON)|^_{6,}|^\[ ?[xX ]? ?\]|^\(\s?[*)]?\s?\)"
)
# The tail of an image link a text browser wrapped onto the next line.
_URL_TAIL = re.compile(r"^[\w%&=;.?/:#~+\-]{6,}\]?$")
_LINK_MARKER = re.compile(r"\[\d{1,4}\]")
_PIPE_ROW = re.compile(r"\S\s*[|｜]\s*\S")
_CLOCK = re.compile(r"(?<!\d)\d{1,2}[:：]\d{2}(?!\d)")
_ONLY_NUMBERS = re.compile(r"^[\d\s:：./\-年月日时分秒+%万亿]*$")


@dataclass(frozen=True)
class LineShape:
    """Measured features of one line (on its Simplified key)."""

    text: str
    han: int
    punctuation: int
    finals: int  # sentence-final marks
    function: int
    bullet: bool  # a list item or link marker of a text browser
    placeholder: bool  # image, frame or form field
    ends_sentence: bool

    @property
    def is_prose(self) -> bool:
        """Running text: a sentence, or a long line dense with punctuation (a wrapped paragraph)."""
        if self.placeholder or self.han < 6:
            return False
        if self.bullet and self.han < 40:
            return False
        if self.finals and (self.ends_sentence or self.han >= 16):
            return self.punctuation * 30 >= self.han or self.function * 12 >= self.han
        if self.han >= 30 and self.punctuation * 20 >= self.han:
            return True  # a wrapped paragraph's first part
        # A sentence without its full stop still has commas and function characters.
        return (self.han >= 12 and ("，" in self.text or "," in self.text)
                and self.punctuation * 22 >= self.han and self.function * 10 >= self.han)

    @property
    def is_short(self) -> bool:
        """A menu entry, tag, heading or label: little text and no sentence."""
        return not self.is_prose


def line_shape(text: str) -> LineShape:
    """Measure one line: Han characters, punctuation, function characters, link and placeholder marks."""
    stripped = text.strip()
    han = len(_HAN.findall(stripped))
    core = stripped.rstrip("”’\"』」）)】 ")
    return LineShape(
        text=stripped,
        han=han,
        punctuation=sum(1 for ch in stripped if ch in _PUNCTUATION),
        finals=sum(1 for ch in stripped if ch in _SENTENCE_FINAL),
        function=sum(1 for ch in stripped if ch in _FUNCTION),
        bullet=bool(_BULLET.match(stripped)) or len(_LINK_MARKER.findall(stripped)) >= 1 and han < 40,
        placeholder=bool(_PLACEHOLDER.match(stripped)) or han == 0 and bool(_URL_TAIL.match(stripped)) and not stripped.isdigit(),
        ends_sentence=bool(core) and core[-1] in _SENTENCE_FINAL,
    )


def is_link_row(shape: LineShape) -> bool:
    """A row of links: `a | b | c`, or several short tokens with no sentence in them."""
    if shape.finals or shape.han > 80:
        return False
    if _PIPE_ROW.search(shape.text):
        return True
    tokens = shape.text.split()
    han_tokens = [t for t in tokens if _HAN.search(t)]
    return len(tokens) >= 4 and len(han_tokens) >= 3 and all(len(t) <= 8 for t in tokens)


def is_timestamp(text: str) -> bool:
    """A bare date or time ('2018-03-02 08:58:39', '5小时前', '12-29 21:35')."""
    text = text.strip()
    if not text or len(text) > 30:
        return False
    if re.fullmatch(r"\d+\s*(?:秒|分钟|小时|天|周|个月|年)前|刚刚|昨天(?:\s*\d{1,2}:\d{2})?|前天", text):
        return True
    if re.fullmatch(r"\d{1,2}-\d{1,2}", text):
        return True  # a comment's month-day
    return bool(_ONLY_NUMBERS.match(text)) and bool(_CLOCK.search(text))


@dataclass
class FileKind:
    """What a file is, decided from its shape, with the evidence for the file's report."""

    kind: str
    evidence: list[str] = field(default_factory=list)

    def describe(self) -> str:
        """One line for the ingest report: the kind and why."""
        return f"{self.kind}: {'; '.join(self.evidence)}" if self.evidence else self.kind


# Newspaper furniture: 版次 lines, mastheads with an issue, 本报讯 ledes.
_PAGE_LINE = re.compile(r"^(?:第\s*)?[A-Za-z]?\d{1,2}\s*版(?:\s|$|[:：·])|^第[一二三四五六七八九十]{1,3}版")
WEB_WORDS = re.compile(
    r"首页|登录|注册|分享|评论|跟贴|跟帖|举报|扫码|二维码|客户端|APP|下载|网站地图|版权|ICP|公网安备|责任编辑|返回顶部|"
    r"上一篇|下一篇|相关(?:新闻|文章|阅读|推荐)|推荐阅读|往期推荐|热门|排行|关注|收藏|点赞|转发|留言|在看|原创|收录于|发表于|"
    r"^阅读\s*[\d.]+万?$",
    re.I,
)


def classify_file(keys: list[str], shapes: list[LineShape] | None = None) -> FileKind:
    """Decide from the lines' shape whether a file is a newspaper page, a web-page dump or a bare article."""
    shapes = [s for s in shapes if s.text] if shapes is not None else [line_shape(key) for key in keys if key.strip()]
    if not shapes:
        return FileKind(KIND_BARE, ["empty"])
    total = len(shapes)
    prose = sum(1 for s in shapes if s.is_prose)
    marked = sum(1 for s in shapes if s.bullet or s.placeholder or is_link_row(s))
    timestamps = sum(1 for s in shapes if is_timestamp(s.text))
    web_words = sum(1 for s in shapes if s.han <= 20 and WEB_WORDS.search(s.text))
    ledes = sum(1 for s in shapes if fields.is_lede(s.text))
    bylines = sum(1 for s in shapes if fields.is_byline_line(s.text))
    pages = sum(1 for s in shapes if _PAGE_LINE.match(s.text) or fields.page_number(s.text))
    evidence = [
        f"{total} lines, {prose} prose",
        f"{marked} link/list/placeholder lines",
        f"{web_words} short lines with web-interface words",
    ]
    web_score = marked + web_words + timestamps
    paper_score = 4 * pages + 2 * max(0, ledes + bylines - 1)
    if pages or ledes + bylines >= 2:
        evidence.append(f"newspaper furniture: {pages} page (版) lines, {ledes} ledes, {bylines} byline lines")
    if web_score >= 4 and pages and ledes + bylines >= 2:
        # Site chrome around a 版 page of several articles, each with its own lede or byline.
        return FileKind(KIND_EPAPER, evidence)
    if web_score >= 4 and web_score > paper_score:
        return FileKind(KIND_WEB, evidence)
    if paper_score >= 3 or ledes + bylines >= 2:
        return FileKind(KIND_NEWSPAPER, evidence)
    return FileKind(KIND_BARE, evidence)
