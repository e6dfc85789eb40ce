"""Ingest into the database: idempotence, permalinks, curation, failures."""

import json
import shutil
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command

from articles.models import Article, IngestedFile
from tests.conftest import ROOT

pytestmark = pytest.mark.django_db


def _ingest(*paths, **options):
    options.setdefault("jobs", 1)
    call_command("ingest", *map(str, paths), stdout=open("/dev/null", "w"), **options)


def _state():
    return {
        a.public_id: (a.ingested_file.name, a.title, a.body, a.updated_at, a.removed_at)
        for a in Article.objects.select_related("ingested_file")
    }


def test_sample_corpus_export_meets_the_gold_annotations(tmp_path):
    export = tmp_path / "export.jsonl"
    call_command("export_articles", output=str(export), stdout=open("/dev/null", "w"))
    result = subprocess.run(
        [sys.executable, ROOT / "tests" / "gold" / "score_ingest.py", ROOT / "tests" / "seeds.gold.json", export, "--verbose"],
        capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stdout


def test_export_rows_have_the_documented_fields(tmp_path):
    export = tmp_path / "export.jsonl"
    call_command("export_articles", output=str(export), stdout=open("/dev/null", "w"))
    rows = [json.loads(line) for line in export.read_text(encoding="utf-8").splitlines()]
    assert rows
    for row in rows:
        assert {"id", "url", "origin", "kind", "kicker", "title", "subtitle", "bylines", "source", "page", "date",
                "regions", "themes", "script", "body", "body_simplified", "keywords"} <= set(row)
        assert row["url"] == f"/a/{row['id']}/"


def test_rerun_reports_every_file_unchanged_and_changes_no_row(corpus_dir, capsys):
    before = _state()
    out = open("/dev/null", "w")
    from io import StringIO

    buffer = StringIO()
    call_command("ingest", str(corpus_dir), jobs=1, stdout=buffer)
    assert "0 new, 5 unchanged, 0 updated, 0 failed" in buffer.getvalue()
    assert _state() == before
    out.close()


def test_a_byte_identical_copy_is_recorded_as_a_duplicate(tmp_path, corpus_dir):
    copy = tmp_path / "copy.txt"
    shutil.copy(corpus_dir / "003_6a5307973c5811e8.txt", copy)
    articles = Article.objects.count()
    _ingest(copy)
    record = IngestedFile.objects.get(name="copy.txt")
    assert record.report["duplicate_of"].endswith("003_6a5307973c5811e8.txt")
    assert Article.objects.count() == articles
    _ingest(copy, force=True)  # even forced, a duplicate is never parsed into a second set of articles
    assert IngestedFile.objects.filter(name="copy.txt").count() == 1
    assert Article.objects.count() == articles


def test_force_keeps_every_permalink(corpus_dir):
    before = {a.public_id: (a.ingested_file_id, a.position) for a in Article.objects.live()}
    _ingest(corpus_dir, force=True)
    after = {a.public_id: (a.ingested_file_id, a.position) for a in Article.objects.live()}
    assert after == before
    assert not Article.objects.filter(removed_at__isnull=False).exists()


def test_changed_file_keeps_permalinks_of_surviving_articles(tmp_path, corpus_dir):
    source = corpus_dir / "004_e6f684abd7de261e.txt"
    target = tmp_path / "page.txt"
    # A trailing newline: same articles, but not the baseline's bytes (which would count as unchanged).
    target.write_bytes(source.read_bytes() + b"\n")
    _ingest(target)
    record = IngestedFile.objects.get(name="page.txt")
    ids = {a.title: a.public_id for a in record.articles.all()}
    assert "祁县:以『艺』抗疫 凝聚战疫力量" in ids

    # The editor's desk fixed a typo in one article and the 祁县 story was dropped.
    text = source.read_text(encoding="utf-8")
    start = text.index("祁县:以『艺』抗疫")
    end = text.index("慎终如始")
    target.write_text(text[:start] + text[end:].replace("加大人力物力", "加大人力和物力"), encoding="utf-8")
    _ingest(target)

    record.refresh_from_db()
    live = {a.title: a.public_id for a in record.articles.live()}
    assert "祁县:以『艺』抗疫 凝聚战疫力量" not in live
    for title, public_id in live.items():
        assert ids.get(title) == public_id
    removed = Article.objects.get(public_id=ids["祁县:以『艺』抗疫 凝聚战疫力量"])
    assert removed.removed_at is not None and not removed.is_public


def test_editor_changes_survive_a_forced_reingest(corpus_dir):
    article = Article.objects.get(title="丹凤聚力建设重点项目")
    article.title = "丹凤县聚力建设重点项目"
    article.status = Article.Status.HIDDEN
    article.mark_edited("title", "status")
    article.save()
    _ingest(corpus_dir, force=True)
    article.refresh_from_db()
    assert article.title == "丹凤县聚力建设重点项目"
    assert article.status == Article.Status.HIDDEN and not article.is_public


def test_bad_files_fail_alone_with_a_reason_naming_the_file(tmp_path):
    (tmp_path / "good.txt").write_text("## 标题一行\n\n本报讯(记者 王小明)3月2日,某县召开会议。\n", encoding="utf-8")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02\xff\xfe\x00garbage" * 50)
    (tmp_path / "empty.txt").write_bytes(b"")
    with pytest.raises(CommandError, match="2 file"):
        _ingest(tmp_path)
    good = IngestedFile.objects.get(name="good.txt")
    assert good.status == IngestedFile.Status.OK and good.articles.count() == 1
    for name in ("binary.txt", "empty.txt"):
        record = IngestedFile.objects.get(name=name)
        assert record.status == IngestedFile.Status.FAILED
        assert name in record.error
        assert not record.articles.exists()


def test_a_good_file_that_later_turns_bad_keeps_its_articles(tmp_path):
    target = tmp_path / "page.txt"
    target.write_text("## 标题一行\n\n本报讯(记者 王小明)3月2日,某县召开会议。\n", encoding="utf-8")
    _ingest(target)
    article = Article.objects.get(ingested_file__name="page.txt")
    target.write_bytes(b"\x00\xff" * 100)
    with pytest.raises(CommandError):
        _ingest(target)
    article.refresh_from_db()
    assert article.is_public and article.removed_at is None
    assert IngestedFile.objects.get(name="page.txt").status == IngestedFile.Status.FAILED


def test_gbk_and_big5_files_are_decoded_and_recorded(tmp_path):
    text = "## 县里召开春耕会议\n\n本报讯(记者 王小明)3月2日,县委召开春耕生产工作会议,部署全年粮食生产。\n"
    (tmp_path / "gbk.txt").write_bytes(text.encode("gbk"))
    (tmp_path / "big5.txt").write_bytes(
        "## 縣裡召開春耕會議\n\n本報訊(記者 王小明)3月2日,縣委召開春耕生產工作會議,部署全年糧食生產。\n".encode("big5")
    )
    _ingest(tmp_path)
    assert IngestedFile.objects.get(name="gbk.txt").encoding.lower().replace("-", "") in {"gbk", "gb18030", "gb2312"}
    big5 = IngestedFile.objects.get(name="big5.txt")
    assert "big5" in big5.encoding.lower()
    article = big5.articles.get()
    assert article.script == "hant" and "县委召开春耕生产工作会议" in article.body_simplified


def test_dry_run_writes_nothing(tmp_path):
    (tmp_path / "page.txt").write_text("## 标题一行\n\n本报讯(记者 王小明)3月2日,某县召开会议。\n", encoding="utf-8")
    files, articles = IngestedFile.objects.count(), Article.objects.count()
    _ingest(tmp_path, dry_run=True)
    assert (IngestedFile.objects.count(), Article.objects.count()) == (files, articles)


def test_parallel_jobs_give_the_same_articles(tmp_path, corpus_dir):
    for path in corpus_dir.iterdir():
        # A trailing newline, so the copies are not byte-identical duplicates of the baseline.
        (tmp_path / ("copy-" + path.name)).write_bytes(path.read_bytes() + b"\n")
    _ingest(tmp_path, jobs=2)
    copies = Article.objects.filter(ingested_file__name__startswith="copy-").count()
    assert copies == Article.objects.exclude(ingested_file__name__startswith="copy-").live().count()


def test_source_option_names_the_publication_when_the_file_does_not(tmp_path):
    (tmp_path / "page.txt").write_text("## 标题一行\n\n本报讯(记者 王小明)3月2日,某县召开会议。\n", encoding="utf-8")
    _ingest(tmp_path, source="某县日报")
    assert Article.objects.get(ingested_file__name="page.txt").source.name == "某县日报"


def test_untitled_articles_are_published_with_a_warning():
    # A missing title alone is not garbage: real pages print untitled items (articles.review).
    article = Article.objects.get(ingested_file__name="001_7fe697b41a41a409.txt")
    assert article.title == ""
    assert article.status == Article.Status.PUBLISHED and article.is_public
    assert "no title" in article.warnings
    assert article.display_title.startswith("疫情防控工作以")


def test_editor_changes_to_kind_source_and_page_survive_reingest(corpus_dir):
    from articles.models import Source

    article = Article.objects.get(title="全市春季林业工作有序推进")
    article.kind = Article.Kind.PHOTO
    article.source = Source.objects.create(name="商洛日报")
    article.page = "A2"
    article.mark_edited("kind", "source", "page")
    article.save()
    _ingest(corpus_dir, force=True)
    article.refresh_from_db()
    assert (article.kind, article.source.name, article.page) == ("photo", "商洛日报", "A2")


def test_two_identical_new_files_in_one_run_give_one_set_of_articles(tmp_path):
    text = "## 县里召开春耕会议\n\n本报讯(记者 王小明)3月2日,县委召开春耕生产工作会议。\n"
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text(text, encoding="utf-8")
    _ingest(tmp_path)
    assert Article.objects.filter(ingested_file__name__in=["a.txt", "b.txt"]).count() == 1
    assert IngestedFile.objects.get(name="b.txt").report["duplicate_of"].endswith("a.txt")


def test_a_file_that_becomes_a_copy_of_another_retires_its_own_articles(tmp_path):
    (tmp_path / "a.txt").write_text("## 甲县召开会议\n\n本报讯(记者 王小明)3月2日,甲县召开会议。\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("## 乙县召开会议\n\n本报讯(记者 李小红)3月3日,乙县召开会议。\n", encoding="utf-8")
    _ingest(tmp_path)
    b_article = Article.objects.get(ingested_file__name="b.txt")
    shutil.copy(tmp_path / "a.txt", tmp_path / "b.txt")
    _ingest(tmp_path)
    b_article.refresh_from_db()
    assert b_article.removed_at is not None
    record = IngestedFile.objects.get(name="b.txt")
    assert record.report["duplicate_of"].endswith("a.txt") and record.sha256 == IngestedFile.objects.get(name="a.txt").sha256


def test_paths_through_dot_dot_are_not_mistaken_for_hidden_folders(tmp_path):
    folder = tmp_path / "papers"
    folder.mkdir()
    (folder / "page.txt").write_text("## 标题一行\n\n本报讯(记者 王小明)3月2日,某县召开会议。\n", encoding="utf-8")
    (folder / ".hidden.txt").write_text("not news", encoding="utf-8")
    _ingest(tmp_path / "papers" / ".." / "papers")
    assert IngestedFile.objects.filter(name="page.txt").exists()
    assert not IngestedFile.objects.filter(name=".hidden.txt").exists()


def test_dry_run_records_no_duplicate(tmp_path, corpus_dir):
    shutil.copy(corpus_dir / "003_6a5307973c5811e8.txt", tmp_path / "copy.txt")
    _ingest(tmp_path, dry_run=True)
    assert not IngestedFile.objects.filter(name="copy.txt").exists()


def test_bulk_inserted_articles_store_what_a_save_would_derive(db):
    """New articles go in by bulk INSERT (no save()): bylines and source stay searchable, titles sort in pinyin."""
    from articles.search.indexing import build_search_document
    from articles.text.pinyin import pinyin_key

    articles = list(Article.objects.select_related("source"))
    assert articles
    for article in articles:
        assert article.search_document == build_search_document(article), article.pk
        assert article.title_sort == pinyin_key(article.title), article.pk
    with_byline = next(article for article in articles if article.bylines)
    from articles.search import search_queryset

    assert with_byline in search_queryset(Article.objects.all(), f"作者:{with_byline.bylines[0]}")
