"""The region map: outlines, count classes, the /map/ pages (issue 12)."""

import re
from html import unescape

import pytest

from articles.regionmap import SHADES, classes, outlines, shade_of

pytestmark = pytest.mark.django_db


def test_outline_file_covers_every_province_of_the_gazetteer_and_stays_small():
    from articles.models import Region
    from articles.regionmap import MAP_FILE

    data = outlines()
    provinces = set(Region.objects.filter(level="province").values_list("code", flat=True))
    assert provinces <= set(data["china"]["regions"])
    assert provinces <= set(data["provinces"])  # a city map for each
    assert MAP_FILE.stat().st_size < 400_000
    for shape in data["china"]["regions"].values():
        assert re.fullmatch(r"(m-?\d+[ -]\d+l[-\d ]+z)+", shape["d"]), shape["name"]  # relative integer steps only
    # A municipality's map is of its districts, keyed by county code.
    assert "110101" in data["provinces"]["110000"]["regions"]
    assert "611000" in data["provinces"]["610000"]["regions"]


@pytest.mark.parametrize(
    "counts, expected",
    [
        ([], []),
        ([0, 0], []),
        ([5], [(1, 5)]),
        ([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], [(1, 2), (3, 4), (5, 6), (7, 8), (9, 10)]),
        ([1, 1, 1, 9], [(1, 1), (2, 9)]),
        ([8, 1], [(1, 1), (2, 8)]),
    ],
)
def test_classes_are_quantiles_of_the_nonzero_counts(counts, expected):
    assert classes(counts) == expected


def test_shades_put_more_articles_darker_and_none_at_zero():
    ranges = classes([1, 1, 1, 9])
    assert shade_of(0, ranges) == 0
    assert shade_of(1, ranges) < shade_of(9, ranges) == SHADES


def areas_of(html: str) -> dict[str, tuple[str, str]]:
    """title -> (shade class, link) for every area of the rendered SVG."""
    found = {}
    svg = html[html.index("<svg"): html.index("</svg>")]
    for match in re.finditer(r'(?:<a href="([^"]*)">)?<path class="area (shade-\d)" d="[^"]+"><title>([^<]+)</title>', svg):
        href, shade, title = match.groups()
        found[unescape(title).split("：")[0]] = (shade, unescape(href or ""))
    return found


def test_country_map_shades_provinces_by_count_and_links_them_to_their_city_maps(client):
    response = client.get("/map/")
    assert response.status_code == 200
    html = response.content.decode()
    areas = areas_of(html)
    assert len(areas) >= 31
    # 陕西省 9 articles, 山西省 4, 河南省 2 in the sample corpus: darker for more.
    assert areas["陕西省"][0] > areas["山西省"][0] > areas["河南省"][0] > "shade-0"
    assert areas["陕西省"][1] == "/map/610000/"
    assert areas["北京市"] == ("shade-0", "")  # no article: not a link
    assert "无文章" in html and 'class="map-legend"' in html
    # The text list beside the map: the same places, pinyin order, linked into the list.
    places = re.findall(r'<li class="map-place"><a class="facet-option" href="([^"]+)">.*?<span class="facet-label">([^<]+)', html)
    assert places == [("/articles/?region=410000", "河南省"), ("/articles/?region=140000", "山西省"), ("/articles/?region=610000", "陕西省")]


def test_province_map_shows_cities_linked_into_the_list(client):
    html = client.get("/map/610000/").content.decode()
    areas = areas_of(html)
    assert areas["商洛市"][1] == "/articles/?region=611000"
    assert areas["渭南市"][1] == "/articles/?region=610500"
    assert areas["商洛市"][0] > areas["渭南市"][0]  # 8 against 1
    assert areas["西安市"] == ("shade-0", "")
    assert 'href="/map/"' in html  # back to the country


def test_map_counts_follow_the_lists_other_filters_and_carry_them(client):
    html = client.get("/map/?theme=epidemic").content.decode()
    areas = areas_of(html)
    assert areas["陕西省"][1] == "/map/610000/?theme=epidemic"
    listed = client.get("/articles/?theme=epidemic&region=610000").context["page_obj"].paginator.count
    assert f'<span class="facet-label">陕西省</span><span class="count">{listed}</span>' in html
    city = client.get("/map/610000/?theme=epidemic").content.decode()
    assert areas_of(city)["商洛市"][1] == "/articles/?theme=epidemic&region=611000"
    # A region parameter is the map's own choice: ignored, never carried.
    assert areas_of(client.get("/map/?region=140000").content.decode())["陕西省"][1] == "/map/610000/"


def test_unknown_or_non_province_codes_are_not_found(client):
    assert client.get("/map/999999/").status_code == 404
    assert client.get("/map/611000/").status_code == 404


def test_map_page_needs_no_script_and_is_in_the_navigation(client):
    html = client.get("/map/").content.decode()
    assert "<script" not in html[html.index("<svg"): html.index("</svg>")]
    assert 'href="/map/"' in client.get("/articles/").content.decode()
    assert 'href="/map/610000/"' in client.get("/regions/610000/").content.decode()


def test_map_page_query_count_is_fixed(client, django_assert_max_num_queries):
    client.get("/map/610000/")
    # Counted once: the list's whole tally for these filters (5 GROUP BYs, labels), which the map shares ...
    with django_assert_max_num_queries(12):
        client.get("/map/?theme=epidemic")
    # ... so after the list of the same filters the map counts nothing of its own.
    client.get("/articles/?theme=epidemic&year=2020")
    with django_assert_max_num_queries(4):
        client.get("/map/?theme=epidemic&year=2020")


def test_map_page_in_english(client):
    from django.utils import translation

    with translation.override("zh-hans"):  # the middleware's English must not outlive the request
        html = client.get("/map/610000/?lang=en").content.decode()
    assert "Click a city to list its articles." in html and "9 articles, shaded by region" in html
    assert "按地区着色" not in html


def test_a_broad_search_shades_from_a_sample_as_the_list_counts(client, monkeypatch):
    from articles import selectors
    from articles.models import Article

    pks = list(Article.objects.public().order_by("pk").values_list("pk", flat=True))
    sample = selectors.Sample(ranges=((pks[0], pks[len(pks) // 2]),), scale=2.0)
    monkeypatch.setattr(selectors, "article_sample", lambda **kwargs: sample)
    real_bounded_count = selectors.bounded_count
    monkeypatch.setattr(selectors, "bounded_count", lambda queryset: real_bounded_count(queryset, exact_up_to=2))
    response = client.get("/map/", {"q": "疫情"})
    html = response.content.decode()
    assert response.status_code == 200 and "约" in html.split('class="map-intro"')[1][:40]
    counts = [int(n) for n in re.findall(r'<span class="count">(\d+)</span>', html)]
    assert counts and all(n % 2 == 0 for n in counts)  # sample counts scaled by 2


def test_a_narrow_search_shades_exact_counts(client):
    html = client.get("/map/", {"q": "疫情"}).content.decode()
    assert "约" not in html.split('class="map-intro"')[1][:40]
    listed = client.get("/articles/", {"q": "疫情", "region": "610000"}).context["page_obj"].paginator.count
    assert f'<span class="facet-label">陕西省</span><span class="count">{listed}</span>' in html
