"""Readers' journeys in headless Chromium, with screenshots for docs/screenshots/.

Reader: home → a province → a county → the list → a theme → an article →
Traditional → copy the permalink → a fresh browser opens the same article in
the same script. Searcher: a search typed in Traditional, refined with a facet,
paged forward, a hit opened (the query marked in it), back to the same results
page, on to the previous hit. Search help at both widths. Phone (390 px): the facets one tap from the top of
the list, and no page scrolls sideways.
"""

import re

from articles.text.chinese import to_simplified
from tests.browser.conftest import DESKTOP, PHONE, no_horizontal_overflow, shot


def test_reader_journey(corpus, live_server, browser):
    context = browser.new_context(viewport=DESKTOP, locale="zh-CN")
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page = context.new_page()

    page.goto(f"{live_server.url}/")
    assert page.locator("h1").first.inner_text() == "最新文章"
    shot(page, "home-desktop")

    # The home page's region tree: a province, then down to a county on the region pages.
    page.locator(".home-side .tree a", has_text="陕西省").first.click()
    page.wait_for_url(re.compile(r"/regions/610000/$"))
    page.locator(".landing-side a", has_text="商洛市").first.click()
    page.wait_for_url(re.compile(r"/regions/611000/$"))
    page.locator(".landing-side a", has_text="镇安县").first.click()
    page.wait_for_url(re.compile(r"/regions/611025/$"))
    assert page.locator("h1").inner_text() == "镇安县"
    page.get_by_role("link", name="在文章列表中筛选 →").click()
    page.wait_for_url(re.compile(r"/articles/\?region=611025$"))
    county_total = int(re.search(r"共 (\d+) 篇", page.locator(".list-count").inner_text()).group(1))
    assert county_total >= 1

    # Add a theme: its count says what it will give.
    theme = page.locator(".facet-themes a").filter(has=page.locator(".count", has_text=re.compile(r"^[1-9]"))).first
    expected = int(theme.locator(".count").inner_text())
    theme.click()
    page.wait_for_url(re.compile(r"theme="))
    assert "region=611025" in page.url
    assert f"共 {expected} 篇" in page.locator(".list-count").inner_text()
    shot(page, "list-desktop")

    # Open the first result.
    first = page.locator(".result-title a").first
    title = first.inner_text()
    first.click()
    page.wait_for_url(re.compile(r"/a/[0-9a-z]+/$"))
    article_path = page.url.removeprefix(live_server.url)
    assert page.locator("h1.article-title").inner_text() == title
    assert page.locator('link[rel="canonical"]').get_attribute("href") == page.url
    shot(page, "reading-desktop")

    # Traditional script, then copy the permalink.
    page.locator(".script-switch a", has_text="繁（台）").click()
    page.wait_for_url(re.compile(r"script=hant"))
    traditional = page.locator("h1.article-title").inner_text()
    assert "鎮安縣" in page.locator(".article-head .chips").inner_text()  # 镇安县 in Traditional
    page.locator('[data-copy-from="#permalink"]').click()
    page.wait_for_function("document.querySelector('.copy-status').textContent.length > 0")
    permalink = page.evaluate("navigator.clipboard.readText()")
    assert permalink == f"{live_server.url}{article_path}?script=hant"
    shot(page, "reading-traditional-desktop")
    context.close()

    # Someone else opens the shared link: no cookie, same article, same script.
    fresh = browser.new_context(viewport=DESKTOP, locale="zh-CN")
    other = fresh.new_page()
    other.goto(permalink)
    assert other.locator("h1.article-title").inner_text() == traditional
    assert other.locator("html").get_attribute("data-script") == "hant"
    assert other.locator("html").get_attribute("lang") == "zh-Hant-TW"
    shot(other, "reader-shared-permalink")
    fresh.close()


def test_searcher_journey(corpus, live_server, browser, settings):
    from articles.models import Article

    settings.NEWSROOM_PAGE_SIZE = 2  # the sample corpus is small: two per page gives pages to turn
    context = browser.new_context(viewport=DESKTOP, locale="zh-TW")
    page = context.new_page()
    page.goto(f"{live_server.url}/")

    # 黨建 is 党建 in Traditional; the search finds the Simplified articles.
    page.fill("#site-q", "黨建")
    page.press("#site-q", "Enter")
    page.wait_for_url(re.compile(r"/articles/\?q="))
    total = int(re.search(r"共 (\d+) 篇", page.locator(".list-count").inner_text()).group(1))
    assert total >= 3

    # Refine with the region facet: the count on the link is what the list then says.
    region = page.locator(".facet-regions a").filter(has=page.locator(".count", has_text=re.compile(r"^[3-9]|\d\d"))).first
    expected = int(region.locator(".count").first.inner_text())
    region.click()
    page.wait_for_url(re.compile(r"region="))
    assert "q=" in page.url
    assert f"共 {expected} 篇" in page.locator(".list-count").inner_text()
    assert expected <= total

    # Page forward.
    first_page = page.locator(".result-title a").all_inner_texts()
    page.locator(".pagination a[rel=next]").first.click()
    page.wait_for_url(re.compile(r"page=2"))
    second_page = page.locator(".result-title a").all_inner_texts()
    assert second_page and not set(second_page) & set(first_page)

    # Open a hit: it is about 党建.
    hit = page.locator(".result-title a").first
    hit.click()
    page.wait_for_url(re.compile(r"/a/[0-9a-z]+/"))
    article = Article.objects.get(public_id=re.search(r"/a/([0-9a-z]+)/", page.url).group(1))
    assert "党建" in article.search_document.replace(" ", "") or "党建" in article.body_simplified
    # The query came along: marked in the article, with the way back and to the next hit.
    assert "q=" in page.url and "hit=3" in page.url
    marks = page.locator(".reading mark")
    assert marks.count() > 0 and all(to_simplified(text) == "党建" for text in marks.all_inner_texts())
    assert page.locator(".search-hit .search-prev").count() == 1
    marks.first.scroll_into_view_if_needed()
    page.evaluate("window.scrollTo(0, 0)")
    shot(page, "searcher-hit", full_page=False)  # the search bar and the first marks, as the reader lands

    # Back to results: the same page of the same refined search, the hit in view.
    page.locator(".search-back").click()
    page.wait_for_url(re.compile(r"/articles/\?"))
    assert "page=2" in page.url and "region=" in page.url and "q=" in page.url
    assert page.locator(".result-title a").all_inner_texts() == second_page
    assert page.locator("#hit-3").is_visible()

    # Previous hit from the article is the last result of page 1.
    page.locator("#hit-3 .result-title a").click()
    page.wait_for_url(re.compile(r"hit=3"))
    page.locator(".search-prev").click()
    page.wait_for_url(re.compile(r"hit=2"))
    assert page.locator(".article-title").inner_text() == first_page[-1]
    context.close()


def test_search_help_page(corpus, live_server, browser):
    for name, viewport in (("search-help-desktop", DESKTOP), ("search-help-phone", PHONE)):
        context = browser.new_context(viewport=viewport, locale="zh-CN")
        page = context.new_page()
        page.goto(f"{live_server.url}/articles/?q=")
        page.locator(".search-help-link a").click()
        page.wait_for_url(re.compile(r"/search/help/"))
        assert page.locator("h1").inner_text() == "如何搜索"
        no_horizontal_overflow(page)
        shot(page, name)
        # Every example is a live search: OR finds what either word finds.
        page.locator(".syntax a", has_text="疫情 OR 粮食").click()
        page.wait_for_url(re.compile(r"/articles/\?q="))
        assert page.locator("#refine-q").input_value() == "疫情 OR 粮食"
        context.close()


def test_phone_width(corpus, live_server, browser):
    from articles.models import Article

    article = Article.objects.public().exclude(title="").first()
    context = browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True, has_touch=True, device_scale_factor=2)
    page = context.new_page()

    # The facets are one tap from the top of the list.
    page.goto(f"{live_server.url}/articles/?region=611000")
    page.locator(".jump-facets").tap()
    page.wait_for_function("location.hash === '#facets'")
    box = page.locator("#facets").bounding_box()
    assert 0 <= box["y"] < page.viewport_size["height"] / 2, box
    no_horizontal_overflow(page)
    shot(page, "phone-facets", full_page=False)  # what the reader sees after the one tap

    for name, path in (
        ("home-phone", "/"),
        ("list-phone", "/articles/?region=611000&theme=epidemic"),
        ("reading-phone", article.get_absolute_url()),
        (None, article.get_absolute_url() + "?script=hant"),
        (None, f"/a/{article.public_id}/source/"),
        (None, "/regions/611000/"),
        (None, "/themes/epidemic/"),
        (None, "/articles/?q=疫情"),
        (None, "/no-such-page/"),
    ):
        page.goto(f"{live_server.url}{path}")
        no_horizontal_overflow(page)
        if name:
            shot(page, name)
    context.close()
