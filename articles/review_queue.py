"""The editors' review queue: items that wait for an editor, with their warnings, published or hidden in place.

Ingest holds back what looks like garbage (Status.REVIEW, articles/review.py);
published items may still carry warnings (no date, no byline …) worth a look.
The queue lists one or the other, oldest file first, each with its warnings
in Chinese, the opening of its text and three actions: 发布 and 隐藏 (a POST
each, back to the queue at the next item) and 编辑 (the change form).
Keyboard: j / k move between items, p publishes, h hides, e edits
(static/admin/js/review_queue.js); every action is also a plain button or link.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from articles.editing import warning_label
from articles.models import Article
from articles.templatetags.portal import excerpt_of, headline_of

PER_PAGE = 25
QUEUES = ("review", "warnings")
ACTIONS = {"publish": Article.Status.PUBLISHED, "hide": Article.Status.HIDDEN}
DISMISS = "dismiss"  # warnings checked: the item leaves the warnings queue (a re-ingest may raise them again)


def queue_queryset(queue: str):
    """The live articles of a queue, in file order."""
    live = Article.objects.live().select_related("source", "ingested_file")
    if queue == "warnings":
        return live.filter(status=Article.Status.PUBLISHED).exclude(Q(warnings=[]) | Q(warnings__isnull=True))
    return live.filter(status=Article.Status.REVIEW)


def _queue_url(queue: str, page: int | str = 1, anchor: str = "") -> str:
    url = reverse("admin:articles_article_review") + f"?queue={queue}"
    if str(page) != "1":
        url += f"&page={page}"
    return url + (f"#{anchor}" if anchor else "")


def review_queue(model_admin, request: HttpRequest) -> HttpResponse:
    """GET: the queue; POST: publish or hide one item, then back to the queue at the item after it."""
    if not model_admin.has_view_or_change_permission(request):
        raise PermissionDenied
    queue = request.GET.get("queue", "review")
    if queue not in QUEUES:
        queue = "review"
    if request.method == "POST":
        return _act(model_admin, request, queue)

    paginator = Paginator(queue_queryset(queue).order_by("ingested_file__name", "position", "pk"), PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    items = [
        {
            "article": article,
            "title": headline_of(article),
            "excerpt": excerpt_of(article, 240),
            "warnings": [warning_label(w) for w in article.warnings or []],
        }
        for article in page.object_list
    ]
    context = {
        **model_admin.admin_site.each_context(request),
        "title": _("审核队列"),
        "opts": model_admin.model._meta,
        "queue": queue,
        "counts": {name: queue_queryset(name).count() for name in QUEUES},
        "items": items,
        "page_obj": page,
        "can_change": model_admin.has_change_permission(request),
    }
    return TemplateResponse(request, "admin/articles/review_queue.html", context)


def _act(model_admin, request: HttpRequest, queue: str) -> HttpResponse:
    if not model_admin.has_change_permission(request):
        raise PermissionDenied
    action = request.POST.get("action", "")
    article = get_object_or_404(Article.objects.live(), pk=request.POST.get("article"))
    if action not in ACTIONS and action != DISMISS:
        messages.error(request, _("未知的操作。"))
        return HttpResponseRedirect(_queue_url(queue))
    # Where to land: the item after this one in the queue as it stands now.
    order = list(queue_queryset(queue).order_by("ingested_file__name", "position", "pk").values_list("pk", flat=True))
    following = order[order.index(article.pk) + 1] if article.pk in order and order.index(article.pk) + 1 < len(order) else None
    if action == DISMISS:
        Article.objects.filter(pk=article.pk).update(warnings=[])
        changed = "warnings"
    else:
        Article.objects.filter(pk=article.pk).set_status(ACTIONS[action])
        changed = "status"
    article.refresh_from_db()
    model_admin.log_change(request, article, [{"changed": {"fields": [changed]}}])
    done = {"publish": _("《%(title)s》已发布。"), "hide": _("《%(title)s》已隐藏。"), DISMISS: _("《%(title)s》的导入提示已核对。")}
    messages.success(request, done[action] % {"title": headline_of(article)})
    return HttpResponseRedirect(_queue_url(queue, request.POST.get("page", 1), f"item-{following}" if following else ""))
