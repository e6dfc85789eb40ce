"""Issue 12 in a real browser: the editors' review queue by keyboard, and the About page, at 1280 and 390 px."""

import re

from tests.browser.conftest import DESKTOP, PHONE, no_horizontal_overflow, shot


def _hold_back(count: int) -> list:
    from articles.models import Article

    held = list(Article.objects.public().exclude(title="").order_by("ingested_file__name", "position")[:count])
    for article in held:
        article.status = Article.Status.REVIEW
        article.warnings = [*article.warnings, "needs review: looks like markup source (12 tags)"]
        article.save()
    return held


def _log_in(page, live_server) -> None:
    page.goto(f"{live_server.url}/admin/login/?next=/admin/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", "correct horse battery")
    page.locator('input[type="submit"]').click()
    page.wait_for_url(re.compile(r"/admin/$"))


def test_review_queue_by_keyboard(corpus, live_server, browser):
    from django.contrib.auth import get_user_model

    from articles.models import Article

    get_user_model().objects.create_superuser("editor", "editor@example.org", "correct horse battery")
    first, second, third = _hold_back(3)

    for viewport, name in ((DESKTOP, "review-queue-desktop"), (PHONE, "review-queue-phone")):
        context = browser.new_context(viewport=viewport, locale="zh-CN")
        page = context.new_page()
        _log_in(page, live_server)
        page.goto(f"{live_server.url}/admin/articles/article/review/")
        assert page.locator(".queue-item").count() == 3
        assert "待审核：像网页源代码（12 个标签）" in page.locator(f"#item-{first.pk} .queue-warnings").inner_text()
        no_horizontal_overflow(page)
        shot(page, name)
        context.close()

    context = browser.new_context(viewport=DESKTOP, locale="zh-CN")
    page = context.new_page()
    _log_in(page, live_server)
    page.goto(f"{live_server.url}/admin/articles/article/review/")
    # The first item has the focus; j moves to the second, p publishes it.
    page.wait_for_function(f"document.activeElement.id === 'item-{first.pk}'")
    page.keyboard.press("j")
    assert page.evaluate("document.activeElement.id") == f"item-{second.pk}"
    page.keyboard.press("p")
    page.wait_for_url(re.compile(rf"#item-{third.pk}$"))
    page.wait_for_function(f"document.activeElement.id === 'item-{third.pk}'")  # on to the next one
    assert "已发布" in page.locator(".messagelist").inner_text()
    second.refresh_from_db()
    assert second.status == Article.Status.PUBLISHED
    # h hides the focused (third) item; e opens the first one's change form.
    with page.expect_navigation():
        page.keyboard.press("h")
    third.refresh_from_db()
    assert third.status == Article.Status.HIDDEN
    page.locator(f"#item-{first.pk}").focus()
    page.keyboard.press("e")
    page.wait_for_url(re.compile(rf"/admin/articles/article/{first.pk}/change/$"))
    context.close()


def test_about_page_at_desktop_and_phone_width(corpus, live_server, browser):
    for viewport, name in ((DESKTOP, "about-desktop"), (PHONE, "about-phone")):
        context = browser.new_context(viewport=viewport, locale="zh-CN")
        page = context.new_page()
        page.goto(f"{live_server.url}/about/")
        assert page.locator("h1").inner_text() == "关于本站"
        assert page.locator(".info-table").count() >= 3
        no_horizontal_overflow(page)
        shot(page, name)
        context.close()


def test_print_shows_the_foot_and_hides_the_tools(corpus, live_server, browser):
    from articles.models import Article

    article = Article.objects.public().exclude(title="").first()
    context = browser.new_context(viewport=DESKTOP, locale="zh-TW")
    page = context.new_page()
    page.goto(f"{live_server.url}{article.get_absolute_url()}")
    assert page.locator("html").get_attribute("data-script") == "hant"  # a zh-TW browser reads Traditional
    assert not page.locator(".print-foot").is_visible()
    page.emulate_media(media="print")
    assert page.locator(".print-foot").is_visible() and not page.locator(".tools").is_visible()
    assert f"{article.get_absolute_url()}?script=hant" in page.locator(".print-foot").inner_text()
    context.close()
