"""Shared set-up of the browser journeys: Debian's chromium through Playwright, screenshots, the baseline.

Uses Debian's chromium (never a downloaded browser) through Playwright's sync
API, against pytest-django's live_server. Without chromium every journey is
skipped with the reason printed (`pytest -ra`); .ci/run installs it.
Screenshots go to a temporary folder so a test run leaves the working tree
clean; `make screenshots` sets NEWSROOM_SCREENSHOTS=docs/screenshots to refresh
the committed ones.
"""

import importlib
import os
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
SKIP_REASON = "chromium is not installed (apt-get install chromium fonts-noto-cjk; .ci/run does it)"
SHOTS = Path(os.environ.get("NEWSROOM_SCREENSHOTS") or tempfile.mkdtemp(prefix="newsroom-screenshots-"))
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)
            if CHROMIUM is None:
                item.add_marker(pytest.mark.skip(reason=SKIP_REASON))


def _restore_baseline() -> None:
    """Themes, regions and the sample corpus, as tests/conftest.py's django_db_setup leaves them."""
    importlib.import_module("articles.migrations.0002_seed_themes").seed_themes(apps, None)
    call_command("load_regions", verbosity=0)
    with open(os.devnull, "w") as devnull:
        call_command("ingest", str(CORPUS), jobs=1, verbosity=0, stdout=devnull)


@pytest.fixture(scope="module", autouse=True)
def baseline_after(django_db_blocker):
    """live_server makes the test transactional, and the database is flushed after it; put the baseline back."""
    yield
    if CHROMIUM is None:
        return
    with django_db_blocker.unblock():
        _restore_baseline()


@pytest.fixture
def corpus(transactional_db):
    from articles.models import Article

    if not Article.objects.exists():  # an earlier transactional test flushed it
        _restore_baseline()


@pytest.fixture(scope="session")
def browser():
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def shot(page, name: str, *, full_page: bool = True) -> None:
    """A screenshot of the journey's state (the whole page, or what the viewport shows), for docs/screenshots/."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=full_page)


def no_horizontal_overflow(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    viewport = page.evaluate("window.innerWidth")
    assert width <= viewport, f"{page.url} is {width}px wide in a {viewport}px viewport"
