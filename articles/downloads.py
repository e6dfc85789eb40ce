"""Downloads of any filtered list: CSV (UTF-8 with BOM) and JSON Lines, streamed.

/articles/export.csv?<the list's query> and /articles/export.jsonl?<…> run the
list page's FilterSet and order over the public articles. Rows are read with
``values()`` through a database cursor in chunks (``iterator(chunk_size=…)``)
and written out as they come, so the worker holds one chunk at a time whatever
the number of rows: 100,000 rows cost no more memory than 2,000
(docs/benchmarks.md, benchmarks/export_memory.py).
"""

from __future__ import annotations

import csv
import datetime
import io
import json
from collections import defaultdict
from collections.abc import Iterable, Iterator

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, StreamingHttpResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

from articles.filters import ArticleFilter
from articles.models import Article
from articles.selectors import public_articles

CHUNK_SIZE = 2000
COLUMNS = (
    "id", "url", "title", "kicker", "subtitle", "date", "year", "month", "day", "kind", "source", "page",
    "province", "city", "county", "region_code", "themes", "bylines", "body",
)
# Rows as values(): no model instances, no per-row queries.
VALUES = (
    "pk", "public_id", "title", "kicker", "subtitle", "year", "month", "day", "kind", "source__name", "page",
    "province__name", "city__name", "county__name", "region_id", "bylines", "body",
)
BOM = "\ufeff"


def partial_date_iso(year: int | None, month: int | None, day: int | None) -> str:
    """ISO 8601 as precise as known: 2022, 2022-04, 2022-04-08, --04-08; empty when unknown."""
    if year is None and month is None:
        return ""
    if year is None:
        return f"--{month:02d}" + (f"-{day:02d}" if day else "")
    if month is None:
        return f"{year:04d}"
    return f"{year:04d}-{month:02d}" + (f"-{day:02d}" if day else "")


def _theme_slugs(ids: list[int]) -> dict[int, list[str]]:
    """Theme slugs of these articles: one query per chunk."""
    slugs: dict[int, list[str]] = defaultdict(list)
    rows = Article.themes.through.objects.filter(article_id__in=ids).values_list("article_id", "theme__slug")
    for article_id, slug in rows.order_by("article_id", "theme__slug"):
        slugs[article_id].append(slug)
    return slugs


def export_records(queryset, base_url: str = "", chunk_size: int = CHUNK_SIZE) -> Iterator[dict]:
    """One dict per article of ``queryset`` (in its order), fetched ``chunk_size`` rows at a time."""
    chunk: list[dict] = []
    for row in queryset.values(*VALUES).iterator(chunk_size=chunk_size):
        chunk.append(row)
        if len(chunk) >= chunk_size:
            yield from _records(chunk, base_url)
            chunk = []
    if chunk:
        yield from _records(chunk, base_url)


def _records(rows: list[dict], base_url: str) -> Iterator[dict]:
    themes = _theme_slugs([row["pk"] for row in rows])
    for row in rows:
        yield {
            "id": row["public_id"],
            "url": base_url + reverse("articles:detail", args=[row["public_id"]]),
            "title": row["title"],
            "kicker": row["kicker"],
            "subtitle": row["subtitle"],
            "date": partial_date_iso(row["year"], row["month"], row["day"]),
            "year": row["year"],
            "month": row["month"],
            "day": row["day"],
            "kind": row["kind"],
            "source": row["source__name"] or "",
            "page": row["page"],
            "province": row["province__name"] or "",
            "city": row["city__name"] or "",
            "county": row["county__name"] or "",
            "region_code": row["region_id"] or "",
            "themes": themes.get(row["pk"], []),
            "bylines": [name for name in row["bylines"] or [] if name],
            "body": row["body"],
        }


class _Line(io.StringIO):
    """A csv writer's target that hands back what was written and forgets it."""

    def take(self) -> str:
        text = self.getvalue()
        self.seek(0)
        self.truncate()
        return text


def csv_lines(records: Iterable[dict]) -> Iterator[str]:
    """A BOM and the header, then one CSV line per record; lists are joined with ``;``."""
    buffer = _Line()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    yield BOM + buffer.take()
    for record in records:
        writer.writerow(
            [";".join(value) if isinstance(value, list) else ("" if value is None else value) for value in (
                record[column] for column in COLUMNS
            )]
        )
        yield buffer.take()


def jsonl_lines(records: Iterable[dict]) -> Iterator[str]:
    """One JSON object per line, Chinese as UTF-8."""
    for record in records:
        yield json.dumps(record, ensure_ascii=False) + "\n"


def _batched(lines: Iterable[str], size: int = 200) -> Iterator[bytes]:
    """Lines grouped into fewer, larger writes to the socket."""
    batch: list[str] = []
    for line in lines:
        batch.append(line)
        if len(batch) >= size:
            yield "".join(batch).encode("utf-8")
            batch = []
    if batch:
        yield "".join(batch).encode("utf-8")


def _download(request: HttpRequest, extension: str, content_type: str, render) -> HttpResponse:
    filterset = ArticleFilter(request.GET, queryset=public_articles())
    problems = filterset.problems
    if problems:
        lines = [f"{name}: {' '.join(messages)}" for name, _label, messages in problems]
        return HttpResponseBadRequest("\n".join(lines), content_type="text/plain; charset=utf-8")
    base_url = request.build_absolute_uri("/").rstrip("/")
    records = export_records(filterset.qs, base_url)
    response = StreamingHttpResponse(_batched(render(records)), content_type=content_type)
    stamp = datetime.date.today().isoformat()
    response["Content-Disposition"] = f'attachment; filename="articles-{stamp}.{extension}"'
    response["X-Robots-Tag"] = "noindex"
    return response


@require_GET
def export_csv(request: HttpRequest) -> HttpResponse:
    """The filtered list as CSV, UTF-8 with a BOM so spreadsheets read the Chinese right."""
    return _download(request, "csv", "text/csv; charset=utf-8", csv_lines)


@require_GET
def export_jsonl(request: HttpRequest) -> HttpResponse:
    """The filtered list as JSON Lines."""
    return _download(request, "jsonl", "application/jsonl; charset=utf-8", jsonl_lines)
