"""Keep Article.search_document current on every save; the database does the rest.

pre_save computes search_document so the article's own INSERT/UPDATE carries
it (no extra query). A save(update_fields=[...]) that touches no text field
skips segmentation; one that touches text but not search_document gets a
follow-up UPDATE of that column in post_save. Deletes need nothing here: the
SQLite triggers and the PostgreSQL generated column go with the row.
After every migrate, the database-side structures are checked (a SQLite table
rebuild by a later migration would drop the triggers).
"""

from __future__ import annotations

from articles.search.indexing import SOURCE_FIELDS, ensure_index_structures, refresh_search_document, source_renamed


def article_pre_save(sender, instance, raw=False, update_fields=None, **kwargs) -> None:
    if update_fields is not None and not (SOURCE_FIELDS & set(update_fields)):
        return
    refresh_search_document(instance)


def article_post_save(sender, instance, created=False, raw=False, update_fields=None, using=None, **kwargs) -> None:
    if update_fields is None or "search_document" in update_fields or not (SOURCE_FIELDS & set(update_fields)):
        return
    sender._base_manager.using(using).filter(pk=instance.pk).update(search_document=instance.search_document)


def source_pre_save(sender, instance, raw=False, **kwargs) -> None:
    instance._indexed_name = None
    if instance.pk and not raw:
        instance._indexed_name = sender._base_manager.filter(pk=instance.pk).values_list("name", flat=True).first()


def source_post_save(sender, instance, created=False, raw=False, **kwargs) -> None:
    """A renamed source: its articles' search documents get the new name (sources are searchable)."""
    old = getattr(instance, "_indexed_name", None)
    if not created and not raw and old is not None and old != instance.name:
        source_renamed(instance)


def check_structures_after_migrate(sender, using="default", **kwargs) -> None:
    from django.db import connections

    from articles.models import Article

    connection = connections[using]
    table = Article._meta.db_table
    with connection.cursor() as cursor:
        if table not in connection.introspection.table_names(cursor):
            return
        columns = {column.name for column in connection.introspection.get_table_description(cursor, table)}
    if "search_document" in columns:  # migration 0003 is applied
        ensure_index_structures(using)


def connect() -> None:
    from django.apps import apps
    from django.db.models.signals import post_migrate, post_save, pre_save

    from articles.models import Article, Source

    pre_save.connect(source_pre_save, sender=Source, dispatch_uid="articles.search.source_pre_save")
    post_save.connect(source_post_save, sender=Source, dispatch_uid="articles.search.source_post_save")
    pre_save.connect(article_pre_save, sender=Article, dispatch_uid="articles.search.pre_save")
    post_save.connect(article_post_save, sender=Article, dispatch_uid="articles.search.post_save")
    post_migrate.connect(
        check_structures_after_migrate, sender=apps.get_app_config("articles"), dispatch_uid="articles.search.post_migrate"
    )
