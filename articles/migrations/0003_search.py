"""Full-text search: Article.search_document and the database's index over it.

* search_document: the segmented Simplified head line and body (articles.search).
* SQLite: the FTS5 table articles_search plus the triggers that keep it in
  step with search_document (articles.search.sqlite).
* PostgreSQL: the generated tsvector column search_vector and its GIN index
  (articles.search.postgres); the column is not a model field.
* SearchIndexEntry: unmanaged model over the FTS5 table; no table of its own.

Existing articles are segmented here, in batches; for a very large archive
`manage.py rebuild_search_index` does the same later and can be re-run.
"""

import django.db.models.deletion
from django.db import migrations, models

from articles.migration_operations import AddFieldInPlace


def create_structures(apps, schema_editor):
    from articles.search import backend_for_vendor

    backend = backend_for_vendor(schema_editor.connection.vendor)
    if hasattr(backend, "create_structures"):
        with schema_editor.connection.cursor() as cursor:
            backend.create_structures(cursor)


def drop_structures(apps, schema_editor):
    from articles.search import backend_for_vendor

    backend = backend_for_vendor(schema_editor.connection.vendor)
    if hasattr(backend, "drop_structures"):
        with schema_editor.connection.cursor() as cursor:
            backend.drop_structures(cursor)


def segment_existing(apps, schema_editor):
    from articles.search.indexing import build_search_document

    Article = apps.get_model("articles", "Article")
    manager = Article._base_manager.using(schema_editor.connection.alias)
    ids = list(manager.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), 500):
        batch = list(
            manager.filter(pk__in=ids[start : start + 500]).only("kicker", "title", "subtitle", "body", "body_simplified")
        )
        for article in batch:
            article.search_document = build_search_document(article)
        manager.bulk_update(batch, ["search_document"])


class Migration(migrations.Migration):
    dependencies = [("articles", "0002_seed_themes")]

    operations = [
        AddFieldInPlace(  # on SQLite without copying the table (articles.migration_operations)
            model_name="article",
            name="search_document",
            field=models.TextField(blank=True, default="", editable=False, verbose_name="检索文本"),
        ),
        migrations.CreateModel(
            name="SearchIndexEntry",
            fields=[
                (
                    "article",
                    models.OneToOneField(
                        db_column="rowid", db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING,
                        primary_key=True, related_name="search_entry", serialize=False, to="articles.article",
                    ),
                ),
                ("document", models.TextField(db_column="articles_search")),
                ("rank", models.FloatField(db_column="rank")),
            ],
            options={"db_table": "articles_search", "managed": False},
        ),
        migrations.RunPython(create_structures, drop_structures),
        migrations.RunPython(segment_existing, migrations.RunPython.noop),
    ]
