"""sitemap.xml, robots.txt and the OpenSearch description, on the sample corpus."""

import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone

from articles import discovery
from articles.models import Article

pytestmark = pytest.mark.django_db

SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"


def sitemap_urls(client, section: str, page: int = 1) -> dict[str, ET.Element]:
    response = client.get(f"/sitemap-{section}.xml" + (f"?p={page}" if page > 1 else ""))
    assert response.status_code == 200
    return {url.find(f"{SM}loc").text: url for url in ET.fromstring(response.content).findall(f"{SM}url")}


def test_index_lists_each_section_with_lastmod(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    entries = {s.find(f"{SM}loc").text: s.find(f"{SM}lastmod").text for s in root.findall(f"{SM}sitemap")}
    assert set(entries) == {"http://testserver/sitemap-articles.xml", "http://testserver/sitemap-pages.xml"}
    latest = max(Article.objects.public().values_list("updated_at", flat=True))
    assert all(value[:10] == timezone.localtime(latest).date().isoformat() for value in entries.values())


def test_article_sitemap_holds_every_public_permalink_and_nothing_else(client):
    hidden, removed = Article.objects.public()[:2]
    hidden.status = Article.Status.HIDDEN
    hidden.save()
    removed.removed_at = timezone.now()
    removed.save()
    urls = sitemap_urls(client, "articles")
    expected = {f"http://testserver{a.get_absolute_url()}" for a in Article.objects.public()}
    assert set(urls) == expected and len(expected) > 10
    for address, url in urls.items():
        assert url.find(f"{SM}lastmod").text
        alternates = {link.get("hreflang"): link.get("href") for link in url.findall(f"{XHTML}link")}
        assert alternates == {"zh-Hans": address, "zh-Hant": address + "?script=hant", "x-default": address}


def test_article_sitemap_is_split_into_pages(client, monkeypatch):
    monkeypatch.setattr(discovery.ArticleSitemap, "limit", 4)
    public = Article.objects.public().count()
    pages = -(-public // 4)
    index = client.get("/sitemap.xml").content.decode()
    assert f"sitemap-articles.xml?p={pages}" in index and f"?p={pages + 1}" not in index
    seen: set[str] = set()
    for page in range(1, pages + 1):
        urls = sitemap_urls(client, "articles", page)
        assert len(urls) <= 4 and not seen & set(urls)
        seen |= set(urls)
    assert len(seen) == public
    assert discovery.SITEMAP_PAGE_SIZE == 10_000


def test_pages_sitemap_has_the_landing_pages_with_articles(client):
    urls = sitemap_urls(client, "pages")
    assert "http://testserver/" in urls and "http://testserver/articles/" in urls
    assert "http://testserver/regions/611000/" in urls
    assert "http://testserver/themes/epidemic/" in urls
    assert "http://testserver/regions/110000/" not in urls  # no article in Beijing


def test_traditional_alternate_is_the_page_in_traditional(client):
    article = Article.objects.public().exclude(title="").first()
    response = client.get(article.get_absolute_url() + "?script=hant")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<link rel="canonical" href="http://testserver{article.get_absolute_url()}?script=hant">' in html


def test_robots_points_at_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert "Disallow: /admin/" in lines
    assert "Disallow: /" not in lines


def test_opensearch_description_is_linked_and_points_at_the_search(client):
    html = client.get("/").content.decode()
    assert '<link rel="search" type="application/opensearchdescription+xml"' in html and 'href="/opensearch.xml"' in html
    response = client.get("/opensearch.xml")
    assert response["Content-Type"].startswith("application/opensearchdescription+xml")
    root = ET.fromstring(response.content)
    ns = "{http://a9.com/-/spec/opensearch/1.1/}"
    templates = {url.get("type"): url.get("template") for url in root.findall(f"{ns}Url")}
    assert templates["text/html"] == "http://testserver/articles/?q={searchTerms}"
    assert root.find(f"{ns}ShortName").text


def test_landing_pages_in_traditional_are_their_own_canonical(client):
    simplified = client.get("/regions/611000/").content.decode()
    assert '<link rel="canonical" href="http://testserver/regions/611000/">' in simplified
    traditional = client.get("/regions/611000/?script=hant").content.decode()
    assert '<link rel="canonical" href="http://testserver/regions/611000/?script=hant">' in traditional
