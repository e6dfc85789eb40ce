"""Atom feeds: /feed/ and /articles/feed/?<the list's query>, on the sample corpus."""

import xml.etree.ElementTree as ET

import pytest

from articles.feeds import FEED_SIZE
from articles.models import Article, Theme
from articles.templatetags.portal import excerpt_of

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def entries(response) -> list[ET.Element]:
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("application/atom+xml")
    return ET.fromstring(response.content).findall(f"{ATOM}entry")


def permalinks(feed_entries) -> list[str]:
    return [entry.find(f"{ATOM}link[@rel='alternate']").get("href") for entry in feed_entries]


def categories(entry, scheme_part: str) -> dict[str, str]:
    return {
        category.get("term"): category.get("label")
        for category in entry.findall(f"{ATOM}category")
        if scheme_part in category.get("scheme")
    }


@pytest.mark.parametrize(
    "query",
    ["region=611000&theme=epidemic", "region=610000", "q=疫情", "year=2022&month=4", "kind=photo", "sort=title"],
)
def test_filtered_feed_lists_what_the_list_page_lists(client, query):
    listed = client.get(f"/articles/?{query}")
    expected = [f"http://testserver{a.get_absolute_url()}" for a in listed.context["results"]]
    assert permalinks(entries(client.get(f"/articles/feed/?{query}"))) == expected[:FEED_SIZE]


def test_entries_carry_title_date_source_categories_and_excerpt(client):
    article = (
        Article.objects.public()
        .filter(source__isnull=False, city__isnull=False, county__isnull=False, year__isnull=False)
        .first()
    )
    article.themes.add(Theme.objects.get(slug="epidemic"))
    feed = entries(client.get(f"/articles/feed/?region={article.county_id}"))
    entry = next(e for e in feed if e.find(f"{ATOM}link").get("href").endswith(article.get_absolute_url()))
    assert entry.find(f"{ATOM}title").text == article.display_title
    assert entry.find(f"{ATOM}published").text.startswith(article.date_sort.isoformat())
    assert entry.find(f"{ATOM}updated").text
    assert categories(entry, "region=") == {
        article.province_id: article.province.name,
        article.city_id: article.city.name,
        article.county_id: article.county.name,
    }
    assert categories(entry, "theme=")["epidemic"] == "疫情防控"
    assert categories(entry, "source=") == {str(article.source_id): article.source.name}
    assert entry.find(f"{ATOM}source/{ATOM}title").text == article.source.name
    summary = entry.find(f"{ATOM}summary").text
    assert summary == excerpt_of(article, 200) and len(summary) > 20


def test_hidden_and_removed_articles_never_reach_a_feed(client):
    from django.utils import timezone

    hidden, removed = Article.objects.public().filter(province_id="610000")[:2]
    hidden.status = Article.Status.HIDDEN
    hidden.save()
    removed.removed_at = timezone.now()
    removed.save()
    for url in ("/feed/", "/articles/feed/?region=610000"):
        links = permalinks(entries(client.get(url)))
        assert not any(link.endswith(hidden.get_absolute_url()) for link in links)
        assert not any(link.endswith(removed.get_absolute_url()) for link in links)


def test_latest_feed_ignores_the_query_and_counts_every_public_article(client):
    public = Article.objects.public().count()
    assert len(entries(client.get("/feed/?region=611000"))) == min(public, FEED_SIZE)
    root = ET.fromstring(client.get("/feed/").content)
    assert root.find(f"{ATOM}title").text.startswith("最新文章")


def test_bad_parameters_answer_400_naming_them(client):
    response = client.get("/articles/feed/?region=999999&month=13")
    assert response.status_code == 400
    text = response.content.decode()
    assert "region" in text and "month" in text


def test_every_page_links_its_feeds(client):
    home = client.get("/").content.decode()
    assert '<link rel="alternate" type="application/atom+xml"' in home and 'href="/feed/"' in home
    listing = client.get("/articles/?region=611000&page=1&script=hans").content.decode()
    assert 'href="/articles/feed/?region=611000"' in listing
    region = client.get("/regions/611000/").content.decode()
    assert 'href="/articles/feed/?region=611000"' in region
