"""Chinese full-text search over articles: one interface, SQLite FTS5 or PostgreSQL tsvector.

    from articles.search import search_queryset, highlight_snippet

    results = search_queryset(Article.objects.public(), request.GET.get("q", ""))
    results = results.order_by("-search_rank", *NEWEST)  # when the query is meaningful
    highlight_snippet(article, q)                          # SafeString with <mark>s

The backend is chosen per query by the vendor of the queryset's database.
See docs/search.md for the design.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from types import ModuleType

from django.db import connections
from django.db.models import F, Q, QuerySet, TextField, Value
from django.db.models.functions import Cast, StrIndex, Upper
from django.db.models.lookups import GreaterThan
from django.utils.safestring import SafeString

from articles.search.query import MAX_QUERY_CHARS, ParsedQuery, is_meaningful_query, parse_query
from articles.text.chinese import to_traditional

__all__ = [
    "MAX_QUERY_CHARS", "ParsedQuery", "RELEVANCE_ORDERING", "DATE_ORDERING",
    "search_queryset", "is_meaningful_query", "parse_query", "highlight_snippet", "highlight_text",
    "order_results", "RankedHits", "index_article", "remove_article", "rebuild_index", "backend_for_vendor",
]

# Best first; date and id break ties so paging is stable.
RELEVANCE_ORDERING = ("-search_rank", F("date_sort").desc(nulls_last=True), "-id")
DATE_ORDERING = (F("date_sort").desc(nulls_last=True), "-id")


def backend_for_vendor(vendor: str) -> ModuleType:
    if vendor == "sqlite":
        from articles.search import sqlite as backend
    elif vendor == "postgresql":
        from articles.search import postgres as backend
    else:
        from articles.search import fallback as backend
    return backend


def search_queryset(queryset: QuerySet, raw_query: str) -> QuerySet:
    """Narrow `queryset` to articles matching `raw_query` and annotate `search_rank` (float, higher = better).

    All words must match, "quoted phrases" verbatim, -words must not. An empty
    or punctuation-only query returns `queryset` itself, without the
    annotation. The result stays a lazy queryset (no ids are fetched into
    Python): chain .filter() for facets, .order_by().values(...).annotate(
    Count(...)) for facet counts, and .order_by("-search_rank", ...) to rank
    (see order_results). A query of exclusions only annotates search_rank 0.
    """
    parsed = parse_query(raw_query or "")
    if parsed.is_empty:
        return queryset
    backend = backend_for_vendor(connections[queryset.db].vendor)
    # Exclusions the index alone can decide go into the index query; those
    # that need a verbatim check exclude (index match AND verbatim text).
    plain = [unit for unit in parsed.exclusions if not unit.chunks]
    checked = [unit for unit in parsed.exclusions if unit.chunks]
    queryset = backend.search(queryset, parsed.groups, plain)
    for group in parsed.groups:
        if len(group) == 1 and group[0].chunks:
            queryset = queryset.filter(_verbatim_condition(group[0], backend))
        elif any(unit.chunks for unit in group):
            # Either unit, each by its own test: the index query matched the group as a whole.
            queryset = queryset.filter(
                Q(
                    *(
                        backend.unit_condition(unit) & _verbatim_condition(unit, backend) if unit.chunks
                        else backend.unit_condition(unit)
                        for unit in group
                    ),
                    _connector=Q.OR,
                )
            )
    for unit in checked:
        queryset = queryset.exclude(backend.unit_condition(unit) & _verbatim_condition(unit, backend))
    return queryset


def rank_known_hits(queryset: QuerySet, raw_query: str) -> QuerySet | None:
    """``queryset`` (rows known to match ``raw_query``) annotated with its search_rank, nothing tested again.

    Ranking a search's newest hits needs only their ranks: testing the match
    and the filters again doubled the cost on PostgreSQL (each test reads the
    row's tsvector again). None where ranks come only with the match (SQLite's bm25).
    """
    backend = backend_for_vendor(connections[queryset.db].vendor)
    if not hasattr(backend, "rank"):
        return None
    return backend.rank(queryset, parse_query(raw_query or "").groups)


# Where a unit's text is checked verbatim, by field ("" = anywhere).
_HEAD_FIELDS = ("title", "kicker", "subtitle")


def _verbatim_condition(unit, backend) -> Q:
    """Each chunk appears in the unit's field: title, kicker or subtitle, bylines, the source name
    (each in either script) or the Simplified body.

    The index knows words, not their order; this makes a phrase a phrase. It
    runs only on the rows the index matched.
    """
    condition = Q()
    for chunk in unit.chunks:
        if not unit.runs and unit.tokens == (chunk.lower(),):
            continue  # a one-word phrase: the index match already says it all
        variants = sorted({chunk, to_traditional(chunk)})
        alternatives = []
        if unit.field in ("", "head"):
            alternatives += [_contains(name, variant) for name in _HEAD_FIELDS for variant in variants]
        if not unit.field:
            # Before the names: most hits have the phrase in the body, and an OR stops at the first true test.
            alternatives.append(_contains("body_simplified", chunk))
        if unit.field in ("", "byline"):
            # Bylines are a short JSON list: its text form holds every name.
            alternatives += [_contains(_BylinesText(), backend.byline_needle(variant)) for variant in variants]
        if unit.field in ("", "source"):
            from articles.models import Source

            names = Q(*(_contains("name", variant) for variant in variants), _connector=Q.OR)
            alternatives.append(Q(source_id__in=Source.objects.filter(names).values("pk")))
        condition &= Q(*alternatives, _connector=Q.OR)
    return condition


def _BylinesText():
    return Cast("bylines", TextField())


def _contains(field, text: str) -> Q:
    """Substring test of a field name (or an expression). Without cased letters: instr()/strpos(),
    several times cheaper on long bodies than LIKE '%…%' (and PostgreSQL's UPPER() LIKE)."""
    if text.lower() != text.upper():
        if not isinstance(field, str):
            return Q(GreaterThan(StrIndex(Upper(field), Value(text.upper())), 0))
        return Q(**{f"{field}__icontains": text})
    return Q(GreaterThan(StrIndex(field, Value(text)), 0))


def order_results(queryset: QuerySet, raw_query: str, sort: str = "") -> QuerySet:
    """Relevance order for a meaningful query unless sort == "date"; newest first otherwise."""
    if sort != "date" and is_meaningful_query(raw_query) and "search_rank" in queryset.query.annotations:
        return queryset.order_by(*RELEVANCE_ORDERING)
    return queryset.order_by(*DATE_ORDERING)




class RankedHits(Sequence):
    """A search's hits in bounded relevance order, sliceable like a queryset (for a Paginator).

    With N candidates, positions 0 … N-1 hold the newest N hits (in
    DATE_ORDERING), best first (RELEVANCE_ORDERING); every later position
    holds the remaining hits newest first. Since the candidates are exactly
    the first N hits in date order, a later position is the same position of
    the date ordering, so each page is one bounded query: a ranking of the
    candidates only, or a date page off the listing index. With at most N
    hits this is exactly RELEVANCE_ORDERING, as it is when ``count`` (the
    hit count, if the caller knows it) is at most N. (Ranking every hit up to
    10 × N, as this once did to spare the database finding the candidates,
    made the order depend on whether the facet index could name them: ranking
    costs ~14 ms per 1,000 hits on PostgreSQL, the index names the newest N
    in milliseconds.)
    Nothing is dropped: the items and the count are those of the queryset.

    N defaults to the backend's RANK_CANDIDATES: 2000 on PostgreSQL, where
    ts_rank must detoast every ranked hit's tsvector (all ~40k hits of a
    broad word: ~300 ms; the newest 2000: ~35 ms); None (rank every hit) on
    SQLite, where bm25 is cheap next to the FTS5 join that counting needs
    anyway, and the candidate subquery measured slower than ranking all.

    ``queryset`` is a search_queryset result (it has search_rank); items are
    what slicing it gives (model instances, or pks after values_list).
    """

    def __init__(
        self,
        queryset: QuerySet,
        candidates: int | None = None,
        count: int | None = None,
        newest: Callable[[int], list[int] | None] | None = None,
        ranked: Callable[[int, int], list[int] | None] | None = None,
        order_named: Callable[[list[int], int, int], list | None] | None = None,
    ) -> None:
        self.queryset = queryset
        self.newest = newest  # ids of the newest N hits, when the caller has them cheaper (the facet index); None: ask SQL
        # Items [start, stop) of the hits ``newest`` named, in RELEVANCE_ORDERING, ranked the caller's cheaper
        # way (kept ranks, or ranks alone without testing the match and filters again); None: the queryset
        # filtered by pk ranks them. Same order either way, so never a different list.
        self.order_named = order_named
        # ids at [start, stop) in RELEVANCE_ORDERING, when the caller holds every hit's rank (the facet index on
        # SQLite, where bm25 over every hit of a broad word costs ~1 s); None: rank in SQL. For a pk queryset only.
        self.ranked = ranked
        if candidates is None:
            candidates = backend_for_vendor(connections[queryset.db].vendor).RANK_CANDIDATES
        self.candidates = candidates
        self._count = count  # when the caller knows it (cached), slicing never counts
        self._given_count = count  # only a count the caller gave can choose exact ranking (slices stay cheap)

    def _newest(self, limit: int | None) -> list[int] | None:
        return self.newest(limit) if self.newest is not None and limit is not None else None

    def _ranked(self, hits: list[int], start: int, stop: int) -> list:
        """Items [start, stop) of these hits (named by the caller) in RELEVANCE_ORDERING."""
        ordered = self.order_named(hits, start, stop) if self.order_named is not None else None
        if ordered is not None:
            return ordered
        return list(self.queryset.filter(pk__in=hits).order_by(*RELEVANCE_ORDERING)[start:stop])

    def count(self) -> int:
        if self._count is None:
            self._count = self.queryset.order_by().count()
        return self._count

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):
        if isinstance(index, int):
            found = self[index : index + 1] if index >= 0 else []
            if not found:
                raise IndexError(index)
            return found[0]
        start, stop, step = index.start or 0, index.stop, index.step or 1
        if start < 0 or stop is None or stop < 0:
            start, stop, step = index.indices(self.count())
        if step != 1:
            raise ValueError("RankedHits supports only contiguous slices")
        limit, known = self.candidates, self._given_count
        if limit is None:  # every hit ranked (SQLite): in memory when the caller holds the ranks
            in_memory = self.ranked(start, stop) if self.ranked is not None else None
            if in_memory is not None:
                return in_memory
            return list(self.queryset.order_by(*RELEVANCE_ORDERING)[start:stop])
        # The candidates, named by the caller when it can (all the hits when there are at most N).
        # Which ordering a list gets depends only on its count, never on who names them, so a
        # list page and its hit-to-hit navigation agree whichever worker serves them.
        newest = self._newest(limit)
        if known is not None and known <= limit:
            if newest is not None:
                return self._ranked(newest, start, stop)
            return list(self.queryset.order_by(*RELEVANCE_ORDERING)[start:stop])
        items: list = []
        if start < min(stop, limit):
            if newest is not None:
                items += self._ranked(newest, start, min(stop, limit))
            else:
                ranked = self.queryset.filter(pk__in=self.queryset.order_by(*DATE_ORDERING).values("pk")[:limit])
                items += list(ranked.order_by(*RELEVANCE_ORDERING)[start : min(stop, limit)])
        if stop > limit:
            items += list(self.queryset.order_by(*DATE_ORDERING)[max(start, limit) : stop])
        return items


def highlight_snippet(article, raw_query: str, width: int = 120) -> SafeString:
    from articles.search.highlight import highlight_snippet as _highlight

    return _highlight(article, raw_query, width)


def highlight_text(text: str, raw_query: str, field: str = "") -> SafeString:
    from articles.search.highlight import highlight_text as _highlight

    return _highlight(text, raw_query, field)


def index_article(article) -> None:
    from articles.search.indexing import index_article as _index

    _index(article)


def remove_article(article_id: int) -> None:
    from articles.search.indexing import remove_article as _remove

    _remove(article_id)


def rebuild_index(**options) -> int:
    from articles.search.indexing import rebuild_index as _rebuild

    return _rebuild(**options)
