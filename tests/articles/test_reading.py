"""Reading as Chinese readers expect (issue 12): script variants, made-up titles, photographers, print, about/help."""

import re
from html import unescape

import pytest

from articles.models import Article

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    html = response.content.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return unescape(re.sub(r"<[^>]+>", " ", html))


def by_title(title: str) -> Article:
    return Article.objects.get(title=title)


# --- Traditional for Taiwan and Hong Kong readers ---------------------------------------------


def _with_body(article: Article, text: str) -> Article:
    article.blocks = [{"kind": "paragraph", "text": text}]
    article.body = article.body_simplified = text
    article.save()
    return article


def test_taiwan_and_hong_kong_traditional_use_their_own_forms(client):
    article = _with_body(by_title("小片区赋能大治理"), "出租车里面装了软件，台湾的朋友着急。")
    url = article.get_absolute_url()
    taiwan = text_of(client.get(f"{url}?script=hant"))
    assert "計程車裡面裝了軟體" in taiwan  # s2twp: Taiwan vocabulary and 裡
    hong_kong = text_of(client.get(f"{url}?script=hant-hk"))
    assert "出租車裏面裝了軟件" in hong_kong and "台灣" in hong_kong and "着急" in hong_kong  # s2hk


def test_permalink_keeps_each_script(client):
    url = by_title("小片区赋能大治理").get_absolute_url()
    for script in ("hant", "hant-hk"):
        html = client.get(f"{url}?script={script}").content.decode()
        assert f'id="permalink" type="text" value="http://testserver{url}?script={script}"' in html
    html = client.get(f"{url}?script=hans").content.decode()
    assert f'id="permalink" type="text" value="http://testserver{url}"' in html


@pytest.mark.parametrize(
    "header, script, lang",
    [
        ("zh-TW,zh;q=0.9,en;q=0.8", "hant", "zh-Hant-TW"),
        ("zh-Hant-TW", "hant", "zh-Hant-TW"),
        ("zh-HK,zh;q=0.9", "hant-hk", "zh-Hant-HK"),
        ("en-US,zh-MO;q=0.7", "hant-hk", "zh-Hant-HK"),
        ("zh-CN,zh-TW;q=0.5", "hans", "zh-Hans"),
        ("en-US", "hans", "zh-Hans"),
    ],
)
def test_browser_languages_choose_the_default_script(client, header, script, lang):
    response = client.get(by_title("小片区赋能大治理").get_absolute_url(), HTTP_ACCEPT_LANGUAGE=header)
    html = response.content.decode()
    assert f'data-script="{script}"' in html
    assert f'<article class="reading" lang="{lang}">' in html
    assert "Accept-Language" in response["Vary"]
    assert "script" not in response.cookies  # nothing chosen by the reader yet


def test_a_chosen_script_beats_the_browser_languages(client):
    url = by_title("小片区赋能大治理").get_absolute_url()
    assert 'data-script="hans"' in client.get(f"{url}?script=hans", HTTP_ACCEPT_LANGUAGE="zh-TW").content.decode()
    # The cookie now says Simplified: the zh-TW browser keeps it.
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-TW")
    assert 'data-script="hans"' in response.content.decode()
    assert "private" in response["Cache-Control"]


def test_page_cache_keeps_the_variants_apart(client, settings):
    settings.NEWSROOM_PAGE_CACHE = True
    url = _with_body(by_title("小片区赋能大治理"), "出租车里面装了软件。").get_absolute_url()
    assert "計程車" in text_of(client.get(url, HTTP_ACCEPT_LANGUAGE="zh-TW"))
    assert "出租車" in text_of(client.get(url, HTTP_ACCEPT_LANGUAGE="zh-HK"))
    assert "出租车" in text_of(client.get(url, HTTP_ACCEPT_LANGUAGE="zh-CN"))


def test_script_switch_offers_both_traditional_variants(client):
    html = client.get("/articles/?region=611000&page=2").content.decode()
    assert 'href="?region=611000&amp;script=hant"' in html and "繁（台）" in html
    assert 'href="?region=611000&amp;script=hant-hk"' in html and "繁（港）" in html
