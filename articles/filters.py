"""The article list's filters: one FilterSet behind /articles/ and its facets.

Every filter is a plain GET parameter, so the address bar is always a link that
can be shared. Several values of one parameter are OR-ed (``?theme=a&theme=b``),
different parameters are AND-ed. Facet counts need "every active filter except
this facet's own", which :meth:`ArticleFilter.filter_queryset` offers through
its ``skip`` argument.

Parameters:

``region``  region code at any level; a county article counts under its city
            and province (the denormalised province/city/county columns).
``theme``   theme slug.
``year``    a year, or ``unknown`` for articles whose year was never stated.
``month``   1–12, or ``unknown``; combines with ``year`` (``year=unknown&month=10``
            finds the "10月12日" items of undated newspaper pages).
``from``    first day (YYYY-MM-DD) and ``to`` last day of a date range, both
``to``      inclusive, either may be left out; an article dated only to a month or
            a year is in the range when all of its month or year is.
``source``  source id.
``kind``    article, photo or continuation.
``q``       full-text search (articles.search).
``sort``    relevance, date (newest first), oldest (oldest first) or title (pinyin
            order, untitled last: Article.title_sort); relevance is the default
            when ``q`` is a meaningful query, date otherwise.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterable

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from articles.catalogue import current_version
from articles.models import Article, Region, Source, Theme
from articles.search import RELEVANCE_ORDERING, is_meaningful_query, search_queryset

UNKNOWN = "unknown"
# Filters that narrow through an index of their own, before the theme is tested.
# A sorted query (a page) walks an index in its order, so it probes too.
NARROWING_FILTERS = frozenset({"region", "source", "year", "from", "to", "sort"})
SORT_RELEVANCE, SORT_DATE, SORT_OLDEST, SORT_TITLE = "relevance", "date", "oldest", "title"
SORT_CHOICES = [(SORT_RELEVANCE, _("相关度")), (SORT_DATE, _("日期")), (SORT_OLDEST, _("最早")), (SORT_TITLE, _("标题"))]

# Parameters the filter understands; anything else in the query string (page,
# script, utm_…) is not a filter.
FILTER_PARAMS = ("region", "theme", "year", "month", "from", "to", "source", "kind", "q", "sort")
# The date facet is one hierarchy: years, then the months of the chosen years.
DATE_PARAMS = ("year", "month")
# A date range: from and to, each a day.
RANGE_PARAMS = ("from", "to")


class TokenListField(forms.MultipleChoiceField):
    """Several values of one GET parameter, each checked by ``accept``, no fixed choices."""

    def __init__(self, *, accept, **kwargs):
        self.accept = accept
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def valid_value(self, value: str) -> bool:
        return self.accept(value)


def _is_year(value: str) -> bool:
    # Length first: int() of a 5,000-digit string raises instead of answering.
    return value == UNKNOWN or (len(value) == 4 and value.isascii() and value.isdigit() and 1000 <= int(value) <= 2999)


def _is_month(value: str) -> bool:
    return value == UNKNOWN or (len(value) <= 2 and value.isascii() and value.isdigit() and 1 <= int(value) <= 12)


class ColumnChoiceField(forms.ModelMultipleChoiceField):
    """Model instances chosen by one column, each value checked against that column's type and range first.

    Django's own field sends any integer to the database, and SQLite raises
    OverflowError (a 500) for one beyond 64 bits; a value too long for a
    CharField column can never match either. Such values are rejected here
    with the filter's own message before any query.
    """

    def _check_values(self, value):
        model = self.queryset.model
        column = model._meta.get_field(self.to_field_name) if self.to_field_name else model._meta.pk
        for raw in value if isinstance(value, (list, tuple)) else ():
            try:
                typed = column.to_python(raw)
            except ValidationError:
                raise ValidationError(
                    self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": raw}
                ) from None
            try:
                column.run_validators(typed)
            except ValidationError:
                raise ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice", params={"value": raw}
                ) from None
        if not isinstance(value, (list, tuple)):
            return super()._check_values(value)
        # Every uncached list page validates its regions, themes and sources: a query each, and
        # the same few values over and over. What one catalogue token's labels said is kept
        # (a write that can rename or remove one replaces the token); only valid values are.
        queryset = self.queryset
        key = (
            queryset.db, current_version().token, queryset.model._meta.label, self.to_field_name,
            repr(queryset.query.select_related), str(queryset.query.where), tuple(sorted({str(raw) for raw in value})),
        )
        found = _checked_choices.get(key)
        if found is None:
            found = list(super()._check_values(value))
            if len(_checked_choices) >= CHECKED_CHOICES_KEPT:
                _checked_choices.pop(next(iter(_checked_choices)), None)
            _checked_choices[key] = found
        return found


# ColumnChoiceField's valid choices, per database, token, field and values (model instances, read-only).
_checked_choices: dict[tuple, list] = {}
CHECKED_CHOICES_KEPT = 1024


class ColumnChoiceFilter(django_filters.ModelMultipleChoiceFilter):
    field_class = ColumnChoiceField


class TokenListFilter(django_filters.Filter):
    field_class = TokenListField


class ArticleFilterForm(forms.Form):
    """The filters' form: a date range whose end is before its start is reported on ``to``."""

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("from"), cleaned.get("to")
        if start and end and end < start:
            self.add_error("to", _("结束日期 %(to)s 早于开始日期 %(from)s。") % {"to": end, "from": start})
        return cleaned


def _day_filter(label: str) -> django_filters.DateFilter:
    return django_filters.DateFilter(
        method="filter_noop",  # from and to are applied together, by filter_range
        label=label,
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": _("日期应写作 YYYY-MM-DD，例如 2022-04-01。")},
    )


class ArticleFilter(django_filters.FilterSet):
    region = ColumnChoiceFilter(
        queryset=Region.objects.select_related("parent__parent"),
        to_field_name="code",
        method="filter_region",
        label=_("地区"),
        error_messages={"invalid_choice": _("没有代码为 %(value)s 的地区。")},
    )
    theme = ColumnChoiceFilter(
        queryset=Theme.objects.all(),
        to_field_name="slug",
        method="filter_theme",
        label=_("主题"),
        error_messages={"invalid_choice": _("没有名为 %(value)s 的主题。")},
    )
    year = TokenListFilter(
        accept=_is_year,
        method="filter_year",
        label=_("年份"),
        error_messages={"invalid_choice": _("年份应为四位数字或 unknown（年份不详），而不是 %(value)s。")},
    )
    month = TokenListFilter(
        accept=_is_month,
        method="filter_month",
        label=_("月份"),
        error_messages={"invalid_choice": _("月份应为 1 到 12 或 unknown，而不是 %(value)s。")},
    )
    source = ColumnChoiceFilter(
        queryset=Source.objects.all(),
        method="filter_source",
        label=_("来源"),
        error_messages={
            "invalid_choice": _("没有编号为 %(value)s 的来源。"),
            "invalid_pk_value": _("来源编号应为数字，而不是 %(pk)s。"),
        },
    )
    kind = django_filters.MultipleChoiceFilter(
        choices=Article.Kind.choices,
        method="filter_kind",
        label=_("类型"),
        error_messages={"invalid_choice": _("没有 %(value)s 这种类型；可选 article、photo、continuation。")},
    )
    # "from" is a Python keyword: the two range filters are named through the class namespace.
    locals()["from"] = _day_filter(_("起始日期"))
    locals()["to"] = _day_filter(_("截止日期"))
    q = django_filters.CharFilter(method="filter_search", label=_("搜索"), max_length=200)
    sort = django_filters.ChoiceFilter(
        choices=SORT_CHOICES,
        method="filter_noop",
        label=_("排序"),
        empty_label=None,
        error_messages={"invalid_choice": _("排序方式只能是 relevance、date、oldest 或 title，而不是 %(value)s。")},
    )

    class Meta:
        model = Article
        fields: list[str] = []
        form = ArticleFilterForm

    @classmethod
    def of(cls, **params: str) -> ArticleFilter:
        """The filterset of the public articles under these parameters (a landing page's, the API's)."""
        query = QueryDict(mutable=True)
        query.update(params)
        return cls(query, queryset=Article.objects.public())

    # --- applying -------------------------------------------------------------

    def filter_queryset(self, queryset: QuerySet, skip: Iterable[str] = ()) -> QuerySet:
        """Apply every valid filter except those named in ``skip``, then the sort.

        Invalid parameters are left out of cleaned_data by the form, so they are
        ignored here; the view reports them (see :attr:`problems`).
        """
        skip = set(skip)
        self.form.is_valid()  # cleaned_data holds the valid parameters even when others fail
        self._applied = {name for name, value in self.form.cleaned_data.items() if value and name not in skip}
        if "sort" not in skip:
            self._applied.add("sort")
        for name, value in self.form.cleaned_data.items():
            if name in skip or name == "sort":
                continue
            queryset = self.filters[name].filter(queryset, value)
        queryset = self.filter_range(
            queryset,
            None if "from" in skip else self.form.cleaned_data.get("from"),
            None if "to" in skip else self.form.cleaned_data.get("to"),
        )
        if "sort" in skip:
            return queryset
        return self.sort_queryset(queryset)

    def queryset_for_facet(self, *names: str) -> QuerySet:
        """The public articles under every active filter but ``names``, unordered: for counting."""
        return self.filter_queryset(self.queryset.all(), skip={*names, "sort"}).order_by()

    # --- filters ----------------------------------------------------------------

    def filter_region(self, queryset: QuerySet, name: str, regions) -> QuerySet:
        by_level: dict[str, list[str]] = {}
        for region in regions:
            by_level.setdefault(region.level, []).append(region.code)
        if not by_level:
            return queryset
        condition = Q()
        for level, codes in by_level.items():
            condition |= Q(**{f"{level}_id__in": codes})
        return queryset.filter(condition)

    def filter_theme(self, queryset: QuerySet, name: str, themes) -> QuerySet:
        ids = [theme.pk for theme in themes]
        if not ids:
            return queryset
        through = Article.themes.through.objects
        if getattr(self, "_applied", set()) & NARROWING_FILTERS:
            # Another filter narrows through its own index (a place, a source, a
            # year range), or a page walks the listing index newest first and stops
            # after twenty: probe each visited row's links. SQLite at 1M articles,
            # region + theme page: 20 ms against 13 s for IN (subquery), which
            # starts from all ~400k link rows of the theme and sorts the survivors.
            return queryset.filter(Exists(through.filter(article_id=OuterRef("pk"), theme_id__in=ids)))
        # Counting the theme alone: IN (subquery) lets SQLite start from the theme's link
        # rows instead of probing them once per article (2× faster for its count);
        # PostgreSQL plans both forms as the same semi-join.
        return queryset.filter(pk__in=through.filter(theme_id__in=ids).values("article_id"))

    def filter_year(self, queryset: QuerySet, name: str, values: list[str]) -> QuerySet:
        condition = _in_or_null("year", values)
        years = sorted({int(v) for v in values if v != UNKNOWN})
        if years and UNKNOWN not in values:
            # A known year always has date_sort in that year (Article.set_partial_date);
            # the redundant range lets the newest-first listing index start at the
            # year instead of walking (and discarding) every newer article: theme +
            # year at 1M went from a ~137k-row walk to a range scan.
            months = self.form.cleaned_data.get("month") or []
            if "month" in getattr(self, "_applied", set()) and months and UNKNOWN not in months:
                # Year and month: one range per month, so even the month is a seek.
                ranges = Q()
                for year in years:
                    for month in sorted({int(m) for m in months}):
                        end = datetime.date(year + month // 12, month % 12 + 1, 1)
                        ranges |= Q(date_sort__gte=datetime.date(year, month, 1), date_sort__lt=end)
                condition &= ranges
            else:
                condition &= Q(
                    date_sort__gte=datetime.date(years[0], 1, 1), date_sort__lt=datetime.date(years[-1] + 1, 1, 1)
                )
        elif not years:
            # Undated, likewise: no year means no date_sort, so the listing index seeks to its
            # null end instead of walking every dated article first (2.5 s → ms at 1M).
            condition &= Q(date_sort__isnull=True)
        return queryset.filter(condition)

    def filter_range(self, queryset: QuerySet, start: datetime.date | None, end: datetime.date | None) -> QuerySet:
        """Articles dated within [start, end]; one dated only to a month or a year when all of it is inside.

        A seekable range on date_sort (the listing indexes' date column) does
        the narrowing; the precision test only looks at the rows in the range.
        Articles without a year have no date_sort, so a range never finds them.
        """
        if start is None and end is None:
            return queryset
        condition = Q()
        if start is not None:
            condition &= Q(date_sort__gte=start)
        if end is None:
            return queryset.filter(condition)
        condition &= Q(date_sort__lte=end)
        # date_sort of a month-only date is the 1st, of a year-only date 1 January: the
        # whole month (year) is inside when its last day is, i.e. when it starts no later than these.
        next_day = end + datetime.timedelta(days=1)
        month_start = end.replace(day=1)
        last_month = month_start if next_day.day == 1 else _previous_month(month_start)
        last_year = datetime.date(end.year if (end.month, end.day) == (12, 31) else end.year - 1, 1, 1)
        precise = (
            Q(day__isnull=False)
            | Q(day__isnull=True, month__isnull=False, date_sort__lte=last_month)
            | Q(month__isnull=True, date_sort__lte=last_year)
        )
        return queryset.filter(condition & precise)

    def filter_month(self, queryset: QuerySet, name: str, values: list[str]) -> QuerySet:
        return queryset.filter(_in_or_null("month", values))

    def filter_source(self, queryset: QuerySet, name: str, sources) -> QuerySet:
        ids = [source.pk for source in sources]
        return queryset.filter(source_id__in=ids) if ids else queryset

    def filter_kind(self, queryset: QuerySet, name: str, kinds: list[str]) -> QuerySet:
        return queryset.filter(kind__in=kinds)

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return search_queryset(queryset, value)

    def filter_noop(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset

    # --- sorting ----------------------------------------------------------------

    def _cleaned(self, name: str):
        """The cleaned value of one parameter; None when absent, invalid or unbound."""
        if not self.is_bound:
            return None
        self.form.is_valid()  # fills cleaned_data with the valid fields, even if others fail
        return self.form.cleaned_data.get(name)

    @property
    def searching(self) -> bool:
        """True when a meaningful search query is active."""
        return is_meaningful_query(self._cleaned("q") or "")

    @property
    def current_sort(self) -> str:
        """The sort in force: the ``sort`` parameter when valid and applicable, else the default."""
        chosen = self._cleaned("sort")
        if chosen == SORT_RELEVANCE and not self.searching:
            chosen = None
        return chosen or (SORT_RELEVANCE if self.searching else SORT_DATE)

    def sort_queryset(self, queryset: QuerySet) -> QuerySet:
        sort = self.current_sort
        if sort == SORT_RELEVANCE:
            return queryset.order_by(*RELEVANCE_ORDERING)
        if sort == SORT_OLDEST:
            return queryset.oldest_first()
        if sort == SORT_TITLE:
            # Pinyin order (丹凤 before 世界), untitled last: both are in the stored key,
            # so the (is_public[, province|city|source], title_sort) indexes give the order.
            return queryset.order_by("title_sort", "id")
        return queryset.newest_first()

    # --- reporting ----------------------------------------------------------------

    @property
    def problems(self) -> list[tuple[str, str, list[str]]]:
        """(parameter, its label, messages) for every parameter that was not understood."""
        if not self.is_bound or self.form.is_valid():
            return []
        return [
            (name, str(self.filters[name].label) if name in self.filters else name, [str(m) for m in messages])
            for name, messages in self.form.errors.items()
        ]

    def value(self, name: str):
        """The cleaned value of one filter (None or empty when absent or invalid)."""
        return self._cleaned(name)

    def cache_key(self) -> str:
        """The filters in force, canonical and unambiguous: all that counts and totals depend on.

        Built from the cleaned values (what the queryset really used), not the
        raw query string: ``?q=a&q=b`` searches only the last value, and must
        not share a key with ``?q=b&q=a``.
        """
        if not self.is_bound:
            return ""
        self.form.is_valid()
        key = {}
        for name, value in self.form.cleaned_data.items():
            if name == "sort" or value in (None, "", [], ()):
                continue
            if isinstance(value, str):
                key[name] = value.strip()
            elif isinstance(value, datetime.date):
                key[name] = value.isoformat()
            else:
                key[name] = sorted(str(getattr(v, "pk", v)) for v in value)
        return json.dumps(key, ensure_ascii=False, sort_keys=True)


def _previous_month(first: datetime.date) -> datetime.date:
    return (first - datetime.timedelta(days=1)).replace(day=1)


def _in_or_null(column: str, values: list[str]) -> Q:
    numbers = sorted({int(v) for v in values if v != UNKNOWN})
    condition = Q(**{f"{column}__in": numbers}) if numbers else Q(pk__in=[])
    if UNKNOWN in values:
        condition = (condition | Q(**{f"{column}__isnull": True})) if numbers else Q(**{f"{column}__isnull": True})
    return condition
