"""Pinyin sort keys: titles, places and sources in the order a Chinese reader looks them up.

Code-point order puts 世 (U+4E16) before 丹 (U+4E39); a reader expects 丹凤
(dān) before 世界 (shì), as a dictionary or a library catalogue has them. A
sort key spells each character's reading with its tone number after it
(``丹凤`` → ``dan1feng4``), so that comparing keys as plain strings is
dictionary order: syllable by syllable, letters first, then tone, and a
shorter syllable before a longer one that starts the same (``shi4`` before
``shia…``: the tone digit sorts before every letter).

The keys hold only ``a``–``z`` and ``0``–``9``, which every database
collation (C, en_US, ICU, SQLite's BINARY) orders alike, so an index on the
stored key serves ``ORDER BY`` on SQLite and PostgreSQL without a collation
clause. Latin letters and digits keep their place with a ``0`` "tone" (before
any toned syllable); punctuation and spaces are ignored, as catalogues do.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from functools import lru_cache
from typing import TypeVar

from pypinyin import Style, lazy_pinyin
from pypinyin.contrib.tone_convert import to_tone3

# Sorts after every real key: untitled items (or titles of punctuation alone) come last.
UNTITLED_KEY = "zzzz"
# A Han character pypinyin has no reading for: after every syllable, before UNTITLED_KEY.
UNKNOWN_HAN = "zz9"
KEY_LENGTH = 255  # the stored column's width; longer keys are cut (ties are rare that far in)

T = TypeVar("T")


def _is_han(ch: str) -> bool:
    """True for a CJK ideograph (basic block, extension A, compatibility ideographs)."""
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf" or "\uf900" <= ch <= "\ufaff"


def _other_chars(chunk: str) -> list[str]:
    """Tokens for a run pypinyin could not read: ASCII letters and digits kept, other marks dropped."""
    tokens = []
    for ch in chunk:
        if ch.isascii() and ch.isalnum():
            tokens.append(ch.lower() + "0")
        elif _is_han(ch):
            tokens.append(UNKNOWN_HAN)
    return tokens


@lru_cache(maxsize=None)
def _tone_number(syllable: str) -> str:
    """``zhōng`` → ``zhong1``, ``lǜ`` → ``lv4``, neutral ``de`` → ``de5`` (a few thousand syllables, cached)."""
    return to_tone3(syllable, neutral_tone_with_five=True, v_to_u=False)


# Enough characters for a full key (a reading takes 2-7 of its 255 characters); the rest is never read.
READ_CHARS = 160


def pinyin_key(text: str, *, empty: str = UNTITLED_KEY, length: int = KEY_LENGTH) -> str:
    """The dictionary-order sort key of ``text`` (``丹凤`` → ``dan1feng4``); ``empty`` when nothing is readable."""
    text = unicodedata.normalize("NFKC", text or "")[:READ_CHARS]  # full-width ＡＢ１ read as AB1
    # Readings with tone marks (pypinyin's own form), numbered here through a cache: a third
    # faster than asking pypinyin for TONE3, which re-derives every syllable each time.
    # Tokens of _other_chars already end in a digit; a reading never contains one.
    syllables = lazy_pinyin(text, style=Style.TONE, errors=_other_chars)
    key = "".join(
        syllable if syllable[-1].isdigit() else _tone_number(syllable) for syllable in syllables if syllable
    )
    return key[:length] if key else empty


@lru_cache(maxsize=4096)
def _cached_key(text: str) -> str:
    return pinyin_key(text)


def pinyin_sorted(items: list[T] | tuple[T, ...], key: Callable[[T], str]) -> list[T]:
    """``items`` in pinyin order of ``key(item)``, the text itself breaking ties (small lists: facets, regions)."""
    return sorted(items, key=lambda item: (_cached_key(key(item)), key(item)))
