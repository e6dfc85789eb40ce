"""The JSON Lines export: one object per article, the format score_ingest.py reads."""

from __future__ import annotations

from collections.abc import Iterator

from articles.models import Article


def export_rows(queryset=None) -> Iterator[dict]:
    """Yield one export dict per live article, in file and position order."""
    articles = (queryset if queryset is not None else Article.objects.live()).select_related(
        "ingested_file", "source"
    ).prefetch_related("themes", "articleregion_set").order_by("ingested_file__name", "position", "id")
    for article in articles.iterator(chunk_size=500):
        yield article_as_export(article)


def article_as_export(article: Article) -> dict:
    """The export dict for one article."""
    return {
        "id": article.public_id,
        "url": article.get_absolute_url(),
        "origin": article.ingested_file.name,
        "kind": article.kind,
        "kicker": article.kicker or None,
        "title": article.title or None,
        "subtitle": article.subtitle or None,
        "bylines": list(article.bylines),
        "source": article.source.name if article.source else None,
        "page": article.page or None,
        "date": article.date_iso,
        "regions": [link.region_id for link in sorted(article.articleregion_set.all(), key=lambda link: link.rank)],
        "themes": sorted(theme.slug for theme in article.themes.all()),
        "script": article.script,
        "body": article.body,
        "body_simplified": article.body_simplified,
        "keywords": list(article.keywords),
        "status": article.status,
    }
