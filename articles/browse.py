"""Browsing as a newspaper archive does: a month's calendar, sources, their issues and pages (issue 12).

Built for a million-article table like articles.selectors: the calendar's
per-day counts are one GROUP BY date_sort over the filtered articles of one
month (a range on the listing indexes' date column); a source's issues are
one GROUP BY (date_sort, issue) read from the article_source_issue index
alone (in its order, so no sort); an issue or a page is one small query. An issue is a source's
articles of one day: the date a newspaper page prints is the issue's date,
and the issue number (2022年第14期) read from its masthead labels it.
"""

from __future__ import annotations

import calendar
import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from articles.catalogue import cached, cached_page
from articles.filters import RANGE_PARAMS, UNKNOWN, ArticleFilter
from articles.models import Article, Source
from articles.selectors import count_by, date_histogram, listing_rows, public_articles
from articles.text.issues import page_sort_key

# Monday first, as Chinese calendars print them (星期一 … 星期日); "weekday" keeps 日 apart from the date field's 日.
WEEKDAYS = (
    pgettext_lazy("weekday", "一"), pgettext_lazy("weekday", "二"), pgettext_lazy("weekday", "三"),
    pgettext_lazy("weekday", "四"), pgettext_lazy("weekday", "五"), pgettext_lazy("weekday", "六"),
    pgettext_lazy("weekday", "日"),
)
# What the reading page fetches of its issue's neighbours: titles and markers, not bodies.
NEIGHBOUR_FIELDS = (
    "pk", "public_id", "kind", "title", "script", "page", "issue", "continued_from", "continued_on",
    "ingested_file_id", "position", "body_simplified", "body",
)
NEIGHBOURS_MAX = 80


# --- Selectors -------------------------------------------------------------------


def month_bounds(year: int, month: int) -> tuple[datetime.date, datetime.date]:
    """The first day of the month and the first day of the next."""
    first = datetime.date(year, month, 1)
    return first, (first + datetime.timedelta(days=31)).replace(day=1)


def day_counts(queryset: QuerySet, year: int, month: int) -> dict[int, int]:
    """Articles per day of one month, among ``queryset``: one GROUP BY date_sort over a date_sort range.

    Only articles dated to the day count: a month-only date is stored as the
    1st (Article.set_partial_date) and would otherwise crowd that day.
    """
    first, following = month_bounds(year, month)
    days = queryset.filter(date_sort__gte=first, date_sort__lt=following, day__isnull=False)
    return {day.day: n for day, n in count_by(days, "date_sort")}


@dataclass
class CalendarDay:
    date: datetime.date
    count: int
    url: str = ""


def month_weeks(year: int, month: int, counts: dict[int, int]) -> list[list[CalendarDay | None]]:
    """The month as weeks of seven cells, Monday first; None pads the first and last week."""
    weeks = []
    for week in calendar.Calendar(firstweekday=0).monthdayscalendar(year, month):
        weeks.append([
            CalendarDay(datetime.date(year, month, day), counts.get(day, 0)) if day else None for day in week
        ])
    return weeks


@dataclass
class Issue:
    """One issue of a source: its day, the issue number printed on it, its article count."""

    date: datetime.date
    label: str
    count: int
    url: str = ""

    @property
    def weekday(self) -> str:
        return str(WEEKDAYS[self.date.weekday()])


def source_issues(source: Source, start: datetime.date, end: datetime.date) -> list[Issue]:
    """The source's issues from ``start`` (inclusive) to ``end`` (exclusive), oldest first: one GROUP BY."""
    days = public_articles().filter(source=source, date_sort__gte=start, date_sort__lt=end, day__isnull=False)
    counts: dict[datetime.date, int] = defaultdict(int)
    labels: dict[datetime.date, list[str]] = defaultdict(list)
    # Grouped in the index's own order (day sits between date_sort and issue): no sort of the groups.
    for date, _day, issue, n in count_by(days, "date_sort", "day", "issue"):
        counts[date] += n
        if issue and issue not in labels[date]:
            labels[date].append(issue)
    return [Issue(date, " / ".join(labels[date]), n) for date, n in sorted(counts.items())]


@dataclass
class Page:
    """One page (版) of an issue with its articles in page order."""

    page: str
    articles: list[Article] = field(default_factory=list)
    url: str = ""

    @property
    def label(self) -> str:
        return _("第%(page)s版") % {"page": self.page} if self.page else _("版次不详")


def issue_articles(source: Source, date: datetime.date) -> QuerySet:
    """The public articles of one issue: the source's articles dated to that day."""
    return public_articles().filter(source=source, date_sort=date, day__isnull=False)


def issue_pages(source: Source, date: datetime.date) -> list[Page]:
    """The issue's pages in the order a reader turns them, each with its articles in page order (one query)."""
    rows = issue_articles(source, date).only(*NEIGHBOUR_FIELDS).order_by("ingested_file_id", "position")
    pages: dict[str, Page] = {}
    for article in rows:
        pages.setdefault(article.page, Page(article.page)).articles.append(article)
    return sorted(pages.values(), key=lambda page: page_sort_key(page.page))


def page_listing(source: Source, date: datetime.date, page: str) -> list[Article]:
    """A page's articles in the order they stand on it (by input file, then position), ready for a result list."""
    ids = issue_articles(source, date).filter(page=page).order_by("ingested_file_id", "position")
    return listing_rows(list(ids.values_list("pk", flat=True)[:500]))


@dataclass
class Neighbours:
    """The reading page's links into the article's issue: its page, and the other part of a split article."""

    on_this_page: list[Article] = field(default_factory=list)
    page_url: str = ""
    issue_url: str = ""
    continued_from: Article | None = None
    continued_from_url: str = ""  # the part itself, or else the page the marker names
    continued_on: Article | None = None
    continued_on_url: str = ""


def _other_part(article: Article, candidates: list[Article], rivals: list[Article]) -> Article | None:
    """The one candidate that is the article's other part, or None when that is not clear.

    Same title first. Otherwise a candidate titled like one of the ``rivals``
    (other parts on the article's page whose markers name the same page) is
    theirs; of the rest, the only untitled one, or else the only one.
    """
    if article.title:
        titled = [other for other in candidates if other.title == article.title]
        if len(titled) == 1:
            return titled[0]
    taken = {rival.title for rival in rivals if rival.title}
    free = [other for other in candidates if not (other.title and other.title in taken)]
    untitled = [other for other in free if not other.title]
    if len(untitled) == 1:
        return untitled[0]
    return free[0] if len(free) == 1 else None


def page_url(source_id: int, date: datetime.date, page: str) -> str:
    return reverse("articles:issue-page", args=[source_id, date, page])


def issue_url(source_id: int, date: datetime.date) -> str:
    return reverse("articles:issue", args=[source_id, date])


def neighbours(article: Article) -> Neighbours:
    """Other articles on the article's page and the parts its 上接/下转 markers name: one query at most."""
    found = Neighbours()
    if not (article.source_id and article.date_sort and article.day):
        return found
    found.issue_url = issue_url(article.source_id, article.date_sort)
    pages = {page for page in (article.page, article.continued_from, article.continued_on) if page}
    if not pages:
        return found
    rows = list(
        issue_articles(article.source_id, article.date_sort)
        .filter(page__in=sorted(pages))
        .exclude(pk=article.pk)
        .only(*NEIGHBOUR_FIELDS)
        .order_by("ingested_file_id", "position")[:NEIGHBOURS_MAX]
    )
    if article.page:
        found.page_url = page_url(article.source_id, article.date_sort, article.page)
        found.on_this_page = [other for other in rows if other.page == article.page]
    # 上接 and 下转 are mirror images: the other part is on the page named, pointing back at this one.
    for here, there in (("continued_from", "continued_on"), ("continued_on", "continued_from")):
        page = getattr(article, here)
        if not page:
            continue
        part = _other_part(
            article,
            [other for other in rows if other.page == page and (not article.page or getattr(other, there) == article.page)],
            [other for other in rows if other.page == article.page and getattr(other, here) == page],
        )
        setattr(found, here, part)
        setattr(found, f"{here}_url", part.get_absolute_url() if part else page_url(article.source_id, article.date_sort, page))
    return found


# --- Views -------------------------------------------------------------------------


@cached_page("sources")
def source_index(request: HttpRequest) -> HttpResponse:
    """/sources/: every newspaper and site, with how many public articles each has."""

    def compute() -> list[tuple[str, list[tuple[Source, int]]]]:
        counts = {pk: n for pk, n in count_by(public_articles(), "source_id") if pk is not None}
        groups: dict[str, list[tuple[Source, int]]] = {kind: [] for kind, _label in Source.Kind.choices}
        for source in Source.objects.all():
            groups[source.kind].append((source, counts.get(source.pk, 0)))
        labels = dict(Source.Kind.choices)
        return [
            (str(labels[kind]), sorted(rows, key=lambda row: (-row[1], row[0].name)))
            for kind, rows in groups.items() if rows
        ]

    groups = cached("sources", "", compute)
    return render(request, "articles/sources.html", {"groups": groups, "total": sum(len(rows) for _k, rows in groups)})


def _source(pk: int) -> Source:
    return get_object_or_404(Source, pk=pk)


def _source_years(source: Source) -> list:
    """The source's years with articles (newest first), from the same histogram as its page."""
    years = cached("source-side", str(source.pk), lambda: date_histogram(public_articles().filter(source=source))[0])
    return years


@cached_page("source-issues")
def source_issue_year(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    """/sources/<id>/issues/<year>/: a source's issues of one year, month by month."""
    source = _source(pk)
    years = [option for option in _source_years(source) if option.value != UNKNOWN]
    if not any(option.value == str(year) for option in years):
        raise Http404  # a year with no articles is not offered
    start, end = datetime.date(year, 1, 1), datetime.date(year + 1, 1, 1)
    issues = cached("source-issues", f"{pk}:{year}", lambda: source_issues(source, start, end))
    months: dict[int, list[Issue]] = defaultdict(list)
    for issue in issues:
        issue.url = issue_url(source.pk, issue.date)
        months[issue.date.month].append(issue)
    context = {
        "source": source,
        "year": year,
        "years": [
            {"label": option.label, "url": reverse("articles:source-issues", args=[pk, int(option.value)]),
             "current": option.value == str(year), "count": option.count}
            for option in years
        ],
        "months": sorted(months.items()),
        "issue_count": len(issues),
        "undated_url": _list_url({"source": str(pk), "year": UNKNOWN}),
    }
    return render(request, "articles/source_issues.html", context)


def _adjacent_issue(source: Source, date: datetime.date, *, later: bool) -> datetime.date | None:
    days = public_articles().filter(source=source, day__isnull=False)
    if later:
        return days.filter(date_sort__gt=date).order_by("date_sort").values_list("date_sort", flat=True).first()
    return days.filter(date_sort__lt=date).order_by("-date_sort").values_list("date_sort", flat=True).first()


@cached_page("issue")
def issue_detail(request: HttpRequest, pk: int, date: datetime.date) -> HttpResponse:
    """/sources/<id>/<yyyy-mm-dd>/: one issue, its pages in order, each with its articles."""
    source = _source(pk)
    pages = issue_pages(source, date)
    if not pages:
        raise Http404
    for page in pages:
        page.url = page_url(pk, date, page.page) if page.page else ""
    labels = list(dict.fromkeys(article.issue for page in pages for article in page.articles if article.issue))
    previous, following = _adjacent_issue(source, date, later=False), _adjacent_issue(source, date, later=True)
    context = {
        "source": source,
        "date": date,
        "weekday": WEEKDAYS[date.weekday()],
        "issue_label": " / ".join(labels),
        "pages": pages,
        "article_count": sum(len(page.articles) for page in pages),
        "year_url": reverse("articles:source-issues", args=[pk, date.year]),
        "previous_url": issue_url(pk, previous) if previous else "",
        "previous": previous,
        "next_url": issue_url(pk, following) if following else "",
        "next": following,
    }
    return render(request, "articles/issue.html", context)


@cached_page("issue-page")
def issue_page(request: HttpRequest, pk: int, date: datetime.date, page: str) -> HttpResponse:
    """/sources/<id>/<yyyy-mm-dd>/<page>/: one page of an issue, its articles in page order."""
    source = _source(pk)
    page = page.upper()
    # Grouped in the article_source_issue index's order (day, issue, page), then merged and put in reading order.
    grouped = count_by(issue_articles(source, date), "day", "issue", "page")
    pages = sorted({value for _day, _issue, value, _n in grouped if value}, key=page_sort_key)
    if page not in pages:
        raise Http404
    results = page_listing(source, date, page)
    index = pages.index(page)
    context = {
        "source": source,
        "date": date,
        "weekday": WEEKDAYS[date.weekday()],
        "page": page,
        "issue_label": next((article.issue for article in results if article.issue), ""),
        "results": results,
        "pages": [{"page": value, "url": page_url(pk, date, value), "current": value == page} for value in pages],
        "previous_url": page_url(pk, date, pages[index - 1]) if index > 0 else "",
        "next_url": page_url(pk, date, pages[index + 1]) if index + 1 < len(pages) else "",
        "issue_url": issue_url(pk, date),
        "year_url": reverse("articles:source-issues", args=[pk, date.year]),
    }
    return render(request, "articles/issue_page.html", context)


# --- The calendar ---------------------------------------------------------------------

NOT_FILTERS = ("page", "script", "lang", "year", "month", *RANGE_PARAMS, "sort")


def _list_url(params: dict[str, str] | QueryDict) -> str:
    query = QueryDict(mutable=True)
    for key in params:
        values = params.getlist(key) if isinstance(params, QueryDict) else [params[key]]
        query.setlist(key, values)
    encoded = query.urlencode()
    return reverse("articles:list") + (f"?{encoded}" if encoded else "")


def _carried(query: QueryDict) -> QueryDict:
    """The list filters of the query that the calendar carries into its links (not its own dates)."""
    params = query.copy()
    for key in NOT_FILTERS:
        params.pop(key, None)
    return params


def _with(query: QueryDict, **params: str) -> QueryDict:
    """A copy of ``query`` with these parameters set (``from_`` stands for ``from``)."""
    copy = query.copy()
    for name, value in params.items():
        copy[name.rstrip("_")] = value
    return copy


def _single_int(query: QueryDict, name: str) -> int | None:
    values = query.getlist(name)
    if len(values) != 1 or not values[0].isascii() or not values[0].isdigit() or len(values[0]) > 4:
        return None
    return int(values[0])


@cached_page("calendar")
def month_calendar(request: HttpRequest) -> HttpResponse:
    """/articles/calendar/?year=2022&month=4: a month's days with their article counts, under the list's filters.

    Only years and months that have articles are offered; articles whose year
    was never stated are a link of their own (the list's year=unknown).
    """
    filterset = ArticleFilter(request.GET, queryset=public_articles(), request=request)
    problems = [problem for problem in filterset.problems if problem[0] not in ("year", "month", *RANGE_PARAMS)]
    base = filterset.queryset_for_facet("year", "month", *RANGE_PARAMS)
    key = filterset.cache_key()
    years, _months = cached("calendar-years", key, lambda: date_histogram(base))
    carried = _carried(request.GET)
    known = [option for option in years if option.value != UNKNOWN]
    unknown = next((option for option in years if option.value == UNKNOWN), None)
    months_of = {
        int(option.value): [int(m.value) for m in option.children if m.value != UNKNOWN] for option in known
    }
    dated_months = sorted((year, month) for year, months in months_of.items() for month in months)

    year, month = _single_int(request.GET, "year"), _single_int(request.GET, "month")
    if year not in months_of:  # not given, or a year without articles: the newest month there is
        year = dated_months[-1][0] if dated_months else max(months_of, default=None)
        month = None
    if year is not None and month not in months_of[year]:
        # The year's newest month, or (a year of year-only dates) none.
        month = months_of[year][-1] if months_of[year] else None

    def calendar_url(y: int, m: int | None = None) -> str:
        params = carried.copy()
        params["year"] = str(y)
        if m is not None:
            params["month"] = str(m)
        return reverse("articles:calendar") + "?" + params.urlencode()

    context: dict = {
        "filter": filterset,
        "problems": problems,
        "year": year,
        "month": month,
        "weekdays": WEEKDAYS,
        "years": [
            {"label": option.label, "count": option.count, "url": calendar_url(int(option.value)),
             "current": int(option.value) == year}
            for option in sorted(known, key=lambda option: int(option.value))
        ],
        "unknown": unknown,
        "unknown_url": _list_url(_with(carried, year=UNKNOWN)) if unknown else "",
        "list_url": _list_url(carried),
    }
    if year is not None:
        counts_of_year = {int(m.value): m.count for option in known if int(option.value) == year for m in option.children
                          if m.value != UNKNOWN}
        context["months"] = [
            {"month": m, "count": counts_of_year[m], "url": calendar_url(year, m), "current": m == month}
            for m in months_of[year]
        ]
    if year is not None and month is not None:
        counts = cached("calendar-days", f"{key}:{year}-{month}", lambda: day_counts(base, year, month))
        weeks = month_weeks(year, month, counts)
        for week in weeks:
            for day in week:
                if day is not None and day.count:
                    day.url = _list_url(_with(carried, from_=str(day.date), to=str(day.date)))
        position = dated_months.index((year, month))
        first, following = month_bounds(year, month)
        last = following - datetime.timedelta(days=1)
        context |= {
            "weeks": weeks,
            "day_total": sum(counts.values()),
            "month_url": _list_url(_with(carried, from_=str(first), to=str(last))),
            "previous_url": calendar_url(*dated_months[position - 1]) if position > 0 else "",
            "next_url": calendar_url(*dated_months[position + 1]) if position + 1 < len(dated_months) else "",
        }
    return render(request, "articles/calendar.html", context, status=400 if problems else 200)
