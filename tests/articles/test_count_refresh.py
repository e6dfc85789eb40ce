"""Counts refreshed from the change log are exactly the counts a recount gives (issue 10).

An editor's save, or the ingest of a page's worth of articles, no longer makes
every cached count cold: the cached tallies and search totals are brought up
to date by applying the logged before/after states (selectors.refresh_tally).
These tests make random editor-style edits and ingests of small generated
files and, after each, compare every refreshed value with a fresh recount,
and check that the refresh, not a recount, produced it.
"""

import random
from pathlib import Path

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from articles import catalogue, ingest, selectors
from articles.filters import ArticleFilter
from articles.models import Article, CountChange, IngestedFile, Region, Source, Theme
from articles.text.document import PartialDate

pytestmark = pytest.mark.django_db

QUERIES = [
    "",
    "region=611000",
    "region=610000&theme=epidemic",
    "region=611000&region=411524&year=2020",
    "theme=epidemic&theme=economy&kind=article",
    "year=unknown&month=unknown",
    "year=2020&month=3&kind=photo&kind=article",
    "source=1&region=610000",
    "q=疫情",
    "q=疫情&region=610000&kind=article",
    "q=乡村振兴&year=2021",
]


def _filter(query: str) -> ArticleFilter:
    return ArticleFilter(QueryDict(query), queryset=Article.objects.public())


def _snapshot(tally: selectors.Tally) -> tuple:
    return (tally.regions, tally.themes, tally.themes_added, tally.dates, tally.sources, tally.kinds)


def _edit(rng: random.Random, article: Article) -> str:
    """One editor-style change through the ORM, as the admin makes it; returns what it did."""
    regions = list(Region.objects.filter(code__in=["610000", "611000", "611022", "411524", "411500"]))
    themes = list(Theme.objects.all())
    choice = rng.randrange(9)
    if choice == 0:
        Article.objects.filter(pk=article.pk).set_status(rng.choice(list(Article.Status.values)))
        return "status"
    if choice == 1:
        article.kind = rng.choice(list(Article.Kind.values))
        article.save()
        return "kind"
    if choice == 2:
        region = rng.choice(regions)
        levels = {r.level: r for r in region.ancestors()}
        article.region = region
        article.province, article.city, article.county = (levels.get(k) for k in ("province", "city", "county"))
        article.save(update_fields=["region", "province", "city", "county"])
        return "region"
    if choice == 3:
        year = rng.choice([None, 2020, 2021, 2022])
        month = rng.choice([None, 3, 11]) if year else rng.choice([None, 3])
        article.set_partial_date(PartialDate(year, month, rng.choice([None, 5])) if (year or month) else None)
        article.save()
        return "date"
    if choice == 4:
        article.source = rng.choice([None, *Source.objects.all()[:3]])
        article.save()
        return "source"
    if choice == 5:
        article.themes.add(rng.choice(themes))
        return "theme add"
    if choice == 6:
        article.themes.remove(*rng.sample(themes, 2))
        return "theme remove"
    if choice == 7:
        article.themes.set(rng.sample(themes, rng.randrange(3)))
        return "theme set"
    article.title = rng.choice(["疫情防控新进展", "乡村振兴在商洛", "无关的标题"])
    article.save()
    return "title"


def test_refreshed_counts_equal_a_recount_after_every_edit(monkeypatch):
    rng = random.Random(20261205)
    filters = {query: _filter(query) for query in QUERIES}
    for query, filterset in filters.items():
        selectors.tally_for(filterset)
        if filterset.searching:
            selectors.search_total(filterset)
    recounts = []
    real_compute = selectors.count_tally  # the SQL recount is the reference
    monkeypatch.setattr(selectors, "compute_tally", lambda *a, **k: recounts.append(1) or real_compute(*a, **k))
    articles = list(Article.objects.order_by("pk"))
    edits = []
    for step in range(30):
        article = Article.objects.get(pk=rng.choice(articles).pk)
        edits.append(_edit(rng, article))
        for query, filterset in filters.items():
            fresh = _filter(query)  # a new request's filterset
            refreshed = selectors.tally_for(fresh)
            assert _snapshot(refreshed) == _snapshot(real_compute(_filter(query))), (step, edits[-1], query)
            if fresh.searching:
                assert selectors.search_total(fresh) == selectors.bounded_count(fresh.qs.values_list("pk", flat=True))
    # Only edits of searched text (the title; the source, whose name is searchable) make a
    # search recount its tally; everything else was refreshed.
    text_edits = edits.count("title") + edits.count("source")
    text_edits_times_searches = text_edits * sum(1 for f in filters.values() if f.searching)
    assert len(recounts) <= text_edits_times_searches
    assert set(edits) >= {"status", "kind", "region", "date", "source", "theme add", "theme set", "title"}


def test_a_text_edited_while_hidden_is_not_taken_as_unchanged_when_the_run_is_merged():
    # Hide, retitle, publish between two reads: merged, the run is one change from counted to
    # counted, and the search must not test the new title as though it were the old one.
    filterset = _filter("q=疫情")
    before = selectors.search_total(filterset)
    article = Article.objects.public().exclude(pk__in=filterset.qs.values_list("pk", flat=True)).first()
    Article.objects.filter(pk=article.pk).set_status(Article.Status.HIDDEN)
    article.refresh_from_db()
    article.title = "疫情防控新进展"
    article.save()
    Article.objects.filter(pk=article.pk).set_status(Article.Status.PUBLISHED)
    fresh = _filter("q=疫情")
    assert selectors.search_total(fresh) == selectors.bounded_count(fresh.qs.values_list("pk", flat=True))
    assert selectors.search_total(fresh)[0] == before[0] + 1


def test_a_text_edit_counts_under_a_search_only_where_the_article_passes_the_other_filters(monkeypatch):
    # Its old text is gone, so whether the search found it before is unknown; but an article
    # outside the search's other filters, even with one facet left out, counts nowhere there.
    query = "q=疫情&region=610000&kind=photo"
    outside = Article.objects.public().exclude(province_id="610000").exclude(kind="photo").first()
    inside = Article.objects.public().filter(province_id="610000").exclude(kind="photo").first()
    selectors.tally_for(_filter(query))
    selectors.search_total(_filter(query))
    recounts = []
    real_compute = selectors.count_tally
    monkeypatch.setattr(selectors, "compute_tally", lambda *a, **k: recounts.append(1) or real_compute(*a, **k))
    for article, recounted in ((outside, 0), (inside, 1)):
        article.title = "疫情防控新进展"
        article.save()
        fresh = _filter(query)
        assert _snapshot(selectors.tally_for(fresh)) == _snapshot(real_compute(_filter(query)))
        assert selectors.search_total(fresh) == selectors.bounded_count(fresh.qs.values_list("pk", flat=True))
        # Inside Shaanxi it counts in the kind facet (which leaves the kind out): counted again.
        assert len(recounts) == recounted, article


def test_a_refresh_costs_a_few_queries_and_no_group_by():
    filterset = _filter("region=610000&theme=epidemic")
    selectors.tally_for(filterset)
    article = Article.objects.public().filter(province_id="610000").first()
    Article.objects.filter(pk=article.pk).set_status(Article.Status.HIDDEN)
    with CaptureQueriesContext(connection) as captured:
        tally = selectors.tally_for(_filter("region=610000&theme=epidemic"))
    # The form's two lookups (region, theme), the version and the log.
    assert len(captured) <= 4, [q["sql"] for q in captured]
    assert not any("GROUP BY" in q["sql"] for q in captured)
    assert _snapshot(tally) == _snapshot(selectors.count_tally(_filter("region=610000&theme=epidemic")))


def test_wholesale_writes_and_too_many_changes_recount():
    filterset = _filter("region=611000")
    selectors.tally_for(filterset)
    version = catalogue.current_version()
    catalogue.bump()
    assert catalogue.changes_between(version, catalogue.current_version()) is None
    version = catalogue.current_version()
    article = Article.objects.public().first()
    for _ in range(catalogue.MAX_CHANGES + 1):
        article.save(update_fields=["kind"])
    assert catalogue.changes_between(version, catalogue.current_version()) is None
    assert catalogue.changes_between(catalogue.current_version(), catalogue.current_version()) == []


def test_a_rolled_back_change_number_is_never_taken_for_its_reuse():
    from django.db import transaction

    filterset = _filter("region=611000")
    before = catalogue.current_version()
    article = Article.objects.public().filter(city_id="611000").first()
    try:
        with transaction.atomic():
            Article.objects.filter(pk=article.pk).set_status(Article.Status.HIDDEN)
            inside = catalogue.current_version()  # a reader inside the doomed transaction
            raise RuntimeError
    except RuntimeError:
        pass
    article.kind = Article.Kind.PHOTO
    article.save()
    after = catalogue.current_version()
    assert after.seq == inside.seq and after.nonce != inside.nonce
    # The value seen inside the rolled-back transaction cannot be refreshed into the present.
    assert catalogue.changes_between(inside, after) is None
    assert [change.article_id for change in catalogue.changes_between(before, after)] == [article.pk]
    assert selectors.tally_for(filterset).kinds == selectors.count_tally(_filter("region=611000")).kinds


def test_old_changes_are_pruned():
    article = Article.objects.public().first()
    catalogue.KEEP_CHANGES, keep = 3, catalogue.KEEP_CHANGES
    catalogue.PRUNE_EVERY, every = 2, catalogue.PRUNE_EVERY
    try:
        for _ in range(10):
            article.save(update_fields=["kind"])
    finally:
        catalogue.KEEP_CHANGES, catalogue.PRUNE_EVERY = keep, every
    assert CountChange.objects.count() <= 5


# --- Ingests of small files are logged like editors' saves ---------------------------------

PLACES = ["洛南县", "商州区", "丹凤县", "商城县", "镇安县", "西安市"]
TOPICS = ["疫情防控", "乡村振兴", "春耕生产", "基层治理", "招商引资"]
# A newspaper's name and date line print a page's source and date; a page without them has neither.
HEADS = [("商洛日报", "2021年4月20日 星期二"), ("商洛日报", "2020年3月5日 星期四"), ("丹凤时报", "2022年11月2日 星期三"), None]
MARKUP = "<b>图</b><i>文</i><br/>"  # five tags: the item waits for review
REWORDINGS = ["", ",要求压实责任", ",统筹推进乡村振兴", ",兼顾疫情防控"]
# Searches whose terms the generated pages print, besides QUERIES.
PAGE_QUERIES = ["q=招商引资", "q=春耕&region=611000", "q=乡村振兴&year=2021", "theme=projects&region=611025", "region=411524&year=2022"]


def _newspapers() -> list[Source]:
    """The generated pages' sources, made before any count is cached (a new source is a new token)."""
    return [Source.objects.get_or_create(name=name, defaults={"kind": Source.Kind.NEWSPAPER})[0] for name in ("商洛日报", "丹凤时报")]


def _item(rng: random.Random) -> tuple:
    return (rng.choice(PLACES), rng.choice(TOPICS), rng.choice(REWORDINGS), rng.random() < 0.15)


def _page(head, items) -> str:
    """A newspaper page (or a headless web page) of short reports: (place, topic, extra words, markup) each."""
    text = f"{head[0]}\n\n3版\n\n{head[1]}\n\n" if head else ""
    for place, topic, extra, markup in items:
        text += (
            f"{place}召开{topic}工作会议\n\n本报讯(记者 王强){place}召开{topic}工作推进会,"
            f"研究部署下一阶段{topic}工作{extra}。{MARKUP if markup else ''}\n\n"
        )
    return text


def _changed(rng: random.Random, head, items) -> tuple:
    """A new version of a page: reports dropped, added, reworded, marked up or cleaned, or a new head."""
    items = list(items)
    for _ in range(rng.randint(1, 3)):
        choice = rng.randrange(5)
        if choice == 0 and len(items) > 1:
            items.pop(rng.randrange(len(items)))
        elif choice == 1:
            items.insert(rng.randrange(len(items) + 1), _item(rng))
        elif choice == 2:
            n = rng.randrange(len(items))
            place, topic, extra, markup = items[n]
            extra = rng.choice([words for words in REWORDINGS if words != extra])
            items[n] = (place, topic, extra, markup)  # the same report, reworded (a search may now find it, or not)
        elif choice == 3:
            n = rng.randrange(len(items))
            items[n] = (*items[n][:3], not items[n][3])
        else:
            head = rng.choice(HEADS)
    return head, items


def _ingest(*paths: Path, force: bool = False) -> None:
    summary = ingest.ingest_paths(paths, jobs=1, force=force)
    assert not summary.failed, [outcome.error for outcome in summary.failed]


def _assert_refreshed_equal_recount(queries, real_compute, note) -> None:
    for query in queries:
        fresh = _filter(query)  # a new request's filterset
        refreshed = selectors.tally_for(fresh)
        assert _snapshot(refreshed) == _snapshot(real_compute(_filter(query))), (note, query)
        if fresh.searching:
            recount = selectors.bounded_count(fresh.qs.values_list("pk", flat=True))
            assert selectors.search_total(fresh) == recount, (note, query)


def _warm(queries) -> None:
    for query in queries:
        selectors.tally_for(_filter(query))
        if _filter(query).searching:
            selectors.search_total(_filter(query))


def test_refreshed_counts_equal_a_recount_after_every_edit_and_ingest(tmp_path, monkeypatch):
    rng = random.Random(20261212)
    papers = _newspapers()
    every_step = [*QUERIES, *PAGE_QUERIES[:2], f"source={papers[1].pk}"]
    lagging = [*PAGE_QUERIES[2:], "q=疫情&region=611000", f"source={papers[0].pk}&year=2020&theme=epidemic"]
    _warm([*every_step, *lagging])
    token = catalogue.current_token()
    recounted = []
    real_compute = selectors.count_tally  # the SQL recount is the reference
    monkeypatch.setattr(selectors, "compute_tally", lambda fs, *a, **k: recounted.append(fs) or real_compute(fs, *a, **k))
    pages: dict[Path, tuple] = {}  # path -> (head, items) it now holds
    steps = []
    for step in range(60):
        choice = rng.random()
        if choice < 0.3:
            article = rng.choice(list(Article.objects.order_by("pk")))
            steps.append("edit " + _edit(rng, Article.objects.get(pk=article.pk)))
        elif choice < 0.5 or not pages:
            path = tmp_path / f"page{len(pages)}.txt"
            pages[path] = (rng.choice(HEADS), [_item(rng) for _ in range(rng.randint(2, 6))])
            path.write_text(_page(*pages[path]), encoding="utf-8")
            _ingest(path)
            steps.append("new file")
        elif choice < 0.8:
            path = rng.choice(sorted(pages))
            pages[path] = _changed(rng, *pages[path])
            path.write_text(_page(*pages[path]), encoding="utf-8")
            _ingest(path)
            steps.append("changed file")
        elif choice < 0.85:
            _ingest(rng.choice(sorted(pages)), force=True)
            steps.append("forced")
        else:
            # A path now holding another file's bytes: a duplicate, its own articles removed.
            source = rng.choice(sorted(pages))
            path = rng.choice([p for p in sorted(pages) if p != source] or [tmp_path / "copy.txt"])
            pages[path] = pages[source]
            path.write_bytes(source.read_bytes())
            _ingest(path)
            steps.append("duplicate")
        _assert_refreshed_equal_recount(every_step, real_compute, (step, steps[-1]))
        if step % 4 == 3:  # these counts were cached four steps ago: refreshed by the merged run of changes
            _assert_refreshed_equal_recount(lagging, real_compute, (step, steps[-4:]))
    # Nothing replaced the token: every count was refreshed from the log, and only a search
    # whose articles' text changed (a reworded report, an edited title or source) recounted.
    assert catalogue.current_token() == token
    assert all(filterset.searching for filterset in recounted)
    assert {"new file", "changed file", "forced", "duplicate"} <= set(steps)
    assert IngestedFile.objects.filter(report__has_key="duplicate_of").exists()
    assert Article.objects.filter(ingested_file__path__in=[str(p) for p in pages], removed_at__isnull=False).exists()


def test_a_small_files_ingest_logs_each_article_and_keeps_the_token(tmp_path, monkeypatch):
    _newspapers()
    queries = ["", "region=611000", "q=招商引资", "theme=projects"]
    _warm(queries)
    recounted = []
    real_compute = selectors.count_tally  # the SQL recount is the reference
    monkeypatch.setattr(selectors, "compute_tally", lambda *a, **k: recounted.append(1) or real_compute(*a, **k))
    path = tmp_path / "page.txt"
    items = [("镇安县", "招商引资", "", False), ("洛南县", "疫情防控", "", False), ("丹凤县", "春耕生产", "", True)]
    path.write_text(_page(HEADS[0], items), encoding="utf-8")
    version = catalogue.current_version()
    _ingest(path)
    after = catalogue.current_version()
    articles = {a.title: a for a in IngestedFile.objects.get(name="page.txt").articles.all()}
    changes = {change.article_id: change for change in catalogue.changes_between(version, after)}
    # One change per new article readers see (the marked-up one waits for review), numbered without gaps.
    assert after.token == version.token and after.seq == version.seq + 2
    zhen_an = articles["镇安县召开招商引资工作会议"]
    assert set(changes) == {zhen_an.pk, articles["洛南县召开疫情防控工作会议"].pk}
    assert changes[zhen_an.pk].before is None and not changes[zhen_an.pk].text_changed
    assert changes[zhen_an.pk].after["county_id"] == "611025" and changes[zhen_an.pk].after["themes"] == [
        Theme.objects.get(slug="projects").pk
    ]
    _assert_refreshed_equal_recount(queries, real_compute, "new file")
    assert recounted == []

    # A new version: one report gone, one reworded, the marked-up one cleaned (now public).
    items = [("镇安县", "招商引资", ",确保取得实效", False), ("丹凤县", "春耕生产", "", False)]
    path.write_text(_page(HEADS[0], items), encoding="utf-8")
    version = catalogue.current_version()
    _ingest(path)
    after = catalogue.current_version()
    changes = {change.article_id: change for change in catalogue.changes_between(version, after)}
    assert after.token == version.token and after.seq == version.seq + 3
    assert changes[articles["洛南县召开疫情防控工作会议"].pk].after is None  # removed: readers no longer see it
    assert changes[zhen_an.pk].text_changed and changes[zhen_an.pk].before == changes[zhen_an.pk].after
    assert changes[articles["丹凤县召开春耕生产工作会议"].pk].before is None
    _assert_refreshed_equal_recount(queries, real_compute, "changed file")
    assert len(recounted) == 1  # the search for 招商引资: the reworded report's text changed

    # The same bytes under another path: a duplicate; the path's earlier articles are removed, logged.
    other = tmp_path / "other.txt"
    other.write_text(_page(HEADS[2], [("商城县", "基层治理", "", False)]), encoding="utf-8")
    _ingest(other)
    version = catalogue.current_version()
    other.write_bytes(path.read_bytes())
    _ingest(other)
    after = catalogue.current_version()
    assert after.token == version.token and after.seq == version.seq + 1
    assert [change.after for change in catalogue.changes_between(version, after)] == [None]
    _assert_refreshed_equal_recount(queries, real_compute, "duplicate")


def test_a_file_over_the_bound_a_staged_file_or_a_new_source_replaces_the_token(tmp_path, monkeypatch):
    _newspapers()
    queries = ["", "region=611000&year=2021", "q=招商引资"]
    real_compute = selectors.count_tally  # the SQL recount is the reference
    items = [(place, "招商引资", "", False) for place in PLACES]
    path = tmp_path / "page.txt"
    path.write_text(_page(HEADS[0], items), encoding="utf-8")
    bound = catalogue.MAX_LOGGED_ARTICLES
    monkeypatch.setattr(catalogue, "MAX_LOGGED_ARTICLES", len(items) - 1)
    _warm(queries)
    version = catalogue.current_version()
    _ingest(path)
    assert catalogue.current_token() != version.token and catalogue.current_version().seq == version.seq
    _assert_refreshed_equal_recount(queries, real_compute, "over the bound")
    monkeypatch.setattr(catalogue, "MAX_LOGGED_ARTICLES", bound)

    # Staged (more than a batch of new articles), then shrunk to one report: some 60 changes, over the bound.
    big = tmp_path / "big.txt"
    big.write_text(_page(HEADS[1], [(PLACES[n % 6], TOPICS[n % 5], "第%d次" % n, False) for n in range(60)]), encoding="utf-8")
    for text in (big.read_text(encoding="utf-8"), _page(HEADS[1], [("商州区", "招商引资", "", False)])):
        big.write_text(text, encoding="utf-8")
        _warm(queries)
        version = catalogue.current_version()
        _ingest(big)
        assert catalogue.current_token() != version.token and catalogue.current_version().seq == version.seq
        _assert_refreshed_equal_recount(queries, real_compute, "large")

    # A new source is a new label for readers: a new token when it is made, then the articles are logged.
    # A reader counting between the two (the source committed, the articles not yet) is refreshed exactly.
    made = ingest._source_for

    def reader_in_between(*args, **kwargs):
        source = made(*args, **kwargs)
        _warm(queries)
        seen.append(catalogue.current_version())
        return source

    seen = []
    monkeypatch.setattr(ingest, "_source_for", reader_in_between)
    recounted = []
    monkeypatch.setattr(selectors, "compute_tally", lambda *a, **k: recounted.append(1) or real_compute(*a, **k))
    fresh = tmp_path / "fresh.txt"
    fresh.write_text(_page(("秦岭晚报", "2021年5月6日 星期四"), items[:3]), encoding="utf-8")
    version = catalogue.current_version()
    _ingest(fresh)
    after = catalogue.current_version()
    assert Source.objects.filter(name="秦岭晚报").exists()
    assert seen[0].token != version.token and after.token == seen[0].token
    assert after.seq == seen[0].seq + 3 and CountChange.objects.filter(seq__gt=seen[0].seq).count() == 3
    recounted.clear()
    _assert_refreshed_equal_recount(queries, real_compute, "new source")
    assert recounted == []
