"""A reader's journey in headless Chromium, with screenshots for docs/screenshots/.

home → a region → the list filtered by that region → a theme facet → an
article → Traditional script → copy the permalink. Then the three key pages
at phone width, checked for horizontal overflow.

Uses Debian's chromium (never a downloaded browser) through Playwright's sync
API, against pytest-django's live_server. Screenshots go to a temporary folder
so a test run leaves the working tree clean; `make screenshots` sets
NEWSROOM_SCREENSHOTS=docs/screenshots to refresh the committed ones.
"""

import importlib
import os
import re
import shutil
import tempfile
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command

from tests.conftest import CORPUS

# Playwright's sync API runs an event loop in this thread; Django's ORM calls
# made by the live_server fixture would otherwise refuse to run.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = shutil.which("chromium")
playwright_api = pytest.importorskip("playwright.sync_api")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed"),
]

SHOTS = Path(os.environ.get("NEWSROOM_SCREENSHOTS") or tempfile.mkdtemp(prefix="newsroom-screenshots-"))
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def _restore_baseline() -> None:
    """Themes, regions and the sample corpus, as conftest.django_db_setup leaves them."""
    importlib.import_module("articles.migrations.0002_seed_themes").seed_themes(apps, None)
    call_command("load_regions", verbosity=0)
    with open(os.devnull, "w") as devnull:
        call_command("ingest", str(CORPUS), jobs=1, verbosity=0, stdout=devnull)


@pytest.fixture(scope="module", autouse=True)
def baseline_after(django_db_blocker):
    """live_server makes the test transactional, and the database is flushed after it; put the baseline back."""
    yield
    with django_db_blocker.unblock():
        _restore_baseline()


@pytest.fixture
def corpus(transactional_db):
    from articles.models import Article

    if not Article.objects.exists():  # an earlier transactional test flushed it
        _restore_baseline()


@pytest.fixture(scope="module")
def browser():
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def no_horizontal_overflow(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    viewport = page.evaluate("window.innerWidth")
    assert width <= viewport, f"{page.url} is {width}px wide in a {viewport}px viewport"


def test_reader_journey(corpus, live_server, browser):
    context = browser.new_context(viewport=DESKTOP, locale="zh-CN")
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page = context.new_page()

    page.goto(f"{live_server.url}/")
    assert page.locator("h1").first.inner_text() == "最新文章"
    shot(page, "home-desktop")

    # The home page's region tree: 陕西省 › 商洛市.
    page.locator(".home-side .tree a", has_text="商洛市").click()
    page.wait_for_url(re.compile(r"/regions/611000/$"))
    assert page.locator("h1").inner_text() == "商洛市"
    page.get_by_role("link", name="在文章列表中筛选 →").click()
    page.wait_for_url(re.compile(r"/articles/\?region=611000$"))
    assert "共 8 篇" in page.locator(".list-count").inner_text()

    # A theme facet narrows the list; its count said what it would give.
    theme = page.locator(".facet-themes a", has_text="疫情防控")
    assert theme.locator(".count").inner_text() == "3"
    theme.click()
    page.wait_for_url(re.compile(r"theme=epidemic"))
    assert "region=611000" in page.url
    assert "共 3 篇" in page.locator(".list-count").inner_text()
    assert page.locator(".chip-active").count() == 2
    shot(page, "list-desktop")

    # Open the first result.
    first = page.locator(".result-title a").first
    title = first.inner_text()
    first.click()
    page.wait_for_url(re.compile(r"/a/[0-9a-z]+/$"))
    permalink = page.url
    assert page.locator("h1.article-title").inner_text() == title
    assert page.locator('link[rel="canonical"]').get_attribute("href") == permalink
    shot(page, "reading-desktop")

    # Traditional script, remembered across pages.
    page.locator(".script-switch a", has_text="繁體").click()
    page.wait_for_url(re.compile(r"script=hant"))
    traditional = page.locator("h1.article-title").inner_text()
    assert traditional != title
    assert "陝西省" in page.locator(".article-head .chips").inner_text()  # 陕西省 in Traditional
    assert any(cookie["name"] == "script" and cookie["value"] == "hant" for cookie in context.cookies())
    shot(page, "reading-traditional-desktop")

    # Copy the permalink.
    button = page.locator('[data-copy-from="#permalink"]')
    button.click()
    page.wait_for_function("document.querySelector('.copy-status').textContent.length > 0")
    assert page.evaluate("navigator.clipboard.readText()") == permalink
    # The cookie keeps the list in Traditional too, with no ?script= in the address.
    page.goto(f"{live_server.url}/articles/")
    assert page.locator(".facet-regions h3").inner_text() == "地區"
    context.close()


def test_phone_pages_fit_the_screen(corpus, live_server, browser):
    from articles.models import Article

    article = Article.objects.get(title="小片区赋能大治理")
    context = browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True, has_touch=True, device_scale_factor=2)
    page = context.new_page()
    for name, path in (
        ("home-phone", "/"),
        ("list-phone", "/articles/?region=611000&theme=epidemic"),
        ("reading-phone", article.get_absolute_url()),
    ):
        page.goto(f"{live_server.url}{path}")
        no_horizontal_overflow(page)
        shot(page, name)
    page.goto(f"{live_server.url}/a/{article.public_id}/source/")
    no_horizontal_overflow(page)
    context.close()
