"""Facet counting and the other read-side queries, on the sample corpus."""

import pytest
from django.db import connection
from django.db.models import Q
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from articles.filters import ArticleFilter
from articles.models import Article, Region
from articles.text.pinyin import pinyin_key
from articles.selectors import (
    count_by,
    date_histogram,
    facet_counts,
    for_listing,
    listing_rows,
    other_articles_of_file,
    public_articles,
    region_tree,
    related_articles,
    source_counts,
    sub_regions,
    theme_counts,
)

pytestmark = pytest.mark.django_db


def facets(query: str = ""):
    return facet_counts(ArticleFilter(QueryDict(query), queryset=Article.objects.public()))


def counts(options) -> dict[str, int]:
    return {option.value: option.count for option in options}


def flatten(options):
    for option in options:
        yield option
        yield from flatten(option.children)


# --- region tree ------------------------------------------------------------------------


def test_region_tree_lists_provinces_with_counts_and_nothing_open():
    tree = facets().regions
    assert counts(tree) == {"140000": 4, "410000": 2, "610000": 9}
    # Pinyin order of the names (he2nan2, shan1xi1, shan3xi1), not code order (14, 41, 61).
    assert [option.label for option in tree] == ["河南省", "山西省", "陕西省"]
    assert all(not option.children and not option.open for option in tree)


def test_region_branches_and_sub_regions_are_in_pinyin_order():
    shangluo = Region.objects.get(code="611000")
    children = sub_regions(public_articles(), shangluo)
    assert [option.label for option in children] == ["丹凤县", "山阳县", "镇安县"]
    shaanxi = [option for option in facets("region=611000").regions if option.value == "610000"][0]
    assert [child.label for child in shaanxi.children] == ["商洛市", "渭南市"]
    counties = shaanxi.children[0].children
    assert [county.label for county in counties] == sorted((c.label for c in counties), key=pinyin_key)


def test_sources_are_in_pinyin_order():
    labels = [str(option.label) for option in source_counts(public_articles())]
    assert labels == ["商城时报", "丝路情韵"]  # shang1 before si1, though 丝 U+4E1D < 商 U+5546


def test_selecting_a_city_opens_its_branch_down_to_counties():
    tree = {option.value: option for option in facets("region=611000").regions}
    shaanxi = tree["610000"]
    assert shaanxi.open and not shaanxi.selected
    assert counts(shaanxi.children) == {"610500": 1, "611000": 8}
    shangluo = next(option for option in shaanxi.children if option.value == "611000")
    assert shangluo.selected and shangluo.open
    assert counts(shangluo.children) == {"611022": 1, "611024": 1, "611025": 2}
    assert {option.label for option in shangluo.children} == {"丹凤县", "山阳县", "镇安县"}
    assert not tree["140000"].children  # other branches stay closed


def test_selecting_a_county_opens_province_and_city():
    tree = {option.value: option for option in facets("region=140729").regions}
    jinzhong = next(option for option in tree["140000"].children if option.value == "140700")
    assert jinzhong.open
    assert counts(jinzhong.children) == {"140727": 1, "140729": 1}
    assert next(o for o in jinzhong.children if o.value == "140729").selected


def test_region_counts_ignore_the_region_filter_but_apply_the_others():
    tree = facets("region=611000&theme=epidemic").regions
    assert counts(tree) == {"140000": 3, "610000": 4}  # 河南 has no epidemic article
    shaanxi = next(option for option in tree if option.value == "610000")
    assert counts(shaanxi.children) == {"610500": 1, "611000": 3}


def test_a_selected_region_without_articles_still_shows_to_be_unticked():
    tree = facets("region=110000").regions
    beijing = next(option for option in tree if option.value == "110000")
    assert beijing.selected and beijing.count == 0


def test_home_tree_opens_every_province_to_its_cities():
    tree = region_tree(public_articles(), expand=["*"], depth=2)
    assert all(option.open for option in tree)
    assert {child.value for option in tree for child in option.children} == {
        "140700", "411500", "610500", "611000",
    }
    assert all(not child.children for option in tree for child in option.children)


def test_sub_regions_count_children_of_a_region():
    shangluo = Region.objects.get(code="611000")
    assert counts(sub_regions(public_articles(), shangluo)) == {"611022": 1, "611024": 1, "611025": 2}
    shaanxi = Region.objects.get(code="610000")
    assert counts(sub_regions(public_articles(), shaanxi)) == {"610500": 1, "611000": 8}
    county = Region.objects.get(code="611025")
    assert sub_regions(public_articles(), county) == []


# --- themes, sources, kinds ---------------------------------------------------------------


def test_theme_counts_ignore_the_theme_filter_and_say_what_another_theme_adds():
    themes = counts(facets("theme=epidemic").themes)
    assert themes["epidemic"] == 7
    # Articles carry several themes: party-building has 6, but only 2 of them are not epidemic articles already.
    assert themes["party-building"] == 2
    assert "volunteering" not in themes  # no article: never offered
    assert "culture" not in themes  # its one article is an epidemic article: ticking it would add nothing


@pytest.mark.parametrize("query", ["theme=epidemic", "theme=projects", "region=611000&theme=epidemic", "theme=epidemic&theme=economy"])
def test_an_unselected_themes_count_is_exactly_what_ticking_it_adds(query):
    base = ArticleFilter(QueryDict(query), queryset=Article.objects.public())
    listed = base.qs.count()
    for option in facet_counts(base).themes:
        if option.selected:
            continue
        widened = QueryDict(query, mutable=True)
        widened.appendlist("theme", option.value)
        assert option.adds and option.count > 0
        assert ArticleFilter(widened, queryset=Article.objects.public()).qs.count() - listed == option.count, option.value


def test_theme_counts_apply_the_other_filters():
    themes = counts(facets("region=611000&theme=epidemic").themes)
    assert themes["epidemic"] == 3
    assert themes["party-building"] == 1  # what it adds in 商洛市
    assert "food-security" not in themes


def test_without_a_theme_chosen_counts_are_plain_and_not_additions():
    options = facets("region=611000").themes
    assert options and not any(option.adds for option in options)
    assert counts(options)["party-building"] == 3


def test_theme_counts_mark_the_selection_and_put_big_themes_first():
    options = facets("theme=projects").themes
    assert [option.value for option in options if option.selected] == ["projects"]
    assert options[0].value == "epidemic" and options[0].share == 100
    assert [option.count for option in options] == sorted((option.count for option in options), reverse=True)


def test_theme_counts_can_leave_out_empty_themes():
    options = theme_counts(public_articles().in_region(Region.objects.get(code="411524")), include_empty=False)
    assert counts(options) == {"grassroots-governance": 1, "party-building": 1, "projects": 1}


def test_source_and_kind_counts():
    result = facets()
    assert {option.label: option.count for option in result.sources} == {"商城时报": 2, "丝路情韵": 1}
    assert counts(result.kinds) == {"article": 12, "photo": 2, "continuation": 1}
    assert counts(facets("kind=photo").kinds) == {"article": 12, "photo": 2, "continuation": 1}
    assert counts(facets("kind=photo&region=140000").kinds) == {"article": 3, "photo": 1}


def test_source_counts_apply_other_filters():
    assert {option.label: option.count for option in facets("theme=projects").sources} == {"商城时报": 1}
    assert source_counts(public_articles().filter(pk__in=[])) == []


# --- dates ----------------------------------------------------------------------------------------


def test_year_histogram_newest_first_with_unknown_last():
    years = facets().years
    assert [(option.value, option.count) for option in years] == [("2022", 5), ("2020", 1), ("unknown", 9)]
    assert [option.share for option in years] == [56, 11, 100]
    assert facets().months == []  # months appear once a year is chosen


def test_choosing_a_year_shows_its_months_and_keeps_other_years():
    result = facets("year=2022")
    assert counts(result.years) == {"2022": 5, "2020": 1, "unknown": 9}
    assert counts(result.months) == {"4": 5}
    assert counts(facets("year=2022&month=4").months) == {"4": 5}


def test_months_of_unknown_years():
    result = facets("year=unknown")
    assert counts(result.months) == {"10": 3, "unknown": 6}
    assert [option.label for option in result.months] == ["10月", "月份不详"]


def test_date_counts_apply_the_other_filters():
    result = facets("region=140000&year=unknown")
    assert counts(result.years) == {"unknown": 4}
    assert counts(result.months) == {"10": 3, "unknown": 1}


def test_year_children_carry_months_for_the_home_page():
    years, months = date_histogram(public_articles())
    assert months == []
    by_year = {option.value: counts(option.children) for option in years}
    assert by_year == {"2022": {"4": 5}, "2020": {"2": 1}, "unknown": {"10": 3, "unknown": 6}}


# --- cost: one GROUP BY per facet, no per-row queries ---------------------------------------------


def test_facet_counts_take_a_fixed_number_of_queries():
    def queries(query: str) -> int:
        filterset = ArticleFilter(QueryDict(query), queryset=Article.objects.public())
        filterset.form.is_valid()
        with CaptureQueriesContext(connection) as captured:
            facet_counts(filterset)
        return len(captured)

    assert queries("") <= 9
    assert queries("region=611025&theme=epidemic&year=2022&source=1&kind=article") <= 10


def test_count_by_groups_in_the_database():
    with CaptureQueriesContext(connection) as captured:
        rows = count_by(public_articles(), "kind")
    assert len(captured) == 1 and "GROUP BY" in captured[0]["sql"].upper()
    assert dict(rows) == {"article": 12, "photo": 2, "continuation": 1}


def test_listing_needs_no_query_per_row():
    with CaptureQueriesContext(connection) as captured:
        rows = list(for_listing(public_articles().newest_first()))
        for article in rows:
            (article.source, article.province, article.city, article.county, list(article.themes.all()))
    assert len(rows) == 15
    assert len(captured) == 2  # articles with their regions and source, then themes


def _shown(article) -> tuple:
    regions = [(r.code, r.name) if r else None for r in (article.province, article.city, article.county)]
    return (article.pk, article.source.name if article.source else None, regions, [t.slug for t in article.themes.all()])


def test_listing_rows_are_the_joined_rows_in_the_asked_order_with_labels_read_once_per_token():
    ids = list(public_articles().order_by("title_sort").values_list("pk", flat=True))
    rows = listing_rows(ids)
    assert [_shown(article) for article in rows] == [
        _shown(article) for article in sorted(for_listing(public_articles()), key=lambda a: ids.index(a.pk))
    ]
    with CaptureQueriesContext(connection) as captured:
        again = listing_rows(ids[::-1])
        for article in again:
            _shown(article)
    assert [article.pk for article in again] == ids[::-1]
    assert len(captured) == 3  # the version, the articles, their themes: labels come from memory


def test_listing_rows_show_a_renamed_source_at_once():
    article = public_articles().filter(source__isnull=False).first()
    listing_rows([article.pk])
    source = article.source
    source.name = "改名后的报纸"
    source.save()  # replaces the catalogue token, as every label change does
    assert listing_rows([article.pk])[0].source.name == "改名后的报纸"


# --- related and same-file -------------------------------------------------------------------------


def test_related_articles_share_region_or_theme_and_rank_keyword_overlap_first():
    article = Article.objects.get(title="小片区赋能大治理")  # 镇安县, grassroots governance
    related = related_articles(article, limit=5)
    assert article not in related and len(related) == 5
    # Best: the 商城县 governance meeting (same theme and the keyword 治理).
    assert "grassroots-governance" in {theme.slug for theme in related[0].themes.all()}
    assert set(article.keywords) & set(related[0].keywords)
    assert any(other.county_id == "611025" for other in related)  # the other 镇安县 article
    themes = {theme.pk for theme in article.themes.all()}
    for other in related:
        assert other.city_id == article.city_id or themes & {theme.pk for theme in other.themes.all()}


def test_related_articles_never_include_hidden_ones():
    article = Article.objects.get(title="小片区赋能大治理")
    hidden = related_articles(article, limit=1)[0]
    hidden.status = Article.Status.HIDDEN
    hidden.save()
    assert hidden not in related_articles(article, limit=20)


def test_other_articles_of_file_are_in_page_order():
    first = Article.objects.get(title="党建引领筑防线")
    others = other_articles_of_file(first)
    assert [article.position for article in others] == [1, 2, 3]


def test_related_candidates_are_a_few_limited_queries_each_on_its_own_neighbourhood():
    from articles.selectors import RELATED_MAX_THEMES, related_candidate_ids

    article = Article.objects.get(title="小片区赋能大治理")
    article.themes.all()  # prefetched in the view; here counted below
    with CaptureQueriesContext(connection) as captured:
        ids = related_candidate_ids(article, per_source=3)
    # themes of the article, then county, city and one per theme: never one sort over an OR of them.
    assert len(captured) <= 1 + 2 + RELATED_MAX_THEMES
    walks = [q["sql"] for q in captured if "LIMIT 3" in q["sql"]]
    assert len(walks) == len(captured) - 1 and all(" OR " not in sql for sql in walks)
    assert article.pk not in ids and len(ids) == len(set(ids))


def test_year_and_month_filters_seek_by_date_yet_select_exactly_the_same_articles():
    public = Article.objects.public()
    for query, expected in [
        ("year=2020", public.filter(year=2020)),
        ("year=2020&month=3", public.filter(year=2020, month=3)),
        ("year=2019&year=2021&month=12&month=1", public.filter(year__in=[2019, 2021], month__in=[12, 1])),
        ("year=2020&year=unknown", public.filter(Q(year=2020) | Q(year__isnull=True))),
    ]:
        got = ArticleFilter(QueryDict(query), queryset=public).qs
        assert set(got.values_list("pk", flat=True)) == set(expected.values_list("pk", flat=True)), query


def test_listing_rows_name_the_source_and_county_an_ingest_added(tmp_path):
    from articles.ingest import ingest_paths

    listing_rows(list(public_articles().values_list("pk", flat=True)))
    path = tmp_path / "新来源日报-2022-04-08-01.txt"
    path.write_text("洛南县召开疫情防控工作会议\n\n本报讯(记者 王强)4月3日,洛南县召开疫情防控工作推进会。\n", encoding="utf-8")
    ingest_paths([path], jobs=1, source_name="新来源日报")
    added = Article.objects.get(ingested_file__name=path.name)
    assert added.source_id is not None
    row = listing_rows([added.pk])[0]
    assert row.source.name == added.source.name and row.county.code == added.county_id

