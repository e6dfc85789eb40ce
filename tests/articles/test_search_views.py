"""Search carried into the article, the help page, no-results hints, fielded search through the
list view, the FilterSet and the admin (run on SQLite and on PostgreSQL)."""

import datetime
import itertools
import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.http import QueryDict
from django.urls import reverse

from articles.filters import ArticleFilter
from articles.models import Article, IngestedFile, Region, Source
from articles.selectors import public_articles
from articles.text.chinese import to_simplified

pytestmark = pytest.mark.django_db

_numbers = itertools.count()
WORD = "蓝莓采摘节"  # absent from the sample corpus


@pytest.fixture
def make():
    def make(body, *, title="", bylines=(), source=None, day=1, region=None, script="hans"):
        n = next(_numbers)
        record = IngestedFile.objects.create(path=f"/tests/sv/{n}.txt", name=f"{n}.txt", sha256=f"e{n:063d}", size=0)
        date = datetime.date(2020, 5, day)
        return Article.objects.create(
            ingested_file=record, title=title, body=body, body_simplified=to_simplified(body), script=script,
            bylines=list(bylines), source=source, blocks=[{"kind": "paragraph", "text": body}],
            year=2020, month=5, day=day, date_sort=date, region=region,
            province=region.parent.parent if region and region.level == "county" else None,
        )

    return make


def links(response, css_class):
    html = response.content.decode()
    return [unescape(href) for href in re.findall(rf'class="{css_class}"[^>]*href="([^"]+)"', html)]


def result_links(response):
    return [unescape(h) for h in re.findall(r'<h2 class="result-title"><a href="([^"]+)"', response.content.decode())]


@pytest.fixture
def five(make):
    """Five hits for WORD, newest first = a5 … a1 (sort=date makes the order plain)."""
    return [make(f"第{n}届{WORD}在山区举行，游客如织。", title=f"{WORD}第{n}届", day=n) for n in range(1, 6)]


# --- Result links carry the search -----------------------------------------------------------


def test_result_links_carry_query_filters_and_position(client, five, settings):
    settings.NEWSROOM_PAGE_SIZE = 2
    response = client.get(reverse("articles:list"), {"q": WORD, "sort": "date", "page": 2})
    hrefs = result_links(response)
    assert [urlsplit(h).path for h in hrefs] == [five[2].get_absolute_url(), five[1].get_absolute_url()]
    params = parse_qs(urlsplit(hrefs[0]).query)
    assert params == {"q": [WORD], "sort": ["date"], "hit": ["3"]}
    assert 'id="hit-3"' in response.content.decode()


def test_plain_list_links_are_permalinks(client, five):
    response = client.get(reverse("articles:list"))
    assert all("?" not in href for href in result_links(response))


# --- Reading a hit -----------------------------------------------------------------------------


def test_opened_hit_marks_the_query_in_title_and_body(client, five):
    response = client.get(five[0].get_absolute_url(), {"q": WORD, "hit": "5", "sort": "date"})
    html = response.content.decode()
    assert f'<h1 class="article-title"><mark>{WORD}</mark>第1届</h1>' in html
    assert f'第1届<mark id="match-1">{WORD}</mark>在山区举行' in html
    assert 'name="robots" content="noindex' in html


def test_first_match_has_an_anchor_the_navigation_links_to(client, five):
    html = client.get(five[0].get_absolute_url(), {"q": f"{WORD} 游客"}).content.decode()
    assert html.count('id="match-1"') == 1
    assert f'<mark id="match-1">{WORD}</mark>' in html
    assert 'href="#match-1"' in html and "正文中 2 处匹配" in html


def test_marking_escapes_the_article_text(client, make):
    article = make(f"<script>alert(1)</script>{WORD}&<b>", title="转义")
    html = client.get(article.get_absolute_url(), {"q": WORD}).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert f'&lt;script&gt;alert(1)&lt;/script&gt;<mark id="match-1">{WORD}</mark>&amp;&lt;b&gt;' in html


def test_marks_survive_the_traditional_page(client, make):
    article = make("縣裡舉辦藍莓採摘節。", title="藍莓", script="hant")
    html = client.get(article.get_absolute_url(), {"q": "蓝莓", "script": "hant"}).content.decode()
    assert '<mark id="match-1">藍莓</mark>採摘節' in html


def test_back_to_results_returns_to_the_page_that_held_the_hit(client, five, settings):
    settings.NEWSROOM_PAGE_SIZE = 2
    response = client.get(five[2].get_absolute_url(), {"q": WORD, "sort": "date", "hit": "3"})
    (back,) = links(response, "search-back")
    assert urlsplit(back).path == reverse("articles:list")
    assert parse_qs(urlsplit(back).query) == {"q": [WORD], "sort": ["date"], "page": ["2"]}
    assert urlsplit(back).fragment == "hit-3"
    listed = client.get(back)
    assert five[2].get_absolute_url() in [urlsplit(h).path for h in result_links(listed)]


def test_previous_and_next_hit_follow_the_list_order(client, five):
    response = client.get(five[2].get_absolute_url(), {"q": WORD, "sort": "date", "hit": "3"})
    (previous,) = links(response, "search-prev")
    (following,) = links(response, "search-next")
    assert urlsplit(previous).path == five[3].get_absolute_url() and "hit=2" in previous
    assert urlsplit(following).path == five[1].get_absolute_url() and "hit=4" in following
    assert "第 3 篇，共 5 篇" in response.content.decode()
    # Following "next" lands on a page whose "previous" comes back.
    landed = client.get(following)
    (back_again,) = links(landed, "search-prev")
    assert urlsplit(back_again).path == five[2].get_absolute_url()


def test_first_and_last_hits_have_one_neighbour(client, five):
    first = client.get(five[4].get_absolute_url(), {"q": WORD, "sort": "date", "hit": "1"})
    assert not links(first, "search-prev") and links(first, "search-next")
    last = client.get(five[0].get_absolute_url(), {"q": WORD, "sort": "date", "hit": "5"})
    assert links(last, "search-prev") and not links(last, "search-next")


def test_neighbours_in_relevance_order_match_the_list(client, five):
    listed = result_links(client.get(reverse("articles:list"), {"q": WORD}))
    middle = client.get(listed[2])
    assert urlsplit(links(middle, "search-prev")[0]).path == urlsplit(listed[1]).path
    assert urlsplit(links(middle, "search-next")[0]).path == urlsplit(listed[3]).path


@pytest.mark.parametrize("hit", ["1", "999", "x", "-2", "9" * 40])
def test_a_wrong_position_gives_no_neighbours_but_the_page_works(client, five, hit):
    response = client.get(five[2].get_absolute_url(), {"q": WORD, "sort": "date", "hit": hit})
    assert response.status_code == 200
    assert not links(response, "search-prev") and not links(response, "search-next")
    assert links(response, "search-back")


def test_no_query_no_search_navigation(client, five):
    html = client.get(five[0].get_absolute_url(), {"hit": "2"}).content.decode()
    assert "search-hit" not in html and "<mark>" not in html
    html = client.get(five[0].get_absolute_url(), {"q": "，。"}).content.decode()
    assert "search-hit" not in html


def test_byline_match_is_marked_in_the_byline(client, make):
    article = make("秋粮收购进度过半。", bylines=["李小龙", "赵大海"])
    html = client.get(article.get_absolute_url(), {"q": "作者:李小龙"}).content.decode()
    assert "<mark>李小龙</mark>、赵大海" in html
    assert "<mark>" not in html.split('class="article-body"')[1].split("</div>")[0]


def test_reading_a_hit_costs_a_bounded_number_of_queries(client, five, django_assert_max_num_queries):
    url = five[2].get_absolute_url()
    client.get(url)  # warm anything per process
    # A hit is read from its list, which built the facet index and fetched the search's hits.
    client.get(reverse("articles:list"), {"q": WORD, "sort": "date"})
    with django_assert_max_num_queries(12):
        client.get(url, {"q": WORD, "sort": "date", "hit": "3"})


def test_page_cache_keeps_search_and_plain_reading_apart(client, five, settings):
    settings.NEWSROOM_PAGE_CACHE = True
    url = five[2].get_absolute_url()
    searched = client.get(url, {"q": WORD, "hit": "3", "sort": "date"}).content.decode()
    plain = client.get(url).content.decode()
    other = client.get(url, {"q": "山区", "sort": "date"}).content.decode()
    assert "<mark>" in searched and "search-hit" in searched
    assert "<mark>" not in plain and "search-hit" not in plain
    assert '<mark id="match-1">山区</mark>' in other and f"<mark>{WORD}</mark>" not in other


# --- OR, bylines and sources through the list ------------------------------------------------------


def test_or_query_in_the_list(client, make):
    a = make("镇安县疫情防控工作有序开展。")
    b = make("镇安县粮食生产喜获丰收。")
    response = client.get(reverse("articles:list"), {"q": "疫情 OR 粮食"})
    assert response.status_code == 200
    ids = {article.pk for article in response.context["results"]}
    assert {a.pk, b.pk} <= ids


def test_byline_and_source_searches_in_the_list(client, make):
    source = Source.objects.create(name="蓝田测试晚报")
    article = make("秋粮收购进度过半。", bylines=["李小龙"], source=source)
    for q in ("李小龙", "作者:李小龙", "蓝田测试晚报", "来源:蓝田测试晚报"):
        response = client.get(reverse("articles:list"), {"q": q})
        assert article.pk in {a.pk for a in response.context["results"]}, q


def test_filterset_fielded_and_or_queries(make):
    article = make("秋粮收购进度过半。", bylines=["李小龙"])
    other = make("李小龙来到秋粮收购点。")

    def hits(q):
        return set(ArticleFilter(QueryDict(mutable=True) | {"q": q}, queryset=public_articles()).qs.values_list("pk", flat=True))

    assert hits("作者:李小龙") >= {article.pk} and other.pk not in hits("作者:李小龙")
    assert {article.pk, other.pk} <= hits("李小龙")
    assert {article.pk, other.pk} <= hits("作者:李小龙 OR 来到")
    assert other.pk not in hits("秋粮 -作者:赵大海 作者:李小龙")


# --- No results ----------------------------------------------------------------------------------


def test_no_results_suggests_dropping_a_filter_with_its_count(client, five):
    county = Region.objects.filter(level="county").first()
    response = client.get(reverse("articles:list"), {"q": WORD, "region": county.code})
    assert response.context["page_obj"].paginator.count == 0
    suggestions = response.context["no_results"]["suggestions"]
    assert [s["count"] for s in suggestions] == [5]
    assert parse_qs(urlsplit(suggestions[0]["url"]).query) == {"q": [WORD]}
    assert "没有找到" in response.content.decode()


def test_no_results_suggests_fewer_words(client, five):
    response = client.get(reverse("articles:list"), {"q": f"{WORD} 火星基地"})
    suggestions = response.context["no_results"]["suggestions"]
    assert [parse_qs(urlsplit(s["url"]).query)["q"] for s in suggestions] == [[WORD]]
    assert suggestions[0]["count"] == 5


def test_no_results_notes_the_other_script_and_links_help(client):
    response = client.get(reverse("articles:list"), {"q": "火星基地"})
    no_results = response.context["no_results"]
    assert no_results["suggestions"] == [] and no_results["other_script"] == ""  # the same in both scripts
    response = client.get(reverse("articles:list"), {"q": "鎮安縣火星基地"})
    assert response.context["no_results"]["other_script"] == "镇安县火星基地"
    assert "镇安县火星基地" in response.content.decode()
    assert reverse("articles:search-help") in response.content.decode()


def test_results_page_has_no_hints(client, five):
    assert client.get(reverse("articles:list"), {"q": WORD}).context["no_results"] is None


# --- Help -------------------------------------------------------------------------------------------


def test_help_page_explains_the_syntax_and_is_linked_from_the_search_boxes(client):
    response = client.get(reverse("articles:search-help"))
    text = response.content.decode()
    assert response.status_code == 200
    for example in ("镇安 防疫", "疫情 OR 粮食", "作者:李小龙", "标题:防汛", "来源:陕西日报", "防疫 -核酸"):
        assert example in unescape(text)
    assert "?q=%E7%96%AB%E6%83%85+OR+%E7%B2%AE%E9%A3%9F" in text  # each example is a live search
    home = client.get(reverse("articles:home")).content.decode()
    listing = client.get(reverse("articles:list")).content.decode()
    assert reverse("articles:search-help") in home and reverse("articles:search-help") in listing


def test_help_page_in_english(client):
    response = client.get(reverse("articles:search-help"), {"lang": "en"})
    assert "How to search" in response.content.decode()


# --- Admin -------------------------------------------------------------------------------------------


def test_admin_search_finds_bylines_and_sources(client, make):
    user = get_user_model().objects.create_user("searcher", password="x", is_staff=True, is_superuser=True)
    client.force_login(user)
    source = Source.objects.create(name="蓝田测试周报")
    article = make("秋粮收购进度过半。", title="秋粮收购", bylines=["尤勃珂"], source=source)
    url = reverse("admin:articles_article_changelist")
    for q in ("尤勃珂", "作者:尤勃珂", "蓝田测试周报", "来源:蓝田测试周报"):
        response = client.get(url, {"q": q})
        assert article.pk in {a.pk for a in response.context["cl"].result_list}, q
