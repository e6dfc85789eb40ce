"""Full-text search on the database in use (run on SQLite and on PostgreSQL).

Most tests write their own articles (distinctive texts, so the sample corpus
in the baseline cannot interfere) and look only at those.
"""

import itertools
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Count

from articles.models import Article, IngestedFile, Region
from articles.search import (
    highlight_snippet,
    highlight_text,
    index_article,
    is_meaningful_query,
    order_results,
    rebuild_index,
    remove_article,
    search_queryset,
)
from articles.text.chinese import to_simplified

pytestmark = pytest.mark.django_db

_numbers = itertools.count()


@pytest.fixture
def source_file():
    n = next(_numbers)
    return IngestedFile.objects.create(path=f"/tests/search/{n}.txt", name=f"{n}.txt", sha256=f"{n:064d}", size=0)


@pytest.fixture
def make(source_file):
    def make(body="", *, title="", kicker="", subtitle="", script="hans", **fields):
        return Article.objects.create(
            ingested_file=source_file, title=title, kicker=kicker, subtitle=subtitle, body=body,
            body_simplified=to_simplified(body), script=script, **fields,
        )

    return make


def found(raw_query, queryset=None):
    queryset = Article.objects.all() if queryset is None else queryset
    return set(search_queryset(queryset, raw_query).values_list("pk", flat=True))


# --- The acceptance list ---------------------------------------------------------


def test_traditional_query_finds_simplified_text(make):
    article = make("镇安县紧急动员全县各级党组织，构筑起群防群治的严密防线。", title="镇安县筑牢防线")
    assert article.pk in found("鎮安縣")
    assert article.pk in found("镇安县")


def test_simplified_and_traditional_queries_find_traditional_text(make):
    article = make("黨建引領，織密築牢防控網。縣委把打贏疫情防控阻擊戰作為重大政治任務。", script="hant")
    assert article.pk in found("党建")
    assert article.pk in found("黨建")
    assert article.pk in found("县委 阻击战")


def test_several_words_must_all_match(make):
    both = make("秦岭深处的村庄开展防疫宣传。")
    one = make("秦岭深处的村庄迎来丰收。")
    assert {both.pk, one.pk} <= found("秦岭")
    hits = found("秦岭 防疫")
    assert both.pk in hits and one.pk not in hits


def test_quoted_phrase_must_appear_verbatim(make):
    adjacent = make("全县上下扎实做好疫情防控各项工作。")
    apart = make("疫情期间，社区干部加强防控，守护群众安全。")
    assert {adjacent.pk, apart.pk} <= found("疫情 防控")
    hits = found('"疫情防控"')
    assert adjacent.pk in hits and apart.pk not in hits
    assert adjacent.pk in found("“疫情防控”")  # Chinese quotes too


def test_phrase_found_in_a_traditional_title(make):
    article = make("內容從略。", title="鄉村振興看鎮安", script="hant")
    assert article.pk in found('"乡村振兴"')


def test_minus_excludes(make):
    with_test = make("社区防疫志愿者协助开展核酸检测。")
    without = make("社区防疫志愿者走访独居老人。")
    hits = found("防疫 -核酸")
    assert without.pk in hits and with_test.pk not in hits
    hits = found('防疫 -"核酸检测"')
    assert without.pk in hits and with_test.pk not in hits


def test_exclusion_alone_filters_the_whole_list(make):
    with_test = make("社区防疫志愿者协助开展核酸检测。")
    without = make("社区防疫志愿者走访独居老人。")
    results = search_queryset(Article.objects.all(), "-核酸")
    hits = set(results.values_list("pk", flat=True))
    assert without.pk in hits and with_test.pk not in hits
    assert all(rank == 0.0 for rank in results.values_list("search_rank", flat=True))


def test_two_character_query(make):
    article = make("各地加强防疫物资储备，保障供应。")
    other = make("各地加强粮食储备，保障供应。")
    hits = found("防疫")
    assert article.pk in hits and other.pk not in hits


def test_title_kicker_and_subtitle_are_indexed(make):
    article = make("正文没有这个词。", kicker="秦巴山区", title="茶园春忙", subtitle="采茶工人日夜忙碌")
    for query in ("秦巴", "茶园", "采茶"):
        assert article.pk in found(query), query


@pytest.mark.parametrize(
    "raw",
    [
        "", "   ", "，。！？", "-", '"', '""', "“”", "* ^", "——",
        'title:防疫', 'body:防疫', 'NEAR(疫情 防控)', 'NEAR(疫情 防控, 2)', '疫情*', '^疫情', '防疫 OR 1=1',
        "防疫 AND", "NOT 防疫", "防疫 NOT", '"防疫', '防疫"', '"""', "'", "''", "\\", "%", "_", "%防疫%",
        "'; DROP TABLE articles_article; --", '"; DROP TABLE articles_search; --', "1' OR '1'='1",
        "防疫 & 疫情 | !核酸 <-> 检测", "防疫:*", "{head body}: 防疫", "head:防疫", "-", "- -防疫", "--防疫",
        "防疫\x00", "\u200b防疫\u200b", "🦠 防疫", "防疫" * 300, "a " * 500, " ".join(f"词{i}" for i in range(100)),
    ],
)
def test_hostile_queries_never_raise(raw, make):
    article = make("各地加强防疫物资储备。")
    results = search_queryset(Article.objects.public(), raw)
    list(order_results(results, raw)[:20])
    results.count()
    list(results.order_by().values("province").annotate(n=Count("id")))
    highlight_snippet(article, raw)
    highlight_text(article.title, raw)
    # Nothing was dropped or damaged on the way.
    assert Article.objects.filter(pk=article.pk).exists()
    assert article.pk in found("防疫")


def test_empty_or_punctuation_only_query_returns_the_list_unchanged(make):
    make("各地加强防疫物资储备。")
    base = Article.objects.public()
    for raw in ("", "  ", "，。", '""', "-", None):
        results = search_queryset(base, raw)
        assert results is base
        assert not is_meaningful_query(raw)
        assert "search_rank" not in results.query.annotations


def test_results_rank_by_relevance_title_first(make):
    body_only = make("文章提到秦岭一次。其他内容很多很多。" * 3, date_sort="2024-01-02")
    in_title = make("文章正文。", title="秦岭保护", date_sort="2020-01-01")
    ranked = list(order_results(search_queryset(Article.objects.filter(pk__in=[body_only.pk, in_title.pk]), "秦岭"), "秦岭"))
    assert ranked == [in_title, body_only]
    assert all(isinstance(a.search_rank, float) and a.search_rank > 0 for a in ranked)
    by_date = list(order_results(search_queryset(Article.objects.filter(pk__in=[body_only.pk, in_title.pk]), "秦岭"), "秦岭", "date"))
    assert by_date == [body_only, in_title]


def test_without_a_query_results_are_by_date(make):
    old = make("旧闻。", date_sort="2019-05-01")
    new = make("新闻。", date_sort="2023-05-01")
    ordered = list(order_results(Article.objects.filter(pk__in=[old.pk, new.pk]), ""))
    assert ordered == [new, old]


# --- Facets ----------------------------------------------------------------------


def test_search_combines_with_facets_and_counts_reflect_it(make):
    shaanxi, shanxi = Region.objects.get(code="610000"), Region.objects.get(code="140000")
    a = make("秦岭脚下的茶园迎来春茶采摘。", province=shaanxi)
    b = make("秦岭北麓茶园管护忙。", province=shaanxi, kind=Article.Kind.PHOTO)
    c = make("太行山区茶园试种成功。", province=shanxi)
    make("秦岭深处的村庄迎来丰收。", province=shanxi)
    mine = Article.objects.filter(pk__in=[a.pk, b.pk, c.pk]).public()
    results = search_queryset(mine, "茶园")
    counts = {row["province"]: row["n"] for row in results.order_by().values("province").annotate(n=Count("id"))}
    assert counts == {"610000": 2, "140000": 1}
    kinds = {row["kind"]: row["n"] for row in results.order_by().values("kind").annotate(n=Count("id"))}
    assert kinds == {"article": 2, "photo": 1}
    assert set(results.filter(province=shaanxi).values_list("pk", flat=True)) == {a.pk, b.pk}
    assert set(results.filter(province=shaanxi).exclude(kind="photo").values_list("pk", flat=True)) == {a.pk}
    # Facet filter applied before the search composes the same way.
    assert set(search_queryset(mine.filter(province=shanxi), "茶园").values_list("pk", flat=True)) == {c.pk}
    # As a subquery (e.g. counting themes or regions of the hits).
    assert Article.objects.filter(pk__in=results.values("pk")).count() == 3


def test_facet_counts_over_many_to_many_and_with_rank_annotation(make, django_assert_max_num_queries):
    shaanxi = Region.objects.get(code="610000")
    a = make("秦岭茶园迎来春茶采摘。", province=shaanxi)
    b = make("茶园管护忙。", province=shaanxi)
    from articles.models import Theme

    economy = Theme.objects.get(slug="economy")
    a.themes.add(economy)
    b.themes.add(economy)
    results = search_queryset(Article.objects.filter(pk__in=[a.pk, b.pk]), "茶园")
    with django_assert_max_num_queries(1):
        rows = list(results.order_by().values("themes__slug").annotate(n=Count("id")))
    assert rows == [{"themes__slug": "economy", "n": 2}]
    assert list(Theme.objects.filter(articles__in=results).annotate(n=Count("articles")).values_list("slug", "n")) == [
        ("economy", 2)
    ]


# --- Snippets --------------------------------------------------------------------


def test_snippet_marks_matches_and_escapes_html(make):
    article = make("开头一句。" * 30 + "<b>注意</b>：各地加强防疫物资储备，防疫人员坚守一线。" + "结尾一句。" * 30)
    snippet = str(highlight_snippet(article, "防疫", width=60))
    assert "<mark>防疫</mark>" in snippet
    assert snippet.count("<mark>") == 2
    assert "&lt;b&gt;注意&lt;/b&gt;" in snippet and "<b>" not in snippet
    assert snippet.startswith("…") and snippet.endswith("…")
    assert len(snippet.replace("<mark>", "").replace("</mark>", "")) < 120


def test_snippet_marks_phrases_and_terms_not_exclusions(make):
    article = make("全县扎实做好疫情防控工作，同时开展核酸检测，镇安县干部下沉一线。")
    snippet = str(highlight_snippet(article, '"疫情防控" 镇安县 -核酸'))
    assert "<mark>疫情防控</mark>" in snippet and "<mark>镇安县</mark>" in snippet
    assert "<mark>核酸</mark>" not in snippet


def test_snippet_of_a_traditional_article_marks_the_original_script(make):
    article = make("疫情防控工作以來，鎮安縣緊急動員全縣各級黨組織。", script="hant")
    snippet = str(highlight_snippet(article, "镇安县 党组织"))
    assert "<mark>鎮安縣</mark>" in snippet and "<mark>黨組織</mark>" in snippet
    assert "镇安县" not in snippet


def test_snippet_falls_back_when_the_scripts_do_not_line_up(make):
    article = make("鎮安縣緊急動員。", script="hant")
    article.body_simplified = "（注）镇安县紧急动员。"  # cleanup made the lengths differ
    snippet = str(highlight_snippet(article, "镇安县"))
    assert "<mark>鎮安縣</mark>" in snippet


def test_snippet_without_a_match_in_the_body_is_the_opening(make):
    article = make("第一句话。第二句话。", title="秦岭保护")
    assert str(highlight_snippet(article, "秦岭")) == "第一句话。第二句话。"
    assert str(highlight_snippet(article, "")) == "第一句话。第二句话。"


def test_highlight_text_for_titles(make):
    assert str(highlight_text("鎮安縣<筑牢>防線", "镇安县")) == "<mark>鎮安縣</mark>&lt;筑牢&gt;防線"


# --- Keeping the index in step ------------------------------------------------------


def test_article_edited_in_the_admin_is_found_by_its_new_title_at_once(admin_client, make):
    article = make("各地开展春季植树活动。", title="春季植树活动启动")
    data = {
        "status": article.status, "kind": article.kind, "kicker": "", "title": "秦岭生态修复工程开工",
        "subtitle": "", "bylines_text": "", "source": "", "page": "", "year": "", "month": "", "day": "",
        "region": "", "articleregion_set-TOTAL_FORMS": "0", "articleregion_set-INITIAL_FORMS": "0",
    }
    response = admin_client.post(f"/admin/articles/article/{article.pk}/change/", data)
    assert response.status_code == 302, response.content[:2000]
    assert article.pk in found("秦岭生态")
    assert article.pk in found('"生态修复"')
    assert article.pk not in found('"植树活动启动"')
    assert article.pk in found("植树")  # the body still says so


def test_update_and_delete_keep_the_index_in_step(make):
    article = make("各地加强防疫物资储备。")
    assert article.pk in found("防疫")
    article.body = "各地加强粮食储备。"
    article.body_simplified = article.body
    article.save()
    assert article.pk not in found("防疫") and article.pk in found("粮食")
    article.title = "秦岭茶园"
    article.save(update_fields=["title"])
    assert article.pk in found("茶园")
    pk = article.pk
    article.delete()
    assert pk not in found("粮食")


def indexed_ids(token):
    """Row ids the database index itself holds for a token (not joined to articles)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT rowid FROM articles_search WHERE articles_search MATCH %s", [f'"{token}"'])
        else:
            cursor.execute("SELECT id FROM articles_article WHERE search_vector @@ plainto_tsquery('simple', %s)", [token])
        return {row[0] for row in cursor.fetchall()}


def test_the_index_itself_follows_updates_and_deletes(make):
    article = make("秦岭茶园迎来春茶采摘。")
    other = make("春茶上市。")
    assert {article.pk, other.pk} <= indexed_ids("春茶")
    article.body = article.body_simplified = "秦岭茶园迎来秋收。"
    article.save()
    assert article.pk not in indexed_ids("春茶") and article.pk in indexed_ids("秋收")
    Article.objects.filter(pk=other.pk).delete()  # a queryset delete, as the admin's bulk delete does
    article.delete()
    assert not {article.pk, other.pk} & (indexed_ids("春茶") | indexed_ids("秋收"))
    if connection.vendor == "sqlite":
        from articles.search import sqlite

        indexed, articles = sqlite.row_counts()
        assert indexed == articles


def test_saves_that_touch_no_text_skip_segmentation(make):
    article = make("各地加强防疫物资储备。")
    region = Region.objects.get(code="610000")
    with mock.patch("articles.search.indexing.segment", side_effect=AssertionError("segmented")):
        article.status = Article.Status.HIDDEN
        article.save(update_fields=["status"])
        Article.objects.filter(pk=article.pk).set_status(Article.Status.PUBLISHED)
        article.region = article.province = region
        article.save(update_fields=["region", "province", "updated_at"])  # the admin's region sync
        article.removed_at = article.updated_at
        article.save(update_fields=["removed_at", "updated_at"])  # a re-ingest's removal
    assert article.pk in found("防疫")


def test_unchanged_text_on_the_same_instance_is_not_segmented_again(make):
    article = make("各地加强防疫物资储备。")
    with mock.patch("articles.search.indexing.segment", side_effect=AssertionError("segmented")):
        article.page = "A2"
        article.save()
    assert article.pk in found("防疫")


def test_hidden_articles_are_excluded_by_public_not_by_search(make):
    article = make("各地加强防疫物资储备。")
    Article.objects.filter(pk=article.pk).set_status(Article.Status.HIDDEN)
    assert article.pk in found("防疫")
    assert article.pk not in found("防疫", Article.objects.public())


def test_remove_index_and_rebuild(make):
    article = make("秦岭茶园迎来春茶采摘。")
    remove_article(article.pk)
    assert article.pk not in found("春茶")
    index_article(article)
    assert article.pk in found("春茶")
    Article.objects.filter(pk=article.pk).update(search_document="")  # as if never indexed
    assert article.pk not in found("春茶")
    assert rebuild_index() >= 1
    assert article.pk in found("春茶")


def test_rebuild_search_index_command(make):
    article = make("秦岭茶园迎来春茶采摘。")
    Article.objects.filter(pk=article.pk).update(search_document="")
    call_command("rebuild_search_index", stdout=open("/dev/null", "w"))
    assert article.pk in found("春茶")
    call_command("rebuild_search_index", "--no-resegment", stdout=open("/dev/null", "w"))
    assert article.pk in found("春茶")


def test_reingest_keeps_the_index_in_step(corpus_dir):
    before = found("镇安县", Article.objects.public())
    assert before, "the sample corpus mentions 镇安县"
    call_command("ingest", str(corpus_dir), force=True, jobs=1, stdout=open("/dev/null", "w"))
    assert found("镇安县", Article.objects.public()) == before
    assert found("鎮安縣", Article.objects.public()) == before
    if connection.vendor == "sqlite":
        from articles.search import sqlite

        indexed, articles = sqlite.row_counts()
        assert indexed == articles


def test_ingest_and_reingest_of_a_changed_file_update_the_index(tmp_path):
    target = tmp_path / "page.txt"
    target.write_text("## 秦岭茶园迎来春茶采摘\n\n本报讯(记者 王小明)3月2日,秦岭脚下的茶园开始采摘明前茶。\n", encoding="utf-8")
    call_command("ingest", str(target), jobs=1, stdout=open("/dev/null", "w"))
    article = Article.objects.get(ingested_file__name="page.txt")
    assert article.pk in found("明前茶") and article.pk in found("春茶采摘")
    # The paper corrected the story: same article (permalink kept), new words.
    target.write_text("## 秦岭茶园迎来春茶采摘\n\n本报讯(记者 王小明)3月2日,秦岭脚下的茶园开始采摘雨前茶。\n", encoding="utf-8")
    call_command("ingest", str(target), jobs=1, stdout=open("/dev/null", "w"))
    assert Article.objects.get(ingested_file__name="page.txt", removed_at__isnull=True).pk == article.pk
    assert article.pk in found("雨前茶") and article.pk not in found("明前茶")
    # The file lost the story: removed articles leave the public results.
    target.write_text("## 县里召开春耕会议\n\n本报讯(记者 王小明)3月2日,县委召开春耕生产工作会议。\n", encoding="utf-8")
    call_command("ingest", str(target), jobs=1, stdout=open("/dev/null", "w"))
    assert article.pk not in found("雨前茶", Article.objects.public())


def test_corpus_articles_are_searchable_in_both_scripts():
    hant = Article.objects.filter(script="hant").first()
    if hant is None:
        pytest.skip("the sample corpus has no Traditional article in this baseline")
    assert hant.search_document
    assert hant.pk in found("镇安县") and hant.pk in found("鎮安縣")


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite FTS5 only")
def test_sqlite_index_survives_a_table_rebuild(make):
    from articles.search import sqlite

    article = make("秦岭茶园迎来春茶采摘。")
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER articles_search_ai")
    assert sqlite.ensure_structures() is True
    make("太行山区茶园试种成功。")
    assert len(found("茶园") & set(Article.objects.values_list("pk", flat=True))) >= 2
    assert article.pk in found("春茶")
    indexed, articles = sqlite.row_counts()
    assert indexed == articles


# --- Bounded ranking (the list page's relevance order) ---------------------------------


def test_ranked_hits_rank_only_the_newest_candidates_and_keep_every_hit(make):
    from articles.search import RELEVANCE_ORDERING, RankedHits

    made = []
    for day, title in enumerate(["", "秦岭", "", "秦岭", "", "秦岭", ""], start=1):
        made.append(make("正文提到秦岭一次。其他内容很多很多。" * 2, title=title, date_sort=f"2024-01-{day:02d}"))
    make("无关的文章。", date_sort="2024-02-01")
    hits = search_queryset(Article.objects.all(), "秦岭")
    newest_first = list(reversed(made))

    ranked = RankedHits(hits, candidates=3)
    assert len(ranked) == ranked.count() == 7  # the count is exact
    everything = list(ranked[0:100])
    assert sorted(a.pk for a in everything) == sorted(a.pk for a in made)  # every hit, once
    # The newest three come first, best (title match) first; the rest follow newest first.
    candidates = newest_first[:3]
    assert set(everything[:3]) == set(candidates)
    assert everything[:3] == list(hits.filter(pk__in=[a.pk for a in candidates]).order_by(*RELEVANCE_ORDERING))
    assert everything[0].title == "秦岭"
    assert everything[3:] == newest_first[3:]
    # Pages straddling the boundary agree with the whole.
    assert ranked[2:5] == everything[2:5]
    assert ranked[5:7] == everything[5:7]
    assert ranked[4] == everything[4]
    # With at least as many candidates as hits it is the exact relevance order.
    assert list(RankedHits(hits, candidates=7)[0:20]) == list(hits.order_by(*RELEVANCE_ORDERING))
    assert list(RankedHits(hits, candidates=None)[0:20]) == list(hits.order_by(*RELEVANCE_ORDERING))
    # A known count of at most the candidates ranks every hit; above, the order is the bounded one
    # whether or not anybody names the candidates (a list and its hit navigation must agree).
    assert list(RankedHits(hits, candidates=7, count=7)[0:20]) == list(hits.order_by(*RELEVANCE_ORDERING))
    assert list(RankedHits(hits, candidates=3, count=7)[0:20]) == everything
    named = RankedHits(hits, candidates=3, count=7, newest=lambda n: [a.pk for a in newest_first[:n]])
    assert list(named[0:20]) == everything


def test_list_page_ranks_only_the_newest_candidates(client, make, monkeypatch, settings):
    from articles.search import backend_for_vendor

    settings.NEWSROOM_PAGE_SIZE = 2
    monkeypatch.setattr(backend_for_vendor(connection.vendor), "RANK_CANDIDATES", 2)
    old_title = make("文章提到鹦鹉螺一次。", title="鹦鹉螺", date_sort="2001-01-01")
    body_only = [make("正文提到鹦鹉螺一次。其他内容很多很多。", date_sort=f"2024-01-0{d}") for d in (1, 2, 3)]
    response = client.get("/articles/", {"q": "鹦鹉螺"})
    assert response.status_code == 200
    first = [a.pk for a in response.context["page_obj"].object_list]
    # Only the two newest are ranked; the title match is too old to be a candidate.
    assert first == [body_only[2].pk, body_only[1].pk]
    second = [a.pk for a in client.get("/articles/", {"q": "鹦鹉螺", "page": 2}).context["page_obj"].object_list]
    assert second == [body_only[0].pk, old_title.pk]
    assert response.context["page_obj"].paginator.count == 4
