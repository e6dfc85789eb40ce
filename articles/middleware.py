"""Simplified / Traditional display, chosen per reader.

The script comes from ``?script=hans|hant`` (so a shared link can carry it),
else from the ``script`` cookie, else Simplified. A ``?script=`` choice is
remembered in the cookie. Conversion happens on display only, never in the
database:

* in Traditional mode the whole HTML page of a portal view is converted with
  OpenCC s2t in one pass (chrome and articles alike);
* in Simplified mode the ``display`` template filter converts article text
  that came in Traditional (OpenCC t2s), field by field.

Like translation.activate(), the script in force is kept in a context
variable for the length of the request so template filters can read it.
"""

from __future__ import annotations

from contextvars import ContextVar

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers

from articles.text.chinese import to_traditional

HANS, HANT = "hans", "hant"
SCRIPTS = (HANS, HANT)
COOKIE = "script"
COOKIE_MAX_AGE = 365 * 24 * 60 * 60

_current_script: ContextVar[str] = ContextVar("newsroom_script", default=HANS)


def get_script() -> str:
    """The script the current request displays in."""
    return _current_script.get()


def script_from_request(request: HttpRequest) -> tuple[str, bool]:
    """(script, came from the query string)."""
    asked = request.GET.get("script", "").strip().lower()
    if asked in SCRIPTS:
        return asked, True
    remembered = request.COOKIES.get(COOKIE, "")
    return (remembered if remembered in SCRIPTS else HANS), False


class ScriptMiddleware:
    # Only the reader-facing pages are converted: the admin edits stored text
    # and must see it as it is.
    NAMESPACES = {"articles"}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        script, from_query = script_from_request(request)
        request.script = script
        token = _current_script.set(script)
        try:
            response = self.get_response(request)
            if script == HANT and self._convertible(request, response):
                response.content = to_traditional(response.content.decode(response.charset or "utf-8"))
                if response.has_header("Content-Length"):
                    response["Content-Length"] = str(len(response.content))
        finally:
            _current_script.reset(token)
        if from_query and request.COOKIES.get(COOKIE) != script:
            response.set_cookie(COOKIE, script, max_age=COOKIE_MAX_AGE, samesite="Lax")
        patch_vary_headers(response, ["Cookie"])
        return response

    def _convertible(self, request: HttpRequest, response: HttpResponse) -> bool:
        match = getattr(request, "resolver_match", None)
        return (
            match is not None
            and match.namespace in self.NAMESPACES
            and not getattr(response, "streaming", False)
            and not getattr(response, "keep_script", False)
            and response.get("Content-Type", "").startswith("text/html")
        )
