"""Simplified / Traditional display, chosen per reader.

The script comes from ``?script=hans|hant|hant-hk`` (so a shared link can
carry it), else from the ``script`` cookie, else from the browser's
Accept-Language (zh-TW / zh-Hant: Traditional as Taiwan writes it; zh-HK /
zh-MO: as Hong Kong writes it), else Simplified. A ``?script=`` choice is
remembered in the cookie. Conversion happens on display only, never in the
database:

* in Traditional mode the whole HTML page of a portal view is converted in
  one pass (chrome and articles alike) with OpenCC's Taiwan configuration
  (s2twp, ``hant``: 繁（台）) or Hong Kong one (s2hk, ``hant-hk``: 繁（港）);
* in Simplified mode the ``display`` template filter converts article text
  that came in Traditional (OpenCC t2s), field by field.

Like translation.activate(), the script in force is kept in a context
variable for the length of the request so template filters can read it.

The interface language is switched the same way, by a plain link
(``?lang=en``) rather than Django's POST-only set_language view: a POST form
puts a CSRF token (and its cookie) on every page. Both choices are remembered in
a cookie; a page whose script or language came from such a cookie is marked
``Cache-Control: private``, so a shared cache never stores it, and no public
page carries ``Vary: Cookie`` (which would make every reader a cache miss).
"""

from __future__ import annotations

from contextvars import ContextVar

from django.conf import settings
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation.trans_real import parse_accept_lang_header

from articles.text.chinese import to_reader_traditional

HANS, HANT, HANT_HK = "hans", "hant", "hant-hk"
SCRIPTS = (HANS, HANT, HANT_HK)
TRADITIONAL = {HANT: "tw", HANT_HK: "hk"}  # script -> articles.text.chinese reader region
# Accept-Language tags (lower case, the part after "zh-") that ask for Traditional.
_HONG_KONG_TAGS = {"hk", "mo", "hant-hk", "hant-mo"}
_TAIWAN_TAGS = {"tw", "hant", "hant-tw"}
COOKIE = "script"
COOKIE_MAX_AGE = 365 * 24 * 60 * 60
LANGUAGE_PARAM = "lang"

_current_script: ContextVar[str] = ContextVar("newsroom_script", default=HANS)


def get_script() -> str:
    """The script the current request displays in."""
    return _current_script.get()


def is_traditional(script: str) -> bool:
    """Whether a script value displays Traditional characters (either variant)."""
    return script in TRADITIONAL


def script_from_accept_language(header: str) -> str:
    """The script of the browser's most preferred Chinese (zh-TW → hant, zh-HK → hant-hk, other zh → hans)."""
    for tag, _quality in parse_accept_lang_header(header or ""):
        tag = tag.lower()
        if tag != "zh" and not tag.startswith("zh-"):
            continue
        rest = tag[3:]
        if rest in _HONG_KONG_TAGS:
            return HANT_HK
        if rest in _TAIWAN_TAGS:
            return HANT
        return HANS
    return HANS


def script_from_request(request: HttpRequest) -> tuple[str, bool]:
    """(script, came from the query string)."""
    asked = request.GET.get("script", "").strip().lower()
    if asked in SCRIPTS:
        return asked, True
    remembered = request.COOKIES.get(COOKIE, "")
    if remembered in SCRIPTS:
        return remembered, False
    return script_from_accept_language(request.META.get("HTTP_ACCEPT_LANGUAGE", "")), False


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
            if is_traditional(script) and self._convertible(request, response):
                text = response.content.decode(response.charset or "utf-8")
                response.content = to_reader_traditional(text, TRADITIONAL[script])
                if response.has_header("Content-Length"):
                    response["Content-Length"] = str(len(response.content))
        finally:
            _current_script.reset(token)
        if from_query:
            if request.COOKIES.get(COOKIE) != script:
                remember(request, response, COOKIE, script)
        elif request.COOKIES.get(COOKIE) in SCRIPTS:
            patch_cache_control(response, private=True)  # this reader's cookie chose the script
        else:
            patch_vary_headers(response, ("Accept-Language",))  # the browser's languages chose it
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


def remember(request: HttpRequest, response: HttpResponse, name: str, value: str) -> None:
    """Set a reader preference cookie: a year, SameSite=Lax, Secure under HTTPS, unreadable to scripts."""
    secure = request.is_secure() or settings.LANGUAGE_COOKIE_SECURE
    response.set_cookie(name, value, max_age=COOKIE_MAX_AGE, samesite="Lax", secure=secure, httponly=True)
    patch_cache_control(response, private=True)  # a response that sets a cookie is this reader's only


class LanguageMiddleware:
    """``?lang=en|zh-hans`` switches the interface language and remembers it in Django's language cookie.

    Runs after LocaleMiddleware, which reads that cookie (or Accept-Language,
    with Vary: Accept-Language) on the next requests.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        supported = {code for code, _name in settings.LANGUAGES}
        asked = request.GET.get(LANGUAGE_PARAM, "").strip().lower()
        if asked not in supported:
            response = self.get_response(request)
            if request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) in supported:
                patch_cache_control(response, private=True)  # the cookie chose the language
            return response
        translation.activate(asked)
        request.LANGUAGE_CODE = asked
        response = self.get_response(request)
        if request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) != asked:
            remember(request, response, settings.LANGUAGE_COOKIE_NAME, asked)
        return response


class CookielessAuthenticationMiddleware(AuthenticationMiddleware):
    """Django's AuthenticationMiddleware, minus the session lookup for a visitor who has no session cookie.

    Reading request.user loads the session, and SessionMiddleware then adds
    ``Vary: Cookie`` to the response, so every public page (``{% if user.is_staff %}``)
    would be uncacheable. Without a session cookie the visitor is anonymous;
    say so without touching the session. Logging in still works: login()
    replaces request.user and creates the session.
    """

    def process_request(self, request: HttpRequest) -> None:
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            return super().process_request(request)
        request.user = AnonymousUser()

        async def anonymous():
            return request.user

        request.auser = anonymous
