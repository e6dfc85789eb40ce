"""SQLite backend: an FTS5 table over Article.search_document, kept by triggers.

The table ``articles_search`` is contentless (content=''): it stores only the
index, four columns (head: kicker, title and subtitle; body; byline; source,
the four lines of search_document), with
``rowid = articles_article.id``. Triggers on articles_article feed it from
search_document on every INSERT, UPDATE OF search_document and DELETE, so
whatever writes an article (ingest, the admin, a queryset delete, raw SQL)
leaves the index in step inside the same transaction. A contentless table
deletes by replaying the old values, which the triggers always have
(old.search_document is exactly what was indexed).

A search joins the table through the unmanaged SearchIndexEntry model (a 1:1
join, so facet counts stay right) and reads FTS5's ``rank`` column: bm25
with head 4, byline 2, body and source 1, configured once in the table. A
fielded unit (作者:…) is an FTS5 column filter, ``byline : (…)``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from django.db import connections
from django.db.models import F, FloatField, Lookup, Q, QuerySet, Value
from django.db.models.functions import Cast

from articles.search.query import Unit

TABLE = "articles_search"
HEAD_WEIGHT, BODY_WEIGHT, BYLINE_WEIGHT, SOURCE_WEIGHT = 4.0, 1.0, 2.0, 1.0
COLUMNS = ("head", "body", "byline", "source")
FIELD_COLUMNS = {"head": "head", "byline": "byline", "source": "source"}
TRIGGERS = ("articles_search_ai", "articles_search_ad", "articles_search_au")
# The list page ranks every hit (articles.search.RankedHits): bm25 adds ~30 ms
# to the ~30 ms the FTS5 join costs for 40k hits, less than a bounded
# candidate subquery would (it needs the same join and a sort).
RANK_CANDIDATES = None


class FTS5Match(Lookup):
    """``<fts table hidden column> MATCH <expression>``; the expression is a bound parameter."""

    lookup_name = "fts5_match"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} MATCH {rhs}", [*lhs_params, *rhs_params]


def _register_lookup() -> None:
    from articles.models import SearchIndexEntry

    SearchIndexEntry._meta.get_field("document").register_lookup(FTS5Match)


_register_lookup()


# --- Query ---------------------------------------------------------------


def _quote(token: str) -> str:
    # Tokens are word characters only (query.py), so this is belt and braces:
    # inside an FTS5 string nothing is syntax but the doubled quote.
    return '"' + token.replace('"', '""') + '"'


def _run(run: str) -> str:
    if len(run) == 1:
        return _quote(run) + "*"
    return "((" + " AND ".join(_quote(char) for char in run) + ") OR " + _quote(run) + "*)"


def unit_expression(unit: Unit) -> str:
    expression = "(" + " AND ".join([*map(_quote, unit.tokens), *map(_run, unit.runs)]) + ")"
    if unit.field:
        return f"({FIELD_COLUMNS[unit.field]} : {expression})"
    return expression


def group_expression(group: Sequence[Unit]) -> str:
    if len(group) == 1:
        return unit_expression(group[0])
    return "(" + " OR ".join(map(unit_expression, group)) + ")"


def match_expression(positive: Sequence[Sequence[Unit]], negative: Sequence[Unit]) -> str:
    """One FTS5 expression: every positive group (any of its units), none of the negative units."""
    expression = " AND ".join(map(group_expression, positive))
    if negative:
        expression += " NOT (" + " OR ".join(map(unit_expression, negative)) + ")"
    return expression


def unit_condition(unit: Unit) -> Q:
    """Articles whose index matches this unit, as a condition on Article."""
    from articles.models import SearchIndexEntry

    return Q(pk__in=SearchIndexEntry.objects.filter(document__fts5_match=unit_expression(unit)).values("article_id"))


def byline_needle(text: str) -> str:
    """``text`` as it appears inside the stored bylines: Django's JSON on SQLite escapes non-ASCII (\\uXXXX)."""
    return json.dumps(text)[1:-1]


def search(queryset: QuerySet, positive: Sequence[Sequence[Unit]], negative: Sequence[Unit]) -> QuerySet:
    """Filter by the index and annotate search_rank (-bm25: higher is better)."""
    if positive:
        return queryset.filter(search_entry__document__fts5_match=match_expression(positive, negative)).annotate(
            search_rank=Cast(-F("search_entry__rank"), FloatField())
        )
    for unit in negative:
        queryset = queryset.exclude(unit_condition(unit))
    return queryset.annotate(search_rank=Value(0.0, output_field=FloatField()))


# --- Structures ----------------------------------------------------------


def _before(ref: str, otherwise: str) -> str:
    return f"CASE WHEN instr({ref}, char(10)) > 0 THEN substr({ref}, 1, instr({ref}, char(10)) - 1) ELSE {otherwise} END"


def _after(ref: str, otherwise: str) -> str:
    return f"CASE WHEN instr({ref}, char(10)) > 0 THEN substr({ref}, instr({ref}, char(10)) + 1) ELSE {otherwise} END"


def _index_rows(select: str) -> str:
    """SELECT rowid, head, body, byline, source from ``select`` (columns i and d: id and search_document).

    The four lines are cut one at a time in nested selects, each line once.
    A document without a newline is all body; two lines are head and body.
    """
    lines01 = f"SELECT i, {_before('d', chr(39) * 2)} AS h, {_after('d', 'd')} AS r1 FROM ({select})"
    lines12 = f"SELECT i, h, {_before('r1', 'r1')} AS b, {_after('r1', chr(39) * 2)} AS r2 FROM ({lines01})"
    lines23 = f"SELECT i, h, b, {_before('r2', 'r2')} AS y, {_after('r2', chr(39) * 2)} AS r3 FROM ({lines12})"
    return f"SELECT i, h, b, y, {_before('r3', 'r3')} FROM ({lines23})"


def _index_row(row: str) -> str:
    return _index_rows(f"SELECT {row}.id AS i, {row}.search_document AS d")


CREATE_TABLE = [
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {TABLE} USING fts5("
    f"{', '.join(COLUMNS)}, content='', tokenize='unicode61 remove_diacritics 2')",
    f"INSERT INTO {TABLE}({TABLE}, rank) VALUES "
    f"('rank', 'bm25({HEAD_WEIGHT}, {BODY_WEIGHT}, {BYLINE_WEIGHT}, {SOURCE_WEIGHT})')",
]

CREATE_TRIGGERS = [
    f"""CREATE TRIGGER IF NOT EXISTS articles_search_ai AFTER INSERT ON articles_article
    WHEN new.search_document != '' BEGIN
        INSERT INTO {TABLE}(rowid, {', '.join(COLUMNS)}) {_index_row('new')};
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS articles_search_ad AFTER DELETE ON articles_article
    WHEN old.search_document != '' BEGIN
        INSERT INTO {TABLE}({TABLE}, rowid, {', '.join(COLUMNS)}) SELECT 'delete', * FROM ({_index_row('old')});
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS articles_search_au AFTER UPDATE OF search_document ON articles_article
    WHEN old.search_document IS NOT new.search_document BEGIN
        INSERT INTO {TABLE}({TABLE}, rowid, {', '.join(COLUMNS)}) SELECT 'delete', * FROM ({_index_row('old')})
            WHERE old.search_document != '';
        INSERT INTO {TABLE}(rowid, {', '.join(COLUMNS)}) SELECT * FROM ({_index_row('new')})
            WHERE new.search_document != '';
    END""",
]

DROP = [*(f"DROP TRIGGER IF EXISTS {name}" for name in TRIGGERS), f"DROP TABLE IF EXISTS {TABLE}"]


def create_structures(cursor) -> None:
    for statement in CREATE_TABLE + CREATE_TRIGGERS:
        cursor.execute(statement)


def drop_structures(cursor) -> None:
    for statement in DROP:
        cursor.execute(statement)


def fill(cursor) -> None:
    """Empty the index and index every article's stored search_document again."""
    cursor.execute(f"INSERT INTO {TABLE}({TABLE}) VALUES ('delete-all')")
    rows = _index_rows("SELECT a.id AS i, a.search_document AS d FROM articles_article AS a WHERE a.search_document != ''")
    cursor.execute(f"INSERT INTO {TABLE}(rowid, {', '.join(COLUMNS)}) {rows}")


def structures_present(cursor) -> bool:
    """The table (with today's columns) and its triggers exist."""
    cursor.execute(
        "SELECT count(*) FROM sqlite_master WHERE (type = 'table' AND name = %s AND sql LIKE %s) "
        "OR (type = 'trigger' AND name IN (%s, %s, %s))",
        [TABLE, f"%{', '.join(COLUMNS)},%", *TRIGGERS],
    )
    return cursor.fetchone()[0] == 1 + len(TRIGGERS)


def ensure_structures(using: str = "default") -> bool:
    """Recreate the table and triggers if something dropped them; True if it had to.

    Django rebuilds a SQLite table for some ALTERs (copy, drop, rename), which
    drops its triggers: a later migration on articles_article would silently
    stop indexing without this (run after every migrate).
    """
    with connections[using].cursor() as cursor:
        if structures_present(cursor):
            return False
        drop_structures(cursor)
        create_structures(cursor)
        fill(cursor)
        return True


def rebuild(using: str = "default") -> None:
    with connections[using].cursor() as cursor:
        drop_structures(cursor)
        create_structures(cursor)
        fill(cursor)
        cursor.execute(f"INSERT INTO {TABLE}({TABLE}) VALUES ('optimize')")


def row_counts(using: str = "default") -> tuple[int, int]:
    """(documents in the index, articles with a search_document): equal when in step.

    FTS5's own 'integrity-check' cannot see a contentless table's content,
    so this compares the index's per-document rows with the articles.
    """
    with connections[using].cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {TABLE}_docsize")
        indexed = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM articles_article WHERE search_document != ''")
        return indexed, cursor.fetchone()[0]
