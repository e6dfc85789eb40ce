from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path

from articles import discovery, health, views
from articles.api import api

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("robots.txt", discovery.robots_txt, name="robots"),
    path("opensearch.xml", discovery.opensearch_description, name="opensearch"),
    path(
        "sitemap.xml", sitemap_views.index,
        {"sitemaps": discovery.SITEMAPS, "sitemap_url_name": "sitemap-section"}, name="sitemap",
    ),
    path("sitemap-<section>.xml", sitemap_views.sitemap, {"sitemaps": discovery.SITEMAPS}, name="sitemap-section"),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
    path("", include("articles.urls")),
]

admin.site.site_header = settings.NEWSROOM_SITE_NAME + " · 编辑部"
admin.site.site_title = settings.NEWSROOM_SITE_NAME
admin.site.index_title = "内容管理"
