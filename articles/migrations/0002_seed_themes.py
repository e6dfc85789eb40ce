"""Seed the thirteen campaign themes with starting keyword lists.

The lists live in articles.text.themes.DEFAULT_THEMES (the pipeline's own
defaults). This runs once, on a fresh database; from then on editors own the
keywords in the admin, and a later change to the defaults does not overwrite
their work.
"""

from django.db import migrations


def seed_themes(apps, schema_editor):
    from articles.text.themes import DEFAULT_THEMES

    Theme = apps.get_model("articles", "Theme")
    for spec in DEFAULT_THEMES:
        Theme.objects.get_or_create(
            slug=spec.slug,
            defaults={"name": spec.name, "description": spec.description, "keywords": "\n".join(spec.keywords)},
        )


def unseed_themes(apps, schema_editor):
    from articles.text.themes import DEFAULT_THEMES

    apps.get_model("articles", "Theme").objects.filter(slug__in=[s.slug for s in DEFAULT_THEMES]).delete()


class Migration(migrations.Migration):
    dependencies = [("articles", "0001_initial")]
    operations = [migrations.RunPython(seed_themes, unseed_themes)]
