"""Issue 12 in the browser: the calendar, and newspaper → issue → page → the other part of a split article.

Two more pages of the sample's 商城时报 issue of 2022-04-20 (pages 1 and 4, with
a 下转4版 / 上接1版 pair) are ingested first, so the issue has several pages.
Screenshots at desktop (1280) and phone (390) width for docs/screenshots/.
"""

import re

import pytest
from django.core.management import call_command

from tests.browser.conftest import DESKTOP, PHONE, no_horizontal_overflow, shot
from tests.text.test_issues import FRONT_PAGE, INSIDE_PAGE


@pytest.fixture
def issue_pages(corpus, tmp_path):
    (tmp_path / "shangcheng-p1.txt").write_text(FRONT_PAGE, encoding="utf-8")
    (tmp_path / "shangcheng-p4.txt").write_text(INSIDE_PAGE, encoding="utf-8")
    with open("/dev/null", "w") as devnull:
        call_command("ingest", str(tmp_path), jobs=1, verbosity=0, stdout=devnull)


def test_newspaper_issue_page_journey(issue_pages, live_server, browser):
    context = browser.new_context(viewport=DESKTOP, locale="zh-CN")
    page = context.new_page()
    page.goto(f"{live_server.url}/")
    page.locator(".sections a", has_text="报刊与网站").click()
    page.wait_for_url(re.compile(r"/sources/$"))
    shot(page, "sources-desktop")
    page.locator(".source-list a", has_text="商城时报").click()
    page.wait_for_url(re.compile(r"/sources/\d+/$"))
    page.locator(".issue-list a", has_text="2022年4月20日").click()
    page.wait_for_url(re.compile(r"/sources/\d+/2022-04-20/$"))
    assert "2022年第14期" in page.locator(".issue-date").inner_text()
    assert page.locator(".issue-page-title a").all_inner_texts() == ["第1版", "第4版", "第5版"]
    shot(page, "issue-desktop")

    page.locator(".issue-page-title a", has_text="第1版").click()
    page.wait_for_url(re.compile(r"/2022-04-20/1/$"))
    assert page.locator(".result-title a").all_inner_texts()[0] == "全县春耕生产全面展开"
    shot(page, "issue-page-desktop")

    page.locator(".result-title a", has_text="全县春耕生产全面展开").click()
    page.wait_for_url(re.compile(r"/a/[0-9a-z]+/$"))
    assert "县城新增三处便民停车场" in page.locator(".on-this-page").inner_text()
    page.locator(".continuation-on a").click()  # 下转4版
    page.wait_for_url(re.compile(r"/a/[0-9a-z]+/$"))
    assert page.locator(".article-body > p:not(.continuation)").first.inner_text().startswith("各地还组织")
    assert "上接1版：全县春耕生产全面展开" in page.locator(".continuation-from").inner_text()
    shot(page, "reading-continuation-desktop")
    context.close()


def test_calendar_journey(corpus, live_server, browser):
    context = browser.new_context(viewport=DESKTOP, locale="zh-CN")
    page = context.new_page()
    page.goto(f"{live_server.url}/articles/")
    page.get_by_role("link", name="按日历浏览 →").click()
    page.wait_for_url(re.compile(r"/articles/calendar/"))
    page.locator(".month-tabs a", has_text="4月").first.click()
    page.wait_for_url(re.compile(r"month=4"))
    assert page.locator("#calendar-heading").inner_text() == "2022年4月"
    assert "年份不详" in page.locator(".year-tabs").inner_text()  # unknown-year articles stay findable
    shot(page, "calendar-desktop")
    day = page.locator(".calendar-grid td.has-articles a").first
    count = int(re.search(r"(\d+)", day.locator(".calendar-count").inner_text()).group(1))
    day.click()
    page.wait_for_url(re.compile(r"from=2022-04-\d\d&to=2022-04-\d\d"))
    assert f"共 {count} 篇" in page.locator(".list-count").inner_text()
    context.close()


@pytest.mark.parametrize("path, name", [
    ("/articles/calendar/?year=2022&month=4", "calendar-phone"),
    ("/sources/", "sources-phone"),
])
def test_browse_pages_fit_a_phone(corpus, live_server, browser, path, name):
    context = browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(f"{live_server.url}{path}")
    no_horizontal_overflow(page)
    shot(page, name)
    context.close()


def test_issue_and_page_fit_a_phone(issue_pages, live_server, browser):
    from articles.models import Source

    source = Source.objects.get(name="商城时报")
    context = browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True, has_touch=True)
    page = context.new_page()
    for path, name in ((f"/sources/{source.pk}/2022-04-20/", "issue-phone"),
                       (f"/sources/{source.pk}/2022-04-20/1/", "issue-page-phone")):
        page.goto(f"{live_server.url}{path}")
        no_horizontal_overflow(page)
        shot(page, name)
    context.close()
