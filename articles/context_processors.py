from django.conf import settings
from django.http import HttpRequest

from articles.middleware import HANS, HANT


def portal(request: HttpRequest) -> dict:
    """Site-wide template values: site name and the script switch."""
    script = getattr(request, "script", HANS)
    query = request.GET.copy()
    query.pop("page", None)
    links = {}
    for value in (HANS, HANT):
        query["script"] = value
        # Query-only and relative: never an absolute path an odd request could turn off-site.
        links[value] = f"?{query.urlencode()}"
    return {
        "site_name": settings.NEWSROOM_SITE_NAME,
        "script": script,
        "script_links": links,
        "html_lang": "zh-Hant" if script == HANT else None,
    }
