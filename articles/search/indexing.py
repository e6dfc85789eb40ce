"""What gets indexed, and keeping it current.

Article.search_document holds two lines: the segmented head (kicker, title,
subtitle) and the segmented body, both Simplified (articles.search.segment).
The database derives its index from that column by itself (SQLite triggers,
PostgreSQL generated column), so "indexing" an article is nothing more than
storing the right search_document.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import connections, router, transaction

from articles.search.segment import segment

# The Article fields search_document is computed from; a save touching none
# of them (status changes, region sync, removal) skips segmentation.
SOURCE_FIELDS = frozenset({"kicker", "title", "subtitle", "body", "body_simplified"})


def _source(article) -> tuple[str, str, str, str]:
    return (article.kicker or "", article.title or "", article.subtitle or "", article.body_simplified or article.body or "")


def build_search_document(article) -> str:
    """The search_document an article should have: 'head tokens\\nbody tokens', or '' if it has no text."""
    kicker, title, subtitle, body = _source(article)
    head = segment(" ".join(part for part in (kicker, title, subtitle) if part)).replace("\n", " ")
    body = segment(body).replace("\n", " ")
    if not head and not body:
        return ""
    return f"{head}\n{body}"


def refresh_search_document(article) -> bool:
    """Set article.search_document from its text (not saved); False when it was known current."""
    source = _source(article)
    if getattr(article, "_search_source", None) == source:
        return False
    article.search_document = build_search_document(article)
    article._search_source = source
    return True


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
        fields = ["pk", "kicker", "title", "subtitle", "body", "body_simplified", "search_document"]
        for start in range(0, len(ids), batch_size):
            batch = ids[start : start + batch_size]
            stale = []
            for article in manager.filter(pk__in=batch).only(*fields[1:]):
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
