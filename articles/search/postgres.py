"""PostgreSQL backend: a generated tsvector column with a GIN index.

``articles_article.search_vector`` is ``GENERATED ALWAYS AS (…) STORED`` from
search_document with the 'simple' configuration (the text is segmented
already: 'simple' only lowercases, no stemming, no stop words). The head line
(kicker, title, subtitle) gets weight A, the bylines B, the source name C,
the body D; ts_rank weighs A four times D and B twice, as the SQLite bm25
does. A fielded unit (作者:…) asks for lexemes of its weight only
(``'李小龙':B``), which the GIN index answers like any other. Being generated, the column can
never disagree with search_document, whatever writes the row.

The column is deliberately not a model field: Django would select a large
tsvector with every article. Expressions here reference it by the query's own
table alias, so a search still works inside subqueries and joins.

Queries are built only from bound parameters passed to plainto_tsquery, which
ignores every tsquery operator: there is nothing to inject.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connections
from django.db.models import BooleanField, Expression, FloatField, Q, QuerySet, TextField, Value
from django.db.models.expressions import Col

from articles.search.query import Unit

COLUMN = "search_vector"
INDEX = "articles_article_search_gin"
CONFIG = "simple"
# ts_rank weights, in the order {D, C, B, A}: body D, source C, bylines B, head A.
RANK_WEIGHTS = "{0.25, 0.25, 0.5, 1.0}"
# 1: divide by 1 + log(document length), so long articles do not win by size.
RANK_NORMALIZATION = 1
# The list page ranks only the newest this many hits (articles.search.RankedHits):
# ts_rank detoasts each ranked tsvector, ~0.0075 ms a hit at 100k articles.
RANK_CANDIDATES = 2000
FIELD_WEIGHTS = {"head": "A", "byline": "B", "source": "C"}


class _Column:
    """Stand-in for a model field: all Col needs is the column name."""

    def __init__(self, column: str) -> None:
        self.column = column

    def get_db_converters(self, connection):
        return []


_VECTOR = _Column(COLUMN)


class SearchVectorColumn(Expression):
    """articles_article.search_vector under whatever alias the query gives the table."""

    output_field = TextField()

    def resolve_expression(self, query=None, allow_joins=True, reuse=None, summarize=False, for_save=False):
        return Col(query.get_initial_alias(), _VECTOR, output_field=TextField())

    def as_sql(self, compiler, connection):  # pragma: no cover - always resolved first
        raise ValueError("SearchVectorColumn must be resolved against a query")


class TSQuery(Expression):
    """All positive units AND NOT any negative one, as a tsquery built from bound parameters.

    plainto_tsquery ignores every operator in its input; the only other piece,
    a run's prefix match, is a to_tsquery of one quoted lexeme made of CJK
    characters (query.py guarantees it), quotes doubled all the same.
    """

    output_field = TextField()

    def __init__(self, positive: Sequence[Sequence[Unit]], negative: Sequence[Unit] = ()) -> None:
        super().__init__()
        self.positive = tuple(tuple(group) for group in positive)
        self.negative = tuple(negative)

    @staticmethod
    def _lexeme(word: str, weight: str = "", prefix: bool = False) -> str:
        label = ("*" if prefix else "") + weight
        return "'" + word.replace("'", "''").replace("\\", "\\\\") + "'" + (":" + label if label else "")

    @classmethod
    def _fielded(cls, unit: Unit) -> tuple[str, list[str]]:
        """A unit of one field: to_tsquery of its lexemes, each restricted to the field's weight.

        Tokens and runs are word characters only (query.py), quoted all the same.
        """
        weight = FIELD_WEIGHTS[unit.field]
        parts = [cls._lexeme(token, weight) for token in unit.tokens]
        for run in unit.runs:
            whole = cls._lexeme(run, weight, prefix=True)
            if len(run) == 1:
                parts.append(whole)
            else:
                parts.append("((" + " & ".join(cls._lexeme(char, weight) for char in run) + ") | " + whole + ")")
        return f"to_tsquery('{CONFIG}'::regconfig, %s)", [" & ".join(parts)]

    @classmethod
    def _unit(cls, unit: Unit) -> tuple[str, list[str]]:
        if unit.field:
            return cls._fielded(unit)
        parts, params = [], []
        if unit.tokens:
            parts.append(f"plainto_tsquery('{CONFIG}'::regconfig, %s)")
            params.append(" ".join(unit.tokens))
        for run in unit.runs:
            prefix = f"to_tsquery('{CONFIG}'::regconfig, %s)"
            lexeme = "'" + run.replace("'", "''").replace("\\", "\\\\") + "':*"
            if len(run) == 1:
                parts.append(prefix)
                params.append(lexeme)
            else:
                parts.append(f"(plainto_tsquery('{CONFIG}'::regconfig, %s) || {prefix})")
                params += [" ".join(run), lexeme]
        return "(" + " && ".join(parts) + ")", params

    def as_sql(self, compiler, connection):
        parts, params = [], []
        for group in self.positive:
            alternatives = []
            for unit in group:
                sql, unit_params = self._unit(unit)
                alternatives.append(sql)
                params += unit_params
            parts.append(alternatives[0] if len(alternatives) == 1 else "(" + " || ".join(alternatives) + ")")
        for unit in self.negative:
            sql, unit_params = self._unit(unit)
            parts.append("!!" + sql)
            params += unit_params
        return "(" + " && ".join(parts) + ")", params

    def get_group_by_cols(self):
        return []


class _VectorAndQuery(Expression):
    """An expression over a tsvector and a tsquery; subclasses say what SQL joins them."""

    def __init__(self, vector, query) -> None:
        super().__init__()
        self.vector, self.query = vector, query

    def get_source_expressions(self):
        return [self.vector, self.query]

    def set_source_expressions(self, exprs):
        self.vector, self.query = exprs

    def combine(self, vector_sql: str, query_sql: str) -> str:
        raise NotImplementedError

    def as_sql(self, compiler, connection):
        vector_sql, vector_params = compiler.compile(self.vector)
        query_sql, query_params = compiler.compile(self.query)
        return self.combine(vector_sql, query_sql), [*vector_params, *query_params]


class TSMatch(_VectorAndQuery):
    """``vector @@ query``: a condition usable in filter()."""

    output_field = BooleanField()
    conditional = True

    def combine(self, vector_sql: str, query_sql: str) -> str:
        return f"{vector_sql} @@ {query_sql}"


class TSRank(_VectorAndQuery):
    """ts_rank with the head weighted over the body."""

    output_field = FloatField()

    def combine(self, vector_sql: str, query_sql: str) -> str:
        return f"ts_rank('{RANK_WEIGHTS}'::float4[], {vector_sql}, {query_sql}, {RANK_NORMALIZATION})::float8"


def unit_condition(unit: Unit) -> Q:
    """Articles whose search_vector matches this unit, as a condition on Article."""
    return Q(TSMatch(SearchVectorColumn(), TSQuery([(unit,)])))


def byline_needle(text: str) -> str:
    """``text`` as it appears in bylines::text (jsonb prints non-ASCII as itself)."""
    return text


def rank(queryset: QuerySet, positive: Sequence[Sequence[Unit]]) -> QuerySet:
    """Annotate search_rank as search() does, without the match: for rows already known to be hits."""
    if not positive:
        return queryset.annotate(search_rank=Value(0.0, output_field=FloatField()))
    return queryset.annotate(search_rank=TSRank(SearchVectorColumn(), TSQuery(positive)))


def search(queryset: QuerySet, positive: Sequence[Sequence[Unit]], negative: Sequence[Unit]) -> QuerySet:
    """Filter with the GIN-indexed @@ and annotate search_rank (ts_rank: higher is better)."""
    if not positive and not negative:
        return queryset.annotate(search_rank=Value(0.0, output_field=FloatField()))
    return rank(queryset.filter(TSMatch(SearchVectorColumn(), TSQuery(positive, negative))), positive)


# --- Structures ----------------------------------------------------------

VECTOR_EXPRESSION = (
    f"setweight(to_tsvector('{CONFIG}'::regconfig, split_part(search_document, E'\\n', 1)), 'A') || "
    f"setweight(to_tsvector('{CONFIG}'::regconfig, split_part(search_document, E'\\n', 2)), 'D') || "
    f"setweight(to_tsvector('{CONFIG}'::regconfig, split_part(search_document, E'\\n', 3)), 'B') || "
    f"setweight(to_tsvector('{CONFIG}'::regconfig, split_part(search_document, E'\\n', 4)), 'C')"
)

CREATE = [
    f"ALTER TABLE articles_article ADD COLUMN IF NOT EXISTS {COLUMN} tsvector "
    f"GENERATED ALWAYS AS ({VECTOR_EXPRESSION}) STORED",
    f"CREATE INDEX IF NOT EXISTS {INDEX} ON articles_article USING gin ({COLUMN})",
]
DROP = [f"DROP INDEX IF EXISTS {INDEX}", f"ALTER TABLE articles_article DROP COLUMN IF EXISTS {COLUMN}"]


def create_structures(cursor) -> None:
    for statement in CREATE:
        cursor.execute(statement)


def drop_structures(cursor) -> None:
    for statement in DROP:
        cursor.execute(statement)


def structures_present(cursor) -> bool:
    cursor.execute(
        "SELECT (SELECT count(*) FROM information_schema.columns WHERE table_schema = current_schema() "
        "AND table_name = 'articles_article' AND column_name = %s) + "
        "(SELECT count(*) FROM pg_indexes WHERE schemaname = current_schema() AND indexname = %s)",
        [COLUMN, INDEX],
    )
    return cursor.fetchone()[0] == 2


def ensure_structures(using: str = "default") -> bool:
    with connections[using].cursor() as cursor:
        if structures_present(cursor):
            return False
        create_structures(cursor)
        return True


def rebuild(using: str = "default") -> None:
    """The column is generated from search_document, so it cannot be stale; only make sure it exists.

    (Index bloat after mass updates: REINDEX INDEX CONCURRENTLY articles_article_search_gin.)
    """
    ensure_structures(using)
