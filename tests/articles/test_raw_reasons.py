"""The 原文 view says why each stripped line went, and what kind of file ingest took the file for."""

import shutil

import pytest
from django.core.management import call_command

from articles.models import Article
from tests.conftest import ROOT

pytestmark = pytest.mark.django_db

PAGE = ROOT / "tests" / "text" / "fixtures" / "web" / "chromium_portal_gbk.txt"


def test_raw_view_names_the_reason_of_every_stripped_line(client, tmp_path):
    shutil.copy(PAGE, tmp_path / PAGE.name)
    call_command("ingest", str(tmp_path), jobs=1, stdout=open("/dev/null", "w"))
    article = Article.objects.get(ingested_file__name=PAGE.name)
    report = article.ingested_file.report
    assert report["kind"].startswith("web page dump")
    assert sum(last - first + 1 for spans in report["removed"].values() for first, last in spans) == len(
        article.ingested_file.removed_lines
    )
    page = client.get(f"/a/{article.public_id}/source/").content.decode()
    assert "文件类型判断" in page
    assert "面包屑导航（当前位置）" in page  # 首页 > 县区新闻
    assert "编辑署名" in page or "编辑或记者署名行" in page  # 责任编辑：张晓东
    assert "正文之外" in page  # the menu and the related links
