"""How crawlers and browsers find the portal: sitemaps, robots.txt, the OpenSearch description.

The sitemap index (/sitemap.xml) lists one sitemap per section, each split
into pages of at most 10,000 URLs (the sitemaps protocol allows 50,000; smaller
pages stay quick to render at a million articles). Every URL carries its
lastmod and hreflang alternates: the page in Simplified (as stored) and in
Traditional (``?script=hant``, converted on display).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import Max, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from articles.models import Article, Region, Source, Theme
from articles.selectors import public_articles

SITEMAP_PAGE_SIZE = 10_000
TRADITIONAL = "script=hant"


class ScriptAlternatesSitemap(Sitemap):
    """A sitemap whose every URL names its Simplified and Traditional versions (hreflang)."""

    limit = SITEMAP_PAGE_SIZE

    def get_urls(self, page=1, site=None, protocol=None) -> list[dict]:
        urls = super().get_urls(page=page, site=site, protocol=protocol)
        for url in urls:
            location = url["location"]
            joiner = "&" if "?" in location else "?"
            url["alternates"] = [
                {"lang_code": "zh-Hans", "location": location},
                {"lang_code": "zh-Hant", "location": f"{location}{joiner}{TRADITIONAL}"},
                {"lang_code": "x-default", "location": location},
            ]
        return urls


class ArticleSitemap(ScriptAlternatesSitemap):
    """Every public article's permalink, oldest id first so pages stay stable as articles arrive."""

    changefreq = "monthly"

    def items(self) -> QuerySet:
        return public_articles().order_by("pk").only("pk", "public_id", "updated_at")

    def location(self, item: Article) -> str:
        return item.get_absolute_url()

    def lastmod(self, item: Article):
        return item.updated_at

    def get_latest_lastmod(self):
        # One aggregate, not a walk over every article (the default).
        return public_articles().order_by().aggregate(latest=Max("updated_at"))["latest"]


class LandingSitemap(ScriptAlternatesSitemap):
    """The region, theme and source pages that have public articles, and the two entry pages."""

    changefreq = "daily"

    def items(self) -> list[str]:
        public = public_articles().order_by()
        codes: set[str] = set()
        for column in ("province_id", "city_id", "county_id"):
            codes.update(code for code in public.values_list(column, flat=True).distinct() if code)
        addresses = [reverse("articles:home"), reverse("articles:list")]
        addresses += [region.get_absolute_url() for region in Region.objects.filter(code__in=codes).order_by("code")]
        addresses += [
            theme.get_absolute_url()
            for theme in Theme.objects.filter(pk__in=Article.themes.through.objects.filter(
                article_id__in=public.values("pk")).values("theme_id")).order_by("slug")
        ]
        addresses += [
            source.get_absolute_url()
            for source in Source.objects.filter(pk__in=public.values("source_id")).order_by("pk")
        ]
        return addresses

    def location(self, item: str) -> str:
        return item

    def lastmod(self, item: str):
        return self._latest

    def get_urls(self, page=1, site=None, protocol=None) -> list[dict]:
        self._latest = self.get_latest_lastmod()
        return super().get_urls(page=page, site=site, protocol=protocol)

    def get_latest_lastmod(self):
        return public_articles().order_by().aggregate(latest=Max("updated_at"))["latest"]


SITEMAPS = {"articles": ArticleSitemap, "pages": LandingSitemap}


@require_GET
@cache_control(max_age=3600, public=True)
def robots_txt(request: HttpRequest) -> HttpResponse:
    """robots.txt: everything public may be crawled; the admin and the bulk exports may not."""
    sitemap = request.build_absolute_uri(reverse("sitemap"))
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /articles/export",
        f"Sitemap: {sitemap}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@require_GET
@cache_control(max_age=86400, public=True)
def opensearch_description(request: HttpRequest) -> HttpResponse:
    """The OpenSearch description that lets a browser add the portal's search."""
    context = {
        "site_name": settings.NEWSROOM_SITE_NAME,
        "search_url": request.build_absolute_uri(reverse("articles:list")),
        "feed_url": request.build_absolute_uri(reverse("articles:list-feed")),
        "self_url": request.build_absolute_uri(reverse("opensearch")),
    }
    return render(
        request, "opensearch.xml", context, content_type="application/opensearchdescription+xml; charset=utf-8"
    )
