"""Ingest robustness in-process: size caps, bounded staging batches, reading once, an outcome for every path."""

import hashlib
import os

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from articles import ingest
from articles.models import Article, IngestedFile
from articles.search import search_queryset
from articles.text import limits

pytestmark = pytest.mark.django_db

PARAGRAPH = "县里组织干部下沉一线,帮助群众解决实际困难,做到小事不出村、大事不出镇,矛盾不上交。"


def _ingest(*paths, **options):
    options.setdefault("jobs", 1)
    call_command("ingest", *map(str, paths), stdout=open(os.devnull, "w"), stderr=open(os.devnull, "w"), **options)


def _briefs(count: int, marker: str) -> str:
    return "".join(
        f"县里召开第{i}次{marker}会议\n\n本报讯(记者 王强){i % 28 + 1}日,县委召开{marker}会议,研究部署春耕生产工作。\n\n"
        for i in range(count)
    )


def _one_article(paragraphs: int) -> str:
    return "全县基层治理工作综述\n\n本报记者 王强\n\n" + "\n\n".join([PARAGRAPH * 4] * paragraphs) + "\n"


# --- Finding 1: an item's size and a file's item count are capped -------------------


def test_an_oversized_item_is_stored_in_bounded_parts_with_the_reason(tmp_path, monkeypatch):
    monkeypatch.setattr(limits, "MAX_ITEM_CHARS", 5_000)
    path = tmp_path / "long.txt"
    path.write_text(_one_article(120), encoding="utf-8")  # ~21,000 characters of body in one article
    _ingest(path)
    parts = list(IngestedFile.objects.get(name="long.txt").articles.order_by("position"))
    assert len(parts) >= 4
    assert all(len(part.body) <= 5_000 for part in parts)
    assert "".join("".join(p.body.split()) for p in parts) == "".join((PARAGRAPH * 4 * 120).split())
    assert parts[0].title == "全县基层治理工作综述" and parts[1].kind == Article.Kind.CONTINUATION
    assert all(any("over the 5000 limit" in w for w in part.warnings) for part in parts)


def test_a_file_with_more_items_than_the_cap_fails_with_the_reason(tmp_path, monkeypatch):
    monkeypatch.setattr(limits, "MAX_ITEMS_PER_FILE", 30)
    path = tmp_path / "dump.txt"
    path.write_text(_briefs(40, "防汛"), encoding="utf-8")
    with pytest.raises(CommandError):
        _ingest(path)
    record = IngestedFile.objects.get(name="dump.txt")
    assert record.status == IngestedFile.Status.FAILED and not record.articles.exists()
    assert str(path) in record.error and "more than the 30 allowed" in record.error


# --- Finding 2: bounded write transactions, staged rows invisible -------------------


class _TransactionCounter:
    """Counts article INSERTs per outermost transaction (or savepoint, inside a test's transaction)."""

    def __init__(self, statement: str = 'INSERT INTO "ARTICLES_ARTICLE"') -> None:
        self.statement = statement
        self.depth = 0
        self.counts: list[int] = []

    def __call__(self, execute, sql, params, many, context):
        text = sql.lstrip().upper()
        if text.startswith("SAVEPOINT") or text.startswith("BEGIN"):
            self.depth += 1
            if self.depth == 1:
                self.counts.append(0)
        elif text.startswith("RELEASE SAVEPOINT") or text.startswith("COMMIT"):
            self.depth -= 1
        elif text.startswith(self.statement) and self.counts:
            self.counts[-1] += 1
        return execute(sql, params, many, context)


def test_a_large_file_is_written_in_bounded_batches_invisible_until_live(tmp_path, monkeypatch):
    monkeypatch.setattr(ingest, "BATCH_ARTICLES", 7)
    path = tmp_path / "many.txt"
    path.write_text(_briefs(40, "春耕"), encoding="utf-8")
    seen_while_staging = []
    stage = ingest._stage_batch

    def observed(batch, staging, context):
        staged = stage(batch, staging, context)
        # What a reader would see between batches: none of it, not even by search.
        seen_while_staging.append(
            (
                Article.objects.public().filter(ingested_file=staging).count(),
                search_queryset(Article.objects.public(), "春耕").filter(ingested_file=staging).count(),
                IngestedFile.objects.filter(name="many.txt", status=IngestedFile.Status.OK).count(),
                Article.objects.filter(ingested_file=staging).count(),
            )
        )
        return staged

    monkeypatch.setattr(ingest, "_stage_batch", observed)
    counter = _TransactionCounter()
    with connection.execute_wrapper(counter):
        _ingest(path)
    record = IngestedFile.objects.get(name="many.txt")
    assert record.articles.count() == 40 and record.articles.filter(is_public=True).count() == 40
    assert len(seen_while_staging) == 6
    assert all(public == 0 and found == 0 and live == 0 for public, found, live, _ in seen_while_staging)
    assert [staged for *_, staged in seen_while_staging] == [7, 14, 21, 28, 35, 40]
    # No transaction wrote more than one batch of articles: each batch is one transaction with one
    # multi-row INSERT (of 7 rows, as the staged counts above show); the final switch inserts none.
    assert max(counter.counts) == 1 and counter.counts.count(1) == 6 and counter.counts[-1] == 0
    assert search_queryset(Article.objects.public(), "春耕").filter(ingested_file=record).count() == 40
    assert not IngestedFile.objects.filter(path__startswith=ingest.STAGING_PREFIX).exists()


def test_a_page_that_fits_one_batch_goes_live_in_one_transaction_without_staging(tmp_path):
    path = tmp_path / "page.txt"
    path.write_text(_briefs(6, "秋收").replace("县里", "洛南县"), encoding="utf-8")
    articles = _TransactionCounter()
    records = _TransactionCounter('INSERT INTO "ARTICLES_INGESTEDFILE"')
    with connection.execute_wrapper(articles), connection.execute_wrapper(records):
        _ingest(path)
    # One multi-row INSERT of the six articles, in the transaction that creates the file's record.
    assert [n for n in articles.counts if n] == [1] and [n for n in records.counts if n] == [1]
    assert articles.counts.index(1) == records.counts.index(1)
    record = IngestedFile.objects.get(name="page.txt")
    assert record.articles.count() == 6 and record.articles.filter(is_public=True).count() == 6
    assert search_queryset(Article.objects.public(), "秋收").filter(ingested_file=record).count() == 6
    # Region and theme links are written with the rows.
    assert all(article.region_id and article.articleregion_set.exists() for article in record.articles.all())
    assert all(article.themes.filter(slug="food-security").exists() for article in record.articles.all())
    assert not IngestedFile.objects.filter(path__startswith=ingest.STAGING_PREFIX).exists()


def test_a_changed_large_file_updates_its_articles_in_bounded_transactions(tmp_path, monkeypatch):
    path = tmp_path / "edited.txt"
    path.write_text(_briefs(40, "夏收"), encoding="utf-8")
    _ingest(path)
    ids = set(IngestedFile.objects.get(name="edited.txt").articles.values_list("public_id", flat=True))
    monkeypatch.setattr(ingest, "BATCH_ARTICLES", 7)
    path.write_text(_briefs(40, "夏收").replace("研究部署", "专题研究部署"), encoding="utf-8")  # every body edited
    counter = _TransactionCounter('UPDATE "ARTICLES_ARTICLE"')
    with connection.execute_wrapper(counter):
        _ingest(path)
    record = IngestedFile.objects.get(name="edited.txt")
    assert set(record.articles.values_list("public_id", flat=True)) == ids  # same permalinks, new text
    assert record.articles.filter(body__contains="专题研究部署").count() == 40
    # 40 articles updated, never more than one batch of 7 per transaction (a few UPDATEs each).
    assert len(counter.counts) >= 6 and max(counter.counts) <= 7 * 3


def test_a_run_dying_while_staging_leaves_nothing_visible_and_the_next_run_cleans_up(tmp_path, monkeypatch):
    monkeypatch.setattr(ingest, "BATCH_ARTICLES", 5)
    path = tmp_path / "cut.txt"
    path.write_text(_briefs(20, "抗旱"), encoding="utf-8")
    calls = []
    stage = ingest._stage_batch

    def dies_on_third(batch, staging, context):
        calls.append(1)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return stage(batch, staging, context)

    monkeypatch.setattr(ingest, "_stage_batch", dies_on_third)
    monkeypatch.setattr(ingest, "_discard_staging", lambda key: None)  # as after kill -9: no cleanup ran
    with pytest.raises(CommandError, match="interrupted"):
        _ingest(path)
    leftovers = Article.objects.filter(ingested_file__path__startswith=ingest.STAGING_PREFIX)
    assert leftovers.count() == 10 and not leftovers.filter(is_public=True).exists()
    assert not IngestedFile.objects.filter(name="cut.txt").exclude(path__startswith=ingest.STAGING_PREFIX).exists()
    assert not search_queryset(Article.objects.public(), "抗旱").exists()

    monkeypatch.undo()
    _ingest(path)
    assert not IngestedFile.objects.filter(path__startswith=ingest.STAGING_PREFIX).exists()
    assert IngestedFile.objects.get(name="cut.txt").articles.count() == 20
    assert search_queryset(Article.objects.public(), "抗旱").count() == 20


# --- Finding 4: read once, hash what was parsed ---------------------------------------


def test_a_file_changed_after_hashing_is_stored_under_the_hash_of_what_was_parsed(tmp_path, monkeypatch):
    path = tmp_path / "moving.txt"
    before = _briefs(3, "旧版").encode("utf-8")
    after = _briefs(4, "新版").encode("utf-8")
    path.write_bytes(before)
    offer = ingest._offer

    def offer_then_change(p):
        offered = offer(p)
        if p == path:
            path.write_bytes(after)  # the editor saves while the run is going
        return offered

    monkeypatch.setattr(ingest, "_offer", offer_then_change)
    _ingest(path)
    record = IngestedFile.objects.get(name="moving.txt")
    assert record.sha256 == hashlib.sha256(after).hexdigest() and record.size == len(after)
    assert record.articles.count() == 4 and all("新版" in a.title for a in record.articles.all())

    # Reverting to the first bytes is a change, not "unchanged".
    monkeypatch.undo()
    path.write_bytes(before)
    _ingest(path)
    record.refresh_from_db()
    assert record.sha256 == hashlib.sha256(before).hexdigest()
    assert record.articles.live().count() == 3 and all("旧版" in a.title for a in record.articles.live())


# --- Finding 15: every path offered gets an outcome, with its full path ------------------


def test_every_offered_path_is_recorded_with_its_full_path(tmp_path, monkeypatch):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text(_briefs(1, "正常"), encoding="utf-8")
    (folder / "loop.txt").symlink_to(folder / "loop.txt")
    (folder / "dangling.txt").symlink_to(folder / "nowhere.txt")
    big = folder / "big.txt"
    big.write_text(_briefs(30, "超大"), encoding="utf-8")
    missing = tmp_path / "missing.txt"
    monkeypatch.setattr(ingest, "MAX_FILE_BYTES", 2_000)

    with pytest.raises(CommandError, match="4 file"):
        _ingest(folder, missing)

    def record(path):
        return IngestedFile.objects.get(name=path.name)

    assert record(folder / "good.txt").status == IngestedFile.Status.OK
    for path, reason in [
        (folder / "loop.txt", "symlink loop"),
        (folder / "dangling.txt", "No such file"),
        (missing, "No such file"),
        (big, "larger than the 2000 byte limit"),
    ]:
        failed = record(path)
        assert failed.status == IngestedFile.Status.FAILED
        assert str(path) in failed.error and reason in failed.error
    oversized = record(big)
    assert oversized.size == big.stat().st_size and oversized.sha256 == hashlib.sha256(big.read_bytes()).hexdigest()


def test_sigterm_while_parsing_in_process_ends_the_run_without_failing_the_file(tmp_path, monkeypatch):
    first, second = tmp_path / "a.txt", tmp_path / "b.txt"
    first.write_text(_briefs(2, "甲"), encoding="utf-8")
    second.write_text(_briefs(2, "乙"), encoding="utf-8")
    parse = ingest.parse_bytes

    def terminated_on_second(data, name, **kwargs):
        if name == str(second):
            raise ingest.IngestInterrupted("SIGTERM")  # what the command's SIGTERM handler raises
        return parse(data, name, **kwargs)

    monkeypatch.setattr(ingest, "parse_bytes", terminated_on_second)
    summary = ingest.ingest_paths([first, second], jobs=1)
    assert summary.interrupted and [o.status for o in summary.files] == ["new"]
    assert not IngestedFile.objects.filter(name="b.txt").exists()
