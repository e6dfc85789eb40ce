"""Counts that are cached yet never stale, and kept current by the writes themselves.

Facet counts over a province-wide archive are the costly part of a list page:
every facet is a GROUP BY over all matching articles. Cached values carry the
catalogue's version (CatalogueVersion: a token, a change number and a nonce),
which every count-changing write moves inside its own transaction. The version
lives in the database, so an ingest run in another process invalidates the web
workers' caches the moment it commits; reading it costs one primary-key lookup.

Two kinds of write move it differently:

* Logged writes append a CountChange row per article: its counted state
  before and after. Cached counts given a ``refresh`` function are brought up
  to date by applying those few changes (articles.selectors.refresh_tally)
  instead of recounting a million rows: the write does not make every count
  cold. These are an editor's save of one article (admin, review queue, bulk
  status actions, theme changes), logged by the save signals, and an ingest's
  switch live of a file when it changes at most MAX_LOGGED_ARTICLES articles
  (a newspaper or web page: articles new, updated, or removed because they
  vanished from the file or the file became a duplicate), logged by
  logged_write, which reads the states under the version row's lock before
  and after the write, so bulk INSERTs (no signals) are logged too.
* Wholesale writes replace the token: every cached value is recomputed. These
  are writes of more articles than are worth logging, since a value more than
  MAX_CHANGES behind is recomputed anyway (an ingest changing more articles or
  staging its new ones in batches, retag); writes that change labels or the
  searched text other than by an article's save (theme and source saves and
  deletes, region loading, search index rebuilds); article deletes; and a
  restore. An ingest that makes a new source replaces the token as it saves
  the source (a new label), then logs its articles as above.

Exactness: the change rows are numbered without gaps under the version row's
lock, so their numbers follow commit order and any snapshot holds a complete
prefix; a cached value is refreshed only by the exact run of changes between
its version and the current one (nonces checked at both ends), else recomputed.
A computed value is kept only under the version it counted (consistent: one
REPEATABLE READ snapshot on PostgreSQL, elsewhere the version read again after
counting must not have moved), so no change is ever applied to it twice.

Pages: a cached page whose view declared the filterset it shows
(page_depends_on) is kept across logged changes that cannot alter it
(selectors.page_unaffected); any other page is rendered again after a change.

No stampede: when a value must be recomputed, exactly one worker (the one that
wins an atomic cache.add of a lock key; across processes with the Redis cache)
computes it, while every other request serves the previous value meanwhile,
or, when there is none at all, waits for the computing worker up to
WAIT_SECONDS. So a slow computation is never killed and restarted by every
worker (PostgreSQL's statement_timeout bounds it, see newsroom/wsgi.py).
Values given a ``provisional`` function (facet tallies) go further: a costly
one is counted in a background thread (NEWSROOM_BACKGROUND_SLOTS at a time
across all workers) and nobody waits: readers get the previous value or the
provisional estimate, shown as such (约), and pages built on it are kept only
PROVISIONAL_PAGE_SECONDS.
"""

from __future__ import annotations

import hashlib
import json
import logging
import secrets
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import wraps
from typing import NamedTuple, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import connections, router, transaction
from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import get_language, override

from articles.models import Article, CatalogueVersion, CountChange, Source, Theme

T = TypeVar("T")
logger = logging.getLogger(__name__)
# Values carry their version, so keeping them long never serves a stale count as
# fresh; the previous value is what readers get while the new one is computed.
CACHE_SECONDS = 24 * 60 * 60
# Longer than any computation may take (statement timeout × a few statements).
LOCK_SECONDS = 60
WAIT_SECONDS = 10
POLL_SECONDS = 0.05
VERSION_PK = 1


class Version(NamedTuple):
    """Where the catalogue stands: wholesale token, number and nonce of the newest logged change."""

    token: str
    seq: int
    nonce: str


@dataclass(frozen=True)
class ArticleDelta:
    """One article's counted state before the first and after the last of a run of changes (None: not public)."""

    article_id: int
    before: dict | None
    after: dict | None
    text_changed: bool


# A cached value further behind than this many changes is recomputed, not refreshed.
MAX_CHANGES = 200
# A write of more articles than this at once (an ingest's switch) replaces the token instead of
# logging each: a quarter of MAX_CHANGES, so cached counts survive a few such writes between reads.
MAX_LOGGED_ARTICLES = MAX_CHANGES // 4
# Change rows kept for refreshing; older ones are pruned as new ones are written.
KEEP_CHANGES = 5_000
PRUNE_EVERY = 500


# The version read inside consistent()'s REPEATABLE READ snapshot, per thread: every later
# read in that snapshot must give the same row, so nested cached values skip the round trip.
_snapshot = threading.local()


def current_version() -> Version:
    """The catalogue's version as this transaction sees it (one primary-key lookup)."""
    alias = router.db_for_read(CatalogueVersion)
    held = getattr(_snapshot, "held", None)
    if held is not None and held[0] == alias:
        return held[1]
    row = _version_row(alias)
    if row is None:
        bump()
        row = _version_row(alias)
    return Version(*row)


def _version_row(alias: str) -> tuple | None:
    # Plain SQL: a page reads the version once per cached value it uses, and the
    # ORM's query compilation cost more than the lookup itself (~0.6 ms a read).
    connection = connections[alias]
    table = connection.ops.quote_name(CatalogueVersion._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT token, seq, nonce FROM {table} WHERE id = %s", [VERSION_PK])
        return cursor.fetchone()


def current_token() -> str:
    """The wholesale token of the catalogue as this transaction sees it."""
    return current_version().token


def bump() -> str:
    """Give the catalogue a new token (inside the caller's transaction): every cached count is recomputed."""
    token = secrets.token_hex(16)
    write = _open_write()
    if write is not None:
        write.bumped = True  # its changes need no logging: every cached count is recomputed
    updated = CatalogueVersion.objects.filter(pk=VERSION_PK).update(token=token, changed_at=timezone.now())
    if not updated:
        CatalogueVersion.objects.update_or_create(pk=VERSION_PK, defaults={"token": token})
    return token


def lock() -> None:
    """Lock the catalogue row until the caller's transaction ends (a writer about to lock article rows)."""
    CatalogueVersion.lock()


def changes_between(old: Version, new: Version) -> list[ArticleDelta] | None:
    """The logged changes that lead from ``old`` to ``new``, merged per article; None if they cannot be had.

    None when the token differs (a wholesale write came between), when there
    are more than MAX_CHANGES, or when the log no longer holds the exact run
    (pruned, or ``old`` was seen inside a transaction that rolled back).
    """
    if old.token != new.token or new.seq < old.seq or new.seq - old.seq > MAX_CHANGES:
        return None
    if old == new:
        return []
    low = old.seq if old.seq > 0 else 1
    rows = list(
        CountChange.objects.filter(seq__gte=low, seq__lte=new.seq)
        .order_by("seq")
        .values_list("seq", "nonce", "article_id", "before", "after", "text_changed")
    )
    if old.seq > 0:
        if not rows or rows[0][0] != old.seq or rows[0][1] != old.nonce:
            return None
        rows = rows[1:]
    if len(rows) != new.seq - old.seq or (rows and rows[-1][1] != new.nonce):
        return None
    merged: dict[int, ArticleDelta] = {}
    for _seq, _nonce, article_id, before, after, text_changed in rows:
        first = merged.get(article_id)
        if first is not None:
            before, text_changed = first.before, first.text_changed or text_changed
        merged[article_id] = ArticleDelta(article_id, before, after, text_changed)
    return list(merged.values())


class Uncached(Exception):
    """Raised by a computation whose value is served but kept only ``seconds`` (a page built on provisional counts)."""

    def __init__(self, value, seconds: int = 0) -> None:
        super().__init__("not kept")
        self.value, self.seconds, self.version = value, seconds, None


# A page on provisional counts is kept this long (its estimates marked 约), so a combination
# waiting for its exact counts is not rendered again for every reader meanwhile.
PROVISIONAL_PAGE_SECONDS = 15


def cached(namespace: str, key: str, compute: Callable[[], T], **options) -> T:
    """compute(), remembered until the catalogue changes (per language, unless ``translated=False``: labels are).

    With ``refresh``, a value a few logged changes behind is brought up to date
    by refresh(value, changes) (None: cannot, recompute). Otherwise, after a
    change one caller recomputes; the others get the previous value (or wait
    for the new one when there is no previous value).

    With ``provisional`` (and NEWSROOM_BACKGROUND_COUNTS), nobody waits for a
    costly computation: it runs in a background thread while every request
    gets the previous value or, when there is none, provisional() (an
    estimate; None when computing now is cheap enough). See cached_at().
    """
    return cached_at(namespace, key, compute, **options)[0]


def cached_at(
    namespace: str,
    key: str,
    compute: Callable[[], T],
    refresh: Callable[[T, list[ArticleDelta]], T | None] | None = None,
    provisional: Callable[[], T | None] | None = None,
    translated: bool = True,
) -> tuple[T, Version | None]:
    """cached(), and the catalogue version the value is exact at (None: a previous value or an estimate)."""
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]
    full_key = f"newsroom:{namespace}:{(get_language() or '') if translated else '*'}:{digest}"
    version = current_version()
    entry = cache.get(full_key)
    if entry is not None and entry[0] == version:
        return entry[1], version
    if entry is not None and refresh is not None:
        changes = changes_between(Version(*entry[0]), version)
        if changes is not None:
            value = refresh(entry[1], changes)
            if value is not None:
                cache.set(full_key, (version, value), CACHE_SECONDS)
                return value, version
    lock_key = full_key + ":computing"
    background = provisional is not None and settings.NEWSROOM_BACKGROUND_COUNTS
    stand_in = entry[1] if entry is not None else None
    if cache.add(lock_key, version, LOCK_SECONDS):
        if background:
            stand_in = stand_in if stand_in is not None else provisional()
            if stand_in is not None:
                slot = background_slot()
                if slot is None:
                    cache.delete(lock_key)  # every slot busy: a later reader starts it
                else:
                    _compute_in_background(full_key, lock_key, slot, compute)
                return stand_in, None
        try:
            return _compute_and_keep(full_key, compute, version)
        finally:
            cache.delete(lock_key)
    if stand_in is not None:
        return stand_in, None  # the previous catalogue's value while another worker computes this one
    if background:
        stand_in = provisional()
        if stand_in is not None:
            return stand_in, None
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        time.sleep(POLL_SECONDS)
        entry = cache.get(full_key)
        if entry is not None and entry[0] == version:
            return entry[1], version
        if cache.get(lock_key) is None:
            break  # the computing worker gave up (error or timeout): compute here
    return _compute_and_keep(full_key, compute, version)


def _compute_and_keep(full_key: str, compute: Callable[[], T], seen: Version | None = None) -> tuple[T, Version | None]:
    seconds = CACHE_SECONDS
    try:
        value, version = consistent(compute, seen)
    except Uncached as uncached:
        value, version, seconds = uncached.value, uncached.version, uncached.seconds
    if version is not None and seconds:
        cache.set(full_key, (version, value), seconds)
    return value, version


def consistent(compute: Callable[[], T], seen: Version | None = None) -> tuple[T, Version | None]:
    """compute() and the catalogue version its value belongs to (None: the catalogue moved meanwhile: keep nothing).

    A value kept under an older version than the data it counted would have
    the changes in between applied to it twice when it is refreshed. On
    PostgreSQL the version and the computation read one REPEATABLE READ
    snapshot; elsewhere (or inside a transaction already) the version read
    before (``seen``, if the caller has just read it) and after must agree.
    """
    connection = connections[router.db_for_read(Article)]
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        with transaction.atomic(using=connection.alias):
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            version = current_version()
            _snapshot.held = (connection.alias, version)
            try:
                return _counted_at(compute, lambda: version)
            finally:
                _snapshot.held = None
    version = seen if seen is not None else current_version()
    return _counted_at(compute, lambda: version if current_version() == version else None)


def _counted_at(compute: Callable[[], T], version: Callable[[], Version | None]) -> tuple[T, Version | None]:
    try:
        value = compute()
    except Uncached as uncached:
        uncached.version = version()  # a value kept briefly is kept under its own version too
        raise
    return value, version()


# A background computation may run this long on PostgreSQL (web workers' statements stop at their
# statement_timeout; no reader waits for this one, and its lock keeps it to one at a time).
BACKGROUND_STATEMENT_MS = LOCK_SECONDS * 1000 // 2


def background_slot() -> str | None:
    """Take one of NEWSROOM_BACKGROUND_SLOTS (shared by all workers through the cache); None when all are busy.

    Background counting must leave the readers' requests their CPU: a crawler
    asking for hundreds of new combinations would otherwise start hundreds of
    GROUP BYs at once. Uncounted combinations keep their estimates meanwhile.
    """
    for number in range(settings.NEWSROOM_BACKGROUND_SLOTS):
        slot = f"newsroom:background-slot:{number}"
        if cache.add(slot, 1, LOCK_SECONDS):
            return slot
    return None


def release_background_slot(slot: str) -> None:
    cache.delete(slot)


def _compute_in_background(full_key: str, lock_key: str, slot: str, compute: Callable[[], T]) -> None:
    language = get_language()

    def run() -> None:
        try:
            connection = connections[router.db_for_read(Article)]
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute(f"SET statement_timeout = {BACKGROUND_STATEMENT_MS}")
            with override(language):
                _compute_and_keep(full_key, compute)
            cache.delete(lock_key)
        except Exception:
            # The lock stays until it expires: a failing computation is retried once a
            # minute, not by every request; readers keep the estimate meanwhile.
            logger.exception("counting %s in the background failed", full_key)
        finally:
            release_background_slot(slot)
            connections.close_all()  # this thread's own connections

    threading.Thread(target=run, name=f"newsroom-count-{full_key[-8:]}", daemon=True).start()


def cached_page(
    namespace: str,
    *,
    daily: bool = False,
    unaffected: Callable[[object, list[ArticleDelta]], bool] | None = None,
):
    """Serve a public page's rendered HTML from the cache under the catalogue's version.

    The anonymous reader's page depends only on the path and query, the
    interface language and the script (Simplified or Traditional), and the
    catalogue: with those in the key and the version checked by cached(), a
    cached page is never stale, yet a warm request costs one version lookup
    instead of the FilterSet, the result rows and the templates (the list page
    was ~12× the trivial view at 64 connections, issue 9). ``daily`` adds the
    date for pages that print it (the reading page's citation). Staff (who see
    edit links and hidden articles) and non-GET requests always render afresh.

    After an editor's save, a page whose view declared what it shows
    (page_depends_on) is kept when ``unaffected(declared, changes)`` says no
    logged change can alter it, instead of being rendered again: a save then
    re-renders the pages it touches, not every page of the site.
    """

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            user = getattr(request, "user", None)
            if not settings.NEWSROOM_PAGE_CACHE or request.method != "GET" or (user and user.is_authenticated):
                return view(request, *args, **kwargs)
            if (request.encoding or "utf-8").lower().replace("_", "-") not in ("utf-8", "utf8"):
                # A charset in the request's Content-Type decodes the query otherwise (a search for
                # mojibake): such a page must not be kept under the address every reader asks for.
                return view(request, *args, **kwargs)
            parts = [request.get_full_path(), getattr(request, "script", "")]
            if daily:
                parts.append(timezone.localdate().isoformat())

            def render() -> tuple[int, list[tuple[str, str]], bytes, object]:
                response = view(request, *args, **kwargs)
                headers = [(name, value) for name, value in response.items() if name.lower() != "content-length"]
                page = response.status_code, headers, response.content, request.__dict__.pop(_DEPENDS_ON, None)
                if request.__dict__.pop(_PROVISIONAL, False):
                    # Estimates stand in while the exact counts are computed: kept only briefly,
                    # and never carried past a change (no declared filterset to revalidate with).
                    raise Uncached((*page[:3], None), PROVISIONAL_PAGE_SECONDS)
                return page

            def revalidate(page: tuple, changes: list[ArticleDelta]) -> tuple | None:
                declared = page[3] if len(page) > 3 else None
                return page if declared is not None and unaffected(declared, changes) else None

            page = cached(
                f"page:{namespace}", json.dumps(parts, ensure_ascii=False), render,
                refresh=revalidate if unaffected is not None else None,
            )
            status, headers, content = page[:3]
            response = HttpResponse(content, status=status)
            for name, value in headers:  # whatever the view set (Content-Type, X-Robots-Tag …) travels with it
                response[name] = value
            return response

        return wrapper

    return decorator


_DEPENDS_ON = "_page_depends_on"
_PROVISIONAL = "_page_provisional"


def page_is_provisional(request: HttpRequest) -> None:
    """Say that the page being rendered shows provisional counts: serve it, but do not cache it."""
    setattr(request, _PROVISIONAL, True)


def page_depends_on(request: HttpRequest, declared: object) -> None:
    """Say what the page being rendered shows (picklable, read by its cached_page's ``unaffected``)."""
    setattr(request, _DEPENDS_ON, declared)


# --- Writes ------------------------------------------------------------------------------

# Saves that touch only these columns change no count.
BOOKKEEPING_FIELDS = frozenset({"search_document", "updated_at", "edited_fields", "warnings"})
STATE_COLUMNS = ("province_id", "city_id", "county_id", "year", "month", "date_sort", "source_id", "kind")
_local = threading.local()


@contextmanager
def wholesale() -> Iterator[None]:
    """Within this block (a thread's ingest run, a retag), article writes replace the token, unless a logged_write logs them.

    Each write locks the catalogue row before it touches an article, as
    editors' saves do, so the two never wait for each other in opposite order.
    """
    depth = getattr(_local, "wholesale", 0)
    _local.wholesale = depth + 1
    try:
        yield
    finally:
        _local.wholesale = depth


def _in_wholesale() -> bool:
    return getattr(_local, "wholesale", 0) > 0


def _open_write() -> _Write | None:
    """The logged_write this thread is inside, if any."""
    return getattr(_local, "write", None)


def counted_state(values: dict, theme_ids) -> dict | None:
    """What the facets count of an article (from its column values), or None when readers cannot see it."""
    if not values.get("is_public"):
        return None
    state = {column: values.get(column) for column in STATE_COLUMNS}
    if state["date_sort"] is not None:
        state["date_sort"] = str(state["date_sort"])  # a date, or the ISO string code assigned before saving
    state["themes"] = sorted(theme_ids)
    return state


def _stored_state(article_id: int, using: str, *, with_text: bool) -> tuple[dict | None, str | None]:
    columns = [*STATE_COLUMNS, "is_public"] + (["search_document"] if with_text else [])
    values = Article._base_manager.using(using).filter(pk=article_id).values(*columns).first()
    if values is None:
        return None, None
    themes = Article.themes.through.objects.using(using).filter(article_id=article_id).values_list("theme_id", flat=True)
    return counted_state(values, list(themes)), values.get("search_document")


def _advance(using: str, count: int = 1) -> tuple[int, str]:
    """Take the next ``count`` change numbers, returning the last (and the catalogue row's lock, held until commit)."""
    nonce = secrets.token_hex(8)
    updated = CatalogueVersion.objects.using(using).filter(pk=VERSION_PK).update(seq=F("seq") + count, nonce=nonce)
    if not updated:
        CatalogueVersion.objects.using(using).update_or_create(
            pk=VERSION_PK, defaults={"token": secrets.token_hex(16), "seq": count, "nonce": nonce}
        )
    seq = CatalogueVersion.objects.using(using).filter(pk=VERSION_PK).values_list("seq", flat=True).get()
    return seq, nonce


def _prune(first: int, last: int, using: str) -> None:
    if last // PRUNE_EVERY != (first - 1) // PRUNE_EVERY:  # the numbers passed a multiple of PRUNE_EVERY
        CountChange.objects.using(using).filter(seq__lte=last - KEEP_CHANGES).delete()


@dataclass
class _Pending:
    seq: int
    nonce: str
    before: dict | None
    document: str | None


def _begin(instance: Article, using: str, *, with_text: bool) -> _Pending:
    seq, nonce = _advance(using)
    before, document = (None, None) if instance.pk is None else _stored_state(instance.pk, using, with_text=with_text)
    return _Pending(seq, nonce, before, document)


def _log(pending: _Pending, article_id: int, after: dict | None, using: str, *, text_changed: bool) -> None:
    CountChange.objects.using(using).create(
        seq=pending.seq, nonce=pending.nonce, article_id=article_id,
        before=pending.before, after=after, text_changed=text_changed,
    )
    _prune(pending.seq, pending.seq, using)


def log_changes(deltas: list[ArticleDelta], using: str = "default") -> None:
    """Log several articles' changes at once: consecutive numbers taken in one UPDATE, one row per article.

    For a writer holding lock() that read each article's state before its
    write and after it (logged_write does).
    """
    if not deltas:
        return
    last, nonce = _advance(using, len(deltas))
    first = last - len(deltas) + 1
    CountChange.objects.using(using).bulk_create(
        CountChange(
            seq=first + offset, nonce=nonce, article_id=delta.article_id,
            before=delta.before, after=delta.after, text_changed=delta.text_changed,
        )
        for offset, delta in enumerate(deltas)
    )
    _prune(first, last, using)


def _stored_states(article_ids: set[int], using: str) -> dict[int, tuple[dict | None, str]]:
    """Each article's counted state and search document as stored (two queries)."""
    if not article_ids:
        return {}
    ids = sorted(article_ids)
    themes: dict[int, list[int]] = {}
    links = Article.themes.through.objects.using(using).filter(article_id__in=ids).values_list("article_id", "theme_id")
    for article_id, theme_id in links:
        themes.setdefault(article_id, []).append(theme_id)
    rows = Article._base_manager.using(using).filter(pk__in=ids).values("pk", *STATE_COLUMNS, "is_public", "search_document")
    return {row["pk"]: (counted_state(row, themes.get(row["pk"], [])), row["search_document"]) for row in rows}


@dataclass
class _Write:
    """An open logged_write: the states read on entering, the articles saved since, whether the token was replaced."""

    before: dict[int, tuple[dict | None, str]] | None  # None: too many articles to log
    saved: set[int | None] = field(default_factory=set)
    bumped: bool = False

    def note(self, article_id: int | None) -> None:
        if self.before is not None and article_id not in self.before:
            bump()  # an article whose state was not read before the write: a recount is the exact answer
        else:
            self.saved.add(article_id)


@contextmanager
def logged_write(article_ids: Iterable[int], using: str = "default") -> Iterator[set[int]]:
    """Log a write of several articles (an ingest's switch) as one change per article, as editors' saves are.

    Enter inside the transaction, after lock(). ``article_ids`` are the
    existing articles the block may change: their states are read on entering,
    and within the block their saves and theme changes neither log nor bump.
    Articles the block inserts without save() (bulk_create) go into the
    yielded set. On leaving, every article saved or inserted gets one change
    row. The token is replaced instead when they are more than
    MAX_LOGGED_ARTICLES, or when an article not named is saved; nothing is
    logged when something in the block replaced the token already, nor when
    an exception leaves it (the transaction must then roll back).
    """
    ids = set(article_ids)
    write = _Write(_stored_states(ids, using) if len(ids) <= MAX_LOGGED_ARTICLES else None)
    inserted: set[int] = set()
    outer = _open_write()
    _local.write = write
    try:
        yield inserted
    finally:
        _local.write = outer
    changed = write.saved | inserted
    if write.bumped or not changed:
        return
    if write.before is None or len(changed) > MAX_LOGGED_ARTICLES:
        bump()
        return
    after = _stored_states(changed, using)
    deltas = []
    for article_id in sorted(changed):
        before, document = write.before.get(article_id, (None, None))
        state, new_document = after.get(article_id, (None, None))
        deltas.append(ArticleDelta(article_id, before, state, document is not None and document != new_document))
    log_changes(deltas, using)


def _counts_change(update_fields) -> bool:
    return update_fields is None or bool(set(update_fields) - BOOKKEEPING_FIELDS)


def _text_may_change(update_fields) -> bool:
    from articles.search.indexing import SOURCE_FIELDS

    return update_fields is None or bool(set(update_fields) & (SOURCE_FIELDS | {"search_document"}))


def _article_pre_save(sender, instance, raw=False, using=None, update_fields=None, **kwargs) -> None:
    if raw:  # fixture loading
        return
    using = using or router.db_for_write(Article, instance=instance)
    if not (_counts_change(update_fields) or _text_may_change(update_fields)):
        return
    write = _open_write()
    if write is not None:
        write.note(instance.pk)
        return
    if _in_wholesale():
        bump()
        return
    instance._count_pending = _begin(instance, using, with_text=_text_may_change(update_fields))


def _article_post_save(sender, instance, raw=False, using=None, **kwargs) -> None:
    pending = instance.__dict__.pop("_count_pending", None)
    if pending is None:
        return
    values = {column: getattr(instance, column) for column in (*STATE_COLUMNS, "is_public")}
    # save() never changes the theme links; an article new to readers brings its own.
    themes = pending.before["themes"] if pending.before is not None else _theme_ids(instance, using)
    after = counted_state(values, themes)
    # Flagged even while readers cannot see the article: changes_between merges a run per article,
    # and a hide, an edit and a publish merge into one change whose text did change.
    text_changed = pending.document is not None and pending.document != instance.search_document
    _log(pending, instance.pk, after, using, text_changed=text_changed)


def _theme_ids(instance: Article, using: str) -> list[int]:
    if instance.pk is None:
        return []
    return list(Article.themes.through.objects.using(using).filter(article_id=instance.pk).values_list("theme_id", flat=True))


def _themes_changed(sender, instance, action, reverse=False, using=None, **kwargs) -> None:
    using = using or "default"
    write = _open_write()
    if write is not None and not reverse and isinstance(instance, Article):
        if action.startswith("pre"):
            write.note(instance.pk)
        return
    if reverse or _in_wholesale() or not isinstance(instance, Article):
        if action.startswith("pre"):
            bump()  # before any link row is locked: the same lock order as every other write
        return
    if action.startswith("pre"):
        instance._count_pending_themes = _begin(instance, using, with_text=False)
        return
    pending = instance.__dict__.pop("_count_pending_themes", None)
    if pending is None:
        return
    after, _document = _stored_state(instance.pk, using, with_text=False)
    _log(pending, instance.pk, after, using, text_changed=False)


def _wholesale_change(sender, **kwargs) -> None:
    if kwargs.get("raw"):
        return
    bump()


def connect() -> None:
    """Log editors' article changes; replace the token on every other write that can change a count or a label."""
    pre_save.connect(_article_pre_save, sender=Article, dispatch_uid="catalogue-article-pre-save")
    post_save.connect(_article_post_save, sender=Article, dispatch_uid="catalogue-article-post-save")
    pre_delete.connect(_wholesale_change, sender=Article, dispatch_uid="catalogue-article-delete")
    for model in (Theme, Source):
        post_save.connect(_wholesale_change, sender=model, dispatch_uid=f"catalogue-save-{model.__name__}")
        post_delete.connect(_wholesale_change, sender=model, dispatch_uid=f"catalogue-delete-{model.__name__}")
    m2m_changed.connect(_themes_changed, sender=Article.themes.through, dispatch_uid="catalogue-article-themes")
