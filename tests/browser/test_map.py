"""The region map in headless Chromium at desktop and phone width, with screenshots for docs/screenshots/."""

from tests.browser.conftest import DESKTOP, PHONE, no_horizontal_overflow, shot


def test_map_drill_down_at_desktop_width(corpus, live_server, browser):
    context = browser.new_context(viewport=DESKTOP, locale="zh-CN")
    page = context.new_page()
    page.goto(f"{live_server.url}/map/")
    no_horizontal_overflow(page)
    shot(page, "map-desktop")
    # Provinces are links in the SVG: reachable by keyboard too.
    page.locator('svg.region-map a[href="/map/610000/"]').focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/map/610000/")
    shot(page, "map-province-desktop")
    label = page.locator("svg.region-map text.map-label", has_text="商洛").bounding_box()
    page.mouse.click(label["x"] + label["width"] / 2, label["y"] + label["height"] / 2)  # a click on the city itself
    page.wait_for_url("**/articles/?region=611000")
    assert "商洛市" in page.locator(".active-filters .chips").inner_text()
    shot(page, "map-to-list-desktop", full_page=False)  # the list the map led to: its facets say 任一
    context.close()


def test_map_at_phone_width_and_without_javascript(corpus, live_server, browser):
    context = browser.new_context(viewport=PHONE, locale="zh-CN", java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/map/")
    no_horizontal_overflow(page)
    box = page.locator("svg.region-map").bounding_box()
    assert box["width"] <= PHONE["width"] and box["height"] > 150  # the whole country fits the phone's width
    shot(page, "map-phone")
    page.locator(".map-places a", has_text="陕西省").first.click()  # the text list beside the map
    page.wait_for_url("**/articles/?region=610000")
    page.goto(f"{live_server.url}/map/610000/")
    no_horizontal_overflow(page)
    shot(page, "map-province-phone")
    context.close()
