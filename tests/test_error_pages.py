"""Friendly Chinese 404, 410 and 500 pages, with DEBUG on and off."""

import pytest
from django.test import Client
from django.utils import timezone

from articles.models import Article

pytestmark = pytest.mark.django_db

DEBUG_STATES = pytest.mark.parametrize("debug", [True, False], ids=["debug-on", "debug-off"])


@DEBUG_STATES
@pytest.mark.parametrize("url", ["/no-such-page/", "/a/zzzzzzzzzz/", "/regions/999999/"])
def test_404_is_the_portals_page(client, settings, debug, url):
    settings.DEBUG = debug
    response = client.get(url)
    assert response.status_code == 404
    html = response.content.decode()
    assert "找不到页面" in html and "返回首页" in html
    assert "Using the URLconf" not in html and "Django tried these URL patterns" not in html


@DEBUG_STATES
def test_410_is_the_portals_page(client, settings, debug):
    settings.DEBUG = debug
    article = Article.objects.public().first()
    article.removed_at = timezone.now()
    article.save()
    for url in (article.get_absolute_url(), f"/a/{article.public_id}/cite.bib"):
        response = client.get(url)
        assert response.status_code == 410
        html = response.content.decode()
        assert "已移除" in html and "返回首页" in html


@DEBUG_STATES
@pytest.mark.urls("tests.error_urls")
def test_500_is_the_portals_page(settings, debug, caplog):
    settings.DEBUG = debug
    response = Client(raise_request_exception=False).get("/boom/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "服务器出错了" in html and "Traceback" not in html and "deliberate failure" not in html
    assert "<style" not in html and "<script" not in html  # nothing a strict CSP would block
    assert any("deliberate failure" in str(record.exc_info) for record in caplog.records if record.exc_info)


def test_api_errors_stay_json_with_debug_on(client, settings):
    settings.DEBUG = True
    response = client.get("/api/articles/zzzzzzzzzz/")
    assert response.status_code == 404 and response["Content-Type"].startswith("application/json")
