from django.urls import path, register_converter

from articles import citations, downloads, map_views, views
from articles.feeds import ArticleFeed, LatestFeed


class PublicIdConverter:
    """Permalink ids: lower-case base32 (see models.PUBLIC_ID_ALPHABET); anything else is a 404 before any query."""

    regex = "[0-9a-z]{1,16}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


class RegionCodeConverter(PublicIdConverter):
    """Six-digit GB/T 2260 codes."""

    regex = "[0-9]{6}"


register_converter(PublicIdConverter, "public_id")
register_converter(RegionCodeConverter, "region_code")

app_name = "articles"

urlpatterns = [
    path("", views.home, name="home"),
    path("articles/", views.article_list, name="list"),
    path("feed/", LatestFeed(), name="feed"),
    path("articles/feed/", ArticleFeed(), name="list-feed"),
    path("articles/export.csv", downloads.export_csv, name="export-csv"),
    path("articles/export.jsonl", downloads.export_jsonl, name="export-jsonl"),
    path("a/<public_id:public_id>/", views.article_detail, name="detail"),
    # Before the slug pattern: "source" is not a slug.
    path("a/<public_id:public_id>/source/", views.article_source_text, name="raw"),
    path("a/<public_id:public_id>/source.txt", views.article_source_download, name="raw-download"),
    path("a/<public_id:public_id>/cite.<str:fmt>", citations.citation_download, name="cite"),
    # A slug may follow the id for readability; it is never needed nor checked.
    path("a/<public_id:public_id>/<str:slug>/", views.article_detail, name="detail-slug"),
    path("regions/<region_code:code>/", views.region_detail, name="region"),
    path("themes/<slug:slug>/", views.theme_detail, name="theme"),
    path("sources/<int:pk>/", views.source_detail, name="source"),
    path("map/", map_views.china_map, name="map"),
    path("map/<region_code:code>/", map_views.province_map, name="map-province"),
]
