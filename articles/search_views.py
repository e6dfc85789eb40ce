"""Search beyond the result list: a hit opened keeps its query, the help page, the no-results hints.

A result link is the article's permalink with the list's own parameters
(filters, ``q``, ``sort``) and ``hit``, the result's 1-based position. The
reading page then marks the query's words, links back to the results page
that held the hit (``page`` = where ``hit`` falls) and to the previous and
next hit: one slice of three positions from the same ordering the list page
pages through (RankedHits over the same FilterSet, with the same cached
count), so a hit costs no more than a results page.

Everything here depends only on the path and query string (and the
catalogue), so the page cache, keyed by the full path, stays right.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _


from articles.filters import SORT_RELEVANCE, ArticleFilter
from articles.models import Article
from articles.search import highlight_text, is_meaningful_query
from articles.search.query import without_each_unit
from articles.selectors import index_total, list_counts, public_articles, relevance_ranked, search_total
from articles.templatetags.portal import display_text, headline_of
from articles.text.chinese import to_simplified, to_traditional

HIT_PARAM = "hit"
# The list's parameters a hit link carries; the page follows from the position.
NOT_CARRIED = ("page", "script", "lang", HIT_PARAM)
# Beyond this a position is not a results page anyone paged to.
MAX_HIT = 1_000_000
MAX_SUGGESTIONS = 6


def _carried(query: QueryDict) -> QueryDict:
    params = query.copy()
    for key in NOT_CARRIED:
        params.pop(key, None)
    return params


def _list_url(params: QueryDict) -> str:
    encoded = params.urlencode()
    base = reverse("articles:list")
    return f"{base}?{encoded}" if encoded else base


def _position(raw: str | None) -> int | None:
    if not raw or len(raw) > 7 or not raw.isascii() or not raw.isdigit():
        return None
    position = int(raw)
    return position if 1 <= position <= MAX_HIT else None


# --- The list: links that carry the search ------------------------------------------------


def mark_hits(articles: list[Article], page, query: QueryDict) -> None:
    """Give each result of a search page its ``hit_url`` (permalink + search + position) and ``hit_position``."""
    params = _carried(query)
    first = page.start_index()
    for offset, article in enumerate(articles):
        position = first + offset
        params[HIT_PARAM] = str(position)
        article.hit_position = position
        article.hit_url = f"{article.get_absolute_url()}?{params.urlencode()}"


def _count(filterset: ArticleFilter) -> tuple[int, bool]:
    """The total the list page shows for these filters (the same count, by the same functions)."""
    # The facet index counts exactly in about a millisecond, where a search's bounded count
    # walks up to 10,000 hits through the full-text index (0.3-1.1 s at a million articles).
    total = index_total(filterset)
    if total is not None:
        return total, False
    if filterset.searching:
        # The bounded count, without the sampled tally the list also makes: exact up to 10,000,
        # so RankedHits takes the same branch as the list (it only asks whether count <= 2,000).
        return search_total(filterset)
    _tally, total, estimated = list_counts(filterset)
    return total, estimated


# --- No results -------------------------------------------------------------------------


def no_results(filterset: ArticleFilter, query: QueryDict, chips: list[dict]) -> dict:
    """What to try when a search found nothing: drop a filter, use fewer words; each with its count.

    Only suggestions that find something are offered. Each count is the
    total the list page would show for that link (from the facet index, or
    its own cached count). The query's other script
    is a note, not a link: search already treats 鎮安 and 镇安 alike.
    """
    q = filterset.value("q") or ""
    params = _carried(query)
    candidates: list[tuple[str, QueryDict]] = []
    for chip in chips:
        if chip.get("param") in (None, "q"):
            continue
        reduced = _carried(QueryDict(chip["url"].partition("?")[2]))
        candidates.append((_("去掉筛选条件“%(facet)s：%(label)s”") % chip, reduced))
    for shorter in without_each_unit(q):
        reduced = params.copy()
        reduced["q"] = shorter
        candidates.append((_("少用一个词：%(q)s") % {"q": shorter}, reduced))
    suggestions = []
    counted = []  # each suggestion's parameters, found or not: what the page's offers depend on
    for label, reduced in candidates[:MAX_SUGGESTIONS]:
        other = ArticleFilter(reduced, queryset=public_articles())
        count, estimated = _count(other)
        counted.append([(name, value) for name, values in reduced.lists() for value in values])
        if count:
            suggestions.append({"label": label, "url": _list_url(reduced), "count": count, "estimated": estimated})
    traditional, simplified = to_traditional(q), to_simplified(q)
    other_script = traditional if traditional != q else simplified if simplified != q else ""
    return {
        "suggestions": suggestions, "other_script": other_script, "q": q, "help_url": reverse("articles:search-help"),
        "counted": counted,
    }


# --- Reading a hit ------------------------------------------------------------------------


def _neighbours(filterset: ArticleFilter, article: Article, position: int) -> dict:
    """The previous and next hit around ``position``, as the list orders them; {} if the article is not there."""
    ids = filterset.qs.values_list("pk", flat=True)
    total, _estimated = _count(filterset)
    results = relevance_ranked(filterset, ids, total) if filterset.current_sort == SORT_RELEVANCE else ids
    start = max(position - 2, 0)
    window = list(results[start : position + 1])
    if article.pk not in window:
        return {}  # the catalogue changed since the list was shown: no neighbours rather than wrong ones
    here = start + window.index(article.pk)  # 0-based
    wanted = {}
    if here > start:
        wanted["previous"] = (window[here - start - 1], here)
    if here - start + 1 < len(window):
        wanted["next"] = (window[here - start + 1], here + 2)
    rows = {
        row.pk: row
        for row in Article.objects.filter(pk__in=[pk for pk, _number in wanted.values()]).only(
            "public_id", "title", "body", "body_simplified", "script"
        )
    }
    found = {"position": here + 1, "total": total, "estimated": _estimated}
    params = _carried(filterset.data)
    for name, (pk, number) in wanted.items():
        row = rows.get(pk)
        if row is not None:
            params[HIT_PARAM] = str(number)
            found[name] = {"url": f"{row.get_absolute_url()}?{params.urlencode()}", "title": headline_of(row)}
    return found


def reading_search(request: HttpRequest, article: Article, blocks: list[dict]) -> dict:
    """Context for a reading page opened from a search: marked title, bylines and body, back and prev/next links.

    Empty when the address carries no meaningful ``q``: the page is the plain one.
    """
    if not is_meaningful_query(request.GET.get("q", "")):
        return {}
    filterset = ArticleFilter(request.GET, queryset=public_articles())
    if not filterset.searching:
        return {}
    q = filterset.value("q")
    position = _position(request.GET.get(HIT_PARAM))
    params = _carried(request.GET)
    if position and position > settings.NEWSROOM_PAGE_SIZE:
        params["page"] = str((position - 1) // settings.NEWSROOM_PAGE_SIZE + 1)
    back = _list_url(params) + (f"#hit-{position}" if position else "")
    script = article.script
    marked = [{**block, "html": highlight_text(display_text(block.get("text", ""), script), q)} for block in blocks]
    matches = sum(block["html"].count("<mark>") for block in marked)
    for block in marked:  # the first match in the body gets an anchor the navigation links to
        if "<mark>" in block["html"]:
            block["html"] = mark_safe(block["html"].replace("<mark>", '<mark id="match-1">', 1))
            break
    return {
        "search_q": q,
        "search_back_url": back,
        "search_hit": _neighbours(filterset, article, position) if position else {},
        "search_matches": matches,
        "title_html": highlight_text(headline_of(article), q),
        "bylines_html": highlight_text("、".join(display_text(name, script) for name in article.bylines or []), q, "byline"),
        "blocks": marked,
    }


# --- Help ---------------------------------------------------------------------------------


def search_help(request: HttpRequest) -> HttpResponse:
    """How to search: words, phrases, exclusion, OR, fields; each example a live link."""
    examples = [
        ("镇安 防疫", _("两个词都要有（空格分开）")),
        ('"疫情防控"', _("引号里的词组按原样出现，中文引号“”「」也可以")),
        ("防疫 -核酸", _("减号：不要含有这个词的文章")),
        ("疫情 OR 粮食", _("OR（大写）：有其中一个词即可")),
        ("作者:李小龙", _("只在作者中找")),
        ("标题:防汛", _("只在标题（含引题、副题）中找")),
        ("来源:陕西日报", _("只在来源名称中找")),
        ('标题:"防汛抗旱" -作者:张三', _("可以组合使用")),
    ]
    base = reverse("articles:list")
    context = {"examples": [{"query": q, "meaning": meaning, "url": f"{base}?{urlencode({'q': q})}"} for q, meaning in examples]}
    return render(request, "articles/search_help.html", context)
