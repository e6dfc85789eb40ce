"""About and help: what the portal covers (with live counts), where it comes from, how text is cleaned, how to use it."""

from __future__ import annotations

from collections import Counter

from django.db.models import Count, Max, Min
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from articles.catalogue import cached, cached_page
from articles.models import Article, IngestedFile, Region, Source, Theme
from articles.reasons import reason_label
from articles.selectors import public_articles


def coverage() -> dict:
    """Counts for the About page: articles by kind, script, province and source; files; lines removed by reason."""
    public = public_articles()
    kinds = dict(public.order_by().values_list("kind").annotate(n=Count("*")).order_by())
    scripts = dict(public.order_by().values_list("script").annotate(n=Count("*")).order_by())
    span = public.filter(year__isnull=False).aggregate(first=Min("date_sort"), last=Max("date_sort"))
    provinces = list(
        public.filter(province__isnull=False).order_by().values_list("province").annotate(n=Count("*")).order_by("-n")
    )
    names = dict(Region.objects.filter(code__in=[code for code, _n in provinces]).values_list("code", "name"))
    sources = list(
        public.filter(source__isnull=False).order_by().values_list("source").annotate(n=Count("*")).order_by("-n")
    )
    source_rows = {s.pk: s for s in Source.objects.filter(pk__in=[pk for pk, _n in sources])}
    removed: Counter[str] = Counter()
    files = IngestedFile.objects.filter(status=IngestedFile.Status.OK)
    # The reports carry the removal ranges; only they are read, a batch at a time (never the raw text).
    for report in files.values_list("report", flat=True).iterator(chunk_size=500):
        for reason, spans in ((report or {}).get("removed") or {}).items():
            removed[reason] += sum(end - start + 1 for start, end in spans)
    return {
        "total": sum(kinds.values()),
        "kinds": [(str(label), kinds.get(value, 0)) for value, label in Article.Kind.choices],
        "traditional": scripts.get(Article.Script.HANT, 0),
        "first": span["first"],
        "last": span["last"],
        "undated": public.filter(year__isnull=True).count(),
        "provinces": [(code, names.get(code, code), n) for code, n in provinces],
        "sources": [(source_rows[pk], n) for pk, n in sources if pk in source_rows],
        "unsourced": public.filter(source__isnull=True).count(),
        "themes": Theme.objects.count(),
        "files": files.count(),
        "failed_files": IngestedFile.objects.filter(status=IngestedFile.Status.FAILED).count(),
        "lines_removed": sum(removed.values()),
        "removed": [(reason_label(reason), n) for reason, n in removed.most_common()],
    }


@cached_page("about")
def about(request: HttpRequest) -> HttpResponse:
    """关于本站: coverage, sources and cleaning, with counts that follow the catalogue."""
    return render(request, "articles/about.html", {"coverage": cached("about", "", coverage)})


@cached_page("help")
def help_page(request: HttpRequest) -> HttpResponse:
    """使用帮助: browsing, search syntax, scripts, permalinks and citations, the marks used on pages."""
    return render(request, "articles/help.html", {})
