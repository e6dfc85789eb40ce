from django.conf import settings
from django.http import HttpRequest

from articles.middleware import HANS, HANT, LANGUAGE_PARAM


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
        "script_links": _switch_links(request, "script", (HANS, HANT)),
        "language_links": _switch_links(request, LANGUAGE_PARAM, tuple(code for code, _name in settings.LANGUAGES)),
        "html_lang": "zh-Hant" if script == HANT else None,
    }
