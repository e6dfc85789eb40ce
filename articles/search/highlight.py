"""Snippets with the matches marked, computed in Python so both backends look alike.

Matching happens on the Simplified text (what the query was converted to);
the reader sees the article in its own script. OpenCC's t2s conversion keeps
the length of the text in practice, so offsets found in body_simplified are
offsets in body; when the lengths differ (a rare multi-character conversion,
or cleanup that touched only one of them) the snippet falls back to searching
the original text for Traditional forms of the words, and last to showing the
Simplified text.
"""

from __future__ import annotations

import re
from functools import lru_cache

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from articles.search.query import ParsedQuery, parse_query
from articles.text.chinese import restore_fullwidth_punctuation, to_simplified, to_traditional

MAX_MATCHES = 200
SENTENCE_ENDS = "。！？；!?;\n"
_SPACES = re.compile(r"\s+")
# The space a half-width mark brought with it, once the mark is full-width ("渭南: 让" → "渭南：让").
_SPACE_AFTER_FULLWIDTH = re.compile(r"(?<=[，：；？！]) +")


@lru_cache(maxsize=256)
def _pattern(needles: tuple[str, ...]) -> re.Pattern | None:
    parts = []
    for needle in sorted(set(needles), key=lambda s: (-len(s), s)):
        if not needle:
            continue
        part = re.escape(needle)
        if needle.isascii() and needle[0].isalnum():
            part = r"(?<![A-Za-z0-9])" + part
        if needle.isascii() and needle[-1].isalnum():
            part += r"(?![A-Za-z0-9])"
        parts.append(part)
    return re.compile("|".join(parts), re.IGNORECASE) if parts else None


def find_spans(text: str, needles: tuple[str, ...]) -> list[tuple[int, int]]:
    """Non-overlapping (start, end) of needle occurrences, longest needle first at each place."""
    pattern = _pattern(needles)
    if pattern is None or not text:
        return []
    spans = []
    for match in pattern.finditer(text):
        if match.end() > match.start():
            spans.append(match.span())
            if len(spans) >= MAX_MATCHES:
                break
    return spans


def _traditional_needles(needles: tuple[str, ...]) -> tuple[str, ...]:
    return tuple({*needles, *(to_traditional(needle) for needle in needles)})


def _choose_window(text: str, spans: list[tuple[int, int]], width: int) -> tuple[int, int]:
    """The window of `width` characters showing the most distinct matched words (earliest on ties)."""
    if len(text) <= width:
        return 0, len(text)
    lead = width // 4
    best, best_score = (0, width), (-1, -1)
    for first_start, _ in spans:
        start = max(0, min(first_start - lead, len(text) - width))
        end = start + width
        inside = [(s, e) for s, e in spans if s >= start and e <= end]
        score = (len({text[s:e].lower() for s, e in inside}), len(inside))
        if score > best_score:
            best, best_score = (start, end), score
    start, end = best
    # Begin at a sentence start when one is near before the first match.
    first = next((s for s, _ in spans if s >= start), start)
    cut = max(text.rfind(ch, start, first) for ch in SENTENCE_ENDS)
    if cut >= start:
        shift = cut + 1 - start
        start, end = cut + 1, min(len(text), end + shift)
    return start, end


def _render(text: str, spans: list[tuple[int, int]], start: int, end: int) -> str:
    # The reading page's full-width punctuation, restored on the window (and a
    # few characters either side for context) without moving any offset.
    margin = 2
    first, last = max(0, start - margin), min(len(text), end + margin)
    window = restore_fullwidth_punctuation(text[first:last], keep_length=True)

    def shown(a: int, b: int) -> str:
        return _SPACE_AFTER_FULLWIDTH.sub("", _SPACES.sub(" ", window[a - first : b - first]))

    pieces, position = [], start
    for s, e in spans:
        if e <= start or s >= end:
            continue
        s, e = max(s, start), min(e, end)
        pieces.append(escape(shown(position, s)))
        pieces.append("<mark>" + escape(shown(s, e)) + "</mark>")
        position = e
    pieces.append(escape(shown(position, end)))
    html = "".join(pieces).strip()
    if start > 0:
        html = "…" + html
    if end < len(text):
        html += "…"
    return html


def _candidates(article, parsed: ParsedQuery):
    """(searched text, shown text, needles) to try in order; offsets of the first must be valid in the second."""
    body = article.body or ""
    simplified = article.body_simplified or body
    needles = parsed.needles
    if body and len(body) == len(simplified):
        yield simplified, body, needles
    elif body:
        converted = to_simplified(body)
        if len(converted) == len(body):
            yield converted, body, needles
        yield body, body, _traditional_needles(needles)
    yield simplified, simplified, needles


def highlight_snippet(article, raw_query: str, width: int = 120) -> SafeString:
    """About `width` characters of the body around the best match, matches in <mark>, HTML-escaped.

    Without a match in the body (a title-only hit, or no query) it is the
    opening of the body, unmarked.
    """
    width = max(int(width), 20)
    parsed = parse_query(raw_query or "")
    shown_default = article.body or article.body_simplified or ""
    if parsed.has_positive:
        for searched, shown, needles in _candidates(article, parsed):
            spans = find_spans(searched, needles)
            if spans:
                start, end = _choose_window(searched, spans, width)
                return mark_safe(_render(shown, spans, start, end))
    end = min(len(shown_default), width)
    return mark_safe(_render(shown_default, [], 0, end))


def highlight_text(text: str, raw_query: str, field: str = "") -> SafeString:
    """The whole of a text (a title, a paragraph) with matches in <mark>, HTML-escaped; any script.

    ``field`` is the part of the article the text is ("" for title and body,
    "byline", "source"): only units searching that part are marked.
    """
    text = text or ""
    parsed = parse_query(raw_query or "")
    spans: list[tuple[int, int]] = []
    needles = parsed.needles_in(field)
    if needles and text:
        converted = to_simplified(text)
        if len(converted) == len(text):
            spans = find_spans(converted, needles)
        else:
            spans = find_spans(text, _traditional_needles(needles))
    text = restore_fullwidth_punctuation(text, keep_length=True)
    pieces, position = [], 0
    for s, e in spans:
        pieces.append(escape(text[position:s]))
        pieces.append("<mark>" + escape(text[s:e]) + "</mark>")
        position = e
    pieces.append(escape(text[position:]))
    return mark_safe(_SPACE_AFTER_FULLWIDTH.sub("", "".join(pieces)))
