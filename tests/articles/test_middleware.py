"""Security headers, reader preference cookies, and public pages a shared cache can serve."""

import pytest
from django.contrib.auth import get_user_model

from articles.models import Article

pytestmark = pytest.mark.django_db


def public_urls() -> list[str]:
    article = Article.objects.public().order_by("pk").first()
    return [
        "/",
        "/articles/",
        "/articles/?q=疫情",
        "/regions/611000/",
        "/themes/epidemic/",
        article.get_absolute_url(),
        article.get_absolute_url() + "source/",
        "/a/zzzzzz/",  # the 404 page too
    ]


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    parsed = {}
    for part in policy.split(";"):
        name, *values = part.split()
        parsed[name] = values
    return parsed


# --- headers ------------------------------------------------------------------------------------


def test_every_public_page_has_a_script_policy_without_unsafe_inline_and_a_permissions_policy(client):
    for url in public_urls():
        response = client.get(url)
        policy = directives(response)
        assert policy["script-src"] == ["'self'"], url
        assert "'unsafe-inline'" not in policy["default-src"] and "'unsafe-eval'" not in policy["script-src"]
        assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]
        permissions = response["Permissions-Policy"]
        for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
            assert feature in permissions, (url, permissions)


def test_no_inline_script_in_any_public_page(client):
    # The policy would block one; every script is a static file.
    for url in public_urls():
        html = client.get(url).content.decode()
        for tag in html.split("<script")[1:]:
            opening = tag.split(">", 1)[0]
            assert "src=" in opening or 'type="application/json"' in opening or "application/ld+json" in opening, (
                url,
                opening,
            )
        assert " onclick=" not in html and " onload=" not in html and "javascript:" not in html


def test_the_admin_keeps_working_under_the_policy(client):
    staff = get_user_model().objects.create_user("boss", password="x", is_staff=True, is_superuser=True)
    client.force_login(staff)
    response = client.get("/admin/articles/article/")
    assert response.status_code == 200
    assert directives(response)["script-src"] == ["'self'"]


# --- cacheable public pages --------------------------------------------------------------------


def test_public_pages_set_no_cookie_and_do_not_vary_on_cookies(client):
    for url in public_urls():
        response = client.get(url)
        assert not response.cookies, (url, list(response.cookies))
        vary = {part.strip().lower() for part in response.get("Vary", "").split(",")}
        assert "cookie" not in vary, (url, response.get("Vary"))
        assert "private" not in response.get("Cache-Control", ""), url


def test_the_language_switch_is_plain_links_without_a_csrf_form(client):
    html = client.get("/articles/?region=611000&page=2").content.decode()
    assert "csrfmiddlewaretoken" not in html and 'method="post"' not in html
    assert 'href="?region=611000&amp;lang=en"' in html
    assert 'href="?region=611000&amp;lang=zh-hans"' in html


def test_lang_link_switches_the_interface_and_is_remembered(client):
    response = client.get("/articles/?lang=en")
    assert response.status_code == 200
    assert "All articles" in response.content.decode()
    cookie = response.cookies["django_language"]
    assert cookie.value == "en" and cookie["samesite"] == "Lax"
    assert "private" in response["Cache-Control"]  # it sets a cookie: no shared cache may keep it
    again = client.get("/articles/")
    assert "All articles" in again.content.decode()
    assert "private" in again["Cache-Control"]  # chosen by this reader's cookie
    assert "Vary" not in again or "cookie" not in again["Vary"].lower()
    back = client.get("/?lang=zh-hans")
    assert back.cookies["django_language"].value == "zh-hans"
    assert "全部文章" in back.content.decode()


def test_facet_links_do_not_carry_the_language_switch(client):
    response = client.get("/articles/?lang=en&region=611000")
    for url in response.context["chips"][0]["url"], response.context["clear_url"]:
        assert "lang=" not in url


def test_an_unknown_language_is_ignored(client):
    response = client.get("/articles/?lang=xx")
    assert response.status_code == 200 and not response.cookies


def test_script_cookie_is_lax_http_only_and_chosen_pages_are_private(client):
    response = client.get("/articles/?script=hant")
    cookie = response.cookies["script"]
    assert cookie.value == "hant" and cookie["samesite"] == "Lax" and cookie["httponly"]
    assert not cookie["secure"]  # plain HTTP in tests
    assert "private" in response["Cache-Control"]
    remembered = client.get("/articles/")
    assert "地方新聞閱覽" in remembered.content.decode()  # still Traditional, by the cookie
    assert "private" in remembered["Cache-Control"]


def test_preference_cookies_are_secure_over_https(client, settings):
    for url, name in (("/?script=hant", "script"), ("/?lang=en", "django_language")):
        response = client.get(url, secure=True)
        assert response.cookies[name]["secure"], name


def test_staff_pages_still_know_the_editor(client):
    staff = get_user_model().objects.create_user("boss", password="x", is_staff=True)
    client.force_login(staff)
    article = Article.objects.public().order_by("pk").first()
    html = client.get(article.get_absolute_url()).content.decode()
    assert f"/admin/articles/article/{article.pk}/change/" in html


# --- proxy trust --------------------------------------------------------------------------------


def test_forwarded_proto_is_believed_only_behind_a_declared_proxy(client, settings):
    assert not hasattr(settings, "SECURE_PROXY_SSL_HEADER") or settings.SECURE_PROXY_SSL_HEADER is None
    response = client.get("/?script=hant", HTTP_X_FORWARDED_PROTO="https")
    assert not response.cookies["script"]["secure"]  # a client's claim of HTTPS is not evidence
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    response = client.get("/?script=hans", HTTP_X_FORWARDED_PROTO="https")
    assert response.cookies["script"]["secure"]
