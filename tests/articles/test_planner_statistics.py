"""SQLite's planner statistics follow migrations and growing ingests (articles.planner_statistics)."""

import pytest
from django.core.management import call_command
from django.db import connection

from articles import planner_statistics

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's ANALYZE; PostgreSQL keeps its own statistics"),
]


def _measured_indexes() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT idx FROM sqlite_stat1 WHERE tbl = 'articles_article'")
        return {idx for (idx,) in cursor.fetchall()}


def _indexes() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA index_list(articles_article)")
        return {row[1] for row in cursor.fetchall()}


def _forget_statistics() -> None:
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM sqlite_stat1")


def test_every_index_of_the_migrated_schema_has_statistics():
    # The test database was migrated and the corpus ingested: both refresh them.
    assert _indexes() <= _measured_indexes()


def test_an_index_a_migration_makes_gets_statistics():
    with connection.cursor() as cursor:
        cursor.execute("CREATE INDEX probe_new_index ON articles_article (kicker)")
    assert "probe_new_index" not in _measured_indexes()

    planner_statistics.refresh_after_migrate(sender=None, using="default")

    assert "probe_new_index" in _measured_indexes()


@pytest.mark.parametrize(
    "growth, analysed_before, refreshed",
    [("none", False, False), ("under a tenth", False, True), ("under a tenth", True, False), ("a tenth", True, True)],
)
def test_an_ingest_refreshes_them_when_the_archive_grew_by_a_tenth(growth, analysed_before, refreshed, monkeypatch):
    from articles.models import Article

    tenth = planner_statistics.REFRESH_AFTER_GROWTH * Article.objects.count()
    assert tenth > 1  # the sample corpus
    added = {"none": 0, "under a tenth": 1, "a tenth": int(tenth) + 1}[growth]
    if not analysed_before:
        _forget_statistics()
    calls = []
    monkeypatch.setattr(planner_statistics, "refresh_statistics", lambda using="default": calls.append(using) or True)

    assert planner_statistics.refresh_after_growth(added) is refreshed
    assert bool(calls) is refreshed


def test_the_ingest_command_refreshes_them(tmp_path, corpus_dir):
    _forget_statistics()
    page = tmp_path / "page.txt"
    page.write_text("## 镇安县召开会议\n\n本报讯 镇安县近日召开会议，部署疫情防控工作。\n", encoding="utf-8")

    call_command("ingest", str(page), jobs=1, stdout=open("/dev/null", "w"))

    assert _indexes() <= _measured_indexes()
