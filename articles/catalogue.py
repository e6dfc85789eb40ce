"""Counts that are cached yet never stale.

Facet counts over a province-wide archive are the costly part of a list page:
every facet is a GROUP BY over all matching articles. They change only when an
article, its themes, a theme or a source changes, so they are cached under the
current CatalogueVersion token, which every such write replaces inside its own
transaction. The token lives in the database, so an ingest run in another
process invalidates the web workers' caches the moment it commits; reading it
costs one primary-key lookup per request.

No stampede: a value is stored with the token it was computed under. When
the token has moved on, exactly one worker (the one that wins an atomic
cache.add of a lock key; across processes with the Redis cache) computes the
new value, while every other request serves the previous catalogue's value
meanwhile, or, when there is none at all, waits for the computing worker up
to WAIT_SECONDS. So one save costs one computation per key, not one per
worker, and a slow computation is never killed and restarted by every worker
(PostgreSQL's statement_timeout bounds it, see newsroom/wsgi.py). The request
that computes, like any single-threaded reader, always sees exact counts.
"""

from __future__ import annotations

import hashlib
import secrets
import time
import json
from collections.abc import Callable
from functools import wraps
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone
from django.utils.translation import get_language

from articles.models import Article, CatalogueVersion, Source, Theme

T = TypeVar("T")
# Values carry their token, so keeping them long never serves a stale count as
# fresh; the previous value is what readers get while the new one is computed.
CACHE_SECONDS = 24 * 60 * 60
# Longer than any computation may take (statement timeout × a few statements).
LOCK_SECONDS = 60
WAIT_SECONDS = 10
POLL_SECONDS = 0.05
VERSION_PK = 1


def current_token() -> str:
    """The token of the catalogue as this transaction sees it."""
    token = CatalogueVersion.objects.filter(pk=VERSION_PK).values_list("token", flat=True).first()
    return token or bump()


def bump() -> str:
    """Give the catalogue a new token (inside the caller's transaction)."""
    token = secrets.token_hex(16)
    updated = CatalogueVersion.objects.filter(pk=VERSION_PK).update(token=token, changed_at=timezone.now())
    if not updated:
        CatalogueVersion.objects.update_or_create(pk=VERSION_PK, defaults={"token": token})
    return token


def cached(namespace: str, key: str, compute: Callable[[], T]) -> T:
    """compute(), remembered until the catalogue changes (per language: labels are translated).

    After a change one caller recomputes; the others get the previous value
    (or wait for the new one when there is no previous value).
    """
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]
    full_key = f"newsroom:{namespace}:{get_language() or ''}:{digest}"
    token = current_token()
    entry = cache.get(full_key)
    if entry is not None and entry[0] == token:
        return entry[1]
    lock_key = full_key + ":computing"
    if cache.add(lock_key, token, LOCK_SECONDS):
        try:
            value = compute()
            cache.set(full_key, (token, value), CACHE_SECONDS)
        finally:
            cache.delete(lock_key)
        return value
    if entry is not None:
        return entry[1]  # the previous catalogue's value while another worker computes this one
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        time.sleep(POLL_SECONDS)
        entry = cache.get(full_key)
        if entry is not None and entry[0] == token:
            return entry[1]
        if cache.get(lock_key) is None:
            break  # the computing worker gave up (error or timeout): compute here
    return compute()


def cached_page(namespace: str, *, daily: bool = False):
    """Serve a public page's rendered HTML from the cache under the catalogue token.

    The anonymous reader's page depends only on the path and query, the
    interface language and the script (Simplified or Traditional), and the
    catalogue: with those in the key and the token checked by cached(), a
    cached page is never stale, yet a warm request costs one token lookup
    instead of the FilterSet, the result rows and the templates (the list page
    was ~12× the trivial view at 64 connections, issue 9). ``daily`` adds the
    date for pages that print it (the reading page's citation). Staff (who see
    edit links and hidden articles) and non-GET requests always render afresh.
    """

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            user = getattr(request, "user", None)
            if not settings.NEWSROOM_PAGE_CACHE or request.method != "GET" or (user and user.is_authenticated):
                return view(request, *args, **kwargs)
            parts = [request.get_full_path(), getattr(request, "script", "")]
            if daily:
                parts.append(timezone.localdate().isoformat())

            def render() -> tuple[int, list[tuple[str, str]], bytes]:
                response = view(request, *args, **kwargs)
                headers = [(name, value) for name, value in response.items() if name.lower() != "content-length"]
                return response.status_code, headers, response.content

            status, headers, content = cached(f"page:{namespace}", json.dumps(parts, ensure_ascii=False), render)
            response = HttpResponse(content, status=status)
            for name, value in headers:  # whatever the view set (Content-Type, X-Robots-Tag …) travels with it
                response[name] = value
            return response

        return wrapper

    return decorator


def _changed(sender, **kwargs) -> None:
    if kwargs.get("raw"):  # fixture loading
        return
    if kwargs.get("action", "post").startswith("pre"):  # m2m_changed fires before and after
        return
    if sender is Article and kwargs.get("update_fields") is not None:
        # Saves that touch only bookkeeping columns change no count.
        if not set(kwargs["update_fields"]) - {"search_document", "updated_at", "edited_fields", "warnings"}:
            return
    bump()


def connect() -> None:
    """Replace the token on every write that can change a count or a facet label."""
    for model in (Article, Theme, Source):
        post_save.connect(_changed, sender=model, dispatch_uid=f"catalogue-save-{model.__name__}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"catalogue-delete-{model.__name__}")
    m2m_changed.connect(_changed, sender=Article.themes.through, dispatch_uid="catalogue-article-themes")
