"""The editors' desk: curation through the admin is remembered and survives re-ingest."""

import pytest
from django.core.management import call_command

from articles.models import Article, Theme

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("editor", "editor@example.org", "pw-for-tests-only")
    client.force_login(user)
    return client


def test_changelist_shows_facet_counts_and_search(editor_client):
    response = editor_client.get("/admin/articles/article/", {"q": "丹凤"})
    assert response.status_code == 200
    assert "丹凤聚力建设重点项目" in response.text
    response = editor_client.get("/admin/articles/article/", {"_facets": "True"})
    assert response.status_code == 200


def test_change_page_shows_raw_input_beside_the_cleaned_text(editor_client):
    article = Article.objects.get(ingested_file__name="003_6a5307973c5811e8.txt", position=0)
    response = editor_client.get(f"/admin/articles/article/{article.pk}/change/")
    assert response.status_code == 200
    # The masthead credit line was stripped and is shown struck through.
    assert "line-through" in response.text


def _post_change(editor_client, article, **changes):
    url = f"/admin/articles/article/{article.pk}/change/"
    data = {
        "status": article.status, "kind": article.kind, "kicker": article.kicker, "title": article.title,
        "subtitle": article.subtitle, "bylines_text": "，".join(article.bylines),
        "source": article.source_id or "", "page": article.page,
        "year": article.year or "", "month": article.month or "", "day": article.day or "",
        "region": article.region_id or "", "themes": [t.pk for t in article.themes.all()],
        "articleregion_set-TOTAL_FORMS": "0", "articleregion_set-INITIAL_FORMS": "0",
    }
    links = list(article.articleregion_set.all())
    data["articleregion_set-TOTAL_FORMS"] = str(len(links))
    data["articleregion_set-INITIAL_FORMS"] = str(len(links))
    for i, link in enumerate(links):
        data[f"articleregion_set-{i}-id"] = link.pk
        data[f"articleregion_set-{i}-article"] = article.pk
        data[f"articleregion_set-{i}-region"] = link.region_id
        data[f"articleregion_set-{i}-rank"] = link.rank
    data.update(changes)
    response = editor_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response
    article.refresh_from_db()
    return article


def test_admin_edits_are_remembered_and_survive_reingest(editor_client, corpus_dir):
    article = Article.objects.get(title="全市春季林业工作有序推进")
    culture = Theme.objects.get(slug="culture")
    article = _post_change(editor_client, article, title="商洛春季林业工作有序推进", themes=[culture.pk], bylines_text="刘永琦，张三")
    assert {"title", "themes", "bylines"} <= set(article.edited_fields)
    call_command("ingest", str(corpus_dir), force=True, jobs=1, stdout=open("/dev/null", "w"))
    article.refresh_from_db()
    assert article.title == "商洛春季林业工作有序推进"
    assert article.bylines == ["刘永琦", "张三"]
    assert [t.slug for t in article.themes.all()] == ["culture"]


def test_admin_date_edit_sets_precision(editor_client):
    article = Article.objects.get(title="全市春季林业工作有序推进")
    article = _post_change(editor_client, article, year="", month="3", day="9")
    assert article.date_iso == "--03-09" and article.date_sort is None
    article = _post_change(editor_client, article, year="2022", month="3", day="9")
    assert article.date_iso == "2022-03-09" and str(article.date_sort) == "2022-03-09"


def test_bulk_actions_change_status_and_visibility(editor_client):
    ids = list(Article.objects.filter(ingested_file__name="000_633a3934ca421c0c.txt").values_list("pk", flat=True)[:2])
    response = editor_client.post("/admin/articles/article/", {"action": "hide", "_selected_action": ids})
    assert response.status_code == 302
    assert not Article.objects.filter(pk__in=ids, is_public=True).exists()
    editor_client.post("/admin/articles/article/", {"action": "publish", "_selected_action": ids})
    assert Article.objects.filter(pk__in=ids, is_public=True).count() == 2


def test_mark_reviewed_publishes_items_awaiting_review(editor_client):
    ids = list(Article.objects.filter(ingested_file__name="000_633a3934ca421c0c.txt").values_list("pk", flat=True)[:2])
    Article.objects.filter(pk__in=ids).update(status=Article.Status.REVIEW, is_public=False)
    editor_client.post("/admin/articles/article/", {"action": "mark_reviewed", "_selected_action": ids})
    assert not Article.objects.filter(pk__in=ids, status=Article.Status.REVIEW).exists()
    assert Article.objects.filter(pk__in=ids, is_public=True).count() == 2


def test_regions_are_read_only_and_themes_editable(editor_client):
    assert editor_client.get("/admin/articles/region/add/").status_code == 403
    theme = Theme.objects.get(slug="epidemic")
    assert editor_client.get(f"/admin/articles/theme/{theme.pk}/change/").status_code == 200
    assert editor_client.get("/admin/articles/ingestedfile/").status_code == 200


def test_admin_rejects_a_day_the_month_does_not_have(editor_client):
    article = Article.objects.get(title="全市春季林业工作有序推进")
    url = f"/admin/articles/article/{article.pk}/change/"
    response = editor_client.post(url, {"status": article.status, "kind": article.kind, "title": article.title,
                                        "year": "2022", "month": "2", "day": "30",
                                        "articleregion_set-TOTAL_FORMS": "0", "articleregion_set-INITIAL_FORMS": "0"})
    assert response.status_code == 200
    assert "day" in response.context["adminform"].form.errors


def test_articles_cannot_be_added_by_hand(editor_client):
    assert editor_client.get("/admin/articles/article/add/").status_code == 403


# --- A stale change form (re-ingest in between) ----------------------------------------------

NEWS_BODY = "本报讯(记者 王小明)3月2日,县委召开春耕生产工作会议,部署全年粮食生产和农田水利建设。"


def _ingest_page(path, title):
    path.write_text(f"## {title}\n\n{NEWS_BODY}\n", encoding="utf-8")
    call_command("ingest", str(path), jobs=1, stdout=open("/dev/null", "w"))


def _open_form(editor_client, article):
    """What the editor's browser holds after opening the change page: the form's fields as rendered."""
    response = editor_client.get(f"/admin/articles/article/{article.pk}/change/")
    assert response.status_code == 200
    return _form_data(response.context["adminform"].form, response.context["inline_admin_formsets"])


def _form_data(form, inline_admin_formsets):
    data = {}
    for name in form.fields:
        value = form[name].value()
        data[name] = [v for v in value] if isinstance(value, list) else ("" if value is None else value)
    for inline in inline_admin_formsets:
        formset = inline.formset
        management = formset.management_form
        for key in management.fields:
            value = management[key].value()
            data[management.add_prefix(key)] = "" if value is None else value
        for subform in formset.forms:
            for name in subform.fields:
                value = subform[name].value()
                data[subform.add_prefix(name)] = "" if value is None else value
    return data


def test_stale_form_saves_only_what_the_editor_changed(editor_client, tmp_path):
    page = tmp_path / "page.txt"
    _ingest_page(page, "县里召开春耕会议")
    article = Article.objects.get(ingested_file__name="page.txt")
    opened = _open_form(editor_client, article)

    _ingest_page(page, "县委部署春耕生产")  # a re-ingest retitles the article while the form is open
    article.refresh_from_db()
    assert article.title == "县委部署春耕生产"

    response = editor_client.post(
        f"/admin/articles/article/{article.pk}/change/", {**opened, "status": Article.Status.HIDDEN}
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == Article.Status.HIDDEN
    assert article.title == "县委部署春耕生产"  # not reverted to the stale value
    assert article.edited_fields == ["status"]  # and not claimed as the editor's


def test_stale_form_reports_a_field_changed_by_both(editor_client, tmp_path):
    page = tmp_path / "page.txt"
    _ingest_page(page, "县里召开春耕会议")
    article = Article.objects.get(ingested_file__name="page.txt")
    opened = _open_form(editor_client, article)
    _ingest_page(page, "县委部署春耕生产")

    url = f"/admin/articles/article/{article.pk}/change/"
    response = editor_client.post(url, {**opened, "title": "编辑改的标题"})
    assert response.status_code == 200  # the form again, with the conflict shown
    form = response.context["adminform"].form
    assert "title" in form.errors and "县委部署春耕生产" in form.errors["title"][0]
    article.refresh_from_db()
    assert article.title == "县委部署春耕生产" and "title" not in article.edited_fields

    # Having seen the newer title, the editor saves again: now it is a deliberate overwrite.
    again = _form_data(form, response.context["inline_admin_formsets"])
    response = editor_client.post(url, again)
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.title == "编辑改的标题" and "title" in article.edited_fields


# --- Deleting is a soft delete ------------------------------------------------------------------

TWO_ARTICLES = (
    f"## 县里召开春耕会议\n\n{NEWS_BODY}\n\n"
    "## 县城新建三座公园\n\n本报讯(记者 李华)5月8日,县城新建的三座口袋公园向市民开放,园内种植乔木两千余株。\n"
)


def test_deleting_in_the_admin_is_soft_and_a_reingest_does_not_bring_it_back(editor_client, client, tmp_path):
    page = tmp_path / "page.txt"
    page.write_text(TWO_ARTICLES, encoding="utf-8")
    call_command("ingest", str(page), jobs=1, stdout=open("/dev/null", "w"))
    article = Article.objects.get(ingested_file__name="page.txt", title="县里召开春耕会议")

    response = editor_client.post(f"/admin/articles/article/{article.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    article.refresh_from_db()  # the row is still there
    assert article.deleted_at is not None and not article.is_public
    assert client.get(article.get_absolute_url()).status_code == 410

    call_command("ingest", str(page), jobs=1, force=True, stdout=open("/dev/null", "w"))
    page.write_text(TWO_ARTICLES + "\n责任编辑：王五\n", encoding="utf-8")  # a changed file, re-ingested
    call_command("ingest", str(page), jobs=1, stdout=open("/dev/null", "w"))

    article.refresh_from_db()
    assert article.deleted_at is not None and article.removed_at is not None
    assert client.get(article.get_absolute_url()).status_code == 410
    titles = list(Article.objects.filter(ingested_file__name="page.txt").live().values_list("title", flat=True))
    assert titles == ["县城新建三座公园"]  # not back under a new id either
    assert Article.objects.filter(ingested_file__name="page.txt", title="县里召开春耕会议").count() == 1


def test_bulk_delete_action_is_soft(editor_client):
    ids = list(Article.objects.filter(ingested_file__name="000_633a3934ca421c0c.txt").values_list("pk", flat=True)[:2])
    response = editor_client.post(
        "/admin/articles/article/", {"action": "delete_selected", "_selected_action": ids, "post": "yes"}
    )
    assert response.status_code == 302
    assert Article.objects.filter(pk__in=ids, deleted_at__isnull=False, is_public=False).count() == 2
