"""/healthz: is this process able to serve pages? Checked, not assumed.

Three checks, cheapest first to fail: the database answers a real query on a
portal table, every migration this code ships is applied, and the static files
the pages link to can be served (collected into the manifest storage in
production, findable in development). The answer names the failing check but
never an error text: a database error carries host, port and user, and
/healthz is public. The details go to the server log.
"""

from __future__ import annotations

import functools
import logging

from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import ManifestFilesMixin, staticfiles_storage
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache

from articles.models import Article

logger = logging.getLogger(__name__)

# Every page links this stylesheet: if it cannot be served, no page looks right.
PROBE_STATIC_FILE = "css/site.css"


@functools.cache
def shipped_migrations() -> frozenset[tuple[str, str]]:
    """The leaf migration of every app, read once per process from the code on disk."""
    return frozenset(MigrationLoader(None, ignore_no_migrations=True).graph.leaf_nodes())


def database_answers() -> bool:
    """A real query on a portal table (not SELECT 1: that passes on an empty database)."""
    Article.objects.order_by().values_list("pk").first()
    return True


def migrations_applied() -> bool:
    """Every app's newest migration is recorded as applied."""
    applied = set(MigrationRecorder(connection).applied_migrations())
    return shipped_migrations() <= applied


def static_files_served() -> bool:
    """The probe stylesheet is where the storage will serve it from."""
    storage = staticfiles_storage
    if isinstance(storage, ManifestFilesMixin):  # the lazy storage proxies isinstance to what it wraps
        # Production: whitenoise serves what collectstatic wrote; a missing manifest entry is a 500 on every page.
        try:
            name = storage.stored_name(PROBE_STATIC_FILE)
        except ValueError:
            return False
        return storage.exists(name)
    # Development storage: runserver serves straight from the app and project static directories.
    return storage.exists(PROBE_STATIC_FILE) or finders.find(PROBE_STATIC_FILE) is not None


CHECKS = (("database", database_answers), ("migrations", migrations_applied), ("static", static_files_served))


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """200 {"status": "ok"} when every check passes, else 503 naming the first failing check only."""
    for name, check in CHECKS:
        try:
            healthy = check()
        except Exception:  # any failure is "unhealthy"; what it was goes to the log, never to the visitor
            logger.exception("healthz: %s check raised", name)
            healthy = False
        if not healthy:
            logger.error("healthz: %s check failed", name)
            return JsonResponse({"status": "unavailable", "failing": name}, status=503)
    return JsonResponse({"status": "ok"})
