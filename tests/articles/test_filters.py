"""ArticleFilter on the sample corpus: every parameter, their combinations, bad input.

The baseline corpus yields 15 public items: seven from the 商洛 newspaper page
(商洛市 611000 with 丹凤县, 山阳县, 镇安县), one Traditional-script 镇安县 text,
one 渭南 web page (2020), two 商城县 articles (河南, 商城时报) and four 山西
items (灵石, 祁县, 晋中, a province-wide one) whose dates lack the year.
"""

import pytest
from django.http import QueryDict

from articles.filters import ArticleFilter
from articles.models import Article, Source, Theme
from articles.text.pinyin import UNTITLED_KEY, pinyin_key

pytestmark = pytest.mark.django_db

TOTAL = 15


def run(query: str = "", **extra):
    data = QueryDict(query, mutable=True)
    for key, value in extra.items():
        data.setlist(key, value if isinstance(value, list) else [value])
    return ArticleFilter(data, queryset=Article.objects.public())


def count(query: str = "", **extra) -> int:
    return run(query, **extra).qs.count()


def titles(query: str) -> set[str]:
    return {article.display_title for article in run(query).qs}


def source_id(name: str) -> str:
    return str(Source.objects.get(name=name).pk)


def test_no_filter_lists_every_public_article():
    assert count() == TOTAL


@pytest.mark.parametrize(
    "query, expected",
    [
        ("region=610000", 9),  # 陕西省: 商洛 page, 镇安 text, 渭南 web page
        ("region=611000", 8),  # 商洛市 counts its counties
        ("region=611022", 1),  # 丹凤县
        ("region=611024", 1),  # 山阳县
        ("region=611025", 2),  # 镇安县: 西口回族镇 story and the Traditional text
        ("region=610500", 1),  # 渭南市
        ("region=410000", 2),
        ("region=411524", 2),  # 商城县
        ("region=140000", 4),
        ("region=140700", 3),  # 晋中市
        ("region=140729", 1),  # 灵石县
        ("region=140727", 1),  # 祁县
        ("region=110000", 0),  # a real region with no article
    ],
)
def test_region_at_any_level(query, expected):
    assert count(query) == expected


def test_region_611000_includes_its_county_articles():
    found = titles("region=611000")
    assert "丹凤聚力建设重点项目" in found
    assert "小片区赋能大治理" in found  # 镇安县


def test_several_regions_are_or_ed():
    assert count("region=611000&region=140000") == 8 + 4
    assert count("region=411524&region=140729") == 2 + 1


def test_a_region_and_its_county_together_is_the_region():
    assert count("region=611000&region=611022") == 8


@pytest.mark.parametrize(
    "query, expected",
    [
        ("year=2022", 5),
        ("year=2020", 1),
        ("year=unknown", 9),
        ("year=2022&month=4", 5),
        ("year=2022&month=5", 0),
        ("year=unknown&month=10", 3),  # the 山西 page's 10月12日, 10月16日, 10月17日
        ("year=unknown&month=unknown", 6),  # no date at all
        ("month=4", 5),
        ("year=2022&year=2020", 6),
        ("year=2020&year=unknown", 10),
    ],
)
def test_dates(query, expected):
    assert count(query) == expected


def test_unknown_year_articles_are_findable_by_month():
    found = titles("year=unknown&month=10")
    assert {"党建引领筑防线", "世界粮食日 我们不遗余“粒”"} <= found


def test_theme():
    assert count("theme=epidemic") == 7
    assert count("theme=projects") == 2
    assert count("theme=food-security") == 1
    assert count("theme=volunteering") == 0


def test_several_themes_are_or_ed_without_duplicates():
    both = run("theme=epidemic&theme=party-building").qs
    ids = list(both.values_list("pk", flat=True))
    assert len(ids) == len(set(ids))
    either = set(run("theme=epidemic").qs.values_list("pk", flat=True)) | set(
        run("theme=party-building").qs.values_list("pk", flat=True)
    )
    assert set(ids) == either


def test_source_and_kind():
    assert count(source=source_id("商城时报")) == 2
    assert count(source=source_id("丝路情韵")) == 1
    assert count(source=[source_id("商城时报"), source_id("丝路情韵")]) == 3
    assert count("kind=article") == 12
    assert count("kind=photo") == 2
    assert count("kind=continuation") == 1
    assert count("kind=photo&kind=continuation") == 3


@pytest.mark.parametrize(
    "query, expected",
    [
        ("region=611000&theme=epidemic", 3),
        ("region=611000&year=2022&month=4", 3),
        ("region=140000&year=unknown&month=10", 3),
        ("region=140000&kind=photo", 1),
        ("region=611000&kind=photo", 1),
        ("theme=epidemic&year=2022", 2),
        ("theme=epidemic&theme=projects&region=610000", 5),
        ("region=411524&theme=projects", 1),
        ("region=611000&region=610500&theme=epidemic&year=2020", 1),
        ("region=140000&theme=projects", 0),
    ],
)
def test_facets_combine_with_and(query, expected):
    assert count(query) == expected


def test_source_combines_with_theme():
    assert count("theme=projects", source=source_id("商城时报")) == 1


def test_hidden_articles_are_never_listed():
    article = Article.objects.get(title="丹凤聚力建设重点项目")
    article.status = Article.Status.HIDDEN
    article.save()
    assert count() == TOTAL - 1
    assert count("region=611022") == 0


def test_search_narrows_and_defaults_to_relevance():
    filterset = run("q=商城县")
    results = list(filterset.qs)
    assert results and all("商城" in (a.title + a.body_simplified) for a in results)
    assert filterset.searching and filterset.current_sort == "relevance"
    assert hasattr(results[0], "search_rank")


def test_search_combines_with_facets():
    for query in ("q=疫情&region=140000", "q=项目&region=611000", "q=疫情&theme=party-building&year=2022"):
        params = QueryDict(query)
        searched = set(run(f"q={params['q']}").qs.values_list("pk", flat=True))
        rest = QueryDict(query, mutable=True)
        rest.pop("q")
        faceted = set(run(rest.urlencode()).qs.values_list("pk", flat=True))
        assert set(run(query).qs.values_list("pk", flat=True)) == searched & faceted


def test_empty_query_is_not_a_search():
    filterset = run("q=")
    assert not filterset.searching and filterset.current_sort == "date"
    assert filterset.qs.count() == TOTAL


def test_sort_by_date_is_newest_first_with_undated_last():
    dates = [a.date_sort for a in run("").qs]
    known = [d for d in dates if d]
    assert known == sorted(known, reverse=True)
    assert dates.index(None) == len(known)


def test_sort_by_title_is_pinyin_order_with_untitled_items_last():
    results = list(run("sort=title").qs)
    titled = [a.title for a in results if a.title]
    assert titled == sorted(titled, key=pinyin_key)
    assert titled != sorted(titled)  # the corpus has titles whose code-point order differs
    assert results[-1].title == ""


def test_sort_by_title_puts_dan_before_shi_within_a_filter():
    """世界… (shì) is not before 丹凤… (dān) although 世 has the lower code point."""
    template = Article.objects.public().get(title="丹凤聚力建设重点项目")
    for title in ("世界读书日丹凤分会场", "安康新闻", "中国"):
        Article.objects.create(
            title=title, ingested_file=template.ingested_file, province=template.province, city=template.city,
            source=template.source, position=99,
        )
    ordered = [a.title for a in run("sort=title&region=611000").qs if a.title]
    assert ordered.index("安康新闻") < ordered.index("丹凤聚力建设重点项目") < ordered.index("世界读书日丹凤分会场")
    assert ordered.index("世界读书日丹凤分会场") < ordered.index("中国")
    by_source = [a.title for a in run(f"sort=title&source={template.source_id}").qs if a.title]
    assert by_source == sorted(by_source, key=pinyin_key)


def test_title_sort_key_follows_the_title_on_every_save():
    article = Article.objects.public().get(title="丹凤聚力建设重点项目")
    assert article.title_sort == pinyin_key(article.title)
    article.title = "世界读书日"
    article.save(update_fields=["title"])
    assert Article.objects.get(pk=article.pk).title_sort == "shi4jie4du2shu1ri4"
    article.title = ""
    article.save()
    assert Article.objects.get(pk=article.pk).title_sort == UNTITLED_KEY


def test_migration_backfill_fills_existing_rows_in_batches(monkeypatch):
    import importlib

    from django.apps import apps
    from django.db import connection

    migration = importlib.import_module("articles.migrations.0013_title_pinyin_sort_key")
    Article.objects.update(title_sort="")
    monkeypatch.setattr(migration, "BATCH", 4)  # several batches over the corpus

    migration.fill_title_sort(apps, connection.schema_editor())  # unopened: its connection and quoting only
    rows = list(Article.objects.values_list("title", "title_sort"))
    assert len(rows) > 4 and all(key == pinyin_key(title) for title, key in rows)


def test_relevance_without_a_query_falls_back_to_date():
    assert run("sort=relevance").current_sort == "date"


@pytest.mark.parametrize(
    "query, field",
    [
        ("region=999999", "region"),
        ("region=abc", "region"),
        ("theme=no-such-theme", "theme"),
        ("year=abc", "year"),
        ("year=22", "year"),
        ("month=13", "month"),
        ("month=0", "month"),
        ("source=abc", "source"),
        ("source=99999", "source"),
        ("kind=video", "kind"),
        ("sort=random", "sort"),
    ],
)
def test_invalid_values_are_reported_and_ignored(query, field):
    filterset = run(query)
    assert [name for name, _label, _messages in filterset.problems] == [field]
    assert all(messages for _name, _label, messages in filterset.problems)
    assert filterset.qs.count() == TOTAL  # the bad parameter is dropped, nothing else


def test_an_invalid_parameter_leaves_the_valid_ones_in_force():
    filterset = run("region=611000&year=abc")
    assert [name for name, *_ in filterset.problems] == ["year"]
    assert filterset.qs.count() == 8


def test_facet_querysets_skip_their_own_filter():
    filterset = run("region=611000&theme=epidemic")
    assert filterset.queryset_for_facet("theme").count() == 8
    assert filterset.queryset_for_facet("region").count() == 7
    assert filterset.queryset_for_facet("kind").count() == 3


def test_undated_filter_lets_the_listing_index_seek_to_its_null_end():
    # Same articles (no year ⇔ no date_sort, Article.set_partial_date), but said so the newest-first
    # index is searched for NULL instead of walked through every dated article (2.5 s → ms at 1M).
    undated = ArticleFilter(QueryDict("year=unknown"), queryset=Article.objects.public()).qs
    assert '"date_sort" IS NULL' in str(undated.query)
    assert set(undated) == set(Article.objects.public().filter(year__isnull=True))
    assert not Article.objects.filter(year__isnull=True, date_sort__isnull=False).exists()


def test_valid_choices_are_kept_per_token_and_a_renamed_theme_shows_at_once(django_assert_num_queries):
    query = QueryDict("theme=epidemic&region=611000")
    first = ArticleFilter(query, queryset=Article.objects.public())
    assert [theme.slug for theme in first.value("theme")] == ["epidemic"]
    with django_assert_num_queries(2):  # the version, for each of the two fields: no lookups
        again = ArticleFilter(query, queryset=Article.objects.public())
        assert [region.code for region in again.value("region")] == ["611000"]
    theme = Theme.objects.get(slug="epidemic")
    theme.name = "疫情（改名）"
    theme.save()  # replaces the catalogue token
    assert [t.name for t in ArticleFilter(query, queryset=Article.objects.public()).value("theme")] == ["疫情（改名）"]


def test_an_unknown_choice_is_reported_even_after_valid_ones_were_kept():
    ArticleFilter(QueryDict("region=611000"), queryset=Article.objects.public()).problems
    problems = ArticleFilter(QueryDict("region=611000&region=999998"), queryset=Article.objects.public()).problems
    assert problems and problems[0][0] == "region" and "999998" in problems[0][2][0]
