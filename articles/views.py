"""Public pages of the portal."""

from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render

from articles.models import Article, Region, Source, Theme


def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness plus a real round trip to the database."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # the point is to report, not to raise
        return JsonResponse({"status": "error", "database": str(exc)}, status=503)
    return JsonResponse({"status": "ok", "database": connection.vendor})


def home(request: HttpRequest) -> HttpResponse:
    latest = Article.objects.public().select_related("source", "region").newest_first()[:20]
    return render(request, "articles/home.html", {"latest": latest})


def article_list(request: HttpRequest) -> HttpResponse:
    articles = Article.objects.public().select_related("source", "region").newest_first()[:50]
    return render(request, "articles/home.html", {"latest": articles})


def article_detail(request: HttpRequest, public_id: str, slug: str = "") -> HttpResponse:
    article = get_object_or_404(Article.objects.select_related("source", "region"), public_id=public_id)
    if not article.is_public:
        raise Http404
    return render(request, "articles/detail.html", {"article": article})


def article_source_text(request: HttpRequest, public_id: str) -> HttpResponse:
    article = get_object_or_404(Article.objects.public().select_related("ingested_file"), public_id=public_id)
    return HttpResponse(article.ingested_file.raw_text, content_type="text/plain; charset=utf-8")


def region_detail(request: HttpRequest, code: str) -> HttpResponse:
    region = get_object_or_404(Region, code=code)
    latest = Article.objects.public().in_region(region).newest_first()[:50]
    return render(request, "articles/home.html", {"latest": latest, "heading": region.name})


def theme_detail(request: HttpRequest, slug: str) -> HttpResponse:
    theme = get_object_or_404(Theme, slug=slug)
    latest = Article.objects.public().filter(themes=theme).newest_first()[:50]
    return render(request, "articles/home.html", {"latest": latest, "heading": theme.name})


def source_detail(request: HttpRequest, pk: int) -> HttpResponse:
    source = get_object_or_404(Source, pk=pk)
    latest = Article.objects.public().filter(source=source).newest_first()[:50]
    return render(request, "articles/home.html", {"latest": latest, "heading": source.name})
