"""Atom feeds: the latest articles (/feed/) and any filtered list (/articles/feed/?<the list's query>).

The filtered feed runs the list page's own FilterSet over the public articles,
so every list a reader can see is a list they can subscribe to. Each entry
carries the permalink, the article's date, its source and its region and
theme categories (Atom ``category`` with ``scheme`` and ``label``), and an
excerpt as the summary.
"""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from articles.filters import ArticleFilter
from articles.models import Article
from articles.selectors import listing_rows, public_articles
from articles.templatetags.portal import excerpt_of, headline_of

FEED_SIZE = 50
EXCERPT_LENGTH = 200


class CategorisedAtomFeed(Atom1Feed):
    """Atom with labelled, schemed categories and an atom:source naming the newspaper or site."""

    def add_item_elements(self, handler, item) -> None:
        super().add_item_elements(handler, item)
        for term, label, scheme in item.get("labelled_categories", ()):
            handler.addQuickElement("category", "", {"term": term, "label": label, "scheme": scheme})
        source = item.get("source_name")
        if source:
            handler.startElement("source", {})
            handler.addQuickElement("title", source)
            if item.get("source_link"):
                handler.addQuickElement("link", "", {"rel": "alternate", "href": item["source_link"]})
            handler.endElement("source")


def article_datetime(article: Article) -> datetime.datetime | None:
    """Midnight (the portal's time zone) of the article's date when its year is known; None otherwise."""
    if article.date_sort is None or article.year is None:
        return None
    midnight = datetime.datetime.combine(article.date_sort, datetime.time())
    return midnight.replace(tzinfo=ZoneInfo(settings.TIME_ZONE))


class ArticleFeed(Feed):
    """The newest public articles under the list page's filters (none: the latest of all)."""

    feed_type = CategorisedAtomFeed
    filtered = True  # False for /feed/: query parameters are ignored

    def __call__(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        filterset = ArticleFilter(request.GET if self.filtered else None, queryset=public_articles())
        problems = filterset.problems
        if problems:
            lines = [f"{name}: {' '.join(messages)}" for name, _label, messages in problems]
            return HttpResponseBadRequest("\n".join(lines), content_type="text/plain; charset=utf-8")
        request.article_filter = filterset
        return super().__call__(request, *args, **kwargs)

    def get_object(self, request: HttpRequest, *args, **kwargs) -> ArticleFilter:
        return request.article_filter

    def _query(self, filterset: ArticleFilter) -> str:
        if not filterset.is_bound:
            return ""
        params = filterset.data.copy()
        for key in list(params):
            if key not in filterset.filters:
                params.pop(key)
        return params.urlencode()

    def title(self, filterset: ArticleFilter) -> str:
        labels = []
        for name in ("region", "theme", "source"):
            labels += [str(value) for value in filterset.value(name) or []]
        labels += [f"{year}年" if year != "unknown" else "年份不详" for year in filterset.value("year") or []]
        labels += [f"{month}月" if month != "unknown" else "月份不详" for month in filterset.value("month") or []]
        kinds = dict(Article.Kind.choices)
        labels += [str(kinds[kind]) for kind in filterset.value("kind") or []]
        q = (filterset.value("q") or "").strip()
        if q:
            labels.append(f"“{q}”")
        heading = "、".join(labels) if labels else "最新文章"
        return f"{heading} · {settings.NEWSROOM_SITE_NAME}"

    def subtitle(self, filterset: ArticleFilter) -> str:
        return "地方新闻阅览的文章订阅（Atom）：最新的 %d 篇。" % FEED_SIZE

    def link(self, filterset: ArticleFilter) -> str:
        query = self._query(filterset)
        base = reverse("articles:list")
        return f"{base}?{query}" if query else base

    def feed_url(self, filterset: ArticleFilter) -> str:
        query = self._query(filterset)
        base = reverse("articles:list-feed")
        return f"{base}?{query}" if query else reverse("articles:feed")

    def author_name(self) -> str:
        return settings.NEWSROOM_SITE_NAME

    def items(self, filterset: ArticleFilter) -> list[Article]:
        ids = list(filterset.qs.values_list("pk", flat=True)[:FEED_SIZE])
        return listing_rows(ids)

    def item_title(self, item: Article) -> str:
        return headline_of(item)

    def item_description(self, item: Article) -> str:
        return excerpt_of(item, EXCERPT_LENGTH)

    def item_link(self, item: Article) -> str:
        return item.get_absolute_url()

    def item_guid(self, item: Article) -> str:
        return self._request.build_absolute_uri(item.get_absolute_url())

    def item_pubdate(self, item: Article) -> datetime.datetime | None:
        return article_datetime(item)

    def item_updateddate(self, item: Article) -> datetime.datetime:
        return item.updated_at

    def item_author_name(self, item: Article) -> str | None:
        return "、".join(name for name in item.bylines or [] if name) or None

    def get_feed(self, obj, request):
        self._request = request  # absolute URLs for categories and ids
        return super().get_feed(obj, request)

    def item_extra_kwargs(self, item: Article) -> dict:
        absolute = self._request.build_absolute_uri
        categories = [
            (region.code, region.name, absolute(reverse("articles:list") + "?region="))
            for region in (item.province, item.city, item.county)
            if region is not None
        ]
        categories += [
            (theme.slug, theme.name, absolute(reverse("articles:list") + "?theme=")) for theme in item.themes.all()
        ]
        extra: dict = {"labelled_categories": categories}
        if item.source_id:
            categories.append((str(item.source_id), item.source.name, absolute(reverse("articles:list") + "?source=")))
            extra["source_name"] = item.source.name
            extra["source_link"] = absolute(item.source.get_absolute_url())
        return extra


class LatestFeed(ArticleFeed):
    """/feed/: the newest public articles, whatever the query string says."""

    filtered = False
