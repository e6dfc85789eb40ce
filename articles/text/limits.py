"""Size limits that keep one file's cost bounded whatever it holds.

The pipeline's cost grows with the bytes of a file and with the length of
its longest item (theme scoring, keyword extraction and search segmentation
each hold a whole body several times over in memory). These caps make both
bounded by design: a file is at most MAX_FILE_BYTES, an item at most
MAX_ITEM_CHARS characters (a longer one is cut into consecutive parts, each
saying so in its warnings), and a file at most MAX_ITEMS_PER_FILE items (more
is refused with the reason: no newspaper page or web page comes near it).
Pure Python, no Django.
"""

from __future__ import annotations

import dataclasses
import re

from articles.text.chinese import to_simplified
from articles.text.document import KIND_CONTINUATION, Block, InputError, ParsedDocument, ParsedItem

MAX_FILE_BYTES = 20 * 1024 * 1024
# ~60 printed pages; the longest real report in the corpora is under 20,000.
MAX_ITEM_CHARS = 100_000
# A newspaper page holds a few dozen items; thousands are a dump of lines.
MAX_ITEMS_PER_FILE = 5_000

# Where a too-long paragraph may be cut: after a sentence end, else anywhere.
_SENTENCE_END = re.compile(r"[。！？!?；;…]")


def check_item_count(document: ParsedDocument, name: str) -> None:
    """Refuse a file with more items than MAX_ITEMS_PER_FILE, naming it and the count."""
    if len(document.items) > MAX_ITEMS_PER_FILE:
        raise InputError(
            f"{name}: {len(document.items)} items, more than the {MAX_ITEMS_PER_FILE} allowed in one file "
            "(split the file, or it is not a news page)"
        )


def _cut_text(text: str, limit: int) -> list[str]:
    """Cut a string into pieces of at most `limit` characters, at a sentence end when one is near."""
    pieces, start = [], 0
    while len(text) - start > limit:
        ends = [m.end() for m in _SENTENCE_END.finditer(text, start + limit // 2, start + limit)]
        cut = ends[-1] if ends else start + limit
        pieces.append(text[start:cut])
        start = cut
    pieces.append(text[start:])
    return pieces


def _block_groups(blocks: list[Block], limit: int) -> list[list[Block]]:
    groups: list[list[Block]] = [[]]
    size = 0
    for block in blocks:
        for piece in _cut_text(block.text, limit) if len(block.text) > limit else [block.text]:
            # Two characters of paragraph separator per block, as ParsedItem.body joins them.
            if groups[-1] and size + len(piece) + 2 > limit:
                groups.append([])
                size = 0
            groups[-1].append(Block(block.kind, piece))
            size += len(piece) + 2
    return groups


def split_oversized_items(document: ParsedDocument, limit: int = MAX_ITEM_CHARS) -> int:
    """Cut every item whose body exceeds `limit` characters into parts; return how many items were cut.

    Parts keep the item's headings, date, bylines and line span; the second
    and later are continuations. Each part carries a warning that says so.
    """
    items: list[ParsedItem] = []
    cut = 0
    for item in document.items:
        if len(item.body) <= limit:
            items.append(item)
            continue
        cut += 1
        groups = _block_groups(item.blocks, limit)
        for number, blocks in enumerate(groups, start=1):
            body = "\n\n".join(block.text for block in blocks)
            part = dataclasses.replace(
                item,
                blocks=blocks,
                kind=item.kind if number == 1 else KIND_CONTINUATION,
                body_simplified=to_simplified(body),
                bylines=list(item.bylines),
                regions=list(item.regions),
                themes=list(item.themes),
                keywords=list(item.keywords),
                warnings=list(item.warnings)
                + [f"part {number} of {len(groups)}: the item had {len(item.body)} characters, over the {limit} limit"],
            )
            items.append(part)
    for position, item in enumerate(items):
        item.position = position
    document.items = items
    return cut
