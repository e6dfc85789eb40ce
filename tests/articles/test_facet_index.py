"""The in-memory facet index counts exactly what SQL counts, at every catalogue version (issue 10).

Reference: selectors.count_tally, the GROUP BYs. Random facet combinations
(with and without a search) are compared on the sample corpus, then again
after random editor edits that the snapshot has not seen (changed articles
are counted from their current state and text), and after wholesale writes.
"""

import random

import pytest
from django.db import connection
from django.http import QueryDict

from articles import catalogue, facet_index, selectors
from articles.filters import ArticleFilter
from articles.models import Article, Source, Theme
from articles.search import DATE_ORDERING, RELEVANCE_ORDERING, RankedHits
from articles.text.document import PartialDate
from tests.articles.test_count_refresh import _edit

pytestmark = pytest.mark.django_db

NEWEST = 12  # a search's ranking candidates: the newest hits, as the database orders them
SEARCHES = ["疫情", "乡村振兴", "商洛", "疫情 防控", "会议 -疫情", '"乡村振兴"']


def _filter(query: str) -> ArticleFilter:
    return ArticleFilter(QueryDict(query), queryset=Article.objects.public())


def _counts(tally: selectors.Tally) -> tuple:
    return (tally.regions, tally.themes, tally.themes_added, tally.dates, tally.sources, tally.kinds)


def _values() -> dict[str, list[str]]:
    public = Article.objects.public()
    regions = set()
    for row in public.values_list("province_id", "city_id", "county_id").distinct():
        regions.update(code for code in row if code)
    years = {str(year) for year in public.values_list("year", flat=True).distinct() if year} | {"unknown", "1999"}
    return {
        "region": sorted(regions) + ["110000"],  # and a province with no article
        "theme": list(Theme.objects.values_list("slug", flat=True)),
        "year": sorted(years),
        "month": ["1", "3", "10", "12", "unknown"],
        "source": [str(pk) for pk in Source.objects.values_list("pk", flat=True)],
        "kind": [value for value, _label in Article.Kind.choices],
    }


def _random_queries(rng: random.Random, count: int) -> list[str]:
    values = _values()
    queries = [""]
    while len(queries) < count:
        params = []
        for facet in rng.sample(sorted(values), rng.randint(1, 3)):
            params += [(facet, value) for value in rng.sample(values[facet], min(len(values[facet]), rng.randint(1, 2)))]
        if rng.random() < 0.4:
            params.append(("q", rng.choice(SEARCHES)))
        query = QueryDict(mutable=True)
        for name, value in params:
            query.appendlist(name, value)
        queries.append(query.urlencode())
    return queries


def _assert_index_equals_sql(queries: list[str], note=None) -> None:
    for query in queries:
        from_index = selectors.index_tally(_filter(query))
        assert from_index is not None, query
        assert _counts(from_index) == _counts(selectors.count_tally(_filter(query))), (note, query)
        newest = list(_filter(query).qs.order_by(*DATE_ORDERING).values_list("pk", flat=True)[:NEWEST])
        assert selectors.newest_matching_ids(_filter(query), NEWEST) == newest, (note, query)


def test_any_combination_counts_what_sql_counts():
    _assert_index_equals_sql(_random_queries(random.Random(12), 120))


def test_the_list_page_and_its_total_come_from_the_index(client, django_assert_max_num_queries):
    response = client.get("/articles/", {"q": "疫情", "region": "610000"})
    expected = selectors.count_tally(_filter("q=疫情&region=610000"))
    assert response.context["page_obj"].paginator.count == expected.total()
    assert not response.context["page_obj"].estimated


def test_edits_the_snapshot_has_not_seen_are_counted_from_their_current_state():
    rng = random.Random(1205)
    queries = _random_queries(rng, 40) + ["q=疫情", "q=疫情防控新进展", "q=乡村振兴&region=611000"]
    _assert_index_equals_sql(queries)
    snapshot = facet_index._current
    articles = list(Article.objects.order_by("pk"))
    edits = []
    for step in range(25):
        edits.append(_edit(rng, Article.objects.get(pk=rng.choice(articles).pk)))
        _assert_index_equals_sql(queries if step % 5 == 4 else queries[:8] + queries[-3:], (step, edits[-1]))
    assert facet_index._current is snapshot  # carried by the change log, not rebuilt
    assert "title" in edits  # a searched text changed: the old text is gone, yet the counts are exact


def test_a_wholesale_write_rebuilds_the_snapshot():
    selectors.index_tally(_filter("theme=epidemic"))
    snapshot = facet_index._current
    theme = Theme.objects.get(slug="epidemic")
    Article.themes.through.objects.filter(theme=theme).delete()  # a bulk write: no article signal
    catalogue.bump()
    tally = selectors.index_tally(_filter("theme=epidemic"))
    assert facet_index._current is not snapshot
    assert theme.pk not in tally.themes
    assert _counts(tally) == _counts(selectors.count_tally(_filter("theme=epidemic")))


@pytest.mark.parametrize("query", ["", "region=610000", "theme=epidemic&kind=article"])
def test_an_index_tally_shares_the_snapshots_labels_and_is_kept_with_its_own(query):
    """In this process the tally names places through the snapshot's labels; pickled, it keeps only what it counts."""
    import pickle

    tally = selectors.index_tally(_filter(query))
    index = facet_index._current
    assert tally.region_names is index.region_names  # shared, not copied per combination
    kept = pickle.loads(pickle.dumps(tally))
    assert kept.region_names == {code: index.region_names[code] for code in selectors._row_codes(tally.regions)}
    assert kept.source_names == {pk: index.source_names[pk] for pk in tally.sources if pk is not None}
    assert _counts(kept) == _counts(tally)
    shown = selectors.facets_from(kept, _filter(query)), selectors.facets_from(tally, _filter(query))
    assert [list(facet) for facet in shown[0]] == [list(facet) for facet in shown[1]]
    # A change since the snapshot can name a place it lacks: labelled in the tally's own dict.
    names_before = dict(index.region_names)
    tally.regions[("999999", None, None)] = 1
    tally.label_new_codes()
    assert index.region_names == names_before and tally.region_names is not index.region_names


def test_hidden_articles_and_their_themes_are_not_counted():
    article = Article.objects.public().filter(themes__isnull=False).first()
    Article.objects.filter(pk=article.pk).set_status(Article.Status.HIDDEN)
    catalogue.bump()
    index = facet_index.rebuild()
    assert article.pk not in set(index.ids.tolist())
    _assert_index_equals_sql(["", "theme=epidemic", f"region={article.province_id}"])


def test_a_search_too_broad_to_fetch_goes_the_sampled_sql_way(monkeypatch):
    monkeypatch.setattr(facet_index, "HIT_IDS_UP_TO", 1)
    assert selectors.index_tally(_filter("q=疫情")) is None
    assert not selectors.index_answers(_filter("q=疫情"))
    assert selectors.index_answers(_filter("region=610000"))


def test_unknown_filters_and_a_disabled_index_use_sql(settings):
    assert selectors.index_tally(_filter("from=2020-01-01")) is None
    settings.NEWSROOM_FACET_INDEX = False
    assert selectors.index_tally(_filter("region=610000")) is None


def test_with_background_counting_a_stale_snapshot_is_rebuilt_in_the_background(settings, monkeypatch):
    settings.NEWSROOM_BACKGROUND_COUNTS = True
    started = []

    class InlineThread:
        def __init__(self, target, **kwargs):
            self.target = target

        def start(self):
            started.append(1)
            self.target()

    monkeypatch.setattr(facet_index.threading, "Thread", InlineThread)
    monkeypatch.setattr(facet_index.connections, "close_all", lambda: None)  # the test's own connection
    assert selectors.index_tally(_filter("region=610000")) is None  # none yet: SQL answers meanwhile
    assert started == [1] and facet_index._current is not None
    assert selectors.index_tally(_filter("region=610000")) is not None
    assert catalogue.background_slot() is not None  # the slot was given back


def test_a_snapshot_far_behind_is_rebuilt_but_used_meanwhile(settings, monkeypatch):
    settings.NEWSROOM_BACKGROUND_COUNTS = True
    facet_index.rebuild()
    snapshot = facet_index._current
    rebuilds = []
    monkeypatch.setattr(facet_index, "_rebuild_in_background", lambda: rebuilds.append(1))
    monkeypatch.setattr(facet_index, "REBUILD_AFTER_CHANGES", 2)
    article = Article.objects.public().first()
    for kind in ["photo", "article", "photo"]:
        article.kind = kind
        article.save()
    tally = selectors.index_tally(_filter(""))
    assert rebuilds == [1] and facet_index._current is snapshot
    assert _counts(tally) == _counts(selectors.count_tally(_filter("")))


def test_a_searchs_shared_hit_ids_follow_edits_of_the_searched_text():
    query = "q=疫情"
    matcher = selectors.StateMatcher.for_filterset(_filter(query))
    before, _ranks, _at = selectors.search_hit_ids(matcher)
    article = Article.objects.public().exclude(pk__in=before.tolist()).first()
    article.title = "疫情防控新进展"
    article.save()
    hidden = Article.objects.public().filter(pk__in=before.tolist()).first()
    Article.objects.filter(pk=hidden.pk).set_status(Article.Status.HIDDEN)
    refreshed, ranks, at = selectors.search_hit_ids(matcher)
    assert at == catalogue.current_version()
    fetched = sorted(_filter(query).qs.values_list("pk", flat=True))
    assert refreshed.tolist() == fetched
    assert article.pk in fetched and hidden.pk not in fetched
    if connection.vendor == "sqlite":  # each hit's bm25 comes along, the edited article's as it is now
        now = dict(_filter(query).qs.values_list("pk", "search_rank"))
        assert dict(zip(refreshed.tolist(), ranks.tolist()))[article.pk] == pytest.approx(now[article.pk])
    else:
        assert ranks is None


@pytest.mark.skipif(connection.vendor != "sqlite", reason="ranks are kept on SQLite only (bm25 is costly to rank there)")
def test_a_search_list_ranked_in_memory_equals_the_databases_relevance_order():
    rng = random.Random(7)
    queries = [query for query in _random_queries(rng, 60) if "q=" in query] + ["q=疫情", "q=工作", "q=会议&kind=article"]
    for query in queries:
        filterset = _filter(query)
        expected = list(filterset.qs.order_by(*RELEVANCE_ORDERING).values_list("pk", flat=True))
        for start, stop in [(0, 5), (3, 9), (0, len(expected) + 2)]:
            assert selectors.ranked_matching_ids(_filter(query), start, stop) == expected[start:stop], (query, start)
    article = Article.objects.public().exclude(pk__in=_filter("q=工作").qs.values("pk")).first()
    article.title = "疫情疫情疫情"
    article.save()
    assert selectors.ranked_matching_ids(_filter("q=疫情"), 0, 5) is None  # its rank changed: SQL ranks that list
    # Any searched text that changes moves every hit's bm25 (the index's statistics): kept ranks
    # are dropped, and the next request fetches them again, equal to the database's order again.
    hits = list(_filter("q=工作").qs.order_by(*RELEVANCE_ORDERING).values_list("pk", flat=True))  # ranked above
    assert len(hits) > 3 and article.pk not in hits
    assert selectors.ranked_matching_ids(_filter("q=工作"), 0, 50) is None
    assert selectors.ranked_matching_ids(_filter("q=工作"), 0, 50) == hits[:50]
    assert selectors.ranked_matching_ids(_filter("q=工作&year=1999"), 0, 5) == []
    # A new article adds a document to the index's statistics, though no text "changed": the same.
    newcomer = Article.objects.get(pk=article.pk)
    newcomer.pk, newcomer.public_id = None, Article._meta.get_field("public_id").default()
    newcomer.title, newcomer.position = "一篇无关的新稿", newcomer.position + 1000
    newcomer.save()
    hits = list(_filter("q=工作").qs.order_by(*RELEVANCE_ORDERING).values_list("pk", flat=True))
    assert selectors.ranked_matching_ids(_filter("q=工作"), 0, 50) is None
    assert selectors.ranked_matching_ids(_filter("q=工作"), 0, 50) == hits[:50]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite keeps bm25 with the hits and ranks every hit")
def test_kept_ranks_order_the_candidates_as_postgresql_does_and_never_a_changed_one():
    rng = random.Random(11)
    queries = [query for query in _random_queries(rng, 60) if "q=" in query] + ["q=疫情", "q=工作", "q=会议&kind=article"]
    ordered = 0
    for query in queries:
        filterset = _filter(query)
        candidates = selectors.newest_matching_ids(filterset, 6)
        if not filterset.searching or candidates is None:
            continue
        by_sql = list(filterset.qs.filter(pk__in=candidates).order_by(*RELEVANCE_ORDERING).values_list("pk", flat=True))
        kept = selectors.order_by_kept_ranks(filterset, candidates)
        assert kept == by_sql or (kept is None and not candidates), query
        ordered += kept is not None
    assert ordered > 10
    # A candidate whose text changed is ranked again from the change log (its new rank, its new
    # date), and a new hit joins with its own: the kept ranks stay whole, in the database's order.
    filterset = _filter("q=疫情")
    candidates = selectors.newest_matching_ids(filterset, 6)
    article = Article.objects.get(pk=candidates[-1])
    article.title = "疫情疫情：疫情防控"
    article.set_partial_date(PartialDate(2030, 1, 2))  # now the newest hit
    article.save()
    hidden = Article.objects.public().exclude(pk__in=filterset.qs.values("pk")).first()
    hidden.title = "疫情防控的新消息"
    hidden.save()
    fresh = _filter("q=疫情")
    candidates = selectors.newest_matching_ids(fresh, 6)
    assert candidates[0] == article.pk and hidden.pk in selectors.newest_matching_ids(fresh, 10_000)
    ids = fresh.qs.values_list("pk", flat=True)
    by_sql = list(ids.filter(pk__in=candidates).order_by(*RELEVANCE_ORDERING))
    assert selectors.order_by_kept_ranks(fresh, candidates) == by_sql
    assert list(selectors.relevance_ranked(fresh, ids, ids.count(), candidates=6)[0:6]) == list(
        RankedHits(ids, candidates=6)[0:6]
    )
    everything = list(ids)
    assert selectors.order_by_kept_ranks(fresh, everything) == list(ids.order_by(*RELEVANCE_ORDERING))


def test_the_index_total_is_the_lists_total():
    rng = random.Random(13)
    for query in _random_queries(rng, 60) + ["q=疫情", "q=会议&kind=article"]:
        filterset = _filter(query)
        total = selectors.index_total(filterset)
        assert total == filterset.qs.count(), query
        assert total == selectors.list_counts(_filter(query))[1], query


def test_newest_pages_from_the_index_are_the_databases():
    rng = random.Random(17)
    for query in _random_queries(rng, 40) + ["sort=date&q=疫情", "region=611000&sort=date"]:
        filterset = _filter(query)
        ids = filterset.qs.values_list("pk", flat=True).order_by(*DATE_ORDERING)
        pages = selectors.NewestIds(filterset, ids)
        for start in (0, 3, 20):
            assert list(pages[start : start + 7]) == list(ids[start : start + 7]), (query, start)


def test_packed_ids_round_trip():
    ids = [5, 1, 900_000_000_000, 7, 5]
    assert facet_index.unpack_ids(facet_index.pack_ids(ids)).tolist() == [1, 5, 7, 900_000_000_000]
    assert facet_index.unpack_ids(facet_index.pack_ids([])).tolist() == []


def test_ranked_hits_rank_the_same_candidates_whoever_names_them():
    for query in ["q=疫情", "q=疫情&kind=article", "q=工作", "q=工作&region=611000"]:
        filterset = _filter(query)
        ids = filterset.qs.values_list("pk", flat=True)
        total = ids.count()
        assert total > 3, query
        by_sql = RankedHits(ids, candidates=3)  # no known count: the newest 3 found in SQL, ranked
        by_index = RankedHits(ids, candidates=3, count=total, newest=lambda n: selectors.newest_matching_ids(filterset, n))
        assert list(by_index[0:total]) == list(by_sql[0:total]), query
        # As the pages rank: on PostgreSQL the named hits' ranks alone, nothing tested again.
        as_listed = selectors.relevance_ranked(filterset, ids, total, candidates=3)
        assert list(as_listed[0:total]) == list(by_sql[0:total]), query
        assert sorted(by_index[0:total]) == sorted(ids)


def test_a_hit_list_of_another_version_is_never_kept_in_the_snapshot():
    import hashlib

    from django.core.cache import cache

    assert selectors.index_tally(_filter("q=疫情")) is not None  # the hit list cached for every worker
    article = Article.objects.public().exclude(pk__in=_filter("q=疫情").qs.values("pk")).first()
    Article.objects.filter(pk=article.pk).update(title="疫情防控新进展")  # a bulk write: no signal, no log
    from articles.search import index_article

    index_article(Article.objects.get(pk=article.pk))
    catalogue.bump()
    facet_index.rebuild()
    digest = hashlib.sha256("疫情".encode()).hexdigest()[:32]
    cache.add(f"newsroom:search-hits:*:{digest}:computing", "another worker", 60)  # fetching it now
    assert selectors.index_tally(_filter("q=疫情")) is None  # only the previous list to be had: SQL answers
    assert "疫情" not in facet_index._current.searches  # and nothing of it is kept
    cache.delete(f"newsroom:search-hits:*:{digest}:computing")
    tally = selectors.index_tally(_filter("q=疫情"))
    assert _counts(tally) == _counts(selectors.count_tally(_filter("q=疫情")))
    assert article.pk in set(_filter("q=疫情").qs.values_list("pk", flat=True))


def test_passing_codes_equal_the_tables_gather_for_runs_single_codes_and_scattered_codes():
    import numpy as np

    rng = np.random.default_rng(5)
    column = rng.integers(0, 40, 5_000).astype(np.int32)
    for flagged in ([], [7], [3, 4, 5, 6], [0, 39], [1, 2, 9], list(range(40))):
        table = np.zeros(40, dtype=bool)
        table[flagged] = True
        assert np.array_equal(facet_index._passing_codes(table, column), table[column]), flagged


def test_codes_follow_the_sorted_values_so_a_province_or_a_year_is_one_run():
    from array import array

    codes = facet_index._Codes()
    raw = array("i", [codes.code(value) for value in [
        ("610000", "611000", "611025"), (None, None, None), ("610000", "610100", None), ("110000", None, None),
        ("610000", "611000", "611025"), ("610000", "611000", None),
    ]])
    values, column = facet_index._sorted_codes(codes, raw)
    assert values == [
        (None, None, None), ("110000", None, None), ("610000", "610100", None), ("610000", "611000", None),
        ("610000", "611000", "611025"),
    ]
    assert [values[code] for code in column.tolist()] == [codes.values[code] for code in raw]


def test_newest_walks_the_newest_first_order_or_sorts_the_passing_and_both_give_the_databases_order(monkeypatch):
    queries = _random_queries(random.Random(31), 40)
    for walk_when_one_in in (10**9, 1):  # every list walks the order; every list sorts its passing articles
        monkeypatch.setattr(facet_index, "WALK_NEWEST_WHEN_ONE_IN", walk_when_one_in)
        for query in queries:
            newest = list(_filter(query).qs.order_by(*DATE_ORDERING).values_list("pk", flat=True)[:NEWEST])
            assert selectors.newest_matching_ids(_filter(query), NEWEST) == newest, (walk_when_one_in, query)


def test_first_flagged_reads_on_until_it_has_enough_or_the_order_ends():
    import numpy as np

    order = np.arange(20_000, dtype=np.int32)[::-1]
    flags = np.zeros(20_000, dtype=bool)
    flags[[5, 17, 9_000, 19_999]] = True
    assert facet_index._first_flagged(order, flags, 3).tolist() == [19_999, 9_000, 17]
    assert facet_index._first_flagged(order, flags, 10).tolist() == [19_999, 9_000, 17, 5]
    assert facet_index._first_flagged(order, np.zeros(20_000, dtype=bool), 2).tolist() == []
