"""Read-side queries of the portal: facet counts, listings, related articles.

Built for a million-article table. Every count is one GROUP BY on an indexed,
denormalised column of Article (province/city/county, year/month, source,
kind) or on the theme link table; Python only ever walks the grouped rows
(a few hundred at most), never the articles themselves. Names for the codes
that came back are fetched in one query per facet.
"""

from __future__ import annotations

import logging
from array import array
from collections import defaultdict
from collections.abc import Iterable, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

import numpy as np
from django.conf import settings
from django.db import DatabaseError, connections, transaction
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.db.models.expressions import Col
from django.db.models.lookups import GreaterThanOrEqual, LessThan
from django.utils.translation import gettext_lazy as _

from articles import facet_index
from articles.catalogue import Version, cached, cached_at, changes_between, current_version
from articles.filters import SORT_RELEVANCE
from articles.models import Article, Region, SearchIndexEntry, Source, Theme
from articles.search import RELEVANCE_ORDERING, RankedHits, is_meaningful_query, rank_known_hits
from articles.text.pinyin import pinyin_sorted

logger = logging.getLogger(__name__)

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


RegionRows = dict  # {(province, city, county): count}


def region_rows(queryset: QuerySet) -> RegionRows:
    """One GROUP BY over the three region columns."""
    return {(p, c, k): n for p, c, k, n in count_by(queryset, "province_id", "city_id", "county_id")}


def region_names(codes: Iterable[str]) -> dict[str, str]:
    codes = {code for code in codes if code}
    return dict(Region.objects.filter(code__in=codes).values_list("code", "name")) if codes else {}


def _row_codes(rows: RegionRows) -> set[str]:
    return {code for row in rows for code in row if code}


def region_tree(
    queryset: QuerySet,
    selected: Iterable[Region] = (),
    *,
    expand: Iterable[str] = (),
    depth: int = 3,
) -> list[FacetOption]:
    """Provinces with counts; the branches of ``selected`` regions opened down to ``depth`` (two queries)."""
    rows = region_rows(queryset)
    return region_tree_from(rows, region_names(_row_codes(rows)), selected, expand=expand, depth=depth)


def region_tree_from(
    rows: RegionRows,
    names: dict[str, str],
    selected: Iterable[Region] = (),
    *,
    expand: Iterable[str] = (),
    depth: int = 3,
) -> list[FacetOption]:
    """The region tree of region_tree() from counted rows (no query).

    ``expand`` names more region codes to open (``"*"`` opens every province:
    the home page shows provinces and their cities).
    """
    selected = list(selected)
    selected_codes = {region.code for region in selected}
    names = {**names, **{region.code: region.name for region in selected}}
    open_codes = set(expand)
    for region in selected:
        open_codes.update(ancestor.code for ancestor in region.ancestors())

    provinces: dict[str, int] = defaultdict(int)
    for (province, _city, _county), n in rows.items():
        if province:
            provinces[province] += n
    provinces = dict(provinces)
    if not selected and len(provinces) == 1 and depth >= 2:
        # Every article lies in one province: ticking it would change nothing, so its cities are shown instead.
        open_codes.update(provinces)
    all_open = "*" in open_codes
    open_provinces = set(provinces) if all_open else {c for c in open_codes if c in provinces or _level(c) == "province"}

    cities: dict[str, int] = defaultdict(int)
    counties: dict[str, int] = defaultdict(int)
    city_parent: dict[str, str] = {}
    county_parent: dict[str, str] = {}  # county -> city, or province for counties directly under one
    if open_provinces and depth >= 2:
        for (province, city, county), n in rows.items():
            if province not in open_provinces:
                continue
            if city:
                cities[city] += n
                city_parent[city] = province
            if county and depth >= 3:
                counties[county] += n
                county_parent[county] = city or province

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
    """The children of a region that have articles, with counts (one GROUP BY and the names)."""
    if region.level not in CHILD_LEVEL:
        return []
    rows = region_rows(queryset.in_region(region))
    return sub_regions_from(rows, region_names(_row_codes(rows)), region)


def sub_regions_from(rows: RegionRows, names: dict[str, str], region: Region) -> list[FacetOption]:
    """The children of ``region`` among counted rows (no query)."""
    child_level = CHILD_LEVEL.get(region.level)
    if not child_level:
        return []
    level_index = {"province": 0, "city": 1, "county": 2}
    counts: dict[str, int] = defaultdict(int)
    for row, n in rows.items():
        if row[level_index[region.level]] == region.code and row[level_index[child_level]]:
            counts[row[level_index[child_level]]] += n
    options = [
        FacetOption(value=code, label=names.get(code, code), count=n, level=child_level)
        for code, n in counts.items()
    ]
    return _shares(by_pinyin(options))


# --- Themes, sources, kinds ---------------------------------------------------------


ThemeLabels = list  # [(pk, slug, name)] of every theme


def theme_labels() -> ThemeLabels:
    return list(Theme.objects.order_by("slug").values_list("pk", "slug", "name"))


def theme_link_counts(queryset: QuerySet, selected: Iterable[Theme] = ()) -> tuple[dict[int, int], dict[int, int]]:
    """Articles of ``queryset`` per theme, and per theme those that carry none of ``selected`` (one GROUP BY).

    The second count is what ticking an unselected theme adds to a list OR-ing
    the selected ones (an article may carry several themes).
    """
    links = Article.themes.through.objects
    through = links.filter(article_id__in=queryset.order_by().values("pk"))
    selected_ids = [theme.pk for theme in selected]
    if not selected_ids:
        counts = dict(count_by(through, "theme_id"))
        return counts, counts
    listed = links.filter(theme_id__in=selected_ids).values("article_id")
    rows = through.order_by().values_list("theme_id").annotate(
        n=Count("*"), new=Count("article_id", filter=~Q(article_id__in=listed))
    ).order_by()
    return {pk: n for pk, n, _new in rows}, {pk: new for pk, _n, new in rows if new}


def theme_counts(queryset: QuerySet, selected: Iterable[Theme] = (), *, include_empty: bool = True) -> list[FacetOption]:
    """Every theme with the number of articles it has among ``queryset`` (one GROUP BY and the theme list).

    With ``selected`` themes (OR-ed by the list), an unselected theme's count is
    what ticking it adds: its articles that no selected theme already lists.
    """
    selected = list(selected)
    counts, added = theme_link_counts(queryset, selected)
    return theme_options(counts, theme_labels(), selected, include_empty=include_empty, added=added)


def theme_options(
    counts: dict[int, int],
    labels: ThemeLabels,
    selected: Iterable[Theme] = (),
    *,
    include_empty: bool = True,
    added: dict[int, int] | None = None,
) -> list[FacetOption]:
    chosen = {theme.slug for theme in selected}
    options = []
    for pk, slug, name in labels:
        is_chosen = slug in chosen
        count = counts.get(pk, 0) if is_chosen or not chosen else (added or {}).get(pk, 0)
        if include_empty or count or is_chosen:
            options.append(
                FacetOption(value=slug, label=name, count=count, selected=is_chosen, adds=bool(chosen) and not is_chosen)
            )
    options.sort(key=lambda option: (-option.count, option.value))
    return _shares(options)


def source_names(ids: Iterable[int | None]) -> dict[int, str]:
    ids = {pk for pk in ids if pk is not None}
    return dict(Source.objects.filter(pk__in=ids).values_list("pk", "name")) if ids else {}


def source_counts(queryset: QuerySet, selected: Iterable[Source] = ()) -> list[FacetOption]:
    counts = dict(count_by(queryset, "source_id"))
    return source_options(counts, source_names(counts), selected)


def source_options(counts: dict, names: dict[int, str], selected: Iterable[Source] = ()) -> list[FacetOption]:
    counts = {pk: n for pk, n in counts.items() if pk is not None}
    chosen = {source.pk: source.name for source in selected}
    for pk in chosen:
        counts.setdefault(pk, 0)
    names = {**names, **chosen}
    options = [
        FacetOption(value=str(pk), label=names.get(pk, str(pk)), count=n, selected=pk in chosen)
        for pk, n in counts.items()
    ]
    return _shares(by_pinyin(options))


def kind_counts(queryset: QuerySet, selected: Iterable[str] = ()) -> list[FacetOption]:
    return kind_options(dict(count_by(queryset, "kind")), selected)


def kind_options(counts: dict[str, int], selected: Iterable[str] = ()) -> list[FacetOption]:
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
    return date_options({(y, m): n for y, m, n in count_by(queryset, "year", "month")}, years, months)


def date_options(
    rows: dict[tuple, int], years: Iterable[str] = (), months: Iterable[str] = (), *, year_months: bool = True
) -> tuple[list[FacetOption], list[FacetOption]]:
    """The (years, months) of date_histogram() from counted (year, month) rows (no query).

    ``year_months=False`` leaves each year's months out (the list page shows
    only the selected years' months, as their own facet): ~20 years of twelve
    translated labels each are most of this function's time.
    """
    chosen_years, chosen_months = set(years or ()), set(months or ())
    by_year: dict[int | None, int] = defaultdict(int)
    by_year_month: dict[int | None, dict[int | None, int]] = defaultdict(lambda: defaultdict(int))
    for (year, month), n in rows.items():
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
            children=month_options(by_year_month[year]) if year_months else [],
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


def scale_estimates(tally: Tally, *option_lists: list[FacetOption]) -> None:
    """Counts of options built from a sampled tally, scaled up and marked as estimates (nothing for an exact one)."""
    if tally.scale is not None:
        for options in option_lists:
            _scale(options, tally.scale)


# --- Tallies: the counts behind every facet, kept current by the catalogue's change log ----


@dataclass
class Tally:
    """What a filtered list's facets count, as raw rows: cached, and refreshed by each logged change.

    Each facet's rows apply every active filter but its own (choosing one
    theme still shows what the other themes would give); the date rows ignore
    both year and month. The labels of the codes and ids counted travel along,
    so building the facets (facets_from) costs no query.
    """

    regions: RegionRows
    themes: dict[int, int]
    themes_added: dict[int, int]  # per theme, its articles carrying none of the selected themes
    dates: dict[tuple, int]  # (year, month) -> n
    sources: dict  # source id (or None) -> n
    kinds: dict[str, int]
    region_names: dict[str, str] = field(default_factory=dict)
    source_names: dict[int, str] = field(default_factory=dict)
    theme_labels: ThemeLabels = field(default_factory=list)
    scale: float | None = None  # counted in a sample and scaled by this: every count an estimate
    provisional: bool = False  # an estimate standing in while the exact tally is computed (provisional_tally)

    def total(self, kinds: Iterable[str] | None = None) -> int:
        """Articles under every filter (the kind rows ignore only the kind filter, and kind is single-valued)."""
        chosen = set(kinds or ())
        return sum(n for kind, n in self.kinds.items() if not chosen or kind in chosen)

    def __getstate__(self) -> dict:
        # Kept (pickled into the cache) with the labels of what it counts only: an index tally
        # shares the snapshot's labels of every place and source while in this process (index_tally).
        state = self.__dict__.copy()
        names, sources = self.region_names, self.source_names
        state["region_names"] = {code: names[code] for code in _row_codes(self.regions) if code in names}
        state["source_names"] = {pk: sources[pk] for pk in self.sources if pk in sources}
        return state

    def label_new_codes(self) -> None:
        """Fetch names for codes and ids that have no label yet (after a refresh brought new ones)."""
        # New dicts, not updates: an index tally's labels are the facet index's own (index_tally).
        missing_regions = _row_codes(self.regions) - self.region_names.keys()
        if missing_regions:
            self.region_names = {**self.region_names, **region_names(missing_regions)}
        missing_sources = {pk for pk in self.sources if pk is not None} - self.source_names.keys()
        if missing_sources:
            self.source_names = {**self.source_names, **source_names(missing_sources)}


def compute_tally(filterset, sample: Sample | None = None) -> Tally:
    """Count every facet of ``filterset``: from the facet index, else in SQL (count_tally); with ``sample``, estimates."""
    if sample is None:
        tally = index_tally(filterset)
        if tally is not None:
            return tally
    return count_tally(filterset, sample)


def count_tally(filterset, sample: Sample | None = None) -> Tally:
    """Count every facet of ``filterset`` in SQL (five GROUP BYs and three label queries); with ``sample``, estimates."""
    counted = _SampledFilter(filterset, sample) if sample is not None else filterset
    themes, themes_added = theme_link_counts(counted.queryset_for_facet("theme"), filterset.value("theme") or [])
    tally = Tally(
        regions=region_rows(counted.queryset_for_facet("region")),
        themes=themes,
        themes_added=dict(themes_added),
        dates={(y, m): n for y, m, n in count_by(counted.queryset_for_facet("year", "month"), "year", "month")},
        sources=dict(count_by(counted.queryset_for_facet("source"), "source_id")),
        kinds=dict(count_by(counted.queryset_for_facet("kind"), "kind")),
        theme_labels=theme_labels(),
        scale=sample.scale if sample is not None else None,
    )
    tally.label_new_codes()
    return tally


def index_tally(filterset) -> Tally | None:
    """The exact tally from this process's facet index and the changes since it; None when the index cannot answer.

    Articles changed since the snapshot are left out of its columns and
    counted from their current states (and, under a search, their current
    text), so the tally is exact at the catalogue's current version.
    """
    found = _index_and_search(filterset)
    if found is None:
        return None
    counts = found.index.counts(found.matcher, leave_out=found.left_out, hits=found.hits)
    index = found.index
    # The snapshot's labels name every place and source its columns hold, so they are shared, not
    # copied per tally (~3,300 places); label_new_codes copies before adding any.
    tally = Tally(**counts, region_names=index.region_names, source_names=index.source_names, theme_labels=index.theme_labels)
    if found.current:  # articles changed since the snapshot may name a place or source it does not hold
        _count_states(tally, found.matcher, ((state, +1) for state in found.current.values()))
        tally.label_new_codes()
    return tally


def newest_matching_ids(filterset, limit: int) -> list[int] | None:
    """Ids of the list's newest ``limit`` articles (DATE_ORDERING), from the facet index; None when it cannot answer.

    A search's ranking candidates (RankedHits): the database would otherwise
    find every hit under the filters and sort them to keep the newest.
    """
    found = _index_and_search(filterset)
    if found is None:
        return None
    newest = found.index.newest(found.matcher, limit, leave_out=found.left_out, hits=found.hits)
    newest += [
        (facet_index.ordinal(state["date_sort"]), pk) for pk, state in found.current.items() if found.matcher.matches(state)
    ]
    return [pk for _newness, pk in sorted(newest, reverse=True)[:limit]]


class NewestIds(Sequence):
    """A list's ids newest first (DATE_ORDERING), each page from the facet index when it can answer, else from SQL.

    The database walks the newest-first listing index and tests every row
    against filters it cannot seek on (a theme, a kind): ~100 ms for a rare
    combination at a million articles, where the index picks the page in a
    few. Either way the same ids in the same order.
    """

    def __init__(self, filterset, ids: QuerySet) -> None:
        self.filterset, self.ids = filterset, ids

    def __len__(self) -> int:
        return self.ids.count()

    def __getitem__(self, index):
        if isinstance(index, slice) and index.step in (None, 1) and (index.start or 0) >= 0 and (index.stop or -1) >= 0:
            newest = newest_matching_ids(self.filterset, index.stop)
            if newest is not None:
                return newest[index.start or 0 :]
        return self.ids[index]


def relevance_ranked(filterset, ids: QuerySet, total: int, candidates: int | None = None) -> RankedHits:
    """A search list's ids (``ids``: its pks) in relevance order, the facet index naming candidates and ranks when it can.

    The list page, the API and hit-to-hit navigation all rank through this, so they agree.
    """
    def order_named(hits: list[int], start: int, stop: int) -> list[int] | None:
        # The index named these hits, exact at its version: kept ranks order them in memory; else
        # their ranks alone are read (the match and filters not tested again: each test reads the
        # tsvector again); None where ranks come only with the match (SQLite): RankedHits asks SQL.
        kept = order_by_kept_ranks(filterset, hits)
        if kept is not None:
            return kept[start:stop]
        ranked = rank_known_hits(Article.objects.using(ids.db).filter(pk__in=hits), filterset.value("q") or "")
        if ranked is None:
            return None
        return list(ranked.order_by(*RELEVANCE_ORDERING).values_list("pk", flat=True)[start:stop])

    return RankedHits(
        ids, candidates=candidates, count=total,
        newest=lambda limit: newest_matching_ids(filterset, limit),
        ranked=lambda start, stop: ranked_matching_ids(filterset, start, stop),
        order_named=order_named,
    )


def index_total(filterset) -> int | None:
    """The list's exact total from the facet index, without its facet counts; None when the index cannot answer."""
    found = _index_and_search(filterset)
    if found is None:
        return None
    total = found.index.count(found.matcher, leave_out=found.left_out, hits=found.hits)
    return total + sum(1 for state in found.current.values() if found.matcher.matches(state))


def index_answers(filterset) -> bool:
    """True when the facet index can count this filterset exactly now (index_tally)."""
    return _index_and_search(filterset) is not None


@dataclass
class _IndexAnswer:
    """What the facet index needs to answer for a filterset at one catalogue version."""

    matcher: StateMatcher
    index: facet_index.FacetIndex
    left_out: np.ndarray  # positions of the articles changed since the snapshot
    hits: np.ndarray | None  # the search's flags
    current: dict[int, dict]  # changed articles readers see now (and the search matches): their states
    version: Version | None = None  # the catalogue version the answer is exact at


def _index_and_search(filterset) -> _IndexAnswer | None:
    """The facet index's view of ``filterset`` now, or None when it cannot answer (kept on the filterset per version)."""
    matcher = StateMatcher.for_filterset(filterset) if facet_index.enabled() else None
    if matcher is None:
        return None
    version = current_version()
    memo = filterset.__dict__.get("_facet_index_answer")
    if memo is not None and memo[0] == version:
        return memo[1]
    answer = None
    found = facet_index.snapshot(version)
    if found is not None:
        index, changes = found
        searching = bool(matcher.query) and is_meaningful_query(matcher.query)  # else the search filters nothing
        hits = None
        if searching:
            try:
                hits = index.search_flags(matcher.query, lambda: search_hit_ids(matcher, version))
            except DatabaseError:
                # The hit list could not be fetched (a statement timeout): the SQL path estimates.
                logger.exception("fetching the hits of %r failed", matcher.query)
        if hits is not None or not searching:  # else too broad to fetch, or not to be had now: the SQL path
            current = {change.article_id: change.after for change in changes if change.after is not None}
            matching = matcher.search_hits(current)
            answer = _IndexAnswer(
                matcher, index, index.positions(change.article_id for change in changes), hits,
                {pk: state for pk, state in current.items() if matching is None or pk in matching}, version,
            )
    filterset.__dict__["_facet_index_answer"] = (version, answer)
    return answer


def search_hit_ids(matcher: StateMatcher, version=None):
    """(ids, ranks or None, version) of the public articles the search matches, None above HIT_IDS_UP_TO.

    Fetched once for all workers (1.1 s for a word in 440,000 of a million
    articles on PostgreSQL) and kept current by the change log: a logged
    change tests the changed articles' current text again. On SQLite each
    hit's rank (bm25) comes along, so a list can be ranked in memory
    (ranked_matching_ids); bm25 weighs terms by the whole index, so a change
    of any searched text makes the list fetched again. With ``version``, a
    list of any other catalogue version (the previous one, served while
    another worker fetches) gives facet_index.UNUSABLE.
    """
    value, at = cached_at(
        "search-hits", matcher.query, lambda: _fetch_hit_ids(matcher),
        refresh=lambda value, changes: _refresh_hit_ids(value, matcher, changes), translated=False,
    )
    if version is not None and at != version:
        return facet_index.UNUSABLE
    if value[0] is None:
        return None
    return facet_index.unpack_ids(value[0]), facet_index.unpack_ranks(value[1]), at


def _matches(matcher: StateMatcher) -> QuerySet:
    return matcher.filterset.filters["q"].filter(public_articles(), matcher.query)


def _with_ranks(queryset: QuerySet) -> bool:
    return connections[queryset.db].vendor == "sqlite" and "search_rank" in queryset.query.annotations


# Hit rows read per round trip when a search's hit list is fetched.
FETCH_CHUNK = 20_000


def _fetch_hit_ids(matcher: StateMatcher, with_ranks: bool | None = None) -> tuple:
    """(packed ids, packed ranks or None) of the hits; ranks where the backend keeps them with the hits, or as asked."""
    matches = _matches(matcher)
    ranked = _with_ranks(matches) if with_ranks is None else with_ranks
    with index_scans(matches.db):
        ids, ranks = _hit_rows(matches, ranked, facet_index.HIT_IDS_UP_TO + 1)
    if len(ids) > facet_index.HIT_IDS_UP_TO:
        return (None, None)
    return _pack_hits(ids, ranks)


def _hit_rows(matches: QuerySet, ranked: bool, limit: int | None = None) -> tuple[np.ndarray, np.ndarray | None]:
    """The hits' ids and (ranked) their ranks, read in chunks straight into arrays.

    A broad word has ~440,000 hits at a million articles: held as Python
    tuples, then sorted as a set, they raised a worker's memory by ~100 MB.
    """
    rows = matches.order_by().values_list(*(("pk", "search_rank") if ranked else ("pk",)))[:limit]
    sql, params = rows.query.sql_with_params()
    ids, ranks = array("q"), array("d")
    # A plain cursor read in chunks: a server-side one (QuerySet.iterator) makes PostgreSQL plan
    # for the first rows (cursor_tuple_fraction) and took 8.5 s instead of 5.8 for 疫情.
    with connections[rows.db].cursor() as cursor:
        cursor.execute(sql, params)
        while chunk := cursor.fetchmany(FETCH_CHUNK):
            if ranked:
                for pk, rank in chunk:
                    ids.append(pk)
                    ranks.append(rank)
            else:
                ids.extend(pk for (pk,) in chunk)
    return np.frombuffer(ids, dtype=np.int64), np.frombuffer(ranks, dtype=np.float64) if ranked else None


def _pack_hits(ids: np.ndarray, ranks: np.ndarray | None) -> tuple:
    order = np.argsort(ids, kind="stable")  # by id: the packed ids ascend
    ids = ids[order]
    first = np.ones(len(ids), dtype=bool)
    first[1:] = ids[1:] != ids[:-1]
    packed_ranks = facet_index.pack_ranks(ranks[order][first]) if ranks is not None else None
    return facet_index.pack_ids(ids[first]), packed_ranks


def _merged_hits(value: tuple, matcher: StateMatcher, changes) -> tuple:
    """A packed hit list (ranks too, if kept) brought up to date: the changed articles left out, those matching now back in."""
    ids, ranks = facet_index.unpack_ids(value[0]), facet_index.unpack_ranks(value[1])
    kept = ~np.isin(ids, [change.article_id for change in changes])
    ids, ranks = ids[kept], ranks[kept] if ranks is not None else None
    now = [change.article_id for change in changes if change.after is not None]
    if now:
        more_ids, more_ranks = _hit_rows(_matches(matcher).filter(pk__in=sorted(now)), ranks is not None)
        ids = np.concatenate([ids, more_ids])
        ranks = np.concatenate([ranks, more_ranks]) if ranks is not None else None
    return _pack_hits(ids, ranks)


def _refresh_hit_ids(value: tuple, matcher: StateMatcher, changes) -> tuple | None:
    if value[0] is None:
        return value  # too broad stays too broad: only the way it is counted depends on it
    if value[1] is not None and any(moves_bm25(change) for change in changes):
        return None  # bm25 of every hit moved with the index's statistics: fetch the ranks again
    return _merged_hits(value, matcher, changes)


_RANKS_NOT_YET = ("ranks being fetched",)


def search_ranks(index: facet_index.FacetIndex, matcher: StateMatcher, version) -> tuple[np.ndarray, np.ndarray] | None:
    """(ids, ranks) of a search's hits on PostgreSQL, exact at ``version``; None until they are fetched.

    ts_rank depends only on the article and the query, so the ranks of every
    hit are fetched once for all workers, in the background (~3.5 s for a word
    in 440,000 articles: too long to make a reader wait), and kept current by
    the change log: the changed articles the search matches now are ranked
    again (one small query). Until then every list ranks its candidates in SQL
    (~8 µs a hit), in the same order.
    """
    query = matcher.query
    kept = index.kept_ranks(query, version)
    if kept is not None:
        return kept
    try:
        value, at = cached_at(
            "search-ranks", query, lambda: _fetch_hit_ids(matcher, with_ranks=True),
            refresh=lambda value, changes: _refresh_ranks(value, matcher, changes),
            provisional=lambda: _RANKS_NOT_YET, translated=False,
        )
    except DatabaseError:
        # Fetched by the request itself (no background counting) and cut off: SQL ranks the list.
        logger.exception("fetching the ranks of %r failed", query)
        return None
    if at != version or value is _RANKS_NOT_YET or value[0] is None:
        return None
    ids, ranks = facet_index.unpack_ids(value[0]), facet_index.unpack_ranks(value[1])
    index.keep_ranks(query, version, ids, ranks)
    return ids, ranks


def _refresh_ranks(value: tuple, matcher: StateMatcher, changes) -> tuple:
    # ts_rank depends on the article alone: the changed hits are ranked again, the others kept.
    return value if value[0] is None else _merged_hits(value, matcher, changes)


def order_by_kept_ranks(filterset, hits: list[int]) -> list[int] | None:
    """These hits of a search (its ranking candidates) in RELEVANCE_ORDERING, from kept ranks; None when not all are kept.

    PostgreSQL only (SQLite ranks every hit through ranked_matching_ids). The
    order is the SQL one: rank, then newest (date_sort descending, none last),
    then id descending.
    """
    if not hits or not settings.NEWSROOM_KEPT_RANKS or connections[filterset.queryset.db].vendor != "postgresql":
        return None
    found = _index_and_search(filterset)
    if found is None or found.hits is None:
        return None
    kept = search_ranks(found.index, found.matcher, found.version)
    if kept is None:
        return None
    ids, ranks = kept
    wanted = np.asarray(hits, dtype=np.int64)
    at = np.minimum(np.searchsorted(ids, wanted), max(len(ids) - 1, 0))
    if not len(ids) or not (ids[at] == wanted).all():
        return None  # a hit without a kept rank
    # Each hit's date order: the snapshot's, or, for an article changed since, its current state's.
    newness = np.empty(len(wanted), dtype=np.int64)
    changed = np.fromiter((pk in found.current for pk in hits), dtype=bool, count=len(hits))
    for i in np.flatnonzero(changed):
        newness[i] = facet_index.ordinal(found.current[hits[i]]["date_sort"])
    positions = found.index.positions(wanted[~changed])
    if len(positions) != int((~changed).sum()):
        return None
    newness[~changed] = found.index.newness[positions]
    order = np.lexsort((-wanted, -newness, -ranks[at]))
    return wanted[order].tolist()


def ranked_matching_ids(filterset, start: int, stop: int) -> list[int] | None:
    """Ids at [start, stop) of a search list in relevance order (RELEVANCE_ORDERING), from the facet index's kept ranks.

    None when the index cannot answer, holds no ranks (PostgreSQL), or an
    article changed since its snapshot is in the list (its rank is not kept).
    """
    found = _index_and_search(filterset)
    if found is None or found.hits is None:
        return None
    query = found.matcher.query
    read_at = found.index.search_version(query)
    if read_at is None or any(found.matcher.matches(state) for state in found.current.values()):
        return None
    since = changes_between(read_at, found.version)
    if since is None or any(moves_bm25(change) for change in since):
        found.index.forget_search(query)  # its ranks are no longer bm25's: the next request fetches them again
        return None
    return found.index.ranked(found.matcher, query, start, stop, leave_out=found.left_out)


def facets_from(tally: Tally, filterset, *, year_months: bool = True) -> Facets:
    """The list page's facets from a tally (no query); ``year_months=False``: the years without their months."""
    years, months = date_options(tally.dates, filterset.value("year"), filterset.value("month"), year_months=year_months)
    facets = Facets(
        regions=region_tree_from(tally.regions, tally.region_names, filterset.value("region") or []),
        themes=theme_options(
            tally.themes, tally.theme_labels, filterset.value("theme") or [], include_empty=False, added=tally.themes_added
        ),
        years=years,
        months=months,
        sources=source_options(tally.sources, tally.source_names, filterset.value("source") or []),
        kinds=kind_options(tally.kinds, filterset.value("kind")),
    )
    if tally.scale is not None:
        for options in facets:
            _scale(options, tally.scale)
    return facets


def facet_counts(filterset, sample: Sample | None = None) -> Facets:
    """Counts for every facet of the list page; with ``sample``, estimates from that sample (see bounded_count)."""
    return facets_from(compute_tally(filterset, sample), filterset)


class _SampledFilter:
    """A filterset whose facet querysets are limited to a sample of the archive."""

    def __init__(self, filterset, sample: Sample) -> None:
        self._filterset, self._sample = filterset, sample

    def value(self, name: str):
        return self._filterset.value(name)

    def queryset_for_facet(self, *names: str) -> QuerySet:
        return self._sample.restrict(self._filterset.queryset_for_facet(*names))


def _token(value: int | None) -> str:
    return UNKNOWN if value is None else str(value)


class StateMatcher:
    """ArticleFilter's filters evaluated on an article's counted state (catalogue.counted_state) in Python.

    Mirrors the SQL of articles.filters exactly; a search is tested in the
    database, on the changed articles only. Built only for filters it knows:
    a filterset with any other active parameter is refreshed by recounting.
    """

    KNOWN = frozenset({"region", "theme", "year", "month", "source", "kind", "q", "sort"})

    def __init__(self, filterset) -> None:
        cleaned = {}
        if filterset.is_bound:
            filterset.form.is_valid()  # cleaned_data holds the valid parameters even when others fail
            cleaned = filterset.form.cleaned_data
        self.filterset = filterset
        self.regions = [(f"{region.level}_id", region.code) for region in cleaned.get("region") or []]
        self.themes = {theme.pk for theme in cleaned.get("theme") or []}
        self.years = set(cleaned.get("year") or [])
        self.months = set(cleaned.get("month") or [])
        self.sources = {source.pk for source in cleaned.get("source") or []}
        self.kinds = set(cleaned.get("kind") or [])
        self.query = (cleaned.get("q") or "").strip()

    @classmethod
    def for_filterset(cls, filterset) -> StateMatcher | None:
        matcher = cls(filterset)
        cleaned = filterset.form.cleaned_data if filterset.is_bound else {}
        active = {name for name, value in cleaned.items() if value not in (None, "", [], ())}
        return matcher if active <= cls.KNOWN else None

    def matches(self, state: dict, skip: Iterable[str] = ()) -> bool:
        """True when an article in ``state`` passes every filter but those in ``skip`` (the search aside)."""
        skip = set(skip)
        if self.regions and "region" not in skip and not any(state[column] == code for column, code in self.regions):
            return False
        if self.themes and "theme" not in skip and not self.themes & set(state["themes"]):
            return False
        if self.years and "year" not in skip and _token(state["year"]) not in self.years:
            return False
        if self.months and "month" not in skip and _token(state["month"]) not in self.months:
            return False
        if self.sources and "source" not in skip and state["source_id"] not in self.sources:
            return False
        if self.kinds and "kind" not in skip and state["kind"] not in self.kinds:
            return False
        return True

    def search_hits(self, article_ids: Iterable[int]) -> set[int] | None:
        """Which of these articles the search matches (one query); None when there is no search."""
        if not self.query:
            return None
        candidates = Article.objects.filter(pk__in=sorted(set(article_ids)))
        return set(self.filterset.filters["q"].filter(candidates, self.query).values_list("pk", flat=True))


def _bump(counts: dict, key, by: int) -> bool:
    value = counts.get(key, 0) + by
    if value < 0:
        return False
    if value:
        counts[key] = value
    else:
        counts.pop(key, None)  # a value nothing has any more is not offered
    return True


def _counted_states(changes, matcher: StateMatcher):
    """(state, +1/-1) for each side of each change that readers counted under the search (if any)."""
    hits = matcher.search_hits(change.article_id for change in changes)
    for change in changes:
        if hits is not None and change.article_id not in hits:
            continue
        if change.before is not None:
            yield change.before, -1
        if change.after is not None:
            yield change.after, +1


def refresh_tally(tally: Tally, filterset, changes) -> Tally | None:
    """``tally`` brought up to date by logged article changes (catalogue.changes_between); None: recount.

    A search's counts are refreshed only when no article whose searched text
    changed could count under any facet (its old text is gone, so whether the
    search found it is unknown); estimates from a sample stay as they are
    (they are shown as 约 N).
    """
    if tally.scale is not None:
        return tally
    matcher = StateMatcher.for_filterset(filterset)
    if matcher is None or _text_change_counts(changes, matcher, _FACET_SKIPS):
        return None
    fresh = Tally(
        regions=dict(tally.regions), themes=dict(tally.themes), themes_added=dict(tally.themes_added), dates=dict(tally.dates),
        sources=dict(tally.sources), kinds=dict(tally.kinds), region_names=dict(tally.region_names),
        source_names=dict(tally.source_names), theme_labels=tally.theme_labels,
    )
    if not _count_states(fresh, matcher, _counted_states(changes, matcher)):
        return None  # a count would go below zero: the cached value was not what the log assumed
    fresh.label_new_codes()
    return fresh


def _count_states(tally: Tally, matcher: StateMatcher, signed_states: Iterable[tuple[dict, int]]) -> bool:
    """Add (+1) or take away (-1) articles in these states from the tally's counts; False if one would go below zero."""
    for state, sign in signed_states:
        steps = []
        if matcher.matches(state, skip={"region"}):
            steps.append((tally.regions, (state["province_id"], state["city_id"], state["county_id"])))
        if matcher.matches(state, skip={"theme"}):
            steps.extend((tally.themes, theme_id) for theme_id in state["themes"])
            if not matcher.themes & set(state["themes"]):
                steps.extend((tally.themes_added, theme_id) for theme_id in state["themes"])
        if matcher.matches(state, skip={"year", "month"}):
            steps.append((tally.dates, (state["year"], state["month"])))
        if matcher.matches(state, skip={"source"}):
            steps.append((tally.sources, state["source_id"]))
        if matcher.matches(state, skip={"kind"}):
            steps.append((tally.kinds, state["kind"]))
        for counts, key in steps:
            if not _bump(counts, key, sign):
                return False
    return True


# A list page's facet counts are each counted with their own facet left out; its results with none left out.
_FACET_SKIPS = ((), ("region",), ("theme",), ("year", "month"), ("source",), ("kind",))


def page_unaffected(filterset, changes, *, facet_counts: bool = True) -> bool:
    """True when no logged change can alter a page of this filterset's articles (and its facet counts).

    That is when no changed article, before or after the change, passes the
    filters and the search; with ``facet_counts`` (a list page, whose every
    facet is counted with that facet left out, so readers see what another
    value would give) not even with one facet left out, unless its counted
    state did not move (a retitle: no count changes, only its own row).
    """
    matcher = StateMatcher.for_filterset(filterset)
    if matcher is None:
        return False
    skips = _FACET_SKIPS if facet_counts else _FACET_SKIPS[:1]
    if _text_change_counts(changes, matcher, skips):
        return False
    if matcher.query and any(moves_bm25(change) for change in changes) and _ranks_share_statistics(filterset):
        return False  # bm25 weighs every hit by the whole index: any edit of searched text may reorder the list
    # An article whose counted state did not move changes no count (its text change, if any,
    # counts nowhere here: above), only its own row, shown when it passes every filter.
    passing = [
        change for change in changes
        if any(
            matcher.matches(state, skip=skip)
            for state in (change.before, change.after) if state is not None
            for skip in (skips if change.before != change.after else _FACET_SKIPS[:1])
        )
    ]
    if not passing:
        return True  # whatever the search finds, the filters leave every changed article out
    hits = matcher.search_hits(change.article_id for change in passing)
    # Text unchanged, the search finds it now exactly when it did before.
    return all(hits is not None and change.article_id not in hits and not change.text_changed for change in passing)


def _text_change_counts(changes, matcher: StateMatcher, skips) -> bool:
    """True when an article whose searched text changed might count under the search with one of ``skips``.

    Its old text is gone, so whether the search found it before is unknown;
    but an article that passes none of the other filters (under any of the
    skips), before or after, counts nowhere on the page whatever its text.
    """
    if not matcher.query:
        return False
    return any(
        matcher.matches(state, skip=skip)
        for change in changes
        if change.text_changed
        for state in (change.before, change.after)
        if state is not None
        for skip in skips
    )


def moves_bm25(change) -> bool:
    """True when a change can move SQLite's bm25 of every hit: searched text edited, or an article indexed anew."""
    # A new article's insert is logged without text_changed (there was no text before), yet it
    # adds a document to the index's statistics; so may publishing one, conservatively.
    return change.text_changed or change.before is None


def _ranks_share_statistics(filterset) -> bool:
    # SQLite's bm25 depends on the whole index (document count, lengths, term frequencies);
    # PostgreSQL's ts_rank only on the article and the query.
    return filterset.current_sort == SORT_RELEVANCE and connections[filterset.queryset.db].vendor == "sqlite"


def refresh_count(value: tuple[int, bool], filterset, changes) -> tuple[int, bool] | None:
    """A cached (total, estimated) of bounded_count brought up to date by logged changes; None: recount."""
    total, estimated = value
    if estimated:
        return value
    matcher = StateMatcher.for_filterset(filterset)
    if matcher is None or _text_change_counts(changes, matcher, _FACET_SKIPS[:1]):
        return None
    total += sum(sign for state, sign in _counted_states(changes, matcher) if matcher.matches(state))
    if total < 0 or total > EXACT_COUNT_UP_TO:
        return None
    return total, False


def tally_for(filterset, *, estimated: bool = False, exact: bool = False) -> Tally:
    """The tally of ``filterset``: cached, refreshed by editors' saves, recounted after wholesale writes.

    A costly exact tally is computed in the background (catalogue.cached);
    meanwhile readers get the previous one or a provisional estimate, unless
    ``exact`` (numbers without an estimate flag: the API's facet lists, the map).
    """
    return cached(
        "tally",
        filterset.cache_key() + (" ~sample" if estimated else ""),
        lambda: compute_tally(filterset, sample=article_sample() if estimated else None),
        refresh=lambda tally, changes: refresh_tally(tally, filterset, changes),
        provisional=None if estimated or exact else lambda: _cached_provisional_tally(filterset),
    )


def _cached_provisional_tally(filterset) -> Tally | None:
    # Kept like any count (the estimate itself is a few sampled GROUP BYs): a combination
    # waiting for its exact counts is not estimated again by every reader.
    if index_answers(filterset):
        return None  # exact counts cost milliseconds: nothing to wait for
    return cached("tally-estimate", filterset.cache_key(), lambda: (provisional_tally(filterset),))[0]


# An exact tally whose facets together count more rows than this is worth an estimate first.
PROVISIONAL_ABOVE_ROWS = 20_000


def provisional_tally(filterset) -> Tally | None:
    """An estimate of the tally from article_sample(), when counting it exactly means many rows; else None.

    Each facet is counted over every article that passes the other filters,
    so even a short list can mean counting a large set (a county and a common
    theme: the theme's articles everywhere, for the region facet). The sample
    tells how large those sets are.
    """
    sample = article_sample()
    if sample is None:
        return None
    estimate = compute_tally(filterset, sample=sample)
    rows = sum(estimate.themes.values()) + sum(
        sum(counts.values()) for counts in (estimate.regions, estimate.dates, estimate.sources, estimate.kinds)
    )
    if rows * sample.scale <= PROVISIONAL_ABOVE_ROWS:
        return None
    estimate.provisional = True
    return estimate


def list_counts(filterset) -> tuple[Tally, int, bool]:
    """A list's tally and its (total, estimated): cached counts shared by the list and landing pages and the API.

    A broad search counts its hits exactly up to EXACT_COUNT_UP_TO and its
    facets in a sample. A provisional tally (exact counts still being computed)
    gives no total: the list's own bounded count does.
    """
    if filterset.searching and index_answers(filterset):
        tally = tally_for(filterset)  # exact, from the facet index: the total too
        return tally, tally.total(filterset.value("kind")), False
    total, estimated = search_total(filterset) if filterset.searching else (None, False)
    tally = tally_for(filterset, estimated=estimated)
    if total is None:
        if tally.provisional:
            total, estimated = search_total(filterset)
        else:
            total = tally.total(filterset.value("kind"))
    return tally, total, estimated


def search_total(filterset) -> tuple[int, bool]:
    """(hits, estimated) of a search, or of any list: exact up to EXACT_COUNT_UP_TO (see bounded_count), cached and refreshed."""
    return cached(
        "count",
        "search:" + filterset.cache_key(),
        lambda: bounded_count(filterset.qs.values_list("pk", flat=True)),
        refresh=lambda value, changes: refresh_count(value, filterset, changes),
    )


LISTING_DEFERRED = ("warnings", "edited_fields", "issuer", "search_document")
LISTING_THEMES = Prefetch("themes", queryset=Theme.objects.only("pk", "slug", "name").order_by("slug"))


def for_listing(queryset: QuerySet) -> QuerySet:
    """What a result row shows, fetched without a query per row."""
    return queryset.select_related("source", "province", "city", "county").prefetch_related(
        LISTING_THEMES
    ).defer(*LISTING_DEFERRED)


class RowLabels:
    """Regions and sources by key, as result rows name them: read once per catalogue token in each process.

    Joining them into the rows' query cost more than the rows themselves (the
    planner hashes the whole region table, twice, for twenty rows). Every write
    that can rename one replaces the token (load_regions, a source's save); one
    not seen before (an ingest's new source) is read when a row first names it.
    """

    def __init__(self, alias: str) -> None:
        self.alias = alias
        # Read whole (30 sources, ~3,300 regions above township level: a few ms once per token),
        # so that a worker's new combinations do not each look up the places they name.
        self.sources: dict[int, Source] = {source.pk: source for source in Source.objects.using(alias)}
        self.regions: dict[str, Region] = {
            region.code: region
            for region in Region.objects.using(alias).filter(level__in=LEVEL_COLUMNS).only("code", "name", "level")
        }

    def attach(self, articles: list[Article]) -> None:
        """Give each article its source and primary province, city and county without a query each."""
        _read_missing(self.sources, Source.objects.using(self.alias), {a.source_id for a in articles if a.source_id})
        _read_missing(
            self.regions, Region.objects.using(self.alias).only("code", "name", "level"),
            {code for a in articles for code in (a.province_id, a.city_id, a.county_id) if code},
        )
        # Only what was found is assigned: assigning None would also clear the row's key.
        for article in articles:
            source = self.sources.get(article.source_id) if article.source_id else None
            if source is not None or article.source_id is None:
                article.source = source
            for level in ("province", "city", "county"):
                code = getattr(article, f"{level}_id")
                region = self.regions.get(code) if code else None
                if region is not None or not code:
                    setattr(article, level, region)


def _read_missing(kept: dict, queryset: QuerySet, keys: set) -> None:
    """Add to ``kept`` (primary key -> instance) the instances of ``keys`` it lacks (one query, if any)."""
    missing = keys - kept.keys()
    if missing:
        kept.update((instance.pk, instance) for instance in queryset.filter(pk__in=missing))


_row_labels: dict[tuple[str, str], RowLabels] = {}


def row_labels(alias: str) -> RowLabels:
    """The RowLabels of this database's current catalogue token (older tokens' are dropped)."""
    key = (alias, current_version().token)
    labels = _row_labels.get(key)
    if labels is None:
        labels = RowLabels(alias)
        for stale in [other for other in _row_labels if other[0] == alias]:
            _row_labels.pop(stale, None)
        _row_labels[key] = labels
    return labels


def listing_rows(ids: list[int]) -> list[Article]:
    """The articles with these ids, in this order, ready for a result list (two queries: rows, themes)."""
    queryset = Article.objects.filter(pk__in=ids).defer(*LISTING_DEFERRED).prefetch_related(LISTING_THEMES)
    rows = {article.pk: article for article in queryset}
    articles = [rows[pk] for pk in ids if pk in rows]
    row_labels(queryset.db).attach(articles)
    return articles


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
        # EXISTS: the newest-first walk probes each row's links and stops after a few. IN (subquery)
        # made SQLite read all of a theme's ~450k links first (387 ms per reading page at 1M).
        neighbourhoods.append(base.filter(Exists(through.filter(article_id=OuterRef("pk"), theme_id=theme_id))))
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
