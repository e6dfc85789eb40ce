"""Facet semantics made visible (issue 12): OR within a facet, +N for what a value adds, no dead offers."""

import re

import pytest

from articles.facet_offers import settle_offers
from articles.selectors import FacetOption, Facets

pytestmark = pytest.mark.django_db

QUERIES = [
    "",
    "region=610000",
    "region=611000&theme=epidemic",
    "theme=epidemic",
    "theme=epidemic&theme=economy",
    "year=2022",
    "year=unknown&month=10",
    "kind=article",
]


def listed_total(response) -> int:
    return response.context["page_obj"].paginator.count


def options_of(facets):
    def walk(options):
        for option in options:
            yield option
            yield from walk(option.children)

    for name in ("regions", "themes", "years", "months", "sources", "kinds"):
        for option in walk(getattr(facets, name)):
            yield name, option


@pytest.mark.parametrize("query", QUERIES)
def test_every_offered_value_changes_the_list_by_exactly_what_its_count_says(client, query):
    response = client.get(f"/articles/?{query}")
    total = listed_total(response)
    for name, option in options_of(response.context["facets"]):
        if option.selected:
            continue
        assert option.count > 0, (name, option.value)  # a value with nothing behind it is never offered
        if not option.url:
            continue
        after = listed_total(client.get(option.url))
        assert after != total, (name, option.value, option.url)  # an offer always changes the list
        if option.adds:
            assert after == total + option.count, (name, option.value)  # +N: what ticking it adds
        elif name != "regions" or not any(o.selected for _n, o in options_of(response.context["facets"]) if _n == "regions"):
            assert after == option.count, (name, option.value)  # nothing chosen in its facet: it narrows to N


@pytest.mark.parametrize("query", QUERIES)
def test_values_shown_without_a_link_could_not_change_the_list(client, query):
    response = client.get(f"/articles/?{query}")
    total = listed_total(response)
    for name, option in options_of(response.context["facets"]):
        if option.url or option.selected:
            continue
        # What a link would have been: the value ticked.
        from django.http import QueryDict

        from articles.views import toggle_url

        key = {"regions": "region", "themes": "theme", "years": "year", "months": "month", "sources": "source", "kinds": "kind"}[name]
        params = QueryDict(query)
        if name == "regions":
            selected = [code for code in params.getlist("region")]
            related = [code for code in selected if code[:2] == option.value[:2]]
            url = toggle_url(params, key, option.value, conflicts=related)
        else:
            url = toggle_url(params, key, option.value)
        assert listed_total(client.get(url)) == total, (name, option.value)


def test_the_page_says_any_of_and_shows_checkboxes(client):
    html = client.get("/articles/?theme=epidemic").content.decode()
    assert html.count('class="facet-mode"') == 5  # regions, themes, dates, sources, kinds
    assert "任一" in html and "列出符合任一值的文章" in html
    chosen = re.search(r'<a class="facet-option is-selected"[^>]*>.*?</a>', html, re.S).group(0)
    assert 'class="tick"' in chosen and "（已选）" in chosen
    party = re.search(r'<a class="facet-option"[^>]*theme=party-building[^>]*>.*?</a>', html, re.S).group(0)
    assert re.search(r'<span class="count"><span class="visually-hidden">勾选后增加</span>\+2</span>', party)


def test_values_that_cannot_change_the_list_are_not_links(client):
    html = client.get("/articles/?region=411524").content.decode()  # 商城县: both articles
    html = html[html.index('<aside id="facets"'):]
    # 河南省 and 信阳市 hold exactly the county's two articles: swapping them in changes nothing.
    inert = re.findall(r'<span class="facet-option is-inert"[^>]*>.*?<span class="facet-label">([^<]+)', html, re.S)
    assert "河南省" in inert and "信阳市" in inert
    assert 'href="/articles/?region=410000"' not in html


def test_english_interface_translates_the_new_words(client):
    from django.utils import translation

    with translation.override("zh-hans"):  # the middleware's English must not outlive the request
        html = client.get("/articles/?theme=epidemic&lang=en").content.decode()
    assert "any of" in html and "任一" not in html


def test_settle_offers_on_hand_made_options():
    province = FacetOption("610000", "陕西省", 9, url="/p", children=[FacetOption("611000", "商洛市", 9, url="/c", selected=True)])
    other = FacetOption("140000", "山西省", 4, url="/s")
    themes = [FacetOption("a", "甲", 9, url="/a"), FacetOption("b", "乙", 3, url="/b")]
    facets = Facets(regions=[province, other], themes=themes, years=[], months=[], sources=[], kinds=[])
    settle_offers(facets, 9)
    assert province.url == ""  # the same nine articles as the chosen city
    assert other.adds and other.url == "/s"
    assert themes[0].url == "" and themes[1].url == "/b" and not themes[1].adds
    estimated = Facets(regions=[], themes=[FacetOption("a", "甲", 9, url="/a")], years=[], months=[], sources=[], kinds=[])
    settle_offers(estimated, 9, estimated=True)
    assert estimated.themes[0].url == "/a"  # estimates never unlink
