"""Each page costs a fixed number of queries, whatever the archive's size (issue 10).

Counted warm (counts cached) and cold (right after a save); then the archive
is doubled and the counts must not move: a query per row or per facet value
would show up here long before it shows up at a million articles.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles import catalogue
from articles.ingest import ingest_paths
from articles.models import Article

pytestmark = pytest.mark.django_db

# (warm, cold) maximum. Cold = recounted after a wholesale write (an ingest): the
# landing pages count the list's whole tally (5 GROUP BYs and 3 label queries),
# which the list page with the same filter then shares, and read the catalogue
# version again after counting (a value is kept only under the version it counted).
# With the facet index (and, as in tests, no background thread) the cold request
# rebuilds the index instead (the articles, their themes and three label queries).
# Result rows (selectors.listing_rows) read the version to find their region and source
# labels in memory (one query, answered from the snapshot on a PostgreSQL server); cold,
# the labels themselves are read again: sources, and the regions the rows name. Validating
# a region, theme or source filter reads the version too (its valid choices are kept per
# token): warm that replaces the lookup, cold it comes before it.
PAGES = {
    "/articles/": (6, 18),
    "/articles/?region=611000&theme=epidemic&year=2020": (6, 18),
    # PostgreSQL: + SAVEPOINT, SET LOCAL, RELEASE around the search's hit ids (selectors.index_scans),
    # and the same again for every hit's rank (selectors.search_ranks: with no background thread, as in
    # tests, the request fetches them itself; a server fetches them in the background, once per search).
    "/articles/?q=疫情&region=610000": (8, 32),
    "/": (6, 18),
    "/regions/610000/": (8, 19),
    "/themes/epidemic/": (8, 19),
}
READING_MAX = 11
# After an editor's save (or the ingest of a page) the counts are refreshed from the change log, not recounted:
# the version, the log, (a search: which changed articles match) and the page itself. The ingested
# articles at the top of the newest-first list name a source and regions no row named before: read once.
REFRESHED_MAX = {
    "/articles/": 9,
    "/articles/?region=611000&theme=epidemic&year=2020": 7,
    # + which changed articles the search matches, for the facet index; on PostgreSQL the kept ranks'
    # log and the changed hits' current ranks (and, in tests, which run inside a transaction, the
    # version read again by each cached value: a server reads it once per REPEATABLE READ snapshot).
    "/articles/?q=疫情&region=610000": 16,
    "/": 6,
    "/regions/610000/": 9,
    "/themes/epidemic/": 9,
}


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def _reading_url() -> str:
    article = Article.objects.public().filter(county__isnull=False, themes__isnull=False).first()
    return article.get_absolute_url()


def _double_the_archive() -> None:
    """Every public article once more (same places, themes and text): more rows, same shape."""
    for article in list(Article.objects.public().prefetch_related("themes")):
        themes = list(article.themes.all())
        article.pk = None
        article.public_id = Article._meta.get_field("public_id").default()
        article.position += 1000
        article.save()
        article.themes.set(themes)


def _counts(client) -> dict[str, tuple[int, int]]:
    counts = {}
    for url in [*PAGES, _reading_url()]:
        catalogue.bump()  # cold: as right after a save
        cold = _queries(client, url)
        warm = _queries(client, url)
        counts[url if url in PAGES else "reading"] = (warm, cold)
    return counts


def test_every_page_has_a_small_fixed_number_of_queries_that_does_not_grow_with_the_archive(client):
    before = _counts(client)
    for url, (warm_max, cold_max) in PAGES.items():
        warm, cold = before[url]
        assert warm <= warm_max and cold <= cold_max, (url, warm, cold)
    assert max(before["reading"]) <= READING_MAX
    _double_the_archive()
    assert _counts(client) == before


def test_list_and_reading_pages_within_django_assert_max_num_queries(client, django_assert_max_num_queries):
    client.get("/articles/?theme=epidemic")
    with django_assert_max_num_queries(PAGES["/articles/"][0]):
        client.get("/articles/?theme=epidemic")
    url = _reading_url()
    with django_assert_max_num_queries(READING_MAX):
        client.get(url)


def _editor_saves_one_article() -> None:
    article = Article.objects.public().filter(city_id="611000").first()
    article.kind = Article.Kind.PHOTO if article.kind != Article.Kind.PHOTO else Article.Kind.ARTICLE
    article.mark_edited("kind")
    article.save(update_fields=["kind", "edited_fields"])


def test_after_an_editors_save_counts_are_refreshed_not_recounted(client):
    for url in PAGES:
        _queries(client, url)  # warm
    _editor_saves_one_article()
    refreshed = {url: _queries(client, url) for url in PAGES}
    for url, most in REFRESHED_MAX.items():
        assert refreshed[url] <= most, (url, refreshed)
        assert refreshed[url] < PAGES[url][1]  # fewer than a recount


def _ingest_a_page(tmp_path) -> None:
    """A page of three reports in 商洛, one on the epidemic: as ordinary an ingest as an editor's save."""
    path = tmp_path / "page.txt"
    path.write_text(
        "".join(
            f"{place}召开{topic}工作会议\n\n本报讯(记者 王强)4月{day}日,{place}召开{topic}工作推进会,研究部署下一阶段工作。\n\n"
            for day, place, topic in [(3, "洛南县", "疫情防控"), (4, "商州区", "乡村振兴"), (5, "镇安县", "招商引资")]
        ),
        encoding="utf-8",
    )
    summary = ingest_paths([path], jobs=1)
    assert [outcome.created for outcome in summary.files] == [3]


def test_after_a_small_files_ingest_counts_are_refreshed_not_recounted(client, tmp_path):
    for url in PAGES:
        _queries(client, url)  # warm
    token = catalogue.current_token()
    _ingest_a_page(tmp_path)
    assert catalogue.current_token() == token  # logged, as an editor's save is
    refreshed = {url: _queries(client, url) for url in PAGES}
    for url, most in REFRESHED_MAX.items():
        assert refreshed[url] <= most, (url, refreshed)
        assert refreshed[url] < PAGES[url][1]  # fewer than a recount
    assert client.get("/articles/?region=611000&theme=epidemic").context["page_obj"].paginator.count == (
        Article.objects.public().filter(city_id="611000", themes__slug="epidemic").count()
    )
