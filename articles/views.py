"""Public pages of the portal: the faceted list, landing pages, the reading page."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from functools import lru_cache
from urllib.parse import quote, urlencode

from django.conf import settings
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import Http404, HttpRequest, HttpResponse, QueryDict, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _

from articles import search_views
from articles.catalogue import cached, cached_page, current_version, page_depends_on, page_is_provisional
from articles.facet_offers import settle_offers
from articles.citations import gbt7714 as citation
from articles.citations import highwire_tags
from articles.reading_limits import PINYIN_SAMPLE_CHARS, iter_lines, raw_window, visible_blocks
from articles.browse import neighbours, source_issues
from articles.filters import FILTER_PARAMS, SORT_DATE, SORT_OLDEST, SORT_RELEVANCE, SORT_TITLE, UNKNOWN, ArticleFilter
from articles.models import Article, Region, Source, Theme
from articles.middleware import HANS, is_traditional
from articles.search import highlight_snippet
from articles.reasons import removed_reasons
from articles.text.clean import has_toned_pinyin, pinyin_annotation_spans
from articles.selectors import (
    NewestIds,
    FacetOption,
    Tally,
    date_options,
    facets_from,
    latest,
    list_counts,
    relevance_ranked,
    listing_rows,
    other_articles_of_file,
    page_unaffected,
    public_articles,
    region_tree_from,
    related_articles,
    scale_estimates,
    source_options,
    sub_regions_from,
    theme_options,
)
from articles.templatetags.portal import excerpt_of, headline_of



# --- Query strings ---------------------------------------------------------------
# Every facet link is the current query with one value added or removed; the
# page number and the script switch never travel in them.

LIST_URL_NAME = "articles:list"
NOT_CARRIED = ("page", "script", "lang")


def _params(query: QueryDict, drop: Iterable[str] = ()) -> QueryDict:
    params = query.copy()
    for key in (*NOT_CARRIED, *drop):
        params.pop(key, None)
    return params


@lru_cache(maxsize=32)
def _reversed(name: str, prefix: str, urlconf) -> str:
    return reverse(name, urlconf=urlconf)


def list_url(params: QueryDict | dict | None = None) -> str:
    # A list page links ~200 toggled lists: reverse() once per script prefix and URLconf, not per link.
    base = _reversed(LIST_URL_NAME, get_script_prefix(), get_urlconf())
    if params is None:
        return base
    if not isinstance(params, QueryDict):  # a plain dict (QueryDict is a dict too)
        query = QueryDict(mutable=True)
        for key, values in params.items():
            query.setlist(key, values if isinstance(values, list) else [values])
        params = query
    encoded = params.urlencode()
    return f"{base}?{encoded}" if encoded else base


def with_values(query: QueryDict, key: str, values: list[str]) -> str:
    """The list with ``key`` set to ``values`` (left out when empty); the other parameters kept, in their order."""
    return ListLinks(query).with_values(key, values)


class ListLinks:
    """Links to the list with one parameter changed: the ~200 facet links of a page, the query encoded once.

    Same addresses as changing a copy of the QueryDict and encoding it (a
    changed key keeps its place, a new one goes last), without a deep copy
    and a whole urlencode per link: those were ~10 ms of every list page.
    """

    def __init__(self, query: QueryDict) -> None:
        self.base = list_url()
        self.encoding = query.encoding  # as QueryDict.urlencode encodes
        self.values = {key: values for key, values in query.lists() if key not in NOT_CARRIED}
        self._encoded: dict[tuple[str, str], str] = {}
        self.parts = {key: [self._encode(key, value) for value in values] for key, values in self.values.items()}

    def _encode(self, key: str, value: str) -> str:
        encoded = self._encoded.get((key, value))
        if encoded is None:
            encoded = self._encoded[(key, value)] = urlencode({key.encode(self.encoding): value.encode(self.encoding)})
        return encoded

    def with_values(self, key: str, values: list[str]) -> str:
        """The list with ``key`` set to ``values`` (left out when empty)."""
        changed = [self._encode(key, value) for value in values]
        parts: list[str] = []
        for name, encoded in self.parts.items():
            parts += changed if name == key else encoded
        if key not in self.parts:
            parts += changed
        return f"{self.base}?{'&'.join(parts)}" if parts else self.base

    def toggle(self, key: str, value: str, *, conflicts: Iterable[str] = ()) -> str:
        """The list with ``value`` of ``key`` switched on or off; ``conflicts`` are dropped when switching on."""
        current = [v for v in self.values.get(key, ()) if v]
        if value in current:
            return self.with_values(key, [v for v in current if v != value])
        conflicts = set(conflicts)
        return self.with_values(key, [v for v in current if v not in conflicts] + [value])


def alongside(list_address: str, url_name: str) -> str:
    """The same filters under another view of the list: its feed, export or API address."""
    query = list_address.partition("?")[2]
    base = reverse(url_name)
    return f"{base}?{query}" if query else base


def toggle_url(query: QueryDict, key: str, value: str, *, conflicts: Iterable[str] = ()) -> str:
    """The list with ``value`` of ``key`` switched on or off; ``conflicts`` are dropped when switching on."""
    return ListLinks(query).toggle(key, value, conflicts=conflicts)


def _assign_urls(options: list[FacetOption], make_url: Callable[[FacetOption, list[str]], str], path=()) -> None:
    for option in options:
        option.url = make_url(option, list(path))
        _assign_urls(option.children, make_url, (*path, option.value))


# --- The list ------------------------------------------------------------------------


class CountedPaginator(Paginator):
    """A Paginator told its total, so a cached count saves the COUNT(*) over the whole result."""

    def __init__(self, object_list, per_page: int, count: int):
        super().__init__(object_list, per_page)
        self._known_count = count

    @cached_property
    def count(self) -> int:
        return self._known_count


def _page(
    request: HttpRequest, queryset, total: int, *, estimated: bool = False, ranked_for=None, newest_for=None
) -> tuple:
    """The requested page of results, and a message if the page number was not usable.

    Pages over ids, then loads only that page's rows (a deferred join): a
    database sorting whole rows, bodies and all, to keep twenty is what makes
    a big table slow. ``total`` comes from the cached counts (a Tally, or a
    search's bounded count: exact up to EXACT_COUNT_UP_TO, ``estimated``
    above). With ``ranked_for`` (the filterset of a search in relevance
    order) RankedHits ranks (on PostgreSQL) only the newest 2000 hits, then
    lists the rest newest first: ranking every hit of a broad word is what
    made such searches slow (selectors.relevance_ranked). With ``newest_for``
    (the filterset of a list newest first) the facet index picks each page
    when it can (selectors.NewestIds).
    """
    ids = queryset.values_list("pk", flat=True)
    if ranked_for is not None:
        results = relevance_ranked(ranked_for, ids, total)
    elif newest_for is not None:
        results = NewestIds(newest_for, ids)
    else:
        results = ids
    paginator = CountedPaginator(results, settings.NEWSROOM_PAGE_SIZE, total)
    number = request.GET.get("page") or 1
    problem = None
    try:
        page = paginator.page(number)
    except PageNotAnInteger:
        page, problem = paginator.page(1), _("页码 %(page)s 不是数字，已显示第 1 页。") % {"page": number}
    except EmptyPage:
        last = paginator.num_pages
        page = paginator.page(last)
        problem = _("没有第 %(page)s 页，已显示最后一页（第 %(last)d 页）。") % {"page": number, "last": last}
    page.object_list = listing_rows(list(page.object_list))
    page.estimated = estimated
    return page, problem


def _chips(filterset: ArticleFilter, query: QueryDict, links: ListLinks) -> list[dict]:
    """Active filters as removable chips."""
    chips = []

    def chip(key: str, value: str, label: str, facet: str) -> None:
        current = query.getlist(key)
        chips.append(
            {"facet": facet, "label": label, "url": links.with_values(key, [v for v in current if v != value]), "param": key}
        )

    for region in filterset.value("region") or []:
        chip("region", region.code, region.name, _("地区"))
    for theme in filterset.value("theme") or []:
        chip("theme", theme.slug, theme.name, _("主题"))
    for year in filterset.value("year") or []:
        chip("year", year, _("年份不详") if year == UNKNOWN else _("%(year)s年") % {"year": year}, _("年份"))
    for month in filterset.value("month") or []:
        label = _("月份不详") if month == UNKNOWN else _("%(month)d月") % {"month": int(month)}
        chip("month", month, label, _("月份"))
    start, end = filterset.value("from"), filterset.value("to")
    if start:
        chip("from", query.get("from", ""), _("%(date)s 起") % {"date": start.isoformat()}, _("日期"))
    if end:
        chip("to", query.get("to", ""), _("至 %(date)s") % {"date": end.isoformat()}, _("日期"))
    for source in filterset.value("source") or []:
        chip("source", str(source.pk), source.name, _("来源"))
    kinds = dict(Article.Kind.choices)
    for kind in filterset.value("kind") or []:
        chip("kind", kind, str(kinds[kind]), _("类型"))
    q = (filterset.value("q") or "").strip()
    if q:
        chips.append({"facet": _("搜索"), "label": q, "url": links.with_values("q", []), "param": "q"})
    return chips


def _results(page, filterset: ArticleFilter) -> list[Article]:
    articles = list(page.object_list)
    q = filterset.value("q") or ""
    if filterset.searching:
        for article in articles:
            article.snippet = highlight_snippet(article, q)
    return articles


def _filter_unaffected(declared: tuple, changes) -> bool:
    """cached_page's test for a page of one filterset's articles.

    ``declared``: (its parameters, whether it shows facet counts, and the
    parameters of other lists whose totals it shows: a no-results page's
    suggestions).
    """
    params, facet_counts, *rest = declared
    counted = rest[0] if rest else []
    token = current_version().token
    # Only the others' totals are shown, which no order changes: counted as a date-ordered list.
    return page_unaffected(_filterset_of(token, params), changes, facet_counts=facet_counts) and all(
        page_unaffected(_filterset_of(token, [*other, ("sort", SORT_DATE)]), changes, facet_counts=False)
        for other in counted
    )


def _filterset_of(token: str, params: Iterable[tuple[str, str]]) -> ArticleFilter:
    # Validating a filter form looks up its regions, themes and sources (a query each) and copies
    # its fields: ~5 ms, paid for every cached page and each of its suggestions after every save.
    # The same parameters under the same token (labels unchanged) give the same filters; only
    # the filters' own parameters are part of the key (not page, utm_… and the like).
    return _validated_filterset(token, tuple((name, value) for name, value in params if name in FILTER_PARAMS))


@lru_cache(maxsize=256)
def _validated_filterset(token: str, params: tuple[tuple[str, str], ...]) -> ArticleFilter:
    query = QueryDict(mutable=True)
    for name, value in params:
        query.appendlist(name, value)
    filterset = ArticleFilter(query, queryset=public_articles())
    filterset.form.is_valid()
    return filterset


def _depends_on_filter(
    request: HttpRequest, params: Iterable[tuple[str, str]], *, facet_counts: bool, totals_of: list | None = None
) -> None:
    page_depends_on(request, (list(params), facet_counts, totals_of or []))


@cached_page("list", unaffected=_filter_unaffected)
def article_list(request: HttpRequest) -> HttpResponse:
    filterset = ArticleFilter(request.GET, queryset=public_articles(), request=request)
    problems = filterset.problems
    key = filterset.cache_key()
    by_relevance = filterset.current_sort == SORT_RELEVANCE
    searching = filterset.searching
    tally, (total, estimated) = _page_counts(request, filterset)
    page, page_problem = _page(
        request, filterset.qs, total, estimated=estimated, ranked_for=filterset if by_relevance else None,
        newest_for=filterset if filterset.current_sort == SORT_DATE else None,
    )
    facets = facets_from(tally, filterset, year_months=False)  # the list shows the selected years' months as their own facet
    query = request.GET
    links = ListLinks(query)

    selected_regions = list(filterset.value("region") or [])
    below = {region.code: {a.code for a in region.ancestors()[1:]} for region in selected_regions}

    def region_link(option: FacetOption, path: list[str]) -> str:
        # Drilling down replaces the broader choice; several branches stay OR-ed.
        conflicts = set(path) | {code for code, ancestors in below.items() if option.value in ancestors}
        return links.toggle("region", option.value, conflicts=conflicts)

    _assign_urls(facets.regions, region_link)
    for key, options in (
        ("theme", facets.themes),
        ("month", facets.months),
        ("source", facets.sources),
        ("kind", facets.kinds),
    ):
        _assign_urls(options, lambda option, path, key=key: links.toggle(key, option.value))
    for option in facets.years:
        option.url = links.toggle("year", option.value)
    settle_offers(facets, page.paginator.count, estimated=page.estimated)

    sort = filterset.current_sort
    sorts = [(SORT_DATE, _("最新")), (SORT_OLDEST, _("最早")), (SORT_TITLE, _("标题"))]
    if filterset.searching:
        sorts.insert(0, (SORT_RELEVANCE, _("相关度")))
    sort_links = [
        {"value": value, "label": label, "url": links.with_values("sort", [value]), "active": value == sort}
        for value, label in sorts
    ]
    results, chips = _results(page, filterset), _chips(filterset, query, links)
    if searching:  # result links carry the search into the article (articles.search_views)
        search_views.mark_hits(results, page, query)
    context = {
        "filter": filterset,
        "page_obj": page,
        "results": results,
        "facets": facets,
        "chips": chips,
        "no_results": search_views.no_results(filterset, query, chips) if searching and not results else None,
        "clear_url": list_url(),
        "problems": problems,
        "page_problem": page_problem,
        "problems_clear_url": list_url(_params(query, drop=[name for name, _label, _m in problems])),
        "sort_links": sort_links,
        "searching": filterset.searching,
        "q": filterset.value("q") or "",
        "hidden_params": [(k, v) for k in FILTER_PARAMS if k not in {"q", "sort"} for v in query.getlist(k)],
        "page_query": _params(query).urlencode(),
        "feed_url": alongside(list_url(_params(query)), "articles:list-feed"),
        "export_csv_url": alongside(list_url(_params(query)), "articles:export-csv"),
        "export_jsonl_url": alongside(list_url(_params(query)), "articles:export-jsonl"),
        "calendar_url": alongside(list_url(_params(query, drop=["from", "to", "sort"])), "articles:calendar"),
        "range_from": query.get("from", "") if filterset.value("from") else "",
        "range_to": query.get("to", "") if filterset.value("to") else "",
        "range_hidden": [(k, v) for k in FILTER_PARAMS if k not in {"from", "to"} for v in query.getlist(k)],
    }
    if not problems:  # a no-results page also shows the totals of its suggestions
        _depends_on_filter(
            request, ((name, value) for name, values in query.lists() for value in values), facet_counts=True,
            totals_of=context["no_results"]["counted"] if context["no_results"] else None,
        )
    return render(request, "articles/list.html", context, status=400 if problems else 200)


# --- Landing pages -------------------------------------------------------------------------


# The home page's region tree shows cities while it has at most this many provinces.
HOME_OPEN_PROVINCES = 6


def _home_counts(tally) -> tuple[list[FacetOption], list[FacetOption], list[FacetOption], list[FacetOption]]:
    # A short tree opens to the cities; a national one lists provinces, whose pages list the rest.
    regions = region_tree_from(tally.regions, tally.region_names, depth=1)
    if len(regions) <= HOME_OPEN_PROVINCES:
        regions = region_tree_from(tally.regions, tally.region_names, expand=["*"], depth=2)
    years, _months = date_options(tally.dates)
    themes = theme_options(tally.themes, tally.theme_labels, include_empty=False)
    sources = source_options(tally.sources, tally.source_names)
    scale_estimates(tally, regions, themes, years, sources)
    return regions, themes, years, sources


@cached_page("home", unaffected=_filter_unaffected)
def home(request: HttpRequest) -> HttpResponse:
    _depends_on_filter(request, (), facet_counts=False)
    public = public_articles()
    tally, (total, total_estimated) = _page_counts(request, ArticleFilter.of())
    regions, themes, years, sources = _home_counts(tally)
    _assign_urls(regions, lambda option, path: reverse("articles:region", args=[option.value]))
    _assign_urls(themes, lambda option, path: reverse("articles:theme", args=[option.value]))
    top = max((year.count for year in years), default=0)
    for year in years:
        year.url = list_url({"year": year.value})
        for month in year.children:
            month.url = list_url({"year": year.value, "month": month.value})
            month.share = round(100 * month.count / top) if top else 0  # one scale with the years
    _assign_urls(sources, lambda option, path: reverse("articles:source", args=[option.value]))
    context = {
        "latest": latest(public, 10),
        "regions": regions,
        "themes": themes,
        "years": years,
        "sources": sources,
        "total": total,
        "total_estimated": total_estimated,
    }
    return render(request, "articles/home.html", context)


def _page_counts(request: HttpRequest, filterset: ArticleFilter) -> tuple[Tally, tuple[int, bool]]:
    """A page's tally and (total, estimated); a page on provisional counts is kept only briefly (page_is_provisional)."""
    tally, total, estimated = list_counts(filterset)
    if tally.provisional:
        page_is_provisional(request)
    return tally, (total, estimated)


def _landing(request: HttpRequest, subject, queryset, total: tuple[int, bool], template: str, context: dict) -> HttpResponse:
    """A region's, theme's or source's own page: its newest articles and a side facet."""
    page, page_problem = _page(request, queryset.newest_first(), total[0], estimated=total[1])
    context |= {
        "subject": subject,
        "page_obj": page,
        "results": list(page.object_list),
        "page_problem": page_problem,
        "page_query": _params(request.GET).urlencode(),
        "feed_url": alongside(context["filter_url"], "articles:list-feed"),
    }
    return render(request, template, context)


@cached_page("region", unaffected=_filter_unaffected)
def region_detail(request: HttpRequest, code: str) -> HttpResponse:
    region = get_object_or_404(Region.objects.select_related("parent__parent"), code=code)
    _depends_on_filter(request, [("region", code)], facet_counts=False)
    articles = public_articles().in_region(region)
    tally, total = _page_counts(request, ArticleFilter.of(region=code))
    children = sub_regions_from(tally.regions, tally.region_names, region)
    themes = theme_options(tally.themes, tally.theme_labels, include_empty=False)
    scale_estimates(tally, children, themes)
    _assign_urls(children, lambda option, path: reverse("articles:region", args=[option.value]))
    _assign_urls(themes, lambda option, path: list_url({"region": code, "theme": option.value}))
    context = {
        "region": region,
        "breadcrumb": list(reversed(region.ancestors()))[:-1],
        "children": children,
        "themes": themes,
        "filter_url": list_url({"region": code}),
    }
    return _landing(request, region, articles, total, "articles/region.html", context)


@cached_page("theme", unaffected=_filter_unaffected)
def theme_detail(request: HttpRequest, slug: str) -> HttpResponse:
    theme = get_object_or_404(Theme, slug=slug)
    _depends_on_filter(request, [("theme", slug)], facet_counts=False)
    articles = public_articles().filter(themes=theme)
    tally, total = _page_counts(request, ArticleFilter.of(theme=slug))
    regions = region_tree_from(tally.regions, tally.region_names, expand=["*"], depth=2)
    scale_estimates(tally, regions)
    _assign_urls(regions, lambda option, path: list_url({"theme": slug, "region": option.value}))
    context = {"theme": theme, "regions": regions, "filter_url": list_url({"theme": slug})}
    return _landing(request, theme, articles, total, "articles/theme.html", context)


# The source page lists this many of its newest issues.
RECENT_ISSUES = 12


@cached_page("source", unaffected=_filter_unaffected)
def source_detail(request: HttpRequest, pk: int) -> HttpResponse:
    source = get_object_or_404(Source, pk=pk)
    _depends_on_filter(request, [("source", str(pk))], facet_counts=False)
    articles = public_articles().filter(source=source)
    tally, total = _page_counts(request, ArticleFilter.of(source=str(pk)))
    years, _months = date_options(tally.dates)
    scale_estimates(tally, years)
    for year in years:
        year.url = list_url({"source": str(pk), "year": year.value})
        year.children = []
    # The newest year's issues (one GROUP BY on the article_source_issue index), newest first.
    newest = next((int(year.value) for year in years if year.value != UNKNOWN), None)
    issues = []
    if newest is not None:
        span = (datetime.date(newest, 1, 1), datetime.date(newest + 1, 1, 1))
        issues = cached("source-issues", f"{pk}:{newest}", lambda: source_issues(source, *span))
    recent = list(reversed(issues))[:RECENT_ISSUES]
    for issue in recent:
        issue.url = reverse("articles:issue", args=[pk, issue.date])
    issue_years = [
        {"label": year.label, "url": reverse("articles:source-issues", args=[pk, int(year.value)])}
        for year in years if year.value != UNKNOWN
    ]
    context = {
        "source": source, "years": years, "filter_url": list_url({"source": str(pk)}),
        "recent_issues": recent, "issue_years": issue_years,
    }
    return _landing(request, source, articles, total, "articles/source.html", context)


# --- Reading ------------------------------------------------------------------------------


def _article_or_404(public_id: str) -> Article:
    queryset = Article.objects.select_related("source", "region", "province", "city", "county").prefetch_related(
        "themes"
    )
    return get_object_or_404(queryset, public_id=public_id)


def _gone(request: HttpRequest, article: Article) -> HttpResponse:
    context = {"article": article, "others": other_articles_of_file(article)}
    return render(request, "articles/gone.html", context, status=410)


@cached_page("reading", daily=True)
def article_detail(request: HttpRequest, public_id: str, slug: str = "") -> HttpResponse:
    """The permalink /a/<id>/; any slug after the id is decoration."""
    article = _article_or_404(public_id)
    if article.status != Article.Status.PUBLISHED and not request.user.is_staff:
        raise Http404  # hidden or awaiting review: not even its title on a 410 page
    if article.removed_at is not None:
        return _gone(request, article)
    # In Traditional the permalink carries the script, so a shared link opens as it was read.
    script = getattr(request, "script", HANS)
    script_query = f"?script={script}" if is_traditional(script) else ""
    permalink = request.build_absolute_uri(article.get_absolute_url() + script_query)
    context = {
        "article": article,
        "title": headline_of(article),
        "description": excerpt_of(article, 110),
        "permalink": permalink,
        "citation": citation(article, request.build_absolute_uri(article.get_absolute_url())),
        "highwire": highwire_tags(article, request.build_absolute_uri(article.get_absolute_url())),
        "related": related_articles(article),
        "neighbours": neighbours(article),
        "regions": [r for r in (article.province, article.city, article.county) if r is not None],
        "themes": list(article.themes.all()),
    }
    context["blocks"], context["body_truncated"] = visible_blocks(article.blocks or [])
    context |= search_views.reading_search(request, article, context["blocks"])  # opened from a search
    return render(request, "articles/detail.html", context)


def _segments(text: str, removed_spans: list[tuple[int, int]]) -> list[tuple[str, bool]]:
    """A line cut into (text, removed) pieces, so inline removals can be struck through."""
    pieces, position = [], 0
    for start, end in removed_spans:
        if start > position:
            pieces.append((text[position:start], False))
        pieces.append((text[start:end], True))
        position = end
    if position < len(text) or not pieces:
        pieces.append((text[position:], False))
    return pieces


def _withheld_lines(record, user) -> set[int]:
    """Lines of articles an editor hid (or that await review): hidden from readers on 原文 too."""
    withheld: set[int] = set()
    if not user.is_staff:
        for first, last in record.articles.filter(is_public=False).values_list("first_line", "last_line"):
            withheld.update(range(first, last + 1))
        for first, last in record.articles.filter(is_public=True).values_list("first_line", "last_line"):
            withheld.difference_update(range(first, last + 1))
    return withheld


def _readable_source(request: HttpRequest, public_id: str) -> Article | HttpResponse:
    article = _article_or_404(public_id)
    if article.status != Article.Status.PUBLISHED and not request.user.is_staff:
        raise Http404  # hidden or awaiting review: not even its title on a 410 page
    if article.removed_at is not None:
        return _gone(request, article)
    return article


def article_source_text(request: HttpRequest, public_id: str) -> HttpResponse:
    """原文: the input file as ingest received it, stripped lines struck through, one bounded window at a time."""
    article = _readable_source(request, public_id)
    if isinstance(article, HttpResponse):
        return article
    record = article.ingested_file
    removed = set(record.removed_lines or [])
    withheld = _withheld_lines(record, request.user)
    try:
        start = int(request.GET["from"]) if "from" in request.GET else None
    except ValueError:
        start = None
    window = raw_window(record.raw_text, start, article.first_line)
    # Decided once for the file, as ingest does; on the first megacharacters only, so a huge file costs no more.
    bare_syllables = has_toned_pinyin(record.raw_text[:PINYIN_SAMPLE_CHARS])
    reasons = removed_reasons(record.report, window.first, window.last)
    lines = [
        {
            "number": number,
            "segments": _segments(text, pinyin_annotation_spans(text, bare_syllables=bare_syllables)),
            "cut": cut,
            "removed": number in removed,
            "reason": reasons.get(number, ""),
            "withheld": number in withheld,
            "mine": article.first_line <= number <= article.last_line,
        }
        for number, text, cut in window.lines
    ]
    context = {
        "article": article,
        "record": record,
        "lines": lines,
        "window": window,
        "removed_count": len(removed),
        "file_kind": (record.report or {}).get("kind", ""),
        "title": headline_of(article),
    }
    response = render(request, "articles/raw.html", context)
    response.keep_script = True  # the original is shown as it came in
    return response


def article_source_download(request: HttpRequest, public_id: str) -> HttpResponse:
    """The whole normalised text of an article's file as text/plain, streamed (hidden articles' lines left out)."""
    article = _readable_source(request, public_id)
    if isinstance(article, HttpResponse):
        return article
    record = article.ingested_file
    withheld = _withheld_lines(record, request.user)

    def chunks():
        buffer: list[str] = []
        size = 0
        for number, line in iter_lines(record.raw_text):
            buffer.append("" if number in withheld else line)
            size += len(line)
            if size >= 65536:
                yield ("\n".join(buffer) + "\n").encode("utf-8")
                buffer, size = [], 0
        yield "\n".join(buffer).encode("utf-8")

    response = StreamingHttpResponse(chunks(), content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f"inline; filename*=UTF-8''{quote(record.name)}"
    response["X-Robots-Tag"] = "noindex"
    return response
