"""Read-side queries of the portal: facet counts, listings, related articles.

Built for a million-article table. Every count is one GROUP BY on an indexed,
denormalised column of Article (province/city/county, year/month, source,
kind) or on the theme link table; Python only ever walks the grouped rows
(a few hundred at most), never the articles themselves. Names for the codes
that came back are fetched in one query per facet.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import connections, transaction
from django.db.models import Count, Prefetch, Q, QuerySet
from django.db.models.expressions import Col
from django.db.models.lookups import GreaterThanOrEqual, LessThan
from django.utils.translation import gettext_lazy as _

from articles.models import Article, Region, SearchIndexEntry, Source, Theme
from articles.text.pinyin import pinyin_sorted

UNKNOWN = "unknown"
LEVEL_COLUMNS = {"province": "province_id", "city": "city_id", "county": "county_id"}
CHILD_LEVEL = {"province": "city", "city": "county"}


@dataclass
class FacetOption:
    """One value of a facet with the number of articles it would give."""

    value: str
    label: str
    count: int
    selected: bool = False
    level: str = ""
    children: list[FacetOption] = field(default_factory=list)
    open: bool = False  # tree branches: shown expanded
    share: int = 0  # bars: percentage of the largest bar beside it
    url: str = ""  # filled in by the view: the list with this value toggled; empty: ticking it would change nothing
    estimated: bool = False  # scaled up from a sample of the archive (broad searches): shown as 约 N
    adds: bool = False  # the count is what ticking this value adds to the list (OR within a facet): shown as +N


@dataclass
class Facets:
    regions: list[FacetOption]
    themes: list[FacetOption]
    years: list[FacetOption]
    months: list[FacetOption]
    sources: list[FacetOption]
    kinds: list[FacetOption]

    def __iter__(self):
        yield from (self.regions, self.themes, self.years, self.months, self.sources, self.kinds)


def public_articles() -> QuerySet:
    """The public articles every page and facet starts from."""
    return Article.objects.public()


def count_by(queryset: QuerySet, *columns: str) -> list[tuple]:
    """One GROUP BY: rows of (*column values, count)."""
    return list(queryset.order_by().values_list(*columns).annotate(n=Count("*")).order_by())


def _shares(options: list[FacetOption]) -> list[FacetOption]:
    top = max((option.count for option in options), default=0)
    for option in options:
        option.share = round(100 * option.count / top) if top else 0
    return options


# --- Regions -------------------------------------------------------------------


def region_tree(
    queryset: QuerySet,
    selected: Iterable[Region] = (),
    *,
    expand: Iterable[str] = (),
    depth: int = 3,
) -> list[FacetOption]:
    """Provinces with counts; the branches of ``selected`` regions opened down to ``depth``.

    ``expand`` names more region codes to open (``"*"`` opens every province:
    the home page shows provinces and their cities). Two GROUP BY queries at
    most, plus one for the names.
    """
    selected = list(selected)
    selected_codes = {region.code for region in selected}
    open_codes = set(expand)
    for region in selected:
        open_codes.update(ancestor.code for ancestor in region.ancestors())

    provinces = {code: n for code, n in count_by(queryset, "province_id") if code}
    if not selected and len(provinces) == 1 and depth >= 2:
        # Every article lies in one province: ticking it would change nothing, so its cities are shown instead.
        open_codes.update(provinces)
    all_open = "*" in open_codes
    open_provinces = set(provinces) if all_open else {c for c in open_codes if c in provinces or _level(c) == "province"}
    rows: list[tuple] = []
    if open_provinces and depth >= 2:
        branch = queryset if all_open else queryset.filter(province_id__in=sorted(open_provinces))
        columns = ("province_id", "city_id", "county_id") if depth >= 3 else ("province_id", "city_id")
        rows = count_by(branch, *columns)

    cities: dict[str, int] = defaultdict(int)
    counties: dict[str, int] = defaultdict(int)
    city_parent: dict[str, str] = {}
    county_parent: dict[str, str] = {}  # county -> city, or province for counties directly under one
    for row in rows:
        if depth >= 3:
            province, city, county, n = row
        else:
            (province, city, n), county = row, None
        if city:
            cities[city] += n
            city_parent[city] = province
        if county:
            counties[county] += n
            county_parent[county] = city or province

    names = dict(
        Region.objects.filter(code__in=[*provinces, *cities, *counties, *selected_codes]).values_list("code", "name")
    )

    def node(code: str, count: int, level: str) -> FacetOption:
        return FacetOption(
            value=code,
            label=names.get(code, code),
            count=count,
            selected=code in selected_codes,
            level=level,
            open=all_open or code in open_codes,
        )

    # Selected regions with no article under the other filters still appear, so they can be unticked.
    for region in selected:
        if region.level == "province":
            provinces.setdefault(region.code, 0)
        elif region.level == "city" and region.parent_id in open_provinces:
            cities.setdefault(region.code, 0)
            city_parent.setdefault(region.code, region.parent_id)
        elif region.level == "county" and region.parent_id:
            counties.setdefault(region.code, 0)
            county_parent.setdefault(region.code, region.parent_id)

    if not selected and len(provinces) == 1 and depth >= 3:
        (province,) = provinces
        only_cities = [city for city, parent in city_parent.items() if parent == province]
        if len(only_cities) == 1 and cities[only_cities[0]] == provinces[province]:
            open_codes.update(only_cities)  # and its one city's counties, already counted
    province_nodes = {code: node(code, n, "province") for code, n in provinces.items()}
    city_nodes = {code: node(code, n, "city") for code, n in cities.items()}
    for code, n in counties.items():
        parent = county_parent.get(code)
        if parent in city_nodes and (all_open or parent in open_codes):
            city_nodes[parent].children.append(node(code, n, "county"))
        elif parent in province_nodes and (all_open or parent in open_codes):
            province_nodes[parent].children.append(node(code, n, "county"))
    for code, city in city_nodes.items():
        parent = city_parent.get(code)
        if parent in province_nodes:
            province_nodes[parent].children.append(city)
    # Pinyin order of the names, as a reader looks a place up (山西省 shan1 before 陕西省 shan3).
    for province in province_nodes.values():
        province.children = by_pinyin(province.children)
        for child in province.children:
            child.children = by_pinyin(child.children)
    return by_pinyin(list(province_nodes.values()))


def by_pinyin(options: list[FacetOption]) -> list[FacetOption]:
    """Facet options in pinyin order of their labels (places, sources)."""
    return pinyin_sorted(options, key=lambda option: str(option.label))


def _level(code: str) -> str:
    """The level a GB/T 2260 code denotes by its shape (for codes not in the counts)."""
    if code.endswith("0000"):
        return "province"
    if code.endswith("00"):
        return "city"
    return "county"


def sub_regions(queryset: QuerySet, region: Region) -> list[FacetOption]:
    """The children of a region that have articles, with counts (one GROUP BY)."""
    child_level = CHILD_LEVEL.get(region.level)
    if not child_level:
        return []
    counts = {code: n for code, n in count_by(queryset.in_region(region), LEVEL_COLUMNS[child_level]) if code}
    names = dict(Region.objects.filter(code__in=counts).values_list("code", "name"))
    options = [
        FacetOption(value=code, label=names.get(code, code), count=n, level=child_level)
        for code, n in counts.items()
    ]
    return _shares(by_pinyin(options))


# --- Themes, sources, kinds ---------------------------------------------------------


def theme_counts(queryset: QuerySet, selected: Iterable[Theme] = (), *, include_empty: bool = True) -> list[FacetOption]:
    """Every theme with the number of articles it has among ``queryset`` (one GROUP BY).

    With ``selected`` themes (OR-ed by the list), an unselected theme's count is
    what ticking it adds: its articles that no selected theme already lists (an
    article may carry several themes). Same GROUP BY, one more conditional count.
    """
    selected = list(selected)
    links = Article.themes.through.objects
    through = links.filter(article_id__in=queryset.order_by().values("pk"))
    chosen = {theme.slug for theme in selected}
    if selected:
        listed = links.filter(theme_id__in=[theme.pk for theme in selected]).values("article_id")
        rows = through.order_by().values_list("theme_id").annotate(
            n=Count("*"), new=Count("article_id", filter=~Q(article_id__in=listed))
        ).order_by()
        counts = {pk: (n, new) for pk, n, new in rows}
    else:
        counts = {pk: (n, n) for pk, n in count_by(through, "theme_id")}
    options = []
    for theme in Theme.objects.only("pk", "slug", "name"):
        total, added = counts.get(theme.pk, (0, 0))
        is_chosen = theme.slug in chosen
        count = total if is_chosen or not selected else added
        if include_empty or count or is_chosen:
            options.append(
                FacetOption(value=theme.slug, label=theme.name, count=count, selected=is_chosen, adds=bool(selected) and not is_chosen)
            )
    options.sort(key=lambda option: (-option.count, option.value))
    return _shares(options)


def source_counts(queryset: QuerySet, selected: Iterable[Source] = ()) -> list[FacetOption]:
    counts = {pk: n for pk, n in count_by(queryset, "source_id") if pk is not None}
    chosen = {source.pk for source in selected}
    for pk in chosen:
        counts.setdefault(pk, 0)
    names = dict(Source.objects.filter(pk__in=counts).values_list("pk", "name"))
    options = [
        FacetOption(value=str(pk), label=names.get(pk, str(pk)), count=n, selected=pk in chosen)
        for pk, n in counts.items()
    ]
    return _shares(by_pinyin(options))


def kind_counts(queryset: QuerySet, selected: Iterable[str] = ()) -> list[FacetOption]:
    counts = dict(count_by(queryset, "kind"))
    chosen = set(selected or ())
    return _shares(
        [
            FacetOption(value=value, label=str(label), count=counts.get(value, 0), selected=value in chosen)
            for value, label in Article.Kind.choices
            if counts.get(value) or value in chosen
        ]
    )


# --- Dates --------------------------------------------------------------------------


def date_histogram(
    queryset: QuerySet, years: Iterable[str] = (), months: Iterable[str] = ()
) -> tuple[list[FacetOption], list[FacetOption]]:
    """Years (newest first, "year unknown" last), each with its months; one GROUP BY.

    Returns (years, months): ``months`` are the months of the selected years
    (the month facet applies the year filter but not its own), and each year
    also carries its months as children for the home page's histogram.
    """
    chosen_years, chosen_months = set(years or ()), set(months or ())
    by_year: dict[int | None, int] = defaultdict(int)
    by_year_month: dict[int | None, dict[int | None, int]] = defaultdict(lambda: defaultdict(int))
    for year, month, n in count_by(queryset, "year", "month"):
        by_year[year] += n
        by_year_month[year][month] += n

    def token(value: int | None) -> str:
        return UNKNOWN if value is None else str(value)

    def month_options(counts: dict[int | None, int]) -> list[FacetOption]:
        options = [
            FacetOption(
                value=token(month),
                label=_("月份不详") if month is None else _("%(month)d月") % {"month": month},
                count=n,
                selected=token(month) in chosen_months,
            )
            for month, n in sorted(counts.items(), key=lambda item: (item[0] is None, item[0] or 0))
        ]
        return _shares(options)

    year_options = []
    for year, n in sorted(by_year.items(), key=lambda item: (item[0] is None, -(item[0] or 0))):
        if chosen_months:
            # Months are chosen (the list's month facet): a year counts its articles of those months,
            # which is what ticking it gives (or adds), as every other facet's count does.
            n = sum(count for month, count in by_year_month[year].items() if token(month) in chosen_months)
            if not n and token(year) not in chosen_years:
                continue
        option = FacetOption(
            value=token(year),
            label=_("年份不详") if year is None else str(year),
            count=n,
            selected=token(year) in chosen_years,
            children=month_options(by_year_month[year]),
        )
        year_options.append(option)
    for value in sorted(chosen_years - {option.value for option in year_options}):
        year_options.append(FacetOption(value=value, label=_("年份不详") if value == UNKNOWN else value, count=0, selected=True))
    _shares(year_options)

    months_of_selected: dict[int | None, int] = defaultdict(int)
    for year, months_counts in by_year_month.items():
        if token(year) in chosen_years:
            for month, n in months_counts.items():
                months_of_selected[month] += n
    month_facet = month_options(months_of_selected) if chosen_years else []
    for value in sorted(chosen_months - {option.value for option in month_facet}):
        label = _("月份不详") if value == UNKNOWN else _("%(month)d月") % {"month": int(value)}
        month_facet.append(FacetOption(value=value, label=label, count=0, selected=True))
    return year_options, month_facet


# --- The list page ---------------------------------------------------------------------


# --- Bounded counts for broad searches -----------------------------------------------
# A search's hits are counted exactly up to EXACT_COUNT_UP_TO; above that the
# count and every facet count are estimated from the articles in
# SAMPLE_SLICES id ranges spread evenly over the archive (SAMPLE_SIZE ids in
# all), scaled up, and shown as estimates (约 40 万篇). Counting every hit of a
# word found in 40% of a million articles took 15 s cold on PostgreSQL (each
# facet another full scan testing every tsvector) and 3.4 s on SQLite; the
# bounded count stops after EXACT_COUNT_UP_TO + 1 hits and the sample is
# SAMPLE_SIZE primary-key lookups whatever the archive's size. On PostgreSQL
# both run with sequential scans off: the planner, not knowing that @@ must
# detoast each row's tsvector, chose a LIMITed sequential scan that tested
# every row's vector before its province (7 s for 10,001 hits of 疫情 in
# 610000 at 1M, under load) over a BitmapAnd of the GIN and province indexes
# (1.0 s cold from disk, exact bitmaps with the project's work_mem).
EXACT_COUNT_UP_TO = 10_000
SAMPLE_SIZE = 5_000
SAMPLE_SLICES = 10


@dataclass(frozen=True)
class Sample:
    """Id ranges [low, high) selecting a spread-out sample of articles, and the factor from sample to archive."""

    ranges: tuple[tuple[int, int], ...]
    scale: float

    @property
    def condition(self) -> Q:
        condition = Q()
        for low, high in self.ranges:
            condition |= Q(pk__gte=low, pk__lt=high)
        return condition

    def restrict(self, queryset: QuerySet) -> QuerySet:
        """``queryset`` limited to the sample."""
        queryset = queryset.filter(self.condition)
        fts_alias = next(
            (alias for alias, join in queryset.query.alias_map.items() if join.table_name == SearchIndexEntry._meta.db_table),
            None,
        )
        if connections[queryset.db].vendor == "sqlite" and len(self.ranges) == 1 and fts_alias:
            # FTS5 seeks a rowid range inside its doclists only when the range is
            # on its own table: 110 ms instead of 5-15 s (the whole MATCH, joined).
            # A Col keeps the table's alias right inside subqueries too.
            low, high = self.ranges[0]
            rowid = Col(fts_alias, SearchIndexEntry._meta.get_field("article"))
            queryset = queryset.filter(GreaterThanOrEqual(rowid, low), LessThan(rowid, high))
        return queryset


def article_sample(size: int | None = None, slices: int | None = None, using: str = "default") -> Sample | None:
    """About ``size`` article ids in ``slices`` ranges spread over the id space; None for a small archive.

    SQLite gets one range (in the middle of the archive), which its FTS5 table
    can seek; PostgreSQL SAMPLE_SLICES ranges, each a primary-key index range.
    """
    from django.db.models import Max, Min

    size = SAMPLE_SIZE if size is None else size
    if slices is None:
        slices = 1 if connections[using].vendor == "sqlite" else SAMPLE_SLICES
    bounds = Article.objects.using(using).aggregate(low=Min("pk"), high=Max("pk"))  # the primary key index's two ends
    if bounds["low"] is None:
        return None
    span = bounds["high"] - bounds["low"] + 1
    width = size // slices
    if span <= 2 * size or width < 1:
        return None
    step = span // slices
    offset = (step - width) // 2  # each range in the middle of its stretch
    ranges = tuple(
        (bounds["low"] + index * step + offset, bounds["low"] + index * step + offset + width) for index in range(slices)
    )
    return Sample(ranges=ranges, scale=span / (width * slices))


@contextmanager
def index_scans(using: str = "default"):
    """On PostgreSQL, plan the enclosed queries without sequential scans (see above); elsewhere nothing."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic(using=using), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        yield


def bounded_count(queryset: QuerySet, exact_up_to: int = EXACT_COUNT_UP_TO) -> tuple[int, bool]:
    """(count, estimated): exact up to ``exact_up_to``, above that scaled up from article_sample()."""
    with index_scans(queryset.db):
        found = queryset.order_by()[: exact_up_to + 1].count()
        if found <= exact_up_to:
            return found, False
        sample = article_sample(using=queryset.db)
        if sample is None:
            return queryset.order_by().count(), False
        in_sample = sample.restrict(queryset.order_by()).count()
    return max(exact_up_to + 1, round(in_sample * sample.scale)), True


def _scale(options: list[FacetOption], factor: float) -> None:
    for option in options:
        option.count = round(option.count * factor)
        option.estimated = True
        _scale(option.children, factor)


def facet_counts(filterset, sample: Sample | None = None) -> Facets:
    """Counts for every facet of the list page; with ``sample``, estimates from that sample (see bounded_count)."""
    if sample is not None:
        facets = facet_counts(_SampledFilter(filterset, sample))
        for options in (facets.regions, facets.themes, facets.years, facets.months, facets.sources, facets.kinds):
            _scale(options, sample.scale)
        return facets
    return _facet_counts(filterset)


class _SampledFilter:
    """A filterset whose facet querysets are limited to a sample of the archive."""

    def __init__(self, filterset, sample: Sample) -> None:
        self._filterset, self._sample = filterset, sample

    def value(self, name: str):
        return self._filterset.value(name)

    def queryset_for_facet(self, *names: str) -> QuerySet:
        return self._sample.restrict(self._filterset.queryset_for_facet(*names))


def _facet_counts(filterset) -> Facets:
    """Counts for every facet of the list page.

    Each facet applies every other active filter but not its own, so choosing
    one theme still shows what the other themes would give. The date facet is
    one hierarchy: years ignore both date parameters, months apply the year.
    """
    regions = list(filterset.value("region") or [])
    themes = list(filterset.value("theme") or [])
    sources = list(filterset.value("source") or [])
    years, months = date_histogram(
        filterset.queryset_for_facet("year", "month"), filterset.value("year"), filterset.value("month")
    )
    return Facets(
        regions=region_tree(filterset.queryset_for_facet("region"), regions),
        themes=theme_counts(filterset.queryset_for_facet("theme"), themes, include_empty=False),
        years=years,
        months=months,
        sources=source_counts(filterset.queryset_for_facet("source"), sources),
        kinds=kind_counts(filterset.queryset_for_facet("kind"), filterset.value("kind")),
    )


def for_listing(queryset: QuerySet) -> QuerySet:
    """What a result row shows, fetched without a query per row."""
    return queryset.select_related("source", "province", "city", "county").prefetch_related(
        Prefetch("themes", queryset=Theme.objects.only("pk", "slug", "name").order_by("slug"))
    ).defer("warnings", "edited_fields", "issuer", "search_document")


def listing_rows(ids: list[int]) -> list[Article]:
    """The articles with these ids, in this order, ready for a result list (three queries at most)."""
    rows = {article.pk: article for article in for_listing(Article.objects.filter(pk__in=ids))}
    return [rows[pk] for pk in ids if pk in rows]


def latest(queryset: QuerySet | None = None, limit: int = 10) -> list[Article]:
    """The newest articles, ids chosen on the narrow index first (see listing_rows)."""
    queryset = public_articles() if queryset is None else queryset
    return listing_rows(list(queryset.newest_first().values_list("pk", flat=True)[:limit]))


def other_articles_of_file(article: Article, limit: int = 50) -> list[Article]:
    """Public articles that came from the same input file (the 410 page's pointer)."""
    queryset = public_articles().filter(ingested_file_id=article.ingested_file_id).exclude(pk=article.pk)
    return list(for_listing(queryset.order_by("position"))[:limit])


# --- Related articles --------------------------------------------------------------------

# Newest this many of each neighbourhood (same county, same city or province,
# each theme) are scored; every list is one LIMITed walk of its own index.
RELATED_PER_SOURCE = 12
RELATED_MAX_THEMES = 3


def related_candidate_ids(article: Article, per_source: int = RELATED_PER_SOURCE) -> list[int]:
    """Ids of the newest few public articles of the same county, city (or province) and of each theme.

    One bounded query per neighbourhood, so each is answered by walking one
    index newest first and stops after ``per_source`` rows: the county, city
    and province listing indexes, and for a theme the listing index probed
    against the article–theme link's unique (article, theme) index. The
    former single query (an OR of region columns and a theme subquery, sorted)
    read and sorted every article of the city and the themes: 28 s at a
    million articles on PostgreSQL once the theme ids spilled out of work_mem.
    """
    base = public_articles().exclude(pk=article.pk)
    neighbourhoods = []
    if article.county_id:
        neighbourhoods.append(base.filter(county_id=article.county_id))
    if article.city_id:
        neighbourhoods.append(base.filter(city_id=article.city_id))
    elif article.province_id:
        neighbourhoods.append(base.filter(province_id=article.province_id))
    theme_ids = sorted(theme.pk for theme in article.themes.all())[:RELATED_MAX_THEMES]
    through = Article.themes.through.objects
    for theme_id in theme_ids:
        neighbourhoods.append(base.filter(pk__in=through.filter(theme_id=theme_id).values("article_id")))
    ids: list[int] = []
    for queryset in neighbourhoods:
        for pk in queryset.newest_first().values_list("pk", flat=True)[:per_source]:
            if pk not in ids:
                ids.append(pk)
    return ids


def related_articles(article: Article, limit: int = 5) -> list[Article]:
    """Articles sharing the region or a theme, best keyword overlap first.

    The candidates are the newest few of each neighbourhood
    (related_candidate_ids); only those are scored, in Python.
    """
    candidates = listing_rows(related_candidate_ids(article))
    theme_ids = [theme.pk for theme in article.themes.all()]
    keywords = set(article.keywords or [])
    themes = set(theme_ids)

    def score(other: Article) -> tuple:
        shared_keywords = len(keywords & set(other.keywords or []))
        shared_themes = len(themes & {theme.pk for theme in other.themes.all()})
        same_place = 2 if article.county_id and other.county_id == article.county_id else (
            1 if article.city_id and other.city_id == article.city_id else 0
        )
        return (3 * shared_keywords + 2 * shared_themes + same_place, other.date_sort is not None)

    ranked = sorted(candidates, key=score, reverse=True)
    return ranked[:limit]
