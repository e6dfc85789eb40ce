"""Counts refreshed from the change log are exactly the counts a recount gives (issue 10).

An editor's save no longer makes every cached count cold: the cached tallies
and search totals are brought up to date by applying the logged before/after
states (selectors.refresh_tally). These tests make random editor-style edits
to the sample corpus and, after each, compare every refreshed value with a
fresh recount, and check that the refresh, not a recount, produced it.
"""

import random

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from articles import catalogue, selectors
from articles.filters import ArticleFilter
from articles.models import Article, CountChange, Region, Source, Theme
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
    real_compute = selectors.compute_tally
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
    assert _snapshot(tally) == _snapshot(selectors.compute_tally(_filter("region=610000&theme=epidemic")))


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
    assert selectors.tally_for(filterset).kinds == selectors.compute_tally(_filter("region=611000")).kinds


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


def test_ingest_replaces_the_token_and_logs_nothing(tmp_path, corpus_dir):
    from django.core.management import call_command

    token = catalogue.current_token()
    logged = CountChange.objects.count()
    source = next(corpus_dir.glob("*.txt"))
    text = source.read_text(encoding="utf-8")
    (tmp_path / "edited-copy.txt").write_text(text.replace("。", "！", 3), encoding="utf-8")  # new content: new articles
    call_command("ingest", str(tmp_path), stdout=open("/dev/null", "w"))
    assert catalogue.current_token() != token
    assert CountChange.objects.count() == logged
