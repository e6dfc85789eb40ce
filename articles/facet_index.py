"""An in-memory column snapshot of what the facets count, so any combination is counted exactly in milliseconds.

A list page counts each facet over every article that passes the other
filters. In SQL that is five GROUP BYs over sets that stay large however
narrow the list (a county and a common theme: the theme's articles
everywhere, for the region facet): seconds at a million articles, per
combination never asked before. Here every public article is one position in
a few numpy columns (its place, its year and month, its source, its kind,
a row of theme flags), each column holding small integer codes into a table
of the distinct values. A filter is a lookup table over those distinct
values (evaluated once per value by selectors.StateMatcher, the same Python
mirror of the SQL filters that refreshes cached counts), so a facet count is
a couple of vectorised passes over the columns: ~1M articles in a few ms.

The snapshot belongs to one catalogue version (catalogue.Version). A request
at a later version of the same token uses it with the logged changes since
(catalogue.changes_between): the changed articles are left out of the
columns and counted from their current states instead (selectors), so the
answer is exact at the request's version. A new token (a wholesale write),
or more changes than are worth carrying, makes the snapshot stale: it is
rebuilt in a background thread (one at a time across workers, sharing the
background counting slot), and until then the SQL path answers. gunicorn's
master builds the first one before forking (gunicorn.conf.py), so the
workers share its pages copy-on-write.

Searches: the ids a search matches are fetched once (up to HIT_IDS_UP_TO;
broader ones go the sampled SQL path), shared by the workers through the
cache and kept current by the change log (selectors.search_hit_ids); each
process keeps them as a flag column beside its snapshot.
"""

from __future__ import annotations

import datetime
import logging
import threading
import zlib
from array import array
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import numpy as np
from django.conf import settings
from django.db import connections, router

from articles import catalogue
from articles.catalogue import ArticleDelta, Version
from articles.models import Article, Region, Source, Theme

logger = logging.getLogger(__name__)

# A snapshot more than this many logged changes behind is rebuilt (in the background); it stays in use meanwhile.
REBUILD_AFTER_CHANGES = catalogue.MAX_CHANGES // 4
# A search matching more articles than this is counted the sampled SQL way (its ids would cost more to fetch).
HIT_IDS_UP_TO = 500_000
# Searches whose hit flags are kept per process (each ~1 byte per article).
KEPT_SEARCHES = 16
FETCH_CHUNK = 20_000
# newest(): when more than one article in this many passes, walk the newest-first order instead
# of sorting every passing article (a broad list's first page reads a few thousand positions).
WALK_NEWEST_WHEN_ONE_IN = 64
BUILD_ATTEMPTS = 3
UNUSABLE = object()  # search_flags: a hit list of another catalogue version than the caller's
ALL_FILTERS = frozenset({"region", "theme", "year", "month", "source", "kind"})
# Facet (as the tally names it) -> the filters it leaves out when it is counted.
FACET_FILTERS = {"region": {"region"}, "theme": {"theme"}, "dates": {"year", "month"}, "source": {"source"}, "kind": {"kind"}}


class _Codes:
    """Distinct values of one column, each given a small integer code in order of first appearance (sorted after reading)."""

    def __init__(self) -> None:
        self.codes: dict = {}
        self.values: list = []

    def code(self, value) -> int:
        code = self.codes.get(value)
        if code is None:
            code = self.codes[value] = len(self.values)
            self.values.append(value)
        return code


@dataclass
class _Search:
    """A search's matches as the index holds them: a flag per article; with ranks, the hits' positions and ranks."""

    flags: np.ndarray
    positions: np.ndarray | None  # ascending positions of the hits (when ranked)
    ranks: np.ndarray | None  # each hit's search_rank, higher is better (SQLite's bm25)
    version: Version | None = None  # when the hits (and ranks) were read


@dataclass
class FacetIndex:
    """Every public article's counted state at ``version``, as columns of codes (see the module docstring)."""

    version: Version
    ids: np.ndarray  # article ids, ascending
    place: np.ndarray  # codes into places: (province_id, city_id, county_id)
    places: list[tuple]
    date: np.ndarray  # codes into dates: (year, month)
    dates: list[tuple]
    source: np.ndarray  # codes into sources: source id or None
    sources: list
    kind: np.ndarray  # codes into kinds
    kinds: list[str]
    newness: np.ndarray  # date_sort's ordinal, -1 for none: descending, then by position (= id), is DATE_ORDERING
    themes: np.ndarray  # bool, one row per theme id in theme_ids, one column per article (a row counts in one pass)
    theme_ids: list[int]
    # Labels of what the columns hold, read with them: every write that changes a label replaces the token.
    region_names: dict[str, str] = field(default_factory=dict, repr=False)
    source_names: dict[int, str] = field(default_factory=dict, repr=False)
    theme_labels: list[tuple] = field(default_factory=list, repr=False)  # (pk, slug, name) of every theme
    searches: OrderedDict = field(default_factory=OrderedDict, repr=False)  # query -> _Search, or None: too broad
    # query -> (version, ids, ranks): a search's ranks on PostgreSQL (selectors.search_ranks), read from the shared cache.
    ranks: OrderedDict = field(default_factory=OrderedDict, repr=False)
    # Made once per snapshot, when first needed: each facet's counts over every article, the places
    # holding each region code, the bit-packed theme rows.
    derived: dict = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def __len__(self) -> int:
        return len(self.ids)

    def positions(self, article_ids: Iterable[int]) -> np.ndarray:
        """Positions of those of ``article_ids`` that the snapshot holds."""
        wanted = np.fromiter(article_ids, dtype=np.int64)
        if not len(wanted) or not len(self.ids):
            return np.zeros(0, dtype=np.int64)
        found = np.minimum(np.searchsorted(self.ids, wanted), len(self.ids) - 1)
        return found[self.ids[found] == wanted]

    def search_flags(self, query: str, hit_ids: Callable[[], tuple | None]) -> np.ndarray | None:
        """Which articles match ``query`` (kept per query); None when it matches more than HIT_IDS_UP_TO or cannot be had now.

        ``hit_ids()`` gives (ids, ranks or None, version) of the public
        articles it matches at ``version``; None when there are too many; or
        UNUSABLE when the only list to be had is not of the catalogue version
        the caller counts at (another worker is fetching the current one):
        kept it would be wrong for every request after. The flags are right
        for every article unchanged since the snapshot; the changed ones are
        tested again by the caller.
        """
        with self._lock:
            if query in self.searches:
                self.searches.move_to_end(query)
                found = self.searches[query]
                return None if found is None else found.flags
        fetched = hit_ids()
        if fetched is UNUSABLE:
            return None
        found = None
        if fetched is not None:
            ids, ranks, version = fetched
            flags = np.zeros(len(self.ids), dtype=bool)
            positions = self.positions(ids)
            flags[positions] = True
            if ranks is not None:
                held = self.ids[positions]  # positions ascend with ids, as ids do
                ranks = ranks[np.searchsorted(ids, held)]
            found = _Search(flags, positions if ranks is not None else None, ranks, version)
        with self._lock:
            self.searches[query] = found
            while len(self.searches) > KEPT_SEARCHES:
                self.searches.popitem(last=False)
        return None if found is None else found.flags

    def forget_search(self, query: str) -> None:
        """Drop what is kept of ``query`` (its ranks went stale): the next request fetches it again."""
        with self._lock:
            self.searches.pop(query, None)

    def kept_ranks(self, query: str, version: Version) -> tuple[np.ndarray, np.ndarray] | None:
        """(ids, ranks) of ``query`` kept at exactly ``version`` (keep_ranks), else None."""
        with self._lock:
            kept = self.ranks.get(query)
            if kept is None or kept[0] != version:
                return None
            self.ranks.move_to_end(query)
            return kept[1], kept[2]

    def keep_ranks(self, query: str, version: Version, ids: np.ndarray, ranks: np.ndarray) -> None:
        """Keep a search's ranks at ``version`` for this process's next requests (the newest KEPT_SEARCHES)."""
        with self._lock:
            self.ranks[query] = (version, ids, ranks)
            self.ranks.move_to_end(query)
            while len(self.ranks) > KEPT_SEARCHES:
                self.ranks.popitem(last=False)

    def search_version(self, query: str) -> Version | None:
        """The catalogue version at which the kept ranks of ``query`` were read (None: no ranks kept)."""
        found = self.searches.get(query)
        return None if found is None or found.ranks is None else found.version

    def ranked(self, matcher, query: str, start: int, stop: int, *, leave_out: np.ndarray | None = None) -> list[int] | None:
        """Ids at [start, stop) of the list in relevance order (rank, then newest, then id), from kept ranks; None without."""
        found = self.searches.get(query)
        if found is None or found.ranks is None:
            return None
        positions = self._passing_all(matcher, leave_out, found.flags)
        ranks = found.ranks[np.searchsorted(found.positions, positions)]
        if len(positions) > stop > 0:
            # Only those ranked at least as high as the stop-th best can be on the page (ties included).
            threshold = np.partition(ranks, len(ranks) - stop)[len(ranks) - stop]
            best = ranks >= threshold
            positions, ranks = positions[best], ranks[best]
        order = np.lexsort((-positions, -self.newness[positions], -ranks))
        return self.ids[positions[order][start:stop]].tolist()

    def count(self, matcher, *, leave_out: np.ndarray | None = None, hits: np.ndarray | None = None) -> int:
        """How many articles pass every filter (and are flagged by ``hits``): a list's total without its facets."""
        combined = self._combined(matcher, leave_out, hits)
        return len(self.ids) if combined is None else int(np.count_nonzero(combined))

    def newest(self, matcher, limit: int, *, leave_out: np.ndarray | None = None, hits: np.ndarray | None = None) -> list[tuple[int, int]]:
        """The newest ``limit`` articles passing every filter (and flagged by ``hits``): (ordinal or -1, id), newest first."""
        if limit < 1 or not len(self.ids):
            return []
        combined = self._combined(matcher, leave_out, hits)
        if combined is None:
            chosen = self.newest_order()[:limit]
        elif np.count_nonzero(combined) * WALK_NEWEST_WHEN_ONE_IN > len(self.ids):
            # Many pass: the first of them in newest-first order are near its start.
            chosen = _first_flagged(self.newest_order(), combined, limit)
        else:
            positions = np.flatnonzero(combined)
            # One key orders by date, then id: positions ascend with ids.
            keys = self.newness[positions].astype(np.int64) * (len(self.ids) + 1) + positions
            if len(keys) > limit:
                keys = keys[np.argpartition(-keys, limit - 1)[:limit]]
            chosen = np.sort(keys)[::-1] % (len(self.ids) + 1)
        return list(zip(self.newness[chosen].tolist(), self.ids[chosen].tolist()))

    def newest_order(self) -> np.ndarray:
        """Every position, newest first (date descending, then id descending: DATE_ORDERING); made once."""
        if "newest order" not in self.derived:
            order = np.lexsort((np.arange(len(self.ids), dtype=np.int32), self.newness))[::-1]
            self.derived["newest order"] = order.astype(np.int32)
        return self.derived["newest order"]

    def _combined(self, matcher, leave_out: np.ndarray | None, hits: np.ndarray | None) -> np.ndarray | None:
        """Which articles pass every filter (flagged by ``hits``, not left out); None: all of them."""
        return _all_of(list(self._filter_masks(matcher).values()) + self._base_masks(leave_out, hits))

    def _passing_all(self, matcher, leave_out: np.ndarray | None, hits: np.ndarray | None) -> np.ndarray:
        """Positions of the articles passing every filter (flagged by ``hits``, not left out)."""
        combined = self._combined(matcher, leave_out, hits)
        return np.arange(len(self.ids)) if combined is None else np.flatnonzero(combined)

    def _base_masks(self, leave_out: np.ndarray | None, hits: np.ndarray | None) -> list[np.ndarray]:
        base = []
        if hits is not None:
            base.append(hits)
        if leave_out is not None and len(leave_out):
            kept = np.ones(len(self.ids), dtype=bool)
            kept[leave_out] = False
            base.append(kept)
        return base

    def counts(self, matcher, *, leave_out: np.ndarray | None = None, hits: np.ndarray | None = None) -> dict:
        """The tally's raw counts (regions, themes, themes_added, dates, sources, kinds) under ``matcher``'s filters.

        ``matcher`` is a selectors.StateMatcher; ``leave_out`` are positions not
        to count (changed since the snapshot); ``hits`` flags the search's matches.
        """
        filters = self._filter_masks(matcher)
        base = self._base_masks(leave_out, hits)

        combined_for: dict[str | None, np.ndarray | None] = {}

        def passing(facet: str) -> np.ndarray | None:
            left_out = facet if facet in filters else None  # a facet with no filter of its own counts under all of them
            if left_out not in combined_for:
                combined_for[left_out] = _all_of(base + [mask for name, mask in filters.items() if name != left_out])
            return combined_for[left_out]

        positions_for: dict[int, np.ndarray] = {}

        def positions(facet: str) -> np.ndarray | None:
            # Facets counted under the same mask gather from the same positions (cheaper than a boolean index each).
            mask = passing(facet)
            if mask is None:
                return None
            if id(mask) not in positions_for:
                positions_for[id(mask)] = np.flatnonzero(mask)
            return positions_for[id(mask)]

        themes, themes_added = self._theme_counts(passing("theme"), matcher.themes)
        return {
            "regions": self._column_counts("regions", self.place, self.places, positions("region")),
            "themes": themes,
            "themes_added": themes_added,
            "dates": self._column_counts("dates", self.date, self.dates, positions("dates")),
            "sources": self._column_counts("sources", self.source, self.sources, positions("source")),
            "kinds": self._column_counts("kinds", self.kind, self.kinds, positions("kind")),
        }

    def _filter_masks(self, matcher) -> dict[str, np.ndarray]:
        """Per active facet, which articles pass its filter (a lookup over the column's distinct values)."""

        def lookup(facet: str, column: np.ndarray, values: list, state: Callable[[object], dict], candidates=None) -> np.ndarray:
            skip = ALL_FILTERS - FACET_FILTERS[facet]
            table = np.zeros(len(values), dtype=bool)
            for code in range(len(values)) if candidates is None else candidates:
                table[code] = matcher.matches(state(values[code]), skip=skip)
            return _passing_codes(table, column)

        masks = {}
        if matcher.regions:
            # Only a place holding a chosen code at some level can pass: test those, not all ~3,300.
            candidates = sorted({code for _column, region in matcher.regions for code in self._places_holding().get(region, ())})
            masks["region"] = lookup(
                "region", self.place, self.places, lambda p: {"province_id": p[0], "city_id": p[1], "county_id": p[2]},
                candidates,
            )
        if matcher.themes:
            masks["theme"] = self._carrying(matcher.themes)
        if matcher.years or matcher.months:
            masks["dates"] = lookup("dates", self.date, self.dates, lambda d: {"year": d[0], "month": d[1]})
        if matcher.sources:
            masks["source"] = lookup("source", self.source, self.sources, lambda s: {"source_id": s})
        if matcher.kinds:
            masks["kind"] = lookup("kind", self.kind, self.kinds, lambda k: {"kind": k})
        return masks

    def _places_holding(self) -> dict[str, list[int]]:
        """Region code -> codes of the places (province, city, county) that hold it at any level (built once)."""
        if "places" not in self.derived:
            holding: dict[str, list[int]] = {}
            for code, place in enumerate(self.places):
                for region in set(place) - {None, ""}:
                    holding.setdefault(region, []).append(code)
            self.derived["places"] = holding
        return self.derived["places"]

    def _carrying(self, theme_ids: Iterable[int]) -> np.ndarray:
        rows = [index for index, pk in enumerate(self.theme_ids) if pk in set(theme_ids)]
        if not rows:
            return np.zeros(len(self.ids), dtype=bool)
        carrying = self.themes[rows[0]].copy()
        for row in rows[1:]:
            carrying |= self.themes[row]
        return carrying

    def _column_counts(self, facet: str, column: np.ndarray, values: list, positions: np.ndarray | None) -> dict:
        if positions is None and facet in self.derived:
            return dict(self.derived[facet])
        counted = np.bincount(column if positions is None else column[positions], minlength=len(values))
        present = np.flatnonzero(counted)
        counts = dict(zip(map(values.__getitem__, present.tolist()), counted[present].tolist()))
        if positions is None:
            self.derived[facet] = counts
        return dict(counts)

    def _theme_counts(self, mask: np.ndarray | None, selected: set[int]) -> tuple[dict[int, int], dict[int, int]]:
        counts = self._per_theme(mask)
        if not selected:
            return counts, dict(counts)
        carrying = self._carrying(selected)
        return counts, self._per_theme(~carrying if mask is None else mask & ~carrying)

    def _per_theme(self, mask: np.ndarray | None) -> dict[int, int]:
        if mask is None:
            counted = np.count_nonzero(self.themes, axis=1)
        else:
            # Bit-packed, a theme's count under the mask is one AND and a popcount over n/8 bytes.
            if "packed themes" not in self.derived:
                self.derived["packed themes"] = np.packbits(self.themes, axis=1)
            counted = np.bitwise_count(self.derived["packed themes"] & np.packbits(mask)).sum(axis=1, dtype=np.int64)
        return {self.theme_ids[index]: int(n) for index, n in enumerate(counted) if n}


def _passing_codes(table: np.ndarray, column: np.ndarray) -> np.ndarray:
    """Which entries of ``column`` hold a code that ``table`` flags.

    Codes are assigned in sorted value order (_sorted_codes), so a province, a
    city, a year or one source is usually one run of codes: two comparisons
    over the column then answer, ~4x cheaper than gathering from the table.
    """
    passing = np.flatnonzero(table)
    if not len(passing):
        return np.zeros(len(column), dtype=bool)
    low, high = int(passing[0]), int(passing[-1])
    if high - low + 1 == len(passing):
        return column == low if low == high else (column >= low) & (column <= high)
    return np.take(table, column)


def _order_key(value) -> tuple:
    # None first, and never compared with a value: (False, None) < (True, anything).
    if isinstance(value, tuple):
        return tuple((part is not None, part) for part in value)
    return (value is not None, value)


def _sorted_codes(codes: _Codes, column: array) -> tuple[list, np.ndarray]:
    """The column's distinct values in sorted order, and the column recoded to match."""
    order = sorted(range(len(codes.values)), key=lambda code: _order_key(codes.values[code]))
    recode = np.empty(len(order), dtype=np.int32)
    recode[np.array(order, dtype=np.int64)] = np.arange(len(order), dtype=np.int32)
    raw = np.frombuffer(column, dtype=np.int32) if len(column) else np.zeros(0, dtype=np.int32)
    return [codes.values[code] for code in order], (recode[raw] if len(raw) else raw)


def _first_flagged(order: np.ndarray, flags: np.ndarray, limit: int) -> np.ndarray:
    """The first ``limit`` entries of ``order`` whose flag is set, read in growing slices."""
    found, start, size = [], 0, max(8 * limit, 4096)
    wanted = limit
    while wanted > 0 and start < len(order):
        chunk = order[start : start + size]
        passing = chunk[flags[chunk]][:wanted]
        found.append(passing)
        wanted -= len(passing)
        start, size = start + size, size * 4
    return np.concatenate(found) if found else np.zeros(0, dtype=order.dtype)


def _all_of(masks: list[np.ndarray]) -> np.ndarray | None:
    """The AND of ``masks`` (a new array), None for no mask at all (everything passes)."""
    if not masks:
        return None
    combined = masks[0].copy()
    for mask in masks[1:]:
        combined &= mask
    return combined


def ordinal(day: datetime.date | str | None) -> int:
    """An article's date_sort as the index orders it: the day's ordinal, -1 for none (last, newest first)."""
    if day is None:
        return -1
    if isinstance(day, str):  # a counted state's ISO date
        day = datetime.date.fromisoformat(day)
    return day.toordinal()


def pack_ids(ids: Iterable[int]) -> bytes:
    """Article ids, ascending, as compact bytes for the shared cache (deltas, compressed: ~1 byte per id)."""
    values = ids.astype(np.int64, copy=False) if isinstance(ids, np.ndarray) else np.fromiter(ids, dtype=np.int64)
    ordered = np.unique(values)
    return zlib.compress(np.diff(ordered, prepend=0).tobytes(), 1)


def unpack_ids(packed: bytes) -> np.ndarray:
    """The ascending ids pack_ids() packed."""
    return np.cumsum(np.frombuffer(zlib.decompress(packed), dtype=np.int64))


def pack_ranks(ranks: Iterable[float]) -> bytes:
    """Search ranks (floats, in the packed ids' order) as bytes for the shared cache."""
    values = ranks.astype(np.float64, copy=False) if isinstance(ranks, np.ndarray) else np.fromiter(ranks, dtype=np.float64)
    return zlib.compress(values.tobytes(), 1)


def unpack_ranks(packed: bytes | None) -> np.ndarray | None:
    """The ranks pack_ranks() packed (None stays None: no ranks kept)."""
    return None if packed is None else np.frombuffer(zlib.decompress(packed), dtype=np.float64)


def build(using: str | None = None) -> FacetIndex:
    """Read every public article's counted state into a FacetIndex, at the version the reads saw."""
    using = using or router.db_for_read(Article)
    for _attempt in range(BUILD_ATTEMPTS):
        index, version = catalogue.consistent(lambda: _read(using))
        if version is not None:  # else a write came between the reads (SQLite): read again
            index.version = version
            index.newest_order()  # made here, in gunicorn's master, it is shared by the workers
            return index
    raise RuntimeError(f"the catalogue kept changing while the facet index was read ({BUILD_ATTEMPTS} attempts)")


def _read(using: str) -> FacetIndex:
    ids, place, date, source, kind, newness = array("q"), array("i"), array("i"), array("i"), array("i"), array("i")
    places, dates, sources, kinds = _Codes(), _Codes(), _Codes(), _Codes()
    rows = (
        Article.objects.using(using).public().order_by("pk")
        .values_list("pk", "province_id", "city_id", "county_id", "year", "month", "source_id", "kind", "date_sort")
    )
    for pk, province, city, county, year, month, source_id, kind_value, day in rows.iterator(chunk_size=FETCH_CHUNK):
        newness.append(ordinal(day))
        ids.append(pk)
        place.append(places.code((province, city, county)))
        date.append(dates.code((year, month)))
        source.append(sources.code(source_id))
        kind.append(kinds.code(kind_value))
    article_ids = np.frombuffer(ids, dtype=np.int64) if len(ids) else np.zeros(0, dtype=np.int64)

    link_articles, link_themes = array("q"), array("q")
    links = Article.themes.through.objects.using(using).order_by().values_list("article_id", "theme_id")
    for article_id, theme_id in links.iterator(chunk_size=FETCH_CHUNK):
        link_articles.append(article_id)
        link_themes.append(theme_id)
    link_articles_np = np.frombuffer(link_articles, dtype=np.int64) if len(link_articles) else np.zeros(0, dtype=np.int64)
    link_themes_np = np.frombuffer(link_themes, dtype=np.int64) if len(link_themes) else np.zeros(0, dtype=np.int64)
    theme_ids = sorted(set(link_themes_np.tolist()))
    themes = np.zeros((len(theme_ids), len(article_ids)), dtype=bool)
    if len(article_ids) and len(link_articles_np):
        found = np.minimum(np.searchsorted(article_ids, link_articles_np), len(article_ids) - 1)
        public = article_ids[found] == link_articles_np  # links of hidden articles are not counted
        rows = np.searchsorted(np.array(theme_ids, dtype=np.int64), link_themes_np)
        themes[rows[public], found[public]] = True

    def column(values: array) -> np.ndarray:
        return np.frombuffer(values, dtype=np.int32) if len(values) else np.zeros(0, dtype=np.int32)

    codes = {code for place_codes in places.values for code in place_codes if code}
    source_ids = [pk for pk in sources.values if pk is not None]
    place_values, place_column = _sorted_codes(places, place)
    date_values, date_column = _sorted_codes(dates, date)
    source_values, source_column = _sorted_codes(sources, source)
    kind_values, kind_column = _sorted_codes(kinds, kind)

    return FacetIndex(
        version=catalogue.Version("", 0, ""),
        ids=article_ids,
        place=place_column, places=place_values,
        date=date_column, dates=date_values,
        source=source_column, sources=source_values,
        kind=kind_column, kinds=kind_values,
        newness=column(newness),
        themes=themes, theme_ids=theme_ids,
        region_names=dict(Region.objects.using(using).filter(code__in=codes).values_list("code", "name")) if codes else {},
        source_names=dict(Source.objects.using(using).filter(pk__in=source_ids).values_list("pk", "name")) if source_ids else {},
        theme_labels=list(Theme.objects.using(using).order_by("slug").values_list("pk", "slug", "name")),
    )


# --- The process's snapshot ------------------------------------------------------------------

_current: FacetIndex | None = None
_rebuilding = threading.Lock()


def enabled() -> bool:
    return settings.NEWSROOM_FACET_INDEX


def snapshot(version: Version) -> tuple[FacetIndex, list[ArticleDelta]] | None:
    """This process's snapshot and the changes from it to ``version``; None when there is none usable yet.

    A stale or missing snapshot is rebuilt: in a background thread when
    background counting is on (the caller uses SQL meanwhile), else here.
    """
    if not enabled():
        return None
    index = _current
    if index is not None and index.version.token == version.token and index.version.seq > version.seq:
        return None  # rebuilt after this request read its version: newer than the request, yet current
    changes = None if index is None else catalogue.changes_between(index.version, version)
    if changes is None or version.seq - index.version.seq > REBUILD_AFTER_CHANGES:
        if not settings.NEWSROOM_BACKGROUND_COUNTS:
            index = rebuild()
            changes = catalogue.changes_between(index.version, version)
        else:
            _rebuild_in_background()
    if changes is None:
        return None
    return index, changes


def rebuild(using: str | None = None) -> FacetIndex:
    """Build this process's snapshot now (gunicorn's master before forking, tests, a stale snapshot without background counting)."""
    global _current
    _current = build(using)
    return _current


def forget() -> None:
    """Drop this process's snapshot (tests)."""
    global _current
    _current = None


def _rebuild_in_background() -> None:
    if not _rebuilding.acquire(blocking=False):
        return  # this process is rebuilding already
    slot = catalogue.background_slot()
    if slot is None:
        _rebuilding.release()  # every slot busy: a later request starts it
        return

    def run() -> None:
        try:
            rebuild()
        except Exception:
            logger.exception("rebuilding the facet index failed")
        finally:
            catalogue.release_background_slot(slot)
            _rebuilding.release()
            connections.close_all()  # this thread's own connections

    threading.Thread(target=run, name="newsroom-facet-index", daemon=True).start()
