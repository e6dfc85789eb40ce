"""SQLite backend: an FTS5 table over Article.search_document, kept by triggers.

The table ``articles_search`` is contentless (content=''): it stores only the
index, two columns (head: kicker, title and subtitle; body), with
``rowid = articles_article.id``. Triggers on articles_article feed it from
search_document on every INSERT, UPDATE OF search_document and DELETE, so
whatever writes an article (ingest, the admin, a queryset delete, raw SQL)
leaves the index in step inside the same transaction. A contentless table
deletes by replaying the old values, which the triggers always have
(old.search_document is exactly what was indexed).

A search joins the table through the unmanaged SearchIndexEntry model (a 1:1
join, so facet counts stay right) and reads FTS5's ``rank`` column: bm25
with head weighted 4:1 over body, configured once in the table.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connections
from django.db.models import F, FloatField, Lookup, Q, QuerySet, Value
from django.db.models.functions import Cast

from articles.search.query import Unit

TABLE = "articles_search"
HEAD_WEIGHT, BODY_WEIGHT = 4.0, 1.0
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
    return "(" + " AND ".join([*map(_quote, unit.tokens), *map(_run, unit.runs)]) + ")"


def match_expression(positive: Sequence[Unit], negative: Sequence[Unit]) -> str:
    """One FTS5 expression: all positive units, none of the negative ones (needs a positive unit)."""
    expression = " AND ".join(map(unit_expression, positive))
    if negative:
        expression += " NOT (" + " OR ".join(map(unit_expression, negative)) + ")"
    return expression


def unit_condition(unit: Unit) -> Q:
    """Articles whose index matches this unit, as a condition on Article."""
    from articles.models import SearchIndexEntry

    return Q(pk__in=SearchIndexEntry.objects.filter(document__fts5_match=unit_expression(unit)).values("article_id"))


def search(queryset: QuerySet, positive: Sequence[Unit], negative: Sequence[Unit]) -> QuerySet:
    """Filter by the index and annotate search_rank (-bm25: higher is better)."""
    if positive:
        return queryset.filter(search_entry__document__fts5_match=match_expression(positive, negative)).annotate(
            search_rank=Cast(-F("search_entry__rank"), FloatField())
        )
    for unit in negative:
        queryset = queryset.exclude(unit_condition(unit))
    return queryset.annotate(search_rank=Value(0.0, output_field=FloatField()))


# --- Structures ----------------------------------------------------------


def _head(ref: str) -> str:
    return f"CASE WHEN instr({ref}, char(10)) > 0 THEN substr({ref}, 1, instr({ref}, char(10)) - 1) ELSE '' END"


def _body(ref: str) -> str:
    return f"CASE WHEN instr({ref}, char(10)) > 0 THEN substr({ref}, instr({ref}, char(10)) + 1) ELSE {ref} END"


def _index_row(row: str) -> str:
    return f"{row}.id, {_head(row + '.search_document')}, {_body(row + '.search_document')}"


CREATE_TABLE = [
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {TABLE} USING fts5("
    "head, body, content='', tokenize='unicode61 remove_diacritics 2')",
    f"INSERT INTO {TABLE}({TABLE}, rank) VALUES ('rank', 'bm25({HEAD_WEIGHT}, {BODY_WEIGHT})')",
]

CREATE_TRIGGERS = [
    f"""CREATE TRIGGER IF NOT EXISTS articles_search_ai AFTER INSERT ON articles_article
    WHEN new.search_document != '' BEGIN
        INSERT INTO {TABLE}(rowid, head, body) SELECT {_index_row('new')};
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS articles_search_ad AFTER DELETE ON articles_article
    WHEN old.search_document != '' BEGIN
        INSERT INTO {TABLE}({TABLE}, rowid, head, body) SELECT 'delete', {_index_row('old')};
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS articles_search_au AFTER UPDATE OF search_document ON articles_article
    WHEN old.search_document IS NOT new.search_document BEGIN
        INSERT INTO {TABLE}({TABLE}, rowid, head, body) SELECT 'delete', {_index_row('old')}
            WHERE old.search_document != '';
        INSERT INTO {TABLE}(rowid, head, body) SELECT {_index_row('new')}
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
    cursor.execute(
        f"INSERT INTO {TABLE}(rowid, head, body) SELECT {_index_row('a')} "
        "FROM articles_article AS a WHERE a.search_document != ''"
    )


def structures_present(cursor) -> bool:
    cursor.execute(
        "SELECT count(*) FROM sqlite_master WHERE (type = 'table' AND name = %s) OR (type = 'trigger' AND name IN (%s, %s, %s))",
        [TABLE, *TRIGGERS],
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
