"""PostgreSQL: an index in the exact order of the default listing.

The list's default order is date_sort DESC NULLS LAST, id DESC. A backward scan
of (is_public, date_sort) yields DESC NULLS FIRST on PostgreSQL, so without this
index every list page top-N sorts all public articles. SQLite needs nothing:
NULL sorts lowest there, so the backward scan already puts undated articles
last (and SQLite rejects NULLS LAST in an index definition).
"""

from django.db import migrations

INDEX = "article_newest_first"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON articles_article "
            "(is_public, date_sort DESC NULLS LAST, id DESC)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("articles", "0004_catalogue_version")]
    operations = [migrations.RunPython(create, drop)]
