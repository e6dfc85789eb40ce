"""What gets indexed, and keeping it current.

Article.search_document holds four lines, all Simplified and segmented
(articles.search.segment): the head (kicker, title, subtitle), the body, the
bylines and the source's name. The last two also carry each name whole
(punctuation and spaces dropped), so an unknown name jieba cuts into single
characters is still one prefix-searchable token. A document of two lines (as
stored before bylines and sources were searched) still reads right: its last
two lines are empty until the article is saved again or rebuild_search_index runs.
The database derives its index from that column by itself (SQLite triggers,
PostgreSQL generated column), so "indexing" an article is nothing more than
storing the right search_document.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.db import connections, router, transaction

from articles.search.segment import segment

# The Article fields search_document is computed from; a save touching none
# of them (status changes, region sync, removal) skips segmentation.
SOURCE_FIELDS = frozenset({"kicker", "title", "subtitle", "body", "body_simplified", "bylines", "source", "source_id"})
_NON_WORD = re.compile(r"[\W_]+")


def _source(article) -> tuple[str, str, str, str]:
    return (article.kicker or "", article.title or "", article.subtitle or "", article.body_simplified or article.body or "")


def _text_lines(article) -> str:
    """'head tokens\\nbody tokens': the costly part (jieba over the body)."""
    kicker, title, subtitle, body = _source(article)
    head = segment(" ".join(part for part in (kicker, title, subtitle) if part)).replace("\n", " ")
    return head + "\n" + segment(body).replace("\n", " ")


def name_line(names) -> str:
    """Segmented names, then each name whole (lowercase Simplified, no punctuation or spaces)."""
    names = [str(name) for name in names if name and str(name).strip()]
    if not names:
        return ""
    tokens = segment(" ".join(names)).replace("\n", " ").split()
    for name in names:
        whole = _NON_WORD.sub("", segment(name).replace(" ", ""))
        if whole and whole not in tokens:
            tokens.append(whole)
    return " ".join(tokens)


def source_name(article) -> str:
    """The article's source name ('' without one); reads the cached Source when there is one."""
    if not article.source_id:
        return ""
    return article.source.name or ""


def _meta_lines(article) -> str:
    """'byline tokens\\nsource tokens': cheap, recomputed on every refresh."""
    bylines = article.bylines if isinstance(article.bylines, (list, tuple)) else []
    return name_line(bylines) + "\n" + name_line([source_name(article)])


def _compose(text: str, meta: str) -> str:
    return "" if not text.strip() and not meta.strip() else f"{text}\n{meta}"


def build_search_document(article) -> str:
    """The search_document an article should have ('head\\nbody\\nbylines\\nsource' tokens), or '' if it has nothing."""
    return _compose(_text_lines(article), _meta_lines(article))


def _stored_text_lines(document: str) -> str:
    head, _, rest = (document or "").partition("\n")
    return head + "\n" + rest.partition("\n")[0]


def refresh_search_document(article) -> bool:
    """Set article.search_document from its text, bylines and source (not saved); False when unchanged.

    The head and body are re-segmented only when their text changed since
    they were last segmented (``_search_source``, which ingest also sets when
    it segments ahead of its transaction); bylines and source are cheap.
    """
    source = _source(article)
    deferred = "search_document" in article.get_deferred_fields()  # never load it just to compare
    if getattr(article, "_search_source", None) == source and not deferred:
        text = _stored_text_lines(article.search_document)
    else:
        text = _text_lines(article)
        article._search_source = source
    document = _compose(text, _meta_lines(article))
    changed = deferred or document != article.search_document
    article.search_document = document
    return changed


def with_source_line(document: str, line: str) -> str:
    """The document with its source line replaced (the other three lines kept as stored)."""
    lines = (document or "").split("\n")
    lines += [""] * (4 - len(lines))
    lines[3] = line
    return "\n".join(lines[:4]) if any(part.strip() for part in lines[:4]) else ""


def source_renamed(source, *, batch_size: int = 1000) -> int:
    """Rewrite the source line of every article of ``source`` (after a rename); returns how many changed.

    Only that line changes, so nothing is re-segmented but the name: a
    rename costs a read and a write of each of the source's documents.
    """
    from articles.models import Article

    line = name_line([source.name])
    manager = Article._base_manager.using(source._state.db or "default")
    ids = list(manager.filter(source=source).order_by("pk").values_list("pk", flat=True))
    changed = 0
    for start in range(0, len(ids), batch_size):
        stale = []
        for article in manager.filter(pk__in=ids[start : start + batch_size]).only("search_document"):
            document = with_source_line(article.search_document, line)
            if document != article.search_document:
                article.search_document = document
                stale.append(article)
        if stale:
            manager.bulk_update(stale, ["search_document"])
            changed += len(stale)
    if changed:
        _catalogue_changed()
    return changed


def index_article(article) -> None:
    """Recompute and store one article's search_document; the database index follows at once."""
    from articles.models import Article

    refresh_search_document(article)
    Article._base_manager.filter(pk=article.pk).update(search_document=article.search_document)
    _catalogue_changed()


def remove_article(article_id: int) -> None:
    """Take an article out of search results until it is next saved or indexed.

    Deleting an article needs no call: the database drops its index entry.
    """
    from articles.models import Article

    Article._base_manager.filter(pk=article_id).update(search_document="")
    _catalogue_changed()


def _catalogue_changed() -> None:
    # These writes bypass the save signals, yet change what a search counts.
    from articles import catalogue

    catalogue.bump()


def _backend(using: str):
    from articles.search import backend_for_vendor

    return backend_for_vendor(connections[using].vendor)


def rebuild_index(
    *, resegment: bool = True, batch_size: int = 500, using: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Recompute every search_document (unless resegment=False), then rebuild the database index.

    Returns the number of articles whose search_document changed. Run after a
    change to the segmenter or its dictionary, or to repair a damaged index.
    """
    from articles.models import Article

    using = using or router.db_for_write(Article)
    changed = 0
    if resegment:
        manager = Article._base_manager.db_manager(using)
        ids = list(manager.order_by("pk").values_list("pk", flat=True))
        fields = ["kicker", "title", "subtitle", "body", "body_simplified", "bylines", "source", "source__name", "search_document"]
        for start in range(0, len(ids), batch_size):
            batch = ids[start : start + batch_size]
            stale = []
            for article in manager.filter(pk__in=batch).select_related("source").only(*fields):
                document = build_search_document(article)
                if document != article.search_document:
                    article.search_document = document
                    stale.append(article)
            if stale:
                with transaction.atomic(using=using):
                    manager.bulk_update(stale, ["search_document"])
                changed += len(stale)
            if progress:
                progress(min(start + batch_size, len(ids)), len(ids))
    with transaction.atomic(using=using):
        _backend(using).rebuild(using)
    _catalogue_changed()
    return changed


def ensure_index_structures(using: str = "default") -> bool:
    """Recreate the database-side index if it went missing (True if it had to)."""
    return _backend(using).ensure_structures(using)
