"""What a reader typed, parsed into search units. Pure Python: no Django, no SQL.

Syntax (the one readers expect from web search engines):

* several words mean all of them: ``镇安 防疫``;
* a quoted phrase must appear as written: ``"疫情防控"`` (ASCII, full-width or
  Chinese quotes: ``"…"``, ``＂…＂``, ``“…”``, ``「…」``, ``『…』``);
* a leading minus excludes: ``-疫情`` or ``-"核酸检测"`` (also ``－``);
* ``OR`` (capitals, between two words or phrases; also ``|``) means either:
  ``疫情 OR 粮食``; several ORs chain, and the group ANDs with the rest;
* a field prefix searches one part of the article only: ``作者:李小龙``
  (bylines), ``标题:防汛`` (title, kicker, subtitle), ``来源:陕西日报`` (the
  source's name); ``author:``, ``title:``, ``source:`` and Traditional
  ``標題:``/``來源:`` too, ASCII or full-width colon; ``-作者:张三`` and
  ``标题:"防汛抗旱"`` combine.

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
OR_WORDS = frozenset({"OR", "|", "｜"})
# Searchable parts of an article: "" is all of them.
FIELD_HEAD, FIELD_BYLINE, FIELD_SOURCE = "head", "byline", "source"
FIELD_PREFIXES = {
    "作者": FIELD_BYLINE, "author": FIELD_BYLINE,
    "标题": FIELD_HEAD, "標題": FIELD_HEAD, "title": FIELD_HEAD,
    "来源": FIELD_SOURCE, "來源": FIELD_SOURCE, "source": FIELD_SOURCE,
}
_FIELD = re.compile(r"(" + "|".join(FIELD_PREFIXES) + r")[:：]", re.IGNORECASE)
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
    field: str = ""  # "" (anywhere), FIELD_HEAD, FIELD_BYLINE or FIELD_SOURCE

    @property
    def needles(self) -> tuple[str, ...]:
        if self.chunks:
            return self.chunks
        return (self.text, *self.tokens, *self.runs)


def _prefix(field: str) -> str:
    return next((name + ":" for name, value in FIELD_PREFIXES.items() if value == field), "") if field else ""


def unit_str(unit: Unit, phrase: bool) -> str:
    """A unit written back as query syntax."""
    text = f'"{unit.text}"' if phrase else unit.text
    return _prefix(unit.field) + text


@dataclass(frozen=True)
class ParsedQuery:
    terms: tuple[Unit, ...] = ()
    phrases: tuple[Unit, ...] = ()
    exclusions: tuple[Unit, ...] = ()
    truncated: bool = False  # the input hit one of the limits
    any_of: tuple[tuple[Unit, ...], ...] = ()  # OR groups (two units or more), each ANDed with the rest

    @property
    def is_empty(self) -> bool:
        return not (self.terms or self.phrases or self.exclusions or self.any_of)

    @property
    def has_positive(self) -> bool:
        return bool(self.terms or self.phrases or self.any_of)

    @property
    def positive(self) -> tuple[Unit, ...]:
        """Every positive unit, OR groups flattened (for highlighting)."""
        return self.terms + self.phrases + tuple(unit for group in self.any_of for unit in group)

    @property
    def groups(self) -> tuple[tuple[Unit, ...], ...]:
        """What a document must match: every group, each by any one of its units."""
        return tuple((unit,) for unit in self.terms + self.phrases) + self.any_of

    def needles_in(self, field: str = "") -> tuple[str, ...]:
        """Strings to highlight in one part of an article ("" = the body), Simplified, longest first."""
        shown = {"", field} if field else {"", FIELD_HEAD}
        found = {
            needle for unit in self.positive if unit.field in shown
            for needle in unit.needles if _WORD.search(needle)
        }
        return tuple(sorted(found, key=lambda s: (-len(s), s)))

    @property
    def needles(self) -> tuple[str, ...]:
        """Strings to highlight in the text (head and body), Simplified, longest first."""
        return self.needles_in("")

    def __str__(self) -> str:
        parts = [u.text if not u.field else unit_str(u, False) for u in self.terms]
        parts += [unit_str(u, True) for u in self.phrases]
        parts += [" OR ".join(unit_str(u, bool(u.chunks) and not u.runs) for u in group) for group in self.any_of]
        parts += ["-" + unit_str(u, bool(u.chunks) and not u.runs) for u in self.exclusions]
        return " ".join(parts)


def _split(raw: str) -> list[tuple[bool, bool, str, str] | None]:
    """(negated, is_phrase, text, field) for each unit of the raw query, in order; None for an OR."""
    units: list[tuple[bool, bool, str, str] | None] = []
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
        field = ""
        prefix = _FIELD.match(raw, i)
        if prefix and prefix.end() < n and not raw[prefix.end()].isspace():
            field = FIELD_PREFIXES.get(prefix.group(1)) or FIELD_PREFIXES[prefix.group(1).lower()]
            i = prefix.end()
            ch = raw[i]
        if ch in QUOTES:
            j = i + 1
            while j < n and raw[j] not in QUOTES:
                j += 1
            units.append((negated, True, raw[i + 1 : j], field))  # an unclosed quote runs to the end
            i = j + 1
        else:
            j = i
            while j < n and not raw[j].isspace() and raw[j] not in QUOTES:
                j += 1
            if not negated and not field and raw[i:j] in OR_WORDS:
                units.append(None)
            else:
                units.append((negated, False, raw[i:j], field))
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
    # Positive units in order, each with whether it was a phrase; an OR joins
    # the units on either side of it into one group (a chain of ORs, one group).
    groups: list[list[tuple[Unit, bool]]] = []
    exclusions: list[Unit] = []
    seen: set[tuple] = set()
    budget = MAX_TOKENS
    count = 0
    join_next = False
    for item in _split(raw):
        if item is None:
            join_next = bool(groups)  # a leading OR, or one after an exclusion, is ignored
            continue
        negated, is_phrase, text, field = item
        if count >= MAX_UNITS or budget <= 0:
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
        unit = Unit(text=simplified, tokens=tokens, runs=runs, chunks=chunks, field=field)
        if negated:
            join_next = False
            if (True, unit) in seen:
                continue
            seen.add((True, unit))
            exclusions.append(unit)
        elif join_next and groups:
            join_next = False
            if any(unit == other for other, _ in groups[-1]):
                continue
            groups[-1].append((unit, is_phrase))
        else:
            if (is_phrase, unit) in seen:
                continue
            seen.add((is_phrase, unit))
            groups.append([(unit, is_phrase)])
        count += 1
        budget -= len(words)
    terms = tuple(unit for group in groups if len(group) == 1 for unit, phrase in group if not phrase)
    phrases = tuple(unit for group in groups if len(group) == 1 for unit, phrase in group if phrase)
    any_of = tuple(tuple(unit for unit, _ in group) for group in groups if len(group) > 1)
    return ParsedQuery(terms, phrases, tuple(exclusions), truncated, any_of)


def without_each_unit(raw: str, limit: int = 3) -> list[str]:
    """The query with one positive word or phrase dropped, for each of its first units (a no-results hint)."""
    items = _split((raw or "")[:MAX_QUERY_CHARS])
    positive = [k for k, item in enumerate(items) if item is not None and not item[0] and _words(item[2])]
    if len(positive) < 2:
        return []
    shorter = []
    for drop in positive[:limit]:
        dropped = {drop}
        if drop > 0 and items[drop - 1] is None:  # "a OR b c" without b is "a c", not "a OR c"
            dropped.add(drop - 1)
        elif drop + 1 < len(items) and items[drop + 1] is None:
            dropped.add(drop + 1)
        text = " ".join(_write(item) for k, item in enumerate(items) if k not in dropped).strip()
        if text and text not in shorter:
            shorter.append(text)
    return shorter


def _write(item: tuple[bool, bool, str, str] | None) -> str:
    if item is None:
        return "OR"
    negated, is_phrase, text, field = item
    return ("-" if negated else "") + _prefix(field) + (f'"{text}"' if is_phrase else text)


def is_meaningful_query(raw: str) -> bool:
    """True when the query would filter anything (not empty, not only punctuation)."""
    return not parse_query(raw or "").is_empty
