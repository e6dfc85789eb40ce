from django.conf import settings
from django.http import HttpRequest

from articles.middleware import HANS, HANT, HANT_HK, LANGUAGE_PARAM, is_traditional

# The html lang of each script: browsers pick a font with the region's glyph shapes.
HTML_LANG = {HANT: "zh-Hant-TW", HANT_HK: "zh-Hant-HK"}
OG_LOCALE = {HANS: "zh_CN", HANT: "zh_TW", HANT_HK: "zh_HK"}


def _switch_links(request: HttpRequest, key: str, values: tuple[str, ...]) -> dict[str, str]:
    """This page with ``key`` set to each value, as query-only relative links (never an absolute path an odd request could turn off-site)."""
    query = request.GET.copy()
    query.pop("page", None)
    links = {}
    for value in values:
        query[key] = value
        links[value.replace("-", "_")] = f"?{query.urlencode()}"
    return links


def portal(request: HttpRequest) -> dict:
    """Site-wide template values: site name, the script switch and the language switch (plain GET links)."""
    script = getattr(request, "script", HANS)
    return {
        "site_name": settings.NEWSROOM_SITE_NAME,
        "script": script,
        "traditional": is_traditional(script),
        "script_links": _switch_links(request, "script", (HANS, HANT, HANT_HK)),
        "language_links": _switch_links(request, LANGUAGE_PARAM, tuple(code for code, _name in settings.LANGUAGES)),
        "html_lang": HTML_LANG.get(script),
        "og_locale": OG_LOCALE.get(script, "zh_CN"),
    }
