"""Editors' and researchers' journeys in headless Chromium.

Editor: logs in to the admin, retitles one article, hides another and fixes a
wrong region; the public pages, the feed and the API show each change at once
and the counts follow. Researcher: filters the list, downloads the CSV, opens
the file: the list's rows, Chinese intact.
"""

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from urllib.request import urlopen

from tests.browser.conftest import DESKTOP, shot

ATOM = "{http://www.w3.org/2005/Atom}"


def fetch(url: str) -> bytes:
    with urlopen(url) as response:  # a plain client: no cookie, what anyone gets
        return response.read()


def listed_total(page) -> int:
    return int(re.search(r"共 (\d+) 篇", page.locator(".list-count").inner_text()).group(1))


def save_change_form(page) -> None:
    page.locator('input[name="_save"]').click()
    page.wait_for_url(re.compile(r"/admin/articles/article/(\?.*)?$"))
    assert page.locator(".messagelist .success, .messagelist li").count() >= 1


def test_editor_journey(corpus, live_server, browser):
    from django.contrib.auth import get_user_model

    from articles.models import Article

    get_user_model().objects.create_superuser("editor", "editor@example.org", "correct horse battery")
    retitled, hidden, moved = Article.objects.public().filter(city_id="611000").exclude(title="").order_by("pk")[:3]
    region_count = lambda: json.loads(fetch(f"{live_server.url}/api/articles/?region=611000"))["count"]  # noqa: E731
    before = region_count()

    context = browser.new_context(viewport=DESKTOP, locale="zh-CN")
    page = context.new_page()
    page.goto(f"{live_server.url}/admin/login/?next=/admin/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", "correct horse battery")
    page.locator('input[type="submit"]').click()
    page.wait_for_url(re.compile(r"/admin/$"))

    # 1. Retitle.
    page.goto(f"{live_server.url}/admin/articles/article/{retitled.pk}/change/")
    page.fill("#id_title", "编辑改定的标题：商洛抗疫纪实")
    save_change_form(page)

    # 2. Hide another.
    page.goto(f"{live_server.url}/admin/articles/article/{hidden.pk}/change/")
    page.select_option("#id_status", "hidden")
    save_change_form(page)

    # 3. Fix a wrong region: 商洛市 → 西安市 through the autocomplete widget.
    page.goto(f"{live_server.url}/admin/articles/article/{moved.pk}/change/")
    page.locator("#id_region").locator("xpath=following-sibling::span[contains(@class,'select2')]").first.click()
    page.locator(".select2-search__field").fill("西安市")
    page.locator(".select2-results__option", has_text="西安市").first.click()
    save_change_form(page)
    shot(page, "editor-admin-saved")

    # The public pages show it at once.
    page.goto(f"{live_server.url}{retitled.get_absolute_url()}")
    assert page.locator("h1.article-title").inner_text() == "编辑改定的标题：商洛抗疫纪实"
    page.goto(f"{live_server.url}/articles/?region=611000")
    listing = page.locator(".results").inner_text()
    assert "编辑改定的标题：商洛抗疫纪实" in listing
    assert hidden.title not in listing and moved.title not in listing
    assert listed_total(page) == before - 2
    shot(page, "editor-public-list")
    anonymous = browser.new_context()
    assert anonymous.new_page().goto(f"{live_server.url}{hidden.get_absolute_url()}").status == 404
    anonymous.close()
    page.goto(f"{live_server.url}/articles/?region=610100")
    assert moved.title in page.locator(".results").inner_text()

    # … and so do the feed and the API, with the counts.
    feed = ET.fromstring(fetch(f"{live_server.url}/articles/feed/?region=611000"))
    titles = [entry.find(f"{ATOM}title").text for entry in feed.findall(f"{ATOM}entry")]
    assert "编辑改定的标题：商洛抗疫纪实" in titles and hidden.title not in titles and moved.title not in titles
    assert region_count() == before - 2
    api = json.loads(fetch(f"{live_server.url}/api/articles/?region=610100"))
    assert moved.public_id in {row["id"] for row in api["results"]}
    regions = {r["code"]: r for r in json.loads(fetch(f"{live_server.url}/api/regions/"))}
    cities = {c["code"]: c["count"] for c in regions["610000"]["children"]}
    assert cities["611000"] == before - 2 and cities["610100"] >= 1
    detail = json.loads(fetch(f"{live_server.url}/api/articles/{retitled.public_id}/"))
    assert detail["title"] == "编辑改定的标题：商洛抗疫纪实"
    context.close()


def test_researcher_journey(corpus, live_server, browser):
    context = browser.new_context(viewport=DESKTOP, locale="zh-CN", accept_downloads=True)
    page = context.new_page()
    page.goto(f"{live_server.url}/articles/")
    page.locator(".facet-regions a", has_text="陕西省").first.click()
    page.wait_for_url(re.compile(r"region=610000"))
    total = listed_total(page)
    titles = page.locator(".result-title a").all_inner_texts()

    with page.expect_download() as download_info:
        page.get_by_role("link", name="CSV", exact=True).click()
    download = download_info.value
    assert download.suggested_filename.endswith(".csv")
    raw = open(download.path(), "rb").read()
    assert raw.startswith("\ufeff".encode())  # the BOM spreadsheets need for Chinese
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(rows) == total
    assert all(row["province"] == "陕西省" for row in rows)
    exported = {row["title"] for row in rows}
    assert {title for title in titles if title in exported}  # the list's titles, same characters
    assert any("疫情" in row["body"] for row in rows)

    # What the researcher sees opening it: the rows as a table (rendered here for the screenshot).
    table = "".join(
        f"<tr><td>{row['date']}</td><td>{row['city']}</td><td>{row['title']}</td></tr>" for row in rows
    )
    page.set_content(
        '<meta charset="utf-8"><style>body{font-family:"Noto Sans CJK SC",sans-serif}td{padding:4px 8px;'
        f'border-bottom:1px solid #ccc}}</style><h1>{download.suggested_filename}（{len(rows)} 行）</h1>'
        f"<table>{table}</table>"
    )
    shot(page, "researcher-csv")
    context.close()
