"""The editors' desk: curate articles, tune themes, inspect ingested files."""

from __future__ import annotations

import calendar
import json

from django import forms
from django.contrib import admin, messages
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Max, QuerySet
from django.http import HttpRequest
from django.utils.functional import cached_property
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from articles.editing import report_html, warnings_html
from articles.models import Article, ArticleRegion, CatalogueVersion, FileVersion, IngestedFile, Region, Source, Theme
from articles.search import is_meaningful_query, search_queryset
from articles.templatetags.portal import headline_of
from articles.text.document import PartialDate

BYLINE_SEPARATORS = "，,、 "


class ArticleForm(forms.ModelForm):
    """The change form; it saves only what the editor changed since opening it.

    The values the form was opened with travel in a hidden field (opened_state).
    A field counts as the editor's change only if the submitted value differs
    from that opening value, so a re-ingest that changed the article meanwhile
    is neither reverted nor claimed as the editor's. If the editor and the
    re-ingest changed the same field, the form says so instead of overwriting;
    re-submitting after that overwrites deliberately.
    """

    bylines_text = forms.CharField(label=_("作者"), required=False, help_text=_("多个作者用逗号或空格分隔"))
    opened_state = forms.CharField(label=_("打开时的值"), widget=forms.HiddenInput, required=False)

    class Meta:
        model = Article
        fields = [
            "status", "kind", "kicker", "title", "subtitle", "bylines_text", "source", "page",
            "issue", "continued_from", "continued_on",
            "year", "month", "day", "region", "themes",
        ]
        # A dozen themes: tick boxes, not the two-box chooser (whose "Choose 主题" Django leaves untranslated).
        widgets = {"themes": forms.CheckboxSelectMultiple}
        help_texts = {"region": _("改这里即改涉及地区中序号 0 的主要地区，保存一次即可。")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["bylines_text"].initial = "，".join(self.instance.bylines)
            self.initial["bylines_text"] = self.fields["bylines_text"].initial
        self.fields["opened_state"].initial = json.dumps(self._current_state(), cls=DjangoJSONEncoder)

    def _state_of(self, name: str, value) -> object:
        """A field's value in a JSON-comparable form (pks for model choices, sorted for many)."""
        prepared = self.fields[name].prepare_value(value)
        if isinstance(prepared, (list, tuple)):
            return sorted(str(v) for v in prepared)
        return json.loads(json.dumps(prepared, cls=DjangoJSONEncoder))

    def _current_state(self) -> dict[str, object]:
        """The stored article's values now, field by field."""
        return {name: self._state_of(name, self[name].initial) for name in CURATED_FORM_FIELDS}

    def _opened_state(self) -> dict[str, object] | None:
        raw = self.data.get(self.add_prefix("opened_state")) if self.is_bound else None
        try:
            state = json.loads(raw) if raw else None
        except ValueError:
            return None
        return state if isinstance(state, dict) else None

    @cached_property
    def changed_data(self) -> list[str]:
        """Fields the editor changed: against the opening values when the form carried them."""
        opened = self._opened_state()
        if opened is None:
            return self._changed_against_stored()
        changed = []
        for name, bound in self._bound_items():
            if name == "opened_state":
                continue
            if name not in opened:
                if bound._has_changed():
                    changed.append(name)
                continue
            initial = opened[name]
            if isinstance(self.fields[name], forms.ModelMultipleChoiceField):
                initial = initial or []
            if self.fields[name].has_changed(initial, bound.data):
                changed.append(name)
        return changed

    def _changed_against_stored(self) -> list[str]:
        """Django's own changed_data: submitted values that differ from what is stored now."""
        return [name for name, bound in self._bound_items() if name != "opened_state" and bound._has_changed()]

    def _concurrent_conflicts(self) -> dict[str, list[str]]:
        """Curated fields both the editor and someone else (a re-ingest) changed since the form opened."""
        opened = self._opened_state()
        if opened is None or not self.instance.pk:
            return {}
        current = self._current_state()
        against_stored = set(self._changed_against_stored())
        editor = set(self.changed_data)
        groups: dict[str, list[str]] = {}
        for name, curated in CURATED_FORM_FIELDS.items():
            groups.setdefault(curated, []).append(name)
        conflicts = {}
        for curated, names in groups.items():
            mine = [n for n in names if n in editor]
            theirs = [n for n in names if n in opened and opened[n] != current[n]]
            if mine and theirs and against_stored & set(names):
                conflicts[curated] = mine
        return conflicts

    def clean(self):
        data = super().clean()
        conflicts = self._concurrent_conflicts()
        for names in conflicts.values():
            for name in names:
                stored = self[name].initial
                if name == "bylines_text" or not isinstance(stored, (list, tuple)):
                    shown = stored if stored not in (None, "") else "—"
                else:
                    shown = "、".join(str(v) for v in stored) or "—"
                self.add_error(
                    name,
                    _("打开此页后，该字段已被其他操作（如重新导入）改为“%(value)s”。请核对后再次保存以覆盖。")
                    % {"value": shown},
                )
        if conflicts:
            # Saving again means the editor has seen the newer values and overrides them.
            self.data = self.data.copy()
            self.data[self.add_prefix("opened_state")] = json.dumps(self._current_state(), cls=DjangoJSONEncoder)
            return data
        # Untouched fields keep what is stored now (a re-ingest may have changed them since the form opened).
        editor = set(self.changed_data)
        for name in CURATED_FORM_FIELDS:
            if name not in editor and name in data and self.instance.pk:
                del data[name]
        self._validate_date(
            *(data[n] if n in data else getattr(self.instance, n) for n in ("year", "month", "day"))
        )
        return data

    def _validate_date(self, year: int | None, month: int | None, day: int | None) -> None:
        if month is not None and not 1 <= month <= 12:
            self.add_error("month", _("月份应在 1 到 12 之间"))
        if day is not None and (month is None or not 1 <= month <= 12):
            self.add_error("day", _("有日必须有月"))
        elif day is not None:
            # An unknown year may still be a leap year: 2月29日 stays possible.
            last = calendar.monthrange(year or 2000, month)[1]
            if not 1 <= day <= last:
                self.add_error("day", _("%(month)d月没有%(day)d日") % {"month": month, "day": day})
        if year is None and month is not None and day is None:
            self.add_error("day", _("年份不详时需要月和日"))

    def clean_bylines_text(self) -> list[str]:
        text = self.cleaned_data["bylines_text"]
        for sep in BYLINE_SEPARATORS:
            text = text.replace(sep, " ")
        return text.split()


# Form fields that map onto Article.CURATED_FIELDS names.
CURATED_FORM_FIELDS = {
    "kind": "kind", "source": "source", "page": "page",
    "issue": "issue", "continued_from": "continued_from", "continued_on": "continued_on",
    "kicker": "kicker", "title": "title", "subtitle": "subtitle", "bylines_text": "bylines",
    "year": "date", "month": "date", "day": "date", "region": "regions", "themes": "themes", "status": "status",
}


class ArticleRegionForm(forms.ModelForm):
    class Meta:
        model = ArticleRegion
        fields = ["region", "rank"]
        labels = {"region": _("地区"), "rank": _("序号")}


class ProvinceFilter(admin.RelatedOnlyFieldListFilter):
    """The province column's filter, titled in Chinese (the column itself has no verbose name)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.title = _("省份")


class ArticleRegionInline(admin.TabularInline):
    model = ArticleRegion
    form = ArticleRegionForm
    extra = 0
    autocomplete_fields = ["region"]
    verbose_name = _("涉及地区")
    verbose_name_plural = _("涉及地区（序号 0 为主要地区）")


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    form = ArticleForm
    list_display = ["headline", "kind", "source", "date_display", "region", "status", "ingested_file"]
    list_filter = ["status", "kind", "source", "themes", "script", "year", ("province", ProvinceFilter)]
    list_select_related = ["source", "region", "ingested_file"]
    search_fields = ["title"]  # shows the search box; get_search_results uses the full-text index
    show_facets = admin.ShowFacets.ALWAYS
    autocomplete_fields = ["region", "source"]
    inlines = [ArticleRegionInline]
    actions = ["publish", "hide", "mark_reviewed"]
    readonly_fields = ["public_id", "permalink", "warning_list", "edited_fields", "deleted_at", "side_by_side"]
    fieldsets = [
        (None, {"fields": [
            "public_id", "permalink", "status", "kind", "warning_list", "edited_fields", "deleted_at", "opened_state",
        ]}),
        (_("标题"), {"fields": ["kicker", "title", "subtitle", "bylines_text"]}),
        (_("出处"), {"fields": ["source", ("page", "issue"), ("continued_from", "continued_on"), ("year", "month", "day")]}),
        (_("归类"), {"fields": ["region", "themes"]}),
        (_("正文与原文"), {"fields": ["side_by_side"]}),
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Articles come from ingest, which ties each to its input file; editors curate them.
        return False

    def get_urls(self):
        """The review queue (articles/review_queue.py) at /admin/articles/article/review/."""
        from django.urls import path

        from articles.review_queue import review_queue

        queue = path("review/", self.admin_site.admin_view(lambda request: review_queue(self, request)),
                     name="articles_article_review")
        return [queue, *super().get_urls()]

    def delete_model(self, request: HttpRequest, obj: Article) -> None:
        """Deleting is a soft delete: the permalink answers 410 and a re-ingest never brings it back."""
        Article.objects.filter(pk=obj.pk).soft_delete()

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        queryset.soft_delete()

    def get_deleted_objects(self, objs, request: HttpRequest):
        """The confirmation page lists only the articles: their region links and themes are kept."""
        articles = [format_html('{}: <a href="{}">{}</a>', Article._meta.verbose_name, a.get_absolute_url(), a) for a in objs]
        return articles, {Article._meta.verbose_name_plural: len(articles)}, set(), []

    def get_object(self, request: HttpRequest, object_id: str, from_field: str | None = None) -> Article | None:
        """On save, the row locked (inside the admin's transaction) so a re-ingest cannot interleave."""
        article = super().get_object(request, object_id, from_field)
        if article is not None and request.method == "POST":
            CatalogueVersion.lock()  # first, as every count-changing writer does (no deadlock with an ingest)
            article = Article.objects.select_for_update().get(pk=article.pk)
        return article

    def get_search_results(self, request: HttpRequest, queryset: QuerySet, search_term: str):
        """Editors search like readers: the full-text index (either script), or a permalink id."""
        term = search_term.strip()
        if Article.objects.filter(public_id=term).exists():
            return queryset.filter(public_id=term), False
        if not is_meaningful_query(term):
            return queryset, False
        return search_queryset(queryset, term), False

    @admin.display(description=_("标题"), ordering="title")
    def headline(self, obj: Article) -> str:
        """The title as readers see it: full-width punctuation, a made-up one in ［］."""
        return headline_of(obj)

    @admin.display(description=_("导入提示"))
    def warning_list(self, obj: Article) -> str:
        return warnings_html(obj.warnings)

    @admin.display(description=_("日期"), ordering="date_sort")
    def date_display(self, obj: Article) -> str:
        return obj.date_iso or "—"

    @admin.display(description=_("永久链接"))
    def permalink(self, obj: Article) -> str:
        if not obj.pk:
            return "—"
        return format_html('<a href="{0}" target="_blank">{0}</a>', obj.get_absolute_url())

    @admin.display(description=_("清洗后正文 ↔ 原始输入"))
    def side_by_side(self, obj: Article) -> str:
        if not obj.pk:
            return "—"
        removed = set(obj.ingested_file.removed_lines)
        lines = obj.ingested_file.raw_text.split("\n")
        # Start after the previous article so the chrome stripped between the
        # two (mastheads, credits, navigation) shows up struck through here.
        previous_end = (
            Article.objects.live()
            .filter(ingested_file=obj.ingested_file, last_line__lt=obj.first_line)
            .aggregate(end=Max("last_line"))["end"]
        )
        start = previous_end or 0
        raw = format_html_join(
            "\n",
            '<span style="{}">{}</span>',
            (
                ("color:#999;text-decoration:line-through" if number in removed else "", line)
                for number, line in enumerate(lines[start : obj.last_line], start=start + 1)
            ),
        )
        cleaned = format_html_join("", "<p>{}</p>", ((block["text"],) for block in obj.blocks))
        return format_html(
            '<div style="display:grid;grid-template-columns:1fr 1fr;gap:1rem;max-width:80rem">'
            '<div>{}</div><pre style="white-space:pre-wrap;margin:0">{}</pre></div>',
            cleaned,
            raw,
        )

    def save_model(self, request: HttpRequest, obj: Article, form: ArticleForm, change: bool) -> None:
        obj.bylines = form.cleaned_data.get("bylines_text", obj.bylines)
        if {"year", "month", "day"} & set(form.changed_data):
            year, month, day = obj.year, obj.month, obj.day
            obj.set_partial_date(PartialDate(year, month, day) if (year or month) else None)
        obj.mark_edited(*{CURATED_FORM_FIELDS[f] for f in form.changed_data if f in CURATED_FORM_FIELDS})
        super().save_model(request, obj, form, change)

    def save_related(self, request: HttpRequest, form: ArticleForm, formsets, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        article = form.instance
        if "region" in form.changed_data and article.region_id:
            # The editor chose a new primary region: it becomes rank 0 of the
            # regions inline in this same save (the one it replaces moves down).
            self._make_primary(article, article.region)
        elif any(formset.has_changed() for formset in formsets):
            article.mark_edited("regions")
            primary = article.articleregion_set.order_by("rank").first()
            if primary and primary.region_id != article.region_id:
                article.region = primary.region
        self._sync_ancestors(article)

    @staticmethod
    def _make_primary(article: Article, region: Region) -> None:
        """Put `region` at rank 0 of the article's regions, the others after it in their order."""
        links = list(article.articleregion_set.order_by("rank", "pk"))
        ordered = [link.region_id for link in links if link.region_id != region.pk]
        by_region = {link.region_id: link for link in links}
        for rank, region_id in enumerate([region.pk, *ordered]):
            link = by_region.get(region_id) or ArticleRegion(article=article, region_id=region_id)
            if link.pk is None or link.rank != rank:
                link.rank = rank
                link.save()

    @staticmethod
    def _sync_ancestors(article: Article) -> None:
        """Keep the denormalised province/city/county columns in step with the primary region."""
        levels = {region.level: region for region in (article.region.ancestors() if article.region else [])}
        article.province = levels.get("province")
        article.city = levels.get("city")
        article.county = levels.get("county")
        article.save(update_fields=["region", "province", "city", "county", "edited_fields", "updated_at"])

    def _set_status(self, request: HttpRequest, queryset: QuerySet, status: str, verb: str) -> None:
        count = queryset.set_status(status)
        self.message_user(request, _("%(count)d 篇文章已%(verb)s。") % {"count": count, "verb": verb}, messages.SUCCESS)

    @admin.action(description=_("发布所选文章"))
    def publish(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._set_status(request, queryset, Article.Status.PUBLISHED, _("发布"))

    @admin.action(description=_("隐藏所选文章"))
    def hide(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._set_status(request, queryset, Article.Status.HIDDEN, _("隐藏"))

    @admin.action(description=_("标记为已审核（待审核 → 已发布）"))
    def mark_reviewed(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._set_status(request, queryset.filter(status=Article.Status.REVIEW), Article.Status.PUBLISHED, _("审核"))


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "keyword_count", "article_count"]
    search_fields = ["name", "slug", "keywords"]
    prepopulated_fields = {"slug": ["name"]}

    @admin.display(description=_("关键词数"))
    def keyword_count(self, obj: Theme) -> int:
        return len(obj.keyword_list)

    @admin.display(description=_("文章数"))
    def article_count(self, obj: Theme) -> int:
        return obj.articles.count()


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "region", "home_page"]
    list_filter = ["kind"]
    search_fields = ["name"]
    autocomplete_fields = ["region"]


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "short_name", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["code", "name", "short_name"]
    list_select_related = ["parent"]

    # The gazetteer is reference data loaded by `manage.py load_regions`.
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


class FileVersionInline(admin.TabularInline):
    """Every content the file ever had; the bytes themselves stay in the database (FileVersion.original_bytes)."""

    model = FileVersion
    fields = ["sha256", "size", "failed", "first_seen_at", "last_seen_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(IngestedFile)
class IngestedFileAdmin(admin.ModelAdmin):
    inlines = [FileVersionInline]
    list_display = ["name", "status", "encoding", "size", "article_count", "ingested_at"]
    list_filter = ["status", "encoding", "source"]
    search_fields = ["name", "path", "sha256"]
    show_facets = admin.ShowFacets.ALWAYS
    # The report reads as a table with Chinese labels, not as the JSON ingest stores.
    readonly_fields = [f.name if f.name != "report" else "report_table" for f in IngestedFile._meta.fields if f.name != "id"]
    fields = readonly_fields

    @admin.display(description=_("导入报告"))
    def report_table(self, obj: IngestedFile) -> str:
        return report_html(obj.report)

    @admin.display(description=_("文章数"))
    def article_count(self, obj: IngestedFile) -> int:
        return obj.articles.filter(removed_at__isnull=True).count()

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
