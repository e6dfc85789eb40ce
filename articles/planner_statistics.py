"""SQLite's query-planner statistics, kept roughly in step with the archive.

Without statistics SQLite guesses that ``is_public = 1`` picks out a few rows,
so at a million articles it walked an is_public index and asked the full-text
index about every public article in turn (over two minutes for a broad word)
instead of reading the word's hits from the full-text index and looking each
article up (5 s, then kept). The benchmark databases had statistics (their
synthesis runs ANALYZE); an archive built by ingest had none, and a migration
adding an index to an analysed archive left that index without any, which is
as bad. ANALYZE with a row limit gives approximate statistics for every index
in about a second at a million articles; it runs after every migrate and
after an ingest run that grew the archive by a tenth or more. PostgreSQL
keeps its own statistics (autovacuum; docs/operations.md).
"""

from __future__ import annotations

from django.db import connections

from articles.models import Article

# Rows ANALYZE reads per index (SQLite's analysis_limit): approximate statistics, ~1 s at 1M articles.
ANALYSIS_LIMIT = 1000
# An ingest run that adds at least this share of the archive's articles refreshes them.
REFRESH_AFTER_GROWTH = 0.1


def refresh_statistics(using: str = "default") -> bool:
    """On SQLite, ANALYZE every table with a row limit; False (nothing to do) on other databases."""
    connection = connections[using]
    if connection.vendor != "sqlite":
        return False
    with connection.cursor() as cursor:
        cursor.execute(f"PRAGMA analysis_limit={ANALYSIS_LIMIT}")
        cursor.execute("ANALYZE")
    return True


def refresh_after_growth(added: int, using: str = "default") -> bool:
    """refresh_statistics() when ``added`` new articles are a tenth or more of the archive now (or nothing was analysed yet)."""
    connection = connections[using]
    if added <= 0 or connection.vendor != "sqlite":
        return False
    total = Article._base_manager.using(using).count()
    if added < REFRESH_AFTER_GROWTH * total and _analysed(using):
        return False
    return refresh_statistics(using)


def _analysed(using: str) -> bool:
    with connections[using].cursor() as cursor:
        cursor.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'")
        if cursor.fetchone() is None:
            return False
        cursor.execute("SELECT 1 FROM sqlite_stat1 WHERE tbl = %s LIMIT 1", [Article._meta.db_table])
        return cursor.fetchone() is not None


def refresh_after_migrate(sender, using: str = "default", **kwargs) -> None:
    """post_migrate: statistics for the indexes a migration made (an index without them misleads the planner)."""
    refresh_statistics(using)
