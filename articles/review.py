"""Which parsed items look like garbage and must wait for an editor before readers see them.

Pure Python on a ParsedItem (no Django): ingest calls review_reasons() for
every item and stores an item with any reason as Article.Status.REVIEW, which
is not public. The signs are ones no real news article shows: page markup
(HTML source pasted as text), a single line longer than any paragraph,
or thousands of numbered lines (a log or table dump).

A missing title alone is not one of them: real newspaper pages print untitled
items (the sample corpus has one), and hiding them would take real news off
the portal. Such items stay published with a "no title" warning for editors.
"""

from __future__ import annotations

import re

from articles.text.document import ParsedItem

# Markup tags such as <div class="x">, </p>, <br/>, <!DOCTYPE html>, <!-- -->.
MARKUP_TAG = re.compile(r"<\s*(?:/\s*)?[A-Za-z][A-Za-z0-9:-]*(?:\s[^<>]*)?/?\s*>|<!(?:DOCTYPE|--)", re.IGNORECASE)
# A few tags may be quoted in a real article (a story about a website); this many may not.
MARKUP_TAGS_FOR_REVIEW = 5
# The longest paragraph of a real article is a few thousand characters; this is ten times that.
LONG_LINE_CHARS = 20_000
# A line that starts with a counter: "123", "123.", "123、", "(123)", "123:".
NUMBERED_LINE = re.compile(r"\s*[(（]?\d{1,9}[)）.、:：,，\s]")
# Numbered lists in real articles run to dozens; a dump runs to thousands, most of its lines.
NUMBERED_LINES_FOR_REVIEW = 500


def review_reasons(item: ParsedItem) -> list[str]:
    """Why this item should wait for an editor (empty: it may be published at once)."""
    reasons = []
    text = item.body
    tags = sum(1 for _ in zip(range(10_000), MARKUP_TAG.finditer(text)))
    if tags >= MARKUP_TAGS_FOR_REVIEW:
        reasons.append(f"needs review: looks like markup source ({tags} tags)")
    lines = text.split("\n")
    longest = max((len(line) for line in lines), default=0)
    if longest > LONG_LINE_CHARS:
        reasons.append(f"needs review: a line of {longest} characters")
    numbered = sum(1 for line in lines if NUMBERED_LINE.match(line))
    nonblank = sum(1 for line in lines if line.strip())
    if numbered >= NUMBERED_LINES_FOR_REVIEW and numbered * 2 >= nonblank:
        reasons.append(f"needs review: {numbered} numbered lines")
    return reasons
