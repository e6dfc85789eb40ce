"""Counts that are cached yet never stale.

Facet counts over a province-wide archive are the costly part of a list page:
every facet is a GROUP BY over all matching articles. They change only when an
article, its themes, a theme or a source changes, so they are cached under the
current CatalogueVersion token, which every such write replaces inside its own
transaction. The token lives in the database, so an ingest run in another
process invalidates the web workers' caches the moment it commits; reading it
costs one primary-key lookup per request.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone
from django.utils.translation import get_language

from articles.models import Article, CatalogueVersion, Source, Theme

T = TypeVar("T")
CACHE_SECONDS = 60 * 60
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
    """compute(), remembered until the catalogue changes (per language: labels are translated)."""
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]
    full_key = f"newsroom:{namespace}:{current_token()}:{get_language() or ''}:{digest}"
    value = cache.get(full_key)
    if value is None:
        value = compute()
        cache.set(full_key, value, CACHE_SECONDS)
    return value


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
