"""Script conversion and detection for Chinese text (OpenCC)."""

from __future__ import annotations

from functools import lru_cache

import opencc


@lru_cache(maxsize=None)
def _converter(config: str) -> opencc.OpenCC:
    # Building a converter loads its dictionaries; do it once per process.
    return opencc.OpenCC(config)


def to_simplified(text: str) -> str:
    """Convert Traditional characters to Simplified (OpenCC t2s)."""
    return _converter("t2s").convert(text)


def to_traditional(text: str) -> str:
    """Convert Simplified characters to Traditional (OpenCC s2t)."""
    return _converter("s2t").convert(text)


def detect_script(text: str) -> str:
    """Return "hant" when the text is written in Traditional characters, else "hans"."""
    simplified = to_simplified(text)
    changed = sum(1 for a, b in zip(text, simplified) if a != b)
    han = sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff")
    # Simplified text converts to itself; a few per cent of changed characters
    # (e.g. 乾/干 quirks) is noise, real Traditional text changes far more.
    return "hant" if han and changed / han > 0.05 else "hans"
