"""The newsroom's data: regions, sources, themes, ingested files and articles.

Designed for a province-wide archive of a million articles: everything the
list page filters or counts on is a plain indexed column of Article (the
primary region's province/city/county are denormalised for that reason), and
editors' changes are remembered field by field so a re-ingest never undoes
them.
"""

from __future__ import annotations

import datetime
import re
import secrets
import zlib

from django.db import models, router, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles.text.chinese import restore_fullwidth_punctuation, supplied_title
from articles.text.document import PartialDate
from articles.text.pinyin import pinyin_key

# Crockford's base32 without I, L, O, U: unambiguous when read aloud or retyped.
PUBLIC_ID_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"
PUBLIC_ID_LENGTH = 10


def new_public_id() -> str:
    return "".join(secrets.choice(PUBLIC_ID_ALPHABET) for _ in range(PUBLIC_ID_LENGTH))


class Region(models.Model):
    """An administrative division: province, prefecture-level city or county."""

    class Level(models.TextChoices):
        PROVINCE = "province", _("省级")
        CITY = "city", _("地级")
        COUNTY = "county", _("县级")

    code = models.CharField(_("代码"), max_length=6, primary_key=True)
    name = models.CharField(_("名称"), max_length=64, db_index=True)
    short_name = models.CharField(_("简称"), max_length=64, db_index=True)
    level = models.CharField(_("级别"), max_length=8, choices=Level.choices, db_index=True)
    parent = models.ForeignKey(
        "self", verbose_name=_("上级"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("articles:region", args=[self.code])

    def ancestors(self) -> list[Region]:
        """This region and its parents, province last."""
        chain, node = [], self
        while node is not None:
            chain.append(node)
            node = node.parent
        return chain


class Source(models.Model):
    """A newspaper or website articles come from."""

    class Kind(models.TextChoices):
        NEWSPAPER = "newspaper", _("报纸")
        WEBSITE = "website", _("网站")
        OTHER = "other", _("其他")

    name = models.CharField(_("名称"), max_length=128, unique=True)
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices, default=Kind.OTHER)
    home_page = models.URLField(_("主页"), blank=True)
    region = models.ForeignKey(Region, verbose_name=_("地区"), null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        ordering = ["name"]
        verbose_name = _("来源")
        verbose_name_plural = _("来源")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("articles:source", args=[self.pk])


KEYWORD_SEPARATORS = re.compile(r"[\s,，、;；]+")


class Theme(models.Model):
    """A campaign theme (疫情防控, 乡村振兴 …) with editor-maintained keywords."""

    slug = models.SlugField(_("标识"), max_length=64, unique=True)
    name = models.CharField(_("名称"), max_length=64)
    description = models.TextField(_("说明"), blank=True)
    keywords = models.TextField(
        _("关键词"), blank=True, help_text=_("一行一个，或用逗号、顿号分隔。修改后运行 manage.py retag 重新归类。")
    )

    class Meta:
        ordering = ["slug"]
        verbose_name = _("主题")
        verbose_name_plural = _("主题")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("articles:theme", args=[self.slug])

    @property
    def keyword_list(self) -> list[str]:
        return [word for word in KEYWORD_SEPARATORS.split(self.keywords) if word]


class IngestedFile(models.Model):
    """Every input file ever offered to ingest, kept verbatim with its report."""

    class Status(models.TextChoices):
        OK = "ok", _("成功")
        FAILED = "failed", _("失败")

    path = models.CharField(_("路径"), max_length=1024, unique=True)
    name = models.CharField(_("文件名"), max_length=255, db_index=True)
    sha256 = models.CharField(_("SHA-256 校验值"), max_length=64, db_index=True)
    size = models.PositiveBigIntegerField(_("字节数"))
    encoding = models.CharField(_("编码"), max_length=32, blank=True)
    raw_text = models.TextField(_("原文"), blank=True)
    removed_lines = models.JSONField(_("删除的行"), default=list, blank=True)
    status = models.CharField(_("状态"), max_length=8, choices=Status.choices, default=Status.OK)
    error = models.TextField(_("错误"), blank=True)
    report = models.JSONField(_("报告"), default=dict, blank=True)
    source = models.ForeignKey(Source, verbose_name=_("来源"), null=True, blank=True, on_delete=models.SET_NULL)
    first_ingested_at = models.DateTimeField(_("首次导入"), auto_now_add=True)
    ingested_at = models.DateTimeField(_("最近导入"), auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("导入文件")
        verbose_name_plural = _("导入文件")

    def __str__(self) -> str:
        return self.name


class FileVersion(models.Model):
    """One exact content an input file ever had, its original bytes kept compressed.

    Ingest keeps every distinct content offered for a path (failed ones too),
    so a re-ingest of a changed file never loses the earlier input; the
    IngestedFile row holds only the normalised text of the current version.
    """

    ingested_file = models.ForeignKey(
        IngestedFile, verbose_name=_("导入文件"), on_delete=models.CASCADE, related_name="versions"
    )
    sha256 = models.CharField(_("SHA-256 校验值"), max_length=64, db_index=True)
    size = models.PositiveBigIntegerField(_("字节数"))
    compressed = models.BinaryField(_("原始字节（zlib 压缩）"))
    failed = models.BooleanField(_("导入失败"), default=False)
    first_seen_at = models.DateTimeField(_("首次见到"), auto_now_add=True)
    last_seen_at = models.DateTimeField(_("最近见到"), auto_now=True)

    class Meta:
        ordering = ["ingested_file", "-last_seen_at"]
        verbose_name = _("文件版本")
        verbose_name_plural = _("文件版本")
        constraints = [models.UniqueConstraint(fields=["ingested_file", "sha256"], name="file_version_once")]

    def __str__(self) -> str:
        return f"{self.ingested_file.name} @ {self.sha256[:12]}"

    def original_bytes(self) -> bytes:
        """The input file exactly as it was offered."""
        return zlib.decompress(bytes(self.compressed))


class ArticleQuerySet(models.QuerySet):
    def public(self) -> ArticleQuerySet:
        """What readers may see: published (not hidden, not awaiting review) and not removed."""
        # filter(is_public=True) renders as a bare WHERE "is_public", which SQLite
        # cannot seek the (is_public, ...) composite indexes with (30x slower facet
        # counts at 100k articles); IN (1) is an equality it can seek, and
        # PostgreSQL plans both forms alike.
        return self.filter(is_public__in=[True])

    def set_status(self, status: str) -> int:
        """Bulk status change that keeps is_public and edited_fields in step."""
        count = 0
        # Locked rows: a re-ingest removing one of them meanwhile must not be undone by a stale removed_at.
        with transaction.atomic():
            CatalogueVersion.lock()
            rows = self.select_related(None).select_for_update().only("pk", "status", "removed_at", "edited_fields")
            for article in rows:
                article.status = status
                article.mark_edited("status")
                article.save(update_fields=["status", "is_public", "edited_fields", "updated_at"])
                count += 1
        return count

    def soft_delete(self) -> int:
        """An editor's delete: the rows stay (permalinks answer 410) and no re-ingest revives them."""
        count = 0
        now = timezone.now()
        with transaction.atomic():
            CatalogueVersion.lock()
            rows = self.select_related(None).select_for_update().only("pk", "status", "removed_at", "deleted_at")
            for article in rows:
                article.deleted_at = now
                article.removed_at = article.removed_at or now
                article.save(update_fields=["deleted_at", "removed_at", "updated_at"])
                count += 1
        return count

    def live(self) -> ArticleQuerySet:
        """Not removed by a re-ingest (hidden and review items included)."""
        return self.filter(removed_at__isnull=True)

    def in_region(self, region: Region) -> ArticleQuerySet:
        """Articles whose primary region is this region or lies below it."""
        column = {"province": "province", "city": "city", "county": "county"}[region.level]
        return self.filter(**{column: region})

    def newest_first(self) -> ArticleQuerySet:
        return self.order_by(models.F("date_sort").desc(nulls_last=True), "-id")

    def oldest_first(self) -> ArticleQuerySet:
        """Oldest dated article first, undated ones last: the listing index read forwards."""
        return self.order_by(models.F("date_sort").asc(nulls_last=True), "id")


class Article(models.Model):
    """One article, photo caption or continuation fragment."""

    class Kind(models.TextChoices):
        ARTICLE = "article", _("文章")
        PHOTO = "photo", _("图片")
        CONTINUATION = "continuation", _("转版续文")

    class Status(models.TextChoices):
        """Who may read it. Only PUBLISHED is public; REVIEW (garbage-looking
        input: markup, endless lines, mass numbered lines) waits for
        an editor to publish it; HIDDEN is an editor's choice."""

        PUBLISHED = "published", _("已发布")
        HIDDEN = "hidden", _("已隐藏")
        REVIEW = "review", _("待审核")

    class Script(models.TextChoices):
        HANS = "hans", _("简体")
        HANT = "hant", _("繁体")

    # Fields an editor may change; an edited one is listed in edited_fields and
    # ingest leaves it alone from then on.
    CURATED_FIELDS = (
        "kind", "kicker", "title", "subtitle", "bylines", "source", "page", "date", "regions", "themes", "status",
        "issue", "continued_from", "continued_on",
    )

    public_id = models.CharField(_("永久编号"), max_length=16, unique=True, default=new_public_id, editable=False)
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices, default=Kind.ARTICLE, db_index=True)
    kicker = models.CharField(_("引题"), max_length=255, blank=True)
    title = models.CharField(_("标题"), max_length=255, blank=True)
    # The title's pinyin sort key (articles.text.pinyin), kept by save(): sorting by
    # title walks an index on it instead of ordering by code point (世界 before 丹凤).
    title_sort = models.CharField(max_length=255, blank=True, default="", editable=False)
    subtitle = models.CharField(_("副题"), max_length=255, blank=True)
    issuer = models.TextField(_("发文单位"), blank=True)
    bylines = models.JSONField(_("作者"), default=list, blank=True)
    source = models.ForeignKey(
        Source, verbose_name=_("来源"), null=True, blank=True, on_delete=models.SET_NULL, related_name="articles"
    )
    page = models.CharField(_("版次"), max_length=16, blank=True)
    # The issue number the masthead prints (2022年第14期); an issue is
    # browsed as the source's articles of one day (articles.browse).
    issue = models.CharField(_("期号"), max_length=48, blank=True)
    # A split article: the page its (上接N版) marker names, and its (下转N版) marker's.
    continued_from = models.CharField(_("上接版次"), max_length=16, blank=True)
    continued_on = models.CharField(_("下转版次"), max_length=16, blank=True)

    # Date with its precision: a year is never invented, so an article may know
    # only month and day. date_sort is the full date when known (the 1st for
    # year-month) and drives ordering and range queries.
    year = models.PositiveSmallIntegerField(_("年"), null=True, blank=True)
    month = models.PositiveSmallIntegerField(_("月"), null=True, blank=True)
    day = models.PositiveSmallIntegerField(_("日"), null=True, blank=True)
    date_sort = models.DateField(_("日期"), null=True, blank=True)
    date_rule = models.CharField(_("日期依据"), max_length=16, blank=True)

    blocks = models.JSONField(_("正文结构"), default=list, blank=True)
    body = models.TextField(_("正文"), blank=True)
    body_simplified = models.TextField(_("简体正文"), blank=True)
    script = models.CharField(_("字体"), max_length=4, choices=Script.choices, default=Script.HANS)

    region = models.ForeignKey(
        Region, verbose_name=_("主要地区"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    province = models.ForeignKey(Region, verbose_name=_("省份"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    city = models.ForeignKey(Region, verbose_name=_("地市"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    county = models.ForeignKey(Region, verbose_name=_("区县"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    regions = models.ManyToManyField(
        Region, verbose_name=_("涉及地区"), through="ArticleRegion", blank=True, related_name="articles"
    )
    themes = models.ManyToManyField(Theme, verbose_name=_("主题"), blank=True, related_name="articles")
    keywords = models.JSONField(_("关键词"), default=list, blank=True)

    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.PUBLISHED)
    # status == published and not removed, kept by save(): every public query
    # filters on it, so it leads the listing indexes.
    is_public = models.BooleanField(_("读者可见"), default=True, editable=False)
    edited_fields = models.JSONField(_("编辑修改过的字段"), default=list, blank=True)
    warnings = models.JSONField(_("导入提示"), default=list, blank=True)

    ingested_file = models.ForeignKey(
        IngestedFile, verbose_name=_("导入文件"), on_delete=models.PROTECT, related_name="articles"
    )
    position = models.PositiveIntegerField(_("文件内序号"), default=0)
    first_line = models.PositiveIntegerField(_("起始行"), default=0)
    last_line = models.PositiveIntegerField(_("结束行"), default=0)
    fingerprint = models.CharField(_("内容指纹"), max_length=64, db_index=True, blank=True)
    removed_at = models.DateTimeField(_("移除时间"), null=True, blank=True)
    # Set when an editor deletes the article in the admin (a soft delete): removed_at is
    # set with it, the permalink answers 410, and no re-ingest brings the article back.
    deleted_at = models.DateTimeField(_("删除时间"), null=True, blank=True, editable=False)
    # Simplified, jieba-segmented title line and body for full-text search,
    # kept by articles.search (signals); the SQLite FTS5 table and the
    # PostgreSQL search_vector column are derived from it inside the database.
    search_document = models.TextField(_("检索文本"), blank=True, default="", editable=False)

    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-date_sort", "-id"]
        verbose_name = _("文章")
        verbose_name_plural = _("文章")
        indexes = [
            # The list page: status filter plus date order, optionally per facet.
            models.Index(fields=["is_public", "date_sort"], name="article_listing"),
            models.Index(fields=["is_public", "province", "date_sort"], name="article_province"),
            models.Index(fields=["is_public", "city", "date_sort"], name="article_city"),
            models.Index(fields=["is_public", "county", "date_sort"], name="article_county"),
            models.Index(fields=["is_public", "source", "date_sort"], name="article_source"),
            # A source's issues and an issue's pages (articles.browse): each one GROUP BY read from this index alone.
            models.Index(fields=["is_public", "source", "date_sort", "day", "issue", "page"], name="article_source_issue"),
            models.Index(fields=["is_public", "year", "month"], name="article_year_month"),
            models.Index(fields=["is_public", "kind"], name="article_kind"),
            models.Index(fields=["status"], name="article_status"),
            # Sorted by title (pinyin), alone or within a province, city or source; id breaks ties
            # (ORDER BY title_sort, id), so PostgreSQL reads the order off the index too.
            models.Index(fields=["is_public", "title_sort", "id"], name="article_title"),
            models.Index(fields=["is_public", "province", "title_sort", "id"], name="article_province_title"),
            models.Index(fields=["is_public", "city", "title_sort", "id"], name="article_city_title"),
            models.Index(fields=["is_public", "source", "title_sort", "id"], name="article_source_title"),
            models.Index(fields=["ingested_file", "position"], name="article_file_position"),
        ]

    def __str__(self) -> str:
        # As readers see it (full-width punctuation, a made-up title in ［］): the admin prints it everywhere.
        title = restore_fullwidth_punctuation(self.display_title)
        return supplied_title(title) if self.title_is_made_up else title

    def save(self, *args, **kwargs) -> None:
        self.is_public = self.status == self.Status.PUBLISHED and self.removed_at is None
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and ("status" in update_fields or "removed_at" in update_fields):
            kwargs["update_fields"] = update_fields = {*update_fields, "is_public"}
        if update_fields is None or "title" in update_fields:
            self.title_sort = pinyin_key(self.title)
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "title_sort"}
        # One transaction for the row and its entry in the catalogue's change log
        # (articles.catalogue, through pre_save/post_save); no savepoint when nested.
        with transaction.atomic(using=kwargs.get("using") or router.db_for_write(type(self), instance=self), savepoint=False):
            super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("articles:detail", args=[self.public_id])

    def mark_edited(self, *fields: str) -> None:
        """Remember that an editor owns these fields; re-ingest will not touch them."""
        self.edited_fields = sorted({*self.edited_fields, *fields})

    def set_partial_date(self, date: PartialDate | None) -> None:
        self.year = date.year if date else None
        self.month = date.month if date else None
        self.day = date.day if date else None
        if date and date.year and date.month:
            self.date_sort = datetime.date(date.year, date.month, date.day or 1)
        elif date and date.year:
            self.date_sort = datetime.date(date.year, 1, 1)
        else:
            self.date_sort = None

    @property
    def partial_date(self) -> PartialDate | None:
        if self.year is None and self.month is None:
            return None
        return PartialDate(self.year, self.month, self.day)

    @property
    def date_iso(self) -> str | None:
        date = self.partial_date
        return date.iso() if date else None

    @property
    def title_is_made_up(self) -> bool:
        """No printed title: display_title is made up from the first sentence."""
        return not self.title

    @property
    def credits_photographers(self) -> bool:
        """The bylines of a photo item name its photographers (摄影), not authors."""
        return self.kind == self.Kind.PHOTO

    @property
    def display_title(self) -> str:
        """The title, or for untitled items the opening words of the body."""
        if self.title:
            return self.title
        lede = self.body_simplified or self.body
        first = lede.split("\n", 1)[0]
        for stop in "。！？；":
            if stop in first[:40]:
                return first[: first.index(stop)]
        return first[:30] + ("…" if len(first) > 30 else "")


class ArticleRegion(models.Model):
    """A region an article mentions; rank 0 is the primary region."""

    article = models.ForeignKey(Article, verbose_name=_("文章"), on_delete=models.CASCADE)
    region = models.ForeignKey(Region, verbose_name=_("地区"), on_delete=models.CASCADE)
    rank = models.PositiveSmallIntegerField(_("序号"), default=0)

    class Meta:
        ordering = ["rank"]
        verbose_name = _("涉及地区")
        verbose_name_plural = _("涉及地区")
        constraints = [models.UniqueConstraint(fields=["article", "region"], name="article_region_once")]

    def __str__(self) -> str:
        # What the admin prints for an inline row (never "ArticleRegion object (3)").
        name = self.region.name if self.region_id else "—"
        return _("%(region)s（主要地区）") % {"region": name} if self.rank == 0 else str(name)


class SearchIndexEntry(models.Model):
    """A row of the SQLite FTS5 table over Article.search_document (articles.search.sqlite).

    Unmanaged: migration 0003 creates the virtual table (SQLite only) and the
    triggers that keep it in step; nothing writes through this model. It exists
    so a search can join the index and read its bm25 rank in the same query.
    """

    article = models.OneToOneField(
        Article, primary_key=True, db_column="rowid", db_constraint=False,
        on_delete=models.DO_NOTHING, related_name="search_entry",
    )
    document = models.TextField(db_column="articles_search")  # FTS5's hidden column: MATCH target
    rank = models.FloatField(db_column="rank")  # FTS5's hidden column: bm25 of the current MATCH

    class Meta:
        managed = False
        db_table = "articles_search"


class CatalogueVersion(models.Model):
    """One row whose token changes with every write that can change what readers count.

    Cached facet counts are keyed by the token (articles.catalogue), so a new
    token makes all of them unreachable at once, in every process. A random
    token rather than a counter: a rolled-back transaction can never hand a
    number it used to the next writer.
    """

    token = models.CharField(max_length=32)
    # The number and nonce of the newest CountChange: an editor's save moves
    # these instead of the token, so cached counts are brought up to date by
    # applying the logged changes rather than recounted (articles.catalogue).
    seq = models.BigIntegerField(default=0)
    nonce = models.CharField(max_length=16, blank=True, default="")
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("目录版本")
        verbose_name_plural = _("目录版本")

    @classmethod
    def lock(cls) -> None:
        """Lock the row until the transaction ends. Every count-changing writer takes
        this lock before it locks any article row, so no two writers deadlock."""
        list(cls.objects.select_for_update().filter(pk=1).values_list("pk", flat=True))


class CountChange(models.Model):
    """One article's counted state before and after one write (the catalogue's change log).

    ``before`` and ``after`` hold what the facets count (region columns, year,
    month, source, kind, themes), or null when the article was not public.
    Numbered without gaps in commit order under the CatalogueVersion row's
    lock; the nonce tells a number used by a rolled-back write from its reuse.
    """

    seq = models.BigIntegerField(primary_key=True)
    nonce = models.CharField(max_length=16)
    article_id = models.BigIntegerField()
    before = models.JSONField(null=True)
    after = models.JSONField(null=True)
    text_changed = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("计数变更")
        verbose_name_plural = _("计数变更")
