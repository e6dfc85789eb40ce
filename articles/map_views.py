"""/map/ and /map/<province>/: the region map pages (articles.regionmap), under the list's other filters."""

from __future__ import annotations


from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from articles.catalogue import cached_page
from articles.filters import ArticleFilter
from articles.models import Region
from articles.regionmap import areas, city_counts, has_map, label_size, outlines, province_counts
from articles.selectors import public_articles, search_total, tally_for
from articles.text.pinyin import pinyin_sorted
from articles.views import _params, list_url, with_values


def _filters(request: HttpRequest) -> tuple[ArticleFilter, str]:
    """The list's filters of this request, the region one aside (the map is the region choice), and the query to carry."""
    filterset = ArticleFilter(request.GET, queryset=public_articles(), request=request)
    return filterset, _params(request.GET, drop=["region"]).urlencode()


def _region_rows(filterset: ArticleFilter) -> tuple[dict, float, bool]:
    """The list's own tally of places under the other filters: (rows, scale, estimated).

    The same cached tally the list page counts its region facet from, so the
    map costs no count of its own and an editor's save refreshes it rather
    than recounting; a broad search's counts are estimated from a sample, as
    the list's are (selectors.search_total).
    """
    estimated = search_total(filterset)[1] if filterset.searching else False
    tally = tally_for(filterset, estimated=estimated, exact=True)
    return tally.regions, tally.scale or 1.0, estimated


def _with_query(path: str, query: str) -> str:
    return f"{path}?{query}" if query else path


def _places(shapes) -> list:
    """The shaded places with articles, as the text list beside the map: pinyin order."""
    return pinyin_sorted([area for area in shapes if area.count], key=lambda area: area.name)


@cached_page("map")
def china_map(request: HttpRequest) -> HttpResponse:
    filterset, query = _filters(request)
    rows, scale, estimated = _region_rows(filterset)
    counts = province_counts(rows, scale)
    data = outlines()["china"]
    shapes, legend = areas(data, counts)
    regions = {region.code: region for region in Region.objects.filter(level=Region.Level.PROVINCE)}
    carried = _params(request.GET, drop=["region"])
    for area in shapes:
        region = regions.get(area.code)
        area.short = area.name
        if region is None:
            continue  # Hong Kong, Macao, Taiwan: outlined, not in the gazetteer, never counted
        area.name = region.name
        if area.count:
            area.url = with_values(carried, "region", [area.code])
            if has_map(area.code):
                area.map_url = _with_query(reverse("articles:map-province", args=[area.code]), query)
    context = _map_context(shapes, legend, data, filterset, estimated, total=sum(counts.values()))
    context |= {"inset": data.get("inset", ""), "list_url": list_url(carried), "region": None}
    return render(request, "articles/map.html", context)


@cached_page("map")
def province_map(request: HttpRequest, code: str) -> HttpResponse:
    region = get_object_or_404(Region, code=code)
    if region.level != Region.Level.PROVINCE or not has_map(code):
        raise Http404
    filterset, query = _filters(request)
    rows, scale, estimated = _region_rows(filterset)
    counts = city_counts(rows, code, scale)
    data = outlines()["provinces"][code]
    shapes, legend = areas(data, counts)
    names = dict(Region.objects.filter(code__in=list(data["regions"])).values_list("code", "name"))
    carried = _params(request.GET, drop=["region"])
    for area in shapes:
        area.short = area.name
        if area.code in names:
            area.name = names[area.code]
            if area.count:
                area.url = with_values(carried, "region", [area.code])
    context = _map_context(shapes, legend, data, filterset, estimated, total=sum(counts.get(area.code, 0) for area in shapes))
    context |= {
        "inset": "",
        "list_url": with_values(carried, "region", [code]),
        "region": region,
        "country_url": _with_query(reverse("articles:map"), query),
    }
    return render(request, "articles/map.html", context)


def _map_context(shapes, legend, data: dict, filterset: ArticleFilter, estimated: bool, *, total: int) -> dict:
    """What both map pages show: the shaded areas, the places beside them, the legend and the filters counted under."""
    return {
        "areas": shapes,
        "places": _places(shapes),
        "legend": legend,
        "view_box": data["viewBox"],
        "label_size": label_size(data["viewBox"]),
        "total": total,
        "estimated": estimated,
        "filters": _filter_labels(filterset),
    }


def _filter_labels(filterset: ArticleFilter) -> list[str]:
    """The other filters the map counts under, as words (the page says what it shows)."""
    labels = [theme.name for theme in filterset.value("theme") or []]
    labels += [source.name for source in filterset.value("source") or []]
    labels += list(filterset.value("year") or [])
    q = (filterset.value("q") or "").strip()
    if q:
        labels.append(f"“{q}”")
    return labels
