"""Script conversion and detection, search segmentation and display punctuation for Chinese text."""

from __future__ import annotations

import logging
import operator
import re
import unicodedata
from functools import lru_cache

import jieba
import opencc

from articles.text.segmenter import default_segmenter

# jieba announces its dictionary load in every process; ingest output stays readable.
jieba.setLogLevel(logging.WARNING)


@lru_cache(maxsize=None)
def _converter(config: str) -> opencc.OpenCC:
    # Building a converter loads its dictionaries; do it once per process.
    return opencc.OpenCC(config)


@lru_cache(maxsize=64)
def to_simplified(text: str) -> str:
    """Convert Traditional characters to Simplified (OpenCC t2s)."""
    # Kept for a few calls: ingest converts the same heading and body for
    # regions, themes and the search document (a quarter of its conversions).
    return _converter("t2s").convert(text)


def to_traditional(text: str) -> str:
    """Convert Simplified characters to Traditional (OpenCC s2t)."""
    return _converter("s2t").convert(text)


# Traditional as its readers write it: Taiwan with its vocabulary (软件 → 軟體,
# 出租车 → 計程車, 裡), Hong Kong with its character forms (台灣, 裏, 着).
READER_CONFIGS = {"tw": "s2twp", "hk": "s2hk"}


def to_reader_traditional(text: str, region: str = "tw") -> str:
    """Convert Simplified text to the Traditional a Taiwan ("tw") or Hong Kong ("hk") reader expects."""
    return _converter(READER_CONFIGS[region]).convert(text)


def _is_han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf" or "\uf900" <= ch <= "\ufaff"


_HAN = re.compile("[\u4e00-\u9fff\u3400-\u4dbf\uf900-\ufaff]")  # the characters _is_han accepts


def _changed(a: str, b: str) -> int:
    if len(a) != len(b):
        # Phrase conversions can change the length; compare character multisets.
        in_b = set(b)
        return sum(1 for ch in set(a) if _is_han(ch) and ch not in in_b)
    if a == b:
        return 0
    return sum(map(operator.ne, a, b))  # positions that differ


_SCRIPT_SAMPLE = 20_000


def detect_script(text: str) -> str:
    """Return "hant" when the text is written in Traditional characters, else "hans"."""
    # The first 20 000 characters tell the script as well as the whole text.
    text = text[:_SCRIPT_SAMPLE]
    if not _HAN.search(text):
        return "hans"
    # Characters only Traditional text uses change under t2s; characters only
    # Simplified text uses change under s2t. Counting both keeps a Simplified
    # article quoting 「臺灣」 or naming 乾隆 Simplified, and a short Traditional
    # headline Traditional.
    traditional_only = _changed(text, to_simplified(text))
    simplified_only = _changed(text, to_traditional(text))
    return "hant" if traditional_only > simplified_only else "hans"


# --- search segmentation ---------------------------------------------------

_TOKEN_CONTENT = re.compile(r"[0-9A-Za-z\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def segment_for_search(text: str) -> str:
    """Simplified, jieba search-mode tokens joined by single spaces, for full-text indexing."""
    # NFKC folds full-width digits and letters (２０２２, ＡＰＰ) to ASCII so
    # queries typed either way meet the same tokens.
    text = to_simplified(unicodedata.normalize("NFKC", text or ""))
    # HMM off: unknown words split into single characters the same way whether
    # they stand in an article or alone in a query.
    tokens = (t.strip().lower() for t in default_segmenter().cut_for_search(text, HMM=False))
    return " ".join(t for t in tokens if t and _TOKEN_CONTENT.search(t))


# --- display punctuation ---------------------------------------------------

# Cataloguing marks a title the item does not print (one made up from its
# first sentence) by square brackets: ［…］ in Chinese text, [...] in a reference.
SUPPLIED_TITLE = "［{}］"
SUPPLIED_TITLE_IN_REFERENCE = "[{}]"


def supplied_title(title: str, *, reference: bool = False) -> str:
    """A made-up title marked as such: ［首句］ for display, [首句] inside a reference."""
    return (SUPPLIED_TITLE_IN_REFERENCE if reference else SUPPLIED_TITLE).format(title)


_FULLWIDTH = {",": "，", ":": "：", ";": "；", "?": "？", "!": "！", "(": "（", ")": "）"}
# Runs that keep their ASCII punctuation whatever surrounds them.
_PROTECTED = re.compile(
    r"(?:https?|ftp)://[^\s\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]+"
    r"|www\.[^\s\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]+"
    r"|[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+",
    re.IGNORECASE,
)
# Chinese text around a mark: Han characters and CJK/full-width punctuation.
_CJK_CONTEXT = re.compile(
    r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
    r"\uff01-\uff0f\uff1a-\uff20\u2018-\u201f\u2026\u2014]"
)


def _cjk(ch: str) -> bool:
    return bool(ch) and bool(_CJK_CONTEXT.match(ch))


def restore_fullwidth_punctuation(text: str, *, keep_length: bool = False) -> str:
    """Turn half-width , : ; ( ) ? ! next to Chinese characters into their full-width forms.

    ``keep_length`` leaves the spaces after a converted mark, so every offset
    into the text stays valid (search snippets mark matches by offset).
    """
    if not text:
        return text
    chars = list(text)
    protected = bytearray(len(text))
    for m in _PROTECTED.finditer(text):
        protected[m.start() : m.end()] = b"\x01" * (m.end() - m.start())

    def neighbour(i: int, step: int) -> str:
        # The nearest character that is not a space: "电话: 0914" still counts.
        j = i + step
        while 0 <= j < len(text) and text[j] in " \t":
            j += step
        return text[j] if 0 <= j < len(text) else ""

    # Parentheses convert as pairs: （记者 李小龙） but (2022) inside English.
    stack: list[int] = []
    pairs: dict[int, int] = {}
    for i, ch in enumerate(text):
        if protected[i]:
            continue
        if ch == "(":
            stack.append(i)
        elif ch == ")" and stack:
            pairs[stack.pop()] = i
    for open_i, close_i in pairs.items():
        inner = text[open_i + 1 : close_i]
        if any(_cjk(c) for c in inner) or _cjk(neighbour(open_i, -1)) or _cjk(neighbour(close_i, 1)):
            chars[open_i], chars[close_i] = "（", "）"
    paired = set(pairs) | set(pairs.values())

    for i, ch in enumerate(text):
        if ch not in _FULLWIDTH or protected[i] or i in paired:
            continue
        before, after = neighbour(i, -1), neighbour(i, 1)
        if ch in ",:" and i > 0 and i + 1 < len(text) and text[i - 1].isdigit() and text[i + 1].isdigit():
            continue  # 1,000 and 10:30
        if ch in "?!":
            # Sentence-final marks belong to what precedes them.
            convert = _cjk(before) or (_cjk(after) and not before.isascii())
        else:
            convert = _cjk(before) or _cjk(after)
        if convert:
            chars[i] = _FULLWIDTH[ch]
            # A full-width mark carries its own spacing: "渭南: 让" reads "渭南：让".
            j = i + 1
            while not keep_length and j < len(text) and text[j] == " " and not protected[j]:
                chars[j] = ""
                j += 1
    return "".join(chars)
