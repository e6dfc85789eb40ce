"""Fixed budgets for the reading and 原文 pages, whatever a file holds.

A page's cost must not follow its input: an article body is shown up to
READING_BODY_CHARS characters, and the 原文 page shows a window of at most
RAW_PAGE_LINES lines and RAW_PAGE_CHARS characters (each line cut at
RAW_LINE_CHARS), with links to the neighbouring windows. The whole text is
always one link away as a plain-text download (articles.views.article_source_download).
HTML escaping at most quintuples a character, so these keep every page far
below 2 MB.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

READING_BODY_CHARS = 60_000
RAW_PAGE_LINES = 500
RAW_PAGE_CHARS = 60_000
RAW_LINE_CHARS = 2_000
# Lines of context shown above an article when its window does not start the file.
RAW_CONTEXT_LINES = 5
# Whether bare pinyin syllables count as glosses is decided on this much of a
# file (every real page is shorter, so for them it is the whole file).
PINYIN_SAMPLE_CHARS = 1_000_000


def visible_blocks(blocks: list[dict]) -> tuple[list[dict], bool]:
    """The body blocks that fit READING_BODY_CHARS (the last one cut), and whether anything was left out."""
    shown: list[dict] = []
    budget = READING_BODY_CHARS
    for block in blocks:
        text = block.get("text", "")
        if len(text) > budget:
            if budget > 0:
                shown.append({**block, "text": text[:budget] + "…"})
            return shown, True
        shown.append(block)
        budget -= len(text)
    return shown, False


def iter_lines(text: str, start: int = 1) -> Iterator[tuple[int, str]]:
    """(number, line) from line `start` on, without splitting the whole text."""
    position, number = 0, 1
    while number < start:
        found = text.find("\n", position)
        if found < 0:
            return
        position, number = found + 1, number + 1
    while True:
        found = text.find("\n", position)
        yield number, text[position:] if found < 0 else text[position:found]
        if found < 0:
            return
        position, number = found + 1, number + 1


@dataclass
class RawWindow:
    """The lines of a 原文 page and where the neighbouring windows start."""

    lines: list[tuple[int, str, bool]]  # number, text (maybe cut), whether it was cut
    first: int
    last: int
    previous_start: int | None
    next_start: int | None

    @property
    def is_whole_file(self) -> bool:
        return self.previous_start is None and self.next_start is None


def raw_window(text: str, start: int | None, anchor: int) -> RawWindow:
    """The window of `text` starting at line `start` (or a little above line `anchor`) within the budgets."""
    if start is None:
        start = 1 if anchor <= RAW_PAGE_LINES // 2 else max(1, anchor - RAW_CONTEXT_LINES)
    start = max(1, start)
    lines: list[tuple[int, str, bool]] = []
    chars = 0
    next_start = None
    for number, line in iter_lines(text, start):
        cut = len(line) > RAW_LINE_CHARS
        shown = line[:RAW_LINE_CHARS] if cut else line
        if lines and (len(lines) >= RAW_PAGE_LINES or chars + len(shown) > RAW_PAGE_CHARS):
            next_start = number
            break
        lines.append((number, shown, cut))
        chars += len(shown)
    if not lines:  # past the end: show the last window instead
        return raw_window(text, max(1, text.count("\n") + 1 - RAW_PAGE_LINES + 1), anchor) if start > 1 else RawWindow([], 1, 0, None, None)
    previous_start = max(1, start - RAW_PAGE_LINES) if start > 1 else None
    return RawWindow(lines, lines[0][0], lines[-1][0], previous_start, next_start)
