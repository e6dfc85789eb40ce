"""Reading and 原文 pages stay within a fixed size whatever the file held; the whole text is a download away."""

import pytest
from django.urls import reverse

from articles.models import Article, IngestedFile
from articles.reading_limits import RAW_PAGE_LINES, iter_lines, raw_window, visible_blocks

pytestmark = pytest.mark.django_db

PAGE_BUDGET_BYTES = 2_000_000
SENTENCE = "县委召开会议,研究部署春耕生产工作。"


@pytest.fixture
def huge_article():
    """What an unbounded ingest once stored: a 20 MB file with one article holding all of it."""
    lines = [SENTENCE * 10] * 40_000 + ["很长的一行" * 400_000] + ["<b>&amp;</b>" * 1000]
    raw = "\n".join(lines)
    record = IngestedFile.objects.create(path="/data/huge.txt", name="huge.txt", sha256="0" * 64, size=len(raw.encode()), raw_text=raw)
    body = SENTENCE * 200_000
    article = Article.objects.create(
        ingested_file=record, title="一篇极长的文章", blocks=[{"kind": "paragraph", "text": body}], body=body,
        body_simplified=body, first_line=1, last_line=len(lines),
    )
    return article, raw


def test_reading_page_of_a_huge_article_stays_within_budget_and_links_the_download(client, huge_article):
    article, _ = huge_article
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    assert len(response.content) < PAGE_BUDGET_BYTES
    assert reverse("articles:raw-download", args=[article.public_id]).encode() in response.content


def test_raw_page_of_a_huge_file_is_a_bounded_window_with_links_onwards(client, huge_article):
    article, raw = huge_article
    url = reverse("articles:raw", args=[article.public_id])
    first = client.get(url)
    assert first.status_code == 200 and len(first.content) < PAGE_BUDGET_BYTES
    assert b'rel="next"' in first.content and b'id="L1"' in first.content
    assert f'id="L{RAW_PAGE_LINES + 1}"'.encode() not in first.content
    for start in (40_001, 40_002, 10**9, -5, "x"):  # the huge line, the markup line, past the end, nonsense
        page = client.get(url, {"from": start})
        assert page.status_code == 200 and len(page.content) < PAGE_BUDGET_BYTES, start
    assert b"&lt;b&gt;" in client.get(url, {"from": 40_002}).content


def test_raw_download_streams_the_whole_text_as_utf8_plain_text(client, huge_article):
    article, raw = huge_article
    response = client.get(reverse("articles:raw-download", args=[article.public_id]))
    assert response.status_code == 200 and response.streaming
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert b"".join(response.streaming_content).decode("utf-8") == raw


def test_raw_download_withholds_hidden_articles_lines_like_the_raw_page(client):
    record = IngestedFile.objects.create(path="/data/two.txt", name="two.txt", sha256="1" * 64, size=1, raw_text="甲文第一行\n乙文第一行")
    shown = Article.objects.create(ingested_file=record, title="甲", body="甲", first_line=1, last_line=1)
    Article.objects.create(ingested_file=record, title="乙", body="乙", first_line=2, last_line=2, status=Article.Status.HIDDEN)
    text = b"".join(client.get(reverse("articles:raw-download", args=[shown.public_id])).streaming_content).decode()
    assert text == "甲文第一行\n"


def test_visible_blocks_and_windows_obey_their_budgets():
    blocks = [{"kind": "paragraph", "text": "字" * 50_000}] * 3
    shown, cut = visible_blocks(blocks)
    assert cut and sum(len(b["text"]) for b in shown) <= 60_001
    assert visible_blocks(blocks[:1]) == (blocks[:1], False)
    text = "\n".join(str(n) for n in range(1, 2001))
    assert list(iter_lines(text, 1999)) == [(1999, "1999"), (2000, "2000")]
    window = raw_window(text, None, 1)
    assert (window.first, window.last, window.next_start, window.previous_start) == (1, RAW_PAGE_LINES, RAW_PAGE_LINES + 1, None)
    assert raw_window("a\nb", None, 1).is_whole_file
