"""The read-only JSON API under /api/ (django-ninja), with its OpenAPI 3 schema at /api/openapi.json.

/api/articles/ takes exactly the list page's parameters and runs the list
page's FilterSet, total and facet counts (articles.selectors, through the same
catalogue cache), so for one query the API and the page always agree. Every
answer is public data only; nothing here writes. See docs/api.md.
"""

from __future__ import annotations

from typing import Annotated, Literal

from django.conf import settings
from django.core.paginator import EmptyPage, Paginator
from django.http import HttpRequest, HttpResponse, QueryDict
from django.urls import reverse
from ninja import Field, NinjaAPI, Path, Query, Schema, Status
from ninja.errors import ValidationError
from ninja.renderers import JSONRenderer
from ninja.throttling import AnonRateThrottle
from pydantic import StringConstraints

from articles.filters import FILTER_PARAMS, SORT_RELEVANCE, ArticleFilter
from articles.models import Article, Source, Theme
from articles.selectors import (
    FacetOption,
    Facets,
    facets_from,
    list_counts,
    relevance_ranked,
    listing_rows,
    public_articles,
    region_tree_from,
    source_options,
    tally_for,
    theme_options,
)
from articles.templatetags.portal import excerpt_of, headline_of
from articles.text.pinyin import pinyin_sorted

API_PATH = "/api/"


class SettingsRateThrottle(AnonRateThrottle):
    """Requests per client address, at the rate settings.NEWSROOM_API_RATE names when the request comes."""

    def __init__(self) -> None:
        super().__init__(rate=settings.NEWSROOM_API_RATE)

    def allow_request(self, request: HttpRequest) -> bool:
        self.rate = settings.NEWSROOM_API_RATE
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request)


class ReadableJSONRenderer(JSONRenderer):
    """Chinese as UTF-8, not \\u escapes: what curl shows is readable."""

    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(
    title="地方新闻阅览 API",
    version="1",
    description=(
        "Read-only access to the portal's public articles, with the list page's filters, search, "
        "sort, pagination and facet counts. Anonymous, GET only, CORS open; rate-limited per client "
        "address (NEWSROOM_API_RATE, default 60/min): over it the answer is 429."
    ),
    urls_namespace="api",
    docs_url=None,  # the interactive docs page needs inline scripts; docs/api.md instead
    throttle=[SettingsRateThrottle()],
    renderer=ReadableJSONRenderer(),
)


# --- Schemas ------------------------------------------------------------------------


class ProblemOut(Schema):
    param: str
    messages: list[str]


class ErrorOut(Schema):
    detail: str
    problems: list[ProblemOut] = []


class RegionRef(Schema):
    code: str
    name: str
    level: str


class ThemeRef(Schema):
    slug: str
    name: str


class SourceRef(Schema):
    id: int
    name: str
    kind: str


class ArticleOut(Schema):
    id: str = Field(description="the permalink id")
    url: str = Field(description="absolute permalink")
    api_url: str
    kind: str
    title: str = Field(description="the title; for an untitled item its first sentence, in ［］")
    title_made_up: bool = Field(description="true when the item prints no title and `title` is made up from its first sentence")
    kicker: str
    subtitle: str
    bylines: list[str]
    bylines_role: str = Field(description='"author", or "photographer" for the credits of a photo item (摄影)')
    date: str | None = Field(description="ISO 8601, as precise as known: 2022, 2022-04, 2022-04-08 or --04-08")
    year: int | None
    month: int | None
    day: int | None
    source: SourceRef | None
    page: str
    regions: list[RegionRef] = Field(description="the primary region from province down")
    themes: list[ThemeRef]
    excerpt: str


class BlockOut(Schema):
    kind: str
    text: str


class CitationLinks(Schema):
    gbt7714: str
    bibtex: str
    ris: str
    csl_json: str


class ArticleDetailOut(ArticleOut):
    body: str
    blocks: list[BlockOut]
    keywords: list[str]
    script: str = Field(description="the script the article was written in: hans or hant")
    issuer: str
    citations: CitationLinks


class FacetOut(Schema):
    value: str
    label: str
    count: int
    estimated: bool = False
    selected: bool
    children: list[FacetOut] = []


FacetOut.model_rebuild()


class FacetsOut(Schema):
    regions: list[FacetOut]
    themes: list[FacetOut]
    years: list[FacetOut]
    months: list[FacetOut]
    sources: list[FacetOut]
    kinds: list[FacetOut]


class ArticlePageOut(Schema):
    count: int
    estimated: bool = Field(description="count and facet counts scaled up from a sample (very broad searches, and facet counts still being computed exactly)")
    page: int
    pages: int
    page_size: int
    sort: str
    next: str | None
    previous: str | None
    results: list[ArticleOut]
    facets: FacetsOut


class RegionNodeOut(Schema):
    code: str
    name: str
    level: str
    count: int
    children: list[RegionNodeOut] = []


RegionNodeOut.model_rebuild()


class ThemeOut(Schema):
    slug: str
    name: str
    description: str
    count: int


class SourceOut(Schema):
    id: int
    name: str
    kind: str
    home_page: str
    count: int


class ArticleQuery(Schema):
    """The list page's parameters (see articles.filters); several values of one parameter are OR-ed."""

    region: list[Annotated[str, StringConstraints(pattern=r"^[0-9]{6}$")]] | None = Field(
        None, description="region code (GB/T 2260) at any level"
    )
    theme: list[Annotated[str, StringConstraints(pattern=r"^[-a-z0-9_]{1,64}$")]] | None = Field(
        None, description="theme slug"
    )
    year: list[Annotated[str, StringConstraints(pattern=r"^([12][0-9]{3}|unknown)$")]] | None = Field(
        None, description="four-digit year, or unknown"
    )
    month: list[Annotated[str, StringConstraints(pattern=r"^([1-9]|0[1-9]|1[0-2]|unknown)$")]] | None = Field(
        None, description="1–12, or unknown"
    )
    source: list[Annotated[str, StringConstraints(pattern=r"^[0-9]{1,9}$")]] | None = Field(
        None, description="source id"
    )
    kind: list[Literal["article", "photo", "continuation"]] | None = None
    from_: str | None = Field(
        None, alias="from", pattern=r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$", description="first day of a date range, YYYY-MM-DD"
    )
    to: str | None = Field(
        None, pattern=r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$", description="last day of a date range, YYYY-MM-DD (inclusive)"
    )
    q: str | None = Field(None, description="full-text search", max_length=200)
    sort: Literal["relevance", "date", "oldest", "title"] | None = None
    page: int = Field(1, ge=1, le=100_000)


ERRORS = {400: ErrorOut, 404: ErrorOut, 429: ErrorOut}


@api.exception_handler(ValidationError)
def bad_parameters(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    """Malformed parameters are the client's mistake: 400 naming them, never a 422 or a 500."""
    problems = []
    for error in exc.errors:
        # loc is ("query", "params", "region", 0): the parameter is the first name after the grouping schema.
        names = [str(part) for part in error.get("loc", ())[1:] if part != "params" and not isinstance(part, int)]
        problems.append({"param": names[0] if names else "request", "messages": [str(error.get("msg", ""))]})
    return api.create_response(request, {"detail": "参数无效。", "problems": problems}, status=400)


# --- Serialising -------------------------------------------------------------------------


def _article(request: HttpRequest, article: Article) -> dict:
    return {
        "id": article.public_id,
        "url": request.build_absolute_uri(article.get_absolute_url()),
        "api_url": request.build_absolute_uri(reverse("api:article", args=[article.public_id])),
        "kind": article.kind,
        "title": headline_of(article),
        "title_made_up": article.title_is_made_up,
        "kicker": article.kicker,
        "subtitle": article.subtitle,
        "bylines": [name for name in article.bylines or [] if name],
        "bylines_role": "photographer" if article.credits_photographers else "author",
        "date": article.date_iso,
        "year": article.year,
        "month": article.month,
        "day": article.day,
        "source": (
            {"id": article.source.pk, "name": article.source.name, "kind": article.source.kind}
            if article.source_id
            else None
        ),
        "page": article.page,
        "regions": [
            {"code": region.code, "name": region.name, "level": region.level}
            for region in (article.province, article.city, article.county)
            if region is not None
        ],
        "themes": [{"slug": theme.slug, "name": theme.name} for theme in article.themes.all()],
        "excerpt": excerpt_of(article, 140),
    }


def _facet(option: FacetOption) -> dict:
    return {
        "value": option.value,
        "label": str(option.label),
        "count": option.count,
        "estimated": bool(getattr(option, "estimated", False)),
        "selected": option.selected,
        "children": [_facet(child) for child in option.children],
    }


def _facets(facets: Facets) -> dict:
    names = ("regions", "themes", "years", "months", "sources", "kinds")
    return {name: [_facet(option) for option in options] for name, options in zip(names, facets)}


def _page_url(request: HttpRequest, page: int) -> str:
    query = request.GET.copy()
    query["page"] = str(page)
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")


# --- Endpoints ----------------------------------------------------------------------------


@api.get("/articles/", response={200: ArticlePageOut, **ERRORS}, url_name="articles", tags=["articles"])
def articles(request: HttpRequest, params: Query[ArticleQuery]):
    """The public articles under the list page's filters, one page at a time, with every facet's counts."""
    data = QueryDict(mutable=True)
    for name in FILTER_PARAMS:
        data.setlist(name, request.GET.getlist(name))
    filterset = ArticleFilter(data, queryset=public_articles())
    problems = filterset.problems
    if problems:
        return Status(400, {
            "detail": "有些筛选条件无法识别。",
            "problems": [{"param": name, "messages": messages} for name, _label, messages in problems],
        })
    ids = filterset.qs.values_list("pk", flat=True)
    # The list page's counting (articles.views.article_list) and its cache entries: one total and one
    # set of facet counts per query, shared by both. A broad search's counts are estimates there and here.
    tally, total, estimated = list_counts(filterset)
    facets = facets_from(tally, filterset)
    sort = filterset.current_sort
    results = relevance_ranked(filterset, ids, total) if sort == SORT_RELEVANCE else ids
    paginator = Paginator(results, settings.NEWSROOM_PAGE_SIZE)
    paginator.count = total  # known already; saves a COUNT(*)
    try:
        page = paginator.page(params.page)
    except EmptyPage:
        return Status(404, {"detail": f"没有第 {params.page} 页；共 {paginator.num_pages} 页。"})
    rows = listing_rows(list(page.object_list))
    return {
        "count": total,
        "estimated": estimated,
        "page": page.number,
        "pages": paginator.num_pages,
        "page_size": paginator.per_page,
        "sort": sort,
        "next": _page_url(request, page.next_page_number()) if page.has_next() else None,
        "previous": _page_url(request, page.previous_page_number()) if page.has_previous() else None,
        "results": [_article(request, article) for article in rows],
        "facets": _facets(facets),
    }


@api.get(
    "/articles/{article_id}/",
    response={200: ArticleDetailOut, 410: ErrorOut, **ERRORS},
    url_name="article",
    tags=["articles"],
)
def article(request: HttpRequest, article_id: str = Path(..., pattern="^[0-9a-z]{1,16}$")):
    """One public article with its text; 410 when a re-ingest removed it, 404 when it never was public."""
    rows = listing_rows(list(public_articles().filter(public_id=article_id).values_list("pk", flat=True)[:1]))
    if not rows:
        removed = Article.objects.filter(
            public_id=article_id, removed_at__isnull=False, status=Article.Status.PUBLISHED
        ).exists()
        if removed:
            return Status(410, {"detail": "这篇文章已在重新导入时移除。"})
        return Status(404, {"detail": "没有这篇文章。"})
    item = rows[0]
    full = Article.objects.only("body", "blocks", "keywords", "script", "issuer").get(pk=item.pk)
    permalink = item.get_absolute_url()
    data = _article(request, item)
    data.update(
        body=full.body,
        blocks=[
            {"kind": str(block.get("kind", "paragraph")), "text": str(block.get("text", ""))}
            for block in full.blocks or []
            if isinstance(block, dict)
        ],
        keywords=[str(word) for word in full.keywords or []],
        script=full.script,
        issuer=full.issuer,
        citations={
            "gbt7714": request.build_absolute_uri(permalink + "cite.txt"),
            "bibtex": request.build_absolute_uri(permalink + "cite.bib"),
            "ris": request.build_absolute_uri(permalink + "cite.ris"),
            "csl_json": request.build_absolute_uri(permalink + "cite.json"),
        },
    )
    return data


def _region(option: FacetOption) -> dict:
    return {
        "code": option.value,
        "name": str(option.label),
        "level": option.level,
        "count": option.count,
        "children": [_region(child) for child in option.children],
    }


@api.get("/regions/", response={200: list[RegionNodeOut], 429: ErrorOut}, url_name="regions", tags=["facets"])
def regions(request: HttpRequest):
    """Provinces → cities → counties that have public articles, each with its number of articles."""
    tally = tally_for(ArticleFilter.of(), exact=True)
    tree = region_tree_from(tally.regions, tally.region_names, expand=["*"], depth=3)
    return [_region(option) for option in tree]


@api.get("/themes/", response={200: list[ThemeOut], 429: ErrorOut}, url_name="themes", tags=["facets"])
def themes(request: HttpRequest):
    """Every campaign theme with its number of public articles."""
    tally = tally_for(ArticleFilter.of(), exact=True)
    counts = {option.value: option.count for option in theme_options(tally.themes, tally.theme_labels)}
    return [
        {"slug": theme.slug, "name": theme.name, "description": theme.description, "count": counts.get(theme.slug, 0)}
        for theme in Theme.objects.order_by("slug")
    ]


@api.get("/sources/", response={200: list[SourceOut], 429: ErrorOut}, url_name="sources", tags=["facets"])
def sources(request: HttpRequest):
    """The newspapers and websites that have public articles, with their numbers."""
    tally = tally_for(ArticleFilter.of(), exact=True)
    counts = {int(option.value): option.count for option in source_options(tally.sources, tally.source_names)}
    return [
        {"id": source.pk, "name": source.name, "kind": source.kind, "home_page": source.home_page, "count": counts[source.pk]}
        for source in pinyin_sorted(list(Source.objects.filter(pk__in=counts)), key=lambda source: source.name)
    ]


class CorsForReadsMiddleware:
    """CORS for the API: any origin may GET it (public, anonymous data); preflights answered here."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(API_PATH):
            return self.get_response(request)
        if request.method == "OPTIONS" and "HTTP_ACCESS_CONTROL_REQUEST_METHOD" in request.META:
            response = HttpResponse(status=204)
            response["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
            response["Access-Control-Allow-Headers"] = request.META.get("HTTP_ACCESS_CONTROL_REQUEST_HEADERS", "")
            response["Access-Control-Max-Age"] = "86400"
        else:
            response = self.get_response(request)
        response["Access-Control-Allow-Origin"] = "*"
        return response
