"""The admin speaks Chinese throughout (issue 12): labels, headings, filters, inline rows, reports."""

import re
from html import unescape

import pytest
from django.contrib.auth import get_user_model

from articles.models import Article, ArticleRegion, IngestedFile, Region, Source, Theme

pytestmark = pytest.mark.django_db

# The interface elements an editor reads as labels (not the data in the cells).
LABELS = re.compile(
    r"<(label|th|h1|h2|h3|button|legend|summary|caption|dt)\b[^>]*>(.*?)</\1>"
    r"|<(?:div|p) class=\"help\"[^>]*>(.*?)</(?:div|p)>"
    r'|\b(?:title|aria-label|placeholder)="([^"]*)"'
    r'|<input type="submit" value="([^"]*)"',
    re.S,
)
# Latin that is a name, not English: codes, file names, formats.
ALLOWED = {"retag", "SHA", "GB", "URL", "ICP", "JSON", "CSV", "Atom", "ID", "FTS", "BibTeX", "RIS", "CSL", "OpenCC"}


def english_words(html: str) -> set[str]:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    words = set()
    for match in LABELS.finditer(html):
        text = unescape(re.sub(r"<[^>]+>", " ", next(g for g in match.groups()[1:] if g is not None) or ""))
        for word in re.findall(r"[A-Za-z][A-Za-z0-9_.\-]*", text):
            if word in ALLOWED or re.search(r"[\d._\-]", word) or word.lower() in {"utf", "gbk", "gb18030"}:
                continue  # file names, hashes, encodings
            words.add(word)
    return words


@pytest.fixture
def editor(client):
    user = get_user_model().objects.create_user("editor", password="x", is_staff=True, is_superuser=True)
    client.force_login(user)
    return client


def _pages() -> list[str]:
    untitled = Article.objects.filter(title="").first()
    titled = Article.objects.exclude(title="").first()
    record = IngestedFile.objects.first()
    return [
        "/admin/",
        "/admin/articles/",
        "/admin/articles/article/",
        "/admin/articles/article/?status__exact=review",
        f"/admin/articles/article/{untitled.pk}/change/",
        f"/admin/articles/article/{titled.pk}/change/",
        "/admin/articles/ingestedfile/",
        f"/admin/articles/ingestedfile/{record.pk}/change/",
        "/admin/articles/theme/",
        f"/admin/articles/theme/{Theme.objects.first().pk}/change/",
        "/admin/articles/source/",
        f"/admin/articles/source/{Source.objects.first().pk}/change/",
        "/admin/articles/region/",
        "/admin/articles/article/review/",
        "/admin/articles/article/review/?queue=warnings",
    ]


def test_every_admin_label_is_chinese(editor):
    found = {}
    for url in _pages():
        response = editor.get(url)
        assert response.status_code == 200, url
        words = english_words(response.content.decode())
        if words:
            found[url] = sorted(words)
    assert found == {}


def test_inline_regions_and_report_read_as_chinese(editor):
    article = Article.objects.filter(articleregion__isnull=False).first()
    html = editor.get(f"/admin/articles/article/{article.pk}/change/").content.decode()
    assert "ArticleRegion object" not in html and "（主要地区）" in html
    assert "Choose" not in html  # tick boxes for themes, not the untranslated two-box chooser
    record = IngestedFile.objects.get(name__startswith="000_")
    html = editor.get(f"/admin/articles/ingestedfile/{record.pk}/change/").content.decode()
    assert '<table class="ingest-report">' in html and "&quot;items&quot;" not in html
    assert "报纸版面（共 61 行，其中正文 36 行" in html
    assert "第 5 篇《图片》：无标题（标题取自正文首句）" in html
    assert "no byline" not in html and "no date" not in html


def test_warnings_are_translated():
    from articles.editing import kind_label, warning_label

    assert warning_label("no date") == "未找到日期"
    assert warning_label("needs review: a line of 25000 characters") == "待审核：有一行长达 25000 字"
    assert warning_label("3. 丹凤: 聚力建设: no date") == "第 3 篇《丹凤: 聚力建设》：未找到日期"
    assert warning_label("something new") == "something new"
    assert kind_label("web page dump: 10 lines, 2 prose") == "网页存档（共 10 行，其中正文 2 行）"


# --- primary region and the regions inline ----------------------------------------------------


def _change_form_data(client, article: Article) -> dict:
    """The change form's fields as the browser would submit them unchanged."""
    response = client.get(f"/admin/articles/article/{article.pk}/change/")
    form = response.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if value is None:
            continue
        data[name] = [str(v) for v in value] if isinstance(value, (list, tuple)) else str(value)
    for formset in response.context["inline_admin_formsets"]:
        management = formset.formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = str(management[name].value())
        for inline_form in formset.formset.forms:
            for name in inline_form.fields:
                value = inline_form[name].value()
                if value is not None:
                    data[inline_form.add_prefix(name)] = str(value)
    return data


def test_changing_the_primary_region_updates_the_inline_in_one_save(editor):
    article = Article.objects.filter(region__isnull=False, articleregion__rank=0).first()
    old = article.region
    new = Region.objects.get(code="610502")  # 渭南市 临渭区
    data = _change_form_data(editor, article)
    data["region"] = new.pk
    response = editor.post(f"/admin/articles/article/{article.pk}/change/", data)
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    article.refresh_from_db()
    links = list(ArticleRegion.objects.filter(article=article).order_by("rank").values_list("region_id", "rank"))
    assert links[0] == (new.pk, 0)
    assert (old.pk, 1) in links  # the former primary region is still mentioned, after it
    assert [rank for _, rank in links] == list(range(len(links)))
    assert article.region == new and article.city.code == "610500" and article.province.code == "610000"
    assert "regions" in article.edited_fields
    # What the editor sees on the page after the save:
    html = editor.get(f"/admin/articles/article/{article.pk}/change/").content.decode()
    assert "临渭区（主要地区）" in html


# --- the review queue ---------------------------------------------------------------------------


def _held_back() -> Article:
    article = Article.objects.public().exclude(title="").first()
    article.status = Article.Status.REVIEW
    article.warnings = ["needs review: a line of 25000 characters", "no date"]
    article.save()
    return article


def test_review_queue_lists_held_back_items_with_their_warnings(editor):
    article = _held_back()
    response = editor.get("/admin/articles/article/review/")
    html = response.content.decode()
    assert f'id="item-{article.pk}"' in html and article.title in html
    assert "待审核：有一行长达 25000 字" in html and "未找到日期" in html
    assert f'href="/admin/articles/article/{article.pk}/change/" data-key="e"' in html
    assert 'value="publish"' in html and 'value="hide"' in html
    assert "review_queue.js" in html and "<script>" not in html  # keyboard help comes from a static file (CSP)
    assert "待审核（1）" in html
    # The article list links to it.
    assert 'href="/admin/articles/article/review/"' in editor.get("/admin/articles/article/").content.decode()


def test_publish_from_the_queue_lands_on_the_next_item(editor):
    first, second = Article.objects.public().exclude(title="").order_by("ingested_file__name", "position", "pk")[:2]
    for article in (first, second):
        article.status = Article.Status.REVIEW
        article.save()
    response = editor.post("/admin/articles/article/review/?queue=review", {"article": first.pk, "action": "publish"})
    assert response.status_code == 302 and response["Location"].endswith(f"#item-{second.pk}")
    first.refresh_from_db()
    assert first.status == Article.Status.PUBLISHED and first.is_public and "status" in first.edited_fields
    editor.post("/admin/articles/article/review/", {"article": second.pk, "action": "hide"})
    second.refresh_from_db()
    assert second.status == Article.Status.HIDDEN and not second.is_public
    assert "没有待审核的文章" in editor.get("/admin/articles/article/review/").content.decode()


def test_warnings_queue_can_mark_warnings_checked(editor):
    article = Article.objects.public().exclude(warnings=[]).first()
    html = editor.get("/admin/articles/article/review/?queue=warnings").content.decode()
    assert f'id="item-{article.pk}"' in html and 'value="dismiss"' in html and 'value="publish"' not in html
    editor.post("/admin/articles/article/review/?queue=warnings", {"article": article.pk, "action": "dismiss"})
    article.refresh_from_db()
    assert article.warnings == [] and article.is_public


def test_review_queue_needs_an_editor(client):
    assert client.get("/admin/articles/article/review/").status_code == 302  # to the login page
    viewer = get_user_model().objects.create_user("reader", password="x", is_staff=False)
    client.force_login(viewer)
    assert client.get("/admin/articles/article/review/").status_code == 302
    article = _held_back()
    client.post("/admin/articles/article/review/", {"article": article.pk, "action": "publish"})
    article.refresh_from_db()
    assert article.status == Article.Status.REVIEW
