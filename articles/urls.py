import datetime

from django.urls import path, register_converter

from articles import browse, citations, downloads, map_views, pages, search_views, views
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


class IsoDateConverter:
    """An issue's day, YYYY-MM-DD; an impossible date (2022-02-30) is a 404 before any query."""

    regex = "[0-9]{4}-[0-9]{2}-[0-9]{2}"

    def to_python(self, value: str) -> datetime.date:
        return datetime.date.fromisoformat(value)  # ValueError: no match, so a 404

    def to_url(self, value: datetime.date | str) -> str:
        return str(value)


class PageConverter(PublicIdConverter):
    """A page (版次) as page_number normalises it: 5, A3."""

    regex = "[A-Za-z]?[0-9]{1,3}"


register_converter(PublicIdConverter, "public_id")
register_converter(IsoDateConverter, "iso_date")
register_converter(PageConverter, "page")
register_converter(RegionCodeConverter, "region_code")

app_name = "articles"

urlpatterns = [
    path("", views.home, name="home"),
    path("articles/", views.article_list, name="list"),
    path("search/help/", search_views.search_help, name="search-help"),
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
    path("sources/", browse.source_index, name="sources"),
    path("sources/<int:pk>/issues/<int:year>/", browse.source_issue_year, name="source-issues"),
    path("sources/<int:pk>/<iso_date:date>/", browse.issue_detail, name="issue"),
    path("sources/<int:pk>/<iso_date:date>/<page:page>/", browse.issue_page, name="issue-page"),
    path("articles/calendar/", browse.month_calendar, name="calendar"),
    path("about/", pages.about, name="about"),
    path("help/", pages.help_page, name="help"),
    path("map/", map_views.china_map, name="map"),
    path("map/<region_code:code>/", map_views.province_map, name="map-province"),
]
