"""Issue 12, dates and newspaper → issue → page: the range filter, oldest-first, the calendar,
/sources/, a source's issues, an issue's pages, a page's articles, and the reading page's links."""

import datetime

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from articles import browse
from articles.filters import ArticleFilter
from articles.models import Article, IngestedFile, Source
from articles.text.document import PartialDate

pytestmark = pytest.mark.django_db


@pytest.fixture
def paper():
    return Source.objects.create(name="测试日报", kind=Source.Kind.NEWSPAPER)


@pytest.fixture
def archive(paper):
    """A small newspaper archive with every date precision, a split article and a hidden item."""
    record = IngestedFile.objects.create(path="/test/paper.txt", name="paper.txt", sha256="0" * 64, size=1)
    made = {}

    def make(title, date, page="", issue="", position=0, **fields):
        article = Article(title=title, source=paper, page=page, issue=issue, ingested_file=record,
                          position=position, body=f"{title}的正文。", **fields)
        article.set_partial_date(date)
        article.save()
        made[title or fields.get("body", "续文")] = article
        return article

    make("一版头条", PartialDate(2022, 4, 1), "1", "2022年第10期", 0, continued_on="4")
    make("一版二条", PartialDate(2022, 4, 1), "1", "2022年第10期", 1)
    make("", PartialDate(2022, 4, 1), "4", "2022年第10期", 5, continued_from="1", kind=Article.Kind.CONTINUATION)
    make("二版文章", PartialDate(2022, 4, 1), "2", "2022年第10期", 3)
    make("十五日头条", PartialDate(2022, 4, 15), "1", "", 0)
    make("四月综述", PartialDate(2022, 4, None))
    make("年度回顾", PartialDate(2022, None, None))
    make("五月文章", PartialDate(2022, 5, 3), "A3", "2022年第20期")
    make("无年份", PartialDate(None, 4, 20))
    make("去年最后一天", PartialDate(2021, 12, 31), "1")
    make("隐藏的", PartialDate(2022, 4, 15), "1", status=Article.Status.HIDDEN)
    return made


def _filter(paper, query: str) -> ArticleFilter:
    return ArticleFilter(QueryDict(query), queryset=Article.objects.public().filter(source=paper))


def _titles(paper, query: str) -> set[str]:
    return {article.title or "续文" for article in _filter(paper, query).qs}


# --- The date range ---------------------------------------------------------------------


def test_a_month_range_holds_its_days_and_the_month_only_articles(paper, archive):
    assert _titles(paper, "from=2022-04-01&to=2022-04-30") == {
        "一版头条", "一版二条", "续文", "二版文章", "十五日头条", "四月综述",
    }


def test_a_range_holds_a_month_or_year_only_date_only_when_all_of_it_is_inside(paper, archive):
    assert _titles(paper, "from=2022-04-01&to=2022-04-14") == {"一版头条", "一版二条", "续文", "二版文章"}
    assert "年度回顾" in _titles(paper, "from=2022-01-01&to=2022-12-31")
    assert "年度回顾" not in _titles(paper, "from=2022-01-01&to=2022-12-30")
    assert "四月综述" in _titles(paper, "from=2022-03-15&to=2022-05-01")


def test_either_end_of_the_range_may_be_left_open(paper, archive):
    assert _titles(paper, "from=2022-04-15") == {"十五日头条", "五月文章"}
    assert _titles(paper, "to=2021-12-31") == {"去年最后一天"}


def test_a_single_day(paper, archive):
    assert _titles(paper, "from=2022-04-15&to=2022-04-15") == {"十五日头条"}  # the hidden one is not public


def test_unknown_year_articles_stay_findable_but_no_range_holds_them(paper, archive):
    assert _titles(paper, "year=unknown") == {"无年份"}
    assert "无年份" not in _titles(paper, "from=1900-01-01&to=2100-12-31")


@pytest.mark.parametrize(
    "query, field",
    [("from=2022-13-01", "from"), ("to=yesterday", "to"), ("from=2022-04-30&to=2022-04-01", "to")],
)
def test_bad_dates_and_backward_ranges_are_reported_and_ignored(paper, archive, query, field):
    filterset = _filter(paper, query)
    assert field in [name for name, _label, _messages in filterset.problems]
    if field == "to" and "from" in query:
        assert _titles(paper, query) == {"五月文章"}  # from=2022-04-30 alone still applies
    else:
        assert filterset.qs.count() == Article.objects.public().filter(source=paper).count()


def test_the_range_seeks_the_date_column(paper, archive):
    sql = str(_filter(paper, "from=2022-04-01&to=2022-04-30").qs.query)
    assert '"date_sort" >= 2022-04-01' in sql.replace("'", "") and '"date_sort" <= 2022-04-30' in sql.replace("'", "")


def test_range_parameters_are_part_of_the_cache_key(paper, archive):
    assert _filter(paper, "from=2022-04-01").cache_key() != _filter(paper, "from=2022-04-02").cache_key()
    assert '"from": "2022-04-01"' in _filter(paper, "from=2022-04-01").cache_key()


def test_oldest_first_puts_undated_last(paper, archive):
    ordered = [article.title or "续文" for article in _filter(paper, "sort=oldest").qs]
    assert ordered[0] == "去年最后一天"
    assert ordered[1] == "年度回顾"  # 2022, stored as its 1 January
    assert ordered[-1] == "无年份"
    dates = [article.date_sort for article in _filter(paper, "sort=oldest").qs if article.date_sort]
    assert dates == sorted(dates)


# --- Selectors ------------------------------------------------------------------------------


def test_day_counts_are_one_group_by_and_ignore_month_only_dates(paper, archive, django_assert_num_queries):
    with django_assert_num_queries(1):
        counts = browse.day_counts(Article.objects.public().filter(source=paper), 2022, 4)
    assert counts == {1: 4, 15: 1}  # 四月综述 (month only) does not crowd the 1st


def test_month_weeks_start_on_monday():
    weeks = browse.month_weeks(2022, 4, {1: 4})
    assert [day.date.day if day else None for day in weeks[0]] == [None, None, None, None, 1, 2, 3]
    assert weeks[0][4].count == 4 and weeks[0][5].count == 0
    assert weeks[-1][5].date == datetime.date(2022, 4, 30)


def test_source_issues_are_one_group_by_with_the_issue_number(paper, archive, django_assert_num_queries):
    with django_assert_num_queries(1):
        issues = browse.source_issues(paper, datetime.date(2022, 1, 1), datetime.date(2023, 1, 1))
    assert [(issue.date, issue.label, issue.count) for issue in issues] == [
        (datetime.date(2022, 4, 1), "2022年第10期", 4),
        (datetime.date(2022, 4, 15), "", 1),
        (datetime.date(2022, 5, 3), "2022年第20期", 1),
    ]


def test_issue_pages_in_reading_order(paper, archive, django_assert_num_queries):
    with django_assert_num_queries(1):
        pages = browse.issue_pages(paper, datetime.date(2022, 4, 1))
    assert [(page.page, [a.title or "续文" for a in page.articles]) for page in pages] == [
        ("1", ["一版头条", "一版二条"]), ("2", ["二版文章"]), ("4", ["续文"]),
    ]


def test_neighbours_link_the_two_parts_of_a_split_article(paper, archive, django_assert_num_queries):
    head, rest = archive["一版头条"], archive["续文"]
    with django_assert_num_queries(1):
        found = browse.neighbours(head)
    assert [a.title for a in found.on_this_page] == ["一版二条"]
    assert found.continued_on.pk == rest.pk and found.continued_on_url == rest.get_absolute_url()
    back = browse.neighbours(rest)
    assert back.continued_from.pk == head.pk and back.on_this_page == []
    assert back.page_url == "/sources/%d/2022-04-01/4/" % paper.pk


def test_an_ambiguous_continuation_links_to_the_page_it_names(paper, archive):
    other = archive["续文"]
    other.pk, other.public_id = None, "secondpart"
    other.save()  # two untitled parts on page 4 both say 上接1版
    found = browse.neighbours(archive["一版头条"])
    assert found.continued_on is None
    assert found.continued_on_url == "/sources/%d/2022-04-01/4/" % archive["一版头条"].source_id


def test_a_titled_continuation_is_matched_by_its_title(paper, archive):
    second = archive["续文"]
    second.pk, second.public_id, second.title = None, "titledpart", "一版头条"
    second.save()
    assert browse.neighbours(archive["一版头条"]).continued_on.public_id == "titledpart"


def test_no_neighbours_without_a_source_day_and_page(archive):
    assert browse.neighbours(archive["四月综述"]).on_this_page == []
    assert browse.neighbours(archive["四月综述"]).issue_url == ""


# --- Views ----------------------------------------------------------------------------------


def test_sources_page_lists_every_source_with_counts(client, paper, archive):
    response = client.get("/sources/")
    assert response.status_code == 200
    groups = dict(response.context["groups"])
    newspapers = {source.name: count for source, count in groups["报纸"]}
    assert newspapers["测试日报"] == 10  # the hidden article is not counted
    listed = {source.name for rows in groups.values() for source, _count in rows}
    assert listed == set(Source.objects.values_list("name", flat=True))
    assert f'href="/sources/{paper.pk}/"' in response.content.decode()


def test_source_page_shows_its_recent_issues(client, paper, archive):
    response = client.get(f"/sources/{paper.pk}/")
    recent = response.context["recent_issues"]
    assert [issue.date for issue in recent] == [datetime.date(2022, 5, 3), datetime.date(2022, 4, 15),
                                                 datetime.date(2022, 4, 1)]
    assert f"/sources/{paper.pk}/issues/2021/" in response.content.decode()


def test_issues_of_a_year(client, paper, archive):
    response = client.get(f"/sources/{paper.pk}/issues/2022/")
    assert response.status_code == 200
    html = response.content.decode()
    assert [month for month, _issues in response.context["months"]] == [4, 5]
    assert "2022年第10期" in html and f"/sources/{paper.pk}/2022-04-01/" in html
    assert [option["label"] for option in response.context["years"]] == ["2022", "2021"]


def test_a_year_without_articles_is_not_offered(client, paper, archive):
    assert client.get(f"/sources/{paper.pk}/issues/2019/").status_code == 404


def test_issue_page_lists_its_pages_in_order(client, paper, archive):
    response = client.get(f"/sources/{paper.pk}/2022-04-01/")
    assert response.status_code == 200
    assert [page.page for page in response.context["pages"]] == ["1", "2", "4"]
    assert response.context["issue_label"] == "2022年第10期"
    html = response.content.decode()
    assert html.index("一版头条") < html.index("一版二条") < html.index("二版文章")
    assert response.context["previous"] == datetime.date(2021, 12, 31)
    assert response.context["next"] == datetime.date(2022, 4, 15)


@pytest.mark.parametrize("day", ["2022-04-02", "2022-02-30", "2022-04-20"])
def test_a_day_without_an_issue_is_a_404(client, paper, archive, day):
    assert client.get(f"/sources/{paper.pk}/{day}/").status_code == 404


def test_a_page_shows_its_articles_in_page_order(client, paper, archive):
    response = client.get(f"/sources/{paper.pk}/2022-04-01/1/")
    assert response.status_code == 200
    assert [article.title for article in response.context["results"]] == ["一版头条", "一版二条"]
    assert [item["page"] for item in response.context["pages"]] == ["1", "2", "4"]
    assert response.context["next_url"] == f"/sources/{paper.pk}/2022-04-01/2/"
    assert client.get(f"/sources/{paper.pk}/2022-04-01/9/").status_code == 404


def test_lower_case_page_letters_find_the_page(client, paper, archive):
    assert client.get(f"/sources/{paper.pk}/2022-05-03/a3/").status_code == 200


def test_reading_page_links_the_parts_and_the_page(client, paper, archive):
    head, rest = archive["一版头条"], archive["续文"]
    html = client.get(head.get_absolute_url()).content.decode()
    assert "下转4版" in html and rest.get_absolute_url() in html
    assert "一版二条" in html and f"/sources/{paper.pk}/2022-04-01/1/" in html
    assert "2022年第10期" in html
    html = client.get(rest.get_absolute_url()).content.decode()
    assert "上接1版" in html and head.get_absolute_url() in html


def test_calendar_counts_the_days_of_a_month(client, paper, archive):
    response = client.get(f"/articles/calendar/?source={paper.pk}&year=2022&month=4")
    assert response.status_code == 200
    days = {day.date.day: day for week in response.context["weeks"] for day in week if day}
    assert days[1].count == 4 and days[15].count == 1 and days[2].count == 0
    assert days[1].url == f"/articles/?source={paper.pk}&from=2022-04-01&to=2022-04-01"
    assert days[2].url == ""
    # Only years with articles are offered; the unknown-year articles are a link of their own.
    assert [option["label"] for option in response.context["years"]] == ["2021", "2022"]
    assert response.context["unknown"].count == 1
    assert response.context["unknown_url"] == f"/articles/?source={paper.pk}&year=unknown"
    assert [option["month"] for option in response.context["months"]] == [4, 5]
    assert response.context["previous_url"] == f"/articles/calendar/?source={paper.pk}&year=2021&month=12"
    assert response.context["next_url"] == f"/articles/calendar/?source={paper.pk}&year=2022&month=5"


def test_calendar_day_link_lists_that_day(client, paper, archive):
    response = client.get(f"/articles/?source={paper.pk}&from=2022-04-01&to=2022-04-01")
    assert {a.title or "续文" for a in response.context["results"]} == {"一版头条", "一版二条", "续文", "二版文章"}
    labels = [chip["label"] for chip in response.context["chips"]]
    assert "2022-04-01 起" in labels and "至 2022-04-01" in labels


def test_calendar_defaults_to_the_newest_month_and_skips_years_without_articles(client, paper, archive):
    for query in (f"source={paper.pk}", f"source={paper.pk}&year=2019&month=4", f"source={paper.pk}&year=2022&month=7"):
        response = client.get(f"/articles/calendar/?{query}")
        assert (response.context["year"], response.context["month"]) == (2022, 5), query


def test_calendar_for_a_year_of_year_only_dates(client, paper, archive):
    Article.objects.filter(source=paper).exclude(title="年度回顾").update(is_public=False)
    response = client.get(f"/articles/calendar/?source={paper.pk}")
    assert response.context["year"] == 2022 and response.context["month"] is None
    assert "weeks" not in response.context


def test_list_offers_oldest_first_and_the_calendar(client, paper, archive):
    response = client.get(f"/articles/?source={paper.pk}&sort=oldest")
    assert response.status_code == 200
    active = [link["value"] for link in response.context["sort_links"] if link["active"]]
    assert active == ["oldest"]
    assert response.context["results"][0].title == "去年最后一天"
    assert response.context["calendar_url"] == f"/articles/calendar/?source={paper.pk}"


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200, url
    return len(captured)


def test_browse_pages_have_a_fixed_number_of_queries(client, paper, archive):
    """Cold (right after a save) and warm maxima, measured; doubling the archive must not move them.

    Sources: token + GROUP BY source + sources. A year's issues: source, token, histogram, GROUP BY
    (date_sort, issue). An issue: source, its articles, the previous and next issue. A page: source,
    GROUP BY page, ids, version, rows, themes (and cold: the rows' source and regions, read once per
    token). The calendar: token, the source filter's lookup (and the version its kept choices are
    filed under), histogram, day counts.
    Each value counted afresh reads the version again after counting (kept only under the version it counted).
    """
    from articles import catalogue

    maxima = {
        "/sources/": (4, 1),
        f"/sources/{paper.pk}/issues/2022/": (7, 3),
        f"/sources/{paper.pk}/2022-04-01/": (4, 4),
        f"/sources/{paper.pk}/2022-04-01/1/": (8, 6),
        f"/articles/calendar/?source={paper.pk}&year=2022&month=4": (8, 3),
        "/articles/calendar/": (6, 2),
    }

    def counts():
        found = {}
        for url in maxima:
            catalogue.bump()
            found[url] = (_queries(client, url), _queries(client, url))
        return found

    before = counts()
    for url, (cold, warm) in before.items():
        assert cold <= maxima[url][0] and warm <= maxima[url][1], (url, cold, warm)
    for article in list(Article.objects.filter(source=paper)):
        article.pk, article.public_id = None, Article._meta.get_field("public_id").default()
        article.position += 100
        article.save()
    assert counts() == before


# --- Ingest -------------------------------------------------------------------------------------


def _ingest(*paths, **options):
    from django.core.management import call_command

    options.setdefault("jobs", 1)
    call_command("ingest", *map(str, paths), stdout=open("/dev/null", "w"), **options)


def test_the_sample_newspaper_page_keeps_its_masthead_issue_number():
    articles = Article.objects.filter(ingested_file__name="003_6a5307973c5811e8.txt")
    assert articles.count() == 2
    assert set(articles.values_list("issue", "page", "source__name")) == {("2022年第14期", "5", "商城时报")}
    assert IngestedFile.objects.get(name="003_6a5307973c5811e8.txt").report["issue"] == "2022年第14期"


def test_the_sample_continuation_keeps_the_page_its_marker_names():
    part = Article.objects.get(ingested_file__name="000_633a3934ca421c0c.txt", kind=Article.Kind.CONTINUATION)
    assert part.continued_from == "1"  # "(上接1版)"; the page has no masthead, so there is nothing to link


def test_a_split_article_ingested_from_two_pages_is_linked_both_ways(tmp_path, client):
    from tests.text.test_issues import FRONT_PAGE, INSIDE_PAGE

    (tmp_path / "p1.txt").write_text(FRONT_PAGE, encoding="utf-8")
    (tmp_path / "p4.txt").write_text(INSIDE_PAGE, encoding="utf-8")
    _ingest(tmp_path)
    head = Article.objects.get(title="全县春耕生产全面展开")
    assert (head.page, head.issue, head.continued_on) == ("1", "2022年第14期", "4")
    rest = Article.objects.get(ingested_file__name="p4.txt", position=0)
    assert (rest.page, rest.continued_from, rest.kind) == ("4", "1", Article.Kind.CONTINUATION)
    parking = Article.objects.get(ingested_file__name="p1.txt", title="县城新增三处便民停车场")
    parking_rest = Article.objects.get(ingested_file__name="p4.txt", title="县城新增三处便民停车场")
    assert browse.neighbours(head).continued_on.pk == rest.pk  # the untitled part, not the titled one
    assert browse.neighbours(parking).continued_on.pk == parking_rest.pk  # matched by its title
    assert browse.neighbours(rest).continued_from.pk == head.pk
    html = client.get(rest.get_absolute_url()).content.decode()
    assert "上接1版" in html and head.get_absolute_url() in html
    issue = client.get(f"/sources/{head.source_id}/2022-04-20/")
    assert [page.page for page in issue.context["pages"]][:2] == ["1", "4"]


def test_an_editors_issue_and_continuation_survive_a_forced_reingest(corpus_dir):
    article = Article.objects.get(title="商城县召开党建统领基层治理工作推进会")
    article.issue = "2022年第15期"
    article.continued_on = "6"
    article.mark_edited("issue", "continued_on")
    article.save()
    untouched = Article.objects.get(title="鲁新建调研重点工业项目")
    untouched.issue = "改错的"
    untouched.save()  # not marked as edited: ingest puts the masthead's value back
    _ingest(corpus_dir, force=True)
    article.refresh_from_db()
    untouched.refresh_from_db()
    assert (article.issue, article.continued_on) == ("2022年第15期", "6")
    assert untouched.issue == "2022年第14期"


def test_calendar_and_issue_pages_speak_english(client, paper, archive):
    html = client.get(f"/articles/calendar/?source={paper.pk}&year=2022&month=4&lang=en").content.decode()
    assert ">Mon<" in html and ">Sun<" in html and "Calendar" in html and "4/2022" in html
    html = client.get(f"/sources/{paper.pk}/2022-04-01/?lang=en").content.decode()
    assert "Page 1" in html and "Fri" in html and "Next issue (4/15)" in html


def test_ingest_tells_newspapers_from_websites():
    kinds = dict(Source.objects.values_list("name", "kind"))
    assert kinds["商城时报"] == Source.Kind.NEWSPAPER  # a page with 版次 and 期号
    assert kinds["丝路情韵"] == Source.Kind.WEBSITE  # a web page dump


def test_an_editors_source_kind_is_kept(tmp_path):
    from tests.text.test_issues import FRONT_PAGE

    Source.objects.filter(name="商城时报").update(kind=Source.Kind.WEBSITE)
    (tmp_path / "p1.txt").write_text(FRONT_PAGE, encoding="utf-8")
    _ingest(tmp_path)
    assert Source.objects.get(name="商城时报").kind == Source.Kind.WEBSITE


@pytest.mark.parametrize("query", ["from=2022-04-01&to=2022-04-30", "sort=oldest", "from=2022-04-10&sort=oldest"])
def test_the_api_takes_the_range_and_oldest_first_like_the_list(client, query):
    page = client.get(f"/articles/?{query}")
    api = client.get(f"/api/articles/?{query}")
    assert api.status_code == 200, api.content
    assert [row["id"] for row in api.json()["results"]] == [a.public_id for a in page.context["results"]]
    assert api.json()["count"] == page.context["page_obj"].paginator.count


@pytest.mark.parametrize("query", ["from=2022-13-01", "to=abc", "from=2022-04-30&to=2022-04-01"])
def test_the_api_answers_400_for_bad_dates(client, query):
    response = client.get(f"/api/articles/?{query}")
    assert response.status_code == 400
    assert response.json()["problems"][0]["param"] in ("from", "to")
