"""Stage 3: cut a cleaned page into articles, photo captions and continuations.

A page is a stream of lines. What starts a new item is the shape of the
lines, never their words: a heading stack (kicker / title / subtitle) followed
by a byline, a 本报讯 lede, a photo caption or a (上接N版) marker; a notice
heading (倡议书, 通知 …); or any heading when no article is open. A single
heading followed by running text inside an open article is an intertitle.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from articles.text import fields
from articles.text.clean import Line, looks_like_heading
from articles.text.issues import marker_page
from articles.text.document import (
    BLOCK_CAPTION,
    BLOCK_INTERTITLE,
    BLOCK_PARAGRAPH,
    KIND_ARTICLE,
    KIND_CONTINUATION,
    KIND_PHOTO,
)

HEADING = "heading"
SUBTITLE = "subtitle"
BYLINE = "byline"
NAME = "name"
LEDE = "lede"
CREDIT = "photo credit"
SOURCE_CREDIT = "source credit"
MARKER_UP = "continued from"
MARKER_DOWN = "continued on"
DATE = "date"
SALUTATION = "salutation"
BODY = "body"

# Issuers, a web <title> echo, kicker, title and subtitle: never more.
_MAX_STACK = 8

_CONTINUED_FROM = re.compile(
    r"^[(（【〔]\s*(?:上接|接上|紧接|续接|承接)\s*(?:第?\s*[A-Za-z]?\d{1,2}\s*版|第?[一二三四五六七八九十]{1,3}版|上页|前页|上期|[A-Za-z]\d{1,2})\s*[)）】〕]\s*"
)
_CONTINUED_ON = re.compile(r"\s*[(（【〔]\s*(?:下转|转|续见|转至|接)\s*第?\s*(?:[A-Za-z]?\d{1,2}|[一二三四五六七八九十]{1,3})\s*版\s*[)）】〕]\s*$")
_SOURCE_CREDIT = re.compile(
    r"^[(（【]\s*[^()（）【】]{1,30}(?:供稿|供图|提供|来源[:：][^()（）]{1,20}|撰稿)\s*[)）】]$"
    r"|^(?:稿件)?来源\s*[:：]\s*\S{1,24}$|^[(（]完[)）]$"
)


def line_role(line: Line) -> str:
    """What a single line looks like on its own: heading, byline, lede, body …"""
    text = line.key
    if _CONTINUED_FROM.match(text):
        return MARKER_UP
    if _CONTINUED_ON.match(text):  # the marker is the whole line
        return MARKER_DOWN
    if _SOURCE_CREDIT.match(text):
        return SOURCE_CREDIT
    if fields.is_photo_credit_line(text):
        return CREDIT
    if fields.is_lede(text):
        return LEDE
    if fields.is_byline_line(text):
        return BYLINE
    if fields.is_date_line(text):
        return DATE
    if line.indent >= 2 and fields.is_name_line(text):
        return NAME
    if fields.is_subtitle_line(text) and looks_like_heading(fields.clean_heading(text)):
        return SUBTITLE
    if text[-1] in "：:" and len(text) <= 60 and "。" not in text:
        return SALUTATION
    if looks_like_heading(text) and not is_list_row(text):
        return HEADING
    return BODY


def is_list_row(text: str) -> bool:
    """A row of five or more short words ("王德明家庭  李秀英家庭  …"): a list inside a notice, not a heading."""
    if text.startswith("#") or any(ch in text for ch in "，。；：:;！？,"):
        return False
    tokens = text.split()
    return len(tokens) >= 5 and all(len(t) <= 10 for t in tokens) and sum(len(t) for t in tokens) / len(tokens) <= 7


@dataclass
class Segment:
    """One item as the splitter sees it: raw heading lines, byline lines and body blocks."""

    kind: str
    kicker: list[str] = field(default_factory=list)
    title: str | None = None
    subtitle: list[str] = field(default_factory=list)
    issuer: list[str] = field(default_factory=list)
    bylines: list[tuple[str, str]] = field(default_factory=list)  # (text, key) of byline/credit lines
    blocks: list[tuple[str, str, str]] = field(default_factory=list)  # (block kind, text, key)
    first_line: int = 0
    last_line: int = 0
    numbers: list[int] = field(default_factory=list)  # every source line used
    continued_from: str | None = None  # the page a (上接N版) marker at its head names
    continued_on: str | None = None  # the page a (下转N版) marker at its foot names
    closed: bool = False  # a closing byline, credit or (下转N版) ended it: the next heading starts anew
    intertitles: int = 0  # how many intertitle blocks it has so far

    def touch(self, line: Line) -> None:
        """Widen the item's line span to cover a line."""
        self.first_line = min(self.first_line or line.number, line.number)
        self.last_line = max(self.last_line, line.last_number)
        self.numbers.append(line.number)


@dataclass
class _Start:
    kind: str
    stack: list[int]
    bylines: list[int]
    next: int
    marker: int | None = None  # a (上接N版) line
    caption: list[int] = field(default_factory=list)


def _han_set(text: str) -> set[str]:
    return {ch for ch in text if "\u4e00" <= ch <= "\u9fff"}


def is_title_echo(first: str, second: str) -> bool:
    """Whether a heading repeats the next one (a web page's <title> above its headline)."""
    a, b = _han_set(first), _han_set(second)
    if min(len(a), len(b)) < 4:
        return fields.clean_heading(first) == fields.clean_heading(second)
    return len(a & b) / min(len(a), len(b)) >= 0.75


def assign_heading_stack(texts: list[str]) -> tuple[list[str], str | None, list[str]]:
    """Split stacked heading lines into (kicker lines, title, subtitle lines)."""
    if not texts:
        return [], None, []
    dashed = next((k for k, t in enumerate(texts) if k and fields.is_subtitle_line(t)), None)
    if dashed is not None:
        return texts[:dashed - 1], texts[dashed - 1], texts[dashed:]
    if len(texts) == 1:
        return [], texts[0], []
    if len(texts) == 2:
        return [texts[0]], texts[1], []
    return texts[:-2], texts[-2], [texts[-1]]


def _credited_names(seg: Segment | None) -> set[str]:
    """People an open segment is credited to: its byline lines and its lede's bracket."""
    if seg is None:
        return set()
    names = {name for _, key in seg.bylines for name in fields.extract_bylines(key)}
    if seg.blocks and seg.blocks[0][0] == BLOCK_PARAGRAPH:
        lede = fields.split_lede(seg.blocks[0][2])
        if lede is not None:
            names.update(lede[1])
    return names


class _Splitter:
    """One pass over the kept lines of a page, deciding where items start."""

    def __init__(self, lines: list[Line]) -> None:
        self.lines = lines
        self.roles = [line_role(line) for line in lines]
        self.segments: list[Segment] = []
        self.dropped: list[int] = []
        # The article still open while the page is walked (None when none is).
        self.open_article: Segment | None = None

    def text(self, i: int) -> str:
        """Line i as printed (original script)."""
        return self.lines[i].text

    def key(self, i: int) -> str:
        """Line i in Simplified characters, for the rules."""
        return self.lines[i].key

    def pair(self, i: int) -> tuple[str, str]:
        """(text, key) of line i."""
        return self.lines[i].text, self.lines[i].key

    def role(self, i: int) -> str | None:
        """The role of line i, None past the page end."""
        return self.roles[i] if i < len(self.lines) else None

    def photo_caption(self, i: int) -> list[int]:
        """Indices of a photographer-credited caption starting at i (caption, credit line), else []."""
        if self.role(i) != BODY:
            return []
        if fields.caption_credit(self.key(i)):
            return [i]
        if self.role(i + 1) == CREDIT and not fields.is_lede(self.key(i)):
            return [i, i + 1]
        return []

    def heading_start(self, i: int, article_open: bool) -> _Start | None:
        """Whether the heading stack at i opens an item, and which kind."""
        if i and self.roles[i - 1] in (HEADING, SUBTITLE):
            return None  # inside a run of short lines: only its first line may start a stack
        j = i
        while self.role(j) in (HEADING, SUBTITLE) and j - i < _MAX_STACK:
            j += 1
        stack = list(range(i, j))
        bylines = []
        k = j
        while self.role(k) in (BYLINE, NAME) and len(bylines) < 3:
            bylines.append(k)
            k += 1
        # A bare name closing a stack is the author line of a web article.
        if not bylines and len(stack) >= 2 and fields.is_name_line(self.key(stack[-1])) and len(self.key(stack[-1])) <= 4:
            bylines = [stack.pop()]
        follower = self.role(k)
        texts = [self.key(s) for s in stack]
        notice = any(fields.is_document_heading(t) for t in texts) or (follower == SALUTATION and not bylines)
        if bylines or follower == LEDE:
            return _Start(KIND_ARTICLE, stack, bylines, k)
        if follower == MARKER_UP:
            return _Start(KIND_CONTINUATION, stack, [], k + 1, marker=k)
        caption = self.photo_caption(k)
        if caption:
            return _Start(KIND_PHOTO, stack, [], caption[-1] + 1, caption=caption)
        if notice and follower is not None:
            return _Start(KIND_ARTICLE, stack, [], k)
        if follower not in (BODY, SALUTATION):
            return None
        if not article_open:
            return _Start(KIND_ARTICLE, stack, [], k)
        # Two stacked headings (kicker + title, title + ——subtitle) open an
        # article; one heading inside an article is an intertitle. Organisation
        # lines are a notice's signature, not a heading stack.
        # Longer runs of short lines are verse or lists, not a stack.
        headings = [t for t in texts if not fields.is_organisation_line(t)]
        if 2 <= len(headings) <= 3 and len(stack) <= 4:
            return _Start(KIND_ARTICLE, stack, [], k)
        # One heading whose text signs off with somebody else's byline: the
        # brief printed after an article, credited at its end ("…增长15.6%。
        # (记者 顾文)"), not an intertitle of the article above, which is
        # already credited to other people.
        if len(headings) == 1:
            credited = _credited_names(self.open_article)
            signoff = self.signoff_names(k) if credited else []
            if signoff and not set(signoff) & credited:
                return _Start(KIND_ARTICLE, stack, [], k)
        return None

    def signoff_names(self, k: int) -> list[str]:
        """Names of the byline that closes the run of text starting at line k, if one does."""
        last = None
        while self.role(k) == BODY:
            last = k
            k += 1
        if last is None:
            return []
        if self.role(k) == BYLINE:  # "(记者 张三)" on its own line under the text
            return fields.extract_bylines(self.key(k))
        key = self.key(last)
        signoff = fields.trailing_byline(key)
        if signoff and not fields.caption_credit(key):
            return fields.extract_bylines(signoff.group(1))
        return []

    def start_at(self, i: int, article_open: bool, has_body: bool, has_intertitles: bool = False) -> _Start | None:
        """Whether a new item starts at line i.

        has_intertitles: the open article already has intertitles, so a single
        heading after a photo caption is more likely its next intertitle.
        """
        role = self.roles[i]
        if role == HEADING:
            return self.heading_start(i, article_open)
        if role == MARKER_UP:
            return _Start(KIND_CONTINUATION, [], [], i + 1, marker=i)
        if role == LEDE and (not article_open or has_body):
            return _Start(KIND_ARTICLE, [], [], i)
        if role == BYLINE and not article_open and self.role(i + 1) in (BODY, LEDE):
            return _Start(KIND_ARTICLE, [], [i], i + 1)
        caption = self.photo_caption(i)
        # "图为…" points at the article's own picture; other captions standing
        # just before the next item (or the page end) are photos of their own.
        if caption and (not article_open or self.begins_item(caption[-1] + 1, after_photo=not has_intertitles)
                        and not fields.refers_to_picture(self.key(i))):
            return _Start(KIND_PHOTO, [], [], caption[-1] + 1, caption=caption)
        return None

    def begins_item(self, i: int, after_photo: bool = False) -> bool:
        """Whether an item starts at i or the page ends there (one step of lookahead only).

        after_photo: line i follows a photographer-credited caption; a credited
        photo printed between two blocks of text ends the article above, so a
        single heading followed by text there opens an article (as it does
        after any photo) rather than continuing the article as an intertitle.
        """
        role = self.role(i)
        if role is None or role in (LEDE, MARKER_UP):
            return True
        if role == HEADING:
            return self.heading_start(i, not after_photo) is not None
        return bool(self.photo_caption(i))

    def open_segment(self, start: _Start) -> Segment:
        """Build the segment a start describes: headings, issuer, bylines, first blocks."""
        seg = Segment(start.kind)
        stack = list(start.stack)
        # A heading that repeats the next one is the page <title> echo.
        while len(stack) >= 2 and is_title_echo(self.key(stack[0]), self.key(stack[1])):
            self.dropped.append(self.lines[stack.pop(0)].number)
        if any(fields.is_document_heading(self.key(s)) for s in stack) or self.role(start.next) == SALUTATION:
            while len(stack) >= 2 and fields.is_organisation_line(self.key(stack[0])):
                seg.issuer.append(fields.clean_heading(self.text(stack.pop(0))))
        kicker, title, subtitle = assign_heading_stack([self.key(s) for s in stack])
        originals = {self.key(s): self.text(s) for s in stack}
        seg.kicker = [originals[k] for k in kicker]
        seg.title = originals[title] if title is not None else None
        seg.subtitle = [originals[k] for k in subtitle]
        for s in start.stack + start.bylines:
            seg.touch(self.lines[s])
        seg.bylines = [self.pair(b) for b in start.bylines]
        for c in start.caption:
            seg.touch(self.lines[c])
            if self.roles[c] == CREDIT:
                seg.bylines.append(self.pair(c))
            else:
                seg.blocks.append((BLOCK_PARAGRAPH, *self.pair(c)))
        if start.marker is not None:
            # The marker is dropped; it may share its line with the first paragraph.
            seg.touch(self.lines[start.marker])
            text, key = self.pair(start.marker)
            cut = _CONTINUED_FROM.match(key).end()
            seg.continued_from = marker_page(key[:cut])
            rest, rest_key = text[cut:].strip(), key[cut:].strip()
            if rest:
                seg.blocks.append((BLOCK_PARAGRAPH, rest, rest_key))
            else:
                self.dropped.append(self.lines[start.marker].number)
        return seg

    def append(self, seg: Segment, i: int) -> None:
        """Add line i to the open segment as a paragraph, intertitle, caption or byline."""
        line, role = self.lines[i], self.roles[i]
        text, key = line.text, line.key
        if role in (SOURCE_CREDIT, MARKER_DOWN):
            self.dropped.append(line.number)
            seg.closed = bool(seg.blocks)
            if role == MARKER_DOWN and seg.blocks:
                seg.continued_on = marker_page(key)
            return
        seg.touch(line)
        if role == BYLINE or role == NAME and not seg.blocks:
            if seg.blocks:
                seg.closed = True  # "(记者 张三)" signs off the article
            if not seg.bylines or seg.closed:
                seg.bylines.append((text, key))
                return
        if role in (BODY, LEDE) and fields.trailing_byline(key) and not fields.caption_credit(key):
            seg.closed = True  # "…乘车。(记者 赵静)" signs off the article too
        marker = _CONTINUED_ON.search(key)
        if marker and marker.start():
            seg.closed = True
            seg.continued_on = marker_page(marker.group(0))
            if len(text) == len(key):
                text, key = text[:marker.start()], key[:marker.start()]
        if role == HEADING and self.role(i + 1) in (BODY, SALUTATION, LEDE):
            seg.blocks.append((BLOCK_INTERTITLE, fields.clean_heading(text), fields.clean_heading(key)))
            seg.intertitles += 1
        elif role == CREDIT:
            # "记者 程婧 摄" under a caption belongs to that caption.
            if seg.blocks and seg.blocks[-1][0] != BLOCK_INTERTITLE:
                _, last_text, last_key = seg.blocks[-1]
                seg.blocks[-1] = (BLOCK_CAPTION, f"{last_text} {text}", f"{last_key} {key}")
            else:
                seg.blocks.append((BLOCK_CAPTION, text, key))
        elif role == BODY and fields.looks_like_caption(key):
            seg.blocks.append((BLOCK_CAPTION, text, key))
        elif role == HEADING:
            seg.blocks.append((BLOCK_PARAGRAPH, fields.clean_heading(text), fields.clean_heading(key)))
        else:
            seg.blocks.append((BLOCK_PARAGRAPH, text, key))

    def run(self) -> list[Segment]:
        """Walk the page once and return the segments that have a body."""
        current: Segment | None = None
        i = 0
        while i < len(self.lines):
            article_open = current is not None and current.kind != KIND_PHOTO and not current.closed
            self.open_article = current if article_open else None
            has_intertitles = bool(current and current.intertitles)
            start = self.start_at(i, article_open, bool(current and current.blocks), has_intertitles)
            if start is not None:
                current = self.open_segment(start)
                self.segments.append(current)
                if start.next == i:  # the start line is the item's first paragraph (a lede)
                    self.append(current, i)
                    start.next = i + 1
                i = start.next
                continue
            if current is None or current.kind == KIND_PHOTO:
                if self.roles[i] in (SOURCE_CREDIT, MARKER_DOWN):
                    self.dropped.append(self.lines[i].number)
                    i += 1
                    continue
                # Text with no heading of its own: an untitled article.
                current = Segment(KIND_ARTICLE)
                self.segments.append(current)
            self.append(current, i)
            i += 1
        kept = []
        for seg in self.segments:
            if seg.blocks:
                kept.append(seg)
            else:
                # Headings with no text after them (a stray title at the page foot).
                self.dropped.extend(seg.numbers)
        return kept


def split_page(lines: list[Line]) -> tuple[list[Segment], list[int]]:
    """Cut the kept lines of a page into items; also return line numbers dropped on the way."""
    splitter = _Splitter(lines)
    segments = splitter.run()
    return segments, sorted(set(splitter.dropped))
