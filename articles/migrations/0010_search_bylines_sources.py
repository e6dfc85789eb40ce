"""Search covers bylines and source names: the database index gets their columns.

search_document gains two lines (bylines, source name; articles.search.indexing).
* SQLite: the FTS5 table articles_search is recreated with four columns
  (head, body, byline, source) and its triggers, then refilled.
* PostgreSQL: the generated column search_vector is dropped and added again
  with the bylines (weight B) and source (weight C); its GIN index with it.
  This rewrites the table: minutes at a million articles.

Stored documents keep working as they are (two lines: head and body); bylines
and sources become searchable as articles are saved, or at once for all with
``manage.py rebuild_search_index`` (re-segments everything).
"""

from django.db import migrations


def recreate_structures(apps, schema_editor):
    from articles.search import backend_for_vendor

    backend = backend_for_vendor(schema_editor.connection.vendor)
    if not hasattr(backend, "create_structures"):
        return
    with schema_editor.connection.cursor() as cursor:
        backend.drop_structures(cursor)
        backend.create_structures(cursor)
        if hasattr(backend, "fill"):
            backend.fill(cursor)


class Migration(migrations.Migration):
    dependencies = [("articles", "0009_count_changes")]

    operations = [migrations.RunPython(recreate_structures, recreate_structures)]
