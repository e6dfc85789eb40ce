"""No input is ever lost: every distinct content of a file is kept, compressed, failures included."""

import pytest
from django.core.management import CommandError, call_command

from articles.models import Article, FileVersion, IngestedFile

pytestmark = pytest.mark.django_db

FIRST = "## 县里召开春耕会议\n\n本报讯(记者 王小明)3月2日,县委召开春耕生产工作会议,部署全年粮食生产。\n" * 3
SECOND = FIRST.replace("春耕会议", "春耕备耕会议")


def _ingest(path, **options):
    call_command("ingest", str(path), jobs=1, stdout=open("/dev/null", "w"), **options)


def _versions(name):
    return {v.sha256: v for v in FileVersion.objects.filter(ingested_file__name=name)}


def test_original_bytes_are_kept_compressed_beside_the_text(tmp_path):
    page = tmp_path / "page.txt"
    page.write_bytes(FIRST.encode("gb18030"))  # not UTF-8: the text is decoded, the bytes stay as they were
    _ingest(page)
    record = IngestedFile.objects.get(name="page.txt")
    [version] = _versions("page.txt").values()
    assert version.sha256 == record.sha256 and not version.failed
    assert version.original_bytes() == page.read_bytes()
    assert len(bytes(version.compressed)) < version.size
    assert record.raw_text.startswith("## 县里召开春耕会议")


def test_a_changed_file_keeps_its_earlier_versions(tmp_path):
    page = tmp_path / "page.txt"
    page.write_text(FIRST, encoding="utf-8")
    _ingest(page)
    page.write_text(SECOND, encoding="utf-8")
    _ingest(page)
    page.write_text(FIRST, encoding="utf-8")  # reverted: the same content again is not a new version
    _ingest(page)
    versions = _versions("page.txt")
    assert sorted(v.original_bytes().decode("utf-8") for v in versions.values()) == sorted([FIRST, SECOND])
    assert IngestedFile.objects.get(name="page.txt").sha256 in versions


def test_failed_files_keep_their_bytes_too(tmp_path):
    page = tmp_path / "page.txt"
    page.write_text(FIRST, encoding="utf-8")
    _ingest(page)
    article = Article.objects.filter(ingested_file__name="page.txt").first()
    garbage = b"\x00\xff\xfe\x01" * 64
    page.write_bytes(garbage)
    with pytest.raises(CommandError):
        _ingest(page)
    record = IngestedFile.objects.get(name="page.txt")
    assert record.status == IngestedFile.Status.FAILED
    versions = _versions("page.txt")
    contents = {v.original_bytes(): v.failed for v in versions.values()}
    assert contents == {FIRST.encode(): False, garbage: True}
    article.refresh_from_db()
    assert article.is_public  # what the good version produced stays


def test_a_file_that_never_worked_keeps_its_bytes(tmp_path):
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02\xff\xfe\x00garbage" * 50)
    with pytest.raises(CommandError):
        _ingest(tmp_path)
    [version] = _versions("binary.txt").values()
    assert version.failed and version.original_bytes() == (tmp_path / "binary.txt").read_bytes()


def test_the_admin_lists_a_files_versions(client, django_user_model, tmp_path):
    client.force_login(django_user_model.objects.create_superuser("editor", "e@example.org", "pw-for-tests-only"))
    page = tmp_path / "page.txt"
    page.write_text(FIRST, encoding="utf-8")
    _ingest(page)
    record = IngestedFile.objects.get(name="page.txt")
    response = client.get(f"/admin/articles/ingestedfile/{record.pk}/change/")
    assert response.status_code == 200 and record.sha256 in response.text
