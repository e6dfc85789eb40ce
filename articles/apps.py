from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = _("新闻文章")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Full-text search: search_document on every save, index checks after migrate.
        from articles.search import signals

        signals.connect()
        # Cached facet counts: a new catalogue token on every count-changing write.
        from articles import catalogue

        catalogue.connect()
        # SQLite's planner statistics, including those of indexes a migration just made.
        from django.db.models.signals import post_migrate

        from articles import planner_statistics

        post_migrate.connect(
            planner_statistics.refresh_after_migrate, sender=self, dispatch_uid="articles.planner_statistics"
        )
