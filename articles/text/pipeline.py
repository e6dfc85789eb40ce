"""Stage 5: run decode → chrome → split → fields → places/themes on one file."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from articles.text import fields
from articles.text.chinese import detect_script, to_simplified
from articles.text.clean import (
    POINTER,
    Line,
    PageChrome,
    looks_like_heading,
    find_chrome,
    join_broken_paragraphs,
    kept_lines,
    same_span,
    simplified_lines,
    strip_pinyin_annotations,
    tail_of,
)
from articles.text.decode import decode_bytes
from articles.text.issues import marker_page
from articles.text.document import (
    BLOCK_CAPTION,
    BLOCK_INTERTITLE,
    BLOCK_PARAGRAPH,
    KIND_ARTICLE,
    KIND_PHOTO,
    Block,
    ParsedDocument,
    ParsedItem,
    PartialDate,
    ThemeSpec,
)
from articles.text.shape import KIND_EPAPER, KIND_WEB, FileKind, LineShape, classify_file, line_shape
from articles.text.split import Segment, split_page
from articles.text.web import OUTSIDE, WebArticle, find_web_article, web_chrome_lines

if TYPE_CHECKING:
    from articles.text.places import Gazetteer

# "(市委组织部供稿)" closing the last paragraph: a source credit, not body.
_TRAILING_SOURCE = re.compile(r"\s*[(（【][^()（）【】]{2,30}(?:供稿|提供|撰稿)[)）】]\s*$|\s*[(（]完[)）]\s*$")


def _join_headings(lines: list[str]) -> str | None:
    cleaned = [fields.clean_heading(line) for line in lines]
    return " ".join(c for c in cleaned if c) or None


def _cut(text: str, key: str, end: int) -> tuple[str, str]:
    # Keep text[:end]; positions carry over from the key when lengths agree.
    head = text[:end] if len(text) == len(key) else key[:end]
    return head.rstrip(), key[:end].rstrip()


def _item_blocks(seg: Segment) -> tuple[list[Block], list[str], list[str]]:
    # Body blocks with the lede marker and credits taken off, the names found
    # there, and the Simplified keys of the blocks (rules read those).
    names: list[str] = []
    texts = [text for _, text, _ in seg.blocks]
    keys = [key for _, _, key in seg.blocks]
    kinds = [kind for kind, _, _ in seg.blocks]
    if seg.kind == KIND_PHOTO and texts:
        credit = fields.caption_credit(keys[0])
        if credit:
            names += [same_span(texts[0], keys[0], n) for n in fields.extract_bylines(credit.group(0))]
            if keys[0][: credit.start()].strip():
                texts[0], keys[0] = _cut(texts[0], keys[0], credit.start())
    elif texts and kinds[0] == BLOCK_PARAGRAPH:
        lede = fields.split_lede(keys[0])
        if lede is not None:
            rest_key, lede_names = lede
            names += [same_span(texts[0], keys[0], n) for n in lede_names]
            texts[0], keys[0] = tail_of(texts[0], keys[0], rest_key), rest_key
    if texts and kinds[-1] == BLOCK_PARAGRAPH:
        trailing = _TRAILING_SOURCE.search(keys[-1])
        if trailing and trailing.start():
            texts[-1], keys[-1] = _cut(texts[-1], keys[-1], trailing.start())
        signoff = fields.trailing_byline(keys[-1])
        if signoff and signoff.start() and seg.kind != KIND_PHOTO:
            # "…乘车。(记者 赵静)": the article's byline, printed at its end.
            names += [same_span(texts[-1], keys[-1], n) for n in fields.extract_bylines(signoff.group(1))]
            texts[-1], keys[-1] = _cut(texts[-1], keys[-1], signoff.start())
    kept = [(kind, text, key) for kind, text, key in zip(kinds, texts, keys) if text.strip()]
    return [Block(kind, text) for kind, text, _ in kept], [key for _, _, key in kept], names


def _bylines(seg: Segment, extra: list[str]) -> list[str]:
    names: list[str] = []
    for text, key in seg.bylines:
        names += [same_span(text, key, name) for name in fields.extract_bylines(key)]
    names += extra
    return list(dict.fromkeys(names))


def build_item(
    seg: Segment,
    position: int,
    chrome: PageChrome,
    full_dates: list[PartialDate],
) -> ParsedItem:
    """Turn one split segment into a ParsedItem with headings, bylines, body, date and script."""
    blocks, keys, lede_names = _item_blocks(seg)
    item = ParsedItem(
        position=position,
        kind=seg.kind,
        blocks=blocks,
        kicker=_join_headings(seg.kicker),
        title=fields.clean_heading(seg.title) if seg.title else None,
        subtitle=_join_headings(seg.subtitle),
        bylines=_bylines(seg, lede_names),
        issuer="\n".join(seg.issuer) or None,
        page=chrome.page,
        issue=chrome.issue,
        continued_from=seg.continued_from,
        continued_on=seg.continued_on,
        first_line=seg.first_line,
        last_line=seg.last_line,
    )
    # A caption block counts for the lede rule only in a photo item.
    paragraphs = [key for block, key in zip(blocks, keys) if block.kind == BLOCK_PARAGRAPH or seg.kind == KIND_PHOTO]
    item.date, item.date_rule = fields.resolve_item_date(chrome.page_date, chrome.published, paragraphs, full_dates)
    finish_item(item)
    return item


def finish_item(item: ParsedItem) -> None:
    """Script, Simplified body and the warnings an editor sees, once blocks, headings, date and bylines are set."""
    body = item.body
    item.script = detect_script(" ".join(filter(None, [item.kicker, item.title, item.subtitle, body])))
    item.body_simplified = to_simplified(body)
    if item.title is None:
        item.warnings.append("no title")
    if item.date is None:
        item.warnings.append("no date")
    elif item.date.year is None:
        item.warnings.append("date without year")
    if not item.bylines and item.kind != KIND_PHOTO:
        item.warnings.append("no byline")


def _heading_text(item: ParsedItem) -> str:
    return to_simplified(" ".join(filter(None, [item.kicker, item.title, item.subtitle, item.issuer])))


def _first_paragraph(item: ParsedItem) -> str:
    for block in item.blocks:
        if block.kind in (BLOCK_PARAGRAPH, BLOCK_CAPTION):
            return to_simplified(block.text)
    return ""


def parse_document(
    data: bytes,
    name: str,
    *,
    gazetteer: Gazetteer | None = None,
    themes: list[ThemeSpec] | None = None,
    source_hint: str | None = None,
) -> ParsedDocument:
    """Parse one input file into structured items; raise InputError when it cannot be read."""
    text, encoding = decode_bytes(data, name)
    lines = text.split("\n")
    keys = simplified_lines(lines)
    shapes = [line_shape(key) for key in keys]
    file_kind = classify_file(keys, shapes)
    if file_kind.kind == KIND_WEB:
        doc = _parse_web_dump(text, encoding, lines, keys, shapes, file_kind, source_hint)
        if doc is not None:
            if gazetteer is not None:
                _assign_regions(doc, gazetteer)
            if themes is not None:
                _assign_themes(doc, themes)
            return doc
    chrome = find_chrome(lines, keys)
    if file_kind.kind == KIND_EPAPER:
        # The page's articles go through the newspaper path; the web page's
        # menus, link rows and placeholders around them go by their shape.
        chrome.removed.update({number: reason for number, reason in web_chrome_lines(shapes).items()
                               if number not in chrome.removed})
    segments, dropped = split_page(join_broken_paragraphs(kept_lines(lines, chrome, keys)))
    full_dates = fields.find_full_dates("\n".join(keys))
    source = chrome.source or source_hint
    items = [build_item(seg, position, chrome, full_dates) for position, seg in enumerate(segments)]
    # A segment that was only a lede marker or a credit ("本报讯(记者 X)" and
    # nothing after it) has no body left: it is not an item.
    items = [item for item in items if item.blocks]
    for position, item in enumerate(items):
        item.position = position
        item.continued_on = item.continued_on or _pointer_after(item, keys, chrome.removed)
    doc = ParsedDocument(
        encoding=encoding,
        text=text,
        items=items,
        source=source,
        page=chrome.page,
        issue=chrome.issue,
        date=chrome.page_date,
        removed_lines=sorted(set(chrome.removed) | set(dropped)),
        removed_reasons={**{n: DROPPED_BY_SPLIT for n in dropped}, **chrome.removed},
        kind=file_kind.describe(),
    )
    if not items:
        doc.warnings.append("no articles found")
    articles = [item for item in items if item.kind != KIND_PHOTO]
    if chrome.authors and len(articles) == 1 and not articles[0].bylines:
        # A web page names its one article's author in the info bar (作者: X).
        articles[0].bylines = list(chrome.authors)
        articles[0].warnings = [w for w in articles[0].warnings if w != "no byline"]
    if gazetteer is not None:
        _assign_regions(doc, gazetteer)
    if themes is not None:
        _assign_themes(doc, themes)
    return doc


def _pointer_after(item: ParsedItem, keys: list[str], removed: dict[int, str]) -> str | None:
    """The page a "(转4版)" line right under the item names: the chrome scan took the line as a pointer."""
    number = item.last_line + 1
    while number <= len(keys) and not keys[number - 1].strip():
        number += 1
    if removed.get(number) != POINTER or "转" not in keys[number - 1]:
        return None
    return marker_page(keys[number - 1])


# Lines the splitter let go: a heading with no text under it, a <title> echo, a 下转 marker.
DROPPED_BY_SPLIT = "stray heading, page-title echo or continuation marker"


# A closing bracket after the last sentence that names a person or a unit:
# "…共有300人参加。（李楠）", "（德清县发改局）": a credit, not text.
_CLOSING_CREDIT = re.compile(r"(?<=[。！？!?”])\s*[(（]\s*(?:文/图|文|图|记者|作者)?\s*[/／]?\s*([\u4e00-\u9fff·]{2,12}(?:[\s、，,][\u4e00-\u9fff·]{2,4})*)\s*[)）]\s*$")


def _web_blocks(lines: list[Line]) -> list[Block]:
    blocks: list[Block] = []
    for position, line in enumerate(lines):
        key = line.key
        following = lines[position + 1].key if position + 1 < len(lines) else None
        if (following is not None and looks_like_heading(key) and not fields.looks_like_caption(key)
                and not key.endswith(("。", "！", "？"))):
            blocks.append(Block(BLOCK_INTERTITLE, fields.clean_heading(line.text)))
        elif fields.looks_like_caption(key):
            blocks.append(Block(BLOCK_CAPTION, line.text))
        else:
            blocks.append(Block(BLOCK_PARAGRAPH, line.text))
    return blocks


def _credited_source(outlet: str | None, site: str | None) -> str | None:
    """The outlet a page credits, with the site that republished it: 眉山日报（洪雅新闻网）."""
    if not outlet or not site:
        return outlet or site
    if outlet in site or site in outlet:
        return max(outlet, site, key=len)
    return f"{outlet}（{site}）"


# A forum thread's headline between its board and a button: [本地新闻] 标题 [复制链接].
_THREAD_BUTTON = re.compile(r"\s*\[(?:复制链接|复制本帖链接|打印|收藏|分享)\]\s*$")


def _web_title(line: str) -> str | None:
    # A text browser prints a headline that is a link as a list item ("• 标题").
    line = _THREAD_BUTTON.sub("", re.sub(r"^\s*[*+•·●◆■▪►▸◇○□]\s+", "", line))
    return fields.clean_heading(line) or None


def _parse_web_dump(
    text: str, encoding: str, lines: list[str], keys: list[str], shapes: list[LineShape], file_kind: FileKind,
    source_hint: str | None,
) -> ParsedDocument | None:
    """The web-dump path: one article found by the shape of the page (None when there is no prose at all)."""
    found: WebArticle = find_web_article(keys, lines, shapes)
    if not found.content:
        return None
    chrome = PageChrome(removed={i + 1: reason for i, reason in found.removed.items()})
    keep = {i + 1 for i in found.content}
    headline = {i + 1 for i in found.title_lines}  # part of the article, not stripped
    chrome.removed.update({n: OUTSIDE for n in range(1, len(lines) + 1)
                           if n not in keep | headline and n not in chrome.removed and lines[n - 1].strip()})
    body_lines = join_broken_paragraphs([line for line in kept_lines(lines, chrome, keys) if line.number in keep])
    names: list[str] = []  # a reporter credited in brackets closing the text: （记者 张三）
    if body_lines:
        last = body_lines[-1]
        credit = _CLOSING_CREDIT.search(last.key)
        if credit and credit.start():
            # A bare bracket names a person only when it looks like a name: not （央视新闻）, （未完待续）.
            bracketed = fields.extract_bylines(credit.group(1))
            if fields.trailing_byline(last.key) or all(fields.looks_like_name(name) for name in bracketed):
                names = bracketed
            cut = credit.start()
            text_cut = last.text[:cut] if len(last.text) == len(last.key) else last.text
            body_lines[-1] = Line(last.number, text_cut.rstrip(), last.indent, last.last_number, last.key[:cut].rstrip())
    blocks = _web_blocks(body_lines)
    title = _web_title("".join(lines[i].strip() for i in found.title_lines)) if found.title_lines else None
    lede_names: list[str] = []
    first_key = body_lines[0].key if body_lines else ""
    lede = fields.split_lede(first_key)
    if lede is not None:
        lede_names = lede[1]
    bylines = list(dict.fromkeys(found.authors + lede_names + names))
    item = ParsedItem(
        position=0,
        kind=KIND_ARTICLE,
        blocks=blocks,
        title=title,
        bylines=bylines,
        first_line=(found.title + 1) if found.title is not None else body_lines[0].number,
        last_line=body_lines[-1].last_number if body_lines else 0,
    )
    item.date = found.date
    item.date_rule = "publication" if found.date else None
    finish_item(item)
    return ParsedDocument(
        encoding=encoding,
        text=text,
        items=[item] if blocks else [],
        source=_credited_source(found.source, found.site) or source_hint,
        date=found.date,
        removed_lines=sorted(chrome.removed),
        removed_reasons=dict(sorted(chrome.removed.items())),
        kind=file_kind.describe(),
    )


# Region matching reads at most this much of the file and of each body: far
# more than any page, and it keeps a runaway input to a second or two.
_MAX_REGION_CHARS = 100_000


def _assign_regions(doc: ParsedDocument, gazetteer: Gazetteer) -> None:
    # Region matching always runs on Simplified text, glosses removed.
    from articles.text.places import file_places, resolve_regions

    page = doc.text[:_MAX_REGION_CHARS]
    context = file_places(gazetteer, to_simplified(strip_pinyin_annotations(page)))
    for item in doc.items:
        item.regions = resolve_regions(
            gazetteer,
            title=_heading_text(item)[:_MAX_REGION_CHARS],
            lede=_first_paragraph(item)[:_MAX_REGION_CHARS],
            body=item.body_simplified[:_MAX_REGION_CHARS],
            context=context,
        )
        if not item.regions:
            item.warnings.append("no region")


def _assign_themes(doc: ParsedDocument, themes: list[ThemeSpec]) -> None:
    from articles.text.themes import extract_keywords, score_themes

    for item in doc.items:
        title = _heading_text(item)
        item.themes = score_themes(themes, title=title, body=item.body_simplified)
        item.keywords = extract_keywords(title, item.body_simplified)


def item_as_export(doc: ParsedDocument, item: ParsedItem, origin: str) -> dict[str, Any]:
    """The JSON-ready export record of one item (the shape tests/gold/score_ingest.py reads)."""
    return {
        "origin": origin,
        "kind": item.kind,
        "kicker": item.kicker,
        "title": item.title,
        "subtitle": item.subtitle,
        "bylines": item.bylines,
        "source": doc.source,
        "page": item.page,
        "date": item.date.iso() if item.date else None,
        "regions": item.regions,
        "themes": item.themes,
        "script": item.script,
        "body": item.body,
        "body_simplified": item.body_simplified,
        "keywords": item.keywords,
    }
