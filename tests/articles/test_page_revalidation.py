"""After an editor's save, cached pages the save cannot alter are kept, and every kept page is exact (issue 10).

The list and landing pages declare the filterset they show
(catalogue.page_depends_on); a cached copy is kept across logged changes when
no changed article, before or after, passes those filters with one facet left
out (selectors.page_unaffected). These tests make random editor-style edits and,
after each, compare every page the cache serves with a fresh render.
"""

import random
import re

import pytest
from django.test import override_settings
from django.urls import reverse

from articles import views
from articles.models import Article, Source
from tests.articles.test_count_refresh import QUERIES
from tests.articles.test_count_refresh import _edit as random_edit

pytestmark = pytest.mark.django_db

# The CSRF token of the search form differs per response, never what the page says.
_PER_RESPONSE = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]*"|nonce="[^"]*"')


def _urls() -> list[str]:
    source = Source.objects.order_by("pk").first()
    return [
        *(reverse("articles:list") + ("?" + query if query else "") for query in QUERIES),
        reverse("articles:list") + "?region=611000&page=2",
        reverse("articles:list") + "?q=祁县&region=610000&kind=article",  # no results: its suggestions' totals shown
        reverse("articles:home"),
        reverse("articles:region", args=["610000"]),
        reverse("articles:region", args=["411500"]),
        reverse("articles:theme", args=["epidemic"]),
        reverse("articles:theme", args=["ecology"]),
        reverse("articles:source", args=[source.pk]),
    ]


def _page(client, url: str, *, cached: bool) -> tuple[int, bytes]:
    with override_settings(NEWSROOM_PAGE_CACHE=cached):
        response = client.get(url)
    return response.status_code, _PER_RESPONSE.sub(b"", response.content)


def test_every_kept_page_is_the_page_a_fresh_render_gives(client, monkeypatch):
    rng = random.Random(5122026)
    urls = _urls()
    verdicts: list[bool] = []
    real = views.page_unaffected
    monkeypatch.setattr(views, "page_unaffected", lambda *a, **k: verdicts.append(real(*a, **k)) or verdicts[-1])
    for url in urls:
        _page(client, url, cached=True)  # cached under the current version
    articles = list(Article.objects.order_by("pk"))
    edits = []
    for step in range(25):
        article = Article.objects.get(pk=rng.choice(articles).pk)
        edits.append(random_edit(rng, article))
        for url in urls:
            served = _page(client, url, cached=True)
            assert served == _page(client, url, cached=False), (step, edits[-1], url)
    # Both ways were taken: pages the edits could not touch were kept, the others rendered again.
    assert True in verdicts and False in verdicts


def test_a_save_elsewhere_keeps_the_page_and_a_save_inside_renders_it(client, settings, monkeypatch):
    settings.NEWSROOM_PAGE_CACHE = True
    renders = []
    real = views.sub_regions_from  # called once per render of a region page
    monkeypatch.setattr(views, "sub_regions_from", lambda *a, **k: renders.append(1) or real(*a, **k))
    outside = Article.objects.public().exclude(province__code="610000").first()
    inside = Article.objects.public().filter(province__code="610000").newest_first().first()
    url = reverse("articles:region", args=["610000"])
    first = client.get(url).content
    outside.title += "（修订）"
    outside.save()
    assert client.get(url).content == first and len(renders) == 1  # nothing on the page changed: kept
    inside.title += "（修订）"
    inside.save()
    assert inside.title in client.get(url).content.decode() and len(renders) == 2  # its newest article: rendered


def test_a_search_page_is_rendered_again_when_searched_text_changes(client, settings):
    settings.NEWSROOM_PAGE_CACHE = True
    url = reverse("articles:list") + "?q=疫情"
    client.get(url)
    article = Article.objects.public().exclude(province__code="610000").first()
    article.title = "疫情防控一线的新标题"
    article.save()
    assert "疫情防控一线的新标题" in client.get(url).content.decode()


def test_a_text_edit_outside_a_search_pages_other_filters_keeps_the_page(client, settings, monkeypatch):
    settings.NEWSROOM_PAGE_CACHE = True
    renders = []
    real = views.facets_from  # called once per render of a list page
    monkeypatch.setattr(views, "facets_from", lambda *a, **k: renders.append(1) or real(*a, **k))
    # Date order: SQLite's bm25 moves with any edit of searched text, so a relevance page is rendered again there.
    url = reverse("articles:list") + "?q=疫情&region=610000&kind=article&sort=date"
    first = client.get(url).content
    outside = Article.objects.public().exclude(province_id="610000").exclude(kind="article").first()
    outside.title = "疫情防控一线的新标题"
    outside.save()
    assert client.get(url).content == first and len(renders) == 1
    inside = Article.objects.public().filter(province_id="610000", kind="article").newest_first().first()
    inside.title = "疫情防控一线的又一个新标题"
    inside.save()
    assert "疫情防控一线的又一个新标题" in client.get(url).content.decode() and len(renders) == 2


def test_a_retitle_outside_a_lists_filters_keeps_the_list_though_its_facets_leave_them_out(client, settings, monkeypatch):
    # The region facet of /articles/?region=610000 counts every region (its own filter left out), but a
    # retitle moves no count: only the article's own row, which this list does not show.
    settings.NEWSROOM_PAGE_CACHE = True
    renders = []
    real = views.facets_from
    monkeypatch.setattr(views, "facets_from", lambda *a, **k: renders.append(1) or real(*a, **k))
    url = reverse("articles:list") + "?region=610000"
    first = client.get(url).content
    outside = Article.objects.public().exclude(province_id="610000").first()
    outside.title += "（修订）"
    outside.save()
    assert client.get(url).content == first and len(renders) == 1
    inside = Article.objects.public().filter(province_id="610000").newest_first().first()
    inside.title += "（修订）"
    inside.save()
    assert inside.title in client.get(url).content.decode() and len(renders) == 2


def test_a_no_results_page_is_kept_until_an_edit_can_change_it_or_its_suggestions(client, settings):
    settings.NEWSROOM_PAGE_CACHE = True
    # Neither the page's facets (each counted with its own filter left out) nor its suggestions (each a
    # total) can count an article outside Shaanxi that is not an article, whatever its new text.
    # Date order: SQLite's bm25 moves with any edit of searched text, so a relevance page is rendered again there.
    url = reverse("articles:list") + "?q=祁县&region=610000&kind=article&sort=date"
    first = client.get(url)
    assert first.context["no_results"]["suggestions"]  # drop the region: 祁县 is in Shanxi
    outside = Article.objects.public().exclude(province_id="610000").exclude(kind="article").first()
    outside.title += "（修订）"
    outside.save()
    kept = client.get(url)
    assert kept.context is None and kept.content == first.content  # served from the cache
    inside = Article.objects.public().filter(province_id="610000", kind="article").newest_first().first()
    inside.title = "祁县客商到访"
    inside.save()
    assert "祁县客商到访" in client.get(url).content.decode()
