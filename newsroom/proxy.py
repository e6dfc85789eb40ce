"""Who is the client, when a reverse proxy may stand in front of gunicorn.

Headers a client sends are not evidence: anyone can send
``X-Forwarded-For: 1.2.3.4``. They are trusted only when the operator says
gunicorn is reachable solely through a proxy of theirs (DJANGO_BEHIND_PROXY=1,
see docs/operations.md "Running behind a proxy"); then the right-most
X-Forwarded-For entry is the address that proxy saw and appended. Entries to its
left came from the client and are ignored.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str | None:
    """The client's address: REMOTE_ADDR, or what the trusted proxy appended to X-Forwarded-For."""
    if getattr(settings, "NEWSROOM_BEHIND_PROXY", False):
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        if forwarded and forwarded[-1]:
            return forwarded[-1]
    return request.META.get("REMOTE_ADDR")
