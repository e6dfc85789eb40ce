"""CSV and JSON Lines downloads of any filtered list."""

import csv
import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.downloads import BOM, COLUMNS, export_records
from articles.filters import ArticleFilter
from articles.models import Article
from articles.selectors import public_articles

pytestmark = pytest.mark.django_db


def body(response) -> bytes:
    assert response.status_code == 200
    assert response.streaming
    return b"".join(response.streaming_content)


def listed_ids(client, query: str) -> list[str]:
    response = client.get(f"/articles/?{query}")
    total = response.context["page_obj"].paginator.count
    filterset = ArticleFilter(response.wsgi_request.GET, queryset=public_articles())
    ids = list(filterset.qs.values_list("public_id", flat=True))
    assert len(ids) == total
    return ids


@pytest.mark.parametrize("query", ["region=611000", "theme=epidemic&year=2022", "q=疫情", "sort=title", ""])
def test_csv_has_bom_header_and_the_list_rows_in_order(client, query):
    response = client.get(f"/articles/export.csv?{query}")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    raw = body(response)
    assert raw.startswith(BOM.encode("utf-8"))
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert tuple(rows[0].keys()) == COLUMNS
    assert [row["id"] for row in rows] == listed_ids(client, query)


def test_csv_rows_keep_chinese_and_every_field(client):
    article = Article.objects.public().filter(city_id="611000").exclude(title="").first()
    raw = body(client.get("/articles/export.csv?region=611000")).decode("utf-8-sig")
    row = next(r for r in csv.DictReader(io.StringIO(raw)) if r["id"] == article.public_id)
    assert row["title"] == article.title
    assert row["body"] == article.body  # newlines and commas survive the quoting
    assert row["city"] == "商洛市" and row["province"] == "陕西省"
    assert row["url"] == f"http://testserver{article.get_absolute_url()}"
    assert row["themes"] == ";".join(sorted(article.themes.values_list("slug", flat=True)))


def test_jsonl_one_object_per_listed_article(client):
    raw = body(client.get("/articles/export.jsonl?region=610000"))
    records = [json.loads(line) for line in raw.decode("utf-8").splitlines()]
    assert [r["id"] for r in records] == listed_ids(client, "region=610000")
    assert set(records[0]) == set(COLUMNS)
    assert all(isinstance(r["themes"], list) and isinstance(r["bylines"], list) for r in records)
    assert "陕西省" in raw.decode("utf-8")  # not \u escapes


def test_hidden_articles_are_never_exported(client):
    hidden = Article.objects.public().filter(province_id="610000").first()
    hidden.status = Article.Status.HIDDEN
    hidden.save()
    raw = body(client.get("/articles/export.jsonl?region=610000")).decode()
    assert hidden.public_id not in raw


def test_bad_parameters_answer_400(client):
    response = client.get("/articles/export.csv?region=999999")
    assert response.status_code == 400
    assert "region" in response.content.decode()


def test_work_is_per_chunk_not_per_row(client):
    """One cursor for the rows plus one theme query per chunk: memory holds one chunk at a time."""
    total = public_articles().count()
    chunk = 4
    with CaptureQueriesContext(connection) as queries:
        records = list(export_records(public_articles().newest_first(), chunk_size=chunk))
    assert len(records) == total
    assert len(queries) == 1 + -(-total // chunk)


def test_list_page_links_its_downloads(client):
    html = client.get("/articles/?region=611000&page=1").content.decode()
    assert 'href="/articles/export.csv?region=611000"' in html
    assert 'href="/articles/export.jsonl?region=611000"' in html
