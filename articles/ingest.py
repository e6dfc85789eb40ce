"""Write ingest results to the database, each input file's results visible all at once.

The text pipeline (articles.text) parses bytes into ParsedDocuments, possibly in
several processes; only this module touches the database. Its promises:

* every offered path is recorded in IngestedFile, failures included (a
  missing path, a symlink loop, an oversized file), with the reason and the
  full path;
* the same bytes twice change nothing (keyed on sha256 of the bytes parsed:
  a file is read once, and what was parsed is what is hashed);
* a changed file (or --force) re-derives its articles but keeps each article's
  permalink when the article still exists, matching old and new by content;
* an article an editor changed keeps the editor's values (Article.edited_fields),
  and one an editor deleted stays deleted (Article.deleted_at);
* every distinct content a path ever had is kept, compressed, in FileVersion
  (failed ones too), so no input is lost when a file changes or breaks;
* a file that fails rolls back alone and leaves what was ingested before intact;
* no transaction holds the database's write lock long: a file's new articles
  are written in bounded batches under a staging record readers never see
  (is_public false, attached to a "staging" IngestedFile), then switched live
  in one short final transaction. A run killed meanwhile leaves only staged
  rows, which the next run discards. New articles that fit in one batch are
  written by the final transaction itself;
* concurrent runs serialise per file (articles.locks), so a second run never
  trips over the first's rows;
* readers' cached counts follow each file's switch live: a page's worth of
  changed articles is logged as editors' saves are, so the counts are
  refreshed; a larger file replaces the catalogue token (articles.catalogue).
"""

from __future__ import annotations

import ctypes
import hashlib
import logging
import multiprocessing
import os
import signal
import stat
import traceback
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, transaction
from django.utils import timezone

from articles import catalogue, planner_statistics
from articles.locks import file_lock
from articles.models import Article, ArticleRegion, FileVersion, IngestedFile, Region, Source, Theme
from articles.review import review_reasons
from articles.search.indexing import refresh_search_document
from articles.text import limits
from articles.text.document import InputError, ParsedDocument, ParsedItem, ThemeSpec
from articles.text.pinyin import pinyin_key
from articles.text.limits import MAX_FILE_BYTES, check_item_count, split_oversized_items
from articles.text.shape import KIND_EPAPER, KIND_NEWSPAPER, KIND_WEB

# Bigram overlap above which an old and a new article are taken to be the same
# article after a pipeline change (a re-cut boundary or a repaired paragraph).
SAME_ARTICLE_SIMILARITY = 0.6
# Pairwise similarity of unmatched old and new articles is quadratic; above
# this many pairs the rest are taken as removed and created (ids then change
# only for articles whose text changed, on files far larger than any page).
MAX_SIMILARITY_PAIRS = 250_000
# A staging transaction writes at most this many articles or this much text
# (segmentation happens before it opens), so it holds SQLite's write lock for
# a fraction of a second; see docs/operations.md "Limits".
BATCH_ARTICLES = 50
BATCH_CHARS = 400_000
STAGING_PREFIX = "staging:"

logger = logging.getLogger(__name__)

__all__ = [
    "BATCH_ARTICLES", "BATCH_CHARS", "FileOutcome", "IngestInterrupted", "IngestSummary", "MAX_FILE_BYTES",
    "collect_files", "ingest_paths", "write_document",
]


class IngestInterrupted(BaseException):
    """Raised in the ingest process by SIGTERM (the command installs the handler) to end a run cleanly.

    A BaseException, as KeyboardInterrupt is: the handlers that record one
    file's failure and go on (except Exception) must not swallow it.
    """


@dataclass
class FileOutcome:
    """What happened to one input file."""

    path: str
    status: str  # new, unchanged, updated, failed
    created: int = 0
    updated: int = 0
    removed: int = 0
    warnings: list[str] = field(default_factory=list)
    error: str = ""


@dataclass
class IngestSummary:
    files: list[FileOutcome] = field(default_factory=list)
    interrupted: bool = False  # a signal ended the run; files holds what was committed before

    def count(self, status: str) -> int:
        return sum(1 for outcome in self.files if outcome.status == status)

    @property
    def failed(self) -> list[FileOutcome]:
        return [outcome for outcome in self.files if outcome.status == "failed"]

    def total(self, attribute: str) -> int:
        return sum(getattr(outcome, attribute) for outcome in self.files)

    @property
    def warning_count(self) -> int:
        return sum(len(outcome.warnings) for outcome in self.files)


def collect_files(paths: Iterable[str | os.PathLike]) -> list[Path]:
    """Expand directories recursively; keep the order stable so runs are reproducible.

    Everything offered comes back, so each gets an outcome: missing paths,
    broken symlinks and symlink loops too (reading them then fails with the
    reason). Only directories are expanded, never followed through symlinks.
    """
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            # Hidden files and folders below the directory given (.git, .DS_Store), not
            # in the path typed: "ingest ../corpus" must still find the corpus.
            found.extend(
                sorted(
                    p for p in path.rglob("*")
                    if not any(part.startswith(".") for part in p.relative_to(path).parts) and not _is_plain_dir(p)
                )
            )
        else:
            found.append(path)
    return found


def _is_plain_dir(path: Path) -> bool:
    try:
        return stat.S_ISDIR(path.lstat().st_mode)
    except OSError:
        return False


# --- Parsing (runs in worker processes) ------------------------------------

_worker_gazetteer = None
_worker_themes: list[ThemeSpec] = []
PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    """Ask Linux to SIGKILL this worker when its parent dies (kill -9 included)."""
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
    except OSError:  # not Linux: the pool's own shutdown has to do
        return
    parent = os.getppid()
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)


def _init_worker(themes: list[ThemeSpec], *, in_pool: bool = False) -> None:
    global _worker_gazetteer, _worker_themes
    from articles.text.places import Gazetteer

    if in_pool:
        _die_with_parent()
        # Ctrl-C reaches the whole process group; the parent decides, the pool ends its workers.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _worker_gazetteer = Gazetteer.loaded(settings.NEWSROOM_REGIONS_DIR)
    _worker_themes = themes


def _init_pool_worker(themes: list[ThemeSpec]) -> None:
    _init_worker(themes, in_pool=True)


@dataclass
class _Parsed:
    """A file read once: its bytes' identity and what the pipeline made of them."""

    label: str
    digest: str = ""
    size: int = 0
    document: ParsedDocument | None = None
    error: str = ""
    data: bytes = b""  # the bytes parsed (kept for the caller; never re-read)


def parse_bytes(data: bytes, name: str, *, source_hint: str | None = None) -> ParsedDocument:
    """Parse one file's bytes within the limits of articles.text.limits (raises InputError)."""
    from articles.text.pipeline import _assign_regions, _assign_themes, parse_document

    # Structure first, then caps, then the per-item work (regions, themes)
    # whose cost and memory follow the longest item: an oversized item is
    # cut into parts before that work sees it.
    document = parse_document(data, name, gazetteer=None, themes=None, source_hint=source_hint)
    check_item_count(document, name)
    split_oversized_items(document, limits.MAX_ITEM_CHARS)
    if _worker_gazetteer is not None:
        _assign_regions(document, _worker_gazetteer)
    _assign_themes(document, _worker_themes)
    return document


def _read_once(path: Path) -> bytes:
    """The file's bytes, read once, refusing more than MAX_FILE_BYTES without reading them all."""
    with path.open("rb") as handle:
        data = handle.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise InputError(f"{path}: larger than the {MAX_FILE_BYTES} byte limit")
    return data


def _parse(job: tuple[str, str | None]) -> _Parsed:
    """Read and parse one file; never raises, so one hostile file cannot stop the pool."""
    label, source_hint = job
    result = _Parsed(label)
    try:
        data = _read_once(Path(label))
        result.digest, result.size, result.data = hashlib.sha256(data).hexdigest(), len(data), data
        result.document = parse_bytes(data, label, source_hint=source_hint)
    except InputError as exc:
        result.error = str(exc)
    except OSError as exc:
        result.error = f"{label}: cannot read ({exc.strerror or exc})"
    except Exception as exc:  # a pipeline bug must fail the file, not the run
        detail = traceback.format_exception_only(type(exc), exc)[-1].strip()
        result.error = f"{label}: internal error while parsing ({detail})"
    return result


def theme_specs() -> list[ThemeSpec]:
    """The themes as editors currently define them."""
    return [
        ThemeSpec(slug=t.slug, name=t.name, keywords=t.keyword_list, description=t.description)
        for t in Theme.objects.order_by("slug")
    ]


def _parsed(jobs: list[tuple[str, str | None]], workers: int) -> Iterator[_Parsed]:
    themes = theme_specs()
    if workers <= 1 or len(jobs) <= 1:
        _init_worker(themes)
        yield from map(_parse, jobs)
        return
    # A multiprocessing pool rather than concurrent.futures: terminate() ends
    # workers mid-file when the run is interrupted.
    pool = multiprocessing.get_context("fork").Pool(workers, initializer=_init_pool_worker, initargs=(themes,))
    try:
        yield from pool.imap(_parse, jobs, chunksize=1)
        pool.close()
    finally:
        pool.terminate()
        pool.join()


# --- The run -----------------------------------------------------------------


@dataclass
class _Offered:
    """A file as seen by the run: its identity (and, once read, its bytes)."""

    path: Path
    digest: str
    size: int
    data: bytes = b""
    compressed: bytes = b""  # zlib of data, made before any transaction opens (see _compress)


def _offer(path: Path) -> _Offered:
    """Hash a file without keeping it in memory (the hash decides whether it needs parsing at all)."""
    if path.is_symlink() and not path.exists():
        try:
            os.stat(path)
        except OSError as exc:
            raise OSError(exc.errno, "symlink loop" if exc.errno == 40 else f"broken symlink ({exc.strerror})") from None
    if path.exists() and not path.is_file() and not path.is_dir():
        raise InputError(f"{path}: not a regular file")
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
            size += len(chunk)
    offered = _Offered(path, digest.hexdigest(), size)
    if size > MAX_FILE_BYTES:
        raise _Oversized(offered)
    return offered


class _Oversized(InputError):
    def __init__(self, offered: _Offered) -> None:
        super().__init__(f"{offered.path}: {offered.size} bytes is larger than the {MAX_FILE_BYTES} byte limit")
        self.offered = offered


def _cannot_read(path: Path, exc: OSError) -> str:
    return f"{path}: cannot read ({exc.strerror or exc})"


def ingest_paths(
    paths: Iterable[str | os.PathLike],
    *,
    source_name: str | None = None,
    jobs: int | None = None,
    dry_run: bool = False,
    force: bool = False,
    progress: Callable[[FileOutcome], None] | None = None,
) -> IngestSummary:
    """Ingest files and directories; returns what happened to each file.

    KeyboardInterrupt or IngestInterrupted (SIGTERM) end the run between or
    during files: parser workers are terminated, a half-written file leaves
    nothing visible, and the summary (interrupted=True) lists what was committed.
    """
    summary = IngestSummary()
    try:
        _run(summary, paths, source_name=source_name, jobs=jobs, dry_run=dry_run, force=force, progress=progress)
    except (KeyboardInterrupt, IngestInterrupted):
        summary.interrupted = True
    if not dry_run:
        try:
            planner_statistics.refresh_after_growth(summary.total("created"))
        except DatabaseError:  # e.g. locked by another writer: the next run refreshes them
            logger.warning("could not refresh the query planner's statistics", exc_info=True)
    return summary


def _run(
    summary: IngestSummary,
    paths: Iterable[str | os.PathLike],
    *,
    source_name: str | None,
    jobs: int | None,
    dry_run: bool,
    force: bool,
    progress: Callable[[FileOutcome], None] | None,
) -> None:
    pending: dict[str, _Offered] = {}
    first_in_run: dict[str, Path] = {}  # digest -> the first path offering those bytes in this run
    repeats: list[_Offered] = []  # same bytes as an earlier file of this run: settled after the writes

    def report(outcome: FileOutcome) -> None:
        summary.files.append(outcome)
        if progress:
            progress(outcome)

    if not dry_run:
        discard_abandoned_staging()
    for path in collect_files(paths):
        label = str(path)
        try:
            offered = _offer(path)
        except (OSError, InputError) as exc:
            message = str(exc) if isinstance(exc, InputError) else _cannot_read(path, exc)
            known = exc.offered if isinstance(exc, _Oversized) else _Offered(path, "", 0)
            if not dry_run:
                record_failure(known.path, known.digest, known.size, message)
            report(FileOutcome(label, "failed", error=message))
            continue
        if offered.digest in first_in_run:
            repeats.append(offered)
            continue
        first_in_run[offered.digest] = path
        original = _ingested_copy(offered.digest)
        if original is not None and original.path != _file_key(path):
            report(FileOutcome(label, "unchanged") if dry_run else record_duplicate(offered, original))
            continue
        if original is not None and not force:
            report(FileOutcome(label, "unchanged"))
            continue
        pending[label] = offered

    workers = jobs or os.cpu_count() or 1
    failures: dict[str, str] = {}
    results = _parsed([(label, source_name) for label in pending], workers)
    try:
        for parsed in results:
            label = parsed.label
            # What was parsed is what is hashed: the file may have changed since it was offered.
            offered = _Offered(pending[label].path, parsed.digest or pending[label].digest, parsed.size, parsed.data)
            if parsed.document is None:
                failures[offered.digest] = parsed.error
                if not dry_run:
                    record_failure(offered.path, offered.digest, offered.size, parsed.error, offered.data)
                report(FileOutcome(label, "failed", error=parsed.error))
                continue
            document = parsed.document
            if dry_run:
                warnings = [w for item in document.items for w in item.warnings] + document.warnings
                report(FileOutcome(label, "new", created=len(document.items), warnings=warnings))
                continue
            try:
                report(write_document(offered, document, source_name=source_name, force=force))
            except Exception as exc:  # the transaction rolled back; record and go on
                message = f"{offered.path}: could not be saved ({exc})"
                failures[offered.digest] = message
                record_failure(offered.path, offered.digest, offered.size, message, offered.data)
                report(FileOutcome(label, "failed", error=message))
    finally:
        results.close()  # terminates parser workers if the run is ending early

    for offered in repeats:
        label = str(offered.path)
        original = None if dry_run else _ingested_copy(offered.digest)
        if original is not None and original.path != _file_key(offered.path):
            report(record_duplicate(offered, original))
        elif offered.digest in failures:
            message = f"{offered.path}: same bytes as {first_in_run[offered.digest]}, which failed"
            if not dry_run:
                record_failure(offered.path, offered.digest, offered.size, message)
            report(FileOutcome(label, "failed", error=message))
        else:
            report(FileOutcome(label, "unchanged"))


def _file_key(path: Path) -> str:
    # resolve(strict=False) still raises on a symlink loop; the path as given names it then.
    try:
        return str(path.resolve())
    except (OSError, RuntimeError):
        return str(path.absolute())


def _ingested_copy(digest: str) -> IngestedFile | None:
    """The file first ingested with these exact bytes, if any (never a duplicate record)."""
    return (
        IngestedFile.objects.filter(sha256=digest, status=IngestedFile.Status.OK)
        .exclude(report__has_key="duplicate_of")
        .order_by("pk")
        .first()
    )


def record_duplicate(offered: _Offered, original: IngestedFile) -> FileOutcome:
    """Record a byte-identical copy of another ingested file; it is never parsed into articles of its own.

    If this path held other content before, its articles are now stale: they
    are marked removed (their permalinks answer 410), as any vanished article.
    """
    with file_lock(_file_key(offered.path)), transaction.atomic():
        return _record_duplicate(offered, original)


def _record_duplicate(offered: _Offered, original: IngestedFile) -> FileOutcome:
    record = IngestedFile.objects.select_for_update().filter(path=_file_key(offered.path)).first()
    outcome = FileOutcome(str(offered.path), "new" if record is None else "unchanged")
    if record is not None and record.sha256 == offered.digest and record.report.get("duplicate_of") == original.path:
        return outcome
    record = record or IngestedFile(path=_file_key(offered.path))
    now = timezone.now()
    catalogue.lock()  # before the article rows, as every writer does
    stale = list(record.articles.select_for_update().filter(removed_at__isnull=True)) if record.pk else []
    with catalogue.logged_write([article.pk for article in stale]):
        for article in stale:
            article.removed_at = now
            article.save(update_fields=["removed_at", "updated_at"])
            outcome.removed += 1
    if record.pk:
        outcome.status = "updated"
    record.name = offered.path.name
    record.sha256 = offered.digest
    record.size = offered.size
    record.encoding = original.encoding
    record.raw_text = ""
    record.removed_lines = []
    record.source = original.source
    record.status = IngestedFile.Status.OK
    record.error = ""
    record.report = {"duplicate_of": original.path}
    record.save()
    return outcome


def record_failure(path: Path, digest: str, size: int, message: str, data: bytes = b"") -> None:
    """Record a failed file with its real size and hash, and its bytes when read; earlier versions stay untouched."""
    key = _file_key(path)
    offered = _compress(_Offered(path, digest, size, data))
    with file_lock(key), transaction.atomic():
        record, created = IngestedFile.objects.get_or_create(
            path=key,
            defaults={
                "name": path.name,
                "sha256": digest,
                "size": size,
                "status": IngestedFile.Status.FAILED,
                "error": message,
            },
        )
        if not created:
            record.status = IngestedFile.Status.FAILED
            record.error = message
            record.save(update_fields=["status", "error", "ingested_at"])
        _keep_version(record, offered, failed=True)


def _compress(offered: _Offered) -> _Offered:
    """Compress the bytes outside any transaction: a 20 MB file takes longer than a write lock may be held."""
    if offered.data and not offered.compressed:
        offered.compressed = zlib.compress(offered.data, 6)
    return offered


def _keep_version(record: IngestedFile, offered: _Offered, *, failed: bool, new_record: bool = False) -> None:
    """Keep these exact bytes (compressed) beside the record, once per distinct content, so no input is lost.

    Files never read whole (over the size limit, unreadable) have no bytes to keep.
    A record just inserted (new_record) has no versions yet.
    """
    if not offered.compressed or not offered.digest:
        return
    updated = 0 if new_record else FileVersion.objects.filter(ingested_file=record, sha256=offered.digest).update(
        failed=failed, last_seen_at=timezone.now()
    )
    if not updated:
        FileVersion.objects.create(
            ingested_file=record, sha256=offered.digest, size=offered.size, compressed=offered.compressed, failed=failed
        )


# --- Staging -----------------------------------------------------------------


def _staging_key(key: str) -> str:
    return (STAGING_PREFIX + key)[:1024]


def _discard_staging(staging_key: str) -> None:
    """Delete a staging record and its never-visible articles, in bounded transactions."""
    staging = IngestedFile.objects.filter(path=staging_key).first()
    if staging is None:
        return
    while True:
        with transaction.atomic():
            batch = list(Article.objects.filter(ingested_file=staging).values_list("pk", flat=True)[:BATCH_ARTICLES])
            if not batch:
                staging.delete()
                return
            Article.objects.filter(pk__in=batch).delete()


def discard_abandoned_staging() -> int:
    """Discard staged rows of runs that died (kill -9) before switching them live; returns how many files."""
    discarded = 0
    for staging_key in IngestedFile.objects.filter(path__startswith=STAGING_PREFIX).values_list("path", flat=True):
        with file_lock(staging_key[len(STAGING_PREFIX):], wait=False) as held:
            if held:  # no live run is writing this file
                _discard_staging(staging_key)
                discarded += 1
    return discarded


def _stage_batch(articles: list[tuple[Article, ParsedItem]], staging: IngestedFile, context: dict) -> list[int]:
    """Write one bounded batch of new articles, invisible to readers; returns the pks that will become public."""
    with transaction.atomic():
        return _insert_new(articles, context, visible=False)


def _insert_new(articles: list[tuple[Article, ParsedItem]], context: dict, *, visible: bool) -> list[int]:
    """Insert new articles with their region and theme links (in the caller's transaction); returns the public pks.

    New articles have no editor's changes and no links yet, so this is three
    bulk INSERTs (articles, region links, theme links) whatever their number.
    No save signals run, and none is needed: the search_document was computed
    beforehand (_presegment), and the switch live logs the articles readers
    see (catalogue.logged_write) or replaces the catalogue token.
    Staged rows (visible=False) are written with is_public false.
    """
    source, regions, themes = context["source"], context["regions"], context["themes"]
    public: list[Article] = []
    links: list[list[str]] = []
    for article, item in articles:
        links.append(_set_values(article, item, source, regions))
        # What save() would derive: the search document (pre-segmented text lines plus the
        # byline and source lines) and the pinyin sort key of the title.
        refresh_search_document(article)
        article.title_sort = pinyin_key(article.title)
        public_when_live = article.status == Article.Status.PUBLISHED and article.removed_at is None  # as save() sets it
        if public_when_live:
            public.append(article)
        article.is_public = public_when_live and visible
    through = Article.themes.through
    Article.objects.bulk_create([article for article, _ in articles])
    ArticleRegion.objects.bulk_create(
        ArticleRegion(article=article, region=regions[code], rank=rank)
        for (article, _), codes in zip(articles, links)
        for rank, code in enumerate(codes)
    )
    through.objects.bulk_create(
        through(article_id=article.pk, theme_id=theme_pk)
        for article, item in articles
        for theme_pk in dict.fromkeys(themes[slug].pk for slug in item.themes if slug in themes)
    )
    return [article.pk for article in public]


def _batches(pairs: list[tuple[Article, ParsedItem]]) -> Iterator[list[tuple[Article, ParsedItem]]]:
    batch: list[tuple[Article, ParsedItem]] = []
    chars = 0
    for pair in pairs:
        size = len(pair[1].body) + len(pair[1].body_simplified)
        if batch and (len(batch) >= BATCH_ARTICLES or chars + size > BATCH_CHARS):
            yield batch
            batch, chars = [], 0
        batch.append(pair)
        chars += size
    if batch:
        yield batch


def _presegment(article: Article, item: ParsedItem) -> None:
    """Compute the search_document a write will need before any transaction opens (jieba is the slow part)."""
    edited = set(article.edited_fields)
    probe = Article(
        kicker=article.kicker if "kicker" in edited else item.kicker or "",
        title=article.title if "title" in edited else item.title or "",
        subtitle=article.subtitle if "subtitle" in edited else item.subtitle or "",
        body=item.body,
        body_simplified=item.body_simplified,
    )
    source = (probe.kicker, probe.title, probe.subtitle, probe.body_simplified or probe.body)
    if article.pk and source == (article.kicker, article.title, article.subtitle, article.body_simplified or article.body):
        article._search_source = source  # unchanged text: the stored search_document stands
        return
    refresh_search_document(probe)
    article.search_document = probe.search_document
    article._search_source = probe._search_source


# --- Writing one document ------------------------------------------------------


def write_document(
    offered: _Offered, document: ParsedDocument, *, source_name: str | None = None, force: bool = True
) -> FileOutcome:
    """Store one parsed file and reconcile its articles with what was there before.

    Holds the file's lock: new articles are staged in bounded transactions,
    then one short transaction switches the file's new state live.
    """
    key = _file_key(offered.path)
    with file_lock(key), catalogue.wholesale():
        current = IngestedFile.objects.filter(path=key).first()
        if (
            current is not None and not force and current.sha256 == offered.digest
            and current.status == IngestedFile.Status.OK
        ):
            # Another run wrote these very bytes while this one was parsing.
            return FileOutcome(str(offered.path), "unchanged")
        _discard_staging(_staging_key(key))
        _compress(offered)
        return _write_staged(offered, document, key, source_name, current)


def _write_staged(
    offered: _Offered, document: ParsedDocument, key: str, source_name: str | None, record: IngestedFile | None
) -> FileOutcome:
    path = offered.path
    source = _source_for(document.source or source_name, _source_kind(document))
    old = list(record.articles.all()) if record is not None else []
    pairs, unmatched_new, unmatched_old = match_articles(old, document.items)
    context = {
        "source": source,
        "regions": _regions_for(document.items),
        "themes": {theme.slug: theme for theme in Theme.objects.all()},
    }
    fresh = [(Article(), item) for item in unmatched_new]
    for article, item in [*fresh, *pairs]:
        _presegment(article, item)
    batches = list(_batches(fresh))
    # New articles that fit in one batch (a page's worth) go in with the
    # switch itself: one batch plus the switch is still a short transaction,
    # and there is nothing to stage, move and discard.
    direct = fresh if len(batches) == 1 else []

    staged_public: list[int] = []
    staging = None
    staging_key = _staging_key(key)
    try:
        if len(batches) > 1:
            with transaction.atomic():
                staging = IngestedFile.objects.create(
                    path=staging_key, name=path.name, sha256=offered.digest, size=offered.size,
                    status=IngestedFile.Status.FAILED, error="ingest in progress: staged articles, not yet live",
                )
            for batch in batches:
                for article, _ in batch:
                    article.ingested_file = staging
                staged_public += _stage_batch(batch, staging, context)
        updated = 0
        if len(pairs) > BATCH_ARTICLES:
            # Too many to update within the short switch: each article is
            # updated whole in bounded transactions first (additions and
            # removals still switch at once). See docs/operations.md "Limits".
            for batch in _batches(pairs):
                with transaction.atomic():
                    updated += _apply_pairs(batch, record, context)
            pairs = []
        with transaction.atomic():
            catalogue.lock()  # before any article row, as editors' saves do: the two never deadlock
            # A page's worth of changes is logged as editors' saves are, so readers' counts are
            # refreshed, not recounted; more articles, or a staged file, replace the token.
            with catalogue.logged_write([a.pk for a, _ in pairs] + [a.pk for a in unmatched_old]) as inserted:
                outcome = _switch_live(
                    offered, document, key, record, pairs, fresh, direct, unmatched_old, staging, staged_public, context
                )
                inserted.update(article.pk for article, _ in direct if article.is_public)  # bulk INSERTs: no signals
        outcome.updated += updated
        if outcome.status == "unchanged" and updated:
            outcome.status = "updated"
        return outcome
    except BaseException:
        if staging is not None:
            try:
                _discard_staging(staging_key)
            except Exception:  # the next run discards it
                pass
        raise


def _apply_pairs(pairs: list[tuple[Article, ParsedItem]], record: IngestedFile, context: dict) -> int:
    """Update matched articles (inside the caller's transaction); returns how many changed."""
    updated = 0
    # Re-read and locked, so an editor's save committing meanwhile is not overwritten with stale values.
    catalogue.lock()  # before the article rows, as every writer does
    locked = {a.pk: a for a in record.articles.select_for_update().filter(pk__in=[a.pk for a, _ in pairs])}
    for article, item in pairs:
        current = locked.get(article.pk)
        if current is None:
            continue
        current.search_document, current._search_source = article.search_document, article._search_source
        if _apply_item(current, item, record, context["source"], context["regions"], context["themes"]):
            updated += 1
    return updated


def _switch_live(
    offered: _Offered,
    document: ParsedDocument,
    key: str,
    record: IngestedFile | None,
    pairs: list[tuple[Article, ParsedItem]],
    fresh: list[tuple[Article, ParsedItem]],
    direct: list[tuple[Article, ParsedItem]],
    unmatched_old: list[Article],
    staging: IngestedFile | None,
    staged_public: list[int],
    context: dict,
) -> FileOutcome:
    """The one short transaction that makes a file's new state visible (and writes the direct new articles)."""
    path = offered.path
    record = IngestedFile.objects.select_for_update().filter(path=key).first()
    is_new = record is None or not record.articles.exists()
    record = record or IngestedFile(path=key)
    record.name = path.name
    record.sha256 = offered.digest
    record.size = offered.size
    record.encoding = document.encoding
    record.raw_text = document.text
    record.removed_lines = document.removed_lines
    record.status = IngestedFile.Status.OK
    record.error = ""
    record.source = context["source"]
    warnings = list(document.warnings) + [
        f"{item.position + 1}. {item.title or item.kind}: {warning}" for item in document.items for warning in item.warnings
    ]
    record.report = {
        "items": len(document.items),
        "warnings": warnings,
        "source": document.source,
        "page": document.page,
        "issue": document.issue,
        "date": document.date.iso() if document.date else None,
        "removed_lines": len(document.removed_lines),
        # What the file is and why, and why each stripped line went (the 原文 view shows it).
        "kind": document.kind,
        "removed": document.removed_ranges(),
    }
    inserted = record.pk is None
    record.save()
    _keep_version(record, offered, failed=False, new_record=inserted)

    outcome = FileOutcome(str(path), "new" if is_new else "updated", warnings=warnings)
    if direct:
        for article, _ in direct:
            article.ingested_file = record
        _insert_new(direct, context, visible=True)
    if pairs:
        outcome.updated += _apply_pairs(pairs, record, context)
    now = timezone.now()
    for article in record.articles.select_for_update().filter(pk__in=[a.pk for a in unmatched_old]) if unmatched_old else []:
        if article.removed_at is None:
            article.removed_at = now
            article.save(update_fields=["removed_at", "updated_at"])
            outcome.removed += 1
    if staging is not None:
        Article.objects.filter(ingested_file=staging).update(ingested_file=record)
        for start in range(0, len(staged_public), 500):
            Article.objects.filter(pk__in=staged_public[start : start + 500]).update(is_public=True)
        staging.delete()
        catalogue.bump()  # the updates above bypass the signals that keep facet counts current
    outcome.created = len(fresh)
    if not is_new and not (outcome.created or outcome.updated or outcome.removed):
        outcome.status = "unchanged"
    return outcome


def _source_kind(document: ParsedDocument) -> str:
    """Newspaper for a page (版次, 期号, newspaper furniture), website for a web page dump, else other."""
    kind = document.kind.partition(":")[0]
    if kind in (KIND_NEWSPAPER, KIND_EPAPER) or document.page or document.issue:
        return Source.Kind.NEWSPAPER
    return Source.Kind.WEBSITE if kind == KIND_WEB else Source.Kind.OTHER


def _source_for(name: str | None, kind: str = Source.Kind.OTHER) -> Source | None:
    """The source of this name; a new one, or one still of kind 'other', takes the kind the file shows."""
    if not name:
        return None
    source, _ = Source.objects.get_or_create(name=name.strip()[:128], defaults={"kind": kind})
    if source.kind == Source.Kind.OTHER and kind != Source.Kind.OTHER:
        source.kind = kind
        source.save(update_fields=["kind"])
    return source


def _regions_for(items: list[ParsedItem]) -> dict[str, Region]:
    codes = {code for item in items for code in item.regions}
    return {region.code: region for region in Region.objects.filter(code__in=codes).select_related("parent__parent")}


def fingerprint(text: str) -> str:
    """Identity of an article's content, blind to whitespace."""
    return hashlib.sha256("".join(text.split()).encode("utf-8")).hexdigest()


def _bigrams(text: str) -> set[str]:
    text = "".join(text.split())
    return {text[i : i + 2] for i in range(len(text) - 1)}


def _similarity(a: set[str], b: set[str]) -> float:
    if not a or not b:
        return 0.0
    return 2 * len(a & b) / (len(a) + len(b))


def match_articles(
    old: list[Article], items: list[ParsedItem]
) -> tuple[list[tuple[Article, ParsedItem]], list[ParsedItem], list[Article]]:
    """Pair stored articles with freshly parsed items by content, not position."""
    pairs: list[tuple[Article, ParsedItem]] = []
    by_print: dict[str, list[Article]] = {}
    for article in old:
        by_print.setdefault(article.fingerprint, []).append(article)
    rest_items = []
    for item in items:
        candidates = by_print.get(fingerprint(item.body_simplified or item.body))
        if candidates:
            pairs.append((candidates.pop(0), item))
        else:
            rest_items.append(item)
    taken = {article.pk for article, _ in pairs}
    rest_old = [article for article in old if article.pk not in taken]
    if rest_items and rest_old and len(rest_items) * len(rest_old) <= MAX_SIMILARITY_PAIRS:
        old_grams = {article.pk: _bigrams(article.body_simplified) for article in rest_old}
        new_grams = [_bigrams(item.body_simplified or item.body) for item in rest_items]
        scored = sorted(
            (
                (_similarity(new_grams[i], old_grams[article.pk]), i, article.pk)
                for i in range(len(rest_items))
                for article in rest_old
            ),
            reverse=True,
        )
        used_items: set[int] = set()
        used_old: set[int] = set()
        by_pk = {article.pk: article for article in rest_old}
        for score, i, pk in scored:
            if score < SAME_ARTICLE_SIMILARITY:
                break
            if i in used_items or pk in used_old:
                continue
            used_items.add(i)
            used_old.add(pk)
            pairs.append((by_pk[pk], rest_items[i]))
        rest_items = [item for i, item in enumerate(rest_items) if i not in used_items]
        rest_old = [article for article in rest_old if article.pk not in used_old]
    return pairs, rest_items, rest_old


def _apply_item(
    article: Article,
    item: ParsedItem,
    record: IngestedFile,
    source: Source | None,
    regions: dict[str, Region],
    themes: dict[str, Theme],
) -> bool:
    """Copy parsed values onto the article, sparing what an editor changed. True if anything changed."""
    edited = set(article.edited_fields)
    before = _snapshot(article) if article.pk else None
    region_codes = _set_values(article, item, source, regions)

    changed = before is None or before != _snapshot(article)
    if changed:
        article.save()
    if "regions" not in edited:
        current = list(article.articleregion_set.order_by("rank").values_list("region_id", flat=True))
        if current != region_codes:
            article.articleregion_set.all().delete()
            ArticleRegion.objects.bulk_create(
                ArticleRegion(article=article, region=regions[code], rank=rank) for rank, code in enumerate(region_codes)
            )
            changed = True
    if "themes" not in edited:
        wanted = {themes[slug].pk for slug in item.themes if slug in themes}
        if set(article.themes.values_list("pk", flat=True)) != wanted:
            article.themes.set(wanted)
            changed = True
    return changed


def _set_values(article: Article, item: ParsedItem, source: Source | None, regions: dict[str, Region]) -> list[str]:
    """Set the parsed values on the article in memory, sparing what an editor changed; returns its region codes."""
    edited = set(article.edited_fields)
    # Garbage-looking items wait for an editor (REVIEW is not public); an editor's status choice stands.
    review = review_reasons(item)

    values = {
        "issuer": item.issuer or "",
        "date_rule": item.date_rule or "",
        "blocks": [{"kind": block.kind, "text": block.text} for block in item.blocks],
        "body": item.body,
        "body_simplified": item.body_simplified,
        "script": item.script,
        "keywords": item.keywords,
        "warnings": [*item.warnings, *review],
        "position": item.position,
        "first_line": item.first_line,
        "last_line": item.last_line,
        "fingerprint": fingerprint(item.body_simplified or item.body),
        # An article an editor deleted stays deleted (and keeps its id): a re-ingest never revives it.
        "removed_at": article.removed_at if article.deleted_at else None,
    }
    parsed = {
        "kind": item.kind, "kicker": item.kicker or "", "title": item.title or "", "subtitle": item.subtitle or "",
        "bylines": item.bylines or [], "source": source, "page": item.page or "",
        "issue": (item.issue or "")[:48], "continued_from": item.continued_from or "",
        "continued_on": item.continued_on or "",
    }
    if "status" not in edited and article.status != Article.Status.HIDDEN:
        parsed["status"] = Article.Status.REVIEW if review else Article.Status.PUBLISHED
    values.update({name: value for name, value in parsed.items() if name not in edited})
    for name, value in values.items():
        setattr(article, name, value)
    if "date" not in edited:
        article.set_partial_date(item.date)
    region_codes = [code for code in item.regions if code in regions]
    if "regions" not in edited:
        primary = regions[region_codes[0]] if region_codes else None
        article.region = primary
        levels = {region.level: region for region in (primary.ancestors() if primary else [])}
        article.province, article.city, article.county = (levels.get(k) for k in ("province", "city", "county"))
    return region_codes


def _snapshot(article: Article) -> dict:
    return {
        f.attname: getattr(article, f.attname)
        for f in Article._meta.concrete_fields
        if f.attname not in {"id", "created_at", "updated_at", "public_id", "is_public"}
    }
