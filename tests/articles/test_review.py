"""Garbage-looking items wait in the review queue and stay private until an editor publishes them."""

import pytest
from django.core.management import call_command

from articles.models import Article
from articles.review import LONG_LINE_CHARS, NUMBERED_LINES_FOR_REVIEW, review_reasons
from articles.text.document import BLOCK_PARAGRAPH, KIND_ARTICLE, Block, ParsedItem


def _item(*paragraphs: str, title: str | None = "县里召开春耕会议", kind: str = KIND_ARTICLE) -> ParsedItem:
    return ParsedItem(position=0, kind=kind, blocks=[Block(BLOCK_PARAGRAPH, text) for text in paragraphs], title=title)


NEWS = "本报讯(记者 王小明)3月2日,县委召开春耕生产工作会议,部署全年粮食生产。"


def test_an_ordinary_article_may_be_published_at_once():
    assert review_reasons(_item(NEWS, "会议要求：1. 抓好春耕；2. 保障农资。")) == []


def test_markup_source_needs_review():
    html = '<!DOCTYPE html><html><head><title>x</title></head><body><div class="nav"><p>' + NEWS + "</p></div></body></html>"
    assert any("markup" in reason for reason in review_reasons(_item(html)))
    # A story that quotes one tag is not markup source.
    assert review_reasons(_item(NEWS + "网页中的<br>标签")) == []


def test_an_endless_line_needs_review():
    assert any("line of" in reason for reason in review_reasons(_item("甲" * (LONG_LINE_CHARS + 1))))
    assert review_reasons(_item("甲" * 3000)) == []


def test_thousands_of_numbered_lines_need_review():
    dump = "\n".join(f"{n} 数据行" for n in range(1, NUMBERED_LINES_FOR_REVIEW + 1))
    assert any("numbered lines" in reason for reason in review_reasons(_item(dump)))
    short_list = "\n".join(f"{n}. 第{n}项措施" for n in range(1, 30))
    assert review_reasons(_item(NEWS, short_list)) == []


def test_a_missing_title_alone_is_not_garbage():
    assert review_reasons(_item(NEWS, title=None)) == []
    html = "".join(f"<p>{n}</p>" for n in range(10))
    assert review_reasons(_item(html, title=None))


@pytest.mark.django_db
def test_garbage_is_ingested_into_the_review_queue_not_the_portal(tmp_path, client):
    tags = "".join(f'<div class="row"><span>{n}</span></div>' for n in range(20))
    (tmp_path / "page.txt").write_text(
        f"## 县里召开春耕会议\n\n{NEWS}\n\n{tags}\n", encoding="utf-8"
    )
    call_command("ingest", str(tmp_path), jobs=1, stdout=open("/dev/null", "w"))
    article = Article.objects.get(ingested_file__name="page.txt")
    assert article.status == Article.Status.REVIEW and not article.is_public
    assert any("markup" in warning for warning in article.warnings)
    assert not Article.objects.public().filter(pk=article.pk).exists()
    assert client.get(article.get_absolute_url()).status_code == 404
    assert article.public_id not in client.get("/articles/").text

    # An editor publishes it; a re-ingest of the same file does not send it back.
    Article.objects.filter(pk=article.pk).set_status(Article.Status.PUBLISHED)
    call_command("ingest", str(tmp_path), jobs=1, force=True, stdout=open("/dev/null", "w"))
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED and article.is_public
    assert client.get(article.get_absolute_url()).status_code == 200


@pytest.mark.django_db
def test_a_review_item_that_turns_clean_on_reingest_is_published(tmp_path):
    target = tmp_path / "page.txt"
    tags = "<b>春耕</b><b>备耕</b><b>农资</b>"  # six tags: markup source, in a body that stays the same article
    target.write_text(f"## 县里召开春耕会议\n\n{NEWS}{tags}\n", encoding="utf-8")
    call_command("ingest", str(target), jobs=1, stdout=open("/dev/null", "w"))
    article = Article.objects.get(ingested_file__name="page.txt")
    assert article.status == Article.Status.REVIEW
    target.write_text(f"## 县里召开春耕会议\n\n{NEWS}\n", encoding="utf-8")
    call_command("ingest", str(target), jobs=1, stdout=open("/dev/null", "w"))
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED and article.is_public
