"""Write ingest results to the database: one transaction per input file.

The text pipeline (articles.text) parses bytes into ParsedDocuments, possibly in
several processes; only this module touches the database. Its promises:

* every offered file is recorded in IngestedFile, failures included, with the
  reason;
* the same bytes twice change nothing (keyed on sha256);
* a changed file (or --force) re-derives its articles but keeps each article's
  permalink when the article still exists, matching old and new by content;
* an article an editor changed keeps the editor's values (Article.edited_fields);
* a file that fails rolls back alone and leaves what was ingested before intact.
"""

from __future__ import annotations

import hashlib
import os
import traceback
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from articles.models import Article, ArticleRegion, IngestedFile, Region, Source, Theme
from articles.review import review_reasons
from articles.text.document import InputError, ParsedDocument, ParsedItem, ThemeSpec

# Bigram overlap above which an old and a new article are taken to be the same
# article after a pipeline change (a re-cut boundary or a repaired paragraph).
SAME_ARTICLE_SIMILARITY = 0.6
MAX_FILE_BYTES = 20 * 1024 * 1024


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
    """Expand directories recursively; keep the order stable so runs are reproducible."""
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            # Hidden files and folders below the directory given (.git, .DS_Store), not
            # in the path typed: "ingest ../corpus" must still find the corpus.
            found.extend(
                sorted(
                    p for p in path.rglob("*")
                    if p.is_file() and not any(part.startswith(".") for part in p.relative_to(path).parts)
                )
            )
        else:
            found.append(path)
    return found


# --- Parsing (runs in worker processes) ------------------------------------

_worker_gazetteer = None
_worker_themes: list[ThemeSpec] = []


def _init_worker(themes: list[ThemeSpec]) -> None:
    global _worker_gazetteer, _worker_themes
    from articles.text.places import Gazetteer

    _worker_gazetteer = Gazetteer.from_csv_dir(settings.NEWSROOM_REGIONS_DIR)
    _worker_themes = themes


def _parse(job: tuple[str, str | None]) -> tuple[str, ParsedDocument | None, str]:
    """Read and parse one file; never raises, so one hostile file cannot stop the pool."""
    from articles.text.pipeline import parse_document

    path, source_hint = job
    try:
        data = Path(path).read_bytes()
        document = parse_document(
            data, Path(path).name, gazetteer=_worker_gazetteer, themes=_worker_themes, source_hint=source_hint
        )
        return path, document, ""
    except InputError as exc:
        return path, None, str(exc)
    except OSError as exc:
        return path, None, f"{Path(path).name}: cannot read ({exc.strerror or exc})"
    except Exception as exc:  # a pipeline bug must fail the file, not the run
        detail = traceback.format_exception_only(type(exc), exc)[-1].strip()
        return path, None, f"{Path(path).name}: internal error while parsing ({detail})"


def theme_specs() -> list[ThemeSpec]:
    """The themes as editors currently define them."""
    return [
        ThemeSpec(slug=t.slug, name=t.name, keywords=t.keyword_list, description=t.description)
        for t in Theme.objects.order_by("slug")
    ]


def _parsed(jobs: list[tuple[str, str | None]], workers: int) -> Iterator[tuple[str, ParsedDocument | None, str]]:
    themes = theme_specs()
    if workers <= 1 or len(jobs) <= 1:
        _init_worker(themes)
        yield from map(_parse, jobs)
        return
    with ProcessPoolExecutor(max_workers=workers, initializer=_init_worker, initargs=(themes,)) as pool:
        yield from pool.map(_parse, jobs, chunksize=1)


# --- The run -----------------------------------------------------------------


@dataclass
class _Offered:
    """A file as first seen by the run: its identity, not its bytes."""

    path: Path
    digest: str
    size: int


def _offer(path: Path) -> _Offered:
    """Hash a file without keeping it in memory."""
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise InputError(f"{path.name}: {size} bytes is larger than the {MAX_FILE_BYTES} byte limit")
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return _Offered(path, digest.hexdigest(), size)


def ingest_paths(
    paths: Iterable[str | os.PathLike],
    *,
    source_name: str | None = None,
    jobs: int | None = None,
    dry_run: bool = False,
    force: bool = False,
    progress: Callable[[FileOutcome], None] | None = None,
) -> IngestSummary:
    """Ingest files and directories; returns what happened to each file."""
    summary = IngestSummary()
    pending: dict[str, _Offered] = {}
    first_in_run: dict[str, Path] = {}  # digest -> the first path offering those bytes in this run
    repeats: list[_Offered] = []  # same bytes as an earlier file of this run: settled after the writes

    def report(outcome: FileOutcome) -> None:
        summary.files.append(outcome)
        if progress:
            progress(outcome)

    for path in collect_files(paths):
        label = str(path)
        try:
            offered = _offer(path)
        except (OSError, InputError) as exc:
            message = str(exc) if isinstance(exc, InputError) else f"{path.name}: cannot read ({exc.strerror or exc})"
            if not dry_run:
                record_failure(path, "", 0, message)
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
    for label, document, error in _parsed([(label, source_name) for label in pending], workers):
        offered = pending[label]
        if document is None:
            failures[offered.digest] = error
            if not dry_run:
                record_failure(offered.path, offered.digest, offered.size, error)
            report(FileOutcome(label, "failed", error=error))
            continue
        if dry_run:
            warnings = [w for item in document.items for w in item.warnings] + document.warnings
            report(FileOutcome(label, "new", created=len(document.items), warnings=warnings))
            continue
        try:
            report(write_document(offered, document, source_name=source_name))
        except Exception as exc:  # the transaction rolled back; record and go on
            message = f"{offered.path.name}: could not be saved ({exc})"
            failures[offered.digest] = message
            record_failure(offered.path, offered.digest, offered.size, message)
            report(FileOutcome(label, "failed", error=message))

    for offered in repeats:
        label = str(offered.path)
        original = None if dry_run else _ingested_copy(offered.digest)
        if original is not None and original.path != _file_key(offered.path):
            report(record_duplicate(offered, original))
        elif offered.digest in failures:
            message = f"{offered.path.name}: same bytes as {first_in_run[offered.digest].name}, which failed"
            if not dry_run:
                record_failure(offered.path, offered.digest, offered.size, message)
            report(FileOutcome(label, "failed", error=message))
        else:
            report(FileOutcome(label, "unchanged"))
    return summary


def _file_key(path: Path) -> str:
    return str(path.resolve())


def _ingested_copy(digest: str) -> IngestedFile | None:
    """The file first ingested with these exact bytes, if any (never a duplicate record)."""
    return (
        IngestedFile.objects.filter(sha256=digest, status=IngestedFile.Status.OK)
        .exclude(report__has_key="duplicate_of")
        .order_by("pk")
        .first()
    )


@transaction.atomic
def record_duplicate(offered: _Offered, original: IngestedFile) -> FileOutcome:
    """Record a byte-identical copy of another ingested file; it is never parsed into articles of its own.

    If this path held other content before, its articles are now stale: they
    are marked removed (their permalinks answer 410), as any vanished article.
    """
    record = IngestedFile.objects.select_for_update().filter(path=_file_key(offered.path)).first()
    outcome = FileOutcome(str(offered.path), "new" if record is None else "unchanged")
    if record is not None and record.sha256 == offered.digest and record.report.get("duplicate_of") == original.path:
        return outcome
    record = record or IngestedFile(path=_file_key(offered.path))
    now = timezone.now()
    for article in record.articles.select_for_update().filter(removed_at__isnull=True) if record.pk else []:
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


def record_failure(path: Path, digest: str, size: int, message: str) -> None:
    """Record a failed file; what an earlier good version produced stays untouched."""
    with transaction.atomic():
        record, created = IngestedFile.objects.get_or_create(
            path=_file_key(path),
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


# --- Writing one document ------------------------------------------------------


@transaction.atomic
def write_document(offered: _Offered, document: ParsedDocument, *, source_name: str | None = None) -> FileOutcome:
    """Store one parsed file and reconcile its articles with what was there before."""
    path, digest = offered.path, offered.digest
    source = _source_for(document.source or source_name)
    record = IngestedFile.objects.select_for_update().filter(path=_file_key(path)).first()
    is_new = record is None or not record.articles.exists()
    record = record or IngestedFile(path=_file_key(path))
    record.name = path.name
    record.sha256 = digest
    record.size = offered.size
    record.encoding = document.encoding
    record.raw_text = document.text
    record.removed_lines = document.removed_lines
    record.status = IngestedFile.Status.OK
    record.error = ""
    record.source = source
    warnings = list(document.warnings) + [
        f"{item.position + 1}. {item.title or item.kind}: {warning}" for item in document.items for warning in item.warnings
    ]
    record.report = {
        "items": len(document.items),
        "warnings": warnings,
        "source": document.source,
        "page": document.page,
        "date": document.date.iso() if document.date else None,
        "removed_lines": len(document.removed_lines),
    }
    record.save()

    outcome = FileOutcome(str(path), "new" if is_new else "updated", warnings=warnings)
    # Locked, so an editor's save committing meanwhile is not overwritten with stale values.
    old = list(record.articles.select_for_update())
    pairs, unmatched_new, unmatched_old = match_articles(old, document.items)
    regions = _regions_for(document.items)
    themes = {theme.slug: theme for theme in Theme.objects.all()}

    for article, item in pairs:
        if _apply_item(article, item, record, source, regions, themes):
            outcome.updated += 1
    for item in unmatched_new:
        article = Article(ingested_file=record)
        _apply_item(article, item, record, source, regions, themes)
        outcome.created += 1
    now = timezone.now()
    for article in unmatched_old:
        if article.removed_at is None:
            article.removed_at = now
            article.save(update_fields=["removed_at", "updated_at"])
            outcome.removed += 1
    if not is_new and not (outcome.created or outcome.updated or outcome.removed):
        outcome.status = "unchanged"
    return outcome


def _source_for(name: str | None) -> Source | None:
    if not name:
        return None
    source, _ = Source.objects.get_or_create(name=name.strip()[:128])
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
    if rest_items and rest_old:
        old_grams = {article.pk: _bigrams(article.body_simplified) for article in rest_old}
        scored = sorted(
            (
                (_similarity(_bigrams(item.body_simplified or item.body), old_grams[article.pk]), i, article.pk)
                for i, item in enumerate(rest_items)
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
        "removed_at": None,
    }
    parsed = {
        "kind": item.kind, "kicker": item.kicker or "", "title": item.title or "", "subtitle": item.subtitle or "",
        "bylines": item.bylines or [], "source": source, "page": item.page or "",
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


def _snapshot(article: Article) -> dict:
    return {
        f.attname: getattr(article, f.attname)
        for f in Article._meta.concrete_fields
        if f.attname not in {"id", "created_at", "updated_at", "public_id", "is_public"}
    }
