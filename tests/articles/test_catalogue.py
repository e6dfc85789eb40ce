"""Cached counts follow every write that can change them."""

import threading
import time

import pytest
from django.core.management import call_command
from django.db import transaction

from articles import catalogue
from articles.models import Article, Theme

pytestmark = pytest.mark.django_db


def _total(client, **params) -> int:
    return client.get("/articles/", params).context["page_obj"].paginator.count


def test_counts_are_served_from_the_cache_until_the_catalogue_changes(client, django_assert_max_num_queries):
    first = _total(client, region="611000")
    # Warm: the facet GROUP BYs and the total come from the cache.
    with django_assert_max_num_queries(8):
        assert _total(client, region="611000") == first


def test_hiding_an_article_updates_cached_counts_at_once(client):
    before = _total(client, region="611000")
    facets_before = client.get("/articles/").context["facets"]
    article = Article.objects.public().filter(city_id="611000").first()
    Article.objects.filter(pk=article.pk).set_status(Article.Status.HIDDEN)
    assert _total(client, region="611000") == before - 1
    facets_after = client.get("/articles/").context["facets"]
    assert sum(o.count for o in facets_after.kinds) == sum(o.count for o in facets_before.kinds) - 1


def test_an_articles_theme_change_is_logged_and_theme_edits_replace_the_token():
    version = catalogue.current_version()
    article = Article.objects.public().first()
    article.themes.add(Theme.objects.get(slug="culture"))
    # An editor's change to one article is logged (counts are refreshed, not recounted) ...
    assert catalogue.current_version().seq == version.seq + 1
    assert catalogue.current_token() == version.token
    # ... while a theme's own change relabels every facet: a new token.
    token = catalogue.current_token()
    Theme.objects.filter(slug="culture").update(name="文化")  # no signal: a queryset update
    assert catalogue.current_token() == token
    Theme.objects.get(slug="culture").save()
    assert catalogue.current_token() != token


def test_bookkeeping_saves_keep_the_token():
    token = catalogue.current_token()
    article = Article.objects.first()
    article.save(update_fields=["edited_fields", "updated_at"])
    assert catalogue.current_token() == token


def test_a_logged_write_logs_one_change_per_article_written_or_replaces_the_token(monkeypatch):
    named, other, untouched = Article.objects.public().filter(themes__isnull=False).distinct().order_by("pk")[:3]
    version = catalogue.current_version()
    with transaction.atomic():
        catalogue.lock()
        with catalogue.logged_write([named.pk, other.pk, untouched.pk]):
            named.kind = Article.Kind.PHOTO if named.kind != Article.Kind.PHOTO else Article.Kind.ARTICLE
            named.save()
            other.themes.clear()
    after = catalogue.current_version()
    # One change per article written, numbered without gaps; the one not written is not logged.
    assert after.token == version.token and after.seq == version.seq + 2
    changes = {change.article_id: change for change in catalogue.changes_between(version, after)}
    assert set(changes) == {named.pk, other.pk}
    assert changes[named.pk].after["kind"] == named.kind and changes[other.pk].before["themes"]
    assert changes[other.pk].after["themes"] == []
    # An article not named: its state before the write was not read, there is no exact change to log.
    with transaction.atomic():
        catalogue.lock()
        with catalogue.logged_write([named.pk]):
            named.save()
            other.save()
    assert catalogue.current_token() != after.token and catalogue.current_version().seq == after.seq
    # More articles than the bound: a new token.
    monkeypatch.setattr(catalogue, "MAX_LOGGED_ARTICLES", 1)
    version = catalogue.current_version()
    with transaction.atomic():
        catalogue.lock()
        with catalogue.logged_write([named.pk, other.pk]):
            named.save()
            other.save()
    assert catalogue.current_token() != version.token and catalogue.current_version().seq == version.seq


def test_filter_cache_key_is_canonical_and_ignores_sort_page_and_invalid_values():
    from django.http import QueryDict

    from articles.filters import ArticleFilter

    def key(query: str) -> str:
        return ArticleFilter(QueryDict(query), queryset=Article.objects.public()).cache_key()

    assert key("theme=epidemic&region=611000") == key("region=611000&theme=epidemic&sort=title&page=2")
    assert key("theme=epidemic&theme=economy") == key("theme=economy&theme=epidemic")
    assert key("year=abc&theme=epidemic") == key("theme=epidemic")
    assert key("region=611000") != key("region=610000")


def test_load_regions_replaces_the_token():
    token = catalogue.current_token()
    call_command("load_regions", stdout=open("/dev/null", "w"))
    assert catalogue.current_token() != token


def test_cache_key_follows_the_search_actually_run():
    from django.http import QueryDict

    from articles.filters import ArticleFilter

    def key(query: str) -> str:
        return ArticleFilter(QueryDict(query), queryset=Article.objects.public()).cache_key()

    # The form searches the last q only; the two must not share cached counts.
    assert key("q=疫情&q=党建") != key("q=党建&q=疫情")


def test_search_index_writes_replace_the_token():
    from articles.search import index_article, rebuild_index

    token = catalogue.current_token()
    index_article(Article.objects.first())
    assert catalogue.current_token() != token
    token = catalogue.current_token()
    rebuild_index(resegment=False)
    assert catalogue.current_token() != token


# --- no stampede ------------------------------------------------------------------------


def _hold_lock(namespace: str, key: str) -> None:
    """Pretend another worker is computing this value right now."""
    import hashlib

    from django.core.cache import cache
    from django.utils.translation import get_language

    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]
    cache.add(f"newsroom:{namespace}:{get_language() or ''}:{digest}:computing", "x", 60)


def test_a_changed_value_is_computed_once_and_then_served_fresh():
    calls = []
    assert catalogue.cached("test", "k", lambda: calls.append(1) or len(calls)) == 1
    assert catalogue.cached("test", "k", lambda: calls.append(1) or len(calls)) == 1
    catalogue.bump()
    assert catalogue.cached("test", "k", lambda: calls.append(1) or len(calls)) == 2
    assert len(calls) == 2


def test_while_another_worker_computes_the_previous_value_is_served_not_recomputed():
    assert catalogue.cached("test", "k", lambda: "old") == "old"
    catalogue.bump()
    _hold_lock("test", "k")
    computed = []
    assert catalogue.cached("test", "k", lambda: computed.append(1) or "new") == "old"
    assert not computed


def test_with_nothing_to_serve_a_reader_waits_then_computes_when_the_lock_goes(monkeypatch):
    from django.core.cache import cache

    monkeypatch.setattr(catalogue, "POLL_SECONDS", 0)
    _hold_lock("test", "fresh")
    polls = []
    real_get = cache.get

    def get(key, *args, **kwargs):
        polls.append(key)
        if key.endswith(":computing") and len(polls) > 3:
            cache.delete(key)  # the other worker failed
        return real_get(key, *args, **kwargs)

    monkeypatch.setattr(cache, "get", get)
    assert catalogue.cached("test", "fresh", lambda: "mine") == "mine"
    assert any(key.endswith(":computing") for key in polls)  # it waited before computing


def test_a_value_counted_while_the_catalogue_moved_is_served_but_not_kept():
    # Kept under the version read before counting, it would have the write applied twice when refreshed.
    def counted_during_a_write():
        catalogue.bump()  # a write committing while this counts
        return "counted"

    assert catalogue.cached("test", "moving", counted_during_a_write) == "counted"
    assert catalogue.cached("test", "moving", lambda: "recounted") == "recounted"


def test_a_costly_value_is_counted_in_the_background_while_readers_get_the_stand_in(settings):
    settings.NEWSROOM_BACKGROUND_COUNTS = True
    settings.NEWSROOM_FACET_INDEX = False  # the SQL path's estimates and background counts
    started, release = threading.Event(), threading.Event()

    def costly():  # touches no table: the thread's own connection sees only committed rows
        started.set()
        release.wait(10)
        return "exact"

    assert catalogue.cached("test", "costly", costly, provisional=lambda: "estimate") == "estimate"
    assert started.wait(10)
    # While it counts, nobody waits and nobody counts again: every reader gets the stand-in.
    again = catalogue.cached("test", "costly", lambda: pytest.fail("counted twice"), provisional=lambda: "estimate")
    assert again == "estimate"
    release.set()
    deadline = time.monotonic() + 10
    while (value := catalogue.cached("test", "costly", lambda: "inline", provisional=lambda: "estimate")) != "exact":
        assert value == "estimate" and time.monotonic() < deadline
        time.sleep(0.02)


def test_with_every_background_slot_busy_readers_keep_the_stand_in_and_nothing_starts(settings, monkeypatch):
    from django.core.cache import cache

    settings.NEWSROOM_BACKGROUND_COUNTS, settings.NEWSROOM_BACKGROUND_SLOTS = True, 1
    started = []
    monkeypatch.setattr(catalogue, "_compute_in_background", lambda *args: started.append(args))
    cache.add("newsroom:background-slot:0", 1, 60)  # another worker's count
    assert catalogue.cached("test", "busy", lambda: pytest.fail("counted inline"), provisional=lambda: "estimate") == "estimate"
    assert not started
    cache.delete("newsroom:background-slot:0")
    assert catalogue.cached("test", "busy", lambda: "exact", provisional=lambda: "estimate") == "estimate"
    assert len(started) == 1  # the next reader found the lock free and a slot: counting began


def test_a_cheap_value_is_counted_at_once_even_with_background_counts(settings):
    settings.NEWSROOM_BACKGROUND_COUNTS = True
    settings.NEWSROOM_FACET_INDEX = False  # the SQL path's estimates and background counts
    assert catalogue.cached("test", "cheap", lambda: "exact", provisional=lambda: None) == "exact"


# --- the page cache ---------------------------------------------------------------------


@pytest.fixture
def page_cache(settings):
    settings.NEWSROOM_PAGE_CACHE = True


def test_a_warm_page_is_served_from_the_cache_in_two_queries(client, page_cache, django_assert_max_num_queries):
    first = client.get("/articles/", {"region": "611000"})
    with django_assert_max_num_queries(2):  # the token (and a session lookup at most)
        again = client.get("/articles/", {"region": "611000"})
    assert again.status_code == 200 and again.content == first.content
    assert again["Content-Type"] == first["Content-Type"] == "text/html; charset=utf-8"


def test_a_cached_page_changes_at_once_after_an_edit(client, page_cache):
    article = Article.objects.public().filter(city_id="611000").exclude(title="").order_by("pk").first()
    before = client.get("/articles/", {"region": "611000"}).content.decode()
    assert article.title in before
    assert client.get(article.get_absolute_url()).status_code == 200
    Article.objects.filter(pk=article.pk).set_status(Article.Status.HIDDEN)
    after = client.get("/articles/", {"region": "611000"}).content.decode()
    assert article.title not in after
    reading = client.get(article.get_absolute_url())
    assert reading.status_code == 404  # hidden: never served from a page cached before


def test_scripts_and_queries_get_pages_of_their_own(client, page_cache):
    simplified = client.get("/articles/", {"region": "611000"}).content
    traditional = client.get("/articles/", {"region": "611000", "script": "hant"}).content
    other = client.get("/articles/", {"region": "610000"}).content
    assert len({simplified, traditional, other}) == 3


def test_staff_never_get_the_anonymous_page(client, page_cache, django_user_model):
    article = Article.objects.public().first()
    client.get(article.get_absolute_url())
    staff = django_user_model.objects.create_user("editor", password="pw-123456", is_staff=True)
    client.force_login(staff)
    assert "编辑此文章" in client.get(article.get_absolute_url()).content.decode()


def test_a_list_on_provisional_counts_says_so_and_is_kept_only_briefly(client, page_cache, settings, monkeypatch):
    from django.core.cache import cache

    from articles import selectors

    settings.NEWSROOM_BACKGROUND_COUNTS = True
    settings.NEWSROOM_FACET_INDEX = False  # the SQL path's estimates and background counts
    counting = []
    monkeypatch.setattr(catalogue, "_compute_in_background", lambda full_key, *args: counting.append(full_key))
    # Every article "in the sample", and any tally worth an estimate: the list gets one at once.
    ids = Article.objects.order_by("pk").values_list("pk", flat=True)
    sample = selectors.Sample(ranges=((ids.first(), ids.last() + 1),), scale=1.0)
    monkeypatch.setattr(selectors, "article_sample", lambda *args, **kwargs: sample)
    monkeypatch.setattr(selectors, "PROVISIONAL_ABOVE_ROWS", 0)
    hidden = Article.objects.public().order_by("pk").first()
    Article.objects.filter(pk=hidden.pk).set_status(Article.Status.HIDDEN)
    url = "/articles/?theme=epidemic"
    first = client.get(url).content.decode()
    assert "约" in first and len(counting) == 1  # estimated facet counts, the exact tally being counted
    # The exact counts arrive (here: counted by the next request once the background lock is gone) ...
    settings.NEWSROOM_BACKGROUND_COUNTS = False
    cache.delete(counting[0] + ":computing")
    # ... but for PROVISIONAL_PAGE_SECONDS readers still get the provisional page, not a render each ...
    assert client.get(url).content.decode() == first
    # ... unless a change comes: a page on estimates is never kept across one (no revalidation);
    # the next reader gets the exact counts, and that page is kept as any other.
    hidden = Article.objects.get(pk=hidden.pk)
    hidden.title += "（修订）"
    hidden.save()  # a logged change no page shows: any other cached page would be kept
    exact = client.get(url).content.decode()
    assert "约" not in exact and client.get(url).content.decode() == exact
