"""Stage 1: raw bytes to normalised text, or a clear refusal.

Chinese regional sources arrive as UTF-8 (with or without BOM), UTF-16 from
Windows tools, GB18030/GBK from mainland CMSs and Big5 from Taiwan/Hong Kong
exports. We never decode with errors="replace": a file we cannot read cleanly
is rejected with a reason an editor can act on.
"""

from __future__ import annotations

import re
from functools import lru_cache

from articles.text.document import InputError

# Order matters: a UTF-32 LE BOM starts with the UTF-16 LE BOM.
_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)

# Strict candidates for BOM-less legacy files. cp950/big5hkscs are tried
# after big5 because they are supersets that only matter when big5 fails.
_LEGACY_CODECS = ("gb18030", "big5", "cp950", "big5hkscs")

# Below this share of common characters a decode is almost surely the wrong
# codec (or not Chinese at all), and guessing would mangle the text.
_MIN_COMMON_SHARE = 0.5
# Two codecs closer than this are a tie that charset-normalizer settles.
_TIE_MARGIN = 0.05

_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_OTHER_SPACES = re.compile("[\u00a0\u2002-\u200a\u202f\u205f]")
_LEADING_IDEOGRAPHIC = re.compile(r"^[ \t\u3000]+", re.MULTILINE)
# C0/C1 controls other than tab, newline, form feed (PDF page breaks) and CR;
# many of them mean the file is not text, a few stray ones are dropped.
_CONTROLS = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
_TRAILING_SPACE = re.compile(r"[ \t\u3000]+$", re.MULTILINE)
# Terminal colour and cursor codes (ESC [ … m and kin) in text copied from a
# console: dropped as a whole, so their parameters do not stay behind as "[31m".
_ANSI_ESCAPE = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]")
# A few stray NUL bytes (a bad copy, a padded export) are dropped; more mean binary data.
_MAX_NUL_SHARE = 0.001

_COMMON_PUNCTUATION = set("，。、；：？！“”‘’（）《》〈〉【】『』「」—…·－～￥％＋")


@lru_cache(maxsize=1)
def _common_chars() -> frozenset[str]:
    # The GB2312 level-1 block (3755 most used simplified characters) and the
    # Big5 common block (5401 traditional ones). A right decode lands almost
    # entirely in here; a wrong one scatters into rare characters, kana,
    # Greek and box-drawing symbols.
    chars: set[str] = set(_COMMON_PUNCTUATION)
    for lead in range(0xB0, 0xD8):
        for trail in range(0xA1, 0xFF):
            try:
                chars.add(bytes((lead, trail)).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    for lead in range(0xA4, 0xC7):
        for trail in list(range(0x40, 0x7F)) + list(range(0xA1, 0xFF)):
            try:
                chars.add(bytes((lead, trail)).decode("big5"))
            except UnicodeDecodeError:
                pass
    return frozenset(chars)


def common_share(text: str) -> float:
    """Share of non-ASCII characters that are everyday Chinese characters or punctuation."""
    common = _common_chars()
    wide = [ch for ch in text if ord(ch) > 0x7F and not ch.isspace()]
    if not wide:
        return 1.0
    return sum(1 for ch in wide if ch in common) / len(wide)


def _control_share(text: str) -> float:
    if not text:
        return 0.0
    return len(_CONTROLS.findall(text)) / len(text)


def _looks_like_text(text: str) -> bool:
    return _control_share(text) < 0.005 and common_share(text) >= _MIN_COMMON_SHARE


def _decode_with_bom(data: bytes, name: str) -> tuple[str, str] | None:
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError as exc:
                raise InputError(f"{name}: starts with a {codec} byte-order mark but is not valid {codec} ({exc.reason} at byte {exc.start})") from None
            return (text[1:] if text.startswith("\ufeff") else text), codec
    return None


def _decode_bomless_utf16(data: bytes) -> tuple[str, str] | None:
    # UTF-16 without a BOM is the only legitimate text with NUL bytes.
    if len(data) % 2:
        return None
    for codec in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text and _looks_like_text(text):
            return text, codec
    return None


def _tie_break(data: bytes, names: list[str]) -> str | None:
    # charset-normalizer is slow on big files and only consulted on ties, on a prefix.
    from charset_normalizer import from_bytes

    best = from_bytes(data[:65536]).best()
    if best is None:
        return None
    guess = best.encoding.replace("_", "").lower()
    for name in names:
        if name.replace("_", "").replace("-", "").lower() == guess.replace("-", ""):
            return name
    if guess in {"gbk", "gb2312", "hz", "gb18030"} and "gb18030" in names:
        return "gb18030"
    return None


def _decode_legacy(data: bytes, name: str, utf8_error: str) -> tuple[str, str]:
    decoded: dict[str, str] = {}
    for codec in _LEGACY_CODECS:
        if codec != "gb18030" and any(c != "gb18030" for c in decoded):
            continue  # one Big5 flavour is enough
        try:
            decoded[codec] = data.decode(codec)
        except UnicodeDecodeError:
            continue
    if not decoded:
        raise InputError(f"{name}: cannot be decoded: not UTF-8 ({utf8_error}) and not GB18030 or Big5 either")
    scores = {codec: common_share(text) for codec, text in decoded.items()}
    ranked = sorted(scores, key=scores.get, reverse=True)
    choice = ranked[0]
    if len(ranked) > 1 and scores[ranked[0]] - scores[ranked[1]] < _TIE_MARGIN:
        choice = _tie_break(data, ranked) or choice
    text = decoded[choice]
    if scores[choice] < _MIN_COMMON_SHARE:
        raise InputError(f"{name}: not recognisable Chinese text in UTF-8, GB18030 or Big5 (best guess {choice} gives mostly rare characters)")
    return text, choice


def normalise_text(text: str) -> str:
    """Unify line endings and spaces, drop invisible characters, strip line-end blanks."""
    # CRLF and lone CR (old Mac exports) become LF; Unicode line/paragraph
    # separators count as line breaks too, so every later line number refers
    # to text.split("\n").
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u2028", "\n").replace("\u2029", "\n").replace("\x85", "\n")
    text = _ZERO_WIDTH.sub("", text)
    text = _OTHER_SPACES.sub(" ", text)
    # Leading ideographic spaces are paragraph indentation: two ASCII spaces
    # keep the indent width visible. Inner ones separate title phrases and
    # names and count as whitespace everywhere downstream, so they stay.
    text = _LEADING_IDEOGRAPHIC.sub(lambda m: m.group(0).replace("\u3000", "  "), text)
    text = _CONTROLS.sub("", text).replace("\x0c", "")
    return _TRAILING_SPACE.sub("", text)


def decode_bytes(data: bytes, name: str) -> tuple[str, str]:
    """Decode one input file strictly and normalise it; return (text, encoding name)."""
    if not data:
        raise InputError(f"{name}: the file is empty")
    found = _decode_with_bom(data, name)
    if found is None and b"\x00" in data:
        found = _decode_bomless_utf16(data)
        if found is None:
            if data.count(b"\x00") > max(1, len(data) * _MAX_NUL_SHARE):
                raise InputError(f"{name}: looks like a binary file (contains NUL bytes and is not UTF-16 text)")
            data = data.replace(b"\x00", b"")
    if found is None:
        try:
            found = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError as exc:
            found = _decode_legacy(data, name, f"{exc.reason} at byte {exc.start}")
    text, encoding = found
    if "\x1b" in text:
        text = _ANSI_ESCAPE.sub("", text)
    if _control_share(text) >= 0.005:
        raise InputError(f"{name}: looks like a binary file (too many control characters for text)")
    text = normalise_text(text)
    if not text.strip():
        raise InputError(f"{name}: the file contains no text, only whitespace")
    return text, encoding
