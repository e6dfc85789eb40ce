"""Articles awaiting review are no longer public: only Status.PUBLISHED is."""

import secrets

from django.db import migrations


def recompute_is_public(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    Article.objects.filter(is_public=True).exclude(status="published").update(is_public=False)
    # Cached facet counts were keyed by the old token; they counted review items.
    apps.get_model("articles", "CatalogueVersion").objects.update(token=secrets.token_hex(16))


def restore_old_rule(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    Article.objects.filter(status="review", removed_at__isnull=True).update(is_public=True)


class Migration(migrations.Migration):
    dependencies = [("articles", "0005_newest_first_index_postgresql")]

    operations = [migrations.RunPython(recompute_is_public, restore_old_rule)]
