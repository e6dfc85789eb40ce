"""The portal's pages through the test client, on the sample corpus.

Counts are asserted on the baseline corpus (15 public items; see
test_filters.py for what they are).
"""

import json
import re
import unicodedata
from html import unescape

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Source
from articles.views import citation
from articles.text.pinyin import pinyin_key
from tests.conftest import ROOT

pytestmark = pytest.mark.django_db

TOTAL = 15
GOLD = json.loads((ROOT / "tests" / "seeds.gold.json").read_text(encoding="utf-8"))


def text_of(response) -> str:
    """The page as a reader sees it: tags dropped, entities decoded."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return unescape(re.sub(r"<[^>]+>", " ", html))


def listed_total(response) -> int:
    return response.context["page_obj"].paginator.count


def facet(response, name: str) -> dict[str, int]:
    def walk(options):
        for option in options:
            yield option.value, option.count
            yield from walk(option.children)

    return dict(walk(getattr(response.context["facets"], name)))


def by_title(title: str) -> Article:
    return Article.objects.get(title=title)


@pytest.fixture
def staff(client):
    user = get_user_model().objects.create_user("editor", password="x", is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


# --- the list ---------------------------------------------------------------------------------


def test_list_shows_every_public_article_with_facets(client):
    response = client.get("/articles/")
    assert response.status_code == 200
    assert listed_total(response) == TOTAL
    assert facet(response, "regions") == {"140000": 4, "410000": 2, "610000": 9}
    assert facet(response, "years") == {"2022": 5, "2020": 1, "unknown": 9}
    assert facet(response, "kinds") == {"article": 12, "photo": 2, "continuation": 1}
    assert facet(response, "themes")["epidemic"] == 7
    page = text_of(response)
    assert "共 15 篇" in page
    for label in ("地区", "主题", "日期", "来源", "类型", "陕西省", "疫情防控", "商城时报", "年份不详"):
        assert label in page


@pytest.mark.parametrize(
    "query, expected",
    [
        ("region=611000", 8),
        ("region=611025", 2),
        ("region=140000", 4),
        ("theme=epidemic", 7),
        ("theme=epidemic&theme=projects", 9),
        ("year=2022", 5),
        ("year=2022&month=4", 5),
        ("year=unknown", 9),
        ("year=unknown&month=10", 3),
        ("kind=photo", 2),
        ("region=611000&theme=epidemic", 3),
        ("region=611000&year=2022&month=4", 3),
        ("region=611000&region=140000", 12),
        ("region=140000&year=unknown&month=10&kind=photo", 1),
        ("theme=epidemic&year=2022", 2),
    ],
)
def test_list_filters_and_counts(client, query, expected):
    response = client.get(f"/articles/?{query}")
    assert response.status_code == 200
    assert listed_total(response) == expected
    assert len(response.context["results"]) == expected


def test_region_611000_lists_the_county_articles(client):
    page = text_of(client.get("/articles/?region=611000"))
    assert "丹凤聚力建设重点项目" in page
    assert "小片区赋能大治理" in page  # 镇安县
    assert "商城县召开党建统领基层治理工作推进会" not in page


def test_each_facet_counts_without_its_own_filter(client):
    response = client.get("/articles/?region=611000&theme=epidemic&year=2022")
    assert listed_total(response) == 2
    themes = facet(response, "themes")
    # epidemic is chosen; economy and rural-revitalization would each add one article (OR within the facet).
    assert themes == {"epidemic": 2, "economy": 1, "rural-revitalization": 1}
    assert facet(response, "regions") == {"610000": 2, "611000": 2}
    assert facet(response, "years")["unknown"] == 1  # the Traditional 镇安县 text
    assert facet(response, "months") == {"4": 2}


def test_source_facet(client):
    source = Source.objects.get(name="商城时报")
    response = client.get(f"/articles/?source={source.pk}")
    assert listed_total(response) == 2
    assert {o.label: o.count for o in response.context["facets"].sources} == {"商城时报": 2, "丝路情韵": 1}


def test_facet_links_toggle_one_value_and_keep_the_rest(client):
    response = client.get("/articles/?region=611000&theme=epidemic&page=1&script=hans")
    themes = {option.value: option.url for option in response.context["facets"].themes}
    assert themes["economy"] == "/articles/?region=611000&theme=epidemic&theme=economy"
    assert themes["epidemic"] == "/articles/?region=611000"  # ticking it again removes it
    years = {option.value: option.url for option in response.context["facets"].years}
    assert years["2022"] == "/articles/?region=611000&theme=epidemic&year=2022"
    kinds = {option.value: option.url for option in response.context["facets"].kinds}
    assert kinds == {"article": ""}  # all three listed are articles: ticking it would change nothing


def test_region_links_drill_down_replacing_the_broader_choice(client):
    response = client.get("/articles/?region=610000&region=140000")
    nodes = {}

    def walk(options):
        for option in options:
            nodes[option.value] = option.url
            walk(option.children)

    walk(response.context["facets"].regions)
    assert nodes["611000"] == "/articles/?region=140000&region=611000"  # 陕西省 gives way to 商洛市
    assert nodes["610000"] == "/articles/?region=140000"
    response = client.get("/articles/?region=611025")
    walk(response.context["facets"].regions)
    assert nodes["611000"] == "/articles/?region=611000"  # going back up drops the county


def test_chips_remove_one_filter_and_clear_all_removes_every_one(client):
    response = client.get("/articles/?region=611000&theme=epidemic&year=2022&month=4")
    chips = {chip["label"]: chip["url"] for chip in response.context["chips"]}
    assert chips == {
        "商洛市": "/articles/?theme=epidemic&year=2022&month=4",
        "疫情防控": "/articles/?region=611000&year=2022&month=4",
        "2022年": "/articles/?region=611000&theme=epidemic&month=4",
        "4月": "/articles/?region=611000&theme=epidemic&year=2022",
    }
    html = response.content.decode()
    assert 'class="clear-all" href="/articles/"' in html
    assert "清除全部" in html


def test_invalid_parameters_give_a_clear_message_not_a_500(client):
    response = client.get("/articles/?region=999999&year=abc&month=13&kind=video&sort=x&source=abc&theme=nope")
    assert response.status_code == 400
    page = text_of(response)
    assert "有些筛选条件无法识别" in page
    assert "没有代码为 999999 的地区" in page
    assert "abc" in page and "13" in page and "video" in page
    assert listed_total(response) == TOTAL  # the bad ones are ignored, the page still works
    assert response.context["problems_clear_url"] == "/articles/"


def test_an_invalid_parameter_keeps_the_valid_ones(client):
    response = client.get("/articles/?region=611000&year=abc")
    assert response.status_code == 400
    assert listed_total(response) == 8
    assert response.context["problems_clear_url"] == "/articles/?region=611000"


@pytest.mark.parametrize("page, shown", [("abc", 1), ("0", 1), ("99", 1), ("-1", 1)])
def test_bad_page_numbers_fall_back_with_a_note(client, page, shown):
    response = client.get(f"/articles/?page={page}")
    assert response.status_code == 200
    assert response.context["page_obj"].number == shown
    assert response.context["page_problem"]


def test_pagination_keeps_the_filters(client, settings):
    settings.NEWSROOM_PAGE_SIZE = 3
    response = client.get("/articles/?region=611000&theme=epidemic&sort=title")
    assert response.context["page_obj"].paginator.num_pages == 1
    response = client.get("/articles/?region=611000")
    assert response.context["page_obj"].paginator.num_pages == 3
    html = response.content.decode()
    assert 'href="?region=611000&amp;page=2"' in html
    second = client.get("/articles/?region=611000&page=2")
    assert [a.pk for a in second.context["results"]] != [a.pk for a in response.context["results"]]
    assert listed_total(second) == 8


def test_sort_by_title_and_date(client):
    by_date = client.get("/articles/")
    dates = [a.date_sort for a in by_date.context["results"] if a.date_sort]
    assert dates == sorted(dates, reverse=True)
    by_title_ = client.get("/articles/?sort=title")
    titles = [a.title for a in by_title_.context["results"] if a.title]
    assert titles == sorted(titles, key=pinyin_key)  # 丹凤… before 世界…, not code-point order
    links = {link["value"]: link for link in by_title_.context["sort_links"]}
    assert links["title"]["active"] and not links["date"]["active"]
    assert "relevance" not in links


def test_each_result_shows_title_kicker_source_date_chips_and_excerpt(client):
    response = client.get("/articles/?region=411524&theme=grassroots-governance")
    html = response.content.decode()
    article = by_title("商城县召开党建统领基层治理工作推进会")
    assert f'href="{article.get_absolute_url()}"' in html
    page = text_of(response)
    for text in (article.kicker, "商城时报", "2022年4月20日", "河南省", "商城县", "基层治理", "党建引领"):
        assert text in page
    assert 'class="excerpt"' in html
    assert "4月14日，商城县党建统领基层治理工作推进会召开" in page


def test_search_shows_highlighted_snippets_and_sorts_by_relevance(client):
    response = client.get("/articles/?q=粮食")
    assert response.status_code == 200
    assert listed_total(response) >= 1
    assert response.context["searching"]
    links = {link["value"]: link for link in response.context["sort_links"]}
    assert links["relevance"]["active"]
    assert "<mark>" in response.content.decode()
    assert "世界粮食日" in text_of(response)


def test_search_combines_with_facets_and_keeps_them_in_the_form(client):
    response = client.get("/articles/?q=疫情&region=140000")
    assert listed_total(response) <= 4
    html = response.content.decode()
    assert '<input type="hidden" name="region" value="140000">' in html


def test_list_page_query_count_does_not_grow_with_results(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(16):
        client.get("/articles/")
    with django_assert_max_num_queries(18):
        client.get("/articles/?region=611000&theme=epidemic&year=2022&kind=article&source=1")


# --- hidden and removed articles ---------------------------------------------------------------


def test_hidden_articles_never_show_and_are_not_counted(client):
    article = by_title("丹凤聚力建设重点项目")
    article.status = Article.Status.HIDDEN
    article.save()
    response = client.get("/articles/?region=611000")
    assert listed_total(response) == 7
    assert facet(response, "regions")["610000"] == 8
    assert "丹凤聚力建设重点项目" not in text_of(response)
    assert "丹凤聚力建设重点项目" not in text_of(client.get("/"))
    assert facet(client.get("/articles/"), "themes")["projects"] == 1
    assert client.get(article.get_absolute_url()).status_code == 404
    assert client.get(f"/a/{article.public_id}/source/").status_code == 404


def test_staff_can_preview_a_hidden_article(client, staff):
    article = by_title("丹凤聚力建设重点项目")
    article.status = Article.Status.HIDDEN
    article.save()
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    assert "此文章已隐藏" in text_of(response)


def test_removed_article_is_gone_with_a_pointer_to_its_file(client):
    article = by_title("祁县:以『艺』抗疫 凝聚战疫力量")
    article.removed_at = timezone.now()
    article.save()
    response = client.get(article.get_absolute_url())
    assert response.status_code == 410
    page = text_of(response)
    assert "这篇文章已移除" in page
    assert "004_e6f684abd7de261e.txt" in page
    html = response.content.decode()
    for other in Article.objects.public().filter(ingested_file=article.ingested_file):
        assert f'href="{other.get_absolute_url()}"' in html
    assert listed_total(client.get("/articles/?region=140000")) == 3


def test_unknown_id_is_404(client):
    response = client.get("/a/zzzzzzzzzz/")
    assert response.status_code == 404
    assert "找不到页面" in text_of(response)


# --- reading ---------------------------------------------------------------------------------------


def test_permalink_with_or_without_slug(client):
    article = by_title("小片区赋能大治理")
    assert client.get(f"/a/{article.public_id}/").status_code == 200
    assert client.get(f"/a/{article.public_id}/xiao-pian-qu/").status_code == 200
    assert client.get(f"/a/{article.public_id}/小片区/").status_code == 200


def test_reading_page_shows_every_part(client):
    article = by_title("小片区赋能大治理")
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    page = text_of(response)
    assert '<h1 class="article-title">小片区赋能大治理</h1>' in html
    assert "西口回族镇“人盯人+”基层社会治理打造幸福宜居地" in page  # subtitle
    assert "陈少斌" in page and "唐瑞希" in page
    assert '<h2 class="intertitle">治理方式精细化</h2>' in html
    for chip in ("陕西省", "商洛市", "镇安县", "基层治理"):
        assert chip in page
    assert 'href="/articles/?region=611025"' in html
    assert 'href="/articles/?theme=grassroots-governance"' in html
    assert "关键词" in page and "片长" in page
    assert "相关文章" in page
    assert f'href="/a/{article.public_id}/source/"' in html
    assert "/admin/" not in html  # no edit link for readers


def test_reading_page_head_has_canonical_and_share_tags(client):
    article = by_title("充分发挥“两个作用” 让党旗在抗疫一线高高飘扬")
    html = client.get(f"{article.get_absolute_url()}any-slug/?utm_source=x").content.decode()
    permalink = f"http://testserver/a/{article.public_id}/"
    assert f'<link rel="canonical" href="{permalink}">' in html
    assert f'<meta property="og:url" content="{permalink}">' in html
    assert '<meta property="og:title" content="充分发挥“两个作用” 让党旗在抗疫一线高高飘扬">' in html
    assert '<meta property="og:site_name" content="地方新闻阅览">' in html
    assert '<meta property="og:type" content="article">' in html
    assert '<meta name="twitter:card" content="summary">' in html
    description = re.search(r'<meta property="og:description" content="([^"]+)">', html).group(1)
    assert description.startswith("4月8日，市委组织部发出")
    assert re.search(r'<meta name="twitter:description" content="4月8日', html)
    assert '<meta property="article:published_time" content="2022-04-08">' in html


def test_date_without_a_year_says_so(client):
    response = client.get(by_title("党建引领筑防线").get_absolute_url())
    assert "10月12日（年份不详）" in text_of(response)
    assert "日期不详" in text_of(client.get(by_title("祁县:以『艺』抗疫 凝聚战疫力量").get_absolute_url()))


def test_photo_captions_are_styled_as_captions(client):
    article = by_title("陕西渭南: 让党员干部成为疫情防控中的生力军")
    caption = next(block["text"] for block in article.blocks if block["kind"] == "caption")
    html = client.get(article.get_absolute_url()).content.decode()
    assert re.search(r'<p class="caption">.*?</p>', html)
    assert caption[:8] in re.search(r'<p class="caption">(.*?)</p>', html, re.S).group(1)


def test_half_width_punctuation_between_chinese_is_restored(client):
    page = text_of(client.get(by_title("全市春季林业工作有序推进").get_absolute_url()))
    assert "9.35万亩；核桃" in page  # the decimal point stays, the semicolon becomes full-width
    assert "万亩;" not in page
    page = text_of(client.get(by_title("充分发挥“两个作用” 让党旗在抗疫一线高高飘扬").get_absolute_url()))
    assert "4月8日，市委组织部发出" in page
    assert "由社区（小区）党组织统一管理调配" in page


def test_no_boilerplate_on_any_reading_page(client):
    def norm(text: str) -> str:
        return "".join(unicodedata.normalize("NFKC", text).split())

    pages = {
        article.ingested_file.name: norm(text_of(client.get(article.get_absolute_url())))
        for article in Article.objects.public().select_related("ingested_file")
    }
    pages_all = [norm(text_of(client.get(a.get_absolute_url()))) for a in Article.objects.public()]
    assert pages and len(pages_all) == TOTAL
    for name, spec in GOLD["files"].items():
        for line in spec["boilerplate"]:
            for page in pages_all:
                assert norm(line) not in page, f"{name}: boilerplate {line!r} shown on a reading page"


def test_permalink_survives_a_forced_reingest(client, corpus_dir):
    links = {article.get_absolute_url(): article.title for article in Article.objects.public() if article.title}
    call_command("ingest", str(corpus_dir), force=True, jobs=1, stdout=open("/dev/null", "w"))
    for url, title in links.items():
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.context["article"].title == title


def test_staff_see_an_edit_link(client, staff):
    article = by_title("小片区赋能大治理")
    html = client.get(article.get_absolute_url()).content.decode()
    assert f'href="/admin/articles/article/{article.pk}/change/"' in html


def test_citation_follows_gb_t_7714(client):
    article = by_title("商城县召开党建统领基层治理工作推进会")
    assert citation(article, "https://x/a/1/") == (
        f"{', '.join(article.bylines[:3]) + '. ' if article.bylines else ''}"
        "商城县召开党建统领基层治理工作推进会[N]. 商城时报, 2022-04-20(5)."
    )
    web = by_title("陕西渭南: 让党员干部成为疫情防控中的生力军")
    assert citation(web, "https://x/a/2/").startswith("张伟. 陕西渭南：让党员干部成为疫情防控中的生力军[EB/OL]. 丝路情韵, 2020-02-25[")
    undated = by_title("党建引领筑防线")
    text = citation(undated, "https://x/a/3/")
    # No known source: an online item of this portal as a website, never the portal as a newspaper.
    assert "[EB/OL]. 地方新闻阅览, [出版年不详]-10-12[" in text and text.endswith("https://x/a/3/.")
    assert "[N" not in text
    response = client.get(article.get_absolute_url())
    assert "[N]. 商城时报, 2022-04-20(5)." in text_of(response)
    assert "复制链接" in text_of(response)


def test_raw_text_strikes_through_the_removed_lines(client):
    article = by_title("陕西渭南: 让党员干部成为疫情防控中的生力军")
    response = client.get(f"/a/{article.public_id}/source/")
    assert response.status_code == 200
    html = response.content.decode()
    record = article.ingested_file
    assert record.removed_lines
    assert html.count('<li id="L') == len(record.raw_text.split("\n"))
    first = record.raw_text.split("\n")[record.removed_lines[0] - 1]
    # Struck through, with the reason it went as the line's title.
    assert re.search(r'<del class="line-text" title="[^"]+">' + re.escape(first.replace("&", "&amp;").replace("<", "&lt;")), html) or not first
    assert "设为首页" in text_of(response)  # shown, struck through
    assert html.count('class="removed') == len(record.removed_lines)
    assert 'class="mine' in html or ' mine"' in html


# --- script and language ---------------------------------------------------------------------


def test_traditional_switch_converts_the_page_and_is_remembered(client):
    url = by_title("小片区赋能大治理").get_absolute_url()
    response = client.get(f"{url}?script=hant")
    assert response.cookies["script"].value == "hant"
    page = text_of(response)
    assert "小片區賦能大治理" in page and "鎮安縣" in page
    assert 'lang="zh-Hant-TW"' in response.content.decode()  # ?script=hant is Traditional as Taiwan writes it
    again = client.get(url)  # the cookie carries the choice
    assert "小片區賦能大治理" in text_of(again)
    back = client.get(f"{url}?script=hans")
    assert back.cookies["script"].value == "hans"
    assert "小片区赋能大治理" in text_of(back)


def test_traditional_articles_read_in_simplified_by_default(client):
    article = Article.objects.get(script="hant")
    page = text_of(client.get(article.get_absolute_url()))
    assert "镇安县紧急动员全县各级党组织" in page
    assert "鎮安縣" not in page
    assert "鎮安縣緊急動員" in text_of(client.get(f"{article.get_absolute_url()}?script=hant"))


def test_script_switch_is_on_every_page_and_keeps_the_query(client):
    for url in ("/", "/articles/?region=611000", "/regions/611000/", "/themes/epidemic/"):
        html = client.get(url).content.decode()
        assert "script=hant" in html and "繁（台）" in html and "繁（港）" in html
    html = client.get("/articles/?region=611000&page=1").content.decode()
    assert 'href="?region=611000&amp;script=hant"' in html


def test_bad_script_value_is_ignored(client):
    response = client.get("/articles/?script=klingon")
    assert response.status_code == 200 and "script" not in response.cookies


def test_admin_is_never_converted(client, staff):
    article = by_title("小片区赋能大治理")
    client.cookies["script"] = "hant"
    html = client.get(f"/admin/articles/article/{article.pk}/change/").content.decode()
    assert "小片区赋能大治理" in html


def test_english_interface(client):
    response = client.get("/articles/?lang=en")  # a plain link; the cookie remembers it
    assert response.status_code == 200
    page = text_of(client.get("/articles/?year=unknown"))
    assert "All articles" in page and "Filters" in page and "Year unknown" in page
    assert "全部文章" not in page
    page = text_of(client.get(by_title("党建引领筑防线").get_absolute_url()))
    assert "10-12 (year unknown)" in page and "Related articles" in page


def test_language_switch_in_the_header(client):
    html = client.get("/").content.decode()
    assert 'class="language-switch"' in html
    assert 'href="?lang=en"' in html and 'href="?lang=zh-hans"' in html


# --- landing pages ------------------------------------------------------------------------------------


def test_home_has_latest_region_tree_themes_and_dates(client):
    response = client.get("/")
    assert response.status_code == 200
    assert len(response.context["latest"]) == 10
    assert response.context["total"] == TOTAL
    regions = {option.value: option for option in response.context["regions"]}
    assert regions["610000"].count == 9
    assert {child.value: child.count for child in regions["610000"].children} == {"610500": 1, "611000": 8}
    assert regions["610000"].url == "/regions/610000/"
    themes = {option.value: option.count for option in response.context["themes"]}
    assert themes["epidemic"] == 7 and "volunteering" not in themes
    years = {option.value: option for option in response.context["years"]}
    assert years["2022"].url == "/articles/?year=2022"
    assert {m.value: m.url for m in years["unknown"].children}["10"] == "/articles/?year=unknown&month=10"
    html = response.content.decode()
    assert 'href="/themes/epidemic/"' in html


def test_region_page_lists_articles_and_sub_regions(client):
    response = client.get("/regions/611000/")
    assert response.status_code == 200
    assert response.context["page_obj"].paginator.count == 8
    assert {o.label: o.count for o in response.context["children"]} == {"丹凤县": 1, "山阳县": 1, "镇安县": 2}
    page = text_of(response)
    assert "商洛市" in page and "陕西省" in page  # breadcrumb
    assert 'href="/articles/?region=611000"' in response.content.decode()
    county = client.get("/regions/611025/")
    assert county.context["page_obj"].paginator.count == 2 and county.context["children"] == []
    assert client.get("/regions/999999/").status_code == 404


def test_theme_and_source_pages(client):
    response = client.get("/themes/epidemic/")
    assert response.status_code == 200
    assert response.context["page_obj"].paginator.count == 7
    assert {o.value: o.count for o in response.context["regions"]} == {"140000": 3, "610000": 4}
    assert client.get("/themes/no-such-theme/").status_code == 404
    source = Source.objects.get(name="商城时报")
    response = client.get(f"/sources/{source.pk}/")
    assert response.status_code == 200
    assert response.context["page_obj"].paginator.count == 2
    assert {o.value: o.count for o in response.context["years"]} == {"2022": 2}
    assert client.get("/sources/99999/").status_code == 404


def test_a_notice_shows_its_issuers_above_the_heading(client):
    article = Article.objects.get(title="致全市各级工商联商会组织和广大民营企业家的倡议书")
    assert article.issuer
    html = client.get(article.get_absolute_url()).content.decode()
    assert html.index("商洛市工商业联合会") < html.index('class="article-title"')


def test_raw_view_strikes_through_pinyin_removed_inside_a_line(client):
    article = Article.objects.get(ingested_file__name="001_7fe697b41a41a409.txt")
    html = client.get(reverse("articles:raw", args=[article.public_id])).content.decode()
    assert '以來<del class="inline-removed">(lái)</del>' in html
    # The source reads 村(社區(qū)): the gloss goes, the real parentheses stay.
    assert '村(社區<del class="inline-removed">(qū)</del>)' in html


def test_a_hidden_article_later_removed_is_404_to_the_public_and_410_to_staff(client):
    article = Article.objects.get(title="丹凤聚力建设重点项目")
    article.status = Article.Status.HIDDEN
    article.removed_at = timezone.now()
    article.save()
    response = client.get(article.get_absolute_url())
    assert response.status_code == 404
    assert "丹凤聚力建设重点项目" not in response.content.decode()
    client.force_login(get_user_model().objects.create_user("staff", password="pw", is_staff=True))
    assert client.get(article.get_absolute_url()).status_code == 410


@pytest.mark.parametrize("url", ["/a/%00/", "/a/ABC%00x/source/", "/regions/%00/", "/regions/61100/"])
def test_malformed_ids_are_404_without_touching_the_database(client, url):
    assert client.get(url).status_code == 404


def test_script_switch_links_are_relative_query_strings(client):
    response = client.get("/articles/", {"theme": "epidemic"})
    links = response.context["script_links"]
    assert all(link.startswith("?") for link in links.values())


# --- broad searches: bounded counts ----------------------------------------------------------


def test_a_search_above_the_exact_threshold_shows_estimated_counts(client, monkeypatch):
    from articles import facet_index, selectors

    monkeypatch.setattr(facet_index, "HIT_IDS_UP_TO", 2)  # too broad for the facet index to fetch its hits

    public = Article.objects.public()
    pks = list(public.order_by("pk").values_list("pk", flat=True))
    sample = selectors.Sample(ranges=((pks[0], pks[len(pks) // 2]),), scale=2.0)
    monkeypatch.setattr(selectors, "article_sample", lambda **kwargs: sample)
    real_bounded_count = selectors.bounded_count
    monkeypatch.setattr(selectors, "bounded_count", lambda queryset: real_bounded_count(queryset, exact_up_to=2))
    response = client.get("/articles/", {"q": "疫情"})
    assert response.status_code == 200
    assert response.context["page_obj"].estimated
    assert "约" in response.content.decode()
    kinds = response.context["facets"].kinds
    assert kinds and all(option.estimated and option.count % 2 == 0 for option in kinds)


def test_a_narrow_search_counts_exactly(client):
    response = client.get("/articles/", {"q": "疫情"})
    assert not response.context["page_obj"].estimated
    assert "约" not in response.content.decode()


def test_bounded_count_is_exact_below_the_threshold_and_scaled_from_the_sample_above(monkeypatch):
    from articles import selectors

    public = Article.objects.public()
    assert selectors.bounded_count(public, exact_up_to=10_000) == (public.count(), False)
    five = list(public.values_list("pk", flat=True)[:5])
    sample = selectors.Sample(ranges=tuple((pk, pk + 1) for pk in five), scale=3.0)
    monkeypatch.setattr(selectors, "article_sample", lambda **kwargs: sample)
    assert selectors.bounded_count(public, exact_up_to=2) == (15, True)


def test_the_sample_spreads_over_the_whole_id_space():
    from articles.selectors import article_sample

    assert article_sample() is None  # the sample corpus is counted exactly
    low, high = Article.objects.order_by("pk").first().pk, Article.objects.order_by("pk").last().pk
    sample = article_sample(size=4, slices=2)
    assert sample is not None and sample.scale == (high - low + 1) / 4


# --- ListLinks: a page's facet links, the query encoded once ----------------------------------


def _reference_with_values(query, key: str, values: list[str]) -> str:
    # What every link was before: a copy of the QueryDict, changed and encoded whole.
    from articles.views import NOT_CARRIED, list_url

    params = query.copy()
    for name in NOT_CARRIED:
        params.pop(name, None)
    if values:
        params.setlist(key, values)
    else:
        params.pop(key, None)
    return list_url(params)


def test_list_links_give_the_addresses_a_changed_copy_of_the_query_gives():
    import random

    from django.http import QueryDict

    from articles.views import ListLinks

    rng = random.Random(5)
    keys = ["region", "theme", "year", "month", "q", "sort", "page", "lang", "source", "from"]
    values = ["610000", "疫情 乡村", "a&b=c", "2020", "", "+", "%", "unknown", "中"]
    for _ in range(300):
        query = QueryDict(mutable=True, encoding=rng.choice(["utf-8", "gbk"]))  # a request may declare its charset
        for _ in range(rng.randrange(6)):
            query.appendlist(rng.choice(keys), rng.choice(values))
        links = ListLinks(query)
        key = rng.choice(keys[:6])
        chosen = rng.sample(values, rng.randrange(3))
        assert links.with_values(key, chosen) == _reference_with_values(query, key, chosen), (query, key, chosen)
        value = rng.choice(values)
        current = [v for v in query.getlist(key) if v]
        expected = [v for v in current if v != value] if value in current else current + [value]
        assert links.toggle(key, value) == _reference_with_values(query, key, expected)


def test_a_page_asked_in_another_charset_is_not_kept_for_everyone(client, settings):
    # Django decodes the query by the charset of the request's Content-Type: a GET that declares
    # latin-1 searches for mojibake, and its (empty) page must not be served to UTF-8 readers.
    settings.NEWSROOM_PAGE_CACHE = True
    url = "/articles/?q=%E7%96%AB%E6%83%85"
    odd = client.get(url, CONTENT_TYPE="text/plain; charset=latin-1")
    assert odd.status_code == 200
    normal = client.get(url).content.decode()
    assert 'value="疫情"' in normal and "共 0 篇" not in normal
