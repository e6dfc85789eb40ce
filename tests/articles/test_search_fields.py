"""Search over bylines and source names, fielded units and OR (run on SQLite and on PostgreSQL)."""

import itertools

import pytest
from django.core.management import call_command

from articles.models import Article, IngestedFile, Source
from articles.search import RankedHits, search_queryset
from articles.search.indexing import build_search_document
from articles.text.chinese import to_simplified

pytestmark = pytest.mark.django_db

_numbers = itertools.count()


@pytest.fixture
def make():
    def make(body="", *, title="", bylines=(), source=None, script="hans"):
        n = next(_numbers)
        record = IngestedFile.objects.create(path=f"/tests/fields/{n}.txt", name=f"{n}.txt", sha256=f"f{n:063d}", size=0)
        return Article.objects.create(
            ingested_file=record, title=title, body=body, body_simplified=to_simplified(body), script=script,
            bylines=list(bylines), source=source,
        )

    return make


def found(raw_query):
    return set(search_queryset(Article.objects.all(), raw_query).values_list("pk", flat=True))


def test_a_byline_is_searchable(make):
    article = make("全县召开防汛工作会议。", title="防汛会议", bylines=["李小龙"])
    other = make("李小龙的电影在县城放映。", title="电影放映")
    assert {article.pk, other.pk} <= found("李小龙")
    assert found("作者:李小龙") >= {article.pk} and other.pk not in found("作者:李小龙")


def test_an_unknown_name_is_found_whole_in_bylines_only(make):
    # jieba cuts an unknown name into characters; the whole name is indexed too, and checked verbatim.
    article = make("会议部署了秋粮收购工作。", bylines=["本报记者 尤勃珂"])
    scattered = make("尤其重要的是勃发的珂。", bylines=["王五"])
    assert article.pk in found("尤勃珂")
    assert article.pk in found("作者:尤勃珂")
    assert scattered.pk not in found("尤勃珂") and scattered.pk not in found("作者:尤勃珂")


def test_traditional_bylines_are_found_in_either_script(make):
    article = make("縣委召開會議。", bylines=["陳曉東"], script="hant")
    assert article.pk in found("作者:陈晓东")
    assert article.pk in found("陳曉東")


def test_a_source_name_is_searchable_and_fielded(make):
    source = Source.objects.create(name="秦岭晚报测试版")
    article = make("全县召开防汛工作会议。", source=source)
    mention = make("秦岭晚报测试版记者报道了会议。")
    assert {article.pk, mention.pk} <= found("秦岭晚报测试版")
    assert article.pk in found("来源:秦岭晚报测试版")
    assert mention.pk not in found("来源:秦岭晚报测试版")


def test_title_field_is_the_head_only(make):
    in_title = make("会议部署工作。", title="防汛抗旱动员会")
    in_body = make("全县部署防汛抗旱工作。", title="工作会议")
    assert found("标题:防汛") >= {in_title.pk} and in_body.pk not in found("标题:防汛")
    assert in_title.pk in found('标题:"防汛抗旱"') and in_body.pk not in found('标题:"防汛抗旱"')


def test_fielded_exclusion(make):
    mine = make("秋粮收购进度过半。", bylines=["李小龙"])
    theirs = make("秋粮收购进度过半。", bylines=["赵大海"])
    hits = found("秋粮 -作者:赵大海")
    assert mine.pk in hits and theirs.pk not in hits


def test_or_finds_either(make):
    epidemic = make("镇安县疫情防控工作有序开展。")
    grain = make("镇安县粮食生产喜获丰收。")
    neither = make("镇安县举办运动会。")
    hits = found("疫情 OR 粮食")
    assert {epidemic.pk, grain.pk} <= hits and neither.pk not in hits
    hits = found("镇安县 疫情 OR 粮食")
    assert {epidemic.pk, grain.pk} <= hits and neither.pk not in hits
    assert found("疫情 OR 粮食") >= found("疫情") | found("粮食")


def test_or_with_a_phrase_checks_that_phrase_verbatim(make):
    adjacent = make("全县做好疫情防控工作。")
    apart = make("疫情期间加强了防控。")
    other = make("粮食生产喜获丰收。")
    hits = found('"疫情防控" OR 粮食')
    assert {adjacent.pk, other.pk} <= hits and apart.pk not in hits


def test_or_results_rank_and_page(make):
    for n in range(3):
        make(f"第{n}次疫情通报。")
        make(f"第{n}次粮食通报。")
    hits = search_queryset(Article.objects.all(), "疫情 OR 粮食")
    ranked = RankedHits(hits.values_list("pk", flat=True), candidates=2)
    assert len(list(ranked[0:100])) == hits.count()


def test_build_document_has_four_lines(make):
    source = Source.objects.create(name="镇安报测试")
    article = make("正文。", title="标题", bylines=["李小龙"], source=source)
    head, body, byline, source_line = article.search_document.split("\n")
    assert "李小龙" in byline.split() and "镇安报测试" in source_line.split()
    assert article.search_document == build_search_document(article)


def test_renaming_a_source_reindexes_its_articles(make):
    source = Source.objects.create(name="旧名日报测试")
    article = make("会议召开。", source=source)
    assert article.pk in found("来源:旧名日报测试")
    source.name = "新名晚报测试"
    source.save()
    assert article.pk in found("来源:新名晚报测试")
    assert article.pk not in found("来源:旧名日报测试")


def test_old_two_line_documents_still_match_until_rebuilt(make):
    article = make("秋粮收购进度过半。", bylines=["李小龙"])
    head, body = article.search_document.split("\n")[:2]
    Article.objects.filter(pk=article.pk).update(search_document=f"{head}\n{body}")
    assert article.pk in found("秋粮") and article.pk not in found("作者:李小龙")
    call_command("rebuild_search_index", verbosity=0)
    assert article.pk in found("作者:李小龙")


def test_saving_bylines_only_updates_the_document(make):
    article = make("秋粮收购进度过半。")
    article.bylines = ["赵大海"]
    article.save(update_fields=["bylines"])
    assert article.pk in found("作者:赵大海")


def test_saving_with_search_document_deferred_does_not_load_it(make, django_assert_num_queries):
    article = make("秋粮收购进度过半。", bylines=["李小龙"])
    loaded = Article.objects.defer("search_document").select_related("source").get(pk=article.pk)
    loaded.title = "秋粮"
    with django_assert_num_queries(0):
        from articles.search.indexing import refresh_search_document

        assert refresh_search_document(loaded)
    head, body, byline, source = loaded.search_document.split("\n")
    assert head == "秋粮" and "秋粮" in body and "李小龙" in byline.split()
