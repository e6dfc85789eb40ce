"""Any other database: a plain substring search, correct but unindexed.

The project runs on SQLite and PostgreSQL; this only keeps the interface whole
elsewhere (e.g. a quick try on another backend).
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import FloatField, Q, QuerySet, Value

from articles.search.query import Unit

FIELDS = {
    "": ("kicker", "title", "subtitle", "body_simplified", "source__name"),
    "head": ("kicker", "title", "subtitle"),
    "byline": (),
    "source": ("source__name",),
}
RANK_CANDIDATES = None  # rank every hit (see articles.search.RankedHits)


def unit_condition(unit: Unit) -> Q:
    condition = Q()
    for needle in unit.chunks or (*unit.tokens, *unit.runs):
        alternatives = [Q(**{f"{name}__icontains": needle}) for name in FIELDS[unit.field]]
        if unit.field in ("", "byline"):
            alternatives.append(Q(bylines__icontains=byline_needle(needle)))
        condition &= Q(*alternatives, _connector=Q.OR)
    return condition


def byline_needle(text: str) -> str:
    return text


def search(queryset: QuerySet, positive: Sequence[Sequence[Unit]], negative: Sequence[Unit]) -> QuerySet:
    for group in positive:
        queryset = queryset.filter(Q(*map(unit_condition, group), _connector=Q.OR))
    for unit in negative:
        queryset = queryset.exclude(unit_condition(unit))
    return queryset.annotate(search_rank=Value(0.0, output_field=FloatField()))


def ensure_structures(using: str = "default") -> bool:
    return False


def rebuild(using: str = "default") -> None:
    return None
