"""What a reader typed, parsed into search units. Pure Python: no Django, no SQL.

Syntax (the one readers expect from web search engines):

* several words mean all of them: ``镇安 防疫``;
* a quoted phrase must appear as written: ``"疫情防控"`` (ASCII, full-width or
  Chinese quotes: ``"…"``, ``＂…＂``, ``“…”``, ``「…」``, ``『…』``);
* a leading minus excludes: ``-疫情`` or ``-"核酸检测"`` (also ``－``).

Everything else is text. Operators of the underlying engines (FTS5's NEAR,
AND/OR/NOT, ``*``, ``^``, ``column:``; tsquery's ``& | ! <->``) and SQL quotes
are never passed through: a unit keeps only its word tokens (letters, digits,
CJK), which the backends then quote or bind as parameters.

Each unit is converted to Simplified (OpenCC) and segmented exactly as
documents are (jieba search mode via articles.search.segment), so 鎮安縣 finds
镇安县. Limits: MAX_QUERY_CHARS characters, MAX_UNITS units and MAX_TOKENS
tokens; anything beyond is dropped, never an error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from articles.search.segment import segment
from articles.text.chinese import to_simplified

MAX_QUERY_CHARS = 200
MAX_UNITS = 16
MAX_TOKENS = 32

QUOTES = frozenset('"“”「」『』＂„‟«»')
MINUS = frozenset("-－−")
# A token is a run of word characters; \w is Unicode-aware (CJK, letters, digits).
_WORD = re.compile(r"[^\W_]+")
_SEPARATOR = re.compile(r"[\W_]+")


def _is_cjk(char: str) -> bool:
    code = ord(char)
    return (
        0x3400 <= code <= 0x4DBF
        or 0x4E00 <= code <= 0x9FFF
        or 0xF900 <= code <= 0xFAFF
        or 0x20000 <= code <= 0x3FFFF
    )


@dataclass(frozen=True)
class Unit:
    """One search unit: a word, a phrase or an exclusion.

    A document matches a unit when its index holds every token, and for each
    run either all of the run's characters or a word starting with the run;
    and, when the unit has chunks, its Simplified text contains each chunk
    verbatim (checked by the database on the index's candidates).
    """

    text: str  # as typed, converted to Simplified (shown back to the reader)
    tokens: tuple[str, ...]  # words the index must hold
    runs: tuple[str, ...] = ()  # strings jieba cut into single characters (unknown or word fragments)
    chunks: tuple[str, ...] = ()  # strings the text must contain verbatim

    @property
    def needles(self) -> tuple[str, ...]:
        if self.chunks:
            return self.chunks
        return (self.text, *self.tokens, *self.runs)


@dataclass(frozen=True)
class ParsedQuery:
    terms: tuple[Unit, ...] = ()
    phrases: tuple[Unit, ...] = ()
    exclusions: tuple[Unit, ...] = ()
    truncated: bool = False  # the input hit one of the limits

    @property
    def is_empty(self) -> bool:
        return not (self.terms or self.phrases or self.exclusions)

    @property
    def has_positive(self) -> bool:
        return bool(self.terms or self.phrases)

    @property
    def positive(self) -> tuple[Unit, ...]:
        return self.terms + self.phrases

    @property
    def needles(self) -> tuple[str, ...]:
        """Strings to highlight in Simplified text, longest first."""
        found = {needle for unit in self.positive for needle in unit.needles if _WORD.search(needle)}
        return tuple(sorted(found, key=lambda s: (-len(s), s)))

    def __str__(self) -> str:
        parts = [u.text for u in self.terms]
        parts += [f'"{u.text}"' for u in self.phrases]
        parts += [f"-{u.text}" for u in self.exclusions]
        return " ".join(parts)


def _split(raw: str) -> list[tuple[bool, bool, str]]:
    """(negated, is_phrase, text) for each unit of the raw query, in order."""
    units = []
    i, n = 0, len(raw)
    while i < n:
        ch = raw[i]
        if ch.isspace():
            i += 1
            continue
        negated = False
        if ch in MINUS and i + 1 < n and not raw[i + 1].isspace():
            negated = True
            i += 1
            ch = raw[i]
        if ch in QUOTES:
            j = i + 1
            while j < n and raw[j] not in QUOTES:
                j += 1
            units.append((negated, True, raw[i + 1 : j]))  # an unclosed quote runs to the end
            i = j + 1
        else:
            j = i
            while j < n and not raw[j].isspace() and raw[j] not in QUOTES:
                j += 1
            units.append((negated, False, raw[i:j]))
            i = j
    return units


def _words(text: str) -> list[str]:
    """The unit's tokens, segmented like documents, syntax-free, deduplicated, in text order."""
    words: list[str] = []
    for token in segment(text).split():
        for word in _WORD.findall(token.lower()):
            if word not in words:
                words.append(word)
    return words


def _tokens_and_runs(words: list[str]) -> tuple[tuple[str, ...], tuple[str, ...], bool]:
    """Split words into required tokens and runs of single CJK characters.

    jieba (without HMM) cuts a string it does not know into single
    characters. In documents that string may be part of a longer word (秦巴 in
    秦巴山区) or stand alone cut the same way (an unknown name): a run
    therefore matches either all its characters or a word starting with it,
    and the unit is checked verbatim. A lone character beside real words is
    only required verbatim (县紧急: 紧急 + the text 县紧急). Returns (tokens,
    runs, needs_verbatim_check).
    """
    tokens: list[str] = []
    runs: list[str] = []
    current = ""
    for word in [*words, ""]:
        if len(word) == 1 and _is_cjk(word):
            current += word
            continue
        if current:
            runs.append(current)
            current = ""
        if word:
            tokens.append(word)
    if not runs:
        return tuple(tokens), (), False
    if tokens:
        runs = [run for run in runs if len(run) > 1]
    return tuple(tokens), tuple(dict.fromkeys(runs)), True


def _chunks(text: str) -> tuple[str, ...]:
    """The verbatim pieces a phrase requires: split at punctuation; spaces between CJK dropped.

    "党建 引领" must appear as 党建引领 (Chinese text has no spaces), "new york"
    as new york, and "防控，一线" as 防控 and 一线 separately.
    """
    chunks: list[str] = []
    current = ""
    pending_space = False
    for piece in re.split(r"([\W_]+)", text):
        if not piece:
            continue
        if _SEPARATOR.fullmatch(piece):
            if current and piece.isspace():
                pending_space = True
            elif current:
                chunks.append(current)
                current, pending_space = "", False
            continue
        if current and pending_space:
            current += ("" if _is_cjk(current[-1]) and _is_cjk(piece[0]) else " ") + piece
        else:
            current += piece
        pending_space = False
    if current:
        chunks.append(current)
    return tuple(chunks)


def parse_query(raw: str) -> ParsedQuery:
    """Parse a raw search-box string; never raises, whatever the input (None, a list …)."""
    if not isinstance(raw, str):
        raw = "" if raw is None else " ".join(map(str, raw)) if isinstance(raw, (list, tuple)) else str(raw)
    return _parse(raw)


@lru_cache(maxsize=512)
def _parse(raw: str) -> ParsedQuery:
    raw = raw.replace("\x00", " ")
    truncated = len(raw) > MAX_QUERY_CHARS
    raw = raw[:MAX_QUERY_CHARS]
    terms: list[Unit] = []
    phrases: list[Unit] = []
    exclusions: list[Unit] = []
    seen: set[tuple] = set()
    budget = MAX_TOKENS
    for negated, is_phrase, text in _split(raw):
        if len(terms) + len(phrases) + len(exclusions) >= MAX_UNITS or budget <= 0:
            truncated = True
            break
        simplified = " ".join(to_simplified(text).split())
        words = _words(simplified)
        if not words:
            continue
        if len(words) > budget:
            words = words[:budget]
            truncated = True
        tokens, runs, verbatim = _tokens_and_runs(words)
        chunks = _chunks(simplified) if (is_phrase or verbatim) else ()
        key = (negated, is_phrase, tokens, runs, chunks)
        if key in seen:
            continue
        seen.add(key)
        budget -= len(words)
        unit = Unit(text=simplified, tokens=tokens, runs=runs, chunks=chunks)
        (exclusions if negated else phrases if is_phrase else terms).append(unit)
    return ParsedQuery(tuple(terms), tuple(phrases), tuple(exclusions), truncated)


def is_meaningful_query(raw: str) -> bool:
    """True when the query would filter anything (not empty, not only punctuation)."""
    return not parse_query(raw or "").is_empty
