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
    pending = Article.objects.filter(status=Article.Status.REVIEW)
    ids = list(pending.values_list("pk", flat=True))
    assert ids
    editor_client.post("/admin/articles/article/", {"action": "mark_reviewed", "_selected_action": ids})
    assert not Article.objects.filter(pk__in=ids, status=Article.Status.REVIEW).exists()


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
