"""Re-apply theme scoring after editors change keyword lists."""

from __future__ import annotations

from django.db import transaction

from articles import catalogue
from articles.ingest import theme_specs
from articles.models import Article, Theme
from articles.text.chinese import to_simplified
from articles.text.themes import score_themes


def retag_articles(batch_size: int = 500) -> tuple[int, int]:
    """Re-score themes of every live article whose themes no editor set; returns (changed, total)."""
    specs = theme_specs()
    by_slug = {theme.slug: theme.pk for theme in Theme.objects.all()}
    changed = total = 0
    articles = Article.objects.live().prefetch_related("themes").order_by("pk")
    for article in articles.iterator(chunk_size=batch_size):
        total += 1
        if "themes" in article.edited_fields:
            continue
        title = to_simplified(" ".join(filter(None, [article.kicker, article.title, article.subtitle])))
        wanted = {by_slug[slug] for slug in score_themes(specs, title=title, body=article.body_simplified) if slug in by_slug}
        if wanted != {theme.pk for theme in article.themes.all()}:
            # Possibly thousands of articles: one recount beats a change log entry each.
            with transaction.atomic(), catalogue.wholesale():
                article.themes.set(wanted)
            changed += 1
    return changed, total
