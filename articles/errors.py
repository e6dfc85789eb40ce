"""Friendly Chinese error pages whatever DEBUG is.

With DEBUG off Django already renders templates/404.html and 500.html. With
DEBUG on it shows its technical pages (every URL pattern, settings, a
traceback) instead, also to a reader who mistyped a permalink on a server
someone started in debug mode. This middleware renders the portal's own pages
in that case too; the traceback of a 500 still goes to the log.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.template import loader

logger = logging.getLogger("django.request")

# The JSON API answers its errors in JSON itself.
PLAIN_PREFIXES = ("/api/",)


def page_not_found_response(request: HttpRequest) -> HttpResponse:
    """templates/404.html, rendered with the request (header, search box, script switch)."""
    response = HttpResponse(loader.render_to_string("404.html", request=request), status=404)
    response.friendly = True
    return response


def server_error_response() -> HttpResponse:
    """templates/500.html, rendered with no context: it must work when nothing else does."""
    response = HttpResponse(loader.get_template("500.html").render(), status=500)
    response.friendly = True
    return response


class FriendlyErrorPagesMiddleware:
    """Replaces Django's technical 404 and 500 pages (DEBUG on) with the portal's own."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            settings.DEBUG
            and response.status_code == 404
            and not getattr(response, "friendly", False)
            and response.get("Content-Type", "").startswith("text/html")
            and not request.path.startswith(PLAIN_PREFIXES)
        ):
            # An unmatched URL never reaches a view: Django answered with its technical 404.
            return page_not_found_response(request)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not settings.DEBUG or request.path.startswith(PLAIN_PREFIXES):
            return None  # Django's own handlers render the same templates
        if isinstance(exception, Http404):
            return page_not_found_response(request)
        if isinstance(exception, Exception) and not _handled_by_django(exception):
            logger.error("Internal Server Error: %s", request.path, exc_info=exception, extra={"request": request})
            return server_error_response()
        return None


def _handled_by_django(exception: Exception) -> bool:
    """400 and 403 exceptions keep Django's own handling (their pages are not technical)."""
    from django.core.exceptions import BadRequest, PermissionDenied, SuspiciousOperation

    return isinstance(exception, (BadRequest, PermissionDenied, SuspiciousOperation))
